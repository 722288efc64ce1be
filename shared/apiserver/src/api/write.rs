//! create and update (and the write step patches share): body checks against the URL,
//! metadata rules, generation, status subresource, finalizers, CRD schemas, no-op detection.

use std::sync::Arc;

use serde_json::{Value, json};

use super::body::Via;
use super::{Api, Outcome, Target, WriteOptions, is_deleting};
use crate::crd;
use crate::error::{ApiError, FieldError};
use crate::meta::{self, meta_mut, meta_str};
use crate::registry::ResourceType;
use crate::store::{StoreError, object_rv};

/// Metadata and schema errors of an object about to be stored.
fn validate(rt: &ResourceType, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = meta_str(obj, "name");
    let rule = if rt.crd.is_some() {
        meta::NameRule::Subdomain
    } else {
        meta::name_rule(&rt.group, &rt.resource)
    };
    if let Some(e) = meta::validate_name(name, rule) {
        errs.push(e);
    }
    errs.extend(meta::validate_labels(obj));
    if let Some(schema) = rt.crd.as_ref().and_then(|c| c.schema.as_ref()) {
        let schema_errs = crd::validate(obj, schema);
        // CEL rules only see values of the types the schema promises.
        let blocked = !schema_errs.is_empty();
        errs.extend(schema_errs);
        if let Some(rules) = rt.crd.as_ref().and_then(|c| c.rules.as_ref())
            && !blocked
        {
            errs.extend(crd::cel::validate(rules, obj, old));
        }
    }
    if rt.group == "apiextensions.k8s.io" {
        errs.extend(crate::registry::crd::validate(obj));
    }
    errs
}

/// Prunes (silently: the request's unknown fields were reported when its body was decoded)
/// and defaults a custom resource.
fn apply_schema(rt: &ResourceType, obj: &mut Value) {
    if let Some(schema) = rt.crd.as_ref().and_then(|c| c.schema.as_ref()) {
        crd::prune(obj, schema);
        crd::default(obj, schema);
    }
}

impl Api {
    /// create: 201 with the stored object.
    pub fn create(
        &self,
        t: &Target,
        body: Value,
        opts: &WriteOptions,
    ) -> Result<Outcome, ApiError> {
        let rt = &t.rt;
        let mut obj = body;
        let mut warnings = Vec::new();
        self.check_body(t, &mut obj, opts, Via::Body, &mut warnings)?;
        let name = self.resolve_name(rt, &mut obj)?;
        if rt.namespaced {
            self.check_namespace_open(meta_str(&obj, "namespace"))?;
        }
        self.prepare_create(rt, &mut obj);
        apply_schema(rt, &mut obj);
        self.builtin_prepare(rt, &mut obj, None);
        let errs = validate(rt, &obj, None);
        if !errs.is_empty() {
            return Err(ApiError::invalid(&rt.group, &rt.kind, &name, errs));
        }
        crate::rbac::escalation::check(self, rt, &obj, None)?;
        crate::managed::track(rt, None, &mut obj, None, opts);
        self.server_assigned(rt, &mut obj, None)?;
        if opts.dry_run {
            return Ok(Outcome {
                code: 201,
                body: self.present(rt, &obj),
                warnings,
            });
        }
        let stored = self
            .store
            .create(t.key(&name), obj)
            .map_err(|e| self.store_err(t, &name, e))?;
        let stored = self.after_write(t, None, stored);
        Ok(Outcome {
            code: 201,
            body: self.present(rt, &stored),
            warnings,
        })
    }

    fn resolve_name(&self, rt: &ResourceType, obj: &mut Value) -> Result<String, ApiError> {
        let name = meta_str(obj, "name").to_string();
        if !name.is_empty() {
            return Ok(name);
        }
        let generate = meta_str(obj, "generateName").to_string();
        if generate.is_empty() {
            return Err(ApiError::invalid(
                &rt.group,
                &rt.kind,
                "",
                vec![FieldError::required(
                    "metadata.name",
                    "name or generateName is required",
                )],
            ));
        }
        let name = format!("{generate}{}", meta::name_suffix());
        meta_mut(obj).insert("name".into(), json!(name));
        Ok(name)
    }

