//! `fluxion export source git|oci NAME|--all`, `export kustomization NAME|--all`: the objects
//! as YAML that can be applied again (spec and declared metadata only).

use kube::api::ListParams;

use crate::args::{ExportArgs, GlobalArgs};
use crate::commands::reconcile::api;
use crate::error::CliError;
use crate::kinds::parse_target;
use crate::kube as kubeclient;
use crate::output::{export_doc, exportable};

pub async fn run(global: &GlobalArgs, args: &ExportArgs) -> Result<(), CliError> {
    let target = parse_target(&args.words)?;
    if target.name.is_none() && !args.all {
        return Err(CliError::usage("name is required"));
    }
    let client = kubeclient::client(global).await?;
    let mut out = String::new();
    for kind in &target.kinds {
        let api = api(&client, *kind, &global.namespace);
        let items = match &target.name {
            Some(name) => vec![api.get_opt(name).await?.ok_or_else(|| CliError::NotFound {
                kind: kind.kind().to_string(),
                name: name.clone(),
                namespace: global.namespace.clone(),
            })?],
            None => api.list(&ListParams::default()).await?.items,
        };
        for item in items {
            let mut value =
                serde_json::to_value(&item).map_err(|e| CliError::Build(e.to_string()))?;
            value["apiVersion"] = kind.api_resource().api_version.into();
            value["kind"] = kind.kind().into();
            out.push_str(&export_doc(&exportable(&value)));
        }
    }
    crate::output::emit(&out)?;
    Ok(())
}
