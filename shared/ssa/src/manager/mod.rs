//! `ResourceManager`: the client side of the engine. Resolves kinds through discovery (cached,
//! refreshed on a miss so kinds of CRDs applied a moment ago resolve) and hosts apply, delete
//! and wait, each in its own module.

mod apply;
mod delete;
mod diff;
mod wait;

pub use diff::{Diff, MASK, MASK_AFTER, MASK_BEFORE, mask_secret_data};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kube::Client;
use kube::api::{Api, DynamicObject};
use kube::core::GroupVersionKind;
use kube::discovery::{ApiResource, Discovery, Scope};

use crate::error::SsaError;
use crate::objmeta::ObjMetadata;
use crate::options::Owner;

/// Flux's `--concurrent-ssa` default: dry-runs in flight at once.
const DEFAULT_CONCURRENCY: usize = 4;

/// An API resource and whether its objects live in namespaces.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub resource: ApiResource,
    pub namespaced: bool,
}

/// Discovery answers, shareable between managers of one cluster (e.g. one manager per
/// reconcile under impersonation) so each kind is looked up once. Only hits are cached: a kind
/// not served yet is asked again next time.
#[derive(Debug, Default)]
pub struct KindCache {
    by_gvk: Mutex<HashMap<GroupVersionKind, Resolved>>,
    by_group_kind: Mutex<HashMap<(String, String), Resolved>>,
}

impl KindCache {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Forgets every answer (e.g. after CRDs were deleted or changed scope).
    pub fn clear(&self) {
        lock(&self.by_gvk).clear();
        lock(&self.by_group_kind).clear();
    }
}

/// Applies, deletes and waits for objects as Flux's `ssa.ResourceManager`.
pub struct ResourceManager {
    client: Client,
    owner: Owner,
    concurrency: usize,
    cache: Arc<KindCache>,
}

impl ResourceManager {
    pub fn new(client: Client, owner: Owner) -> Self {
        Self {
            client,
            owner,
            concurrency: DEFAULT_CONCURRENCY,
            cache: KindCache::new(),
        }
    }

    /// Uses a discovery cache shared with other managers of the same cluster.
    pub fn with_kind_cache(mut self, cache: Arc<KindCache>) -> Self {
        self.cache = cache;
        self
    }

    /// How many objects are dry-run concurrently (at least 1).
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The API serving `gvk`, or None when no API serves it.
    pub async fn resolve(&self, gvk: &GroupVersionKind) -> Result<Option<Resolved>, kube::Error> {
        if let Some(r) = lock(&self.cache.by_gvk).get(gvk) {
            return Ok(Some(r.clone()));
        }
        match kube::discovery::pinned_kind(&self.client, gvk).await {
            Ok((resource, caps)) => {
                let r = Resolved {
                    resource,
                    namespaced: caps.scope == Scope::Namespaced,
                };
                lock(&self.cache.by_gvk).insert(gvk.clone(), r.clone());
                Ok(Some(r))
            }
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The API serving a group and kind at its preferred version, or None.
    pub async fn resolve_group_kind(
        &self,
        group: &str,
        kind: &str,
    ) -> Result<Option<Resolved>, kube::Error> {
        let key = (group.to_string(), kind.to_string());
        if let Some(r) = lock(&self.cache.by_group_kind).get(&key) {
            return Ok(Some(r.clone()));
        }
        let discovery = Discovery::new(self.client.clone())
            .filter(&[group])
            .run()
            .await?;
        let found = discovery
            .groups()
            .find(|g| g.name() == group)
            .and_then(|g| g.recommended_kind(kind));
        let Some((resource, caps)) = found else {
            return Ok(None);
        };
        let r = Resolved {
            resource,
            namespaced: caps.scope == Scope::Namespaced,
        };
        lock(&self.cache.by_group_kind).insert(key, r.clone());
        Ok(Some(r))
    }

    /// The API of an object's kind, scoped to its namespace; errors name the object.
    async fn api_for(
        &self,
        obj: &DynamicObject,
    ) -> Result<(Api<DynamicObject>, Resolved), SsaError> {
        let meta = ObjMetadata::from_object(obj);
        let api_version = crate::unstructured::api_version(obj);
        let (group, version) = (
            crate::objmeta::group_of(api_version),
            crate::objmeta::version_of(api_version),
        );
        let gvk = GroupVersionKind::gvk(group, version, &meta.kind);
        let resolved = self
            .resolve(&gvk)
            .await?
            .ok_or_else(|| SsaError::UnknownKind {
                subject: meta.to_string(),
                kind: meta.kind.clone(),
                group_version: api_version.to_string(),
            })?;
        let api = self.scoped_api(&resolved, &meta.namespace);
        if resolved.namespaced && meta.namespace.is_empty() {
            return Err(SsaError::NamespaceNotSpecified {
                subject: meta.to_string(),
                message: format!("{} is a namespaced kind", meta.kind),
            });
        }
        Ok((api, resolved))
    }

    fn scoped_api(&self, r: &Resolved, namespace: &str) -> Api<DynamicObject> {
        if r.namespaced {
            Api::namespaced_with(self.client.clone(), namespace, &r.resource)
        } else {
            Api::all_with(self.client.clone(), &r.resource)
        }
    }
}

/// Discovery's answer for a group, version or kind nobody serves.
fn is_missing(e: &kube::Error) -> bool {
    match e {
        kube::Error::Api(s) => s.code == 404,
        kube::Error::Discovery(_) => true,
        _ => false,
    }
}

/// A poisoned cache lock only means another task panicked mid-insert; the map is still valid.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The API status of a failed call: (code, reason, message).
pub(crate) fn api_status(e: &kube::Error) -> (u16, String, String) {
    match e {
        kube::Error::Api(s) => (s.code, s.reason.clone(), s.message.clone()),
        other => (0, String::new(), other.to_string()),
    }
}
