//! YAML documents, read as go-yaml v3 reads them (fluxion-kustomize's parser, key order kept);
//! every document is a branch, the metadata is the first document's `sops` key.

use crate::tree::Node;
use fluxion_kustomize::yaml::{self, Value};

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let docs = yaml::parse_all(text).map_err(|e| e.to_string())?;
    let mut sops = None;
    let mut branches = Vec::new();
    for doc in docs {
        let value = yaml::to_value(&doc).map_err(|e| e.to_string())?;
        let mut node = Node::from(value);
        if !matches!(node, Node::Map(_)) {
            return Err("a document is not a mapping".into());
        }
        let meta = node.take("sops");
        if sops.is_none() {
            sops = meta;
        }
        branches.push(node);
    }
    Ok((sops, branches))
}

pub(super) fn emit(branches: &[Node]) -> Vec<u8> {
    let docs: Vec<String> = branches
        .iter()
        .map(|b| yaml::to_yaml(&Value::from(b)))
        .collect();
    docs.join("---\n").into_bytes()
}
