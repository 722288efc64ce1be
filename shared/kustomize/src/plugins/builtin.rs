//! One built-in plugin config (`apiVersion: builtin`) turned into the kustomization step
//! that does the same work, as kustomize's builtins package configures its plugins.
//!
//! A config becomes a one-field synthetic kustomization for an existing step, plus the
//! field specs the config gives in place of the configured defaults while it runs
//! (kustomize's plugins take their `fieldSpecs` from the config, never from defaults).

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::build::{Generator, Transformer};
use crate::kustomization::{
    ConfigMapArgs, FieldSpec, Image, Kustomization, Patch, ReplacementField, Replica, SecretArgs,
    Selector, StringMap,
};
use crate::transform::config::TransformConfig;

/// The `TransformConfig` list a plugin's own `fieldSpecs` replace while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    NamePrefix,
    NameSuffix,
    Namespace,
    CommonLabels,
    CommonAnnotations,
    Images,
    Replicas,
}

impl Slot {
    pub fn field(self, tc: &mut TransformConfig) -> &mut Vec<FieldSpec> {
        match self {
            Slot::NamePrefix => &mut tc.name_prefix,
            Slot::NameSuffix => &mut tc.name_suffix,
            Slot::Namespace => &mut tc.namespace,
            Slot::CommonLabels => &mut tc.common_labels,
            Slot::CommonAnnotations => &mut tc.common_annotations,
            Slot::Images => &mut tc.images,
            Slot::Replicas => &mut tc.replicas,
        }
    }
}

/// What a configured plugin does.
pub enum Action {
    Generate(Box<dyn Generator>),
    Transform(Vec<Box<dyn Transformer>>),
    /// IAMPolicyGenerator: a GKE workload-identity ServiceAccount, made from its text.
    GenerateText(String),
}

/// A built-in plugin ready to run: the step, the synthetic kustomization it reads, and
/// the field specs it brings.
pub struct Configured {
    pub kustomization: Kustomization,
    pub specs: Vec<(Slot, Vec<FieldSpec>)>,
    pub action: Action,
}

/// Why a config cannot be used; the caller adds kustomize's "plugin X fails
/// configuration" or "unable to load builtin" framing.
#[derive(Debug)]
pub enum ConfigError {
    UnknownKind,
    Invalid(String),
}

fn field<T: DeserializeOwned + Default>(
    cfg: &Map<String, Value>,
    key: &str,
) -> Result<T, ConfigError> {
    match cfg.get(key) {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| ConfigError::Invalid(format!("json: {key}: {e}"))),
    }
}

fn text(cfg: &Map<String, Value>, key: &str) -> Result<String, ConfigError> {
    field::<String>(cfg, key)
}

