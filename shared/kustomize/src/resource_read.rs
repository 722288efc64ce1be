//! Reading objects from a file's bytes as kustomize's resource factory does
//! (`kio.FromBytes`, `dropBadNodes`, `inlineAnyEmbeddedLists`).

use std::collections::VecDeque;

use super::{Resource, ResourceError, split_documents};
use crate::yaml::{self, Node, Value};

fn meta_text(n: &Node) -> String {
    let get = |p: &[&str]| n.get_str(p).unwrap_or_default().to_string();
    format!(
        "{{apiVersion: {}, kind: {}, name: {}, namespace: {}}}",
        get(&["apiVersion"]),
        get(&["kind"]),
        get(&["metadata", "name"]),
        get(&["metadata", "namespace"])
    )
}

/// kyaml's `GetValidatedMetadata`: a kind, and a name unless the kind is a list.
pub fn validate(node: &Node) -> Result<(), ResourceError> {
    let r = Resource::new(node.clone());
    let has = |k: &str| node.get(k).is_some_and(|v| !v.is_null_or_empty());
    let meta = node.get("metadata").filter(|m| !m.is_null_or_empty());
    if !node.is_mapping() || (!has("apiVersion") && !has("kind") && meta.is_none()) {
        return Err(ResourceError::MissingMetadata);
    }
    let kind = r.kind();
    if kind.is_empty() {
        return Err(ResourceError::MissingKind(meta_text(node)));
    }
    if !kind.ends_with("List") && r.name().is_empty() {
        return Err(ResourceError::MissingName(meta_text(node)));
    }
    Ok(())
}

/// The documents of one file as kio's `ByteReader` yields them, lists unwrapped when the
/// file is a single `List`/`ResourceList` document.
fn read_nodes(text: &str) -> Result<Vec<Node>, ResourceError> {
    let text = text.replace("\r\n", "\n");
    let values = split_documents(&text)?;
    let single = values.len() == 1;
    let mut out = Vec::new();
    let last = values.len().saturating_sub(1);
    for (i, mut doc) in values.into_iter().enumerate() {
        if i != last {
            doc.push('\n');
        }
        let Some(node) = yaml::parse_first(&doc)? else {
            if doc.lines().any(|l| l.starts_with('%')) {
                // The `---` after a directive was taken as a separator: go-yaml then
                // finds a directive with no document.
                let e = yaml::YamlError {
                    line: 1,
                    message: "did not find expected <document start>".into(),
                };
                return Err(e.into());
            }
            continue;
        };
        if node.is_null() {
            continue;
        }
        let kind = node.get_str(&["kind"]).unwrap_or_default();
        let wrapped = single
            && node.is_mapping()
            && (kind == "List" || kind == "ResourceList")
            && (node.get("items").is_some() || node.get("functionConfig").is_some());
        if wrapped {
            out.extend(
                node.get("items")
                    .map(|i| i.items().to_vec())
                    .unwrap_or_default(),
            );
            continue;
        }
        out.push(node);
    }
    Ok(out)
}

/// `dropBadNodes`: skip empty documents, refuse objects without kind or name.
fn drop_bad(nodes: Vec<Node>) -> Result<Vec<Node>, ResourceError> {
    let mut out = Vec::with_capacity(nodes.len());
    for n in nodes {
        if n.is_null_or_empty() {
            continue;
        }
        validate(&n)?;
        out.push(n);
    }
    Ok(out)
}

/// Items of a `FooList`, each through JSON and back as kustomize converts them.
fn list_items(node: &Node, kind: &str) -> Result<Option<Vec<Node>>, ResourceError> {
    let list_err = |message: String| ResourceError::List {
        kind: kind.to_string(),
        message,
    };
    let value = yaml::to_value(node).map_err(|e| list_err(e.to_string()))?;
    let Value::Map(entries) = value else {
        return Ok(None);
    };
    let Some((_, items)) = entries.into_iter().find(|(k, _)| k == "items") else {
        return Ok(None);
    };
    match items {
        Value::Null => Ok(Some(Vec::new())),
        Value::Seq(items) => {
            let mut out = Vec::new();
            for item in &items {
                out.extend(drop_bad(read_nodes_of_value(item))?);
            }
            Ok(Some(out))
        }
        _ => Err(ResourceError::ListItems(kind.to_string())),
    }
}

/// A JSON object re-read by `kio.FromBytes` (a single document, so lists unwrap).
fn read_nodes_of_value(v: &Value) -> Vec<Node> {
    let node = v.to_node();
    if node.is_null() {
        return Vec::new();
    }
    let kind = node.get_str(&["kind"]).unwrap_or_default().to_string();
    if node.is_mapping()
        && (kind == "List" || kind == "ResourceList")
        && node.get("items").is_some()
    {
        return node
            .get("items")
            .map(|i| i.items().to_vec())
            .unwrap_or_default();
    }
    vec![node]
}

/// Reads every object of a file, which must be UTF-8 as go-yaml requires.
pub fn from_file_bytes(bytes: &[u8]) -> Result<Vec<Resource>, ResourceError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        yaml::YamlError {
            line,
            message: "invalid UTF-8 octet sequence".into(),
        }
    })?;
    from_bytes(text)
}

/// Reads every object of a file's text, as kustomize's `SliceFromBytes`.
pub fn from_bytes(text: &str) -> Result<Vec<Resource>, ResourceError> {
    let nodes = drop_bad(read_nodes(text)?)?;
    let mut queue: VecDeque<Node> = nodes.into();
    let mut out = Vec::new();
    while let Some(n) = queue.pop_front() {
        let kind = n.get_str(&["kind"]).unwrap_or_default().to_string();
        if !kind.ends_with("List") {
            out.push(Resource::new(n));
            continue;
        }
        match list_items(&n, &kind)? {
            None => out.push(Resource::new(n)),
            Some(items) => queue.extend(items),
        }
    }
    Ok(out)
}
