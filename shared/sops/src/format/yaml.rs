//! YAML documents, read as go-yaml v3 reads them (fluxion-kustomize's parser, key order kept);
//! every document is a branch, the metadata is the first document's `sops` key; written back
//! as sops writes YAML (see `yaml_emit`).

use crate::tree::Node;
use fluxion_kustomize::yaml::{self, Content, Node as YamlNode, resolve::Scalar};

/// Deeper nesting than go-yaml accepts is refused before it can exhaust the stack.
const MAX_DEPTH: usize = 1000;

/// A node as go-yaml v3 decodes it into Go values (what sops holds): resolved scalars,
/// timestamps as v3 prints them back.
fn convert(node: &YamlNode, depth: usize) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err("document nested too deeply".into());
    }
    match &node.content {
        Content::Scalar(s) => {
            let (_, scalar) =
                yaml::resolve::resolve_tagged(&node.tag, s).map_err(|e| e.to_string())?;
            Ok(match scalar {
                Scalar::Null => Node::Null,
                Scalar::Bool(b) => Node::Bool(b),
                Scalar::Int(i) => Node::Int(i),
                Scalar::Uint(u) => Node::Uint(u),
                Scalar::Float(f) => Node::Float(f),
                Scalar::Timestamp(ts) => Node::Str(ts.rfc3339_nano()),
                Scalar::Str => Node::Str(s.clone()),
            })
        }
        Content::Sequence(items) => items
            .iter()
            .map(|i| convert(i, depth + 1))
            .collect::<Result<_, _>>()
            .map(Node::Seq),
        Content::Mapping(entries) => {
            let mut out: Vec<(String, Node)> = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let key = k.scalar().ok_or("a mapping key is not a string")?;
                if out.iter().any(|(seen, _)| seen == key) {
                    return Err(format!("mapping key '{key}' already defined"));
                }
                out.push((key.to_string(), convert(v, depth + 1)?));
            }
            Ok(Node::Map(out))
        }
    }
}

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let docs = yaml::parse_all(text).map_err(|e| e.to_string())?;
    let mut sops = None;
    let mut branches = Vec::new();
    for doc in docs {
        let mut node = match convert(&doc, 0)? {
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
