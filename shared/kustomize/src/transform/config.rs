//! The transformer configuration (kustomize's `TransformerConfig`): which field specs each
//! built-in transformer uses, merged from the defaults, `configurations` files and `crds`.
//!
//! A build carries one configuration in its [`ResMap`](crate::resmap::ResMap): each
//! kustomization merges its own into it, and a parent merges its children's.

use serde::{Deserialize, Serialize};

use super::{crds, defaults, nameref_config, prefix};
use crate::build::BuildError;
use crate::build::sort::{DEFAULT_ORDER_FIRST, DEFAULT_ORDER_LAST};
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

/// kustomize's `Gvk.IsLessThan` as a sort key: kinds kustomize orders first or last,
/// then `group_version_kind` with `~G`, `~V`, `~K` for empty parts.
fn gvk_key(g: &Gvk) -> (i64, String) {
    let rank = if let Some(i) = DEFAULT_ORDER_LAST.iter().position(|k| *k == g.kind) {
        1 + i as i64
    } else if let Some(i) = DEFAULT_ORDER_FIRST.iter().position(|k| *k == g.kind) {
        i as i64 - DEFAULT_ORDER_FIRST.len() as i64
    } else {
        0
    };
    let or = |s: &str, d: &str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    let text = format!(
        "{}_{}_{}",
        or(&g.group, "~G"),
        or(&g.version, "~V"),
        or(&g.kind, "~K")
    );
    (rank, text)
}

/// kustomize's `sortFields` after every parse and merge. The order matters: a merge keeps
/// the first of two specs for one path when the later one's kinds select the earlier
/// one's, so a kind-specific spec sorted first hides a generic one in later merges.
fn sort_specs(specs: &mut [FieldSpec]) {
    specs.sort_by_cached_key(|s| gvk_key(&spec_gvk(s)));
}

/// kustomize's sort of `nameReference` entries by the kind they name. Its order decides
/// which target a field naming objects of several kinds (an HPA's scaleTargetRef) is
/// matched with first.
pub fn sort_back_refs(refs: &mut [NameBackReference]) {
    refs.sort_by_cached_key(|r| gvk_key(&r.gvk()));
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
        let mut c = TransformConfig {
            name_prefix: prefix::name_field_specs(),
            name_suffix: prefix::name_field_specs(),
            namespace: defaults::namespace(),
            common_labels: defaults::common_labels(),
            labels: Vec::new(),
            template_labels: defaults::template_labels(),
            common_annotations: defaults::common_annotations(),
            name_reference: nameref_config::default_back_refs(),
            var_reference: crate::vars::default_var_reference(),
            images: defaults::images(),
            replicas: defaults::replicas(),
        };
        c.sort();
        c
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
        let mut c: TransformConfig =
            serde_json::from_value(json).map_err(|e| ConfigError::Decode(format!("json: {e}")))?;
        c.sort();
        Ok(c)
    }

    /// kustomize's `sortFields`.
    pub fn sort(&mut self) {
        for specs in [
            &mut self.name_prefix,
            &mut self.name_suffix,
            &mut self.namespace,
            &mut self.common_labels,
            &mut self.labels,
            &mut self.template_labels,
            &mut self.common_annotations,
            &mut self.var_reference,
            &mut self.images,
            &mut self.replicas,
        ] {
            sort_specs(specs);
        }
        sort_back_refs(&mut self.name_reference);
    }

    /// kustomize's `TransformerConfig.Merge`.
    pub fn merge(&self, other: &TransformConfig) -> Result<TransformConfig, ConfigError> {
        let m = |name: &'static str, a: &[FieldSpec], b: &[FieldSpec]| {
            merge_all(a, b).map_err(|Conflicting| ConfigError::Conflict(name))
        };
        let mut merged = TransformConfig {
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
        };
        merged.sort();
        Ok(merged)
    }
}

fn load_text(fsys: &dyn FileSystem, loader: &Loader, path: &str) -> Result<String, BuildError> {
    let bytes = loader.load(fsys, path)?;
    String::from_utf8(bytes)
        .map_err(|_| BuildError::Invalid(format!("{path}: yaml: invalid UTF-8 octet sequence")))
}

/// The accumulated configuration after a kustomization added its own: the defaults merged
/// with its `configurations` files (kustomize's `MakeTransformerConfig`), then its `crds`
/// (`LoadConfigFromCRDs`), each merged into `accumulated` in turn.
pub fn for_kustomization(
    fsys: &dyn FileSystem,
    loader: &Loader,
    k: &Kustomization,
    accumulated: &TransformConfig,
) -> Result<TransformConfig, BuildError> {
    let invalid = |e: ConfigError| BuildError::Invalid(e.to_string());
    let mut custom = TransformConfig::default();
    for path in &k.configurations {
        let one = TransformConfig::parse(&load_text(fsys, loader, path)?).map_err(invalid)?;
        custom = custom.merge(&one).map_err(invalid)?;
    }
    let own = TransformConfig::defaults()
        .merge(&custom)
        .map_err(invalid)?;
    let config = accumulated.merge(&own).map_err(invalid)?;
    let mut crd_config = TransformConfig::default();
    for path in &k.crds {
        let one = crds::config_from_crd(&load_text(fsys, loader, path)?).map_err(|e| {
            BuildError::Invalid(format!(
                "unable to parse open API definition from '{path}': {e}"
            ))
        })?;
        crd_config = crd_config.merge(&one).map_err(invalid)?;
    }
    config.merge(&crd_config).map_err(invalid)
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
    fn sorted_specific_spec_hides_generic_in_later_merges() {
        let own = TransformConfig {
            common_annotations: vec![fs("", "metadata/annotations", true)],
            ..TransformConfig::default()
        };
        let custom = TransformConfig {
            common_annotations: vec![fs("Service", "metadata/annotations", true)],
            ..TransformConfig::default()
        };
        let merged = own.merge(&custom).expect("merges");
        let kinds = |c: &TransformConfig| -> Vec<String> {
            c.common_annotations
                .iter()
                .map(|s| s.kind.clone())
                .collect()
        };
        assert_eq!(kinds(&merged), ["Service", ""]);
        let parent = TransformConfig::default().merge(&merged).expect("merges");
        assert_eq!(kinds(&parent), ["Service"]);
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
