//! Kubernetes protobuf request bodies, which kubectl 1.32+ sends for every built-in kind it
//! creates through typed clients (`kubectl create deployment|job|service|role|...`) and for
//! the reviews of `kubectl auth can-i|whoami`: the
//! `k8s\0` envelope (runtime.Unknown) and the object inside, turned into the JSON Go's encoder
//! would write for it, using a table of the kinds' protobuf layouts (see `table`).

mod convert;
mod table;
mod wire;

use serde_json::{Map, Value, json};

use wire::Wire;

const MAGIC: &[u8] = b"k8s\0";

/// Why a protobuf body could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtoError {
    #[error("malformed protobuf: {0}")]
    Malformed(&'static str),
    #[error("protobuf bodies of {0} are not supported; send JSON")]
    Unsupported(String),
}

fn text(b: &[u8]) -> Result<String, ProtoError> {
    String::from_utf8(b.to_vec()).map_err(|_| ProtoError::Malformed("invalid UTF-8"))
}

/// The envelope's apiVersion, kind and raw object.
fn envelope(body: &[u8]) -> Result<(String, String, &[u8]), ProtoError> {
    let inner = body
        .strip_prefix(MAGIC)
        .ok_or(ProtoError::Malformed("missing k8s envelope"))?;
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    for (num, f) in wire::fields(inner)? {
        match (num, f) {
            (1, Wire::Bytes(tm)) => {
                for (n, f) in wire::fields(tm)? {
                    match (n, f) {
                        (1, Wire::Bytes(x)) => api_version = text(x)?,
                        (2, Wire::Bytes(x)) => kind = text(x)?,
                        _ => {}
                    }
                }
            }
            (2, Wire::Bytes(x)) => raw = x,
            _ => {}
        }
    }
    Ok((api_version, kind, raw))
}

/// The table's message for a kind: a built-in kind's definition, or a review kind's
/// (`io.k8s.api.authorization.v1.SubjectAccessReview`), which the OpenAPI document lacks.
fn definition(group: &str, version: &str, kind: &str) -> Option<String> {
    super::openapi::builtin::definition_name(group, version, kind).or_else(|| {
        let short = group.strip_suffix(".k8s.io")?;
        let name = format!("io.k8s.api.{short}.{version}.{kind}");
        table::message(&name).map(|_| name)
    })
}

/// Decodes a `k8s\0`-framed protobuf object of a built-in kind into JSON.
pub fn decode(body: &[u8]) -> Result<Value, ProtoError> {
    let (api_version, kind, raw) = envelope(body)?;
    let (group, version) = api_version.split_once('/').unwrap_or(("", &api_version));
    let unsupported = || ProtoError::Unsupported(format!("{api_version}, Kind={kind}"));
    let definition = definition(group, version, &kind).ok_or_else(unsupported)?;
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), json!(api_version));
    obj.insert("kind".into(), json!(kind));
    convert::message(&definition, raw, &mut obj).map_err(|e| match e {
        ProtoError::Unsupported(_) => unsupported(),
        other => other,
    })?;
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
        let tm = [field(1, b"example.com/v1"), field(2, b"Widget")].concat();
        let body = [MAGIC.to_vec(), field(1, &tm)].concat();
        assert!(matches!(decode(&body), Err(ProtoError::Unsupported(_))));
    }

    #[test]
    fn decodes_reviews() {
        let framed = |api_version: &str, kind: &str, raw: &[u8]| {
            let tm = [field(1, api_version.as_bytes()), field(2, kind.as_bytes())].concat();
            [MAGIC.to_vec(), field(1, &tm), field(2, raw)].concat()
        };
        let attrs = [field(1, b"ns"), field(2, b"list"), field(5, b"configmaps")].concat();
        let body = framed(
            "authorization.k8s.io/v1",
            "SelfSubjectAccessReview",
            &field(2, &field(1, &attrs)),
        );
        assert_eq!(
            decode(&body).expect("decode"),
            json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                   "spec": {"resourceAttributes": {"namespace": "ns", "verb": "list", "resource": "configmaps"}}})
        );
        let extra = entry("scopes", &[field(1, b"a"), field(1, b"b")].concat());
        let spec = [field(3, b"jane"), field(4, b"ops"), field(5, &extra)].concat();
        let body = framed(
            "authorization.k8s.io/v1",
            "SubjectAccessReview",
            &field(2, &spec),
        );
        let v = decode(&body).expect("decode");
        assert_eq!(
            v["spec"],
            json!({"user": "jane", "groups": ["ops"], "extra": {"scopes": ["a", "b"]}})
        );
        let body = framed("authentication.k8s.io/v1", "SelfSubjectReview", &[]);
        assert_eq!(decode(&body).expect("decode")["kind"], "SelfSubjectReview");
        assert!(matches!(decode(b"{}"), Err(ProtoError::Malformed(_))));
    }
}
