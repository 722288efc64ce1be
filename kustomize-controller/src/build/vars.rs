//! Post-build variables: `spec.postBuild.substituteFrom` ConfigMaps and Secrets (optional
//! ones may be missing), then the inline `substitute` map, later sources overriding earlier
//! ones, as Flux's `LoadVariables` gathers them. Values never reach messages.

use std::collections::BTreeMap;

use fluxion_api::kustomize::{Kustomization, SubstituteKind};
use fluxion_kustomize::substitute::Vars;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::{Api, ResourceExt};

use crate::error::Error;

/// The variables of `ks`, or `None` when it has no `spec.postBuild`.
pub async fn load(client: &kube::Client, ks: &Kustomization) -> Result<Option<Vars>, Error> {
    let Some(post) = &ks.spec.post_build else {
        return Ok(None);
    };
    let namespace = ks.namespace().unwrap_or_default();
    let mut vars = Vars::new();
    for reference in &post.substitute_from {
        let found = match reference.kind {
            SubstituteKind::ConfigMap => {
                let api: Api<ConfigMap> = Api::namespaced(client.clone(), &namespace);
                api.get_opt(&reference.name)
                    .await
                    .map(|cm| cm.map(config_map_data))
            }
            SubstituteKind::Secret => {
                let api: Api<Secret> = Api::namespaced(client.clone(), &namespace);
                api.get_opt(&reference.name)
                    .await
                    .map(|s| s.map(secret_data))
            }
        };
        let what = format!("{:?}/{}", reference.kind, reference.name);
        match found {
            Ok(Some(data)) => vars.extend(data),
            Ok(None) if reference.optional => {}
            Ok(None) => {
                return Err(Error::Build(format!(
                    "substitute from '{what}' failed: {} \"{}\" not found",
                    kind_plural(reference.kind),
                    reference.name
                )));
            }
            Err(e) => {
                return Err(Error::Build(format!(
                    "substitute from '{what}' failed: {e}"
                )));
            }
        }
    }
    vars.extend(post.substitute.iter().map(|(k, v)| (k.clone(), v)));
    Ok(Some(vars))
}

fn kind_plural(kind: SubstituteKind) -> &'static str {
    match kind {
        SubstituteKind::ConfigMap => "configmaps",
        SubstituteKind::Secret => "secrets",
    }
}

fn config_map_data(cm: ConfigMap) -> BTreeMap<String, String> {
    cm.data.unwrap_or_default()
}

fn secret_data(secret: Secret) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned()))
        .collect();
    out.extend(secret.string_data.unwrap_or_default());
    out
}
