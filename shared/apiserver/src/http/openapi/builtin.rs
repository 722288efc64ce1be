//! OpenAPI schemas of the built-in kinds, generated from k8s-openapi's schemars impls.

use std::collections::BTreeMap;

use k8s_openapi::api::{
    apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch,
    coordination::v1 as coordination, core::v1 as core, discovery::v1 as discovery,
    events::v1 as events, networking::v1 as networking, policy::v1 as policy, rbac::v1 as rbac,
    scheduling::v1 as scheduling, storage::v1 as storage,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiextensions;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// Calls `$f::<Type>` for the type of `group/version/kind`.
macro_rules! by_kind {
    ($group:expr, $version:expr, $kind:expr, $f:ident ( $($arg:expr),* )) => {
        match ($group, $version, $kind) {
            ("", "v1", "Binding") => Some($f::<core::Binding>($($arg),*)),
            ("", "v1", "ComponentStatus") => Some($f::<core::ComponentStatus>($($arg),*)),
            ("", "v1", "ConfigMap") => Some($f::<core::ConfigMap>($($arg),*)),
            ("", "v1", "Endpoints") => Some($f::<core::Endpoints>($($arg),*)),
            ("", "v1", "Event") => Some($f::<core::Event>($($arg),*)),
            ("", "v1", "LimitRange") => Some($f::<core::LimitRange>($($arg),*)),
            ("", "v1", "Namespace") => Some($f::<core::Namespace>($($arg),*)),
            ("", "v1", "Node") => Some($f::<core::Node>($($arg),*)),
            ("", "v1", "PersistentVolumeClaim") => Some($f::<core::PersistentVolumeClaim>($($arg),*)),
            ("", "v1", "PersistentVolume") => Some($f::<core::PersistentVolume>($($arg),*)),
            ("", "v1", "Pod") => Some($f::<core::Pod>($($arg),*)),
            ("", "v1", "PodTemplate") => Some($f::<core::PodTemplate>($($arg),*)),
            ("", "v1", "ReplicationController") => Some($f::<core::ReplicationController>($($arg),*)),
            ("", "v1", "ResourceQuota") => Some($f::<core::ResourceQuota>($($arg),*)),
            ("", "v1", "Secret") => Some($f::<core::Secret>($($arg),*)),
            ("", "v1", "ServiceAccount") => Some($f::<core::ServiceAccount>($($arg),*)),
            ("", "v1", "Service") => Some($f::<core::Service>($($arg),*)),
            ("apiextensions.k8s.io", "v1", "CustomResourceDefinition") => Some($f::<apiextensions::CustomResourceDefinition>($($arg),*)),
            ("apps", "v1", "ControllerRevision") => Some($f::<apps::ControllerRevision>($($arg),*)),
            ("apps", "v1", "DaemonSet") => Some($f::<apps::DaemonSet>($($arg),*)),
            ("apps", "v1", "Deployment") => Some($f::<apps::Deployment>($($arg),*)),
            ("apps", "v1", "ReplicaSet") => Some($f::<apps::ReplicaSet>($($arg),*)),
            ("apps", "v1", "StatefulSet") => Some($f::<apps::StatefulSet>($($arg),*)),
            ("autoscaling", "v2", "HorizontalPodAutoscaler") => Some($f::<autoscaling::HorizontalPodAutoscaler>($($arg),*)),
            ("batch", "v1", "CronJob") => Some($f::<batch::CronJob>($($arg),*)),
            ("batch", "v1", "Job") => Some($f::<batch::Job>($($arg),*)),
            ("coordination.k8s.io", "v1", "Lease") => Some($f::<coordination::Lease>($($arg),*)),
            ("discovery.k8s.io", "v1", "EndpointSlice") => Some($f::<discovery::EndpointSlice>($($arg),*)),
            ("events.k8s.io", "v1", "Event") => Some($f::<events::Event>($($arg),*)),
            ("networking.k8s.io", "v1", "IngressClass") => Some($f::<networking::IngressClass>($($arg),*)),
            ("networking.k8s.io", "v1", "Ingress") => Some($f::<networking::Ingress>($($arg),*)),
            ("networking.k8s.io", "v1", "NetworkPolicy") => Some($f::<networking::NetworkPolicy>($($arg),*)),
            ("policy", "v1", "PodDisruptionBudget") => Some($f::<policy::PodDisruptionBudget>($($arg),*)),
            ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding") => Some($f::<rbac::ClusterRoleBinding>($($arg),*)),
            ("rbac.authorization.k8s.io", "v1", "ClusterRole") => Some($f::<rbac::ClusterRole>($($arg),*)),
            ("rbac.authorization.k8s.io", "v1", "RoleBinding") => Some($f::<rbac::RoleBinding>($($arg),*)),
            ("rbac.authorization.k8s.io", "v1", "Role") => Some($f::<rbac::Role>($($arg),*)),
            ("scheduling.k8s.io", "v1", "PriorityClass") => Some($f::<scheduling::PriorityClass>($($arg),*)),
            ("storage.k8s.io", "v1", "StorageClass") => Some($f::<storage::StorageClass>($($arg),*)),
            _ => None,
        }
    };
}

fn name_of<T: JsonSchema>() -> String {
    T::schema_name().into_owned()
}

/// `io.k8s.api.apps.v1.Deployment` and the like.
pub fn definition_name(group: &str, version: &str, kind: &str) -> Option<String> {
    by_kind!(group, version, kind, name_of())
}

fn generate<T: JsonSchema>(gvk: Value, out: &mut BTreeMap<String, Value>) -> Option<Value> {
    let mut g = SchemaSettings::openapi3().into_generator();
    let _ = g.subschema_for::<T>();
    let name = T::schema_name();
    let mut main = None;
    for (k, v) in g.take_definitions(true) {
        if k == name {
            main = Some(v);
        } else {
            out.insert(k, v);
        }
    }
    main.map(|mut m| {
        m["x-kubernetes-group-version-kind"] = json!([gvk]);
        m
    })
}

/// The schema of a built-in kind; the schemas it refers to are added to `out`.
pub fn schemas(
    group: &str,
    version: &str,
    kind: &str,
    out: &mut BTreeMap<String, Value>,
) -> Option<Value> {
    let gvk = json!({"group": group, "version": version, "kind": kind});
    by_kind!(group, version, kind, generate(gvk, out)).flatten()
}
