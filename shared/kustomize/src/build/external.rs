//! The kustomization's `generators:`, `transformers:` and `validators:` (kustomize's
//! `configureExternalGenerators/Transformers` and `runValidators`): configs are read like
//! resources, configured as built-in plugins, and run after the built-in steps.

use super::BuildError;
use super::origin::{self, Origin};
use super::steps::StepContext;
use super::target::Target;
use crate::fs::FileSystem;
use crate::plugins::builtin::{Action, Configured};
use crate::plugins::{self, Role};
use crate::resmap::ResMap;
use crate::resource::{self, Resource};

/// The label a validator may add; it does not count as a change.
const VALIDATED_BY: &str = "validated-by";

impl Target {
    /// The config objects of an entry list: inline documents first, then every path
    /// (file or kustomization directory) in order, as kustomize accumulates them.
    fn plugin_configs(
        &self,
        fsys: &dyn FileSystem,
        entries: &[String],
        role: Role,
    ) -> Result<Vec<(Configured, Option<Origin>)>, BuildError> {
        let mut ra = ResMap::new();
        let mut paths = Vec::new();
        for entry in entries {
            match plugins::inline_configs(entry) {
                Some(found) => {
                    for r in found {
                        ra.append(r).map_err(|e| {
                            BuildError::Invalid(format!("configuring external plugin: {e}"))
                        })?;
                    }
                }
                None => paths.push(entry.clone()),
            }
        }
        let ra = self.accumulate_paths(fsys, ra, &paths)?;
        let load_err = |msg: String| match role {
            Role::Generator => BuildError::Invalid(format!("failed to load generator: {msg}")),
            Role::Transformer => BuildError::Invalid(msg),
        };
        let kustomization_file = origin::file_path(self.loader.root(), &self.file_name);
        ra.resources()
            .iter()
            .map(|r| {
                let configured = plugins::configure(r, role).map_err(load_err)?;
                let origin = self
                    .origin_root
                    .as_ref()
                    .map(|top| origin::plugin_origin(r, top, &kustomization_file));
                Ok((configured, origin))
            })
            .collect()
    }

    fn plugin_ctx<'a>(&'a self, fsys: &'a dyn FileSystem, c: &'a Configured) -> StepContext<'a> {
        StepContext {
            fs: fsys,
            loader: &self.loader,
            kustomization: &c.kustomization,
            openapi: self.openapi.borrow().custom.clone(),
        }
    }

    /// Runs the `generators:` entries after the built-in generators.
    pub(super) fn run_external_generators(
        &self,
        fsys: &dyn FileSystem,
        ra: &mut ResMap,
    ) -> Result<(), BuildError> {
        let k = &self.kustomization;
        if k.generators.is_empty() {
            return Ok(());
        }
        let configured = self
            .plugin_configs(fsys, &k.generators, Role::Generator)
            .map_err(|e| e.context("loading generator plugins"))?;
        for (c, origin) in &configured {
            let mut made = match &c.action {
                Action::Generate(g) if g.applies(&c.kustomization) => {
                    g.generate(&self.plugin_ctx(fsys, c))?
                }
                Action::GenerateText(doc) => resource::from_bytes(doc)?,
                _ => Vec::new(),
            };
            if let Some(o) = origin {
                origin::annotate_plugin_generated(&mut made, o)?;
            }
            crate::transform::behavior::absorb(ra, made)
                .map_err(|e| e.context("merging from generator"))?;
        }
        Ok(())
    }

    /// Runs configured transformer plugins, each with its own field specs in force.
    fn run_plugins(
        &self,
        fsys: &dyn FileSystem,
        configured: &[(Configured, Option<Origin>)],
        ra: &mut ResMap,
        record: bool,
    ) -> Result<(), BuildError> {
        for (c, origin) in configured {
            let Action::Transform(steps) = &c.action else {
                continue;
            };
            let saved = ra.config.clone();
            for (slot, specs) in &c.specs {
                *slot.field(&mut ra.config) = specs.clone();
            }
            let ctx = self.plugin_ctx(fsys, c);
            let result = steps
                .iter()
                .filter(|t| t.applies(&c.kustomization))
                .try_for_each(|t| t.transform(&ctx, ra));
            ra.config = saved;
            result?;
            // Validators are not recorded as transformations, as in kustomize.
            if let Some(o) = origin.as_ref().filter(|_| record) {
                origin::record_plugin(ra, o)?;
            }
        }
        Ok(())
    }

    /// Runs the `transformers:` entries after the built-in transformers.
    pub(super) fn run_external_transformers(
        &self,
        fsys: &dyn FileSystem,
        ra: &mut ResMap,
    ) -> Result<(), BuildError> {
        let k = &self.kustomization;
        if k.transformers.is_empty() {
            return Ok(());
        }
        let configured = self.plugin_configs(fsys, &k.transformers, Role::Transformer)?;
        self.run_plugins(fsys, &configured, ra, true)
    }

    /// Runs the `validators:` entries; a validator may not change the resources (beyond
    /// the `validated-by` label), or the build fails as kustomize's does.
    pub(super) fn run_validators(
        &self,
        fsys: &dyn FileSystem,
        ra: &mut ResMap,
    ) -> Result<(), BuildError> {
        let k = &self.kustomization;
        if k.validators.is_empty() {
            return Ok(());
        }
        let configured = self.plugin_configs(fsys, &k.validators, Role::Transformer)?;
        for c in &configured {
            let before = snapshot(ra.resources(), false)?;
            self.run_plugins(fsys, std::slice::from_ref(c), ra, false)?;
            if snapshot(ra.resources(), true)? != before {
                return Err(BuildError::Invalid(
                    "validator shouldn't modify the resource map".into(),
                ));
            }
        }
        Ok(())
    }
}

/// Ids and printed objects, to see whether a validator changed anything.
fn snapshot(resources: &[Resource], drop_label: bool) -> Result<Vec<String>, BuildError> {
    resources
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if drop_label
                && let Some(labels) = r.node.get_mut("metadata").and_then(|m| m.get_mut("labels"))
            {
                labels.remove(VALIDATED_BY);
            }
            let text = r
                .to_yaml()
                .map_err(|e| BuildError::Invalid(e.to_string()))?;
            Ok(format!("{}\n{text}", r.cur_id()))
        })
        .collect()
}
