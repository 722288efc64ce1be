//! Apply: per object a server-side dry-run compared with the live object decides created /
//! configured / unchanged / skipped; then the objects that change are applied with force
//! under the owner's field manager. Staged apply waits for definitions before the rest.

use std::time::Duration;

use futures::StreamExt;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::{ResourceManager, api_status};
use crate::changeset::{Action, ChangeSet, ChangeSetEntry};
use crate::error::SsaError;
use crate::objmeta::ObjMetadata;
use crate::options::{ApplyOptions, WaitOptions};
use crate::plan::cleanup::cleanup_patch;
use crate::plan::decide::{action_for, should_force_apply, should_skip_apply};
use crate::plan::drift::has_drifted;
use crate::plan::stages::{partition, sort_objects};
use crate::unstructured::{any_in_metadata, api_version, check_kubernetes_object};

/// The outcome of the dry-run phase for one object.
struct Planned {
    entry: ChangeSetEntry,
    /// Present when the object must be applied.
    apply: Option<(Api<DynamicObject>, DynamicObject)>,
}

impl ResourceManager {
    /// Applies one object if it is new or differs from the live one (Flux's `Apply`).
    pub async fn apply(
        &self,
        obj: &DynamicObject,
        opts: &ApplyOptions,
    ) -> Result<ChangeSetEntry, SsaError> {
        let planned = self.plan_one(obj, opts).await?;
        if let Some((api, o)) = planned.apply {
            self.apply_now(&api, &o).await?;
        }
        Ok(planned.entry)
    }

    /// Dry-runs every object (in Flux's kind order, a few at a time), then applies those that
    /// changed. Nothing is applied when any dry-run fails.
    pub async fn apply_all(
        &self,
        objs: &[DynamicObject],
        opts: &ApplyOptions,
    ) -> Result<ChangeSet, SsaError> {
        let mut objs = objs.to_vec();
        sort_objects(&mut objs);
        let planned: Vec<Result<Planned, SsaError>> = futures::stream::iter(objs.iter())
            .map(|o| self.plan_one(o, opts))
            .buffered(self.concurrency)
            .collect()
            .await;
        let mut cs = ChangeSet::new();
        let mut to_apply = Vec::new();
        for p in planned {
            let p = p?;
            tracing::debug!(subject = %p.entry.subject, action = %p.entry.action, "dry-run");
            cs.add(p.entry);
            to_apply.extend(p.apply);
        }
        for (api, o) in &to_apply {
            self.apply_now(api, o).await?;
        }
        Ok(cs)
    }

    /// Flux's staged apply: CRDs, Namespaces and ClusterRoles first, waited for until Current
    /// (CRDs Established); then kinds ending in `Class`, waited for; then everything else.
    pub async fn apply_all_staged(
        &self,
        objs: &[DynamicObject],
        opts: &ApplyOptions,
    ) -> Result<ChangeSet, SsaError> {
        self.apply_all_staged_with_cancel(objs, opts, &CancellationToken::new())
            .await
    }

    /// [`ResourceManager::apply_all_staged`] whose waits for definitions end with
    /// [`crate::WaitError::Cancelled`] as soon as `cancel` fires.
    pub async fn apply_all_staged_with_cancel(
        &self,
        objs: &[DynamicObject],
        opts: &ApplyOptions,
        cancel: &CancellationToken,
    ) -> Result<ChangeSet, SsaError> {
        let stages = partition(objs);
        let wait = WaitOptions {
            interval: opts.wait_interval,
            timeout: opts.wait_timeout,
            fail_fast: false,
        };
        let mut cs = ChangeSet::new();
        for stage in [&stages.definitions, &stages.classes] {
            if stage.is_empty() {
                continue;
            }
            let applied = self.apply_all(stage, opts).await?;
            let set: Vec<ObjMetadata> = applied
                .entries
                .iter()
                .filter(|e| e.action != Action::Skipped)
                .map(|e| e.obj.clone())
                .collect();
            cs.append(applied);
            self.wait_for_set(&set, &wait, cancel).await?;
        }
        cs.append(self.apply_all(&stages.resources, opts).await?);
        Ok(cs)
    }

