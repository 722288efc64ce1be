//! The extension points of a build: generators and transformers, in kustomize's order.
//!
//! Each kustomization feature is one [`Generator`] or [`Transformer`] in the lists below.
//! A feature not written yet is a [`Pending`] entry: a kustomization that uses it fails
//! with [`BuildError::Unsupported`] instead of printing something kustomize would not.
//! To add a feature, implement the trait in its own module and put it in place of the
//! `Pending` entry; the order of the lists is kustomize's and must not change.

use super::BuildError;
use crate::fs::FileSystem;
use crate::kustomization::Kustomization;
use crate::loader::Loader;
use crate::resmap::ResMap;
use crate::resource::Resource;

/// What a step may read: the kustomization being built and its files.
pub struct StepContext<'a> {
    pub fs: &'a dyn FileSystem,
    pub loader: &'a Loader,
    pub kustomization: &'a Kustomization,
    /// The custom OpenAPI schema in force, if a kustomization set one.
    pub openapi: Option<std::rc::Rc<crate::patch::custom::CustomSchema>>,
}

/// Makes new resources from the kustomization (configMapGenerator, secretGenerator, ...).
/// Their `behavior` says how they meet existing resources with the same id.
pub trait Generator {
    /// The kustomization field this generator serves, for messages.
    fn field(&self) -> &'static str;
    /// Whether the kustomization asks for it.
    fn applies(&self, k: &Kustomization) -> bool;
    fn generate(&self, ctx: &StepContext<'_>) -> Result<Vec<Resource>, BuildError>;
}

/// Changes the accumulated resources (namespace, prefix, labels, patches, ...).
pub trait Transformer {
    /// The kustomization field this transformer serves, for messages.
    fn field(&self) -> &'static str;
    /// Whether the kustomization asks for it.
    fn applies(&self, k: &Kustomization) -> bool;
    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError>;
}

/// A feature kustomize has that this crate does not implement yet.
pub struct Pending {
    pub field: &'static str,
    pub used: fn(&Kustomization) -> bool,
}

impl Generator for Pending {
    fn field(&self) -> &'static str {
        self.field
    }
    fn applies(&self, k: &Kustomization) -> bool {
        (self.used)(k)
    }
    fn generate(&self, _: &StepContext<'_>) -> Result<Vec<Resource>, BuildError> {
        Err(BuildError::Unsupported(self.field.to_string()))
    }
}

impl Transformer for Pending {
    fn field(&self) -> &'static str {
        self.field
    }
    fn applies(&self, k: &Kustomization) -> bool {
        (self.used)(k)
    }
    fn transform(&self, _: &StepContext<'_>, _: &mut ResMap) -> Result<(), BuildError> {
        Err(BuildError::Unsupported(self.field.to_string()))
    }
}

fn pending(field: &'static str, used: fn(&Kustomization) -> bool) -> Box<Pending> {
    Box::new(Pending { field, used })
}

/// kustomize's built-in generators, in its order (`configureBuiltinGenerators`).
pub fn generators() -> Vec<Box<dyn Generator>> {
    vec![
        pending("configMapGenerator", |k| !k.config_map_generator.is_empty()),
        pending("secretGenerator", |k| !k.secret_generator.is_empty()),
    ]
}

/// kustomize's built-in transformers, in its order (`configureBuiltinTransformers`).
pub fn transformers() -> Vec<Box<dyn Transformer>> {
    vec![
        Box::new(crate::patch::PatchesStrategicMerge),
        Box::new(crate::patch::Patches),
        pending("namespace", |k| !k.namespace.is_empty()),
        pending("namePrefix", |k| !k.name_prefix.is_empty()),
        pending("nameSuffix", |k| !k.name_suffix.is_empty()),
        pending("labels", |k| {
            !k.labels.is_empty() || k.common_labels.as_ref().is_some_and(|m| !m.is_empty())
        }),
        Box::new(crate::transform::annotations::CommonAnnotations),
        Box::new(crate::patch::PatchesJson6902),
        pending("replicas", |k| !k.replicas.is_empty()),
        pending("images", |k| !k.images.is_empty()),
        Box::new(crate::replace::Replacements),
    ]
}

/// Steps kustomize runs once, on the whole tree, after accumulation
/// (`makeCustomizedResMap`): name hash suffixes, name reference fixing, vars.
/// `applies` is asked of the top kustomization; these steps look at the resources.
pub fn final_steps() -> Vec<Box<dyn Transformer>> {
    vec![Box::new(RefuseRenamed)]
}

/// Until name hashing and name-reference fixing exist, refuse any resource that a step
/// renamed: its references elsewhere would silently keep the old name.
struct RefuseRenamed;

impl Transformer for RefuseRenamed {
    fn field(&self) -> &'static str {
        "nameReference"
    }
    fn applies(&self, _: &Kustomization) -> bool {
        true
    }
    fn transform(&self, _: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let renamed = resources
            .resources()
            .iter()
            .any(|r| r.needs_hash || !r.previous_ids.is_empty());
        if renamed {
            return Err(BuildError::Unsupported(
                "name hash suffixes and name references".into(),
            ));
        }
        Ok(())
    }
}

/// Fields that need what kustomize calls plugins or external tools: refused on purpose.
pub fn refused_fields(k: &Kustomization) -> Option<String> {
    let plugin = |f: &str| {
        format!(
            "'{f}' in a kustomization needs kustomize plugins, which fluxion-kustomize does not run"
        )
    };
    if !k.helm_charts.is_empty()
        || !k.helm_chart_inflation_generator.is_empty()
        || k.helm_globals.is_some()
    {
        return Some("helmCharts need `kustomize build --enable-helm`, which fluxion-kustomize does not support".into());
    }
    if !k.generators.is_empty() {
        return Some(plugin("generators"));
    }
    if !k.transformers.is_empty() {
        return Some(plugin("transformers"));
    }
    if !k.validators.is_empty() {
        return Some(plugin("validators"));
    }
    None
}

/// Fields read while accumulating that are not implemented yet.
pub fn pending_fields(k: &Kustomization) -> Option<&'static str> {
    if !k.configurations.is_empty() {
        return Some("configurations");
    }
    if !k.crds.is_empty() {
        return Some("crds");
    }
    if !k.build_metadata.is_empty() {
        return Some("buildMetadata");
    }
    None
}
