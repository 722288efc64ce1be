//! `fluxion install [--export]`: the repository's manifests/ (embedded at build time), built
//! with fluxion-kustomize, printed or applied with server-side apply.

use std::time::Duration;

use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::discovery::{Discovery, Scope};
use serde_json::Value;

use fluxion_kustomize::{BuildOptions, MemFs, build};

use crate::args::{GlobalArgs, InstallArgs};
use crate::error::CliError;
use crate::{kube as kubeclient, log};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/manifests.rs"));
}

/// The field manager of objects `fluxion install` applies (the flux CLI's own name).
pub const FIELD_MANAGER: &str = "flux";

pub async fn run(global: &GlobalArgs, args: &InstallArgs) -> Result<(), CliError> {
    let rendered = render(&global.namespace)?;
    if args.export {
        crate::output::emit(&format!("---\n{rendered}"))?;
        return Ok(());
    }
    log::generate("generating manifests");
    let objects = parse_documents(&rendered)?;
    log::success("manifests build completed");
    log::action(&format!(
        "installing components in {} namespace",
        global.namespace
    ));
    let client = kubeclient::client(global).await?;
    apply_objects(&client, &objects, global.timeout, Report::Lines).await?;
    log::success("install finished");
    Ok(())
}

/// The install manifests for `namespace`, as `kubectl kustomize manifests/` prints them.
pub fn render(namespace: &str) -> Result<String, CliError> {
    let mut fsys = MemFs::new();
    for (path, content) in embedded::MANIFESTS {
        let mut content =
            content.replace("namespace: flux-system", &format!("namespace: {namespace}"));
        if *path == "namespace.yaml" {
            content = content.replace("name: flux-system", &format!("name: {namespace}"));
        }
        fsys.add_file(&format!("/manifests/{path}"), content);
    }
    build(&fsys, "/manifests", &BuildOptions::default()).map_err(|e| CliError::Build(e.to_string()))
}

/// Splits a multi-document YAML stream into objects.
pub fn parse_documents(text: &str) -> Result<Vec<DynamicObject>, CliError> {
    let docs =
        fluxion_kustomize::yaml::parse_all(text).map_err(|e| CliError::Build(e.to_string()))?;
    docs.iter()
        .map(|node| {
            let value = fluxion_kustomize::yaml::to_value(node)
                .map_err(|e| CliError::Build(e.to_string()))?;
            let json = Value::from(&value);
            serde_json::from_value(json).map_err(|e| CliError::Build(e.to_string()))
        })
        .collect()
}

/// Whether applying prints a `Kind/name serverside-applied` line per object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Lines,
    Quiet,
}

/// Applies CRDs and Namespaces first, waits for the CRDs to be served, then the rest.
pub async fn apply_objects(
    client: &kube::Client,
    objects: &[DynamicObject],
    timeout: Duration,
    report: Report,
) -> Result<(), CliError> {
    let (first, rest): (Vec<_>, Vec<_>) = objects
        .iter()
        .partition(|o| matches!(kind_of(o), "CustomResourceDefinition" | "Namespace"));
    let discovery = Discovery::new(client.clone()).run().await?;
    for obj in &first {
        apply_one(client, &discovery, obj, report).await?;
    }
    wait_for_kinds(client, &rest, timeout).await?;
    let discovery = Discovery::new(client.clone()).run().await?;
    for obj in &rest {
        apply_one(client, &discovery, obj, report).await?;
    }
    Ok(())
}

fn kind_of(obj: &DynamicObject) -> &str {
    obj.types.as_ref().map_or("", |t| t.kind.as_str())
}

async fn apply_one(
    client: &kube::Client,
    discovery: &Discovery,
    obj: &DynamicObject,
    report: Report,
) -> Result<(), CliError> {
    let types = obj
        .types
        .as_ref()
        .ok_or_else(|| CliError::Build("object without apiVersion/kind".into()))?;
    let gvk = kube::core::GroupVersionKind::try_from(types)
        .map_err(|e| CliError::Build(e.to_string()))?;
    let (resource, caps) = discovery.resolve_gvk(&gvk).ok_or_else(|| {
        CliError::Build(format!(
            "no matches for kind \"{}\" in version \"{}\"",
            types.kind, types.api_version
        ))
    })?;
    let name = obj.metadata.name.clone().unwrap_or_default();
    let api: Api<DynamicObject> = match (caps.scope, obj.metadata.namespace.as_deref()) {
        (Scope::Namespaced, Some(ns)) => Api::namespaced_with(client.clone(), ns, &resource),
        (Scope::Namespaced, None) => Api::default_namespaced_with(client.clone(), &resource),
        (Scope::Cluster, _) => Api::all_with(client.clone(), &resource),
    };
    let params = PatchParams::apply(FIELD_MANAGER).force();
    api.patch(&name, &params, &Patch::Apply(obj)).await?;
    if report == Report::Lines {
        crate::output::emit(&format!("{}/{} serverside-applied\n", types.kind, name))?;
    }
    Ok(())
}

/// Waits until every kind `objects` use is served (CRDs just applied become Established).
async fn wait_for_kinds(
    client: &kube::Client,
    objects: &[&DynamicObject],
    timeout: Duration,
) -> Result<(), CliError> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let discovery = Discovery::new(client.clone()).run().await?;
        let missing = objects.iter().find_map(|o| {
            let types = o.types.as_ref()?;
            let gvk = kube::core::GroupVersionKind::try_from(types).ok()?;
            discovery
                .resolve_gvk(&gvk)
                .is_none()
                .then(|| types.kind.clone())
        });
        match missing {
            None => return Ok(()),
            Some(kind) if tokio::time::Instant::now() >= deadline => {
                return Err(CliError::Timeout(format!("kind {kind} to be served")));
            }
            Some(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_component_into_the_namespace() {
        let out = render("flux-system").expect("render");
        assert_eq!(out.matches("kind: CustomResourceDefinition").count(), 14);
        assert!(out.contains("name: source-controller"));
        let other = render("gitops").expect("render");
        assert!(other.contains("namespace: gitops"));
        assert!(!other.contains("namespace: flux-system"));
        let objects = parse_documents(&out).expect("parse");
        assert!(objects.len() > 14);
    }
}
