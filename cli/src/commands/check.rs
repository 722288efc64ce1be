//! `fluxion check [--pre]`: the cluster's Kubernetes version, then the controllers'
//! Deployments and the CRDs, reported as flux reports them; a failed check exits non-zero.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ListParams};

use crate::args::{CheckArgs, GlobalArgs};
use crate::error::CliError;
use crate::{kube as kubeclient, log};

/// The oldest Kubernetes minor version Fluxion supports (Flux 2.7's floor).
pub const MIN_KUBERNETES: (u64, u64) = (1, 32);

pub async fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<(), CliError> {
    let client = kubeclient::client(global).await?;
    let mut ok = prerequisites(&client).await?;
    if !args.pre {
        ok &= controllers(&client, &global.namespace).await?;
        ok &= crds(&client).await?;
    }
    if ok {
        log::success("all checks passed");
        Ok(())
    } else {
        Err(CliError::Failed("check failed".into()))
    }
}

async fn prerequisites(client: &kube::Client) -> Result<bool, CliError> {
    log::action("checking prerequisites");
    let info = client.apiserver_version().await?;
    let version = info.git_version.trim_start_matches('v').to_string();
    let wanted = format!(">={}.{}.0-0", MIN_KUBERNETES.0, MIN_KUBERNETES.1);
    if supported(&info.major, &info.minor) {
        log::success(&format!("Kubernetes {version} {wanted}"));
        Ok(true)
    } else {
        log::failure(&format!("Kubernetes {version} does not match {wanted}"));
        Ok(false)
    }
}

/// Whether `major.minor` (as /version reports them, e.g. `1`, `33+`) is supported.
pub fn supported(major: &str, minor: &str) -> bool {
    let num = |s: &str| s.trim_end_matches('+').parse::<u64>().ok();
    matches!((num(major), num(minor)), (Some(ma), Some(mi)) if (ma, mi) >= MIN_KUBERNETES)
}

async fn controllers(client: &kube::Client, namespace: &str) -> Result<bool, CliError> {
    log::action("checking controllers");
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let list = api
        .list(&ListParams::default().labels("app.kubernetes.io/part-of=flux"))
        .await?;
    if list.items.is_empty() {
        log::failure(&format!("no controllers found in {namespace} namespace"));
        return Ok(false);
    }
    let mut ok = true;
    for d in &list.items {
        let name = d.metadata.name.clone().unwrap_or_default();
        if deployment_ready(d) {
            log::success(&format!("{name}: deployment ready"));
        } else {
            log::failure(&format!("{name}: deployment not ready"));
            ok = false;
        }
        for c in d
            .spec
            .iter()
            .flat_map(|s| s.template.spec.iter())
            .flat_map(|p| &p.containers)
        {
            log::action(c.image.as_deref().unwrap_or_default());
        }
    }
    Ok(ok)
}

/// kstatus for a Deployment: the rollout observed and every wanted replica ready.
pub fn deployment_ready(d: &Deployment) -> bool {
    let wanted = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let Some(status) = &d.status else {
        return false;
    };
    let observed = status.observed_generation == d.metadata.generation;
    let ready = status.ready_replicas.unwrap_or(0) >= wanted;
    let updated = status.updated_replicas.unwrap_or(0) >= wanted;
    observed && ready && updated
}

async fn crds(client: &kube::Client) -> Result<bool, CliError> {
    log::action("checking crds");
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let mut ok = true;
    let mut found = 0;
    for crd in api.list(&ListParams::default()).await?.items {
        if !crd.spec.group.ends_with(".toolkit.fluxcd.io") {
            continue;
        }
        found += 1;
        let name = crd.metadata.name.clone().unwrap_or_default();
        let stored = crd
            .status
            .as_ref()
            .and_then(|s| s.stored_versions.clone())
            .unwrap_or_default();
        let established = crd
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .any(|c| c.type_ == "Established" && c.status == "True");
        if established {
            log::success(&format!(
                "{name}/{}",
                stored.last().cloned().unwrap_or_default()
            ));
        } else {
            log::failure(&format!("{name}: not established"));
            ok = false;
        }
    }
    if found == 0 {
        log::failure("no Flux CRDs found");
        ok = false;
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_versions() {
        assert!(supported("1", "33"));
        assert!(supported("1", "32+"));
        assert!(!supported("1", "31"));
        assert!(!supported("", "x"));
    }
}
