//! Flux's kustomization generator: the kustomization file of `spec.path` (generated over its
//! YAML files when there is none), with the Kustomization's targetNamespace, namePrefix,
//! nameSuffix, patches, images and components laid over it, written back before the build.

use std::path::Path;

use fluxion_api::kustomize::{Image, Kustomization, Patch, Selector};
use fluxion_kustomize::fs::{self as kfs, DiskFs};
use fluxion_kustomize::kustomization::{find_file, generate_for_dir};
use serde_json::{Map, Value, json};

use crate::error::Error;

fn build_err(e: impl std::fmt::Display) -> Error {
    Error::Build(e.to_string())
}

/// Writes the kustomization file for the virtual directory `dir` of the artifact at `root`.
pub fn write_kustomization(root: &Path, dir: &str, ks: &Kustomization) -> Result<(), Error> {
    let fsys = DiskFs::new(root).map_err(build_err)?;
    let (file, mut k) = match find_file(&fsys, dir).map_err(build_err)? {
        Some(file) => {
            let text =
                kfs::FileSystem::read_file(&fsys, &kfs::join(dir, &file)).map_err(build_err)?;
            let text = String::from_utf8_lossy(&text);
            // Read as Flux reads it (YAML to JSON with go-yaml v2 rules).
            let decode =
                |e: &dyn std::fmt::Display| Error::Build(format!("failed to decode {file}: {e}"));
            let value = match fluxion_kustomize::yaml::parse_first(&text).map_err(|e| decode(&e))? {
                Some(node) => fluxion_kustomize::yaml::to_json_v2(&node).map_err(|e| decode(&e))?,
                None => Value::Object(Map::new()),
            };
            let value = if value.is_null() {
                Value::Object(Map::new())
            } else {
                value
            };
            (file, value)
        }
        None => {
            let generated = generate_for_dir(&fsys, dir).map_err(build_err)?;
            let value = serde_json::to_value(generated).map_err(build_err)?;
            ("kustomization.yaml".to_string(), value)
        }
    };
    let Value::Object(map) = &mut k else {
        return Err(Error::Build(format!(
            "{file} is not a kustomization: expected a mapping"
        )));
    };
    overlay(map, ks, root, dir);
    let host = root.join(dir.trim_start_matches('/')).join(&file);
    // JSON is YAML: the file stays readable by the build without a YAML printer.
    let text = serde_json::to_string_pretty(&k).map_err(build_err)?;
    std::fs::write(&host, text).map_err(|e| Error::Build(format!("writing {file}: {e}")))
}

/// Lays the spec fields over a kustomization, as Flux's generator does.
pub fn overlay(k: &mut Map<String, Value>, ks: &Kustomization, root: &Path, dir: &str) {
    let spec = &ks.spec;
    if let Some(ns) = spec.target_namespace.as_deref().filter(|s| !s.is_empty()) {
        k.insert("namespace".into(), json!(ns));
    }
    if let Some(prefix) = spec.name_prefix.as_deref().filter(|s| !s.is_empty()) {
        k.insert("namePrefix".into(), json!(prefix));
    }
    if let Some(suffix) = spec.name_suffix.as_deref().filter(|s| !s.is_empty()) {
        k.insert("nameSuffix".into(), json!(suffix));
    }
    if !spec.patches.is_empty() {
        let mut list = take_list(k, "patches");
        list.extend(spec.patches.iter().map(patch));
        k.insert("patches".into(), Value::Array(list));
    }
    if !spec.images.is_empty() {
        let mut list = take_list(k, "images");
        for image in &spec.images {
            let new = image_value(image);
            let same = |i: &Value| i.get("name").and_then(Value::as_str) == Some(&image.name);
            match list.iter_mut().find(|i| same(i)) {
                Some(existing) => *existing = new,
                None => list.push(new),
            }
        }
        k.insert("images".into(), Value::Array(list));
    }
    let components: Vec<&String> = spec
        .components
        .iter()
        .filter(|c| !spec.ignore_missing_components || component_exists(root, dir, c))
        .collect();
    if !components.is_empty() {
        let mut list = take_list(k, "components");
        list.extend(components.into_iter().map(|c| json!(c)));
        k.insert("components".into(), Value::Array(list));
    }
}

fn component_exists(root: &Path, dir: &str, component: &str) -> bool {
    let virtual_path = kfs::join(dir, component);
    if !kfs::is_within(&virtual_path, "/") {
        return false;
    }
    root.join(virtual_path.trim_start_matches('/')).exists()
}

/// The list under `key` (a missing or non-list value counts as empty).
fn take_list(k: &mut Map<String, Value>, key: &str) -> Vec<Value> {
    match k.remove(key) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}

fn patch(p: &Patch) -> Value {
    let mut out = Map::new();
    out.insert("patch".into(), json!(p.patch));
    if let Some(target) = &p.target {
        out.insert("target".into(), selector(target));
    }
    Value::Object(out)
}

fn selector(s: &Selector) -> Value {
    let mut out = Map::new();
    let fields = [
        ("group", &s.group),
        ("version", &s.version),
        ("kind", &s.kind),
        ("name", &s.name),
        ("namespace", &s.namespace),
        ("labelSelector", &s.label_selector),
        ("annotationSelector", &s.annotation_selector),
    ];
    for (key, value) in fields {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            out.insert(key.into(), json!(v));
        }
    }
    Value::Object(out)
}

fn image_value(image: &Image) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(image.name));
    let fields = [
        ("newName", &image.new_name),
        ("newTag", &image.new_tag),
        ("digest", &image.digest),
    ];
    for (key, value) in fields {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            out.insert(key.into(), json!(v));
        }
    }
    Value::Object(out)
}
