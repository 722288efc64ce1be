//! One kustomization directory being built (kustomize's `KustTarget`).

use std::cell::RefCell;

use super::error::ResultExt;
use super::steps::{self, StepContext};
use super::{BuildError, BuildOptions};
use crate::fs::FileSystem;
use crate::kustomization::{self, COMPONENT_KIND, Kustomization};
use crate::loader::{LoadError, Loader};
use crate::resmap::ResMap;
use crate::resource::{self, Resource};

/// A loaded kustomization and the loader of its directory.
pub struct Target {
    pub loader: Loader,
    pub kustomization: Kustomization,
    /// Vars of this kustomization and those it reached (kustomize's var set).
    pub vars: RefCell<Vec<crate::vars::BoundVar>>,
    /// The OpenAPI schema choice, shared by every kustomization of the build.
    pub openapi: std::rc::Rc<RefCell<crate::patch::custom::OpenApiState>>,
    /// Deprecation warnings of this kustomization and those it reached, in the order
    /// kustomize prints them on stderr.
    pub warnings: RefCell<Vec<String>>,
    /// The top kustomization's directory when build metadata asks for origins.
    pub origin_root: Option<String>,
    /// The kustomization's file name (`kustomization.yaml`, ...).
    pub file_name: String,
}

impl Target {
    /// Loads the kustomization of `loader`'s directory.
    pub fn load(fsys: &dyn FileSystem, loader: Loader) -> Result<Target, BuildError> {
        let dir = loader.root().to_string();
        let file = kustomization::find_file(fsys, &dir)?
            .ok_or_else(|| kustomization::KustomizationError::Missing(dir.clone()))?;
        let bytes = loader.load(fsys, &file)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            kustomization::KustomizationError::Invalid("yaml: invalid UTF-8 octet sequence".into())
        })?;
        let loaded = kustomization::load(&dir, text, &file)?;
        Ok(Target {
            loader,
            kustomization: loaded.kustomization,
            vars: RefCell::default(),
            openapi: Default::default(),
            warnings: RefCell::new(loaded.warnings),
            origin_root: None,
            file_name: loaded.file_name,
        })
    }

    /// Loads the top kustomization, generating one for a plain directory when asked.
    pub fn load_root(
        fsys: &dyn FileSystem,
        loader: Loader,
        opts: &BuildOptions,
    ) -> Result<Target, BuildError> {
        let dir = loader.root().to_string();
        if opts.generate_missing_kustomization && kustomization::find_file(fsys, &dir)?.is_none() {
            let kustomization = kustomization::generate_for_dir(fsys, &dir)?;
            return Ok(Target {
                loader,
                kustomization,
                vars: RefCell::default(),
                openapi: Default::default(),
                warnings: RefCell::default(),
                origin_root: None,
                file_name: kustomization::FILE_NAMES[0].to_string(),
            });
        }
        let target = Target::load(fsys, loader)?;
        target.set_openapi(fsys, true)?;
        Ok(target)
    }

    /// kyaml's `SetSchema` for this kustomization's `openapi` field.
    fn set_openapi(&self, fsys: &dyn FileSystem, reset: bool) -> Result<(), BuildError> {
        let field = self.kustomization.openapi.as_ref();
        let text = match field.and_then(|f| f.get("path")) {
            Some(p) => Some(String::from_utf8_lossy(&self.loader.load(fsys, p)?).into_owned()),
            None => None,
        };
        self.openapi
            .borrow_mut()
            .set(field, text.as_deref(), reset)
            .map_err(|e| BuildError::Invalid(e.to_string()))
    }

    fn ctx<'a>(&'a self, fsys: &'a dyn FileSystem) -> StepContext<'a> {
        StepContext {
            fs: fsys,
            loader: &self.loader,
            kustomization: &self.kustomization,
            openapi: self.openapi.borrow().custom.clone(),
        }
    }

    /// kustomize's `accumulateTarget`: resources, generators, components, transformers.
    /// `ra` holds the parent's resources when this target is a component.
    pub fn accumulate(&self, fsys: &dyn FileSystem, ra: ResMap) -> Result<ResMap, BuildError> {
        let k = &self.kustomization;
        if let Some(msg) = steps::refused_fields(k) {
            return Err(BuildError::Refused(msg));
        }
        let mut ra = self
            .accumulate_paths(fsys, ra, &k.resources)
            .context_with(|| "accumulating resources".into())?;
        ra.config = crate::transform::config::for_kustomization(fsys, &self.loader, k, &ra.config)?;
        let ctx = self.ctx(fsys);
        for g in steps::generators().iter().filter(|g| g.applies(k)) {
            let mut made = g.generate(&ctx)?;
            if let Some(top) = &self.origin_root {
                let file = super::origin::file_path(self.loader.root(), &self.file_name);
                super::origin::annotate_generated(&mut made, top, &file, g.field())?;
            }
            absorb(&mut ra, made)
                .context_with(|| format!("merging from generator {}", g.field()))?;
        }
        self.run_external_generators(fsys, &mut ra)?;
        ra = self
            .accumulate_components(fsys, ra)
            .context_with(|| "accumulating components".into())?;
        for t in steps::transformers().iter().filter(|t| t.applies(k)) {
            t.transform(&ctx, &mut ra)?;
            if let Some(top) = &self.origin_root {
                let file = super::origin::file_path(self.loader.root(), &self.file_name);
                super::origin::record_transformer(&mut ra, top, &file, t.field(), k)?;
            }
        }
        self.run_external_transformers(fsys, &mut ra)?;
        self.run_validators(fsys, &mut ra)?;
        let vars = k.vars.as_deref().unwrap_or_default();
        crate::vars::merge_vars(&mut self.vars.borrow_mut(), &ra, vars)
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
        Ok(ra)
    }

    /// kustomize's `accumulateResources`: each path a file of objects or a directory
    /// built as a kustomization (also how plugin configs are read).
    pub(super) fn accumulate_paths(
        &self,
        fsys: &dyn FileSystem,
        mut ra: ResMap,
        paths: &[String],
    ) -> Result<ResMap, BuildError> {
        for path in paths {
            match self.accumulate_file(fsys, path, &mut ra) {
                Ok(()) => {}
                Err(file_err) => ra = self.resource_as_directory(fsys, path, ra, file_err)?,
            }
        }
        Ok(ra)
    }

    fn accumulate_file(
        &self,
        fsys: &dyn FileSystem,
        path: &str,
        ra: &mut ResMap,
    ) -> Result<(), BuildError> {
        let read = || -> Result<Vec<Resource>, BuildError> {
            let bytes = self.loader.load(fsys, path)?;
            Ok(resource::from_file_bytes(&bytes)?)
        };
        let mut resources =
            read().context_with(|| format!("accumulating resources from '{path}'"))?;
        if let Some(top) = &self.origin_root {
            let file = super::origin::file_path(self.loader.root(), path);
            super::origin::annotate_file(&mut resources, top, &file)?;
        }
        for r in resources {
            ra.append(r)
                .context_with(|| format!("merging resources from '{path}'"))?;
        }
        Ok(())
    }

    /// A resource that is not a readable file is tried as a kustomization directory.
    fn resource_as_directory(
        &self,
        fsys: &dyn FileSystem,
        path: &str,
        ra: ResMap,
        file_err: BuildError,
    ) -> Result<ResMap, BuildError> {
        if let BuildError::Load(LoadError::Remote(_)) = file_err.root_cause() {
            return Err(file_err);
        }
        let child = match self.loader.child(fsys, path) {
            Ok(child) => child,
            Err(e) => {
                let malformed =
                    matches!(file_err.root_cause(), BuildError::Resource(r) if r.is_malformed());
                if malformed {
                    return Err(file_err);
                }
                return Err(BuildError::from(e).context(format!("accumulation err='{file_err}'")));
            }
        };
        self.accumulate_directory(fsys, ra, child, false)
            .context_with(|| format!("accumulation err='{file_err}'"))
    }

    fn accumulate_components(
        &self,
        fsys: &dyn FileSystem,
        mut ra: ResMap,
    ) -> Result<ResMap, BuildError> {
        for path in &self.kustomization.components {
            let child = self
                .loader
                .child(fsys, path)
                .map_err(|e| BuildError::from(e).context("loader.New"))?;
            ra = self
                .accumulate_directory(fsys, ra, child, true)
                .context_with(|| "accumulateDirectory".into())?;
        }
        Ok(ra)
    }
}

