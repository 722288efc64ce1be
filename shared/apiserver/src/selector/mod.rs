//! Label and field selectors: parsing the query strings kubectl and client-go send, and
//! matching objects against them.

mod labels;

use std::collections::BTreeMap;

use serde_json::Value;

/// A selector that failed to parse; the message becomes a 400 BadRequest.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct SelectorError(pub String);

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Eq(String),
    NotEq(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    NotExists,
    Gt(i64),
    Lt(i64),
}

/// A parsed label selector: every requirement must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    reqs: Vec<(String, Op)>,
}

impl LabelSelector {
    /// Parses a selector as apimachinery's `labels.Parse` does, with its error messages.
    pub fn parse(s: &str) -> Result<Self, SelectorError> {
        Ok(LabelSelector {
            reqs: labels::parse(s)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.reqs.iter().all(|(k, op)| {
            let v = labels.get(k);
            match op {
                Op::Eq(x) => v == Some(x),
                Op::NotEq(x) => v != Some(x),
                Op::In(xs) => v.is_some_and(|v| xs.contains(v)),
                Op::NotIn(xs) => v.is_none_or(|v| !xs.contains(v)),
                Op::Exists => v.is_some(),
                Op::NotExists => v.is_none(),
                Op::Gt(n) => v
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|v| v > *n),
                Op::Lt(n) => v
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|v| v < *n),
            }
        })
    }

    /// Matches an object by its `metadata.labels`.
    pub fn matches_object(&self, obj: &Value) -> bool {
        self.is_empty() || self.matches(&labels_of(obj))
    }
}

/// The terms of a field selector: split at commas not escaped by a backslash.
fn split_field_terms(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut cur = String::new();
    let mut slash = false;
    for c in s.chars() {
        match c {
            _ if slash => slash = false,
            '\\' => slash = true,
            ',' => {
                terms.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    terms.push(cur);
    terms
}

/// `field`, whether the operator is `=`/`==` (not `!=`), and the raw value; the first
/// operator found splits.
fn split_field_term(term: &str) -> Option<(&str, bool, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for (op, eq) in [("!=", false), ("==", true), ("=", true)] {
            if let Some(value) = rest.strip_prefix(op) {
                return Some((&term[..i], eq, value));
            }
        }
    }
    None
}

/// A field selector value with `\\`, `\,` and `\=` unescaped.
fn unescape_field_value(s: &str) -> Result<String, SelectorError> {
    let mut out = String::new();
    let mut slash = false;
    for c in s.chars() {
        if slash {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(SelectorError(format!(
                    "invalid field selector: invalid escape sequence: \\{c}"
                )));
            }
            out.push(c);
            slash = false;
            continue;
        }
        match c {
            '\\' => slash = true,
            ',' | '=' => {
                return Err(SelectorError(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                )));
            }
            c => out.push(c),
        }
    }
    if slash {
        return Err(SelectorError(
            "invalid field selector: invalid escape sequence: \\".into(),
        ));
    }
    Ok(out)
}

