//! Patches: `patches`, and the legacy `patchesStrategicMerge` and `patchesJson6902`.
//!
//! [`smp`] merges a strategic merge patch into a node tree, [`schema`] says which lists
//! merge by key, [`json6902`] applies JSON patches, [`select`] finds patch targets.

pub mod custom;
pub mod json6902;
pub mod schema;
pub mod select;
pub mod smp;

use serde_json::Value as J;

use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{Kustomization, Patch, Selector};
use crate::resmap::ResMap;
use crate::resource::{self, Resource};

fn invalid(e: impl std::fmt::Display) -> BuildError {
    BuildError::Invalid(e.to_string())
}

/// `patchesStrategicMerge`: each entry is patch text, or else a file of patches.
pub struct PatchesStrategicMerge;

impl Transformer for PatchesStrategicMerge {
    fn field(&self) -> &'static str {
        "patchesStrategicMerge"
    }
    fn applies(&self, k: &Kustomization) -> bool {
        k.patches_strategic_merge
            .as_ref()
            .is_some_and(|p| !p.is_empty())
    }
    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let entries = ctx.kustomization.patches_strategic_merge.as_deref();
        let mut patches = Vec::new();
        for entry in entries.unwrap_or_default() {
            match resource::from_bytes(entry) {
                Ok(p) => patches.extend(p),
                Err(_) => {
                    let bytes = ctx.loader.load(ctx.fs, entry)?;
                    patches.extend(resource::from_file_bytes(&bytes)?);
                }
            }
        }
        if patches.is_empty() {
            return Err(invalid("patch appears to be empty"));
        }
        for p in patches {
            let i = find_by_id(resources, &p)?;
            let opts = Options {
                custom: ctx.openapi.clone(),
                ..Options::default()
            };
            apply_selected(resources, &[i], &p, &opts)?;
        }
        Ok(())
    }
}

/// `patches`: strategic merge or JSON 6902, told apart as kustomize does.
pub struct Patches;

impl Transformer for Patches {
    fn field(&self) -> &'static str {
        "patches"
    }
    fn applies(&self, k: &Kustomization) -> bool {
        !k.patches.is_empty()
    }
    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        for p in &ctx.kustomization.patches {
            apply_patch(ctx, resources, p)?;
        }
        Ok(())
    }
}

/// `patchesJson6902`: JSON patches with a target.
pub struct PatchesJson6902;

impl Transformer for PatchesJson6902 {
    fn field(&self) -> &'static str {
        "patchesJson6902"
    }
    fn applies(&self, k: &Kustomization) -> bool {
        k.patches_json6902.as_ref().is_some_and(|p| !p.is_empty())
    }
    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        for p in ctx
            .kustomization
            .patches_json6902
            .as_deref()
            .unwrap_or_default()
        {
            let target = p
                .target
                .as_ref()
                .filter(|t| !t.name.is_empty())
                .ok_or_else(|| invalid("must specify the target name"))?;
            let text = if !p.path.is_empty() {
                if !p.patch.is_empty() {
                    return Err(invalid("must specify a file path or jsonOp, not both"));
                }
                String::from_utf8_lossy(&ctx.loader.load(ctx.fs, &p.path)?).into_owned()
            } else {
                p.patch.clone()
            };
            let ops = json6902::decode(&text).map_err(invalid)?;
            if ops.is_empty() {
                return Err(invalid("patch appears to be empty"));
            }
            apply_json(resources, target, &ops)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
struct Options {
    allow_name_change: bool,
    allow_kind_change: bool,
    custom: Option<std::rc::Rc<custom::CustomSchema>>,
}

fn patch_text(ctx: &StepContext<'_>, p: &Patch) -> Result<String, BuildError> {
    let text = p.patch.trim();
    match (text.is_empty(), p.path.is_empty()) {
        (true, true) => Err(invalid("must specify one of patch and path")),
        (false, false) => Err(invalid("patch and path can't be set at the same time")),
        (false, true) => Ok(text.to_string()),
        (true, false) => {
            let bytes = ctx.loader.load(ctx.fs, &p.path).map_err(|e| {
                BuildError::from(e).context(format!(
                    "failed to get the patch file from path({})",
                    p.path
                ))
            })?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
    }
}

fn apply_patch(ctx: &StepContext<'_>, resources: &mut ResMap, p: &Patch) -> Result<(), BuildError> {
    let text = patch_text(ctx, p)?;
    let sm = resource::from_bytes(&text);
    let json = json6902::decode(&text);
    let opts = Options {
        allow_name_change: p.options.get("allowNameChange").copied().unwrap_or(false),
        allow_kind_change: p.options.get("allowKindChange").copied().unwrap_or(false),
        custom: ctx.openapi.clone(),
    };
    match (sm, json) {
        (Ok(sm), Ok(json)) if !sm.is_empty() && !json.is_empty() => {
            Err(invalid("illegally qualifies as both an SM and JSON patch"))
        }
        (Err(_), Err(_)) => Err(invalid("unable to parse SM or JSON patch")),
        (Ok(sm), _) => apply_sm_entry(resources, p.target.as_ref(), &sm, &opts),
        (Err(_), Ok(json)) => {
            let target = p
                .target
                .as_ref()
                .ok_or_else(|| invalid("must specify a target for JSON patch"))?;
            apply_json(resources, target, &json)
        }
    }
}

fn apply_sm_entry(
    resources: &mut ResMap,
    target: Option<&Selector>,
    patches: &[Resource],
    opts: &Options,
) -> Result<(), BuildError> {
    let Some(target) = target else {
        for p in patches {
            let i = find_by_id(resources, p)?;
            apply_selected(resources, &[i], p, opts)?;
        }
        return Ok(());
    };
    if patches.len() > 1 {
        return Err(invalid(
            "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field",
        ));
    }
    let Some(patch) = patches.first() else {
        return Ok(());
    };
    let selected = select(resources, target)?;
    apply_selected(resources, &selected, patch, opts)
}

fn select(resources: &ResMap, target: &Selector) -> Result<Vec<usize>, BuildError> {
    let sel = select::Compiled::new(target).map_err(invalid)?;
    Ok(resources
        .resources()
        .iter()
        .enumerate()
        .filter(|(_, r)| sel.matches(r))
        .map(|(i, _)| i)
        .collect())
}

/// kustomize's `GetById`: exactly one resource whose current or previous id is the
/// patch's id.
fn find_by_id(resources: &ResMap, patch: &Resource) -> Result<usize, BuildError> {
    let id = patch.cur_id();
    let found: Vec<usize> = resources
        .resources()
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.previous_ids
                .iter()
                .chain(std::iter::once(&r.cur_id()))
                .any(|i| i.same_object(&id))
        })
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(invalid(format!(
            "no matches for Id {id}; failed to find unique target for patch {id}"
        ))),
        _ => Err(invalid(format!(
            "multiple matches for Id {id}; failed to find unique target for patch {id}"
        ))),
    }
}

