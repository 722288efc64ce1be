//! Diff: what an apply would change, without changing anything (Flux's `Diff`, used by
//! `flux diff kustomization`): the dry-run result next to the live object, Secret values
//! masked.

use std::collections::BTreeMap;

use kube::api::DynamicObject;
use serde_json::Value;

use super::ResourceManager;
use crate::changeset::{Action, ChangeSetEntry};
use crate::error::SsaError;
use crate::objmeta::ObjMetadata;
use crate::plan::drift::has_drifted;
use crate::unstructured::{any_in_metadata, api_version, check_kubernetes_object, is_secret};

/// Masks Flux prints instead of Secret values.
pub const MASK: &str = "***";
pub const MASK_BEFORE: &str = "*** (before)";
pub const MASK_AFTER: &str = "*** (after)";

/// The outcome of a diff: the action an apply would take and, when it would configure the
/// object, the live and merged objects without managedFields.
#[derive(Clone, Debug)]
pub struct Diff {
    pub entry: ChangeSetEntry,
    pub live: Option<Value>,
    pub merged: Option<Value>,
}

impl ResourceManager {
    /// Dry-runs `obj` and compares it with the live object. Objects whose live copy carries
    /// any of `exclusions` are Skipped.
    pub async fn diff(
        &self,
        obj: &DynamicObject,
        exclusions: &BTreeMap<String, String>,
    ) -> Result<Diff, SsaError> {
        let meta = ObjMetadata::from_object(obj);
        check_kubernetes_object(obj).map_err(|problem| SsaError::InvalidObject {
            subject: meta.to_string(),
            problem,
        })?;
        let entry = |action| ChangeSetEntry::new(meta.clone(), api_version(obj), action);
        let (api, _) = self.api_for(obj).await?;
        let live = api.get_opt(&meta.name).await.ok().flatten();
        if live
            .as_ref()
            .is_some_and(|l| any_in_metadata(&l.metadata, exclusions))
        {
            return Ok(Diff {
                entry: entry(Action::Skipped),
                live: None,
                merged: None,
            });
        }
        let dry = self
            .dry_run(&api, obj)
            .await
            .map_err(|e| super::apply::dry_run_error(&meta, &e))?;
        let unchanged = Diff {
            entry: entry(Action::Unchanged),
            live: None,
            merged: None,
        };
        if dry
            .metadata
            .resource_version
            .as_deref()
            .unwrap_or("")
            .is_empty()
        {
            return Ok(Diff {
                entry: entry(Action::Created),
                ..unchanged
            });
        }
        let mut merged = serde_json::to_value(&dry).unwrap_or(Value::Null);
        let Some(mut live) = live.map(|l| serde_json::to_value(&l).unwrap_or(Value::Null)) else {
            return Ok(Diff {
                entry: entry(Action::Created),
                ..unchanged
            });
        };
        if !has_drifted(Some(&live), &merged) {
            return Ok(unchanged);
        }
        for v in [&mut live, &mut merged] {
            if let Some(m) = v.pointer_mut("/metadata").and_then(Value::as_object_mut) {
                m.remove("managedFields");
            }
        }
        if is_secret(obj) {
            mask_secret_data(&mut live, &mut merged);
        }
        Ok(Diff {
            entry: entry(Action::Configured),
            live: Some(live),
            merged: Some(merged),
        })
    }
}

/// Replaces Secret `data` / `stringData` values with masks; a key whose value changes gets
/// the before / after masks so the diff still shows that it changed.
pub fn mask_secret_data(live: &mut Value, merged: &mut Value) {
    for field in ["data", "stringData"] {
        let before = live.get(field).cloned().unwrap_or(Value::Null);
        let after = merged.get(field).cloned().unwrap_or(Value::Null);
        mask_map(live.get_mut(field), &after, MASK_BEFORE);
        mask_map(merged.get_mut(field), &before, MASK_AFTER);
    }
}

fn mask_map(target: Option<&mut Value>, other: &Value, changed_mask: &str) {
    let Some(map) = target.and_then(Value::as_object_mut) else {
        return;
    };
    for (k, v) in map.iter_mut() {
        let differs = other.get(k).is_some_and(|o| o != v);
        *v = Value::String(if differs { changed_mask } else { MASK }.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_secret_values() {
        let mut live = json!({"data": {"same": "YQ==", "changed": "Yg==", "gone": "Yw=="}});
        let mut merged = json!({"data": {"same": "YQ==", "changed": "ZA==", "new": "ZQ=="}});
        mask_secret_data(&mut live, &mut merged);
        assert_eq!(
            live,
            json!({"data": {"same": "***", "changed": "*** (before)", "gone": "***"}})
        );
        assert_eq!(
            merged,
            json!({"data": {"same": "***", "changed": "*** (after)", "new": "***"}})
        );
    }
}
