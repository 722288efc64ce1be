//! The API's semantics, apart from HTTP: what each verb does to the store for a resource type,
//! with the metadata, generation, finalizer, namespace and CRD rules of a real server.

mod body;
mod builtin;
mod defaults;
mod delete;
mod events;
mod immutable;
mod immutable_go;
mod patch;
mod read;
mod service_alloc;
mod watch;
mod write;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::crd;
use crate::error::ApiError;
use crate::meta;
use crate::registry::{Registry, ResourceType};
use crate::store::{ObjectKey, Store, StoreError};

pub use patch::check_patch_type;
pub use read::ListOptions;
pub use watch::{Watch, WatchOptions};

/// What a request addresses: a resource type, and maybe a namespace, a name, a subresource.
#[derive(Debug, Clone)]
pub struct Target {
    pub rt: Arc<ResourceType>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

impl Target {
    pub fn key(&self, name: &str) -> ObjectKey {
        ObjectKey::new(
            &self.rt.storage_group,
            &self.rt.resource,
            if self.rt.namespaced {
                self.namespace.as_deref().unwrap_or("")
            } else {
                ""
            },
            name,
        )
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    pub fn not_found(&self, name: &str) -> ApiError {
        ApiError::not_found(&self.rt.group, &self.rt.resource, name)
    }
}

/// Options of create, update and patch.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    pub dry_run: bool,
    pub field_manager: Option<String>,
    /// `Strict`, `Warn` or `Ignore`.
    pub field_validation: Option<String>,
    pub user_agent: String,
    /// Set by server-side apply, whose managedFields are already computed.
    pub applied: bool,
    /// Strict decoding errors of the body's text (duplicate fields), reported like unknown
    /// fields under `fieldValidation`.
    pub strict_errors: Vec<String>,
}

/// Options of delete and deletecollection.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub dry_run: bool,
    pub propagation_policy: Option<String>,
    pub precondition_uid: Option<String>,
    pub precondition_rv: Option<String>,
}

/// The answer of a verb: the object (or Status/List) and the HTTP code.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub code: u16,
    pub body: Value,
    pub warnings: Vec<String>,
}

impl Outcome {
    pub fn ok(body: Value) -> Self {
        Outcome {
            code: 200,
            body,
            warnings: Vec::new(),
        }
    }

    /// This outcome with `earlier` warnings (of the request's decoding) first.
    pub fn warned(mut self, earlier: Vec<String>) -> Self {
        let mut all = earlier;
        all.append(&mut self.warnings);
        self.warnings = all;
        self
    }
}

/// The server's state and the rules applied to it.
pub struct Api {
    pub store: Arc<Store>,
    pub registry: Registry,
}

impl Api {
    pub fn new(store: Arc<Store>) -> Self {
        Api {
            store,
            registry: Registry::with_builtins(),
        }
    }

    /// Re-registers the kinds of every stored CRD (after a restore).
    pub fn reload_crds(&self) {
        let crds = self
            .store
            .list(
                "apiextensions.k8s.io",
                "customresourcedefinitions",
                None,
                None,
                None,
            )
            .map(|l| l.items)
            .unwrap_or_default();
        for crd in crds {
            self.registry.set_crd(
                meta::meta_str(&crd, "name"),
                crate::registry::crd::types_of(&crd),
            );
        }
    }

    /// Creates the namespaces every cluster has.
    pub fn bootstrap(&self) {
        let rt = self.registry.lookup("", "v1", "namespaces");
        let Some(rt) = rt else { return };
        let target = Target {
            rt,
            namespace: None,
            name: None,
            subresource: None,
        };
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            let body = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
            if let Err(e) = self.create(&target, body, &WriteOptions::default())
                && e.reason != "AlreadyExists"
            {
                tracing::warn!(namespace = ns, error = %e, "bootstrap namespace");
            }
        }
    }

    /// An object as served at the target's version: apiVersion/kind set, schema defaults of
    /// that version applied (as a real server defaults on read).
    pub fn present(&self, rt: &ResourceType, obj: &Value) -> Value {
        let mut obj = obj.clone();
        if events::is_events_view(rt) {
            events::from_core(&mut obj);
        }
        if let Some(m) = obj.as_object_mut() {
            m.insert("apiVersion".into(), json!(rt.api_version()));
            m.insert("kind".into(), json!(rt.kind));
        }
        if let Some(schema) = rt.crd.as_ref().and_then(|c| c.schema.as_ref()) {
            crd::default(&mut obj, schema);
        }
        obj
    }

    /// Maps a store error to the API error a real server returns for this target.
    fn store_err(&self, t: &Target, name: &str, e: StoreError) -> ApiError {
        let rt = &t.rt;
        match e {
            StoreError::NotFound => t.not_found(name),
            StoreError::AlreadyExists => ApiError::already_exists(&rt.group, &rt.resource, name),
            StoreError::Conflict { .. } => ApiError::modified(&rt.group, &rt.resource, name),
            StoreError::Expired { .. } => ApiError::expired(e.to_string()),
            StoreError::Persist(m) | StoreError::Corrupt(m) => ApiError::internal(m),
        }
    }

    /// The namespace object, if it exists.
    fn namespace(&self, name: &str) -> Option<Arc<Value>> {
        self.store.get(&ObjectKey::new("", "namespaces", "", name))
    }
}

/// `metadata.deletionTimestamp` is set.
fn is_deleting(obj: &Value) -> bool {
    obj.pointer("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
}
