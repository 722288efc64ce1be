//! Record payloads (JSON): a log entry is one write at one resourceVersion, a snapshot is a
//! head entry (its resourceVersion and object count) followed by one entry per object.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::store::{ObjectKey, Write};

#[derive(Serialize)]
struct EntryRef<'a> {
    rv: u64,
    group: &'a str,
    resource: &'a str,
    namespace: &'a str,
    name: &'a str,
    /// Absent for a removal.
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a Value>,
}

#[derive(Deserialize)]
struct EntryOwned {
    rv: u64,
    group: String,
    resource: String,
    namespace: String,
    name: String,
    #[serde(default)]
    object: Option<Value>,
}

/// A decoded entry: the object stored under `key` at `rv`, or its removal (`None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub rv: u64,
    pub key: ObjectKey,
    pub object: Option<Value>,
}

/// The first record of a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotHead {
    pub rv: u64,
    pub objects: u64,
}

/// The payload of a write at `rv`.
pub fn encode_write(rv: u64, write: &Write) -> Result<Vec<u8>, serde_json::Error> {
    match write {
        Write::Put(key, obj) => encode(rv, key, Some(obj)),
        Write::Delete(key) => encode(rv, key, None),
    }
}

/// The payload of one object (or a removal) at `rv`.
pub fn encode(
    rv: u64,
    key: &ObjectKey,
    object: Option<&Arc<Value>>,
) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&EntryRef {
        rv,
        group: &key.group,
        resource: &key.resource,
        namespace: &key.namespace,
        name: &key.name,
        object: object.map(|o| o.as_ref()),
    })
}

pub fn decode(payload: &[u8]) -> Result<Entry, serde_json::Error> {
    let e: EntryOwned = serde_json::from_slice(payload)?;
    Ok(Entry {
        rv: e.rv,
        key: ObjectKey {
            group: e.group,
            resource: e.resource,
            namespace: e.namespace,
            name: e.name,
        },
        object: e.object,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_round_trip() {
        let key = ObjectKey::new("apps", "deployments", "ns", "web");
        let obj = Arc::new(json!({"metadata": {"name": "web"}}));
        let put = encode_write(7, &Write::Put(key.clone(), obj.clone())).expect("encode");
        assert_eq!(
            decode(&put).expect("decode"),
            Entry {
                rv: 7,
                key: key.clone(),
                object: Some((*obj).clone())
            }
        );
        let del = encode_write(8, &Write::Delete(key.clone())).expect("encode");
        assert_eq!(decode(&del).expect("decode").object, None);
        assert!(decode(b"{\"rv\":1}").is_err());
    }
}