    /// Namespaced creates need an existing namespace that is not being deleted.
    fn check_namespace_open(&self, ns: &str) -> Result<(), ApiError> {
        let Some(nsobj) = self.namespace(ns) else {
            return Err(ApiError::not_found("", "namespaces", ns));
        };
        if is_deleting(&nsobj) {
            let mut e = ApiError::forbidden(format!(
                "unable to create new content in namespace {ns} because it is being terminated"
            ));
            e.details = Some(json!({"name": ns, "kind": "namespaces", "causes": [{
                "reason": "NamespaceTerminating",
                "message": format!("namespace {ns} is being terminated"),
                "field": "metadata.namespace"}]}));
            return Err(e);
        }
        Ok(())
    }

    /// Server-set metadata of a new object; status dropped where it is a subresource.
    fn prepare_create(&self, rt: &ResourceType, obj: &mut Value) {
        let meta = meta_mut(obj);
        for k in [
            "resourceVersion",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "selfLink",
        ] {
            meta.remove(k);
        }
        meta.insert("uid".into(), json!(meta::new_uid()));
        meta.insert("creationTimestamp".into(), json!(meta::now()));
        if rt.generation {
            meta.insert("generation".into(), json!(1));
        } else {
            meta.remove("generation");
        }
        if rt.has_status()
            && let Some(m) = obj.as_object_mut()
        {
            m.remove("status");
        }
    }

    /// update (PUT): replaces the object or its status; 200, or 201 when it creates.
    pub fn update(
        &self,
        t: &Target,
        body: Value,
        opts: &WriteOptions,
    ) -> Result<Outcome, ApiError> {
        let rt = &t.rt;
        let mut body = body;
        let mut warnings = Vec::new();
        self.check_body(t, &mut body, opts, Via::Body, &mut warnings)?;
        let name = t.name().to_string();
        let body_name = meta_str(&body, "name").to_string();
        if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let requested =
            match meta_str(&body, "resourceVersion") {
                "" => None,
                rv => Some(rv.parse::<u64>().map_err(|_| {
                    ApiError::bad_request(format!("invalid resourceVersion {rv:?}"))
                })?),
            };
        loop {
            let Some(old) = self.store.get(&t.key(&name)) else {
                if rt.create_on_update && t.subresource.is_none() {
                    // The body's strict errors were reported above.
                    let opts = WriteOptions {
                        strict_errors: Vec::new(),
                        ..opts.clone()
                    };
                    return self.create(t, body, &opts).map(|o| o.warned(warnings));
                }
                return Err(t.not_found(&name));
            };
            match requested {
                Some(rv) if rv != object_rv(&old) => {
                    return Err(ApiError::modified(&rt.group, &rt.resource, &name));
                }
                None if rt.crd.is_some() => {
                    return Err(ApiError::invalid(
                        &rt.group,
                        &rt.kind,
                        &name,
                        vec![FieldError::invalid(
                            "metadata.resourceVersion",
                            &json!("0x0"),
                            "must be specified for an update",
                        )],
                    ));
                }
                _ => {}
            }
            let new = self.merge_update(t, &old, body.clone());
            match self.commit_update(t, &old, new, opts) {
                Err(e) if e.reason == "Conflict" && requested.is_none() => continue,
                other => return other.map(|o| o.warned(warnings)),
            }
        }
    }

