//! `buildMetadata`: origin annotations on resources and the managed-by label.
//!
//! When the top kustomization lists any build metadata option, kustomize records each
//! resource's origin (`config.kubernetes.io/origin`) while accumulating: the file it was
//! read from, relative to the top kustomization, or the generator and kustomization file
//! that made it. The annotation is printed only with `originAnnotations`.
//! `transformerAnnotations` (which transformer changed what) is not implemented.

use super::BuildError;
use crate::fs;
use crate::kustomization::Kustomization;
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::transform::fieldspec;
use crate::yaml::{self, Node};

pub const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
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

fn origin_text(entries: Vec<(&str, Node)>) -> Result<String, BuildError> {
    let mut m = Node::mapping();
    for (k, v) in entries {
        m.set(k, v);
    }
    Ok(yaml::node_to_yaml(&m)?)
}

/// Annotates resources read from `file` (a path below some kustomization) with their origin.
pub fn annotate_file(
    resources: &mut [Resource],
    top_root: &str,
    file: &str,
) -> Result<(), BuildError> {
    let text = origin_text(vec![("path", Node::string(rel_path(top_root, file)))])?;
    for r in resources {
        r.set_annotation(ORIGIN_ANNOTATION, &text);
    }
    Ok(())
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
    let mut by = Node::mapping();
    by.set("apiVersion", Node::string("builtin"));
    by.set("kind", Node::string(kind));
    let text = origin_text(vec![
        (
            "configuredIn",
            Node::string(rel_path(top_root, kustomization_file)),
        ),
        ("configuredBy", by),
    ])?;
    for r in resources {
        let has = r.annotations().iter().any(|(k, _)| k == ORIGIN_ANNOTATION);
        if !has {
            r.set_annotation(ORIGIN_ANNOTATION, &text);
        }
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
