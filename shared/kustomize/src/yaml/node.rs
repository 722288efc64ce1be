//! The YAML node tree resources live in while kustomize works on them (kyaml's RNode).
//!
//! A node keeps what go-yaml v3 keeps and kustomize's output depends on: kind, the resolved
//! or explicit tag, the scalar text and its style. Aliases are already expanded and merge
//! keys applied (kustomize de-anchors every resource it reads); comments are not kept
//! because `kustomize build` never prints them.

use super::resolve::{self, Flavor, MAP_TAG, NULL_TAG, SEQ_TAG, STR_TAG};

/// How a scalar was written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// The payload of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Scalar(String),
    Sequence(Vec<Node>),
    /// Key/value pairs in source order; duplicates are kept (go-yaml keeps them too).
    Mapping(Vec<(Node, Node)>),
}

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub content: Content,
    /// Short tag as go-yaml v3 sets it: resolved (`!!str`, `!!int`, `!!map`, ...) or explicit.
    pub tag: String,
    pub style: Style,
    /// The tag was written in the source (go-yaml's `TaggedStyle`).
    pub tagged: bool,
    /// A collection written in flow style (`{}` / `[]`); go-yaml keeps the style when
    /// kustomize re-serializes, and that changes how empty values read back.
    pub flow: bool,
    /// 1-based position in the source, 0 for nodes built in code.
    pub line: u32,
    pub column: u32,
    /// Non-zero when go-yaml would hold this node by a pointer shared with other places
    /// of the same object: kyaml's `SetEntry` appends one value node wherever a
    /// transformer creates a field, so a later in-place overwrite of one place changes
    /// them all (see `transform::fieldspec::set_shared_entry`).
    pub share_id: u64,
}

impl Node {
    fn new(content: Content, tag: &str) -> Node {
        Node {
            content,
            tag: tag.to_string(),
            style: Style::Plain,
            tagged: false,
            flow: false,
            line: 0,
            column: 0,
            share_id: 0,
        }
    }

    /// A string scalar (kyaml's `NewStringRNode`).
    pub fn string(s: impl Into<String>) -> Node {
        Node::new(Content::Scalar(s.into()), STR_TAG)
    }

    /// A plain scalar whose tag is resolved from its text, as if it had been parsed.
    pub fn plain(s: impl Into<String>) -> Node {
        let s = s.into();
        let tag = resolve::resolve_plain(Flavor::V3, &s).0;
        Node::new(Content::Scalar(s), tag)
    }

    /// A `null` scalar.
    pub fn null() -> Node {
        Node::new(Content::Scalar("null".into()), NULL_TAG)
    }

    pub fn mapping() -> Node {
        Node::new(Content::Mapping(Vec::new()), MAP_TAG)
    }

    pub fn sequence() -> Node {
        Node::new(Content::Sequence(Vec::new()), SEQ_TAG)
    }

    pub fn is_mapping(&self) -> bool {
        matches!(self.content, Content::Mapping(_))
    }

    pub fn is_sequence(&self) -> bool {
        matches!(self.content, Content::Sequence(_))
    }

    /// The text of a scalar, `None` for collections.
    pub fn scalar(&self) -> Option<&str> {
        match &self.content {
            Content::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A null scalar (`~`, `null`, empty, or tagged `!!null`).
    pub fn is_null(&self) -> bool {
        self.tag == NULL_TAG
    }

    /// kyaml's `IsNilOrEmpty`: null, or an empty mapping or sequence.
    pub fn is_null_or_empty(&self) -> bool {
        match &self.content {
            Content::Scalar(_) => self.is_null(),
            Content::Sequence(v) => v.is_empty(),
            Content::Mapping(v) => v.is_empty(),
        }
    }

    /// go-yaml's `indicatedString`: a scalar that is a string whatever its text.
    pub fn is_indicated_string(&self) -> bool {
        matches!(self.content, Content::Scalar(_))
            && (self.tag == STR_TAG || (!self.tagged && self.style != Style::Plain))
    }

    /// The value of the first entry whose key is `key` (kyaml's `Field`).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.content {
            Content::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.content {
            Content::Mapping(entries) => entries
                .iter_mut()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node at a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The scalar text at a path, if the path ends at a scalar.
    pub fn get_str(&self, path: &[&str]) -> Option<&str> {
        self.get_path(path).and_then(Node::scalar)
    }

    /// Sets `key` to `value`, replacing the first entry with that key or appending one.
    /// A new key is a plain scalar whose tag comes from its text, as kyaml creates keys
    /// (so a key `"1"` made here reads back as an int, as in kustomize). Does nothing on
    /// a non-mapping.
    pub fn set(&mut self, key: &str, value: Node) {
        if let Content::Mapping(entries) = &mut self.content {
            match entries.iter_mut().find(|(k, _)| k.scalar() == Some(key)) {
                Some((_, v)) => *v = value,
                None => entries.push((Node::plain(key), value)),
            }
        }
    }

    /// Removes every entry with this key, returning the first removed value.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let Content::Mapping(entries) = &mut self.content else {
            return None;
        };
        let mut removed = None;
        entries.retain_mut(|(k, v)| {
            if k.scalar() != Some(key) {
                return true;
            }
            if removed.is_none() {
                removed = Some(std::mem::replace(v, Node::null()));
            }
            false
        });
        removed
    }

    /// The mapping at `path`, created (as empty mappings) where missing or null.
    /// Returns `None` when something on the path is not a mapping.
    pub fn ensure_mapping(&mut self, path: &[&str]) -> Option<&mut Node> {
        let mut cur = self;
        for key in path {
            if !cur.is_mapping() {
                return None;
            }
            let missing = cur.get(key).is_none_or(Node::is_null);
            if missing {
                cur.set(key, Node::mapping());
            }
            cur = cur.get_mut(key)?;
        }
        cur.is_mapping().then_some(cur)
    }

    /// Entries of a mapping (empty for other kinds).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.content {
            Content::Mapping(e) => e,
            _ => &[],
        }
    }

    /// Items of a sequence (empty for other kinds).
    pub fn items(&self) -> &[Node] {
        match &self.content {
            Content::Sequence(v) => v,
            _ => &[],
        }
    }

    /// A mapping of string keys to string values, as kyaml's `GetLabels` reads one:
    /// keys and values are taken as their text, null as "".
    pub fn string_map(&self) -> Vec<(String, String)> {
        self.entries()
            .iter()
            .map(|(k, v)| (text_or_empty(k), text_or_empty(v)))
            .collect()
    }
}

fn text_or_empty(n: &Node) -> String {
    if n.is_null() {
        String::new()
    } else {
        n.scalar().unwrap_or_default().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_remove() {
        let mut m = Node::mapping();
        m.set("a", Node::string("1"));
        m.set("b", Node::plain("2"));
        m.set("a", Node::string("3"));
        assert_eq!(m.get_str(&["a"]), Some("3"));
        assert_eq!(m.get("b").map(|n| n.tag.as_str()), Some("!!int"));
        assert_eq!(m.entries().len(), 2);
        assert!(m.remove("a").is_some());
        assert!(m.get("a").is_none());
    }

    #[test]
    fn ensure_mapping_creates_path() {
        let mut m = Node::mapping();
        m.set("metadata", Node::null());
        let labels = m.ensure_mapping(&["metadata", "labels"]);
        assert!(labels.is_some());
        assert!(
            m.get_path(&["metadata", "labels"])
                .is_some_and(Node::is_mapping)
        );
        m.set("spec", Node::string("x"));
        assert!(m.ensure_mapping(&["spec", "template"]).is_none());
    }
}
