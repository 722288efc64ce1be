//! `fluxion uninstall [--keep-namespace] [--silent]`: the controllers and RBAC of the install
//! manifests, then the finalizers of every Flux object (so nothing hangs), the CRDs, and the
//! namespace; as flux uninstalls.

use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use kube::core::ApiResource;
use kube::discovery::{Discovery, Scope};
use serde_json::json;

use crate::args::{GlobalArgs, UninstallArgs};
use crate::commands::{install, lifecycle};
use crate::error::CliError;
use crate::{kube as kubeclient, log};

pub async fn run(global: &GlobalArgs, args: &UninstallArgs) -> Result<(), CliError> {
    if !args.silent
        && !lifecycle::confirm(
            "Are you sure you want to delete Flux and its custom resource definitions",
        )?
    {
        return Err(CliError::usage("aborting"));
    }
    let client = kubeclient::client(global).await?;
    let objects = install::parse_documents(&install::render(&global.namespace)?)?;
    let discovery = Discovery::new(client.clone()).run().await?;
    log::action(&format!(
        "deleting components in {} namespace",
        global.namespace
    ));
    for obj in objects
        .iter()
        .filter(|o| !matches!(kind(o), "CustomResourceDefinition" | "Namespace"))
    {
        delete(&client, &discovery, obj).await?;
    }
    log::action("deleting toolkit.fluxcd.io finalizers in all namespaces");
    for crd in fluxion_api::crd::all() {
        remove_finalizers(&client, &crd).await?;
    }
    log::action("deleting toolkit.fluxcd.io custom resource definitions");
    for obj in objects
        .iter()
        .filter(|o| kind(o) == "CustomResourceDefinition")
    {
        delete(&client, &discovery, obj).await?;
    }
    if !args.keep_namespace {
        for obj in objects.iter().filter(|o| kind(o) == "Namespace") {
            delete(&client, &discovery, obj).await?;
        }
    }
    log::success("uninstall finished");
    Ok(())
}

fn kind(obj: &DynamicObject) -> &str {
    obj.types.as_ref().map_or("", |t| t.kind.as_str())
}

/// `Kind/namespace/name` or `Kind/name`, as flux prints deleted objects.
fn subject(obj: &DynamicObject) -> String {
    let name = obj.metadata.name.as_deref().unwrap_or_default();
    match obj.metadata.namespace.as_deref() {
        Some(ns) => format!("{}/{ns}/{name}", kind(obj)),
        None => format!("{}/{name}", kind(obj)),
    }
}

async fn delete(
    client: &kube::Client,
    discovery: &Discovery,
    obj: &DynamicObject,
) -> Result<(), CliError> {
    let Some(types) = &obj.types else {
        return Ok(());
    };
    let Ok(gvk) = kube::core::GroupVersionKind::try_from(types) else {
        return Ok(());
    };
    let Some((resource, caps)) = discovery.resolve_gvk(&gvk) else {
        return Ok(());
    };
    let name = obj.metadata.name.clone().unwrap_or_default();
    let api: Api<DynamicObject> = match (caps.scope, obj.metadata.namespace.as_deref()) {
        (Scope::Namespaced, Some(ns)) => Api::namespaced_with(client.clone(), ns, &resource),
        _ => Api::all_with(client.clone(), &resource),
    };
    match api.delete(&name, &DeleteParams::default()).await {
        Ok(_) => log::success(&format!("{} deleted", subject(obj))),
        Err(kube::Error::Api(e)) if e.code == 404 => {}
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

async fn remove_finalizers(
    client: &kube::Client,
    crd: &k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
) -> Result<(), CliError> {
    let Some(version) = crd.spec.versions.iter().find(|v| v.storage) else {
        return Ok(());
    };
    let resource = ApiResource {
        group: crd.spec.group.clone(),
        version: version.name.clone(),
        api_version: format!("{}/{}", crd.spec.group, version.name),
        kind: crd.spec.names.kind.clone(),
        plural: crd.spec.names.plural.clone(),
    };
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
    let items = match api.list(&ListParams::default()).await {
        Ok(list) => list.items,
        Err(kube::Error::Api(e)) if e.code == 404 => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let patch = json!({"metadata": {"finalizers": null}});
    for item in items {
        let ns = item.metadata.namespace.clone().unwrap_or_default();
        let name = item.metadata.name.clone().unwrap_or_default();
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &ns, &resource);
        api.patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await?;
        log::success(&format!("{}/{ns}/{name} finalizers deleted", resource.kind));
    }
    Ok(())
}
