//! delete and deletecollection: preconditions, finalizers (deletionTimestamp first, removal
//! with the last finalizer), propagation to dependents by ownerReferences, and the follow-ups
//! of a removal (namespace and CRD finalization).

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::read::Selectors;
use super::{Api, DeleteOptions, ListOptions, Outcome, Target, WriteOptions, is_deleting};
use crate::error::ApiError;
use crate::meta::{self, meta_mut, meta_str};
use crate::store::{ObjectKey, object_rv};

impl Api {
    /// delete: the object with deletionTimestamp while finalizers remain, else a Success
    /// Status (Namespaces answer with the object, as upstream).
    pub fn delete(&self, t: &Target, opts: &DeleteOptions) -> Result<Outcome, ApiError> {
        let rt = &t.rt;
        let name = t.name().to_string();
        if let Some(p) = opts.propagation_policy.as_deref()
            && !matches!(p, "Orphan" | "Background" | "Foreground")
        {
            return Err(ApiError::invalid(
                &rt.group,
                &rt.kind,
                &name,
                vec![crate::error::FieldError::not_supported(
                    "propagationPolicy",
                    &json!(p),
                    &[
                        json!("Foreground"),
                        json!("Background"),
                        json!("Orphan"),
                        json!("nil"),
                    ],
                )],
            ));
        }
        let namespace = rt.crd.is_none() && rt.group.is_empty() && rt.resource == "namespaces";
        if namespace && matches!(name.as_str(), "default" | "kube-system" | "kube-public") {
            let mut e = ApiError::forbidden(format!(
                "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
            ));
            e.details = Some(json!({"name": name, "kind": "namespaces"}));
            return Err(e);
        }
        loop {
            let old = self
                .store
                .get(&t.key(&name))
                .ok_or_else(|| t.not_found(&name))?;
            self.check_preconditions(t, &old, opts)?;
            if !meta::finalizers(&old).is_empty() || self.held_by_lifecycle(rt, &old) {
                if is_deleting(&old) {
                    return Ok(Outcome::ok(self.present(rt, &old)));
                }
                let mut next = (*old).clone();
                let m = meta_mut(&mut next);
                m.insert("deletionTimestamp".into(), json!(meta::now()));
                m.insert("deletionGracePeriodSeconds".into(), json!(0));
                if let Some(g) = m
                    .get("generation")
                    .and_then(Value::as_i64)
                    .filter(|g| *g > 0)
                {
                    m.insert("generation".into(), json!(g + 1));
                }
                let wo = WriteOptions {
                    dry_run: opts.dry_run,
                    ..Default::default()
                };
                match self.commit_update(t, &old, next, &wo) {
                    Err(e) if e.reason == "Conflict" => continue,
                    other => return other,
                }
            }
            if opts.dry_run {
                return Ok(Outcome::ok(self.deleted_status(t, &old, namespace)));
            }
            match self.store.delete(t.key(&name), Some(object_rv(&old))) {
                Ok(gone) => {
                    let orphan = opts.propagation_policy.as_deref() == Some("Orphan");
                    self.after_removal(t, &gone, orphan);
                    return Ok(Outcome::ok(self.deleted_status(t, &gone, namespace)));
                }
                Err(crate::store::StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(self.store_err(t, &name, e)),
            }
        }
    }

    fn check_preconditions(
        &self,
        t: &Target,
        old: &Value,
        opts: &DeleteOptions,
    ) -> Result<(), ApiError> {
        let rt = &t.rt;
        let name = meta_str(old, "name");
        if let Some(uid) = opts.precondition_uid.as_deref().filter(|u| !u.is_empty()) {
            let actual = meta_str(old, "uid");
            if uid != actual {
                return Err(ApiError::conflict(
                    &rt.group,
                    &rt.resource,
                    name,
                    &format!(
                        "Precondition failed: UID in precondition: {uid}, UID in object meta: {actual}"
                    ),
                ));
            }
        }
        if let Some(rv) = opts.precondition_rv.as_deref().filter(|r| !r.is_empty()) {
            let actual = meta_str(old, "resourceVersion");
            if rv != actual {
                return Err(ApiError::conflict(
                    &rt.group,
                    &rt.resource,
                    name,
                    &format!(
                        "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {actual}"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn deleted_status(&self, t: &Target, obj: &Value, as_object: bool) -> Value {
        if as_object {
            return self.present(&t.rt, obj);
        }
        let mut details = json!({
            "name": meta_str(obj, "name"),
            "kind": t.rt.resource,
            "uid": meta_str(obj, "uid"),
        });
        if !t.rt.group.is_empty() {
            details["group"] = json!(t.rt.group);
        }
        json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": details,
        })
    }

    /// What follows an object's removal: dependents are deleted (or orphaned), and a
    /// terminating namespace or CRD may now be finalized.
    pub(super) fn after_removal(&self, t: &Target, gone: &Value, orphan: bool) {
        let rt = &t.rt;
        if rt.crd.is_none()
            && rt.group == "apiextensions.k8s.io"
            && rt.resource == "customresourcedefinitions"
        {
            self.registry.remove_crd(meta_str(gone, "name"));
        }
        self.collect_dependents(meta_str(gone, "uid"), orphan);
        let ns = meta_str(gone, "namespace");
        if !ns.is_empty() {
            self.try_finalize_namespace(ns);
        }
        if let Some(crd) = &rt.crd {
            self.try_finalize_crd(&crd.crd_name);
        }
    }

    /// The garbage collector's background propagation: dependents whose owners are all gone
    /// are deleted; those with a remaining owner lose the reference.
    fn collect_dependents(&self, uid: &str, orphan: bool) {
        if uid.is_empty() {
            return;
        }
        let all = self.store.all();
        let uids: HashSet<&str> = all.iter().map(|(_, o)| meta_str(o, "uid")).collect();
        for (key, obj) in &all {
            let Some(refs) = obj
                .pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
            else {
                continue;
            };
            if !refs.iter().any(|r| r["uid"] == uid) {
                continue;
            }
            let keep = orphan
                || refs.iter().any(|r| {
                    r["uid"] != uid && r["uid"].as_str().is_some_and(|u| uids.contains(u))
                });
            self.collect_one(key, obj, uid, keep);
        }
    }

    fn collect_one(&self, key: &ObjectKey, obj: &Arc<Value>, uid: &str, keep: bool) {
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
            namespace: Some(key.namespace.clone()),
            name: Some(key.name.clone()),
            subresource: None,
        };
        let result = if keep {
            let mut next = (**obj).clone();
            if let Some(a) = next
                .pointer_mut("/metadata/ownerReferences")
                .and_then(Value::as_array_mut)
            {
                a.retain(|r| r["uid"] != uid);
            }
            self.commit_update(&t, obj, next, &WriteOptions::default())
                .map(|_| ())
        } else {
            self.delete(&t, &DeleteOptions::default()).map(|_| ())
        };
        if let Err(e) = result {
            tracing::debug!(name = %key.name, error = %e, "garbage collection");
        }
    }

    /// deletecollection: deletes every matching object; answers with the list of them.
    pub fn delete_collection(
        &self,
        t: &Target,
        list: &ListOptions,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        let sel = Selectors::parse(
            t,
            list.label_selector.as_deref(),
            list.field_selector.as_deref(),
        )?;
        let namespace = if t.rt.namespaced {
            t.namespace.as_deref()
        } else {
            None
        };
        let listing = self
            .store
            .list(&t.rt.storage_group, &t.rt.resource, namespace, None, None)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let mut items = Vec::new();
        for obj in listing.items.iter().filter(|o| sel.matches(o)) {
            let it = Target {
                name: Some(meta_str(obj, "name").to_string()),
                namespace: Some(meta_str(obj, "namespace").to_string()),
                ..t.clone()
            };
            match self.delete(&it, opts) {
                Ok(_) => items.push(self.present(&t.rt, obj)),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(json!({
            "kind": t.rt.list_kind(),
            "apiVersion": t.rt.api_version(),
            "metadata": {"resourceVersion": self.store.current_rv().to_string()},
            "items": items,
        }))
    }
}
