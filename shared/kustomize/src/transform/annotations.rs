//! `commonAnnotations`: kustomize's AnnotationsTransformer with its default field specs.

use super::fieldspec;
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::Kustomization;
use crate::resmap::ResMap;

pub struct CommonAnnotations;

impl Transformer for CommonAnnotations {
    fn field(&self) -> &'static str {
        "commonAnnotations"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        k.common_annotations.as_ref().is_some_and(|m| !m.is_empty())
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let Some(annotations) = ctx.kustomization.common_annotations.as_ref() else {
            return Ok(());
        };
        let specs = resources.config.common_annotations.clone();
        for r in resources.resources_mut() {
            for (key, value) in annotations {
                fieldspec::set_string_everywhere(&mut r.node, &specs, key, value)
                    .map_err(|e| BuildError::Invalid(e.to_string()))?;
            }
        }
        Ok(())
    }
}
