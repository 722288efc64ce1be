//! managedFields entries: who (manager, operation, apiVersion, subresource) owns which fields
//! since when, decoded from and encoded to `metadata.managedFields` in upstream's order.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::path::go_quote;
use super::set::FieldSet;

/// Whether an entry records applies or other writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    /// Server-side apply.
    Apply,
    /// Create, update or a non-apply patch.
    Update,
}

impl Operation {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// What identifies an entry: appliers are one entry whatever apiVersion they use; updaters are
/// one entry per apiVersion.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ManagerId {
    pub manager: String,
    pub operation: Operation,
    /// Empty for appliers.
    pub api_version: String,
    /// Empty for the main resource.
    pub subresource: String,
}

impl ManagerId {
    /// The identity of a writer.
    pub fn new(manager: &str, operation: Operation, api_version: &str, subresource: &str) -> Self {
        let api_version = match operation {
            Operation::Apply => String::new(),
            Operation::Update => api_version.to_string(),
        };
        ManagerId {
            manager: manager.to_string(),
            operation,
            api_version,
            subresource: subresource.to_string(),
        }
    }
}

impl fmt::Display for ManagerId {
    /// As upstream prints a manager in conflicts: `"kubectl" with subresource "status" using v1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", go_quote(&self.manager))?;
        if !self.subresource.is_empty() {
            write!(f, " with subresource {}", go_quote(&self.subresource))?;
        }
        if self.operation == Operation::Update {
            write!(f, " using {}", self.api_version)?;
        }
        Ok(())
    }
}

/// What an entry owns, at which apiVersion, since when.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub api_version: String,
    /// RFC 3339 in UTC with seconds, as upstream writes it; absent when never stamped.
    pub time: Option<String>,
    pub fields: FieldSet,
}

/// All entries of an object.
pub type Managers = BTreeMap<ManagerId, Entry>;

/// A managedFields list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// Reads `metadata.managedFields` of an object; absent means none.
pub fn decode_object(object: &Value) -> Result<Managers, DecodeError> {
    match object.pointer("/metadata/managedFields") {
        None | Some(Value::Null) => Ok(Managers::new()),
        Some(list) => decode(list),
    }
}

/// Reads a managedFields list. Later duplicates of an identity win, as upstream.
pub fn decode(list: &Value) -> Result<Managers, DecodeError> {
    let Value::Array(items) = list else {
        return Err(DecodeError("managedFields must be a list".to_string()));
    };
    let mut out = Managers::new();
    for (i, item) in items.iter().enumerate() {
        let (id, entry) = decode_entry(i, item)?;
        out.insert(id, entry);
    }
    Ok(out)
}

fn decode_entry(i: usize, item: &Value) -> Result<(ManagerId, Entry), DecodeError> {
    let err = |m: String| DecodeError(m);
    let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
    if !item.is_object() {
        return Err(err(format!("managed fields entry {i} is not an object")));
    }
    let operation = match text("operation") {
        "Apply" => Operation::Apply,
        "Update" => Operation::Update,
        _ => return Err(err("operation must be `Apply` or `Update`".to_string())),
    };
    let api_version = text("apiVersion");
    if api_version.is_empty() {
        return Err(err("apiVersion must not be empty".to_string()));
    }
    match text("fieldsType") {
        "FieldsV1" => {}
        "" => {
            return Err(err(format!(
                "missing fieldsType in managed fields entry {i}"
            )));
        }
        other => {
            return Err(err(format!(
                "invalid fieldsType {other:?} in managed fields entry {i}"
            )));
        }
    }
    let fields = match item.get("fieldsV1") {
        None | Some(Value::Null) => FieldSet::new(),
        Some(v) => {
            FieldSet::from_fields_v1(v).map_err(|e| err(format!("error decoding set: {e}")))?
        }
    };
    let time = match item.get("time") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => {
            Some(normalize_time(t).ok_or_else(|| err(format!("invalid time {t:?}")))?)
        }
        Some(other) => return Err(err(format!("invalid time {other}"))),
    };
    let id = ManagerId::new(text("manager"), operation, api_version, text("subresource"));
    let entry = Entry {
        api_version: api_version.to_string(),
        time,
        fields,
    };
    Ok((id, entry))
}

