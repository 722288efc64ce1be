//! YAML as kustomize reads and prints it.
//!
//! Reading follows go-yaml v3 (what kyaml uses): [`parse`] builds [`Node`] trees with v3's
//! tags. Printing follows what `kustomize build` really does to each resource,
//! `JSONToYAML(json.Marshal(node))`: [`to_value`] turns a node into the data that survives
//! that trip and [`to_yaml`] writes it as go-yaml v2 does.

mod emit;
pub mod gostr;
mod keysort;
mod node;
mod parse;
mod quirks;
pub mod resolve;
mod unicode_tables;
mod v2json;
mod value;

pub use emit::to_yaml;
pub use keysort::less as key_less;
pub use node::{Content, Node, Style};
pub use parse::{MAX_DEPTH, MAX_NODES, YamlError, parse_all, parse_first};
pub use v2json::to_json_v2;
pub use value::{Value, ValueError, json_string, to_value};

/// Prints a resource node exactly as `kustomize build` prints it.
pub fn node_to_yaml(node: &Node) -> Result<String, ValueError> {
    Ok(to_yaml(&to_value(node)?))
}
