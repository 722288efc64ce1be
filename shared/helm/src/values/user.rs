//! The values a user passes (Helm's `values.Options.MergeValues`): -f files merged in order,
//! then --set-json, --set, --set-string, --set-file, --set-literal.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::yaml::{load_values, merge_maps};
use crate::strvals;

/// User-supplied values, in the order Helm applies them.
#[derive(Debug, Clone, Default)]
pub struct UserValues {
    pub value_files: Vec<PathBuf>,
    pub json_values: Vec<String>,
    pub values: Vec<String>,
    pub string_values: Vec<String>,
    pub file_values: Vec<String>,
}

/// User values Helm would refuse, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValuesError(pub String);

fn read_file(path: &str) -> Result<String, String> {
    match std::fs::read(path) {
        Ok(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("open {path}: no such file or directory"))
        }
        Err(e) => Err(format!("open {path}: {e}")),
    }
}

impl UserValues {
    /// Merges every source into one map.
    pub fn merge(&self) -> Result<Map<String, Value>, ValuesError> {
        let mut base = Map::new();
        for path in &self.value_files {
            let shown = path.display().to_string();
            let raw = read_file(&shown).map_err(ValuesError)?;
            // Read lossily above for --set-file's sake; a values file that is not UTF-8
            // fails as go-yaml's reader fails on it.
            if let Ok(bytes) = std::fs::read(path) {
                crate::yaml::check_utf8(&bytes).map_err(|e| {
                    ValuesError(format!(
                        "failed to parse {shown}: cannot unmarshal yaml document: {e}"
                    ))
                })?;
            }
            let current = load_values(&raw)
                .map_err(|e| ValuesError(format!("failed to parse {shown}: {e}")))?;
            base = merge_maps(base, current);
        }
        for value in &self.json_values {
            let trimmed = value.trim();
            if trimmed.starts_with('{') {
                let parsed: Result<Map<String, Value>, _> = serde_json::from_str(trimmed);
                let Ok(m) = parsed else {
                    return Err(ValuesError(format!(
                        "failed parsing --set-json data JSON: {value}"
                    )));
                };
                let m = match strvals::float_numbers(Value::Object(m)) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                base = merge_maps(base, m);
            } else if strvals::parse_json(value, &mut base).is_err() {
                return Err(ValuesError(format!(
                    "failed parsing --set-json data {value}"
                )));
            }
        }
        for value in &self.values {
            strvals::parse_into(value, &mut base)
                .map_err(|e| ValuesError(format!("failed parsing --set data: {e}")))?;
        }
        for value in &self.string_values {
            strvals::parse_into_string(value, &mut base)
                .map_err(|e| ValuesError(format!("failed parsing --set-string data: {e}")))?;
        }
        for value in &self.file_values {
            strvals::parse_into_file(value, &mut base, &read_file)
                .map_err(|e| ValuesError(format!("failed parsing --set-file data: {e}")))?;
        }
        Ok(base)
    }
}
