//! Kubernetes protobuf request bodies for the kinds kubectl (1.32+) creates with protobuf
//! (`kubectl create configmap|secret|namespace|serviceaccount`): the `k8s\0` envelope and
//! just enough of each message to turn it into the JSON object the rest of the server uses.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value, json};

const MAGIC: &[u8] = b"k8s\0";

/// Why a protobuf body could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtoError {
    #[error("malformed protobuf: {0}")]
    Malformed(&'static str),
    #[error("protobuf bodies of kind {0} are not supported; send JSON")]
    Unsupported(String),
}

/// One field of a message: its number and value.
enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
}

fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, ProtoError> {
    let mut out = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf
            .get(*pos)
            .ok_or(ProtoError::Malformed("truncated varint"))?;
        *pos += 1;
        out |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(out);
        }
    }
    Err(ProtoError::Malformed("varint too long"))
}

/// The fields of a message, in order.
fn fields(buf: &[u8]) -> Result<Vec<(u64, Field<'_>)>, ProtoError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        let (num, wire) = (key >> 3, key & 7);
        let f = match wire {
            0 => Field::Varint(varint(buf, &mut pos)?),
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?)
                    .map_err(|_| ProtoError::Malformed("length"))?;
                let end = pos
                    .checked_add(len)
                    .filter(|e| *e <= buf.len())
                    .ok_or(ProtoError::Malformed("truncated field"))?;
                let b = &buf[pos..end];
                pos = end;
                Field::Bytes(b)
            }
            1 => {
                pos += 8;
                continue;
            }
            5 => {
                pos += 4;
                continue;
            }
            _ => return Err(ProtoError::Malformed("wire type")),
        };
        out.push((num, f));
    }
    Ok(out)
}

fn text(b: &[u8]) -> Result<String, ProtoError> {
    String::from_utf8(b.to_vec()).map_err(|_| ProtoError::Malformed("invalid UTF-8"))
}

/// A map entry (key = 1, value = 2); `bytes_value` base64-encodes the value as JSON does.
fn map_entry(b: &[u8], bytes_value: bool) -> Result<(String, Value), ProtoError> {
    let mut k = String::new();
    let mut v = Value::String(String::new());
    for (num, f) in fields(b)? {
        if let Field::Bytes(x) = f {
            match num {
                1 => k = text(x)?,
                2 if bytes_value => v = json!(B64.encode(x)),
                2 => v = json!(text(x)?),
                _ => {}
            }
        }
    }
    Ok((k, v))
}

fn insert_entry(
    obj: &mut Map<String, Value>,
    key: &str,
    b: &[u8],
    bytes_value: bool,
) -> Result<(), ProtoError> {
    let (k, v) = map_entry(b, bytes_value)?;
    let m = obj.entry(key).or_insert_with(|| json!({}));
    if let Some(m) = m.as_object_mut() {
        m.insert(k, v);
    }
    Ok(())
}

fn push(obj: &mut Map<String, Value>, key: &str, v: Value) {
    let a = obj.entry(key).or_insert_with(|| json!([]));
    if let Some(a) = a.as_array_mut() {
        a.push(v);
    }
}

/// ObjectMeta: the fields a client sets on create.
fn object_meta(b: &[u8]) -> Result<Value, ProtoError> {
    let mut m = Map::new();
    for (num, f) in fields(b)? {
        let Field::Bytes(x) = f else { continue };
        match num {
            1 => {
                m.insert("name".into(), json!(text(x)?));
            }
            2 => {
                m.insert("generateName".into(), json!(text(x)?));
            }
            3 => {
                m.insert("namespace".into(), json!(text(x)?));
            }
            6 => {
                m.insert("resourceVersion".into(), json!(text(x)?));
            }
            11 => insert_entry(&mut m, "labels", x, false)?,
            12 => insert_entry(&mut m, "annotations", x, false)?,
            14 => push(&mut m, "finalizers", json!(text(x)?)),
            _ => {}
        }
    }
    Ok(Value::Object(m))
}

fn name_only(b: &[u8]) -> Result<Value, ProtoError> {
    let mut m = Map::new();
    for (num, f) in fields(b)? {
        if let (1, Field::Bytes(x)) = (num, f) {
            m.insert("name".into(), json!(text(x)?));
        }
    }
    Ok(Value::Object(m))
}

