//! `fluxion create source git|oci NAME` and `fluxion create kustomization NAME`: the object
//! flux would generate, printed with --export, else applied and waited for until Ready.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use fluxion_api::duration::format_duration;

use crate::args::{
    CreateCommand, CreateCommon, CreateKustomizationArgs, CreateSourceCommand, CreateSourceGitArgs,
    CreateSourceOciArgs, GlobalArgs,
};
use crate::commands::reconcile;
use crate::error::CliError;
use crate::kinds::FluxKind;
use crate::output::export_doc;

pub async fn run(global: &GlobalArgs, command: CreateCommand) -> Result<(), CliError> {
    let (kind, obj, common) = match command {
        CreateCommand::Source(CreateSourceCommand::Git(a)) => (
            FluxKind::GitRepository,
            git_repository(&global.namespace, &a)?,
            a.common,
        ),
        CreateCommand::Source(CreateSourceCommand::Oci(a)) => (
            FluxKind::OciRepository,
            oci_repository(&global.namespace, &a)?,
            a.common,
        ),
        CreateCommand::Kustomization(a) => (
            FluxKind::Kustomization,
            kustomization(&global.namespace, &a)?,
            a.common,
        ),
        CreateCommand::Secret(crate::args::CreateSecretCommand::Git(a)) => {
            return crate::commands::secret::run(global, &a).await;
        }
    };
    if common.export {
        crate::output::emit(&export_doc(&obj))?;
        return Ok(());
    }
    reconcile::upsert_and_wait(global, kind, obj).await
}

fn metadata(name: &str, namespace: &str, common: &CreateCommon) -> Result<Value, CliError> {
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    meta.insert("namespace".into(), json!(namespace));
    let labels = parse_labels(&common.label)?;
    if !labels.is_empty() {
        meta.insert("labels".into(), json!(labels));
    }
    Ok(Value::Object(meta))
}

/// `--label k=v,k2=v2` as flux parses it.
pub fn parse_labels(labels: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    labels
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(CliError::usage(format!(
                "invalid label format '{l}', must be key=value"
            ))),
        })
        .collect()
}

/// The GitRepository `flux create source git` generates.
pub fn git_repository(namespace: &str, a: &CreateSourceGitArgs) -> Result<Value, CliError> {
    let scheme = a.url.split_once("://").map(|(s, _)| s).unwrap_or_default();
    if !matches!(scheme, "ssh" | "http" | "https") {
        return Err(CliError::usage(format!(
            "git URL scheme '{scheme}' not supported, can be: ssh, http and https"
        )));
    }
    let reference = git_ref(a)?;
    let mut spec = Map::new();
    spec.insert("interval".into(), json!(format_duration(a.common.interval)));
    spec.insert("ref".into(), reference);
    spec.insert("url".into(), json!(a.url));
    if let Some(secret) = &a.secret_ref {
        spec.insert("secretRef".into(), json!({"name": secret}));
    }
    if a.recurse_submodules {
        spec.insert("recurseSubmodules".into(), json!(true));
    }
    if !a.ignore_paths.is_empty() {
        spec.insert("ignore".into(), json!(a.ignore_paths.join("\n")));
    }
    Ok(json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": metadata(&a.name, namespace, &a.common)?,
        "spec": spec,
    }))
}

/// flux's precedence: commit (with its branch), ref name, semver, tag, then branch.
fn git_ref(a: &CreateSourceGitArgs) -> Result<Value, CliError> {
    let r = if let Some(commit) = &a.commit {
        let mut r = json!({"commit": commit});
        if let Some(branch) = &a.branch {
            r["branch"] = json!(branch);
        }
        r
    } else if let Some(name) = &a.ref_name {
        json!({"name": name})
    } else if let Some(semver) = &a.tag_semver {
        json!({"semver": semver})
    } else if let Some(tag) = &a.tag {
        json!({"tag": tag})
    } else if let Some(branch) = &a.branch {
        json!({"branch": branch})
    } else {
        return Err(CliError::usage(
            "a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver",
        ));
    };
    Ok(r)
}

