//! Patch targets: kustomize's `Selector` with anchored regexes on group, version, kind,
//! name and namespace, and Kubernetes label selectors on labels and annotations.

use regex::Regex;

use crate::kustomization::Selector;
use crate::resource::Resource;

/// Why a selector cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("{0}")]
    Regex(String),
    #[error("unable to parse requirement: {0}")]
    Label(String),
}

fn anchored(p: &str) -> Result<Option<Regex>, SelectError> {
    if p.is_empty() {
        return Ok(None);
    }
    Regex::new(&format!("^(?:{p})$"))
        .map(Some)
        .map_err(|e| SelectError::Regex(e.to_string()))
}

fn is_match(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref().is_none_or(|r| r.is_match(s))
}

/// A compiled selector.
pub struct Compiled {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

impl Compiled {
    pub fn new(s: &Selector) -> Result<Compiled, SelectError> {
        Ok(Compiled {
            group: anchored(&s.group)?,
            version: anchored(&s.version)?,
            kind: anchored(&s.kind)?,
            name: anchored(&s.name)?,
            namespace: anchored(&s.namespace)?,
            labels: parse_selector(&s.label_selector)?,
            annotations: parse_selector(&s.annotation_selector)?,
        })
    }

    /// kustomize's `resWrangler.Select` test for one resource.
    pub fn matches(&self, r: &Resource) -> bool {
        let cur = r.cur_id();
        let org = r.orig_id();
        let gvk = r.gvk();
        (is_match(&self.namespace, org.effective_namespace())
            || is_match(&self.namespace, cur.effective_namespace()))
            && (is_match(&self.name, &org.name) || is_match(&self.name, &cur.name))
            && is_match(&self.group, &gvk.group)
            && is_match(&self.version, &gvk.version)
            && is_match(&self.kind, &gvk.kind)
            && self.labels.iter().all(|q| q.matches(&r.labels()))
            && self.annotations.iter().all(|q| q.matches(&r.annotations()))
    }
}

impl Compiled {
    /// Only the label and annotation selectors.
    pub fn matches_metadata(&self, r: &Resource) -> bool {
        self.labels.iter().all(|q| q.matches(&r.labels()))
            && self.annotations.iter().all(|q| q.matches(&r.annotations()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Exists,
    NotExists,
    In(Vec<String>),
    NotIn(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
}

impl Requirement {
    fn matches(&self, map: &[(String, String)]) -> bool {
        let v = map.iter().find(|(k, _)| *k == self.key).map(|(_, v)| v);
        match (&self.op, v) {
            (Op::Exists, v) => v.is_some(),
            (Op::NotExists, v) => v.is_none(),
            (Op::In(vals), Some(v)) => vals.contains(v),
            (Op::In(_), None) => false,
            (Op::NotIn(vals), Some(v)) => !vals.contains(v),
            (Op::NotIn(_), None) => true,
        }
    }
}

/// Splits at commas that are not inside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn set_values(s: &str) -> Result<Vec<String>, SelectError> {
    let inner = s
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| SelectError::Label(s.to_string()))?;
    Ok(inner.split(',').map(|v| v.trim().to_string()).collect())
}

fn parse_requirement(part: &str) -> Result<Requirement, SelectError> {
    let p = part.trim();
    let req = |key: &str, op| Requirement {
        key: key.trim().to_string(),
        op,
    };
    if let Some(key) = p.strip_prefix('!') {
        return Ok(req(key, Op::NotExists));
    }
    if let Some((k, v)) = p.split_once("!=") {
        return Ok(req(k, Op::NotIn(vec![v.trim().to_string()])));
    }
    if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
        return Ok(req(k, Op::In(vec![v.trim().to_string()])));
    }
    if let Some((k, v)) = p.split_once(" notin ") {
        return Ok(req(k, Op::NotIn(set_values(v)?)));
    }
    if let Some((k, v)) = p.split_once(" in ") {
        return Ok(req(k, Op::In(set_values(v)?)));
    }
    if p.is_empty() || p.contains(char::is_whitespace) {
        return Err(SelectError::Label(p.to_string()));
    }
    Ok(req(p, Op::Exists))
}

fn parse_selector(s: &str) -> Result<Vec<Requirement>, SelectError> {
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    split_top(s).into_iter().map(parse_requirement).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selectors() {
        let m = vec![("app".to_string(), "web".to_string())];
        let cases = [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app", true),
            ("!app", false),
            ("app in (web, db)", true),
            ("app notin (web)", false),
            ("app=web,tier", false),
            ("tier!=x", true),
        ];
        for (sel, want) in cases {
            let reqs = parse_selector(sel).expect("parses");
            assert_eq!(reqs.iter().all(|r| r.matches(&m)), want, "{sel}");
        }
    }
}