/// The error of a field the kind cannot select on, worded as its field label conversion.
fn unsupported_field(builtin: Option<(&str, &str)>, field: &str) -> String {
    match builtin {
        None
        | Some((
            "",
            "pods"
            | "nodes"
            | "replicationcontrollers"
            | "events"
            | "namespaces"
            | "secrets"
            | "services",
        ))
        | Some(("events.k8s.io", "events")) => format!("field label not supported: {field}"),
        Some(("batch", "jobs")) => format!("field label {field:?} not supported for batchv1.Job"),
        Some(_) => format!(
            "{field:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        ),
    }
}

/// The labels of an object as a map.
pub fn labels_of(obj: &Value) -> BTreeMap<String, String> {
    obj.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// A parsed field selector: `field=value` and `field!=value` terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldSelector {
    reqs: Vec<(String, bool, String)>,
}

impl FieldSelector {
    /// Parses as apimachinery's `fields.ParseSelector` (terms split at unescaped commas, not
    /// trimmed, values unescaped), then checks each field as the kind's field label
    /// conversion does: `builtin` is the (group, resource) of a built-in kind, `None` for a
    /// custom resource.
    pub fn parse(s: &str, builtin: Option<(&str, &str)>) -> Result<Self, SelectorError> {
        let mut terms = split_field_terms(s);
        terms.sort();
        let mut reqs = Vec::new();
        for term in terms.iter().filter(|t| !t.is_empty()) {
            let (field, eq, raw) = split_field_term(term).ok_or_else(|| {
                SelectorError(format!(
                    "invalid selector: '{s}'; can't understand '{term}'"
                ))
            })?;
            let value = unescape_field_value(raw)?;
            let supported = builtin.map_or(&[][..], |(g, r)| builtin_fields(g, r));
            let known = field == "metadata.name"
                || field == "metadata.namespace"
                || supported.contains(&field);
            if !known {
                return Err(SelectorError(unsupported_field(builtin, field)));
            }
            reqs.push((field.to_string(), eq, value));
        }
        Ok(FieldSelector { reqs })
    }

    /// The name this selector pins (`metadata.name=x`), if any.
    pub fn name(&self) -> Option<&str> {
        self.reqs
            .iter()
            .find(|(f, eq, _)| f == "metadata.name" && *eq)
            .map(|(_, _, v)| v.as_str())
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.reqs.iter().all(|(field, eq, value)| {
            let ptr = format!("/{}", field.replace('.', "/"));
            let actual = match obj.pointer(&ptr) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            (actual == *value) == *eq
        })
    }
}

/// Field selectors a built-in resource supports besides the metadata ones.
pub fn builtin_fields(group: &str, resource: &str) -> &'static [&'static str] {
    match (group, resource) {
        ("", "events") => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        ("events.k8s.io", "events") => &[
            "regarding.kind",
            "regarding.namespace",
            "regarding.name",
            "regarding.uid",
            "reason",
            "reportingController",
            "type",
        ],
        ("", "secrets") => &["type"],
        ("", "namespaces") => &["status.phase"],
        ("", "pods") => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        ("", "services") => &["spec.clusterIP", "spec.type"],
        ("", "replicationcontrollers") => &["status.replicas"],
        ("", "nodes") => &["spec.unschedulable"],
        ("batch", "jobs") => &["status.successful"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn label_selectors() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        let cases = [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app in (web, db)", true),
            ("app notin (web,db)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing,app=web", true),
            ("app in (db),tier", false),
            ("", true),
        ];
        for (s, want) in cases {
            assert_eq!(LabelSelector::parse(s).expect(s).matches(&l), want, "{s}");
        }
        assert!(LabelSelector::parse("app in (a").is_err());
        assert!(LabelSelector::parse("a=b c").is_err());
    }

    #[test]
    fn field_selectors() {
        let obj =
            serde_json::json!({"metadata": {"name": "a", "namespace": "n"}, "type": "Opaque"});
        let f = FieldSelector::parse("metadata.name=a,metadata.namespace!=x", Some(("", "x")))
            .expect("parse");
        assert!(f.matches(&obj));
        assert_eq!(f.name(), Some("a"));
        assert!(
            FieldSelector::parse("type=Opaque", Some(("", "secrets")))
                .expect("type")
                .matches(&obj)
        );
        let e = FieldSelector::parse("spec.x=1", None).expect_err("unknown");
        assert_eq!(e.0, "field label not supported: spec.x");
        let e = FieldSelector::parse("spec.x=1", Some(("", "configmaps"))).expect_err("unknown");
        assert_eq!(
            e.0,
            r#""spec.x" is not a known field selector: only "metadata.name", "metadata.namespace""#
        );
        let e = FieldSelector::parse("metadata.name=a,b", None).expect_err("bad");
        assert_eq!(
            e.0,
            "invalid selector: 'metadata.name=a,b'; can't understand 'b'"
        );
        let f = FieldSelector::parse(r"metadata.name=a\,b", None).expect("escaped comma");
        assert_eq!(f.name(), Some("a,b"));
        let e = FieldSelector::parse("metadata.name=a=b", None).expect_err("bad");
        assert_eq!(
            e.0,
            "invalid field selector: unescaped character in value: 61"
        );
    }
}
