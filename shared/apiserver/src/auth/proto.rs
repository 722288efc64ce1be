//! Protobuf bodies of the review kinds, which kubectl's `auth can-i` and `auth whoami` send:
//! the `k8s\0` envelope and each message described by a table of field numbers, JSON names
//! and types from k8s.io/api's authorization/v1 and authentication/v1 generated.proto.

use serde_json::{Map, Value, json};

const MAGIC: &[u8] = b"k8s\0";

/// A body that is not a protobuf review this module reads.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtoError {
    #[error("malformed protobuf: {0}")]
    Malformed(&'static str),
    #[error("protobuf bodies of {0} are not supported here; send JSON")]
    Unsupported(String),
}

/// How a field's value is encoded.
#[derive(Debug, Clone, Copy)]
enum Ty {
    Str,
    Strs,
    Msg(&'static [Desc]),
    /// map<string, ExtraValue{repeated string items = 1}>
    ExtraMap,
}

/// A field: its number, its JSON name and its type.
type Desc = (u64, &'static str, Ty);

use Ty::*;

const META: &[Desc] = &[
    (1, "name", Str),
    (2, "generateName", Str),
    (3, "namespace", Str),
];
const RESOURCE_ATTRIBUTES: &[Desc] = &[
    (1, "namespace", Str),
    (2, "verb", Str),
    (3, "group", Str),
    (4, "version", Str),
    (5, "resource", Str),
    (6, "subresource", Str),
    (7, "name", Str),
];
const NON_RESOURCE_ATTRIBUTES: &[Desc] = &[(1, "path", Str), (2, "verb", Str)];
const SELF_ACCESS_SPEC: &[Desc] = &[
    (1, "resourceAttributes", Msg(RESOURCE_ATTRIBUTES)),
    (2, "nonResourceAttributes", Msg(NON_RESOURCE_ATTRIBUTES)),
];
const ACCESS_SPEC: &[Desc] = &[
    (1, "resourceAttributes", Msg(RESOURCE_ATTRIBUTES)),
    (2, "nonResourceAttributes", Msg(NON_RESOURCE_ATTRIBUTES)),
    (3, "user", Str),
    (4, "groups", Strs),
    (5, "extra", ExtraMap),
    (6, "uid", Str),
];
const RULES_SPEC: &[Desc] = &[(1, "namespace", Str)];

/// The top-level fields of each review kind.
fn kind_fields(api_version: &str, kind: &str) -> Option<&'static [Desc]> {
    Some(match (api_version, kind) {
        ("authorization.k8s.io/v1", "SelfSubjectAccessReview") => &[
            (1, "metadata", Msg(META)),
            (2, "spec", Msg(SELF_ACCESS_SPEC)),
        ],
        ("authorization.k8s.io/v1", "SubjectAccessReview") => {
            &[(1, "metadata", Msg(META)), (2, "spec", Msg(ACCESS_SPEC))]
        }
        ("authorization.k8s.io/v1", "SelfSubjectRulesReview") => {
            &[(1, "metadata", Msg(META)), (2, "spec", Msg(RULES_SPEC))]
        }
        ("authentication.k8s.io/v1", "SelfSubjectReview") => &[(1, "metadata", Msg(META))],
        _ => return None,
    })
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

/// The length-delimited fields of a message (the only wire type these messages use for
/// what is read; others are skipped).
fn fields(buf: &[u8]) -> Result<Vec<(u64, &[u8])>, ProtoError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        match key & 7 {
            0 => {
                varint(buf, &mut pos)?;
            }
            1 => pos += 8,
            5 => pos += 4,
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?)
                    .map_err(|_| ProtoError::Malformed("length"))?;
                let end = pos
                    .checked_add(len)
                    .filter(|e| *e <= buf.len())
                    .ok_or(ProtoError::Malformed("truncated field"))?;
                out.push((key >> 3, &buf[pos..end]));
                pos = end;
            }
            _ => return Err(ProtoError::Malformed("wire type")),
        }
    }
    Ok(out)
}

fn text(b: &[u8]) -> Result<Value, ProtoError> {
    String::from_utf8(b.to_vec())
        .map(Value::String)
        .map_err(|_| ProtoError::Malformed("invalid UTF-8"))
}

fn message(b: &[u8], desc: &'static [Desc]) -> Result<Value, ProtoError> {
    let mut out = Map::new();
    for (num, x) in fields(b)? {
        let Some(&(_, name, ty)) = desc.iter().find(|d| d.0 == num) else {
            continue;
        };
        match ty {
            Str => {
                out.insert(name.into(), text(x)?);
            }
            Strs => {
                if let Some(a) = out.entry(name).or_insert_with(|| json!([])).as_array_mut() {
                    a.push(text(x)?);
                }
            }
            Msg(d) => {
                out.insert(name.into(), message(x, d)?);
            }
            ExtraMap => {
                let (mut key, mut items) = (String::new(), Vec::new());
                for (n, v) in fields(x)? {
                    match n {
                        1 => key = String::from_utf8_lossy(v).into_owned(),
                        2 => {
                            for (_, item) in fields(v)? {
                                items.push(text(item)?);
                            }
                        }
                        _ => {}
                    }
                }
                out.entry(name).or_insert_with(|| json!({}))[key] = Value::Array(items);
            }
        }
    }
    Ok(Value::Object(out))
}

/// Decodes a `k8s\0`-framed review into the JSON object of its kind.
pub fn decode(body: &[u8]) -> Result<Value, ProtoError> {
    let inner = body
        .strip_prefix(MAGIC)
        .ok_or(ProtoError::Malformed("missing k8s envelope"))?;
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    for (num, x) in fields(inner)? {
        match num {
            1 => {
                for (n, v) in fields(x)? {
                    match n {
                        1 => api_version = String::from_utf8_lossy(v).into_owned(),
                        2 => kind = String::from_utf8_lossy(v).into_owned(),
                        _ => {}
                    }
                }
            }
            2 => raw = x,
            _ => {}
        }
    }
    let desc = kind_fields(&api_version, &kind)
        .ok_or_else(|| ProtoError::Unsupported(format!("{api_version}, Kind={kind}")))?;
    let mut obj = message(raw, desc)?;
    obj["apiVersion"] = json!(api_version);
    obj["kind"] = json!(kind);
    Ok(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(num: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![((num << 3) | 2) as u8, payload.len() as u8];
        out.extend_from_slice(payload);
        out
    }

    fn framed(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
        let tm = [field(1, api_version.as_bytes()), field(2, kind.as_bytes())].concat();
        [MAGIC.to_vec(), field(1, &tm), field(2, raw)].concat()
    }

    #[test]
    fn decodes_reviews() {
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
        let extra = [
            field(1, b"scopes"),
            field(2, &[field(1, b"a"), field(1, b"b")].concat()),
        ]
        .concat();
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
        let body = framed("v1", "ConfigMap", &[]);
        assert!(matches!(decode(&body), Err(ProtoError::Unsupported(_))));
        assert!(matches!(decode(b"{}"), Err(ProtoError::Malformed(_))));
    }
}
