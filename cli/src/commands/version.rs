//! `fluxion version [--client]`: this CLI's version and, from the cluster, the controllers'
//! images (Deployments labelled `app.kubernetes.io/part-of=flux`).

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ListParams};

use crate::args::{GlobalArgs, VersionArgs};
use crate::error::CliError;
use crate::kube as kubeclient;

pub async fn run(global: &GlobalArgs, args: &VersionArgs) -> Result<(), CliError> {
    crate::output::emit(&format!("fluxion: v{}\n", env!("CARGO_PKG_VERSION")))?;
    if args.client {
        return Ok(());
    }
    let client = kubeclient::client(global).await?;
    let api: Api<Deployment> = Api::namespaced(client, &global.namespace);
    let list = api
        .list(&ListParams::default().labels("app.kubernetes.io/part-of=flux"))
        .await?;
    for d in list.items {
        let name = d.metadata.name.clone().unwrap_or_default();
        let images = d
            .spec
            .and_then(|s| s.template.spec)
            .map(|p| {
                p.containers
                    .into_iter()
                    .filter_map(|c| c.image)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for image in images {
            let tag = image.rsplit_once(':').map_or("", |(_, t)| t);
            crate::output::emit(&format!("{name}: {tag}\n"))?;
        }
    }
    Ok(())
}
