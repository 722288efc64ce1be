//! The client a run applies with: the controller's own, one impersonating the tenant's
//! service account (`spec.serviceAccountName` or `--default-service-account`), or one for a
//! remote cluster from the kubeconfig in `spec.kubeConfig.secretRef`.

use fluxion_api::kustomize::Kustomization;
use k8s_openapi::api::core::v1::Secret;
use kube::{Api, ResourceExt};

use crate::error::Error;

/// Flux's default keys of a kubeconfig Secret, tried in order when no key is given.
const KUBECONFIG_KEYS: [&str; 2] = ["value", "value.yaml"];

/// The service account user the run impersonates, if any.
pub fn impersonated_user(ks: &Kustomization, default_sa: Option<&str>) -> Option<String> {
    let sa = ks
        .spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
        .or(default_sa.filter(|s| !s.is_empty()))?;
    Some(format!(
        "system:serviceaccount:{}:{sa}",
        ks.namespace().unwrap_or_default()
    ))
}

/// Whether the run uses a client other than the controller's own.
pub fn needs_own_client(ks: &Kustomization, default_sa: Option<&str>) -> bool {
    ks.spec.kube_config.is_some() || impersonated_user(ks, default_sa).is_some()
}

/// Builds the run's client from `base` (the controller's configuration).
pub async fn client_for(
    base: &kube::Config,
    controller: &kube::Client,
    ks: &Kustomization,
    default_sa: Option<&str>,
) -> Result<kube::Client, Error> {
    let mut config = match ks
        .spec
        .kube_config
        .as_ref()
        .and_then(|k| k.secret_ref.as_ref())
    {
        Some(secret_ref) => {
            let namespace = ks.namespace().unwrap_or_default();
            let api: Api<Secret> = Api::namespaced(controller.clone(), &namespace);
            let secret = api.get(&secret_ref.name).await.map_err(|e| {
                Error::Client(format!(
                    "could not get KubeConfig secret '{namespace}/{}': {e}",
                    secret_ref.name
                ))
            })?;
            remote_config(&secret, secret_ref.key.as_deref()).await?
        }
        None if ks.spec.kube_config.is_some() => {
            return Err(Error::Client(
                "spec.kubeConfig needs a secretRef: configMapRef providers are not supported"
                    .into(),
            ));
        }
        None => base.clone(),
    };
    if let Some(user) = impersonated_user(ks, default_sa) {
        config.auth_info.impersonate = Some(user);
    }
    kube::Client::try_from(config).map_err(|e| Error::Client(e.to_string()))
}

/// The kubeconfig of a Secret: the given key, else `value`, else `value.yaml`. Its content is
/// never put into messages.
async fn remote_config(secret: &Secret, key: Option<&str>) -> Result<kube::Config, Error> {
    let name = secret.name_any();
    let data = secret.data.clone().unwrap_or_default();
    let bytes = match key.filter(|k| !k.is_empty()) {
        Some(key) => data.get(key).ok_or_else(|| {
            Error::Client(format!(
                "KubeConfig secret '{name}' does not contain a '{key}' key"
            ))
        })?,
        None => KUBECONFIG_KEYS
            .iter()
            .find_map(|k| data.get(*k))
            .ok_or_else(|| {
                Error::Client(format!(
                    "KubeConfig secret '{name}' does not contain a 'value' nor 'value.yaml' key"
                ))
            })?,
    };
    let text = String::from_utf8_lossy(&bytes.0);
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&text).map_err(|_| {
        Error::Client(format!(
            "KubeConfig secret '{name}' holds no valid kubeconfig"
        ))
    })?;
    kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .map_err(|e| Error::Client(format!("KubeConfig secret '{name}': {e}")))
}
