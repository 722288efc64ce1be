//! Protobuf bodies of the RBAC kinds and the review kinds, as kubectl sends them
//! (`kubectl create rolebinding`, `kubectl auth can-i`, `kubectl auth whoami`): each message
//! described by a table of field numbers, JSON names and types from k8s.io/api's
//! generated.proto, decoded into the JSON object the rest of the server uses.

use serde_json::{Map, Value, json};

use super::protobuf::{Field, ProtoError, fields, object_meta, text};

/// How a field's value is encoded.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ty {
    Str,
    Strs,
    Msg(&'static [Desc]),
    Msgs(&'static [Desc]),
    /// map<string, string>
    StrMap,
    /// map<string, ExtraValue{repeated string items = 1}>
    ExtraMap,
}

/// A field: its number, its JSON name and its type.
pub(super) type Desc = (u64, &'static str, Ty);

use Ty::*;

const POLICY_RULE: &[Desc] = &[
    (1, "verbs", Strs),
    (2, "apiGroups", Strs),
    (3, "resources", Strs),
    (4, "resourceNames", Strs),
    (5, "nonResourceURLs", Strs),
];
const SUBJECT: &[Desc] = &[
    (1, "kind", Str),
    (2, "apiGroup", Str),
    (3, "name", Str),
    (4, "namespace", Str),
];
const ROLE_REF: &[Desc] = &[(1, "apiGroup", Str), (2, "kind", Str), (3, "name", Str)];
const REQUIREMENT: &[Desc] = &[(1, "key", Str), (2, "operator", Str), (3, "values", Strs)];
const SELECTOR: &[Desc] = &[
    (1, "matchLabels", StrMap),
    (2, "matchExpressions", Msgs(REQUIREMENT)),
];
const AGGREGATION: &[Desc] = &[(1, "clusterRoleSelectors", Msgs(SELECTOR))];
const ROLE: &[Desc] = &[(2, "rules", Msgs(POLICY_RULE))];
const CLUSTER_ROLE: &[Desc] = &[
    (2, "rules", Msgs(POLICY_RULE)),
    (3, "aggregationRule", Msg(AGGREGATION)),
];
const BINDING: &[Desc] = &[
    (2, "subjects", Msgs(SUBJECT)),
    (3, "roleRef", Msg(ROLE_REF)),
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

/// The fields (after metadata, field 1) of the kinds this module reads.
pub fn kind_fields(api_version: &str, kind: &str) -> Option<&'static [Desc]> {
    Some(match (api_version, kind) {
        ("rbac.authorization.k8s.io/v1", "Role") => ROLE,
        ("rbac.authorization.k8s.io/v1", "ClusterRole") => CLUSTER_ROLE,
        ("rbac.authorization.k8s.io/v1", "RoleBinding" | "ClusterRoleBinding") => BINDING,
        ("authorization.k8s.io/v1", "SelfSubjectAccessReview") => {
            &[(2, "spec", Msg(SELF_ACCESS_SPEC))]
        }
        ("authorization.k8s.io/v1", "SubjectAccessReview") => &[(2, "spec", Msg(ACCESS_SPEC))],
        ("authorization.k8s.io/v1", "SelfSubjectRulesReview") => &[(2, "spec", Msg(RULES_SPEC))],
        ("authentication.k8s.io/v1", "SelfSubjectReview") => &[],
        _ => return None,
    })
}

/// A top-level object: metadata, then the kind's fields.
pub fn object(b: &[u8], desc: &'static [Desc]) -> Result<Map<String, Value>, ProtoError> {
    let mut out = Map::new();
    for (num, f) in fields(b)? {
        match (num, f) {
            (1, Field::Bytes(x)) => {
                out.insert("metadata".into(), object_meta(x)?);
            }
            (num, f) => field(&mut out, desc, num, f)?,
        }
    }
    Ok(out)
}

fn message(b: &[u8], desc: &'static [Desc]) -> Result<Value, ProtoError> {
    let mut out = Map::new();
    for (num, f) in fields(b)? {
        field(&mut out, desc, num, f)?;
    }
    Ok(Value::Object(out))
}

fn push(out: &mut Map<String, Value>, key: &str, v: Value) {
    if let Some(a) = out.entry(key).or_insert_with(|| json!([])).as_array_mut() {
        a.push(v);
    }
}

/// One map entry's key (1) and value (2) bytes.
fn entry(b: &[u8]) -> Result<(String, &[u8]), ProtoError> {
    let (mut k, mut v) = (String::new(), &[][..]);
    for (num, f) in fields(b)? {
        match (num, f) {
            (1, Field::Bytes(x)) => k = text(x)?,
            (2, Field::Bytes(x)) => v = x,
            _ => {}
        }
    }
    Ok((k, v))
}

fn field(
    out: &mut Map<String, Value>,
    desc: &'static [Desc],
    num: u64,
    f: Field<'_>,
) -> Result<(), ProtoError> {
    let Some(&(_, name, ty)) = desc.iter().find(|d| d.0 == num) else {
        return Ok(());
    };
    let Field::Bytes(x) = f else {
        return Ok(());
    };
    match ty {
        Str => {
            out.insert(name.into(), json!(text(x)?));
        }
        Strs => push(out, name, json!(text(x)?)),
        Msg(d) => {
            out.insert(name.into(), message(x, d)?);
        }
        Msgs(d) => push(out, name, message(x, d)?),
        StrMap => {
            let (k, v) = entry(x)?;
            let m = out.entry(name).or_insert_with(|| json!({}));
            m[k] = json!(text(v)?);
        }
        ExtraMap => {
            let (k, v) = entry(x)?;
            let items: Vec<Value> = fields(v)?
                .into_iter()
                .filter_map(|(n, f)| match (n, f) {
                    (1, Field::Bytes(s)) => text(s).ok().map(Value::String),
                    _ => None,
                })
                .collect();
            let m = out.entry(name).or_insert_with(|| json!({}));
            m[k] = Value::Array(items);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(num: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![((num << 3) | 2) as u8, payload.len() as u8];
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn decodes_a_role_binding_and_an_access_review() {
        let subject = [field(1, b"Group"), field(3, b"ops")].concat();
        let role_ref = [
            field(1, b"rbac.authorization.k8s.io"),
            field(2, b"ClusterRole"),
            field(3, b"edit"),
        ]
        .concat();
        let rb = [
            field(1, &field(1, b"rb")),
            field(2, &subject),
            field(3, &role_ref),
        ]
        .concat();
        let v = object(&rb, BINDING).expect("decode");
        assert_eq!(
            Value::Object(v),
            json!({"metadata": {"name": "rb"}, "subjects": [{"kind": "Group", "name": "ops"}],
                   "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"}})
        );
        let attrs = [field(1, b"ns"), field(2, b"list"), field(5, b"configmaps")].concat();
        let ssar = field(2, &field(1, &attrs));
        let desc =
            kind_fields("authorization.k8s.io/v1", "SelfSubjectAccessReview").expect("known");
        let v = object(&ssar, desc).expect("decode");
        assert_eq!(
            Value::Object(v),
            json!({"spec": {"resourceAttributes": {"namespace": "ns", "verb": "list", "resource": "configmaps"}}})
        );
    }
}
