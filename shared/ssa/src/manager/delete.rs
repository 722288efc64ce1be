//! Delete and prune: objects still owned (owner labels match) and not excluded
//! (`prune: disabled`, ...) are deleted; an object already gone counts as deleted.

use kube::api::{DeleteParams, DynamicObject};

use super::{ResourceManager, api_status};
use crate::changeset::{Action, ChangeSet, ChangeSetEntry};
use crate::error::SsaError;
use crate::objmeta::ObjMetadata;
use crate::options::{DeleteOptions, PropagationPolicy};
use crate::plan::stages::sort_objects;
use crate::unstructured::{any_in_metadata, api_version, labels_match};

impl ResourceManager {
    /// Deletes one object (Flux's `Delete`): Skipped when the live object's labels do not
    /// include `inclusions` or it carries an exclusion; Deleted when gone or deleted.
    pub async fn delete(
        &self,
        obj: &DynamicObject,
        opts: &DeleteOptions,
    ) -> Result<ChangeSetEntry, SsaError> {
        let meta = ObjMetadata::from_object(obj);
        let entry = |action| ChangeSetEntry::new(meta.clone(), api_version(obj), action);
        let api = match self.api_for(obj).await {
            Ok((api, _)) => api,
            // No API serves the kind any more (its CRD is gone): nothing left to delete.
            Err(SsaError::UnknownKind { .. }) => return Ok(entry(Action::Deleted)),
            Err(e) => return Err(e),
        };
        let live = api
            .get_opt(&meta.name)
            .await
            .map_err(|e| SsaError::QueryFailed {
                subject: meta.to_string(),
                message: api_status(&e).2,
            })?;
        let Some(live) = live else {
            return Ok(entry(Action::Deleted));
        };
        if !labels_match(&live.metadata, &opts.inclusions)
            || any_in_metadata(&live.metadata, &opts.exclusions)
        {
            return Ok(entry(Action::Skipped));
        }
        let dp = match opts.propagation_policy {
            PropagationPolicy::Background => DeleteParams::background(),
            PropagationPolicy::Foreground => DeleteParams::foreground(),
            PropagationPolicy::Orphan => DeleteParams::orphan(),
        };
        match api.delete(&meta.name, &dp).await {
            Ok(_) => Ok(entry(Action::Deleted)),
            Err(e) if api_status(&e).0 == 404 => Ok(entry(Action::Deleted)),
            Err(e) => Err(SsaError::ApplyFailed {
                subject: meta.to_string(),
                message: format!("delete failed: {}", api_status(&e).2),
            }),
        }
    }

    /// Deletes every object in reverse apply order, continuing past failures (Flux's
    /// `DeleteAll`); on any failure the error carries the whole change set.
    pub async fn delete_all(
        &self,
        objs: &[DynamicObject],
        opts: &DeleteOptions,
    ) -> Result<ChangeSet, SsaError> {
        let mut objs = objs.to_vec();
        sort_objects(&mut objs);
        objs.reverse();
        let mut cs = ChangeSet::new();
        let mut errors = String::new();
        for o in &objs {
            match self.delete(o, opts).await {
                Ok(e) => cs.add(e),
                Err(e) => {
                    cs.add(ChangeSetEntry::new(
                        ObjMetadata::from_object(o),
                        api_version(o),
                        Action::Unknown,
                    ));
                    errors.push_str(&e.to_string());
                    errors.push(';');
                }
            }
        }
        if errors.is_empty() {
            Ok(cs)
        } else {
            Err(SsaError::DeleteFailed {
                change_set: Box::new(cs),
                errors,
            })
        }
    }
}