impl Target {
    /// kustomize's `accumulateDirectory`: a nested kustomization (built on its own, then
    /// merged) or a component (applied to the resources accumulated so far).
    fn accumulate_directory(
        &self,
        fsys: &dyn FileSystem,
        mut ra: ResMap,
        loader: Loader,
        is_component: bool,
    ) -> Result<ResMap, BuildError> {
        let root = loader.root().to_string();
        let mut sub = Target::load(fsys, loader)
            .context_with(|| format!("couldn't make target for path '{root}'"))?;
        sub.origin_root.clone_from(&self.origin_root);
        let kind = sub.kustomization.kind.as_str();
        if is_component && kind != COMPONENT_KIND {
            return Err(BuildError::Invalid(format!(
                "expected kind '{COMPONENT_KIND}' for path '{root}' but got '{kind}'"
            )));
        }
        if !is_component && kind == COMPONENT_KIND {
            return Err(BuildError::Invalid(format!(
                "expected kind != '{COMPONENT_KIND}' for path '{root}'"
            )));
        }
        sub.openapi = std::rc::Rc::clone(&self.openapi);
        sub.set_openapi(fsys, false)?;
        let recursed = || format!("recursed accumulation of path '{root}'");
        let result = if is_component {
            sub.accumulate(fsys, ra).context_with(recursed)
        } else {
            sub.accumulate(fsys, ResMap::new())
                .context_with(recursed)
                .and_then(|sub_ra| {
                    ra.config = ra
                        .config
                        .merge(&sub_ra.config)
                        .map_err(|e| BuildError::Invalid(e.to_string()))?;
                    ra.append_all(sub_ra)
                        .context_with(|| format!("recursed merging from path '{root}'"))?;
                    Ok(ra)
                })
        };
        self.warnings
            .borrow_mut()
            .append(&mut sub.warnings.borrow_mut());
        let result = result?;
        let sub_vars = sub.vars.take();
        crate::vars::merge_set(&mut self.vars.borrow_mut(), sub_vars)
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
        Ok(result)
    }
}

/// kustomize's `AbsorbAll` for generated resources (create, merge, replace).
fn absorb(ra: &mut ResMap, made: Vec<Resource>) -> Result<(), BuildError> {
    crate::transform::behavior::absorb(ra, made)
}
