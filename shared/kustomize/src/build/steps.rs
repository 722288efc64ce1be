//! The extension points of a build: generators and transformers, in kustomize's order.
//!
//! Each kustomization feature is one [`Generator`] or [`Transformer`] in the lists below;
//! the order of the lists is kustomize's and must not change. Fields that need plugins
//! are refused up front ([`refused_fields`]);
//! plugin configs run after these lists (see `external`).

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

/// kustomize's built-in generators, in its order (`configureBuiltinGenerators`).
pub fn generators() -> Vec<Box<dyn Generator>> {
    vec![
        Box::new(crate::transform::generators::ConfigMapGenerator),
        Box::new(crate::transform::generators::SecretGenerator),
    ]
}

/// kustomize's built-in transformers, in its order (`configureBuiltinTransformers`).
pub fn transformers() -> Vec<Box<dyn Transformer>> {
    vec![
        Box::new(crate::patch::PatchesStrategicMerge),
        Box::new(crate::patch::Patches),
        Box::new(crate::transform::namespace::Namespace),
        Box::new(crate::transform::prefix::NamePrefix),
        Box::new(crate::transform::prefix::NameSuffix),
        Box::new(crate::transform::labels::Labels),
        Box::new(crate::transform::annotations::CommonAnnotations),
        Box::new(crate::patch::PatchesJson6902),
        Box::new(crate::transform::replicas::Replicas),
        Box::new(crate::transform::images::Images),
        Box::new(crate::replace::Replacements),
    ]
}

/// Steps kustomize runs once, on the whole tree, after accumulation
/// (`makeCustomizedResMap`): name hash suffixes, name reference fixing, vars.
/// `applies` is asked of the top kustomization; these steps look at the resources.
pub fn final_steps() -> Vec<Box<dyn Transformer>> {
    vec![
        Box::new(crate::transform::hash::HashSuffix),
        Box::new(crate::transform::nameref::NameReference),
    ]
}

/// Fields that need external tools: refused on purpose (kustomize without `--enable-helm`).
/// Plugin configs (`generators`, `transformers`, `validators`) are built in `external`.
pub fn refused_fields(k: &Kustomization) -> Option<String> {
    if !k.helm_charts.is_empty()
        || !k.helm_chart_inflation_generator.is_empty()
        || k.helm_globals.is_some()
    {
        return Some("helmCharts need `kustomize build --enable-helm`, which fluxion-kustomize does not support".into());
    }
    None
}
