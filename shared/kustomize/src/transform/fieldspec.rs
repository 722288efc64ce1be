//! Walking a field spec path (`spec/template/metadata/annotations`, `spec/containers[]/image`)
//! through a resource and changing what it reaches, as kustomize's fieldspec filter does.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::kustomization::FieldSpec;
use crate::resid::{Gvk, ResId};
use crate::resource::Resource;
use crate::yaml::resolve::{MAP_TAG, NULL_TAG, SEQ_TAG};
use crate::yaml::{Content, Node};

/// What kind of node to create where a path is missing (`create: true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateKind {
    Mapping,
    Sequence,
    Scalar,
}

/// A failure to follow a field spec in one object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("considering field '{path}' of object {object}: {message}")]
pub struct FieldSpecError {
    pub path: String,
    pub object: String,
    pub message: String,
}

/// Changes the node a path leads to.
pub type SetFn<'a> = &'a mut dyn FnMut(&mut Node) -> Result<(), String>;

/// kyaml's `PathSplitter`: `/`-separated, `\/` keeps a slash in a field name.
pub fn split_path(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && parts[0].is_empty() {
        parts.remove(0);
    }
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        match out.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(p);
            }
            _ => out.push(p.to_string()),
        }
    }
    out
}

/// Whether the spec's group, version and kind select this object.
pub fn selects(spec: &FieldSpec, node: &Node) -> bool {
    if spec.group.is_empty() && spec.version.is_empty() && spec.kind.is_empty() {
        return true;
    }
    let text = |key: &str| {
        node.get(key)
            .filter(|n| !n.is_null())
            .and_then(Node::scalar)
            .unwrap_or_default()
    };
    let gvk = Gvk::from_api_version(text("apiVersion"), text("kind"));
    gvk.is_selected_by(&Gvk::new(&spec.group, &spec.version, &spec.kind))
}

struct Walk<'a, 'b> {
    create: Option<(CreateKind, &'a str)>,
    set: SetFn<'b>,
}

fn empty(kind: CreateKind) -> Content {
    match kind {
        CreateKind::Mapping => Content::Mapping(Vec::new()),
        CreateKind::Sequence => Content::Sequence(Vec::new()),
        CreateKind::Scalar => Content::Scalar(String::new()),
    }
}

impl Walk<'_, '_> {
    fn filter(&mut self, node: &mut Node, path: &[String]) -> Result<(), String> {
        let Some((first, rest)) = path.split_first() else {
            return (self.set)(node);
        };
        if node.tag == NULL_TAG {
            return Ok(());
        }
        match &mut node.content {
            Content::Sequence(items) => items.iter_mut().try_for_each(|i| self.filter(i, path)),
            Content::Mapping(_) => self.map_field(node, first, rest),
            Content::Scalar(_) => Err("expected sequence or mapping node".into()),
        }
    }

    fn map_field(&mut self, node: &mut Node, first: &str, rest: &[String]) -> Result<(), String> {
        let (name, is_seq) = match first.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (first, false),
        };
        if name.is_empty() {
            return Err("cannot set or create an empty field name".into());
        }
        let (create, kind, tag) = match self.create {
            None => (None, is_seq.then_some(CreateKind::Sequence), ""),
            Some(_) if is_seq => (None, Some(CreateKind::Sequence), ""),
            Some((k, t)) if rest.is_empty() => (Some(k), Some(k), t),
            Some(_) => (
                Some(CreateKind::Mapping),
                Some(CreateKind::Mapping),
                MAP_TAG,
            ),
        };
        if node.get(name).is_none() {
            let Some(k) = create else {
                return Ok(());
            };
            let tag = match k {
                CreateKind::Mapping => MAP_TAG,
                CreateKind::Sequence => SEQ_TAG,
                CreateKind::Scalar => "",
            };
            let mut fresh = Node::mapping();
            fresh.content = empty(k);
            fresh.tag = tag.into();
            node.set(name, fresh);
        }
        let Some(field) = node.get_mut(name) else {
            return Ok(());
        };
        if let (true, Some(k)) = (field.tag == NULL_TAG, kind) {
            field.content = empty(k);
            field.tag = tag.into();
        }
        self.filter(field, rest)
    }
}

