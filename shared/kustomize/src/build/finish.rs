//! The end of a top-level build: final steps, local-config objects dropped, sorting,
//! kustomize's bookkeeping annotations removed, and the printed stream.

use super::steps::{self, StepContext};
use super::target::Target;
use super::{BuildError, origin, sort};
use crate::fs::FileSystem;
use crate::resmap::ResMap;
use crate::yaml::{Content, Node};

/// Annotations kustomize uses internally and removes before printing.
pub const BUILD_ANNOTATIONS: &[&str] = &[
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
    "internal.config.kubernetes.io/refBy",
    "internal.config.kubernetes.io/generatorBehavior",
    "internal.config.kubernetes.io/needsHashSuffix",
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "config.kubernetes.io/path",
    "config.kubernetes.io/index",
    "config.k8s.io/id",
    "config.kubernetes.io/origin",
    "alpha.config.kubernetes.io/transformations",
];

/// Objects with this annotation (not "false") are for kustomize only and not printed.
pub const LOCAL_CONFIG_ANNOTATION: &str = "config.kubernetes.io/local-config";

pub fn finish(
    fsys: &dyn FileSystem,
    target: &Target,
    resmap: &mut ResMap,
) -> Result<(), BuildError> {
    let ctx = StepContext {
        fs: fsys,
        loader: &target.loader,
        kustomization: &target.kustomization,
        openapi: None,
    };
    for step in steps::final_steps()
        .iter()
        .filter(|s| s.applies(&target.kustomization))
    {
        step.transform(&ctx, resmap)?;
    }
    let specs = resmap.config.var_reference.clone();
    crate::vars::resolve(resmap, &target.vars.borrow(), &specs)
        .map_err(|e| BuildError::Invalid(e.to_string()))?;
    let kept: Vec<_> = resmap
        .take()
        .into_iter()
        .filter(|r| {
            !r.annotations()
                .iter()
                .any(|(k, v)| k == LOCAL_CONFIG_ANNOTATION && v != "false")
        })
        .collect();
    let k = &target.kustomization;
    for r in sort::sort(kept, k.sort_options.as_ref())? {
        resmap.push_unchecked(r);
    }
    if origin::wants(k, origin::MANAGED_BY_OPTION) {
        origin::add_managed_by(resmap)?;
    }
    let mut keep: Vec<&str> = Vec::new();
    if origin::wants(k, origin::ORIGIN_OPTION) {
        keep.push(origin::ORIGIN_ANNOTATION);
    }
    if origin::wants(k, origin::TRANSFORMER_OPTION) {
        keep.push(origin::TRANSFORMATIONS_ANNOTATION);
    }
    for r in resmap.resources_mut() {
        rewrite_annotations(&mut r.node, &keep);
    }
    Ok(())
}

/// What kustomize's `SetAnnotations` leaves after removing its own annotations: every
/// value as a string, keys sorted, and no `annotations` field when none remain.
fn rewrite_annotations(node: &mut Node, keep: &[&str]) {
    if node.get("metadata").is_none() {
        node.set("metadata", Node::mapping());
    }
    let Some(meta) = node.get_mut("metadata") else {
        return;
    };
    let Content::Mapping(entries) = &mut meta.content else {
        return;
    };
    if entries
        .iter()
        .filter(|(k, _)| k.scalar() == Some("annotations"))
        .count()
        > 1
    {
        return;
    }
    let mut kept: Vec<(String, String)> = Vec::new();
    if let Some((_, ann)) = entries
        .iter()
        .find(|(k, _)| k.scalar() == Some("annotations"))
    {
        for (k, v) in ann.entries() {
            let key = k.scalar().unwrap_or_default().to_string();
            let value = v.scalar().unwrap_or_default().to_string();
            kept.retain(|(x, _)| *x != key);
            kept.push((key, value));
        }
    }
    kept.retain(|(k, _)| !BUILD_ANNOTATIONS.contains(&k.as_str()) || keep.contains(&k.as_str()));
    kept.sort();
    entries.retain(|(k, _)| k.scalar() != Some("annotations"));
    if kept.is_empty() {
        return;
    }
    let mut ann = Node::mapping();
    for (k, v) in kept {
        ann.set(&k, Node::string(v));
    }
    entries.push((Node::string("annotations"), ann));
}

/// The resources as one multi-document stream, `---` between them.
pub fn print(resmap: &ResMap, max: usize) -> Result<String, BuildError> {
    let mut out = String::new();
    for (i, r) in resmap.resources().iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&r.to_yaml()?);
        if out.len() > max {
            return Err(BuildError::OutputTooLarge(max));
        }
    }
    Ok(out)
}
