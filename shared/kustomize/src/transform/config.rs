//! The transformer configuration (kustomize's `TransformerConfig`): which field specs each
//! built-in transformer uses, merged from the defaults, `configurations` files and `crds`.
//!
//! A build carries one configuration in its [`ResMap`](crate::resmap::ResMap): each
//! kustomization merges its own into it, and a parent merges its children's.

use serde::{Deserialize, Serialize};

use super::{crds, defaults};
use crate::build::BuildError;
use crate::fs::FileSystem;
use crate::kustomization::{FieldSpec, Kustomization};
use crate::loader::Loader;
use crate::resid::Gvk;
use crate::yaml;

/// Two field specs for the same kinds and path disagree on `create`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("failed to merge {0} fieldSpec: conflicting fieldspecs")]
    Conflict(&'static str),
    #[error("error unmarshaling JSON: while decoding JSON: {0}")]
    Decode(String),
}

/// kustomize's `conflicting fieldspecs`: same kinds and path, different `create`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("conflicting fieldspecs")]
pub struct Conflicting;

/// The kinds whose names a set of fields refers to (kustomize's `NameBackReferences`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NameBackReference {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, rename = "fieldSpecs", skip_serializing_if = "Vec::is_empty")]
    pub referrers: Vec<FieldSpec>,
}

impl NameBackReference {
    pub fn gvk(&self) -> Gvk {
        Gvk::new(&self.group, &self.version, &self.kind)
    }
}

/// Field specs per transformer, as a configurations file spells them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TransformConfig {
    #[serde(default)]
    pub name_prefix: Vec<FieldSpec>,
    #[serde(default)]
    pub name_suffix: Vec<FieldSpec>,
    #[serde(default, rename = "namespace")]
    pub namespace: Vec<FieldSpec>,
    #[serde(default)]
    pub common_labels: Vec<FieldSpec>,
    #[serde(default)]
    pub labels: Vec<FieldSpec>,
    #[serde(default)]
    pub template_labels: Vec<FieldSpec>,
    #[serde(default)]
    pub common_annotations: Vec<FieldSpec>,
    #[serde(default)]
    pub name_reference: Vec<NameBackReference>,
    #[serde(default)]
    pub var_reference: Vec<FieldSpec>,
    #[serde(default)]
    pub images: Vec<FieldSpec>,
    #[serde(default)]
    pub replicas: Vec<FieldSpec>,
}

fn spec_gvk(s: &FieldSpec) -> Gvk {
    Gvk::new(&s.group, &s.version, &s.kind)
}

/// kustomize's `FsSlice.MergeOne`: a spec already present (same path, and the present
/// one's kinds selected by the new one's) is skipped, unless `create` disagrees.
pub fn merge_one(specs: &mut Vec<FieldSpec>, x: &FieldSpec) -> Result<(), Conflicting> {
    let present = specs
        .iter()
        .find(|s| s.path == x.path && spec_gvk(s).is_selected_by(&spec_gvk(x)));
    match present {
        Some(s) if s.create_if_not_present != x.create_if_not_present => Err(Conflicting),
        Some(_) => Ok(()),
        None => {
            specs.push(x.clone());
            Ok(())
        }
    }
}

/// kustomize's `FsSlice.MergeAll`.
pub fn merge_all(
    specs: &[FieldSpec],
    incoming: &[FieldSpec],
) -> Result<Vec<FieldSpec>, Conflicting> {
    let mut out = specs.to_vec();
    incoming.iter().try_for_each(|x| merge_one(&mut out, x))?;
    Ok(out)
}

fn merge_refs(
    refs: &[NameBackReference],
    incoming: &[NameBackReference],
) -> Result<Vec<NameBackReference>, Conflicting> {
    let mut out = refs.to_vec();
    for other in incoming {
        let mut found = false;
        for r in out.iter_mut().filter(|r| r.gvk() == other.gvk()) {
            r.referrers = merge_all(&r.referrers, &other.referrers)?;
            found = true;
        }
        if !found {
            out.push(other.clone());
        }
    }
    Ok(out)
}

impl TransformConfig {
    /// kustomize's default configuration (`MakeDefaultConfig`).
    pub fn defaults() -> TransformConfig {
        TransformConfig {
            // namePrefix, nameSuffix, nameReference and varReference defaults come
            // with their transformers.
            name_prefix: Vec::new(),
            name_suffix: Vec::new(),
            namespace: defaults::namespace(),
            common_labels: defaults::common_labels(),
            labels: Vec::new(),
            template_labels: defaults::template_labels(),
            common_annotations: defaults::common_annotations(),
            name_reference: Vec::new(),
            var_reference: Vec::new(),
            images: defaults::images(),
            replicas: defaults::replicas(),
        }
    }