/// Applies `set` to every node `spec`'s path reaches in `node`, when the spec selects
/// the object; with `create`, missing fields on the way are created (as mappings, and
/// the last as the given kind and tag) when the spec says `create: true`.
pub fn apply(
    node: &mut Node,
    spec: &FieldSpec,
    create: Option<(CreateKind, &str)>,
    set: SetFn<'_>,
) -> Result<(), FieldSpecError> {
    if !selects(spec, node) {
        return Ok(());
    }
    let path = split_path(&spec.path);
    let create = create.filter(|_| spec.create_if_not_present);
    let mut walk = Walk { create, set };
    walk.filter(node, &path).map_err(|message| {
        let r = Resource::new(node.clone());
        let object = ResId::new(r.gvk(), &r.name(), &r.namespace()).to_string();
        FieldSpecError {
            path: spec.path.clone(),
            object,
            message,
        }
    })
}

/// kyaml's `FieldSetter` for one entry of a mapping: replaces the first entry with that
/// key, or appends one; the target must be a mapping.
pub fn set_entry(target: &mut Node, key: &str, value: Node) -> Result<(), String> {
    if !target.is_mapping() {
        return Err(format!(
            "wrong node kind: expected MappingNode but got {}",
            kind_name(target)
        ));
    }
    target.set(key, value);
    Ok(())
}

static NEXT_SHARE_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh identity for the value node of one setter run (one object, one key).
pub fn new_share_id() -> u64 {
    NEXT_SHARE_ID.fetch_add(1, Ordering::Relaxed)
}

/// kyaml's `FieldSetter` for one entry, with go-yaml's pointer sharing: a missing entry
/// gets `value` itself (so every place one run creates shares `value.share_id`); an
/// existing entry is overwritten in place, keeping its style and identity, and when that
/// identity is shared the new content is recorded in `updates` for [`propagate`].
pub fn set_shared_entry(
    target: &mut Node,
    key: &str,
    value: &Node,
    updates: &mut Vec<Node>,
) -> Result<(), String> {
    if !target.is_mapping() {
        return Err(format!(
            "wrong node kind: expected MappingNode but got {}",
            kind_name(target)
        ));
    }
    match target.get_mut(key) {
        Some(existing) => {
            let mut v = value.clone();
            v.style = existing.style;
            v.share_id = existing.share_id;
            if v.share_id != 0 {
                updates.push(v.clone());
            }
            *existing = v;
        }
        None => target.set(key, value.clone()),
    }
    Ok(())
}

/// Gives every node of `root` that shares an identity in `updates` the updated content,
/// as the in-place overwrite of a shared go-yaml node would.
pub fn propagate(root: &mut Node, updates: &[Node]) {
    if updates.is_empty() {
        return;
    }
    if root.share_id != 0
        && let Some(u) = updates.iter().rev().find(|u| u.share_id == root.share_id)
    {
        *root = u.clone();
        return;
    }
    match &mut root.content {
        Content::Mapping(entries) => entries.iter_mut().for_each(|(_, v)| propagate(v, updates)),
        Content::Sequence(items) => items.iter_mut().for_each(|i| propagate(i, updates)),
        Content::Scalar(_) => {}
    }
}

/// Sets `key` to the string `value` at every place `specs` reach in `node` (creating
/// mappings where they allow), as kustomize's label and annotation filters do.
pub fn set_string_everywhere(
    node: &mut Node,
    specs: &[FieldSpec],
    key: &str,
    value: &str,
) -> Result<(), FieldSpecError> {
    let mut v = Node::string(value);
    v.share_id = new_share_id();
    let mut updates = Vec::new();
    for spec in specs {
        let mut set = |n: &mut Node| set_shared_entry(n, key, &v, &mut updates);
        apply(node, spec, Some((CreateKind::Mapping, MAP_TAG)), &mut set)?;
    }
    propagate(node, &updates);
    Ok(())
}

