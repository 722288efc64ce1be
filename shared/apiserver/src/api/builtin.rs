//! What some kinds do beyond storage: Secret stringData, Namespace phase and lifecycle,
//! Service defaults, CRD registration, status conditions and cleanup.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::{Api, DeleteOptions, Target, WriteOptions, is_deleting};
use crate::meta::{self, meta_mut, meta_str};
use crate::registry::{ResourceType, crd};
use crate::store::{ObjectKey, object_rv};

const CRD_GROUP: &str = "apiextensions.k8s.io";
const CRD_FINALIZER: &str = "customresourcecleanup.apiextensions.k8s.io";

fn is(rt: &ResourceType, group: &str, resource: &str) -> bool {
    rt.crd.is_none() && rt.group == group && rt.resource == resource
}

fn secret_string_data(obj: &mut Value) {
    if obj
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        obj["type"] = json!("Opaque");
    }
    let Some(sd) = obj.as_object_mut().and_then(|m| m.remove("stringData")) else {
        return;
    };
    if let Some(sd) = sd.as_object() {
        for (k, v) in sd {
            let text = v.as_str().unwrap_or_default();
            if !obj.get("data").is_some_and(Value::is_object) {
                obj["data"] = json!({});
            }
            obj["data"][k] = json!(B64.encode(text));
        }
    }
}

/// Fields a type change makes meaningless, wiped when the request left them as they were
/// (upstream's dropTypeDependentFields): cluster IPs when leaving for ExternalName, node
/// ports when leaving NodePort/LoadBalancer.
fn service_type_change(spec: &mut Value, old: &Value) {
    let ty = |s: &Value| {
        s.get("type")
            .and_then(Value::as_str)
            .unwrap_or("ClusterIP")
            .to_string()
    };
    let (was, now) = (ty(old), ty(spec));
    let Some(m) = spec.as_object_mut() else {
        return;
    };
    if was != "ExternalName" && now == "ExternalName" {
        for f in [
            "clusterIP",
            "clusterIPs",
            "ipFamilies",
            "ipFamilyPolicy",
            "internalTrafficPolicy",
        ] {
            if m.get(f) == old.get(f) {
                m.remove(f);
            }
        }
    }
    let node_ports = |t: &str| t == "NodePort" || t == "LoadBalancer";
    if node_ports(&was) && !node_ports(&now) {
        let ports_of = |s: Option<&Value>| -> Vec<Value> {
            s.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|p| p.get("nodePort").cloned().unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default()
        };
        if ports_of(m.get("ports")) == ports_of(old.get("ports"))
            && let Some(ports) = m.get_mut("ports").and_then(Value::as_array_mut)
        {
            for p in ports.iter_mut().filter_map(Value::as_object_mut) {
                p.remove("nodePort");
            }
        }
    }
}

/// Sets `obj[key]` when it is missing or null.
fn or_set(obj: &mut Value, key: &str, value: Value) {
    if obj.get(key).is_none_or(Value::is_null) {
        obj[key] = value;
    }
}

