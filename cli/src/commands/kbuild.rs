//! `fluxion build kustomization NAME --path DIR`: what the Kustomization would apply if its
//! source held DIR, built exactly as kustomize-controller builds (Flux's generator, the
//! kustomize build, post-build substitution from the cluster's ConfigMaps and Secrets, owner
//! labels). `--dry-run` with `--kustomization-file` needs no cluster. SOPS-encrypted Secret
//! values print as `**SOPS**`, as flux does.

use std::path::Path;

use fluxion_api::kustomize::Kustomization;
use serde_json::{Value, json};

use kustomize_controller::build::{PostBuild, build};

use crate::args::{BuildKsArgs, GlobalArgs};
use crate::error::CliError;
use crate::kube as kubeclient;
use crate::output::export_doc;

const NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
const NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";
const SOPS_MASK: &str = "**SOPS**";

pub async fn run(global: &GlobalArgs, args: &BuildKsArgs) -> Result<(), CliError> {
    let client = match args.dry_run {
        true => None,
        false => Some(kubeclient::client(global).await?),
    };
    let (_, objects) = build_objects(global, args, client.as_ref()).await?;
    let text: String = objects.iter().map(export_doc).collect();
    crate::output::emit(&text)?;
    Ok(())
}

/// The Kustomization (from --kustomization-file or the cluster) and its built objects.
pub async fn build_objects(
    global: &GlobalArgs,
    args: &BuildKsArgs,
    client: Option<&kube::Client>,
) -> Result<(Kustomization, Vec<Value>), CliError> {
    let dir = std::path::absolute(&args.path)?;
    if !dir.is_dir() {
        return Err(CliError::usage(format!(
            "invalid resource path {:?}",
            dir.display().to_string()
        )));
    }
    let mut ks = kustomization(global, args, client).await?;
    let vars = match (client, args.dry_run) {
        (Some(client), false) => kustomize_controller::build::vars::load(client, &ks)
            .await
            .map_err(|e| CliError::Build(e.to_string()))?,
        _ => inline_vars(&ks),
    };
    // DIR stands in for the source's spec.path; its repository (or DIR alone) is copied as
    // the artifact would be, so bases beside it resolve as they do in the controller.
    let source_root = repository_root(&dir).unwrap_or_else(|| dir.clone());
    let relative = dir.strip_prefix(&source_root).unwrap_or(Path::new(""));
    ks.spec.path = Some(format!("./{}", relative.display()));
    let root = tempfile::tempdir()?;
    match tracked_files(&source_root) {
        Some(files) => copy_files(&source_root, &files, root.path())?,
        None => copy_tree(&source_root, root.path())?,
    }
    let post = PostBuild {
        vars,
        strict: args.strict_substitute,
        decryptor: None,
    };
    let built = build(root.path(), &ks, &post).map_err(|e| CliError::Build(e.to_string()))?;
    let name = ks.metadata.name.clone().unwrap_or_default();
    let namespace = ks
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| global.namespace.clone());
    let objects = built
        .objects
        .into_iter()
        .map(|mut o| {
            set_owner_labels(&mut o, &name, &namespace);
            mask_sops_secret(&mut o);
            o
        })
        .collect();
    Ok((ks, objects))
}

