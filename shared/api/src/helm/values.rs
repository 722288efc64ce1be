//! Where a release's values come from (`spec.valuesFrom`, then `spec.values`), and Flux's
//! deep merge of value maps.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The data key read when `valuesKey` is unset.
pub const DEFAULT_VALUES_KEY: &str = "values.yaml";

/// The kinds values can be read from.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum ValuesKind {
    #[default]
    Secret,
    ConfigMap,
}

impl ValuesKind {
    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Secret => "Secret",
            Self::ConfigMap => "ConfigMap",
        }
    }
}

/// A Secret or ConfigMap key holding values, merged at the root or at a path.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValuesReference {
    /// Kind of the object holding the values.
    pub kind: ValuesKind,
    /// With `targetPath`: set the value verbatim, without Helm's `--set` parsing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub literal: bool,
    /// Name of the object, in the HelmRelease's namespace.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Ignore a missing object (other errors still fail the reconcile).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// Dot-notation path the single value is set at; the values merge at the root when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 250),
        regex(pattern = r"^([a-zA-Z0-9_\-.\\\/]|\[[0-9]{1,5}\])+$")
    )]
    pub target_path: Option<String>,
    /// The data key; `values.yaml` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253), regex(pattern = r"^[\-._a-zA-Z0-9]+$"))]
    pub values_key: Option<String>,
}

impl ValuesReference {
    /// The data key to read, `values.yaml` when unset.
    pub fn values_key(&self) -> &str {
        match self.values_key.as_deref() {
            Some(key) if !key.is_empty() => key,
            _ => DEFAULT_VALUES_KEY,
        }
    }

    /// The path the value is set at, when it is not merged as a YAML document at the root.
    pub fn target_path(&self) -> Option<&str> {
        self.target_path.as_deref().filter(|p| !p.is_empty())
    }

    /// Whether the referenced data is a values document deep-merged at the root.
    pub fn merges_at_root(&self) -> bool {
        self.target_path().is_none()
    }

    /// Whether the value is set at `targetPath` verbatim (`--set-literal`) rather than parsed
    /// with `--set` syntax.
    pub fn is_literal(&self) -> bool {
        self.literal && self.target_path().is_some()
    }
}

/// Flux's deep merge: keys of `overlay` win, except that two maps under the same key are
/// merged recursively.
pub fn merge_values(
    mut base: Map<String, Value>,
    overlay: Map<String, Value>,
) -> Map<String, Value> {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(incoming)) => {
                let merged = merge_values(std::mem::take(existing), incoming);
                *existing = merged;
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn values_key_and_target_path_defaults() {
        let mut r = ValuesReference {
            kind: ValuesKind::ConfigMap,
            name: "vals".into(),
            ..Default::default()
        };
        assert_eq!(r.values_key(), "values.yaml");
        assert!(r.merges_at_root());
        assert!(!r.is_literal());
        r.literal = true;
        assert!(
            !r.is_literal(),
            "literal has no effect without a target path"
        );
        r.target_path = Some("a.b".into());
        r.values_key = Some("file".into());
        assert_eq!(r.values_key(), "file");
        assert!(!r.merges_at_root());
        assert!(r.is_literal());
        assert_eq!(r.kind.as_str(), "ConfigMap");
    }

    #[test]
    fn merge_is_deep_for_maps_only() {
        let base = obj(json!({"a": {"b": 1, "c": [1, 2]}, "d": "x", "e": {"f": 1}}));
        let overlay = obj(json!({"a": {"c": [3], "g": true}, "d": {"nested": 1}, "e": null}));
        let merged = merge_values(base, overlay);
        assert_eq!(
            Value::Object(merged),
            json!({"a": {"b": 1, "c": [3], "g": true}, "d": {"nested": 1}, "e": null})
        );
    }
}