/// The message body of `kind` as a JSON object (without apiVersion/kind).
fn message(kind: &str, b: &[u8]) -> Result<Map<String, Value>, ProtoError> {
    let mut o = Map::new();
    for (num, f) in fields(b)? {
        match (kind, num, f) {
            (_, 1, Field::Bytes(x)) => {
                o.insert("metadata".into(), object_meta(x)?);
            }
            ("ConfigMap", 2, Field::Bytes(x)) => insert_entry(&mut o, "data", x, false)?,
            ("ConfigMap", 3, Field::Bytes(x)) => insert_entry(&mut o, "binaryData", x, true)?,
            ("ConfigMap", 4, Field::Varint(v)) | ("Secret", 5, Field::Varint(v)) => {
                o.insert("immutable".into(), json!(v != 0));
            }
            ("Secret", 2, Field::Bytes(x)) => insert_entry(&mut o, "data", x, true)?,
            ("Secret", 3, Field::Bytes(x)) => {
                o.insert("type".into(), json!(text(x)?));
            }
            ("Secret", 4, Field::Bytes(x)) => insert_entry(&mut o, "stringData", x, false)?,
            ("Namespace", 2, Field::Bytes(x)) => {
                let mut spec = Map::new();
                for (n, f) in fields(x)? {
                    if let (1, Field::Bytes(s)) = (n, f) {
                        push(&mut spec, "finalizers", json!(text(s)?));
                    }
                }
                o.insert("spec".into(), Value::Object(spec));
            }
            ("ServiceAccount", 2, Field::Bytes(x)) => push(&mut o, "secrets", name_only(x)?),
            ("ServiceAccount", 3, Field::Bytes(x)) => {
                push(&mut o, "imagePullSecrets", name_only(x)?)
            }
            ("ServiceAccount", 4, Field::Varint(v)) => {
                o.insert("automountServiceAccountToken".into(), json!(v != 0));
            }
            _ => {}
        }
    }
    Ok(o)
}

/// Decodes a `k8s\0`-framed protobuf object of a supported kind into JSON.
pub fn decode(body: &[u8]) -> Result<Value, ProtoError> {
    let inner = body
        .strip_prefix(MAGIC)
        .ok_or(ProtoError::Malformed("missing k8s envelope"))?;
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    for (num, f) in fields(inner)? {
        match (num, f) {
            (1, Field::Bytes(tm)) => {
                for (n, f) in fields(tm)? {
                    match (n, f) {
                        (1, Field::Bytes(x)) => api_version = text(x)?,
                        (2, Field::Bytes(x)) => kind = text(x)?,
                        _ => {}
                    }
                }
            }
            (2, Field::Bytes(x)) => raw = x,
            _ => {}
        }
    }
    if api_version != "v1"
        || !matches!(
            kind.as_str(),
            "ConfigMap" | "Secret" | "Namespace" | "ServiceAccount"
        )
    {
        return Err(ProtoError::Unsupported(format!("{api_version}/{kind}")));
    }
    let mut obj = message(&kind, raw)?;
    obj.insert("apiVersion".into(), json!(api_version));
    obj.insert("kind".into(), json!(kind));
    Ok(Value::Object(obj))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(num: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![((num << 3) | 2) as u8, payload.len() as u8];
        out.extend_from_slice(payload);
        out
    }

    fn entry(k: &str, v: &[u8]) -> Vec<u8> {
        [field(1, k.as_bytes()), field(2, v)].concat()
    }

    #[test]
    fn decodes_a_secret() {
        let meta = [
            field(1, b"s"),
            field(3, b"ns"),
            field(11, &entry("app", b"x")),
        ]
        .concat();
        let secret = [
            field(1, &meta),
            field(2, &entry("k", b"\x00\x01")),
            field(3, b"Opaque"),
        ]
        .concat();
        let tm = [field(1, b"v1"), field(2, b"Secret")].concat();
        let body = [MAGIC.to_vec(), field(1, &tm), field(2, &secret)].concat();
        let v = decode(&body).expect("decode");
        assert_eq!(
            v,
            json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                   "metadata": {"name": "s", "namespace": "ns", "labels": {"app": "x"}},
                   "data": {"k": "AAE="}})
        );
        let tm = [field(1, b"apps/v1"), field(2, b"Deployment")].concat();
        let body = [MAGIC.to_vec(), field(1, &tm)].concat();
        assert!(matches!(decode(&body), Err(ProtoError::Unsupported(_))));
    }
}
