//! Reading a kustomization file: finding it, strict decoding, kustomize's fixes and checks,
//! and Flux's generated kustomization for directories that have none.

mod types;

pub use types::*;

use serde_json::Value as J;

use crate::fs::{self, FileSystem};
use crate::yaml;

/// The names kustomize looks for, in its order.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
pub const KUSTOMIZATION_KIND: &str = "Kustomization";
pub const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";
pub const COMPONENT_KIND: &str = "Component";

/// Problems with a kustomization file, worded as kustomize words them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KustomizationError {
    #[error(
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{0}'"
    )]
    Missing(String),
    #[error("Found multiple kustomization files under: {0}")]
    Multiple(String),
    #[error("invalid Kustomization: {0}")]
    Invalid(String),
    #[error("kustomization.yaml is empty")]
    Empty,
    #[error("Failed to read kustomization file under {dir}:\n{problems}")]
    Fields { dir: String, problems: String },
}

/// A loaded kustomization and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub kustomization: Kustomization,
    /// File name within the directory (`kustomization.yaml`, ...).
    pub file_name: String,
    /// Warnings kustomize prints on stderr for deprecated fields.
    pub warnings: Vec<String>,
}

/// Finds the kustomization file of a directory: `Ok(None)` when there is none.
pub fn find_file(fsys: &dyn FileSystem, dir: &str) -> Result<Option<String>, KustomizationError> {
    let found: Vec<&str> = FILE_NAMES
        .iter()
        .copied()
        .filter(|n| fsys.read_file(&fs::join(dir, n)).is_ok())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).to_string())),
        _ => Err(KustomizationError::Multiple(dir.to_string())),
    }
}

/// Go's encoding/json matches field names case-insensitively; kustomize then refuses
/// fields it does not know.
fn canonical_keys(
    obj: serde_json::Map<String, J>,
) -> Result<serde_json::Map<String, J>, KustomizationError> {
    let mut out = serde_json::Map::new();
    for (k, v) in obj {
        let name = if FIELDS.contains(&k.as_str()) {
            k
        } else if let Some(f) = FIELDS.iter().find(|f| f.eq_ignore_ascii_case(&k)) {
            (*f).to_string()
        } else {
            return Err(KustomizationError::Invalid(format!(
                "json: unknown field \"{k}\""
            )));
        };
        if !v.is_null() {
            out.insert(name, v);
        }
    }
    Ok(out)
}

/// kustomize's `CheckEmpty`: every field at its Go zero value (an empty list is not).
fn is_empty(obj: &serde_json::Map<String, J>) -> bool {
    obj.iter()
        .filter(|(k, _)| *k != "kind" && *k != "apiVersion")
        .all(|(_, v)| match v {
            J::Null => true,
            J::String(s) => s.is_empty(),
            J::Bool(b) => !b,
            J::Number(n) => n.as_f64() == Some(0.0),
            J::Array(_) | J::Object(_) => false,
        })
}

/// Strips null values at every depth: Go leaves a field alone when JSON gives `null`.
fn drop_nulls(v: J) -> J {
    match v {
        J::Object(m) => J::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
        ),
        J::Array(a) => J::Array(a.into_iter().map(drop_nulls).collect()),
        other => other,
    }
}

/// Decodes kustomization text as kustomize's `Kustomization.Unmarshal` does.
pub fn parse(text: &str) -> Result<Kustomization, KustomizationError> {
    let node = yaml::parse_first(text)
        .map_err(|e| KustomizationError::Invalid(e.to_string()))?
        .unwrap_or_else(yaml::Node::mapping);
    let json = yaml::to_json_v2(&node).map_err(KustomizationError::Invalid)?;
    let obj = match json {
        J::Object(m) => m,
        J::Null => serde_json::Map::new(),
        other => {
            let what = match other {
                J::Array(_) => "array",
                J::String(_) => "string",
                J::Bool(_) => "bool",
                _ => "number",
            };
            return Err(KustomizationError::Invalid(format!(
                "json: cannot unmarshal {what} into Go value of type types.Kustomization"
            )));
        }
    };
    let obj = canonical_keys(obj)?;
    let k = serde_json::from_value(drop_nulls(J::Object(obj.clone())))
        .map_err(|e| KustomizationError::Invalid(format!("json: {e}")))?;
    if is_empty(&obj) {
        return Err(KustomizationError::Empty);
    }
    Ok(k)
}

