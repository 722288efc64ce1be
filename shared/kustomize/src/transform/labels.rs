//! `labels` and `commonLabels`: kustomize's LabelTransformer, once per `labels` entry and
//! once for `commonLabels`, with the field specs kustomize gives each.
//!
//! A `labels` entry goes to `metadata/labels` plus its own `fields` and the configured
//! `labels` specs; `includeTemplates` adds pod template labels, `includeSelectors` the
//! whole `commonLabels` table (selectors and templates). `commonLabels` uses that table.

use super::config::{TransformConfig, merge_all, merge_one};
use super::fieldspec;
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{FieldSpec, Kustomization, Label, StringMap};
use crate::resmap::ResMap;

pub struct Labels;

/// The field specs of one `labels` entry (kustomize's LabelTransformer configurator).
pub fn label_specs(label: &Label, tc: &TransformConfig) -> Result<Vec<FieldSpec>, BuildError> {
    let fail = |_| BuildError::Invalid("failed to merge labels: conflicting fieldspecs".into());
    let mut specs = merge_all(&label.field_specs, &tc.labels).map_err(fail)?;
    if label.include_selectors {
        return merge_all(&specs, &tc.common_labels).map_err(fail);
    }
    if label.include_templates {
        specs = merge_all(&specs, &tc.template_labels).map_err(|_| {
            BuildError::Invalid("failed to merge template fieldSpec: conflicting fieldspecs".into())
        })?;
    }
    let meta = FieldSpec {
        path: "metadata/labels".into(),
        create_if_not_present: true,
        ..FieldSpec::default()
    };
    merge_one(&mut specs, &meta).map_err(fail)?;
    Ok(specs)
}

/// Sets every pair at every place the specs reach, in every resource.
pub fn apply_labels(
    resources: &mut ResMap,
    pairs: &StringMap,
    specs: &[FieldSpec],
) -> Result<(), BuildError> {
    if pairs.is_empty() {
        return Ok(());
    }
    for r in resources.resources_mut() {
        for (key, value) in pairs {
            fieldspec::set_string_everywhere(&mut r.node, specs, key, value)
                .map_err(|e| BuildError::Invalid(e.to_string()))?;
        }
    }
    Ok(())
}

impl Transformer for Labels {
    fn field(&self) -> &'static str {
        "labels"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.labels.is_empty() || k.common_labels.as_ref().is_some_and(|m| !m.is_empty())
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let k = ctx.kustomization;
        let tc = resources.config.clone();
        // kustomize configures every entry before running any.
        let specs = k
            .labels
            .iter()
            .map(|l| label_specs(l, &tc))
            .collect::<Result<Vec<_>, _>>()?;
        for (label, specs) in k.labels.iter().zip(&specs) {
            apply_labels(resources, &label.pairs, specs)?;
        }
        if let Some(common) = &k.common_labels {
            apply_labels(resources, common, &tc.common_labels)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(label: &Label) -> Result<Vec<String>, BuildError> {
        let tc = TransformConfig::defaults();
        Ok(label_specs(label, &tc)?
            .into_iter()
            .map(|s| s.path)
            .collect())
    }

    #[test]
    fn label_entries_choose_their_specs() {
        let plain = Label::default();
        assert_eq!(
            paths(&plain).ok(),
            Some(vec!["metadata/labels".to_string()])
        );
        let templates = Label {
            include_templates: true,
            ..Label::default()
        };
        let got = paths(&templates).unwrap_or_default();
        assert!(got.contains(&"spec/template/metadata/labels".to_string()));
        assert!(!got.contains(&"spec/selector/matchLabels".to_string()));
        let selectors = Label {
            include_selectors: true,
            ..Label::default()
        };
        let got = paths(&selectors).unwrap_or_default();
        assert!(got.contains(&"spec/selector/matchLabels".to_string()));
        let conflicting = Label {
            field_specs: vec![FieldSpec {
                path: "metadata/labels".into(),
                ..FieldSpec::default()
            }],
            ..Label::default()
        };
        assert!(paths(&conflicting).is_err());
    }
}
