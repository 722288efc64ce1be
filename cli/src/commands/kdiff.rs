//! `fluxion diff kustomization NAME --path DIR`: builds DIR as `build kustomization` does,
//! then asks the API server (server-side dry-run, field manager kustomize-controller) what
//! applying it would change: `► Kind/ns/name created|drifted|deleted`, with the changed
//! fields (Secret values masked). Exit code 1 when anything would change, as flux's.

use std::collections::BTreeMap;

use fluxion_ssa::{Action, Owner, ResourceManager};
use kube::api::DynamicObject;
use serde_json::Value;

use crate::args::{BuildKsArgs, GlobalArgs};
use crate::commands::kbuild::build_objects;
use crate::error::CliError;
use crate::{kube as kubeclient, log};

pub async fn run(global: &GlobalArgs, args: &BuildKsArgs) -> Result<(), CliError> {
    let client = kubeclient::client(global).await?;
    let (ks, objects) = build_objects(global, args, Some(&client)).await?;
    log::success("Kustomization diffing...");
    let manager = ResourceManager::new(client.clone(), Owner::kustomize_controller());
    let exclusions = BTreeMap::from([(
        "kustomize.toolkit.fluxcd.io/reconcile".to_string(),
        "disabled".to_string(),
    )]);
    let mut changed = false;
    let mut built_ids = std::collections::BTreeSet::new();
    let mut out = String::new();
    for value in objects {
        let obj: DynamicObject =
            serde_json::from_value(value).map_err(|e| CliError::Build(e.to_string()))?;
        let diff = manager
            .diff(&obj, &exclusions)
            .await
            .map_err(|e| CliError::Failed(e.to_string()))?;
        built_ids.insert(diff.entry.subject.clone());
        match diff.entry.action {
            Action::Created => {
                changed = true;
                out.push_str(&format!("► {} created\n", diff.entry.subject));
            }
            Action::Configured => {
                changed = true;
                out.push_str(&format!("► {} drifted\n", diff.entry.subject));
                let (live, merged) = (
                    diff.live.unwrap_or_default(),
                    diff.merged.unwrap_or_default(),
                );
                out.push_str(&render_changes(&live, &merged));
            }
            _ => {}
        }
    }
    if ks.spec.prune {
        for stale in stale_entries(&ks, &built_ids) {
            changed = true;
            out.push_str(&format!("► {stale} deleted\n"));
        }
    }
    crate::output::emit(&out)?;
    if changed {
        return Err(CliError::Failed(
            "identified at least one change, exiting with non-zero exit code".into(),
        ));
    }
    Ok(())
}

/// Objects in the Kustomization's inventory that the new build no longer has.
fn stale_entries(
    ks: &fluxion_api::kustomize::Kustomization,
    built: &std::collections::BTreeSet<String>,
) -> Vec<String> {
    let entries = ks
        .status
        .as_ref()
        .and_then(|s| s.inventory.as_ref())
        .map(|i| i.entries.clone())
        .unwrap_or_default();
    entries
        .iter()
        .filter_map(|e| e.object_id().ok())
        .map(|id| crate::commands::tree::subject(&id))
        .filter(|subject| !built.contains(subject))
        .collect()
}

/// The changed fields, dyff-style: the path, then `± value change` with the old and new
/// values (or `+`/`-` for added and removed fields).
pub fn render_changes(live: &Value, merged: &Value) -> String {
    let mut changes = Vec::new();
    walk("", live, merged, &mut changes);
    let mut out = String::new();
    for (path, before, after) in changes {
        out.push_str(&format!("\n{path}\n"));
        match (before, after) {
            (Some(b), Some(a)) => {
                out.push_str(&format!("  ± value change\n    - {b}\n    + {a}\n"))
            }
            (None, Some(a)) => out.push_str(&format!("  + value added\n    + {a}\n")),
            (Some(b), None) => out.push_str(&format!("  - value removed\n    - {b}\n")),
            (None, None) => {}
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

type Change = (String, Option<String>, Option<String>);

fn walk(path: &str, live: &Value, merged: &Value, out: &mut Vec<Change>) {
    if ignored(path) || live == merged {
        return;
    }
    match (live, merged) {
        (Value::Object(l), Value::Object(m)) => {
            let keys: std::collections::BTreeSet<&String> = l.keys().chain(m.keys()).collect();
            for key in keys {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match (l.get(key), m.get(key)) {
                    (Some(a), Some(b)) => walk(&child, a, b, out),
                    (Some(a), None) if !ignored(&child) => out.push((child, Some(show(a)), None)),
                    (None, Some(b)) if !ignored(&child) => out.push((child, None, Some(show(b)))),
                    _ => {}
                }
            }
        }
        _ => out.push((path.to_string(), Some(show(live)), Some(show(merged)))),
    }
}

/// Server-owned bookkeeping that every dry-run changes.
fn ignored(path: &str) -> bool {
    matches!(
        path,
        "metadata.managedFields" | "metadata.resourceVersion" | "metadata.generation" | "status"
    )
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_field_changes() {
        let live = json!({"metadata": {"name": "a", "resourceVersion": "1"}, "data": {"color": "red", "old": "x"}});
        let merged = json!({"metadata": {"name": "a", "resourceVersion": "2"}, "data": {"color": "blue", "new": "y"}});
        assert_eq!(
            render_changes(&live, &merged),
            "\ndata.color\n  ± value change\n    - red\n    + blue\n\
             \ndata.new\n  + value added\n    + y\n\
             \ndata.old\n  - value removed\n    - x\n\n"
        );
        assert_eq!(render_changes(&live, &live), "");
    }
}