fn service_defaults(obj: &mut Value, old: Option<&Value>) {
    let spec = &mut obj["spec"];
    if !spec.is_object() {
        *spec = json!({});
    }
    if let Some(old_spec) = old.and_then(|o| o.get("spec")) {
        service_type_change(spec, old_spec);
        crate::registry::services::drop_type_dependent(spec, old_spec);
    }
    if spec.get("type").is_none() {
        spec["type"] = json!("ClusterIP");
    }
    if spec.get("sessionAffinity").is_none() {
        spec["sessionAffinity"] = json!("None");
    }
    // The cluster IP, its IP families and node ports are assigned later
    // (api/service_alloc.rs).
    let ty = spec["type"].as_str().unwrap_or("ClusterIP").to_string();
    if ty != "ExternalName" {
        or_set(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    let external_ips = spec
        .get("externalIPs")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if ty == "NodePort" || ty == "LoadBalancer" || (ty == "ClusterIP" && external_ips) {
        or_set(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        or_set(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports {
            if p.get("protocol").is_none() {
                p["protocol"] = json!("TCP");
            }
            // A zero or empty targetPort is unset, as upstream's defaulting reads it.
            let unset = matches!(p.get("targetPort"), None | Some(Value::Null))
                || p["targetPort"] == 0
                || p["targetPort"] == "";
            if unset && let Some(port) = p.get("port").cloned() {
                p["targetPort"] = port;
            }
        }
    }
}

impl Api {
    /// Kind-specific defaults of a write (`old` is the stored object for updates).
    pub(super) fn builtin_prepare(
        &self,
        rt: &ResourceType,
        obj: &mut Value,
        old: Option<&Arc<Value>>,
    ) {
        if rt.crd.is_none() {
            super::defaults::apply(&rt.group, &rt.kind, obj);
        }
        if is(rt, "", "secrets") {
            secret_string_data(obj);
        } else if is(rt, "", "services") {
            service_defaults(obj, old.map(|o| &**o));
        } else if is(rt, "", "namespaces") {
            let name = meta_str(obj, "name").to_string();
            let labels = meta_mut(obj).entry("labels").or_insert_with(|| json!({}));
            if labels.is_object() {
                labels["kubernetes.io/metadata.name"] = json!(name);
            }
            if old.is_none() {
                obj["spec"] = json!({"finalizers": ["kubernetes"]});
                obj["status"] = json!({"phase": "Active"});
            }
        } else if is(rt, CRD_GROUP, "customresourcedefinitions") && old.is_none() {
            let fins = meta_mut(obj)
                .entry("finalizers")
                .or_insert_with(|| json!([]));
            if let Some(a) = fins.as_array_mut()
                && !a.iter().any(|f| f == CRD_FINALIZER)
            {
                a.push(json!(CRD_FINALIZER));
            }
        }
    }

    /// Objects kept after their last finalizer went: namespaces wait for `spec.finalizers`.
    pub(super) fn held_by_lifecycle(&self, rt: &ResourceType, obj: &Value) -> bool {
        is(rt, "", "namespaces")
            && obj
                .pointer("/spec/finalizers")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
    }

    /// Follow-ups of a stored create or update; returns the object as finally stored.
    pub(super) fn after_write(
        &self,
        t: &Target,
        old: Option<&Arc<Value>>,
        stored: Arc<Value>,
    ) -> Arc<Value> {
        let rt = &t.rt;
        let started_deleting = is_deleting(&stored) && !old.is_some_and(|o| is_deleting(o));
        if is(rt, CRD_GROUP, "customresourcedefinitions") {
            if started_deleting {
                return self.start_crd_cleanup(t, stored);
            }
            if !is_deleting(&stored) {
                return self.establish_crd(t, stored);
            }
        } else if is(rt, "", "namespaces") {
            if old.is_none() {
                self.create_default_service_account(meta_str(&stored, "name"));
            }
            if started_deleting {
                return self.start_namespace_cleanup(t, stored);
            }
        }
        stored
    }

    fn create_default_service_account(&self, ns: &str) {
        let Some(rt) = self.registry.lookup("", "v1", "serviceaccounts") else {
            return;
        };
        let t = Target {
            rt,
            namespace: Some(ns.to_string()),
            name: None,
            subresource: None,
        };
        let body = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": ns}});
        if let Err(e) = self.create(&t, body, &WriteOptions::default()) {
            tracing::debug!(namespace = ns, error = %e, "default service account");
        }
    }

    /// Registers a CRD's kinds and records the status a real server gives it.
    fn establish_crd(&self, t: &Target, stored: Arc<Value>) -> Arc<Value> {
        let name = meta_str(&stored, "name").to_string();
        let types = crd::types_of(&stored);
        let group = stored
            .pointer("/spec/group")
            .and_then(Value::as_str)
            .unwrap_or("");
        let taken = self.registry.names_in_group(group, &name);
        let conflict = types.first().and_then(|ty| {
            [ty.resource.clone(), ty.kind.to_lowercase()]
                .into_iter()
                .find(|n| taken.contains(n))
        });
        if conflict.is_none() {
            self.registry.set_crd(&name, types);
        }
        let status = crd::status(&stored, conflict.as_deref(), &meta::now());
        if stored.get("status") == Some(&status) {
            return stored;
        }
        let mut next = (*stored).clone();
        next["status"] = status;
        match self.store.update(t.key(&name), next, object_rv(&stored)) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(crd = %name, error = %e, "recording CRD status");
                stored
            }
        }
    }

    /// A CRD being deleted: its objects are deleted, then the CRD goes when none is left.
    fn start_crd_cleanup(&self, t: &Target, stored: Arc<Value>) -> Arc<Value> {
        let name = meta_str(&stored, "name").to_string();
        let mut next = (*stored).clone();
        if let Some(conds) = next
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        {
            conds.retain(|c| c["type"] != "Terminating");
            conds.push(crd::terminating_condition(&meta::now()));
        }
        let stored = self
            .store
            .update(t.key(&name), next, object_rv(&stored))
            .unwrap_or(stored);
        let (group, plural) = match name.split_once('.') {
            Some((p, g)) => (g.to_string(), p.to_string()),
            None => return stored,
        };
        for rt in self
            .registry
            .by_group_resource(&group, &plural)
            .into_iter()
            .take(1)
        {
            let items = self
                .store
                .list(&group, &plural, None, None, None)
                .map(|l| l.items)
                .unwrap_or_default();
            for item in items {
                let it = Target {
                    rt: rt.clone(),
                    namespace: Some(meta_str(&item, "namespace").to_string()),
                    name: Some(meta_str(&item, "name").to_string()),
                    subresource: None,
                };
                let _ = self.delete(&it, &DeleteOptions::default());
            }
        }
        self.try_finalize_crd(&name);
        self.store.get(&t.key(&name)).unwrap_or(stored)
    }

    /// Removes a deleting CRD's cleanup finalizer once its objects are gone.
    pub(super) fn try_finalize_crd(&self, crd_name: &str) {
        let key = ObjectKey::new(CRD_GROUP, "customresourcedefinitions", "", crd_name);
        let Some(crd_obj) = self.store.get(&key) else {
            return;
        };
        let Some((plural, group)) = crd_name.split_once('.') else {
            return;
        };
        let left = self
            .store
            .list(group, plural, None, None, None)
            .map(|l| l.items.len())
            .unwrap_or(0);
        if !is_deleting(&crd_obj) || left > 0 {
            return;
        }
        self.remove_finalizer(&key, &crd_obj, Some(CRD_FINALIZER), None);
    }

    /// A namespace being deleted: phase Terminating, contents deleted, then the namespace.
    fn start_namespace_cleanup(&self, t: &Target, stored: Arc<Value>) -> Arc<Value> {
        let ns = meta_str(&stored, "name").to_string();
        let mut next = (*stored).clone();
        next["status"]["phase"] = json!("Terminating");
        let stored = self
            .store
            .update(t.key(&ns), next, object_rv(&stored))
            .unwrap_or(stored);
        for key in self.store.keys_in_namespace(&ns) {
            let Some(rt) = self
                .registry
                .by_group_resource(&key.group, &key.resource)
                .into_iter()
                .next()
            else {
                continue;
            };
            let it = Target {
                rt,
                namespace: Some(ns.clone()),
                name: Some(key.name.clone()),
                subresource: None,
            };
            let _ = self.delete(&it, &DeleteOptions::default());
        }
        let snapshot = stored.clone();
        self.try_finalize_namespace(&ns);
        // The client sees the namespace as it was when deletion started.
        snapshot
    }

    /// Removes a deleting namespace's `kubernetes` finalizer once it is empty.
    pub(super) fn try_finalize_namespace(&self, ns: &str) {
        let key = ObjectKey::new("", "namespaces", "", ns);
        let Some(obj) = self.store.get(&key) else {
            return;
        };
        if !is_deleting(&obj) || !self.store.keys_in_namespace(ns).is_empty() {
            return;
        }
        self.remove_finalizer(&key, &obj, None, Some("kubernetes"));
    }

    fn remove_finalizer(
        &self,
        key: &ObjectKey,
        obj: &Arc<Value>,
        meta_fin: Option<&str>,
        spec_fin: Option<&str>,
    ) {
        let Some(rt) = self
            .registry
            .by_group_resource(&key.group, &key.resource)
            .into_iter()
            .next()
        else {
            return;
        };
        let t = Target {
            rt,
            namespace: None,
            name: Some(key.name.clone()),
            subresource: None,
        };
        let mut next = (**obj).clone();
        if let Some(f) = meta_fin
            && let Some(a) = next
                .pointer_mut("/metadata/finalizers")
                .and_then(Value::as_array_mut)
        {
            a.retain(|x| x != f);
        }
        if let Some(f) = spec_fin
            && let Some(a) = next
                .pointer_mut("/spec/finalizers")
                .and_then(Value::as_array_mut)
        {
            a.retain(|x| x != f);
        }
        if let Err(e) = self.commit_update(&t, obj, next, &WriteOptions::default()) {
            tracing::warn!(name = %key.name, error = %e, "finalizing");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::service_type_change;

    #[test]
    fn type_changes_wipe_only_untouched_fields() {
        let cases: Vec<(Value, Value, Value)> = vec![
            (
                json!({"type": "ClusterIP", "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"]}),
                json!({"type": "ExternalName", "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"]}),
                json!({"type": "ExternalName"}),
            ),
            (
                json!({"type": "ClusterIP", "clusterIP": "10.0.0.1"}),
                json!({"type": "ExternalName", "clusterIP": "10.0.0.2"}),
                json!({"type": "ExternalName", "clusterIP": "10.0.0.2"}),
            ),
            (
                json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}),
                json!({"type": "ClusterIP", "ports": [{"port": 80, "nodePort": 30080}]}),
                json!({"type": "ClusterIP", "ports": [{"port": 80}]}),
            ),
            (
                json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}),
                json!({"type": "LoadBalancer", "ports": [{"port": 80, "nodePort": 30080}]}),
                json!({"type": "LoadBalancer", "ports": [{"port": 80, "nodePort": 30080}]}),
            ),
        ];
        for (old, mut new, want) in cases {
            service_type_change(&mut new, &old);
            assert_eq!(new, want, "{old}");
        }
    }
}
