//! `buildMetadata`: origin annotations on resources and the managed-by label.
//!
//! When the top kustomization lists any build metadata option, kustomize records each
//! resource's origin (`config.kubernetes.io/origin`) while accumulating: the file it was
//! read from, relative to the top kustomization, or the generator and kustomization file
//! that made it; after each transformer, the transformer is recorded on every resource
//! (`alpha.config.kubernetes.io/transformations`). Each annotation is printed only when
//! its option (`originAnnotations`, `transformerAnnotations`) is listed.

use super::BuildError;
use crate::fs;
use crate::kustomization::Kustomization;
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::transform::fieldspec;
use crate::yaml::{self, Node};

pub const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
pub const TRANSFORMATIONS_ANNOTATION: &str = "alpha.config.kubernetes.io/transformations";
pub const ORIGIN_OPTION: &str = "originAnnotations";
pub const TRANSFORMER_OPTION: &str = "transformerAnnotations";
pub const MANAGED_BY_OPTION: &str = "managedByLabel";
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// What kubectl's embedded kustomize reports as its version.
pub const MANAGED_BY_VALUE: &str = "kustomize-(devel)";

/// Whether the top kustomization asks for an option.
pub fn wants(k: &Kustomization, option: &str) -> bool {
    k.build_metadata.iter().any(|o| o == option)
}

/// `path` relative to `root`, both cleaned absolute paths (Go's `filepath.Rel`).
pub fn rel_path(root: &str, path: &str) -> String {
    let parts = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (r, p) = (parts(root), parts(path));
    let common = r.iter().zip(&p).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = vec!["..".to_string(); r.len() - common];
    out.extend(p[common..].iter().cloned());
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}

/// One `key: value` line (or block) printed by the YAML emitter.
fn entry(key: &str, value: Node) -> Result<String, BuildError> {
    let mut m = Node::mapping();
    m.set(key, value);
    Ok(yaml::node_to_yaml(&m)?)
}

/// kustomize's `Origin` as YAML, fields in its struct order (path, configuredIn,
/// configuredBy); empty fields are left out.
/// kustomize's `Origin`, as its annotations hold it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Origin {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub repo: String,
    #[serde(default, rename = "ref")]
    pub git_ref: String,
    #[serde(default)]
    pub configured_in: String,
    #[serde(default)]
    pub configured_by: ConfiguredBy,
}

/// The transformer or generator of an [`Origin`] (kyaml's `ResourceIdentifier`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfiguredBy {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

impl Origin {
    fn builtin(configured_in: String, kind: &str) -> Origin {
        Origin {
            configured_in,
            configured_by: ConfiguredBy {
                api_version: "builtin".into(),
                kind: kind.into(),
                ..ConfiguredBy::default()
            },
            ..Origin::default()
        }
    }

    /// YAML in kustomize's field order; empty fields are left out.
    pub fn to_yaml(&self) -> Result<String, BuildError> {
        let mut out = String::new();
        let fields = [
            ("path", &self.path),
            ("repo", &self.repo),
            ("ref", &self.git_ref),
            ("configuredIn", &self.configured_in),
        ];
        for (k, v) in fields.iter().filter(|(_, v)| !v.is_empty()) {
            out.push_str(&entry(k, Node::string(v.as_str()))?);
        }
        let b = &self.configured_by;
        let by = [
            ("apiVersion", &b.api_version),
            ("kind", &b.kind),
            ("name", &b.name),
            ("namespace", &b.namespace),
        ];
        if by.iter().any(|(_, v)| !v.is_empty()) {
            let mut m = Node::mapping();
            for (k, v) in by.iter().filter(|(_, v)| !v.is_empty()) {
                m.set(k, Node::string(v.as_str()));
            }
            out.push_str(&entry("configuredBy", m)?);
        }
        Ok(out)
    }
}