/// kustomize's `ApplySmPatch` on a set of resources: deleted ones leave the map.
fn apply_selected(
    resources: &mut ResMap,
    selected: &[usize],
    patch: &Resource,
    opts: &Options,
) -> Result<(), BuildError> {
    let mut all = resources.take();
    let mut kept = Vec::with_capacity(all.len());
    for (i, mut r) in all.drain(..).enumerate() {
        if selected.contains(&i) {
            let mut p = patch.node.clone();
            p.set("apiVersion", crate::yaml::Node::string(r.api_version()));
            if !apply_one(&mut r, p, opts)? {
                continue;
            }
        }
        kept.push(r);
    }
    for r in kept {
        resources.append(r)?;
    }
    Ok(())
}

/// Merges one patch into one resource; `false` when the patch deleted it.
fn apply_one(
    r: &mut Resource,
    patch: crate::yaml::Node,
    opts: &Options,
) -> Result<bool, BuildError> {
    let (name, ns, kind) = (r.name(), r.namespace(), r.kind());
    // kustomize's ApplySmPatch records the id whenever the patch may rename.
    if opts.allow_name_change || opts.allow_kind_change {
        r.store_previous_id();
    }
    let node = std::mem::replace(&mut r.node, crate::yaml::Node::null());
    let Some(merged) = smp::merge(node, patch, opts.custom.as_ref()).map_err(invalid)? else {
        return Ok(false);
    };
    if merged.is_null_or_empty() {
        return Ok(false);
    }
    r.node = merged;
    if !opts.allow_kind_change {
        r.node.set("kind", crate::yaml::Node::string(kind));
    }
    if let Some(meta) = r.node.ensure_mapping(&["metadata"]) {
        if !opts.allow_name_change {
            meta.set("name", crate::yaml::Node::string(name));
        }
        if ns.is_empty() {
            meta.remove("namespace");
        } else {
            meta.set("namespace", crate::yaml::Node::string(ns));
        }
    }
    Ok(true)
}

fn apply_json(resources: &mut ResMap, target: &Selector, ops: &[J]) -> Result<(), BuildError> {
    let selected = select(resources, target)?;
    for (i, r) in resources.resources_mut().iter_mut().enumerate() {
        if selected.contains(&i) {
            let before = r.cur_id();
            r.node = json6902::apply(&r.node, ops).map_err(invalid)?;
            if r.cur_id() != before {
                // As StorePreviousId: the effective namespace.
                let ns = before.effective_namespace().to_string();
                let prev = crate::resid::ResId::new(before.gvk.clone(), &before.name, &ns);
                r.previous_ids.push(prev);
            }
        }
    }
    Ok(())
}