    /// The object a write of `new` over `old` stores: server-owned metadata kept, status or
    /// everything-but-status kept depending on the subresource.
    pub(super) fn merge_update(&self, t: &Target, old: &Value, new: Value) -> Value {
        let rt = &t.rt;
        let mut out = match t.subresource.as_deref() {
            Some("status") => {
                let mut out = old.clone();
                let managed = new.pointer("/metadata/managedFields").cloned();
                match new.get("status") {
                    Some(s) => out["status"] = s.clone(),
                    None => {
                        if let Some(m) = out.as_object_mut() {
                            m.remove("status");
                        }
                    }
                }
                if let Some(mf) = managed {
                    meta_mut(&mut out).insert("managedFields".into(), mf);
                }
                out
            }
            Some("finalize") => {
                let mut out = old.clone();
                out["spec"]["finalizers"] = new
                    .pointer("/spec/finalizers")
                    .cloned()
                    .unwrap_or(json!([]));
                out
            }
            _ => {
                let mut out = new;
                if rt.has_status() {
                    match old.get("status") {
                        Some(s) => out["status"] = s.clone(),
                        None => {
                            if let Some(m) = out.as_object_mut() {
                                m.remove("status");
                            }
                        }
                    }
                }
                out
            }
        };
        let old_meta = old.get("metadata").cloned().unwrap_or_default();
        let meta = meta_mut(&mut out);
        // A uid the request names must be the stored one (checked on commit); none means it.
        let named_uid = meta
            .get("uid")
            .and_then(Value::as_str)
            .is_some_and(|u| !u.is_empty());
        for k in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "namespace",
            "name",
            "resourceVersion",
        ] {
            if k == "uid" && named_uid {
                continue;
            }
            match old_meta.get(k) {
                Some(v) => meta.insert(k.into(), v.clone()),
                None => meta.remove(k),
            };
        }
        meta.remove("selfLink");
        out
    }

    /// Stores `new` over `old` (whose resourceVersion must still be current): validation,
    /// generation, finalizer rules, and no write at all when nothing changed.
    pub(crate) fn commit_update(
        &self,
        t: &Target,
        old: &Arc<Value>,
        mut new: Value,
        opts: &WriteOptions,
    ) -> Result<Outcome, ApiError> {
        let rt = &t.rt;
        let name = meta_str(old, "name").to_string();
        let warnings = Vec::new();
        apply_schema(rt, &mut new);
        self.builtin_prepare(rt, &mut new, Some(old));
        let mut errs = super::immutable::errors(rt, old, &new);
        errs.extend(validate(rt, &new, Some(old)));
        errs.extend(added_finalizers(old, &new));
        if !errs.is_empty() {
            return Err(ApiError::invalid(&rt.group, &rt.kind, &name, errs));
        }
        crate::rbac::escalation::check(self, rt, &new, Some(old))?;
        if rt.generation && meta::spec_changed(old, &new, rt.has_status()) {
            let g = old
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            meta_mut(&mut new).insert("generation".into(), json!(g + 1));
        }
        crate::managed::track(rt, Some(&**old), &mut new, t.subresource.as_deref(), opts);
        self.server_assigned(rt, &mut new, Some(old))?;
        let body = if same_object(old, &new) {
            self.present(rt, old)
        } else if opts.dry_run {
            self.present(rt, &new)
        } else {
            let stored = self.store_update(t, old, new)?;
            self.present(rt, &stored)
        };
        Ok(Outcome {
            code: 200,
            body,
            warnings,
        })
    }

    /// Stores an update, or removes the object when its last finalizer went.
    fn store_update(
        &self,
        t: &Target,
        old: &Arc<Value>,
        new: Value,
    ) -> Result<Arc<Value>, ApiError> {
        let name = meta_str(old, "name").to_string();
        let key = t.key(&name);
        if is_deleting(&new)
            && meta::finalizers(&new).is_empty()
            && !self.held_by_lifecycle(&t.rt, &new)
        {
            let gone = self
                .store
                .delete(key, Some(object_rv(old)))
                .map_err(|e| self.store_err(t, &name, e))?;
            self.after_removal(t, &gone, false);
            return Ok(gone);
        }
        let stored = self
            .store
            .update(key, new, object_rv(old))
            .map_err(|e| match e {
                StoreError::NotFound => t.not_found(&name),
                other => self.store_err(t, &name, other),
            })?;
        Ok(self.after_write(t, Some(old), stored))
    }
}

/// The error of finalizers added to an object being deleted, which a real server refuses.
fn added_finalizers(old: &Value, new: &Value) -> Option<FieldError> {
    if !is_deleting(old) {
        return None;
    }
    let before = meta::finalizers(old);
    let added: Vec<String> = meta::finalizers(new)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    if added.is_empty() {
        return None;
    }
    let list: Vec<String> = added.iter().map(|f| format!("{f:?}")).collect();
    Some(FieldError::forbidden(
        "metadata.finalizers",
        &format!(
            "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
            list.join(", ")
        ),
    ))
}

/// Whether a write changes nothing but the served apiVersion/kind (then nothing is stored).
fn same_object(old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("apiVersion");
            m.remove("kind");
        }
        v
    };
    strip(old) == strip(new)
}
