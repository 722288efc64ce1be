//! The merge strategies strategic merge patch reads from kustomize's built-in OpenAPI
//! schema (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
//! `x-kubernetes-list-map-keys`), for the fields of the built-in kinds that have one.
//!
//! A field absent from these tables behaves as kustomize's schema without a strategy
//! does (lists are replaced whole), which is also what kinds without a schema get.
//! A kustomization's `openapi: {path: ...}` schema replaces the built-in one for the
//! whole build (`custom`).

use std::rc::Rc;

pub use super::custom::CustomSchema;
use super::custom::Pointer;

/// A place in the schema: the type of the node being merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    Builtin(Builtin),
    Custom(Pointer),
}

/// A place in the built-in schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// A type with nothing strategic below it.
    Opaque,
    Object(Obj),
    /// A list merged by key (`keys` empty: a list of scalars merged by value).
    List {
        keys: &'static [&'static str],
        elem: Obj,
    },
}

/// Object types with strategic fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obj {
    Opaque,
    Root(Root),
    Meta,
    Template,
    PodSpec,
    Container,
    Workload,
    CronJob,
    JobTemplate,
    Service,
    Status,
}

/// What a top-level object's `spec` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    Pod,
    Workload,
    CronJob,
    Service,
    PodTemplate,
    Webhooks,
    ServiceAccount,
}

/// The schema of a resource of this apiVersion and kind, if the schema in use knows it.
pub fn for_type(
    api_version: &str,
    kind: &str,
    custom: Option<&Rc<CustomSchema>>,
) -> Option<Schema> {
    match custom {
        Some(c) => c.for_type(api_version, kind).map(Schema::Custom),
        None => builtin_for_type(api_version, kind).map(Schema::Builtin),
    }
}

/// Kinds of kustomize's embedded Kubernetes v1.21.2 schema whose fields have merge
/// strategies; other known kinds only replace lists, as unknown kinds do.
fn builtin_for_type(api_version: &str, kind: &str) -> Option<Builtin> {
    let root = match (api_version, kind) {
        ("v1", "Pod") => Root::Pod,
        ("v1", "Service") => Root::Service,
        ("v1", "PodTemplate") => Root::PodTemplate,
        ("v1", "ReplicationController") => Root::Workload,
        ("v1", "ServiceAccount") => Root::ServiceAccount,
        ("apps/v1", "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet") => Root::Workload,
        ("batch/v1", "Job") => Root::Workload,
        ("batch/v1" | "batch/v1beta1", "CronJob") => Root::CronJob,
        (
            "admissionregistration.k8s.io/v1" | "admissionregistration.k8s.io/v1beta1",
            "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration",
        ) => Root::Webhooks,
        _ => return None,
    };
    Some(Builtin::Object(Obj::Root(root)))
}

fn list(keys: &'static [&'static str], elem: Obj) -> Builtin {
    Builtin::List { keys, elem }
}

impl Schema {
    /// The schema of a field of this object.
    pub fn field(&self, name: &str) -> Option<Schema> {
        match self {
            Schema::Builtin(b) => b.field(name).map(Schema::Builtin),
            Schema::Custom(p) => p.field(name).map(Schema::Custom),
        }
    }

    /// The schema of the elements of a list.
    pub fn elements(&self) -> Option<Schema> {
        match self {
            Schema::Builtin(b) => b.elements().map(Schema::Builtin),
            Schema::Custom(p) => p.elements().map(Schema::Custom),
        }
    }

    /// The merge keys of a list merged by key (empty for lists of scalars); `None` for
    /// lists replaced whole.
    pub fn merge_keys(&self) -> Option<Vec<String>> {
        match self {
            Schema::Builtin(b) => b
                .merge_keys()
                .map(|k| k.iter().map(|s| s.to_string()).collect()),
            Schema::Custom(p) => p.merge_keys(),
        }
    }
}

impl Builtin {
    /// The schema of a field of this object.
    pub fn field(self, name: &str) -> Option<Builtin> {
        let Builtin::Object(obj) = self else {
            return None;
        };
        let s = match (obj, name) {
            (Obj::Root(_) | Obj::Template | Obj::JobTemplate, "metadata") => {
                Builtin::Object(Obj::Meta)
            }
            (Obj::Root(r), "spec") => Builtin::Object(match r {
                Root::Pod => Obj::PodSpec,
                Root::Workload => Obj::Workload,
                Root::CronJob => Obj::CronJob,
                Root::Service => Obj::Service,
                Root::PodTemplate | Root::Webhooks | Root::ServiceAccount => Obj::Opaque,
            }),
            (Obj::Root(Root::PodTemplate), "template") => Builtin::Object(Obj::Template),
            (Obj::Root(Root::Webhooks), "webhooks") => list(&["name"], Obj::Opaque),
            (Obj::Root(Root::ServiceAccount), "secrets") => list(&["name"], Obj::Opaque),
            (Obj::Root(Root::Pod | Root::Workload | Root::Service), "status") => {
                Builtin::Object(Obj::Status)
            }
            (Obj::Status, "conditions") => list(&["type"], Obj::Opaque),
            (Obj::Meta, "finalizers") => list(&[], Obj::Opaque),
            (Obj::Meta, "ownerReferences") => list(&["uid"], Obj::Opaque),
            (Obj::Workload, "template") => Builtin::Object(Obj::Template),
            (Obj::CronJob, "jobTemplate") => Builtin::Object(Obj::JobTemplate),
            (Obj::JobTemplate, "spec") => Builtin::Object(Obj::Workload),
            (Obj::Template, "spec") => Builtin::Object(Obj::PodSpec),
            (Obj::PodSpec, "containers" | "initContainers" | "ephemeralContainers") => {
                list(&["name"], Obj::Container)
            }
            (Obj::PodSpec, "volumes" | "imagePullSecrets") => list(&["name"], Obj::Opaque),
            (Obj::PodSpec, "hostAliases") => list(&["ip"], Obj::Opaque),
            (Obj::PodSpec, "topologySpreadConstraints") => {
                list(&["topologyKey", "whenUnsatisfiable"], Obj::Opaque)
            }
            (Obj::Container, "ports") => list(&["containerPort", "protocol"], Obj::Opaque),
            (Obj::Container, "env") => list(&["name"], Obj::Opaque),
            (Obj::Container, "volumeMounts") => list(&["mountPath"], Obj::Opaque),
            (Obj::Container, "volumeDevices") => list(&["devicePath"], Obj::Opaque),
            (Obj::Service, "ports") => list(&["port", "protocol"], Obj::Opaque),
            _ => Builtin::Opaque,
        };
        Some(s)
    }

    /// The schema of the elements of a list.
    pub fn elements(self) -> Option<Builtin> {
        match self {
            Builtin::List { elem, .. } => Some(Builtin::Object(elem)),
            _ => None,
        }
    }

    /// The merge keys of a list merged by key (`Some(&[])` for lists of scalars).
    pub fn merge_keys(self) -> Option<&'static [&'static str]> {
        match self {
            Builtin::List { keys, .. } => Some(keys),
            _ => None,
        }
    }
}