fn meta(cfg: &Map<String, Value>, key: &str) -> String {
    cfg.get("metadata")
        .and_then(|m| m.get(key))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Prefix and suffix plugins refuse a config without `fieldSpecs` (a nil list).
fn required_specs(cfg: &Map<String, Value>) -> Result<Vec<FieldSpec>, ConfigError> {
    match cfg.get("fieldSpecs") {
        None | Some(Value::Null) => Err(ConfigError::Invalid(
            "fieldSpecs is not expected to be nil".into(),
        )),
        Some(_) => field(cfg, "fieldSpecs"),
    }
}

fn transform(
    kustomization: Kustomization,
    specs: Vec<(Slot, Vec<FieldSpec>)>,
    steps: Vec<Box<dyn Transformer>>,
) -> Configured {
    Configured {
        kustomization,
        specs,
        action: Action::Transform(steps),
    }
}

fn prefix_suffix(
    cfg: &Map<String, Value>,
    prefix: bool,
    suffix: bool,
) -> Result<Configured, ConfigError> {
    let specs = required_specs(cfg)?;
    let mut k = Kustomization::default();
    let mut slots = Vec::new();
    let mut steps: Vec<Box<dyn Transformer>> = Vec::new();
    if prefix {
        k.name_prefix = text(cfg, "prefix")?;
        slots.push((Slot::NamePrefix, specs.clone()));
        steps.push(Box::new(crate::transform::prefix::NamePrefix));
    }
    if suffix {
        k.name_suffix = text(cfg, "suffix")?;
        slots.push((Slot::NameSuffix, specs));
        steps.push(Box::new(crate::transform::prefix::NameSuffix));
    }
    Ok(transform(k, slots, steps))
}

fn labels(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let k = Kustomization {
        common_labels: Some(field::<StringMap>(cfg, "labels")?),
        ..Kustomization::default()
    };
    let specs = vec![(Slot::CommonLabels, field(cfg, "fieldSpecs")?)];
    Ok(transform(
        k,
        specs,
        vec![Box::new(crate::transform::labels::Labels)],
    ))
}

fn annotations(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let k = Kustomization {
        common_annotations: Some(field::<StringMap>(cfg, "annotations")?),
        ..Kustomization::default()
    };
    let specs = vec![(Slot::CommonAnnotations, field(cfg, "fieldSpecs")?)];
    let step = crate::transform::annotations::CommonAnnotations;
    Ok(transform(k, specs, vec![Box::new(step)]))
}

fn namespace(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    use crate::transform::namespace::{NamespaceWith, Options, Subjects};
    let subjects = match text(cfg, "setRoleBindingSubjects")?.as_str() {
        "" | "defaultOnly" => Subjects::DefaultOnly,
        "none" => Subjects::None,
        "allServiceAccounts" => Subjects::AllServiceAccounts,
        mode => {
            return Err(ConfigError::Invalid(format!(
                "invalid value \"{mode}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
            )));
        }
    };
    let opts = Options {
        unset_only: field::<bool>(cfg, "unsetOnly")?,
        subjects,
    };
    let k = Kustomization {
        namespace: meta(cfg, "namespace"),
        ..Kustomization::default()
    };
    let specs = vec![(Slot::Namespace, field(cfg, "fieldSpecs")?)];
    Ok(transform(k, specs, vec![Box::new(NamespaceWith(opts))]))
}

fn image_tag(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let k = Kustomization {
        images: vec![field::<Image>(cfg, "imageTag")?],
        ..Kustomization::default()
    };
    let specs = vec![(Slot::Images, field(cfg, "fieldSpecs")?)];
    Ok(transform(
        k,
        specs,
        vec![Box::new(crate::transform::images::Images)],
    ))
}

fn replica_count(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let k = Kustomization {
        replicas: vec![field::<Replica>(cfg, "replica")?],
        ..Kustomization::default()
    };
    let specs = vec![(Slot::Replicas, field(cfg, "fieldSpecs")?)];
    let step = crate::transform::replicas::Replicas;
    Ok(transform(k, specs, vec![Box::new(step)]))
}

fn patch(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let p = Patch {
        path: text(cfg, "path")?,
        patch: text(cfg, "patch")?,
        target: field::<Option<Selector>>(cfg, "target")?,
        options: field(cfg, "options")?,
    };
    if p.patch.trim().is_empty() && p.path.is_empty() {
        return Err(ConfigError::Invalid(
            "must specify one of patch and path".into(),
        ));
    }
    let k = Kustomization {
        patches: vec![p],
        ..Kustomization::default()
    };
    Ok(transform(
        k,
        Vec::new(),
        vec![Box::new(crate::patch::Patches)],
    ))
}

fn patch_strategic_merge(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let mut paths: Vec<String> = field(cfg, "paths")?;
    let patches = text(cfg, "patches")?;
    if paths.is_empty() && patches.is_empty() {
        return Err(ConfigError::Invalid(
            "empty file path and empty patch content".into(),
        ));
    }
    if !patches.is_empty() {
        paths.push(patches);
    }
    let k = Kustomization {
        patches_strategic_merge: Some(paths),
        ..Kustomization::default()
    };
    let step = crate::patch::PatchesStrategicMerge;
    Ok(transform(k, Vec::new(), vec![Box::new(step)]))
}

fn patch_json6902(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let target = field::<Option<Selector>>(cfg, "target")?;
    if target.as_ref().is_none_or(|t| t.name.is_empty()) {
        return Err(ConfigError::Invalid("must specify the target name".into()));
    }
    let (path, op) = (text(cfg, "path")?, text(cfg, "jsonOp")?);
    match (path.is_empty(), op.is_empty()) {
        (true, true) => {
            return Err(ConfigError::Invalid(
                "empty file path and empty jsonOp".into(),
            ));
        }
        (false, false) => {
            return Err(ConfigError::Invalid(
                "must specify a file path or jsonOp, not both".into(),
            ));
        }
        _ => {}
    }
    let k = Kustomization {
        patches_json6902: Some(vec![Patch {
            path,
            patch: op,
            target,
            options: Default::default(),
        }]),
        ..Kustomization::default()
    };
    let step = crate::patch::PatchesJson6902;
    Ok(transform(k, Vec::new(), vec![Box::new(step)]))
}

fn replacements(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let list: Vec<ReplacementField> = field(cfg, "replacements")?;
    if list
        .iter()
        .any(|r| !r.path.is_empty() && (r.source.is_some() || !r.targets.is_empty()))
    {
        return Err(ConfigError::Invalid(
            "cannot specify both path and inline replacement".into(),
        ));
    }
    let k = Kustomization {
        replacements: list,
        ..Kustomization::default()
    };
    let step = crate::replace::Replacements;
    Ok(transform(k, Vec::new(), vec![Box::new(step)]))
}

/// The generator configs: the object minus its envelope is the generator's arguments,
/// and `metadata` gives the name and namespace the arguments leave empty.
fn generator_args<T: DeserializeOwned>(cfg: &Map<String, Value>) -> Result<T, ConfigError> {
    let mut args = cfg.clone();
    for key in ["apiVersion", "kind", "metadata"] {
        args.remove(key);
    }
    for key in ["name", "namespace"] {
        let empty = args
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if empty {
            args.insert(key.into(), Value::String(meta(cfg, key)));
        }
    }
    serde_json::from_value(Value::Object(args))
        .map_err(|e| ConfigError::Invalid(format!("json: {e}")))
}

fn config_map(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let k = Kustomization {
        config_map_generator: vec![generator_args::<ConfigMapArgs>(cfg)?],
        ..Kustomization::default()
    };
    let g = crate::transform::generators::ConfigMapGenerator;
    Ok(Configured {
        kustomization: k,
        specs: Vec::new(),
        action: Action::Generate(Box::new(g)),
    })
}

fn secret(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let k = Kustomization {
        secret_generator: vec![generator_args::<SecretArgs>(cfg)?],
        ..Kustomization::default()
    };
    let g = crate::transform::generators::SecretGenerator;
    Ok(Configured {
        kustomization: k,
        specs: Vec::new(),
        action: Action::Generate(Box::new(g)),
    })
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct IamService {
    name: String,
    namespace: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct IamAccount {
    name: String,
    project_id: String,
}

fn iam_policy(cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    let cloud = text(cfg, "cloud")?;
    if cloud != "gke" {
        return Err(ConfigError::Invalid(format!(
            "cloud provider {cloud} not supported yet"
        )));
    }
    let svc: IamService = field(cfg, "kubernetesService")?;
    let sa: IamAccount = field(cfg, "serviceAccount")?;
    let mut doc = format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    iam.gke.io/gcp-service-account: {}@{}.iam.gserviceaccount.com\n  name: {}\n",
        sa.name, sa.project_id, svc.name
    );
    if !svc.namespace.is_empty() {
        doc.push_str(&format!("  namespace: {}\n", svc.namespace));
    }
    Ok(Configured {
        kustomization: Kustomization::default(),
        specs: Vec::new(),
        action: Action::GenerateText(doc),
    })
}

/// Whether a built-in kind generates (else it transforms); `None` for unknown kinds.
pub fn is_generator(kind: &str) -> Option<bool> {
    match kind {
        "ConfigMapGenerator"
        | "SecretGenerator"
        | "IAMPolicyGenerator"
        | "HelmChartInflationGenerator" => Some(true),
        "AnnotationsTransformer"
        | "HashTransformer"
        | "ImageTagTransformer"
        | "LabelTransformer"
        | "NamespaceTransformer"
        | "PatchJson6902Transformer"
        | "PatchStrategicMergeTransformer"
        | "PatchTransformer"
        | "PrefixSuffixTransformer"
        | "PrefixTransformer"
        | "SuffixTransformer"
        | "ReplacementTransformer"
        | "ReplicaCountTransformer"
        | "ValueAddTransformer" => Some(false),
        _ => None,
    }
}

/// Configures the built-in plugin `kind` from its config object.
pub fn configure(kind: &str, cfg: &Map<String, Value>) -> Result<Configured, ConfigError> {
    match kind {
        "PrefixTransformer" => prefix_suffix(cfg, true, false),
        "SuffixTransformer" => prefix_suffix(cfg, false, true),
        "PrefixSuffixTransformer" => prefix_suffix(cfg, true, true),
        "LabelTransformer" => labels(cfg),
        "AnnotationsTransformer" => annotations(cfg),
        "NamespaceTransformer" => namespace(cfg),
        "ImageTagTransformer" => image_tag(cfg),
        "ReplicaCountTransformer" => replica_count(cfg),
        "PatchTransformer" => patch(cfg),
        "PatchStrategicMergeTransformer" => patch_strategic_merge(cfg),
        "PatchJson6902Transformer" => patch_json6902(cfg),
        "ReplacementTransformer" => replacements(cfg),
        "HashTransformer" => Ok(transform(
            Kustomization::default(),
            Vec::new(),
            vec![Box::new(crate::transform::hash::HashSuffix)],
        )),
        "ConfigMapGenerator" => config_map(cfg),
        "SecretGenerator" => secret(cfg),
        "IAMPolicyGenerator" => iam_policy(cfg),
        "HelmChartInflationGenerator" => {
            Err(ConfigError::Invalid("must specify --enable-helm".into()))
        }
        "ValueAddTransformer" => Err(ConfigError::Invalid(
            "ValueAddTransformer is not supported by fluxion-kustomize".into(),
        )),
        _ => Err(ConfigError::UnknownKind),
    }
}
