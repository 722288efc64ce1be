//! One Kubernetes object being built, and kustomize's rules for reading objects from a file.

use crate::resid::{Gvk, ResId};
use crate::yaml::{self, Node};

/// What a generated resource does when one with its id already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Behavior {
    #[default]
    Create,
    Merge,
    Replace,
}

/// A resource: its YAML tree plus what kustomize tracks beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub node: Node,
    /// Ids the resource had before renames (prefix/suffix, hash), oldest first; name
    /// reference fixing and vars use them.
    pub previous_ids: Vec<ResId>,
    /// Generated resources whose name gets a content hash suffix.
    pub needs_hash: bool,
    pub behavior: Behavior,
    /// Name prefixes and suffixes added so far, innermost first (kustomize's
    /// `prefixes`/`suffixes` build annotations); name references use them to choose
    /// between candidates.
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
}

/// Why objects cannot be read from a file's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResourceError {
    #[error("MalformedYAMLError: {0}")]
    Malformed(#[from] yaml::YamlError),
    #[error("invalid document separator: {0}")]
    Separator(String),
    #[error("missing Resource metadata")]
    MissingMetadata,
    #[error("missing kind in object {0}")]
    MissingKind(String),
    #[error("missing metadata.name in object {0}")]
    MissingName(String),
    #[error("trouble expanding list of {kind}; {message}")]
    List { kind: String, message: String },
    #[error("expected array in {0}/items")]
    ListItems(String),
}

impl ResourceError {
    /// kustomize reports malformed YAML without trying the path as a directory.
    pub fn is_malformed(&self) -> bool {
        matches!(
            self,
            ResourceError::Malformed(_) | ResourceError::Separator(_)
        )
    }
}

/// kyaml's `GetValue`: the text of a scalar, "" for null or collections.
fn value_of(n: Option<&Node>) -> String {
    match n {
        Some(n) if !n.is_null() => n.scalar().unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

impl Resource {
    pub fn new(node: Node) -> Resource {
        Resource {
            node,
            previous_ids: Vec::new(),
            needs_hash: false,
            behavior: Behavior::Create,
            prefixes: Vec::new(),
            suffixes: Vec::new(),
        }
    }

    pub fn api_version(&self) -> String {
        value_of(self.node.get("apiVersion"))
    }

    pub fn kind(&self) -> String {
        value_of(self.node.get("kind"))
    }

    /// `metadata.name` as kyaml reads it (the raw scalar text).
    pub fn name(&self) -> String {
        self.node
            .get_path(&["metadata", "name"])
            .filter(|n| !n.is_null_or_empty())
            .and_then(Node::scalar)
            .unwrap_or_default()
            .to_string()
    }

    pub fn namespace(&self) -> String {
        value_of(self.node.get_path(&["metadata", "namespace"]))
    }

    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(&self.api_version(), &self.kind())
    }

    /// The id the resource has now.
    pub fn cur_id(&self) -> ResId {
        ResId::new(self.gvk(), &self.name(), &self.namespace())
    }

    /// The id the resource was first read with.
    pub fn orig_id(&self) -> ResId {
        self.previous_ids
            .first()
            .cloned()
            .unwrap_or_else(|| self.cur_id())
    }

    /// Records the current id before a rename, as kustomize's `StorePreviousId` (which
    /// keeps the effective namespace).
    pub fn store_previous_id(&mut self) {
        let id = self.cur_id();
        let ns = id.effective_namespace().to_string();
        self.previous_ids.push(ResId::new(id.gvk, &id.name, &ns));
    }

    /// Sets `metadata.name` to a string.
    pub fn set_name(&mut self, name: &str) {
        if let Some(meta) = self.node.ensure_mapping(&["metadata"]) {
            meta.set("name", Node::string(name));
        }
    }

    /// `metadata.labels` as strings.
    pub fn labels(&self) -> Vec<(String, String)> {
        self.node
            .get_path(&["metadata", "labels"])
            .map(Node::string_map)
            .unwrap_or_default()
    }

    /// `metadata.annotations` as strings.
    pub fn annotations(&self) -> Vec<(String, String)> {
        self.node
            .get_path(&["metadata", "annotations"])
            .map(Node::string_map)
            .unwrap_or_default()
    }

    /// Sets one annotation, creating `metadata.annotations` if needed.
    pub fn set_annotation(&mut self, key: &str, value: &str) {
        if let Some(m) = self.node.ensure_mapping(&["metadata", "annotations"]) {
            m.set(key, Node::string(value));
        }
    }

    /// Removes one annotation, and the annotations map when it becomes empty.
    pub fn remove_annotation(&mut self, key: &str) {
        let Some(meta) = self.node.get_mut("metadata") else {
            return;
        };
        if let Some(ann) = meta.get_mut("annotations") {
            ann.remove(key);
            if ann.entries().is_empty() {
                meta.remove("annotations");
            }
        }
    }

    /// The text kustomize prints for this resource.
    pub fn to_yaml(&self) -> Result<String, yaml::ValueError> {
        yaml::node_to_yaml(&self.node)
    }
}

/// kyaml's `splitDocuments`: documents are separated by lines starting with `---`, which
/// may be followed by spaces and a comment only.
pub fn split_documents(text: &str) -> Result<Vec<String>, ResourceError> {
    let mut docs = Vec::new();
    if text.is_empty() {
        return Ok(docs);
    }
    let mut prev = 0;
    let mut search = 0;
    while let Some(off) = text[search..].find("\n---") {
        let start = search + off;
        let Some(eol) = text[start + 4..].find('\n') else {
            break;
        };
        let end = start + 4 + eol + 1;
        let rest = text[start + 4..end - 1].trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Err(ResourceError::Separator(
                text[start + 1..end - 1].trim().to_string(),
            ));
        }
        docs.push(text[prev..start].to_string());
        prev = end;
        search = end;
    }
    docs.push(text[prev..].to_string());
    Ok(docs)
}

#[path = "resource_read.rs"]
mod read;
pub use read::{from_bytes, from_file_bytes, validate};

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