/// A transformations annotation read back as kustomize reads it (a YAML list of origins).
fn parse_transformations(text: &str) -> Result<Vec<Origin>, BuildError> {
    let bad = |e: String| {
        BuildError::Invalid(format!("error unmarshaling JSON: while decoding JSON: {e}"))
    };
    let Some(node) = yaml::parse_first(text).map_err(|e| bad(e.to_string()))? else {
        return Ok(Vec::new());
    };
    let json = yaml::to_json_v2(&node).map_err(bad)?;
    if json.is_null() {
        return Ok(Vec::new());
    }
    let items: Vec<Option<Origin>> =
        serde_json::from_value(json).map_err(|e| bad(format!("json: {e}")))?;
    Ok(items.into_iter().map(Option::unwrap_or_default).collect())
}

fn list_yaml(origins: &[Origin]) -> Result<String, BuildError> {
    let mut out = String::new();
    for o in origins {
        for (i, l) in o.to_yaml()?.lines().enumerate() {
            out.push_str(if i == 0 { "- " } else { "  " });
            out.push_str(l);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Annotates resources read from `file` (a path below some kustomization) with their origin.
pub fn annotate_file(
    resources: &mut [Resource],
    top_root: &str,
    file: &str,
) -> Result<(), BuildError> {
    let origin = Origin {
        path: rel_path(top_root, file),
        ..Origin::default()
    };
    let text = origin.to_yaml()?;
    for r in resources {
        r.set_annotation(ORIGIN_ANNOTATION, &text);
    }
    Ok(())
}

fn has_origin(r: &Resource) -> bool {
    r.annotations().iter().any(|(k, _)| k == ORIGIN_ANNOTATION)
}

/// Annotates generated resources that have no origin with the generator that made them.
pub fn annotate_generated(
    resources: &mut [Resource],
    top_root: &str,
    kustomization_file: &str,
    field: &str,
) -> Result<(), BuildError> {
    let mut kind: String = field.chars().take(1).flat_map(char::to_uppercase).collect();
    kind.push_str(field.get(1..).unwrap_or_default());
    let file = rel_path(top_root, kustomization_file);
    let text = Origin::builtin(file, &kind).to_yaml()?;
    for r in resources.iter_mut().filter(|r| !has_origin(r)) {
        r.set_annotation(ORIGIN_ANNOTATION, &text);
    }
    Ok(())
}

/// kustomize's plugin type and number of instances of the transformer serving `field`.
fn transformer_instances(field: &str, k: &Kustomization) -> (&'static str, usize) {
    match field {
        "patchesStrategicMerge" => ("PatchStrategicMergeTransformer", 1),
        "patches" => ("PatchTransformer", k.patches.len()),
        "namespace" => ("NamespaceTransformer", 1),
        "namePrefix" => ("PrefixTransformer", 1),
        "nameSuffix" => ("SuffixTransformer", 1),
        "labels" => ("LabelTransformer", k.labels.len() + 1),
        "commonAnnotations" => ("AnnotationsTransformer", 1),
        "patchesJson6902" => (
            "PatchJson6902Transformer",
            k.patches_json6902.as_ref().map_or(0, Vec::len),
        ),
        "replicas" => ("ReplicaCountTransformer", k.replicas.len()),
        "images" => ("ImageTagTransformer", k.images.len()),
        "replacements" => ("ReplacementTransformer", 1),
        _ => ("", 0),
    }
}

/// After a transformer ran, kustomize records it on every resource (`multiTransformer`
/// with origins): appended to the transformations annotation, or as the origin of a
/// resource that has none.
pub fn record_transformer(
    resources: &mut ResMap,
    top_root: &str,
    kustomization_file: &str,
    field: &str,
    k: &Kustomization,
) -> Result<(), BuildError> {
    let (kind, count) = transformer_instances(field, k);
    if count == 0 {
        return Ok(());
    }
    let origin = Origin::builtin(rel_path(top_root, kustomization_file), kind);
    record(resources, &origin, count)
}

/// Appends `origin` `count` times to every resource's transformations (or makes it the
/// origin of a resource that has none).
fn record(resources: &mut ResMap, origin: &Origin, count: usize) -> Result<(), BuildError> {
    let text = origin.to_yaml()?;
    for r in resources.resources_mut() {
        for _ in 0..count {
            if !has_origin(r) {
                r.set_annotation(ORIGIN_ANNOTATION, &text);
                continue;
            }
            let before = r
                .annotations()
                .into_iter()
                .find(|(k, _)| k == TRANSFORMATIONS_ANNOTATION)
                .map(|(_, v)| v)
                .unwrap_or_default();
            let mut list = parse_transformations(&before)?;
            list.push(origin.clone());
            r.set_annotation(TRANSFORMATIONS_ANNOTATION, &list_yaml(&list)?);
        }
    }
    Ok(())
}

/// The origin of a plugin: where its config was written (the config's own origin path, or
/// the kustomization file for an inline config) and the config's identity.
pub fn plugin_origin(config: &Resource, top_root: &str, kustomization_file: &str) -> Origin {
    let written = config
        .annotations()
        .into_iter()
        .find(|(k, _)| k == ORIGIN_ANNOTATION)
        .and_then(|(_, v)| yaml::parse_first(&v).ok().flatten())
        .and_then(|n| n.get_str(&["path"]).map(str::to_string));
    Origin {
        configured_in: written.unwrap_or_else(|| rel_path(top_root, kustomization_file)),
        configured_by: ConfiguredBy {
            api_version: config.api_version(),
            kind: config.kind(),
            name: config.name(),
            namespace: config.namespace(),
        },
        ..Origin::default()
    }
}

/// Records one run of a plugin transformer on every resource.
pub fn record_plugin(resources: &mut ResMap, origin: &Origin) -> Result<(), BuildError> {
    record(resources, origin, 1)
}

/// Gives the resources a plugin generated, when they have no origin, the plugin's.
pub fn annotate_plugin_generated(
    resources: &mut [Resource],
    origin: &Origin,
) -> Result<(), BuildError> {
    let text = origin.to_yaml()?;
    for r in resources.iter_mut().filter(|r| !has_origin(r)) {
        r.set_annotation(ORIGIN_ANNOTATION, &text);
    }
    Ok(())
}

/// kustomize's managed-by label, set on every object after sorting.
pub fn add_managed_by(resmap: &mut ResMap) -> Result<(), BuildError> {
    let spec = crate::kustomization::FieldSpec {
        path: "metadata/labels".into(),
        create_if_not_present: true,
        ..Default::default()
    };
    for r in resmap.resources_mut() {
        fieldspec::set_string_everywhere(
            &mut r.node,
            std::slice::from_ref(&spec),
            MANAGED_BY_LABEL,
            MANAGED_BY_VALUE,
        )
        .map_err(|e| BuildError::Invalid(e.to_string()))?;
    }
    Ok(())
}

/// The path of a file named relative to a directory, for [`annotate_file`].
pub fn file_path(dir: &str, path: &str) -> String {
    fs::join(dir, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transformers_are_recorded_per_instance() {
        let mut m = ResMap::new();
        let r =
            crate::resource::from_bytes("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
                .expect("reads")
                .remove(0);
        m.append(r).expect("appends");
        let k = Kustomization {
            images: vec![Default::default(), Default::default()],
            ..Default::default()
        };
        let origin = |m: &ResMap, key: &str| {
            m.resources()[0]
                .annotations()
                .into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
        };
        record_transformer(&mut m, "/t", "/t/b/kustomization.yaml", "namespace", &k)
            .expect("records");
        let by = "configuredIn: b/kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n";
        assert_eq!(
            origin(&m, ORIGIN_ANNOTATION),
            Some(format!("{by}  kind: NamespaceTransformer\n"))
        );
        record_transformer(&mut m, "/t", "/t/kustomization.yaml", "images", &k).expect("records");
        let item = "- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: ImageTagTransformer\n";
        assert_eq!(
            origin(&m, TRANSFORMATIONS_ANNOTATION),
            Some(format!("{item}{item}"))
        );
    }

    #[test]
    fn relative_paths() {
        let cases = [
            ("/a", "/a/r.yaml", "r.yaml"),
            ("/a", "/a/b/c/r.yaml", "b/c/r.yaml"),
            ("/a/o", "/a/base/r.yaml", "../base/r.yaml"),
            ("/", "/r.yaml", "r.yaml"),
            ("/a", "/a", "."),
        ];
        for (root, path, want) in cases {
            assert_eq!(rel_path(root, path), want);
        }
    }
}
