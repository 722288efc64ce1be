//! A kustomization's own OpenAPI (swagger 2) schema (`openapi: {path: ...}`): resource
//! types found by `x-kubernetes-group-version-kind`, fields by `properties` (or
//! `additionalProperties`), `$ref`s resolved, and the patch strategy extensions.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value as J;

use crate::yaml;

const GVK_KEY: &str = "x-kubernetes-group-version-kind";
const STRATEGY_KEY: &str = "x-kubernetes-patch-strategy";
const MERGE_KEY: &str = "x-kubernetes-patch-merge-key";
const MAP_KEYS: &str = "x-kubernetes-list-map-keys";

/// Why a schema file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schema file: {0}")]
pub struct SchemaError(pub String);

/// A parsed custom schema.
#[derive(Debug, PartialEq)]
pub struct CustomSchema {
    doc: J,
    by_type: HashMap<(String, String), String>,
}

/// A place in a custom schema: a JSON pointer to a schema object, `$ref`s resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Pointer {
    schema: Rc<CustomSchema>,
    ptr: String,
}

impl Eq for Pointer {}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

impl CustomSchema {
    /// Reads a schema file (JSON, or YAML).
    pub fn parse(text: &str) -> Result<Rc<CustomSchema>, SchemaError> {
        let doc = if text.starts_with('{') {
            serde_json::from_str(text).map_err(|e| SchemaError(e.to_string()))?
        } else {
            let node = yaml::parse_first(text)
                .map_err(|e| SchemaError(e.to_string()))?
                .unwrap_or_else(yaml::Node::null);
            yaml::to_json_v2(&node).map_err(SchemaError)?
        };
        let mut by_type = HashMap::new();
        if let Some(defs) = doc.get("definitions").and_then(J::as_object) {
            for (name, d) in defs {
                let Some(J::Array(gvks)) = d.get(GVK_KEY) else {
                    continue;
                };
                let [gvk] = gvks.as_slice() else {
                    continue;
                };
                let part = |k: &str| gvk.get(k).and_then(J::as_str).unwrap_or_default();
                let av = if part("group").is_empty() {
                    part("version").to_string()
                } else {
                    format!("{}/{}", part("group"), part("version"))
                };
                by_type.insert(
                    (av, part("kind").to_string()),
                    format!("/definitions/{}", escape(name)),
                );
            }
        }
        Ok(Rc::new(CustomSchema { doc, by_type }))
    }

    /// The schema of a resource type.
    pub fn for_type(self: &Rc<Self>, api_version: &str, kind: &str) -> Option<Pointer> {
        let ptr = self
            .by_type
            .get(&(api_version.to_string(), kind.to_string()))?;
        Some(Pointer {
            schema: Rc::clone(self),
            ptr: ptr.clone(),
        })
    }

    /// Follows `$ref`s from a pointer.
    fn resolve(&self, mut ptr: String) -> Option<String> {
        for _ in 0..64 {
            let node = self.doc.pointer(&ptr)?;
            match node.get("$ref").and_then(J::as_str) {
                Some(r) => ptr = r.strip_prefix('#')?.to_string(),
                None => return Some(ptr),
            }
        }
        None
    }
}

impl Pointer {
    fn node(&self) -> Option<&J> {
        self.schema.doc.pointer(&self.ptr)
    }

    fn at(&self, ptr: String) -> Option<Pointer> {
        Some(Pointer {
            ptr: self.schema.resolve(ptr)?,
            schema: Rc::clone(&self.schema),
        })
    }

    pub fn field(&self, name: &str) -> Option<Pointer> {
        let node = self.node()?;
        if node.get("properties").and_then(|p| p.get(name)).is_some() {
            return self.at(format!("{}/properties/{}", self.ptr, escape(name)));
        }
        match node.get("additionalProperties") {
            Some(J::Object(_)) => self.at(format!("{}/additionalProperties", self.ptr)),
            _ => None,
        }
    }

    pub fn elements(&self) -> Option<Pointer> {
        let node = self.node()?;
        let is_array = match node.get("type") {
            Some(J::String(t)) => t == "array",
            Some(J::Array(t)) => t.len() == 1 && t[0] == "array",
            _ => false,
        };
        if !is_array || node.get("items").is_none() {
            return None;
        }
        self.at(format!("{}/items", self.ptr))
    }

    /// kyaml's merge strategy test and `PatchStrategyAndKeyList`.
    pub fn merge_keys(&self) -> Option<Vec<String>> {
        let node = self.node()?;
        let strategy = node.get(STRATEGY_KEY).and_then(J::as_str)?;
        if !strategy.split(',').any(|s| s == "merge") {
            return None;
        }
        if let Some(J::Array(keys)) = node.get(MAP_KEYS) {
            return Some(
                keys.iter()
                    .filter_map(J::as_str)
                    .map(str::to_string)
                    .collect(),
            );
        }
        Some(
            node.get(MERGE_KEY)
                .and_then(J::as_str)
                .map(|k| vec![k.to_string()])
                .unwrap_or_default(),
        )
    }
}

/// kyaml's process-wide schema choice, kept per build: the first kustomization that
/// names a schema sets it, except the top one, which always does.
#[derive(Debug, Default)]
pub struct OpenApiState {
    set: bool,
    pub custom: Option<Rc<CustomSchema>>,
}

/// The only built-in Kubernetes schema version kustomize v5.5 has.
pub const BUILTIN_VERSION: &str = "v1.21.2";

impl OpenApiState {
    /// kyaml's `SetSchema` for a kustomization's `openapi` field; `text` is the file
    /// its `path` names.
    pub fn set(
        &mut self,
        field: Option<&std::collections::BTreeMap<String, String>>,
        text: Option<&str>,
        reset: bool,
    ) -> Result<(), SchemaError> {
        if self.set && !reset {
            return Ok(());
        }
        let version = field.and_then(|f| f.get("version"));
        if let Some(text) = text {
            if version.is_some() {
                return Err(SchemaError(
                    "builtin version and custom schema provided, cannot use both".into(),
                ));
            }
            self.custom = Some(CustomSchema::parse(text)?);
            self.set = true;
            return Ok(());
        }
        match version.map(String::as_str) {
            None | Some("") => Ok(()),
            Some(BUILTIN_VERSION) => {
                self.custom = None;
                self.set = true;
                Ok(())
            }
            Some(_) => Err(SchemaError(
                "the specified OpenAPI version is not built in".into(),
            )),
        }
    }
}