    /// Reads a configurations file strictly, as kustomize's `makeTransformerConfigFromBytes`.
    pub fn parse(text: &str) -> Result<TransformConfig, ConfigError> {
        let Some(node) = yaml::parse_first(text).map_err(|e| ConfigError::Decode(e.to_string()))?
        else {
            return Ok(TransformConfig::default());
        };
        let json = yaml::to_json_v2(&node).map_err(ConfigError::Decode)?;
        if json.is_null() {
            return Ok(TransformConfig::default());
        }
        serde_json::from_value(json).map_err(|e| ConfigError::Decode(format!("json: {e}")))
    }

    /// kustomize's `TransformerConfig.Merge`.
    pub fn merge(&self, other: &TransformConfig) -> Result<TransformConfig, ConfigError> {
        let m = |name: &'static str, a: &[FieldSpec], b: &[FieldSpec]| {
            merge_all(a, b).map_err(|Conflicting| ConfigError::Conflict(name))
        };
        Ok(TransformConfig {
            name_prefix: m("NamePrefix", &self.name_prefix, &other.name_prefix)?,
            name_suffix: m("NameSuffix", &self.name_suffix, &other.name_suffix)?,
            namespace: m("NameSpace", &self.namespace, &other.namespace)?,
            common_annotations: m(
                "CommonAnnotations",
                &self.common_annotations,
                &other.common_annotations,
            )?,
            common_labels: m("CommonLabels", &self.common_labels, &other.common_labels)?,
            labels: m("Labels", &self.labels, &other.labels)?,
            template_labels: m(
                "TemplateLabels",
                &self.template_labels,
                &other.template_labels,
            )?,
            var_reference: m("VarReference", &self.var_reference, &other.var_reference)?,
            name_reference: merge_refs(&self.name_reference, &other.name_reference)
                .map_err(|Conflicting| ConfigError::Conflict("NameReference"))?,
            images: m("Images", &self.images, &other.images)?,
            replicas: m("Replicas", &self.replicas, &other.replicas)?,
        })
    }
}

fn load_text(fsys: &dyn FileSystem, loader: &Loader, path: &str) -> Result<String, BuildError> {
    let bytes = loader.load(fsys, path)?;
    String::from_utf8(bytes)
        .map_err(|_| BuildError::Invalid(format!("{path}: yaml: invalid UTF-8 octet sequence")))
}

/// A kustomization's own configuration: the defaults merged with its `configurations`
/// files (kustomize's `MakeTransformerConfig`), then its `crds` (`LoadConfigFromCRDs`).
pub fn for_kustomization(
    fsys: &dyn FileSystem,
    loader: &Loader,
    k: &Kustomization,
) -> Result<TransformConfig, BuildError> {
    let invalid = |e: ConfigError| BuildError::Invalid(e.to_string());
    let mut custom = TransformConfig::default();
    for path in &k.configurations {
        let one = TransformConfig::parse(&load_text(fsys, loader, path)?).map_err(invalid)?;
        custom = custom.merge(&one).map_err(invalid)?;
    }
    let mut config = TransformConfig::defaults()
        .merge(&custom)
        .map_err(invalid)?;
    for path in &k.crds {
        let one = crds::config_from_crd(&load_text(fsys, loader, path)?).map_err(|e| {
            BuildError::Invalid(format!(
                "unable to parse open API definition from '{path}': {e}"
            ))
        })?;
        config = config.merge(&one).map_err(invalid)?;
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            kind: kind.into(),
            path: path.into(),
            create_if_not_present: create,
            ..FieldSpec::default()
        }
    }

    #[test]
    fn merge_one_skips_selected_and_refuses_conflicts() {
        let base = vec![fs("Deployment", "a", true)];
        let cases: &[(FieldSpec, Option<usize>)] = &[
            (fs("Deployment", "a", true), Some(1)),
            (fs("", "a", true), Some(1)),
            (fs("", "a", false), None),
            (fs("Service", "a", false), Some(2)),
            (fs("Deployment", "b", false), Some(2)),
        ];
        for (x, want) in cases {
            let got = merge_all(&base, std::slice::from_ref(x))
                .ok()
                .map(|v| v.len());
            assert_eq!(got, *want, "{x:?}");
        }
    }

    #[test]
    fn parse_is_strict_and_accepts_empty() {
        assert_eq!(TransformConfig::parse(""), Ok(TransformConfig::default()));
        assert!(TransformConfig::parse("foo: []\n").is_err());
        assert!(TransformConfig::parse("images:\n- path: a\n  bogus: 1\n").is_err());
        let c = TransformConfig::parse("nameReference:\n- kind: X\n  fieldSpecs:\n  - path: a\n")
            .expect("parses");
        assert_eq!(c.name_reference[0].referrers[0].path, "a");
    }
}