    async fn plan_one(
        &self,
        obj: &DynamicObject,
        opts: &ApplyOptions,
    ) -> Result<Planned, SsaError> {
        let meta = ObjMetadata::from_object(obj);
        check_kubernetes_object(obj).map_err(|problem| SsaError::InvalidObject {
            subject: meta.to_string(),
            problem,
        })?;
        let (api, _) = self.api_for(obj).await?;
        let gv = api_version(obj).to_string();
        let entry = |action| ChangeSetEntry::new(meta.clone(), &gv, action);
        // Like Flux, a failed read counts as absent: the dry-run reports the real problem.
        let mut live = api.get_opt(&meta.name).await.ok().flatten();
        if should_skip_apply(&obj.metadata, live.as_ref().map(|l| &l.metadata), opts) {
            return Ok(Planned {
                entry: entry(Action::Skipped),
                apply: None,
            });
        }
        let dry = match self.dry_run(&api, obj).await {
            Ok(d) => d,
            Err(e) => {
                let (code, _, message) = api_status(&e);
                let live_meta = live.as_ref().map(|l| &l.metadata);
                if !should_force_apply(&obj.metadata, live_meta, opts, code, &message) {
                    return Err(dry_run_error(&meta, &e));
                }
                self.recreate(&api, &meta, opts).await?;
                live = None;
                self.dry_run(&api, obj)
                    .await
                    .map_err(|e| dry_run_error(&meta, &e))?
            }
        };
        let patched = self.cleanup(&api, obj, live.as_ref(), opts).await?;
        let live_value = live.as_ref().map(to_value);
        let created = dry
            .metadata
            .resource_version
            .as_deref()
            .unwrap_or("")
            .is_empty();
        let changed = patched || has_drifted(live_value.as_ref(), &to_value(&dry));
        let action = action_for(created, changed);
        let apply = changed.then(|| (api, obj.clone()));
        Ok(Planned {
            entry: entry(action),
            apply,
        })
    }

    pub(super) async fn dry_run(
        &self,
        api: &Api<DynamicObject>,
        obj: &DynamicObject,
    ) -> Result<DynamicObject, kube::Error> {
        let pp = PatchParams::apply(&self.owner.field).force().dry_run();
        api.patch(
            obj.metadata.name.as_deref().unwrap_or(""),
            &pp,
            &Patch::Apply(obj),
        )
        .await
    }

    async fn apply_now(
        &self,
        api: &Api<DynamicObject>,
        obj: &DynamicObject,
    ) -> Result<(), SsaError> {
        let pp = PatchParams::apply(&self.owner.field).force();
        let name = obj.metadata.name.as_deref().unwrap_or("");
        api.patch(name, &pp, &Patch::Apply(obj))
            .await
            .map_err(|e| SsaError::ApplyFailed {
                subject: ObjMetadata::from_object(obj).to_string(),
                message: api_status(&e).2,
            })?;
        Ok(())
    }

    /// Deletes the live object (immutable field changed, force set) and waits until it is
    /// gone, finalizers included.
    async fn recreate(
        &self,
        api: &Api<DynamicObject>,
        meta: &ObjMetadata,
        opts: &ApplyOptions,
    ) -> Result<(), SsaError> {
        let immutable = |message: String| SsaError::Immutable {
            subject: meta.to_string(),
            message,
        };
        match api.delete(&meta.name, &DeleteParams::background()).await {
            Ok(_) => {}
            Err(e) if api_status(&e).0 == 404 => {}
            Err(e) => return Err(immutable(api_status(&e).2)),
        }
        let deadline = tokio::time::Instant::now() + opts.wait_timeout;
        loop {
            match api.get_opt(&meta.name).await {
                Ok(None) => return Ok(()),
                Ok(Some(_)) => {}
                Err(e) => return Err(immutable(api_status(&e).2)),
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(immutable(
                    "timed out waiting for the object to be deleted".into(),
                ));
            }
            tokio::time::sleep(opts.wait_interval.min(Duration::from_millis(500))).await;
        }
    }

    /// Sends the cleanup JSON patch when the live object has something to clean; whether it did.
    async fn cleanup(
        &self,
        api: &Api<DynamicObject>,
        desired: &DynamicObject,
        live: Option<&DynamicObject>,
        opts: &ApplyOptions,
    ) -> Result<bool, SsaError> {
        let Some(live) = live else {
            return Ok(false);
        };
        let excl = &opts.cleanup.exclusions;
        if any_in_metadata(&desired.metadata, excl) || any_in_metadata(&live.metadata, excl) {
            return Ok(false);
        }
        let ops = cleanup_patch(&to_value(live), &opts.cleanup, &self.owner.field);
        if ops.is_empty() {
            return Ok(false);
        }
        let meta = ObjMetadata::from_object(desired);
        let failed = |message: String| SsaError::CleanupFailed {
            subject: meta.to_string(),
            message,
        };
        let patch: json_patch::Patch =
            serde_json::from_value(Value::Array(ops)).map_err(|e| failed(e.to_string()))?;
        let pp = PatchParams {
            field_manager: Some(self.owner.field.clone()),
            ..PatchParams::default()
        };
        api.patch(&meta.name, &pp, &Patch::Json::<()>(patch))
            .await
            .map_err(|e| failed(api_status(&e).2))?;
        Ok(true)
    }
}

fn to_value(obj: &DynamicObject) -> Value {
    serde_json::to_value(obj).unwrap_or(Value::Null)
}

pub(super) fn dry_run_error(meta: &ObjMetadata, e: &kube::Error) -> SsaError {
    let (code, reason, message) = api_status(e);
    if code == 404 && meta.namespace.is_empty() {
        return SsaError::NamespaceNotSpecified {
            subject: meta.to_string(),
            message,
        };
    }
    SsaError::DryRunFailed {
        subject: meta.to_string(),
        reason,
        code,
        message,
    }
}