async fn kustomization(
    global: &GlobalArgs,
    args: &BuildKsArgs,
    client: Option<&kube::Client>,
) -> Result<Kustomization, CliError> {
    if let Some(file) = &args.kustomization_file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            CliError::usage(format!(
                "invalid kustomization file {:?}: {e}",
                file.display().to_string()
            ))
        })?;
        let docs = fluxion_kustomize::yaml::parse_all(&text)
            .map_err(|e| CliError::Build(e.to_string()))?;
        for node in &docs {
            let value = fluxion_kustomize::yaml::to_value(node)
                .map_err(|e| CliError::Build(e.to_string()))?;
            let json = Value::from(&value);
            let is_match = json.get("kind") == Some(&json!("Kustomization"))
                && json.pointer("/metadata/name") == Some(&json!(args.name));
            if is_match {
                let mut ks: Kustomization =
                    serde_json::from_value(json).map_err(|e| CliError::Build(e.to_string()))?;
                ks.metadata
                    .namespace
                    .get_or_insert_with(|| global.namespace.clone());
                return Ok(ks);
            }
        }
        return Err(CliError::usage(format!(
            "Kustomization '{}' not found in {}",
            args.name,
            file.display()
        )));
    }
    if args.dry_run {
        return Err(CliError::usage(
            "dry-run mode requires a kustomization file",
        ));
    }
    let client = client.ok_or_else(|| CliError::usage("a cluster is required"))?;
    let api: kube::Api<Kustomization> = kube::Api::namespaced(client.clone(), &global.namespace);
    api.get_opt(&args.name)
        .await?
        .ok_or_else(|| CliError::NotFound {
            kind: "Kustomization".into(),
            name: args.name.clone(),
            namespace: global.namespace.clone(),
        })
}

/// Dry-run variables: only `postBuild.substitute` (substituteFrom needs the cluster).
fn inline_vars(ks: &Kustomization) -> Option<fluxion_kustomize::substitute::Vars> {
    let post = ks.spec.post_build.as_ref()?;
    let mut vars = fluxion_kustomize::substitute::Vars::new();
    vars.extend(post.substitute.clone());
    Some(vars)
}

fn set_owner_labels(obj: &mut Value, name: &str, namespace: &str) {
    let labels = &mut obj["metadata"]["labels"];
    if !labels.is_object() {
        *labels = json!({});
    }
    labels[NAME_LABEL] = json!(name);
    labels[NAMESPACE_LABEL] = json!(namespace);
}

/// A Secret still carrying SOPS metadata prints masked values, never ciphertext.
fn mask_sops_secret(obj: &mut Value) {
    let is_encrypted_secret =
        obj.get("kind") == Some(&json!("Secret")) && obj.get("sops").is_some();
    if !is_encrypted_secret {
        return;
    }
    if let Some(map) = obj.as_object_mut() {
        map.remove("sops");
    }
    for field in ["data", "stringData"] {
        if let Some(Value::Object(values)) = obj.get_mut(field) {
            values.values_mut().for_each(|v| *v = json!(SOPS_MASK));
        }
    }
}

/// The git work tree around `dir`, if any.
fn repository_root(dir: &Path) -> Option<std::path::PathBuf> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(dir)
        .output()
        .ok()?;
    let root = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !root.is_empty()).then(|| std::path::PathBuf::from(root))
}

/// The repository's files as git sees them (tracked, plus untracked ones not ignored), so a
/// build target directory or other ignored bulk is never copied.
fn tracked_files(root: &Path) -> Option<Vec<String>> {
    let out = std::process::Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .ok()?;
    out.status.success().then(|| {
        out.stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    })
}

fn copy_files(from: &Path, files: &[String], to: &Path) -> std::io::Result<()> {
    for file in files {
        let source = from.join(file);
        if !std::fs::symlink_metadata(&source).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let target = to.join(file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&source, &target)?;
    }
    Ok(())
}

/// Copies a directory tree (regular files and directories; symlinks and `.git` are left).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if entry.file_name() == ".git" {
            continue;
        }
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_encrypted_secrets_and_labels_owners() {
        let mut secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"token": "ENC[AES256_GCM,data:xx]"}, "sops": {"mac": "x"}});
        mask_sops_secret(&mut secret);
        assert_eq!(secret["data"]["token"], SOPS_MASK);
        assert!(secret.get("sops").is_none());
        set_owner_labels(&mut secret, "apps", "flux-system");
        assert_eq!(secret["metadata"]["labels"][NAME_LABEL], "apps");
        let mut plain = json!({"kind": "Secret", "data": {"a": "Yg=="}});
        mask_sops_secret(&mut plain);
        assert_eq!(plain["data"]["a"], "Yg==");
    }
}