/// An RFC 3339 time in UTC with whole seconds (`2024-01-02T03:04:05Z`), as metav1.Time is
/// written; `None` when it is not RFC 3339.
pub fn normalize_time(t: &str) -> Option<String> {
    let parsed = chrono::DateTime::parse_from_rfc3339(t).ok()?;
    Some(
        parsed
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    )
}

fn seconds(time: Option<&String>) -> i64 {
    time.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or(0, |t| t.timestamp())
}

/// The managedFields list in upstream's order: appliers first, then by time, manager,
/// apiVersion and subresource. `None` when there are no entries.
pub fn encode(managers: &Managers) -> Option<Value> {
    if managers.is_empty() {
        return None;
    }
    let mut entries: Vec<(&ManagerId, &Entry)> = managers.iter().collect();
    entries.sort_by(|(a, x), (b, y)| {
        a.operation
            .cmp(&b.operation)
            .then_with(|| seconds(x.time.as_ref()).cmp(&seconds(y.time.as_ref())))
            .then_with(|| a.manager.cmp(&b.manager))
            .then_with(|| x.api_version.cmp(&y.api_version))
            .then_with(|| a.subresource.cmp(&b.subresource))
    });
    Some(Value::Array(
        entries
            .into_iter()
            .map(|(id, e)| encode_entry(id, e))
            .collect(),
    ))
}

fn encode_entry(id: &ManagerId, entry: &Entry) -> Value {
    let mut m = Map::new();
    if !id.manager.is_empty() {
        m.insert("manager".into(), id.manager.clone().into());
    }
    m.insert("operation".into(), id.operation.as_str().into());
    m.insert("apiVersion".into(), entry.api_version.clone().into());
    if let Some(t) = &entry.time {
        m.insert("time".into(), t.clone().into());
    }
    m.insert("fieldsType".into(), "FieldsV1".into());
    m.insert("fieldsV1".into(), entry.fields.to_fields_v1());
    if !id.subresource.is_empty() {
        m.insert("subresource".into(), id.subresource.clone().into());
    }
    Value::Object(m)
}

/// Writes the entries into `object.metadata.managedFields`, removing the field when empty.
pub fn set_on_object(object: &mut Value, managers: &Managers) {
    let Some(obj) = object.as_object_mut() else {
        return;
    };
    match encode(managers) {
        Some(list) => {
            let meta = obj
                .entry("metadata")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(meta) = meta.as_object_mut() {
                meta.insert("managedFields".into(), list);
            }
        }
        None => {
            if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("managedFields");
            }
        }
    }
}

/// Whether a request's managedFields asks to reset tracking: `[]` or `[{}]`.
pub fn is_reset(object: &Value) -> bool {
    match object.pointer("/metadata/managedFields") {
        Some(Value::Array(items)) => match items.as_slice() {
            [] => true,
            [only] => only.as_object().is_some_and(Map::is_empty),
            _ => false,
        },
        _ => false,
    }
}

/// The most update entries kept; older ones merge into `ancient-changes`, per apiVersion.
pub const MAX_UPDATE_MANAGERS: usize = 10;

