//! Label and field selectors: parsing the query strings kubectl and client-go send, and
//! matching objects against them.

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

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 317
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

fn valid_value(v: &str) -> bool {
    v.len() <= 63
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Splits at top-level commas (not those inside parentheses).
fn split_terms(s: &str) -> Result<Vec<String>, SelectorError> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return Err(SelectorError(format!(
                "unable to parse requirement: unbalanced parentheses in {s:?}"
            )));
        }
        if c == ',' && depth == 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if depth != 0 {
        return Err(SelectorError(format!(
            "unable to parse requirement: unbalanced parentheses in {s:?}"
        )));
    }
    out.push(cur);
    Ok(out)
}

fn parse_set(rest: &str, term: &str) -> Result<Vec<String>, SelectorError> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| {
            SelectorError(format!(
                "unable to parse requirement: found '{term}', expected: '('"
            ))
        })?;
    let values: Vec<String> = inner.split(',').map(|v| v.trim().to_string()).collect();
    for v in &values {
        if !valid_value(v) {
            return Err(invalid_value(v));
        }
    }
    Ok(values)
}

fn invalid_value(v: &str) -> SelectorError {
    SelectorError(format!(
        "unable to parse requirement: values[0]: Invalid value: {v:?}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    ))
}

fn parse_term(term: &str) -> Result<(String, Op), SelectorError> {
    let t = term.trim();
    if let Some(key) = t.strip_prefix('!') {
        return Ok((key.trim().to_string(), Op::NotExists));
    }
    let words: Vec<&str> = t.splitn(2, char::is_whitespace).collect();
    if words.len() == 2 {
        let rest = words[1].trim_start();
        if let Some(set) = rest.strip_prefix("notin") {
            return Ok((words[0].to_string(), Op::NotIn(parse_set(set, t)?)));
        }
        if let Some(set) = rest.strip_prefix("in") {
            return Ok((words[0].to_string(), Op::In(parse_set(set, t)?)));
        }
    }
    for (sym, make) in [
        ("!=", (|v: String| Op::NotEq(v)) as fn(String) -> Op),
        ("==", |v| Op::Eq(v)),
        ("=", |v| Op::Eq(v)),
    ] {
        if let Some((k, v)) = t.split_once(sym) {
            let v = v.trim().to_string();
            if !valid_value(&v) {
                return Err(invalid_value(&v));
            }
            return Ok((k.trim().to_string(), make(v)));
        }
    }
    for (sym, gt) in [(">", true), ("<", false)] {
        if let Some((k, v)) = t.split_once(sym) {
            let n: i64 = v.trim().parse().map_err(|_| {
                SelectorError(
                    "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer".to_string(),
                )
            })?;
            return Ok((k.trim().to_string(), if gt { Op::Gt(n) } else { Op::Lt(n) }));
        }
    }
    Ok((t.to_string(), Op::Exists))
}

impl LabelSelector {
    pub fn parse(s: &str) -> Result<Self, SelectorError> {
        if s.trim().is_empty() {
            return Ok(Self::default());
        }
        let mut reqs = Vec::new();
        for term in split_terms(s)? {
            let (key, op) = parse_term(&term)?;
            if !valid_key(&key) {
                return Err(SelectorError(format!(
                    "unable to parse requirement: key: Invalid value: {key:?}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
                )));
            }
            reqs.push((key, op));
        }
        Ok(LabelSelector { reqs })
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
    /// Parses and checks the fields against those `supported` (besides metadata.name and
    /// metadata.namespace); `crd` picks the CRD wording of the error.
    pub fn parse(s: &str, supported: &[&str], crd: bool) -> Result<Self, SelectorError> {
        let mut reqs = Vec::new();
        for term in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (field, eq, value) = if let Some((f, v)) = term.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = term.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = term.split_once('=') {
                (f, true, v)
            } else {
                return Err(SelectorError(format!(
                    "invalid selector: '{s}'; can't understand '{term}'"
                )));
            };
            let field = field.trim();
            let known = field == "metadata.name"
                || field == "metadata.namespace"
                || supported.contains(&field);
            if !known {
                return Err(SelectorError(if crd {
                    format!(
                        "{field:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
                    )
                } else {
                    format!("field label not supported: {field}")
                }));
            }
            reqs.push((field.to_string(), eq, value.trim().to_string()));
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
            "status.phase",
            "status.podIP",
        ],
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
        let f = FieldSelector::parse("metadata.name=a,metadata.namespace!=x", &[], false)
            .expect("parse");
        assert!(f.matches(&obj));
        assert_eq!(f.name(), Some("a"));
        assert!(
            FieldSelector::parse("type=Opaque", builtin_fields("", "secrets"), false)
                .expect("type")
                .matches(&obj)
        );
        let e = FieldSelector::parse("spec.x=1", &[], true).expect_err("unknown");
        assert!(e.0.contains("is not a known field selector"));
    }
}
