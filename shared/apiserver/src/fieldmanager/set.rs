//! Sets of field paths as a trie (members and children per path element), their set algebra,
//! and the FieldsV1 JSON encoding a real API server writes into managedFields.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::FieldsError;
use super::path::{Path, PathElement, write_go_string};

/// A set of field paths. A path is a member when the field itself is owned; children hold the
/// paths below a field. Children are never empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    members: BTreeSet<PathElement>,
    children: BTreeMap<PathElement, FieldSet>,
}

impl FieldSet {
    /// The empty set.
    pub fn new() -> FieldSet {
        FieldSet::default()
    }

    /// A set of the given paths.
    pub fn from_paths<I: IntoIterator<Item = Path>>(paths: I) -> FieldSet {
        let mut set = FieldSet::new();
        for p in paths {
            set.insert(&p);
        }
        set
    }

    /// Adds a path; its parents are not added. The empty path (the whole object) is never
    /// owned, as upstream.
    pub fn insert(&mut self, path: &[PathElement]) {
        match path {
            [] => {}
            [last] => {
                self.members.insert(last.clone());
            }
            [first, rest @ ..] => self.children.entry(first.clone()).or_default().insert(rest),
        }
    }

    /// Whether the path is a member.
    pub fn contains(&self, path: &[PathElement]) -> bool {
        match path {
            [] => false,
            [last] => self.members.contains(last),
            [first, rest @ ..] => self.children.get(first).is_some_and(|c| c.contains(rest)),
        }
    }