/// Merges the oldest update entries into one `ancient-changes` entry per apiVersion until at
/// most [`MAX_UPDATE_MANAGERS`] remain, as upstream's capManagers.
pub fn cap_update_managers(managers: &mut Managers) {
    let mut updaters: Vec<ManagerId> = managers
        .keys()
        .filter(|id| id.operation == Operation::Update)
        .cloned()
        .collect();
    if updaters.len() <= MAX_UPDATE_MANAGERS {
        return;
    }
    updaters.sort_by_key(|id| {
        (
            seconds(managers.get(id).and_then(|e| e.time.as_ref())),
            id.clone(),
        )
    });
    let mut first_of_version: BTreeMap<String, ManagerId> = BTreeMap::new();
    let mut length = updaters.len();
    for id in updaters {
        if length <= MAX_UPDATE_MANAGERS {
            break;
        }
        let Some(entry) = managers.get(&id).cloned() else {
            continue;
        };
        let version = entry.api_version.clone();
        let Some(first) = first_of_version.get(&version) else {
            first_of_version.insert(version, id);
            continue;
        };
        let bucket = ManagerId::new("ancient-changes", Operation::Update, &version, "");
        if !managers.contains_key(&bucket)
            && let Some(moved) = managers.remove(first)
        {
            managers.insert(bucket.clone(), moved);
        }
        if let Some(b) = managers.get_mut(&bucket) {
            b.fields = entry.fields.union(&b.fields);
            b.time = entry.time.clone();
        }
        managers.remove(&id);
        length -= 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn entry(manager: &str, op: &str, time: &str) -> Value {
        json!({"manager": manager, "operation": op, "apiVersion": "v1", "time": time,
               "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:a": {}}}})
    }

    #[test]
    fn round_trips_and_sorts_like_upstream() {
        let list = json!([
            entry("zed", "Update", "2024-01-01T00:00:02Z"),
            entry("kubectl", "Update", "2024-01-01T00:00:01Z"),
            entry("late", "Apply", "2024-01-01T00:00:09Z"),
            entry("early", "Apply", "2024-01-01T00:00:00+00:00"),
        ]);
        let managers = decode(&list).unwrap();
        let out = encode(&managers).unwrap();
        let order: Vec<&str> = out
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["manager"].as_str().unwrap())
            .collect();
        assert_eq!(order, ["early", "late", "kubectl", "zed"]);
        assert_eq!(out[0]["time"], "2024-01-01T00:00:00Z");
        assert_eq!(out[2], entry("kubectl", "Update", "2024-01-01T00:00:01Z"));
    }

    #[test]
    fn rejects_invalid_entries() {
        let cases = [
            (
                json!([{"operation": "Patch", "apiVersion": "v1", "fieldsType": "FieldsV1"}]),
                "operation must be",
            ),
            (
                json!([{"operation": "Apply", "fieldsType": "FieldsV1"}]),
                "apiVersion must not be empty",
            ),
            (
                json!([{"operation": "Apply", "apiVersion": "v1"}]),
                "missing fieldsType",
            ),
            (
                json!([{"operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV2"}]),
                "invalid fieldsType",
            ),
            (
                json!([{"operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV1", "time": "noon"}]),
                "invalid time",
            ),
            (json!({"not": "a list"}), "must be a list"),
        ];
        for (list, want) in cases {
            let err = decode(&list).unwrap_err();
            assert!(err.0.contains(want), "{err} !~ {want}");
        }
    }

    #[test]
    fn identities_and_their_display() {
        let apply = ManagerId::new("flux", Operation::Apply, "v1", "");
        assert_eq!(apply, ManagerId::new("flux", Operation::Apply, "v2", ""));
        assert_eq!(apply.to_string(), r#""flux""#);
        let update = ManagerId::new("kubectl-edit", Operation::Update, "apps/v1", "status");
        assert_eq!(
            update.to_string(),
            r#""kubectl-edit" with subresource "status" using apps/v1"#
        );
    }

    #[test]
    fn reset_requests() {
        assert!(is_reset(&json!({"metadata": {"managedFields": []}})));
        assert!(is_reset(&json!({"metadata": {"managedFields": [{}]}})));
        assert!(!is_reset(&json!({"metadata": {"managedFields": null}})));
        assert!(!is_reset(&json!({"metadata": {}})));
    }

    #[test]
    fn caps_update_entries_into_ancient_changes() {
        let mut managers = Managers::new();
        for i in 0..12 {
            let id = ManagerId::new(&format!("m{i:02}"), Operation::Update, "v1", "");
            let mut fields = FieldSet::new();
            fields.insert(&[super::super::PathElement::field(&format!("f{i}"))]);
            let time = Some(format!("2024-01-01T00:00:{i:02}Z"));
            managers.insert(
                id,
                Entry {
                    api_version: "v1".into(),
                    time,
                    fields,
                },
            );
        }
        cap_update_managers(&mut managers);
        assert_eq!(managers.len(), 10);
        let bucket = &managers[&ManagerId::new("ancient-changes", Operation::Update, "v1", "")];
        assert_eq!(
            bucket.fields.to_fields_v1_string(),
            r#"{"f:f0":{},"f:f1":{},"f:f2":{}}"#
        );
        assert_eq!(bucket.time.as_deref(), Some("2024-01-01T00:00:02Z"));
    }
}