/// The OCIRepository `flux create source oci` generates.
pub fn oci_repository(namespace: &str, a: &CreateSourceOciArgs) -> Result<Value, CliError> {
    if !a.url.starts_with("oci://") {
        return Err(CliError::usage(format!(
            "url must start with oci://, got '{}'",
            a.url
        )));
    }
    let reference = match (&a.digest, &a.tag_semver, &a.tag) {
        (Some(d), _, _) => json!({"digest": d}),
        (None, Some(s), _) => json!({"semver": s}),
        (None, None, Some(t)) => json!({"tag": t}),
        (None, None, None) => {
            return Err(CliError::usage(
                "one of --tag, --tag-semver or --digest is required",
            ));
        }
    };
    let mut spec = Map::new();
    spec.insert("interval".into(), json!(format_duration(a.common.interval)));
    spec.insert("ref".into(), reference);
    spec.insert("url".into(), json!(a.url));
    if let Some(secret) = &a.secret_ref {
        spec.insert("secretRef".into(), json!({"name": secret}));
    }
    if !a.ignore_paths.is_empty() {
        spec.insert("ignore".into(), json!(a.ignore_paths.join("\n")));
    }
    if a.insecure {
        spec.insert("insecure".into(), json!(true));
    }
    Ok(json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "OCIRepository",
        "metadata": metadata(&a.name, namespace, &a.common)?,
        "spec": spec,
    }))
}

/// `--source [<kind>/]<name>[.<namespace>]` → a sourceRef.
pub fn source_ref(source: &str, namespace: &str) -> Result<Value, CliError> {
    let (kind, rest) = match source.split_once('/') {
        Some((kind, rest)) => (kind, rest),
        None => ("GitRepository", source),
    };
    if !matches!(kind, "GitRepository" | "OCIRepository" | "Bucket") {
        return Err(CliError::usage(format!(
            "source kind '{kind}' is not supported, must be one of: GitRepository, OCIRepository, Bucket"
        )));
    }
    let (name, ns) = rest.split_once('.').unwrap_or((rest, ""));
    if name.is_empty() {
        return Err(CliError::usage("source name is required"));
    }
    let mut r = json!({"kind": kind, "name": name});
    if !ns.is_empty() && ns != namespace {
        r["namespace"] = json!(ns);
    }
    Ok(r)
}

/// The Kustomization `flux create kustomization` generates.
pub fn kustomization(namespace: &str, a: &CreateKustomizationArgs) -> Result<Value, CliError> {
    let mut spec = Map::new();
    spec.insert("interval".into(), json!(format_duration(a.common.interval)));
    spec.insert("path".into(), json!(a.path));
    spec.insert("prune".into(), json!(a.prune));
    spec.insert("sourceRef".into(), source_ref(&a.source, namespace)?);
    if a.wait {
        spec.insert("wait".into(), json!(true));
    }
    if a.force {
        spec.insert("force".into(), json!(true));
    }
    if let Some(t) = &a.target_namespace {
        spec.insert("targetNamespace".into(), json!(t));
    }
    if let Some(sa) = &a.service_account {
        spec.insert("serviceAccountName".into(), json!(sa));
    }
    if let Some(t) = a.health_check_timeout {
        spec.insert("timeout".into(), json!(format_duration(t)));
    }
    if !a.depends_on.is_empty() {
        let deps: Vec<Value> = a
            .depends_on
            .iter()
            .map(|d| match d.split_once('/') {
                Some((ns, name)) => json!({"name": name, "namespace": ns}),
                None => json!({"name": d}),
            })
            .collect();
        spec.insert("dependsOn".into(), Value::Array(deps));
    }
    Ok(json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": metadata(&a.name, namespace, &a.common)?,
        "spec": spec,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_refs_as_flux_parses_them() {
        let cases = [
            (
                "podinfo",
                json!({"kind": "GitRepository", "name": "podinfo"}),
            ),
            (
                "OCIRepository/app",
                json!({"kind": "OCIRepository", "name": "app"}),
            ),
            (
                "app.other",
                json!({"kind": "GitRepository", "name": "app", "namespace": "other"}),
            ),
            (
                "app.flux-system",
                json!({"kind": "GitRepository", "name": "app"}),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                source_ref(input, "flux-system").expect(input),
                want,
                "{input}"
            );
        }
        assert!(source_ref("HelmChart/x", "flux-system").is_err());
        assert!(source_ref("", "flux-system").is_err());
    }

    #[test]
    fn labels_parse_or_fail() {
        let labels = parse_labels(&["a=1".into(), "b=".into()]).expect("labels");
        assert_eq!(labels.get("a").map(String::as_str), Some("1"));
        assert!(parse_labels(&["novalue".into()]).is_err());
    }
}