fn kind_name(n: &Node) -> &'static str {
    match n.content {
        Content::Scalar(_) => "ScalarNode",
        Content::Sequence(_) => "SequenceNode",
        Content::Mapping(_) => "MappingNode",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{node_to_yaml, parse_first};

    fn fs(kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            kind: kind.into(),
            path: path.into(),
            create_if_not_present: create,
            ..FieldSpec::default()
        }
    }

    fn run(src: &str, spec: &FieldSpec) -> Result<String, String> {
        let mut node = parse_first(src).ok().flatten().expect("parses");
        let mut set = |n: &mut Node| set_entry(n, "k", Node::string("v"));
        apply(
            &mut node,
            spec,
            Some((CreateKind::Mapping, MAP_TAG)),
            &mut set,
        )
        .map_err(|e| e.to_string())?;
        node_to_yaml(&node).map_err(|e| e.to_string())
    }

    #[test]
    fn paths_create_select_and_fail() {
        let dep =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: ~\n";
        let cases: &[(&str, FieldSpec, Result<&str, &str>)] = &[
            (
                dep,
                fs("", "metadata/annotations", true),
                Ok("metadata:\n  annotations:\n    k: v\n  name: d\n"),
            ),
            (
                dep,
                fs("Deployment", "spec/template/metadata/annotations", true),
                Ok("  template:\n    metadata:\n      annotations:\n        k: v\n"),
            ),
            (
                dep,
                fs("Service", "metadata/annotations", true),
                Ok("metadata:\n  name: d\n"),
            ),
            (
                dep,
                fs("", "metadata/labels", false),
                Ok("metadata:\n  name: d\n"),
            ),
            (
                "apiVersion: v1\nkind: X\nmetadata: {name: x}\nspec: s\n",
                fs("", "spec/a", true),
                Err("expected sequence or mapping node"),
            ),
            (
                "apiVersion: v1\nkind: X\nmetadata: {name: x}\nl: [{a: {}}, {a: {}}]\n",
                fs("", "l/a", false),
                Ok("l:\n- a:\n    k: v\n- a:\n    k: v\n"),
            ),
        ];
        for (src, spec, want) in cases {
            match (run(src, spec), want) {
                (Ok(out), Ok(w)) => assert!(out.contains(w), "{}: {out}", spec.path),
                (Err(e), Err(w)) => assert!(e.contains(w), "{}: {e}", spec.path),
                (got, _) => panic!("{}: {got:?}", spec.path),
            }
        }
    }

    #[test]
    fn created_values_are_shared_and_overwrites_propagate() {
        let src = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels: {own: x}\nspec: {}\n";
        let mut node = parse_first(src).ok().flatten().expect("parses");
        let all = [
            fs("", "metadata/labels", true),
            fs("", "spec/selector/matchLabels", true),
        ];
        let meta = [fs("", "metadata/labels", true)];
        let run = |node: &mut Node, specs: &[FieldSpec], k: &str, v: &str| {
            set_string_everywhere(node, specs, k, v).expect("sets");
        };
        run(&mut node, &all, "app", "a");
        run(&mut node, &all, "own", "o");
        run(&mut node, &meta, "app", "b");
        run(&mut node, &meta, "own", "p");
        let out = node_to_yaml(&node).expect("prints");
        let cases = [
            ("  labels:\n    app: b\n    own: p\n", true),
            ("    matchLabels:\n      app: b\n      own: o\n", true),
        ];
        for (want, present) in cases {
            assert_eq!(out.contains(want), present, "{want}\n{out}");
        }
    }

    #[test]
    fn path_splitting() {
        assert_eq!(split_path("a/b\\/c/d"), ["a", "b/c", "d"]);
        assert_eq!(split_path("/a/b"), ["a", "b"]);
    }
}