    /// Whether no path is a member.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.values().all(FieldSet::is_empty)
    }

    /// Whether `pe` is a member at this level.
    pub(crate) fn has_member(&self, pe: &PathElement) -> bool {
        self.members.contains(pe)
    }

    /// The paths below `pe`, without the prefix.
    pub(crate) fn child(&self, pe: &PathElement) -> Option<&FieldSet> {
        self.children.get(pe)
    }

    pub(crate) fn members(&self) -> impl Iterator<Item = &PathElement> {
        self.members.iter()
    }

    pub(crate) fn children(&self) -> impl Iterator<Item = (&PathElement, &FieldSet)> {
        self.children.iter()
    }

    pub(crate) fn from_parts(
        members: BTreeSet<PathElement>,
        children: BTreeMap<PathElement, FieldSet>,
    ) -> FieldSet {
        let children = children
            .into_iter()
            .filter(|(_, c)| !c.is_empty())
            .collect();
        FieldSet { members, children }
    }

    /// Paths in either set.
    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.members.extend(other.members.iter().cloned());
        for (pe, theirs) in &other.children {
            let merged = match out.children.get(pe) {
                Some(ours) => ours.union(theirs),
                None => theirs.clone(),
            };
            out.children.insert(pe.clone(), merged);
        }
        out
    }

    /// Paths in both sets.
    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let members = self.members.intersection(&other.members).cloned().collect();
        let children = self
            .children
            .iter()
            .filter_map(|(pe, ours)| Some((pe.clone(), ours.intersection(other.children.get(pe)?))))
            .collect();
        FieldSet::from_parts(members, children)
    }

    /// Paths in `self` that are not in `other`, level by level: removing a parent does not
    /// remove its children.
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let members = self.members.difference(&other.members).cloned().collect();
        let children = self
            .children
            .iter()
            .map(|(pe, ours)| match other.children.get(pe) {
                Some(theirs) => (pe.clone(), ours.difference(theirs)),
                None => (pe.clone(), ours.clone()),
            })
            .collect();
        FieldSet::from_parts(members, children)
    }

    /// Paths in `self` that are neither in `other` nor below a member of `other`.
    pub fn recursive_difference(&self, other: &FieldSet) -> FieldSet {
        let members = self.members.difference(&other.members).cloned().collect();
        let children = self
            .children
            .iter()
            .filter(|(pe, _)| !other.members.contains(pe))
            .map(|(pe, ours)| match other.children.get(pe) {
                Some(theirs) => (pe.clone(), ours.recursive_difference(theirs)),
                None => (pe.clone(), ours.clone()),
            })
            .collect();
        FieldSet::from_parts(members, children)
    }

    /// Every member path, parents before children (upstream's iteration order).
    pub fn paths(&self) -> Vec<Path> {
        let mut out = Vec::new();
        self.collect_paths(&mut Vec::new(), &mut out);
        out
    }

    fn collect_paths(&self, prefix: &mut Path, out: &mut Vec<Path>) {
        for pe in &self.members {
            let mut p = prefix.clone();
            p.push(pe.clone());
            out.push(p);
        }
        for (pe, child) in &self.children {
            prefix.push(pe.clone());
            child.collect_paths(prefix, out);
            prefix.pop();
        }
    }

    /// Every element at this level in upstream's order, each with whether it is a member and
    /// its children.
    fn entries(&self) -> Vec<(&PathElement, bool, Option<&FieldSet>)> {
        let mut all: BTreeMap<&PathElement, (bool, Option<&FieldSet>)> = BTreeMap::new();
        for pe in &self.members {
            all.entry(pe).or_default().0 = true;
        }
        for (pe, child) in &self.children {
            all.entry(pe).or_default().1 = Some(child);
        }
        all.into_iter().map(|(pe, (m, c))| (pe, m, c)).collect()
    }

    /// The FieldsV1 value, e.g. `{"f:data":{"f:key":{}}}`. Keys are inserted in upstream's
    /// order (`.` first, then fields, keys, values, indexes).
    pub fn to_fields_v1(&self) -> Value {
        Value::Object(self.fields_v1_map(false))
    }

    fn fields_v1_map(&self, include_self: bool) -> Map<String, Value> {
        let mut map = Map::new();
        if include_self && !self.is_empty() {
            map.insert(".".to_string(), Value::Object(Map::new()));
        }
        for (pe, member, child) in self.entries() {
            let inner = match child {
                Some(c) => c.fields_v1_map(member),
                None => Map::new(),
            };
            map.insert(pe.encode(), Value::Object(inner));
        }
        map
    }

    /// The FieldsV1 JSON text byte for byte as upstream serializes it.
    pub fn to_fields_v1_string(&self) -> String {
        let mut out = String::from("{");
        self.write_fields_v1(false, &mut out);
        out.push('}');
        out
    }

    fn write_fields_v1(&self, include_self: bool, out: &mut String) {
        let mut first = true;
        let mut sep = |out: &mut String| {
            if !std::mem::take(&mut first) {
                out.push(',');
            }
        };
        if include_self && !self.is_empty() {
            sep(out);
            out.push_str("\".\":{}");
        }
        for (pe, member, child) in self.entries() {
            sep(out);
            write_go_string(&pe.encode(), out);
            out.push_str(":{");
            if let Some(c) = child {
                c.write_fields_v1(member, out);
            }
            out.push('}');
        }
    }

    /// Parses a FieldsV1 value. Keys of unknown element types are dropped, as upstream does.
    pub fn from_fields_v1(value: &Value) -> Result<FieldSet, FieldsError> {
        let (children, _) = decode_level(value)?;
        Ok(children.unwrap_or_default())
    }

    /// Parses FieldsV1 JSON text.
    pub fn from_fields_v1_str(text: &str) -> Result<FieldSet, FieldsError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| FieldsError::Json(e.to_string()))?;
        FieldSet::from_fields_v1(&value)
    }
}

