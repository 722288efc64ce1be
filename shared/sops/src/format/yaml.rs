//! YAML documents, read as go-yaml v3 reads them (fluxion-kustomize's parser, key order kept);
//! every document is a branch, the metadata is the first document's `sops` key; written back
//! as sops writes YAML (see `yaml_emit`).

use super::yaml_comments::{self, Comment, Placement};
use crate::tree::Node;
use fluxion_kustomize::yaml::{self, Content, Node as YamlNode, resolve::Scalar};

/// Deeper nesting than go-yaml accepts is refused before it can exhaust the stack.
const MAX_DEPTH: usize = 1000;

/// Conversion state: the comments placed per collection, and the next collection's number
/// (collections are numbered in pre-order, as `yaml_comments` numbers them).
struct Ctx {
    comments: Placement,
    next: usize,
}

impl Ctx {
    /// The comments of the next collection, in line order.
    fn take(&mut self) -> std::vec::IntoIter<(f64, String)> {
        let mut mine = std::mem::take(self.comments.get_mut(self.next).unwrap_or(&mut Vec::new()));
        self.next += 1;
        mine.sort_by(|a, b| a.0.total_cmp(&b.0));
        mine.into_iter()
    }
}

/// Moves the comments placed before `line` into `out`.
fn comments_before(
    comments: &mut std::iter::Peekable<std::vec::IntoIter<(f64, String)>>,
    line: u32,
    mut push: impl FnMut(Node),
) {
    while let Some((_, text)) = comments.next_if(|(at, _)| *at < f64::from(line)) {
        push(Node::Comment(text));
    }
}

fn scalar(node: &YamlNode, s: &str) -> Result<Node, String> {
    let (_, scalar) = yaml::resolve::resolve_tagged(&node.tag, s).map_err(|e| e.to_string())?;
    Ok(match scalar {
        Scalar::Null => Node::Null,
        Scalar::Bool(b) => Node::Bool(b),
        Scalar::Int(i) => Node::Int(i),
        Scalar::Uint(u) => Node::Uint(u),
        Scalar::Float(f) => Node::Float(f),
        Scalar::Timestamp(ts) => Node::Str(ts.rfc3339_nano()),
        Scalar::Str => Node::Str(s.to_string()),
    })
}

/// A node as go-yaml v3 decodes it into Go values (what sops holds): resolved scalars,
/// timestamps as v3 prints them back, comments where sops keeps them.
fn convert(node: &YamlNode, depth: usize, ctx: &mut Ctx) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err("document nested too deeply".into());
    }
    match &node.content {
        Content::Scalar(s) => scalar(node, s),
        Content::Sequence(items) => {
            let mut comments = ctx.take().peekable();
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                comments_before(&mut comments, item.line, |c| out.push(c));
                out.push(convert(item, depth + 1, ctx)?);
            }
            out.extend(comments.map(|(_, text)| Node::Comment(text)));
            Ok(Node::Seq(out))
        }
        Content::Mapping(entries) => {
            let mut comments = ctx.take().peekable();
            let mut out: Vec<(String, Node)> = Vec::with_capacity(entries.len());
            let mut seen = std::collections::HashSet::new();
            for (k, v) in entries {
                let key = k.scalar().ok_or("a mapping key is not a string")?;
                if !seen.insert(key) {
                    return Err(format!("mapping key '{key}' already defined"));
                }
                comments_before(&mut comments, k.line, |c| out.push((String::new(), c)));
                out.push((key.to_string(), convert(v, depth + 1, ctx)?));
            }
            out.extend(comments.map(|(_, text)| (String::new(), Node::Comment(text))));
            Ok(Node::Map(out))
        }
    }
}

/// The comments of document `index`: those after the separator that opens it and before
/// the next document's.
fn document_comments(
    comments: &[Comment],
    separators: &[u32],
    docs: usize,
    index: usize,
) -> Vec<Comment> {
    // Either every document follows a `---`, or the first one has none.
    let offset = docs.saturating_sub(separators.len());
    let start = |i: usize| {
        if i < offset {
            0
        } else {
            separators.get(i - offset).copied().unwrap_or(u32::MAX)
        }
    };
    let (from, to) = (
        start(index),
        if index + 1 < docs {
            start(index + 1)
        } else {
            u32::MAX
        },
    );
    comments
        .iter()
        .filter(|c| c.line > from && c.line < to)
        .cloned()
        .collect()
}

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let docs = yaml::parse_all(text).map_err(|e| e.to_string())?;
    let (comments, separators) = yaml_comments::scan(text);
    let mut sops = None;
    let mut branches = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let mine = document_comments(&comments, &separators, docs.len(), i);
        let mut ctx = Ctx {
            comments: yaml_comments::place(doc, &mine),
            next: 0,
        };
        let mut node = match convert(doc, 0, &mut ctx)? {
            // An empty document (`---` alone) is an empty branch to sops.
            Node::Null => Node::Map(Vec::new()),
            map @ Node::Map(_) => map,
            _ => return Err("YAML documents that are not mappings are not supported".into()),
        };
        let meta = node.take("sops");
        if sops.is_none() {
            sops = meta;
        }
        branches.push(node);
    }
    Ok((sops, branches))
}

pub(super) fn emit(branches: &[Node]) -> Vec<u8> {
    super::yaml_emit::documents(branches).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_must_be_mappings() {
        let (sops, branches) = load("a: 1\nsops:\n  mac: x\n---\n").unwrap();
        assert!(sops.is_some());
        // A trailing `---` opens an empty document, as go-yaml v3 reads it (sops prints `{}`).
        assert_eq!(branches.len(), 2);
        assert!(load("- a\n").is_err());
        assert!(load("a: 1\na: 2\n").is_err());
        let (_, branches) = load("a: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(branches.len(), 3);
        assert_eq!(
            super::super::yaml_emit::documents(&branches),
            "a: 1\n---\n{}\n---\nb: 2\n"
        );
    }
}
