//! `namePrefix` and `nameSuffix`: kustomize's PrefixTransformer and SuffixTransformer
//! with their default field specs and the kinds they never rename.

use super::fieldspec::{self, CreateKind};
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{FieldSpec, Kustomization};
use crate::resid::Gvk;
use crate::resmap::ResMap;
use crate::yaml::resolve::{self, Flavor, STR_TAG};
use crate::yaml::{Content, Node, Style};

/// Kinds whose names neither a prefix nor a suffix changes.
fn skipped(gvk: &Gvk) -> bool {
    [
        Gvk::new("", "", "CustomResourceDefinition"),
        Gvk::new("apiregistration.k8s.io", "", "APIService"),
        Gvk::new("", "", "Namespace"),
    ]
    .iter()
    .any(|s| gvk.is_selected_by(s))
}

/// Where names are: kustomize's default `namePrefix`/`nameSuffix` field specs.
pub fn name_field_specs() -> Vec<FieldSpec> {
    vec![FieldSpec {
        path: "metadata/name".into(),
        ..FieldSpec::default()
    }]
}

/// Replaces a scalar's text as kyaml's `FieldSetter` does: an untagged node keeping the
/// old style, so a plain value is resolved again from its new text.
pub fn replace_scalar(node: &mut Node, text: &str) -> Result<(), String> {
    if !matches!(node.content, Content::Scalar(_)) {
        let kind = if node.is_mapping() {
            "MappingNode"
        } else {
            "SequenceNode"
        };
        return Err(format!(
            "wrong node kind: expected ScalarNode but got {kind}"
        ));
    }
    node.content = Content::Scalar(text.to_string());
    node.tagged = false;
    node.tag = if node.style == Style::Plain {
        resolve::resolve_plain(Flavor::V3, text).0.to_string()
    } else {
        STR_TAG.to_string()
    };
    Ok(())
}

#[derive(Clone, Copy)]
enum Side {
    Prefix,
    Suffix,
}

fn affix(side: Side, value: &str, resources: &mut ResMap) -> Result<(), BuildError> {
    let specs = match side {
        Side::Prefix => resources.config.name_prefix.clone(),
        Side::Suffix => resources.config.name_suffix.clone(),
    };
    for r in resources.resources_mut() {
        let org = r.orig_id();
        if skipped(&org.gvk) {
            continue;
        }
        for spec in &specs {
            let sel = Gvk::new(&spec.group, &spec.version, &spec.kind);
            if !org.gvk.is_selected_by(&sel) {
                continue;
            }
            if spec.path == "metadata/name" {
                match side {
                    Side::Prefix => r.prefixes.push(value.to_string()),
                    Side::Suffix => r.suffixes.push(value.to_string()),
                }
                r.store_previous_id();
            }
            let mut set = |n: &mut Node| {
                let old = n.scalar().unwrap_or_default().to_string();
                let new = match side {
                    Side::Prefix => format!("{value}{old}"),
                    Side::Suffix => format!("{old}{value}"),
                };
                replace_scalar(n, &new)
            };
            fieldspec::apply(
                &mut r.node,
                spec,
                Some((CreateKind::Scalar, STR_TAG)),
                &mut set,
            )
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
        }
    }
    Ok(())
}

pub struct NamePrefix;

impl Transformer for NamePrefix {
    fn field(&self) -> &'static str {
        "namePrefix"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.name_prefix.is_empty()
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        affix(Side::Prefix, &ctx.kustomization.name_prefix, resources)
    }
}

pub struct NameSuffix;

impl Transformer for NameSuffix {
    fn field(&self) -> &'static str {
        "nameSuffix"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.name_suffix.is_empty()
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        affix(Side::Suffix, &ctx.kustomization.name_suffix, resources)
    }
}