/// Decodes one level: the subset below it (if any) and whether the level is itself a member.
fn decode_level(value: &Value) -> Result<(Option<FieldSet>, bool), FieldsError> {
    let Value::Object(map) = value else {
        return Err(FieldsError::Json(format!(
            "expected an object, got {value}"
        )));
    };
    let mut is_member = false;
    let mut children: Option<FieldSet> = None;
    for (key, inner) in map {
        if key == "." {
            is_member = true;
            continue;
        }
        let Some(pe) = PathElement::decode(key)? else {
            continue;
        };
        let (grandchildren, child_is_member) = decode_level(inner)?;
        let set = children.get_or_insert_with(FieldSet::new);
        if child_is_member {
            set.members.insert(pe.clone());
        }
        if let Some(g) = grandchildren.filter(|g| !g.is_empty()) {
            set.children.insert(pe, g);
        }
    }
    if children.is_none() {
        is_member = true;
    }
    Ok((children, is_member))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn p(parts: &[&str]) -> Path {
        parts.iter().map(|s| PathElement::field(s)).collect()
    }

    fn set(paths: &[&[&str]]) -> FieldSet {
        FieldSet::from_paths(paths.iter().map(|x| p(x)))
    }

    #[test]
    fn fields_v1_round_trips_exact_bytes() {
        let cases = [
            r#"{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:app":{}}}}"#,
            r#"{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}"#,
            r#"{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
            r#"{"f:metadata":{"f:finalizers":{".":{},"v:\"finalizers.fluxcd.io\"":{}}}}"#,
            r#"{"f:spec":{"f:ports":{"k:{\"port\":9,\"protocol\":\"TCP\"}":{},"k:{\"port\":10,\"protocol\":\"TCP\"}":{}}}}"#,
            r#"{"f:a":{"f:b":{},"k:{\"x\":1}":{},"v:2":{},"i:0":{}}}"#,
            "{}",
        ];
        for text in cases {
            let parsed = FieldSet::from_fields_v1_str(text).unwrap();
            assert_eq!(parsed.to_fields_v1_string(), text);
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(parsed.to_fields_v1(), value);
            assert_eq!(FieldSet::from_fields_v1(&value).unwrap(), parsed);
        }
    }

    #[test]
    fn decoding_marks_members_and_drops_unknown_kinds() {
        let s = FieldSet::from_fields_v1(&json!({
            "f:a": {".": {}, "f:b": {}},
            "f:c": {"z:future": {}},
            "z:other": {}
        }))
        .unwrap();
        assert!(s.contains(&p(&["a"])));
        assert!(s.contains(&p(&["a", "b"])));
        assert!(s.contains(&p(&["c"])));
        assert_eq!(s.paths().len(), 3);
        assert!(FieldSet::from_fields_v1(&json!({"f:a": 1})).is_err());
        assert!(FieldSet::from_fields_v1_str("[").is_err());
    }

    #[test]
    fn set_algebra() {
        let a = set(&[&["x"], &["y", "a"], &["y", "b"]]);
        let b = set(&[&["y", "b"], &["z"]]);
        assert_eq!(
            a.union(&b),
            set(&[&["x"], &["y", "a"], &["y", "b"], &["z"]])
        );
        assert_eq!(a.intersection(&b), set(&[&["y", "b"]]));
        assert_eq!(a.difference(&b), set(&[&["x"], &["y", "a"]]));
        // A parent member does not remove children in a plain difference...
        let parent = set(&[&["y"]]);
        assert_eq!(a.difference(&parent), a);
        // ...but does in a recursive one.
        assert_eq!(a.recursive_difference(&parent), set(&[&["x"]]));
        assert!(a.difference(&a).is_empty());
        assert_eq!(a.difference(&a), FieldSet::new());
        assert!(a.intersection(&set(&[&["q", "r"]])).is_empty());
    }

    #[test]
    fn insert_ignores_the_root_and_paths_iterate_parents_first() {
        let mut s = FieldSet::new();
        s.insert(&[]);
        assert!(s.is_empty());
        s.insert(&p(&["b", "c"]));
        s.insert(&p(&["b"]));
        s.insert(&p(&["a"]));
        let printed: Vec<String> = s
            .paths()
            .iter()
            .map(|x| super::super::path_string(x))
            .collect();
        assert_eq!(printed, [".a", ".b", ".b.c"]);
        assert!(!s.contains(&[]));
    }
}