const FIX_HINT: &str = "Run 'kustomize edit fix' to update your Kustomization automatically.";

/// kustomize's `CheckDeprecatedFields`.
pub fn deprecation_warnings(k: &Kustomization) -> Vec<String> {
    let mut w = Vec::new();
    let mut warn = |used: bool, old: &str, new: &str, hint: &str| {
        if used {
            w.push(format!(
                "# Warning: '{old}' is deprecated. Please use '{new}' instead. {hint}"
            ));
        }
    };
    warn(k.bases.is_some(), "bases", "resources", FIX_HINT);
    warn(
        k.common_labels.is_some(),
        "commonLabels",
        "labels",
        FIX_HINT,
    );
    warn(k.image_tags.is_some(), "imageTags", "images", FIX_HINT);
    warn(
        k.patches_json6902.is_some(),
        "patchesJson6902",
        "patches",
        FIX_HINT,
    );
    warn(
        k.patches_strategic_merge.is_some(),
        "patchesStrategicMerge",
        "patches",
        FIX_HINT,
    );
    warn(
        k.vars.is_some(),
        "vars",
        "replacements",
        &format!("[EXPERIMENTAL] {FIX_HINT}"),
    );
    w
}

/// kustomize's `FixKustomization`: defaults for kind and apiVersion, deprecated fields
/// folded into their successors.
pub fn fix(k: &mut Kustomization) {
    if k.kind.is_empty() {
        k.kind = KUSTOMIZATION_KIND.into();
    }
    if k.api_version.is_empty() {
        k.api_version = if k.kind == COMPONENT_KIND {
            COMPONENT_VERSION.into()
        } else {
            KUSTOMIZATION_VERSION.into()
        };
    }
    if let Some(bases) = k.bases.take() {
        k.resources.extend(bases);
    }
    if let Some(tags) = k.image_tags.take() {
        k.images.extend(tags);
    }
    for g in &mut k.config_map_generator {
        if !g.env.is_empty() {
            g.envs.push(std::mem::take(&mut g.env));
        }
    }
    for g in &mut k.secret_generator {
        if !g.env.is_empty() {
            g.envs.push(std::mem::take(&mut g.env));
        }
    }
}

/// kustomize's `EnforceFields`: kind and apiVersion must be kustomize's own.
pub fn enforce_fields(k: &Kustomization) -> Vec<String> {
    let mut errs = Vec::new();
    if !k.kind.is_empty() && k.kind != KUSTOMIZATION_KIND && k.kind != COMPONENT_KIND {
        errs.push(format!(
            "kind should be {KUSTOMIZATION_KIND} or {COMPONENT_KIND}"
        ));
    }
    let required = if k.kind == COMPONENT_KIND {
        COMPONENT_VERSION
    } else {
        KUSTOMIZATION_VERSION
    };
    if !k.api_version.is_empty() && k.api_version != required {
        errs.push(format!("apiVersion for {} should be {required}", k.kind));
    }
    errs
}

/// Loads and checks the kustomization of a directory, as kustomize's `KustTarget.Load`.
pub fn load(dir: &str, text: &str, file_name: &str) -> Result<Loaded, KustomizationError> {
    let mut k = parse(text)?;
    let warnings = deprecation_warnings(&k);
    fix(&mut k);
    let errs = enforce_fields(&k);
    if !errs.is_empty() {
        return Err(KustomizationError::Fields {
            dir: dir.to_string(),
            problems: errs.join("\n"),
        });
    }
    Ok(Loaded {
        kustomization: k,
        file_name: file_name.to_string(),
        warnings,
    })
}

#[path = "generate.rs"]
mod generate;
pub use generate::generate_for_dir;

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
