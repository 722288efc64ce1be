//! `namespace`: kustomize's NamespaceTransformer (namespace filter, default subject mode).
//!
//! Every namespaced object gets `metadata.namespace`; cluster-scoped kinds keep theirs.
//! The configured field specs add more places (a `v1` Namespace's own name, APIService and
//! CRD webhook services). Role and cluster role bindings get the namespace on subjects
//! named `default`.

use std::collections::HashMap;

use super::fieldspec::{self, CreateKind};
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{FieldSpec, Kustomization};
use crate::resid::{Gvk, ResId};
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::yaml::resolve::STR_TAG;
use crate::yaml::{Content, Node};

pub struct Namespace;

/// The NamespaceTransformer plugin's options (kustomize's namespace filter fields); the
/// kustomization's `namespace` uses the defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Only fill namespace fields that are empty (`SetEntryIfEmpty`).
    pub unset_only: bool,
    pub subjects: Subjects,
}

/// `setRoleBindingSubjects`: which (cluster) role binding subjects get the namespace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Subjects {
    /// Subjects named `default`.
    #[default]
    DefaultOnly,
    /// Every ServiceAccount subject.
    AllServiceAccounts,
    None,
}

/// The namespace step with plugin options.
pub struct NamespaceWith(pub Options);

/// What makes two ids the same object: gvk, name, effective namespace.
type IdKey = (Gvk, String, String);

fn key(id: &ResId) -> IdKey {
    (
        id.gvk.clone(),
        id.name.clone(),
        id.effective_namespace().to_string(),
    )
}

const META_NAMESPACE: &str = "metadata/namespace";
const SUBJECTS_NAMESPACE: &str = "subjects/namespace";

fn is_role_binding(kind: &str) -> bool {
    kind == "RoleBinding" || kind == "ClusterRoleBinding"
}

/// kyaml's `FieldSetter` with no name: the target must be a scalar, whose style stays.
fn set_scalar(target: &mut Node, value: &str, unset_only: bool) -> Result<(), String> {
    if !matches!(target.content, Content::Scalar(_)) {
        return Err(format!(
            "namespace field specs must target scalar nodes: wrong node kind: expected ScalarNode but got {}",
            if target.is_mapping() {
                "MappingNode"
            } else {
                "SequenceNode"
            }
        ));
    }
    if unset_only && !matches!(&target.content, Content::Scalar(s) if s.is_empty()) {
        return Ok(());
    }
    let mut v = Node::string(value);
    v.style = target.style;
    *target = v;
    Ok(())
}

/// The field specs that apply to this object (kustomize's `removeUnneededMetaFieldSpecs`
/// and, for bindings, `removeRoleBindingSubjectFieldSpecs`).
fn specs_for(specs: &[FieldSpec], api_version: &str, kind: &str) -> Vec<FieldSpec> {
    specs
        .iter()
        .filter(|s| s.path != META_NAMESPACE)
        .filter(|s| api_version == "v1" || s.path != "metadata/name")
        .filter(|s| {
            !(is_role_binding(kind) && is_role_binding(&s.kind) && s.path == SUBJECTS_NAMESPACE)
        })
        .cloned()
        .collect()
}

fn apply(
    node: &mut Node,
    spec: &FieldSpec,
    tag: &str,
    ns: &str,
    opts: Options,
) -> Result<(), BuildError> {
    let mut set = |n: &mut Node| set_scalar(n, ns, opts.unset_only);
    fieldspec::apply(node, spec, Some((CreateKind::Scalar, tag)), &mut set)
        .map_err(|e| BuildError::Invalid(format!("namespace transformation failed: {e}")))
}

/// Subjects named `default` (or every ServiceAccount subject, or none, per the options)
/// get the namespace (`setSubjectsNamedDefault`, `setServiceAccountNamespaces`).
fn set_subjects(node: &mut Node, ns: &str, opts: Options) {
    let (field, wanted) = match opts.subjects {
        Subjects::None => return,
        Subjects::DefaultOnly => ("name", "default"),
        Subjects::AllServiceAccounts => ("kind", "ServiceAccount"),
    };
    let Some(subjects) = node.get_mut("subjects") else {
        return;
    };
    if let Content::Sequence(items) = &mut subjects.content {
        for s in items
            .iter_mut()
            .filter(|s| s.get_str(&[field]) == Some(wanted))
        {
            match s.get_mut("namespace") {
                Some(n)
                    if opts.unset_only
                        && !matches!(&n.content, Content::Scalar(v) if v.is_empty()) => {}
                Some(n) if matches!(n.content, Content::Scalar(_)) => {
                    let style = n.style;
                    *n = Node::string(ns);
                    n.style = style;
                }
                Some(_) => {}
                None => s.set("namespace", Node::string(ns)),
            }
        }
    }
}

fn transform_one(
    r: &mut Resource,
    specs: &[FieldSpec],
    ns: &str,
    opts: Options,
) -> Result<(), BuildError> {
    let (api_version, kind) = (r.api_version(), r.kind());
    let specs = specs_for(specs, &api_version, &kind);
    if !r.gvk().is_cluster_scoped() {
        let meta = FieldSpec {
            path: META_NAMESPACE.into(),
            create_if_not_present: true,
            ..FieldSpec::default()
        };
        apply(&mut r.node, &meta, "", ns, opts)?;
    }
    if is_role_binding(&kind) {
        set_subjects(&mut r.node, ns, opts);
    }
    specs
        .iter()
        .try_for_each(|s| apply(&mut r.node, s, STR_TAG, ns, opts))
}

impl Transformer for Namespace {
    fn field(&self) -> &'static str {
        "namespace"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.namespace.is_empty()
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        transform_all(ctx, resources, Options::default())
    }
}

impl Transformer for NamespaceWith {
    fn field(&self) -> &'static str {
        "namespace"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.namespace.is_empty()
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        transform_all(ctx, resources, self.0)
    }
}

fn transform_all(
    ctx: &StepContext<'_>,
    resources: &mut ResMap,
    opts: Options,
) -> Result<(), BuildError> {
    {
        let ns = ctx.kustomization.namespace.as_str();
        let specs = resources.config.namespace.clone();
        let mut counts: HashMap<IdKey, usize> = HashMap::new();
        for r in resources.resources() {
            *counts.entry(key(&r.cur_id())).or_default() += 1;
        }
        for r in resources.resources_mut() {
            if r.node.is_null_or_empty() {
                continue;
            }
            let before = r.cur_id();
            r.store_previous_id();
            transform_one(r, &specs, ns, opts)?;
            let after = r.cur_id();
            if let Some(c) = counts.get_mut(&key(&before)) {
                *c -= 1;
            }
            let c = counts.entry(key(&after)).or_default();
            *c += 1;
            if *c != 1 {
                return Err(BuildError::Invalid(format!(
                    "namespace transformation produces ID conflict: {after}"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_specs_are_dropped_per_object() {
        let specs = super::super::defaults::namespace();
        let names = |av: &str, kind: &str| -> Vec<String> {
            specs_for(&specs, av, kind)
                .into_iter()
                .map(|s| s.path)
                .collect()
        };
        assert!(names("v1", "Namespace").contains(&"metadata/name".to_string()));
        assert!(!names("v2", "Namespace").contains(&"metadata/name".to_string()));
    }
}
