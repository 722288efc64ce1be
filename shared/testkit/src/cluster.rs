//! The cluster side every controller test starts from: a fluxion-apiserver on loopback, the
//! Flux CRDs installed and served (or not, for tests that install them the way users do), a
//! namespace of the test's own; plus the waits and pokes those tests share.

use std::fmt::Debug;
use std::time::Duration;

use fluxion_apiserver::{ApiServer, ServerConfig};
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::api::core::v1::{Event, Namespace};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::Api;
use kube::api::{
    ApiResource, DynamicObject, GroupVersionKind, ListParams, Patch, PatchParams, PostParams,
};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::{Error, Result};
use crate::wait::wait_for;

/// How long the shared waits wait.
pub const WAIT: Duration = Duration::from_secs(30);
/// How often they look.
pub const POLL: Duration = Duration::from_millis(100);

/// Whether a test cluster starts with Flux's CRDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crds {
    /// Installed from fluxion-api and waited for until served.
    Flux,
    /// None: the test installs them itself (`fluxion install`, `kubectl apply -k`).
    None,
}

/// A running API server with a client and the test's namespace; stopped on drop.
pub struct TestCluster {
    pub server: ApiServer,
    pub client: kube::Client,
    pub namespace: String,
}

impl TestCluster {
    /// A default API server with the Flux CRDs and `namespace`.
    pub async fn start(namespace: &str) -> Result<TestCluster> {
        Self::start_with(namespace, ServerConfig::default(), Crds::Flux).await
    }

    pub async fn start_with(namespace: &str, config: ServerConfig, crds: Crds) -> Result<Self> {
        fluxion_runtime::tls::install_crypto_provider();
        let server = ApiServer::start(config).await.map_err(kube_error)?;
        let client = server.client().map_err(kube_error)?;
        if crds == Crds::Flux {
            install_flux_crds(&client).await?;
        }
        create_namespace(&client, namespace).await?;
        Ok(TestCluster {
            server,
            client,
            namespace: namespace.to_string(),
        })
    }

    /// A namespaced API in the test's namespace.
    pub fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = NamespaceResourceScope, DynamicType = ()>,
    {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// The Events of the test's namespace.
    pub async fn events(&self) -> Result<Vec<Event>> {
        let events: Api<Event> = self.api();
        let list = events.list(&ListParams::default()).await;
        Ok(list.map_err(kube_error)?.items)
    }
}

/// Creates every Flux CRD and waits until the API serves them (a list of each kind answers).
pub async fn install_flux_crds(client: &kube::Client) -> Result<()> {
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let all = fluxion_api::crd::all();
    for crd in &all {
        crds.create(&PostParams::default(), crd)
            .await
            .map_err(kube_error)?;
    }
    for crd in &all {
        let names = &crd.spec.names;
        for version in crd.spec.versions.iter().filter(|v| v.served) {
            let gvk = GroupVersionKind::gvk(&crd.spec.group, &version.name, &names.kind);
            let resource = ApiResource::from_gvk_with_plural(&gvk, &names.plural);
            let api: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
            let listed = wait_for(WAIT, POLL, || async {
                api.list(&ListParams::default().limit(1)).await.ok()
            })
            .await;
            listed.ok_or_else(|| {
                Error::Kube(format!(
                    "{} {} not served within {WAIT:?}",
                    names.plural, version.name
                ))
            })?;
        }
    }
    Ok(())
}

/// Creates namespace `name`.
pub async fn create_namespace(client: &kube::Client, name: &str) -> Result<()> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": name}}))
        .map_err(|e| Error::Kube(e.to_string()))?;
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .map_err(kube_error)?;
    Ok(())
}

/// Waits until `check` holds for object `name` and returns it; on timeout the error names
/// `what` and shows the object as last seen.
pub async fn wait_object<K>(
    api: &Api<K>,
    name: &str,
    what: &str,
    check: impl Fn(&K) -> bool,
) -> Result<K>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
{
    let last = std::sync::Mutex::new(None);
    let found = wait_for(WAIT, POLL, || {
        let (last, check) = (&last, &check);
        async move {
            let obj = api.get(name).await.ok()?;
            let ok = check(&obj);
            if let Ok(mut last) = last.lock() {
                *last = Some(obj.clone());
            }
            ok.then_some(obj)
        }
    })
    .await;
    found.ok_or_else(|| {
        let last = last.into_inner().ok().flatten();
        Error::Kube(format!(
            "{name}: {what} within {WAIT:?}; last seen: {last:#?}"
        ))
    })
}

/// Sets `reconcile.fluxcd.io/requestedAt` on object `name` to ask for a run now.
pub async fn request_reconcile<K>(api: &Api<K>, name: &str, value: &str) -> Result<()>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
{
    let patch = json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": value}}});
    api.patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(kube_error)?;
    Ok(())
}

fn kube_error(e: impl std::fmt::Display) -> Error {
    Error::Kube(e.to_string())
}
