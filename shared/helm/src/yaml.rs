//! YAML and JSON as Helm reads and writes them (`sigs.k8s.io/yaml` and `encoding/json`).
//!
//! Reading is `sigs.k8s.io/yaml.Unmarshal`: the first YAML document is decoded by go-yaml v2
//! (YAML 1.1, so `yes`, `on` and even a key `n` are booleans), turned into JSON and decoded by
//! encoding/json, so every number becomes a float64. Writing is `yaml.Marshal`:
//! `json.Marshal` then go-yaml v2's emitter, byte for byte; fluxion-kustomize owns that
//! parser and emitter and this module feeds them template [`Value`]s. JSON has its own
//! decoder here because Helm prints Go's exact syntax errors into templates; TOML
//! (`toToml`/`fromToml`) follows BurntSushi/toml.

mod decode;
mod encode;
mod json_decode;
mod syntax;
mod toml;
mod toml_check;

use crate::template::{Dict, Value};

pub use decode::{
    first_node, from_yaml, from_yaml_array, from_yaml_map, go_float32_text, scalar_of,
};
pub use encode::{to_json, to_json_indent, to_kustomize_value, to_yaml};
pub use fluxion_kustomize::yaml::resolve::Scalar;
pub use json_decode::{from_json, from_json_array, from_json_map};
pub use toml::{from_toml, to_toml};

/// A decoding or encoding failure, worded exactly as Helm's Go code words it (this text
/// lands inside rendered templates through fromYaml's `Error` key).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Error(pub String);

impl Error {
    fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}

/// go-yaml's reader errors for bytes that are not UTF-8 (text that is passes: the decoders
/// check it), worded as sigs.k8s.io/yaml reports them.
pub fn check_utf8(data: &[u8]) -> Result<(), Error> {
    if std::str::from_utf8(data).is_ok() {
        return Ok(());
    }
    syntax::first_document_bytes(data)
        .map(|_| ())
        .map_err(|e| Error::new(format!("error converting YAML to JSON: yaml: {e}")))
}

/// Helm's `fromYaml`: the document as a map; on failure the map holds the error text under
/// `Error` (beside anything decoded before it).
pub fn helm_from_yaml(text: &str) -> Dict {
    from_yaml_map(text).unwrap_or_else(|e| error_dict(&e))
}

/// Helm's `fromJson`, with the same error convention as [`helm_from_yaml`].
pub fn helm_from_json(text: &str) -> Dict {
    json_decode::helm_map(text)
}

fn error_dict(e: &Error) -> Dict {
    let d = Dict::new();
    d.insert("Error", Value::from(e.0.as_str()));
    d
}

#[cfg(test)]
mod tests;
