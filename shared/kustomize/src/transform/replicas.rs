//! `replicas`: kustomize's ReplicaCountTransformer, once per entry.
//!
//! An entry names objects by their current or any earlier name; each configured
//! `replicas` field spec whose kinds select such an object gets the count. An entry that
//! matches nothing is an error.

use super::fieldspec::{self, CreateKind};
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{FieldSpec, Kustomization, Replica};
use crate::resid::Gvk;
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::yaml::resolve::INT_TAG;
use crate::yaml::{Content, Node};

pub struct Replicas;

fn spec_gvk(s: &FieldSpec) -> Gvk {
    Gvk::new(&s.group, &s.version, &s.kind)
}

/// Whether the resource's current or a previous id has this name and a selected kind.
fn matches(r: &Resource, name: &str, gvk: &Gvk) -> bool {
    std::iter::once(r.cur_id())
        .chain(r.previous_ids.iter().cloned())
        .any(|id| id.name == name && id.gvk.is_selected_by(gvk))
}

fn set_count(target: &mut Node, count: i64) -> Result<(), String> {
    if !matches!(target.content, Content::Scalar(_)) {
        return Err(format!(
            "wrong node kind: expected ScalarNode but got {}",
            if target.is_mapping() {
                "MappingNode"
            } else {
                "SequenceNode"
            }
        ));
    }
    let mut n = Node::plain(count.to_string());
    n.tag = INT_TAG.into();
    n.style = target.style;
    *target = n;
    Ok(())
}

fn apply_one(
    resources: &mut ResMap,
    replica: &Replica,
    specs: &[FieldSpec],
) -> Result<(), BuildError> {
    let mut found = false;
    for spec in specs {
        let gvk = spec_gvk(spec);
        for r in resources.resources_mut() {
            if !matches(r, &replica.name, &gvk) {
                continue;
            }
            found = true;
            let mut set = |n: &mut Node| set_count(n, replica.count);
            fieldspec::apply(
                &mut r.node,
                spec,
                Some((CreateKind::Scalar, INT_TAG)),
                &mut set,
            )
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
        }
    }
    if !found {
        let gvks: Vec<String> = specs.iter().map(|s| spec_gvk(s).to_string()).collect();
        return Err(BuildError::Invalid(format!(
            "resource with name {} does not match a config with the following GVK [{}]",
            replica.name,
            gvks.join(" ")
        )));
    }
    Ok(())
}

impl Transformer for Replicas {
    fn field(&self) -> &'static str {
        "replicas"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.replicas.is_empty()
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let specs = resources.config.replicas.clone();
        ctx.kustomization
            .replicas
            .iter()
            .try_for_each(|r| apply_one(resources, r, &specs))
    }
}
