//! `fluxion reconcile source git|oci NAME` and `reconcile kustomization NAME [--with-source]`:
//! stamp `reconcile.fluxcd.io/requestedAt`, wait until the controller handled it, report the
//! revision or the failure. Also the create-and-wait that `create` commands end with.

use std::time::Duration;

use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use serde_json::{Value, json};

use fluxion_api::meta::RECONCILE_REQUEST_ANNOTATION;

use crate::args::{GlobalArgs, ReconcileArgs};
use crate::error::CliError;
use crate::kinds::{FluxKind, parse_named};
use crate::{kube as kubeclient, log, table};

const POLL: Duration = Duration::from_millis(500);

pub fn api(client: &kube::Client, kind: FluxKind, namespace: &str) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), namespace, &kind.api_resource())
}

pub async fn run(global: &GlobalArgs, args: &ReconcileArgs) -> Result<(), CliError> {
    let (kind, name) = parse_named(&args.words)?;
    let client = kubeclient::client(global).await?;
    let ns = global.namespace.as_str();
    let obj = get(&client, kind, ns, &name).await?;
    if args.with_source && kind == FluxKind::Kustomization {
        let (source_kind, source_ns, source_name) = source_of(&obj, ns)?;
        reconcile_one(global, &client, source_kind, &source_ns, &source_name).await?;
    }
    reconcile_one(global, &client, kind, ns, &name).await
}

async fn get(
    client: &kube::Client,
    kind: FluxKind,
    ns: &str,
    name: &str,
) -> Result<DynamicObject, CliError> {
    api(client, kind, ns)
        .get_opt(name)
        .await?
        .ok_or_else(|| CliError::NotFound {
            kind: kind.kind().to_string(),
            name: name.to_string(),
            namespace: ns.to_string(),
        })
}

/// A Kustomization's source: kind, namespace (defaulting to its own) and name.
pub fn source_of(obj: &DynamicObject, ns: &str) -> Result<(FluxKind, String, String), CliError> {
    let r = obj
        .data
        .pointer("/spec/sourceRef")
        .cloned()
        .unwrap_or(Value::Null);
    let kind_name = r.get("kind").and_then(Value::as_str).unwrap_or_default();
    let kind = FluxKind::from_kind(kind_name)
        .filter(|k| k.is_source())
        .ok_or_else(|| CliError::usage(format!("source kind '{kind_name}' is not supported")))?;
    let name = r
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let source_ns = r
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or(ns)
        .to_string();
    Ok((kind, source_ns, name))
}

async fn reconcile_one(
    global: &GlobalArgs,
    client: &kube::Client,
    kind: FluxKind,
    ns: &str,
    name: &str,
) -> Result<(), CliError> {
    let obj = get(client, kind, ns, name).await?;
    if table::suspended(&obj) == "True" {
        return Err(CliError::usage("resource is suspended"));
    }
    log::action(&format!(
        "annotating {} {name} in {ns} namespace",
        kind.kind()
    ));
    let requested = request(client, kind, ns, name).await?;
    log::success(&format!("{} annotated", kind.kind()));
    let waiting = format!("waiting for {} reconciliation", kind.kind());
    let spinner = log::Spinner::start(&waiting);
    let done = wait(client, kind, ns, name, Some(&requested), global.timeout).await;
    spinner.stop(&waiting);
    let done = done?;
    report(kind, &done);
    Ok(())
}

/// Sets the requestedAt annotation to now (RFC 3339 with nanoseconds, as flux writes it).
pub async fn request(
    client: &kube::Client,
    kind: FluxKind,
    ns: &str,
    name: &str,
) -> Result<String, CliError> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let patch = json!({"metadata": {"annotations": {RECONCILE_REQUEST_ANNOTATION: now}}});
    api(client, kind, ns)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await?;
    Ok(now)
}

/// Polls until the object is reconciled (kstatus: Current) or failed; with `requested`,
/// only once the controller has handled that request.
pub async fn wait(
    client: &kube::Client,
    kind: FluxKind,
    ns: &str,
    name: &str,
    requested: Option<&str>,
    timeout: Duration,
) -> Result<DynamicObject, CliError> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let obj = get(client, kind, ns, name).await?;
        let handled = requested.is_none_or(|r| {
            obj.data
                .pointer("/status/lastHandledReconcileAt")
                .and_then(Value::as_str)
                == Some(r)
        });
        if handled {
            let outcome = match requested {
                // flux's reconcile: once the request is handled, Ready decides.
                Some(_) => after_request(&obj),
                // flux's create: kstatus of the object.
                None => status(&obj),
            };
            match outcome {
                Status::Current => return Ok(obj),
                Status::Failed(msg) => {
                    return Err(CliError::Failed(format!(
                        "{} reconciliation failed: '{msg}'",
                        kind.kind()
                    )));
                }
                Status::InProgress => {}
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(CliError::Timeout(format!("{} reconciliation", kind.kind())));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// kstatus for Flux objects: where the object stands after its controller's latest run.
#[derive(Debug, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Current,
    Failed(String),
}

/// After a handled request: Ready=True succeeds, Ready=False fails, anything else waits.
pub fn after_request(obj: &DynamicObject) -> Status {
    let (ready, message) = table::ready(obj);
    match (table::condition(obj, "Ready").is_some(), ready.as_str()) {
        (true, "True") => Status::Current,
        (true, "False") => Status::Failed(message),
        _ => Status::InProgress,
    }
}

pub fn status(obj: &DynamicObject) -> Status {
    let generation = obj.metadata.generation;
    let observed = obj
        .data
        .pointer("/status/observedGeneration")
        .and_then(Value::as_i64);
    if generation.is_some() && observed != generation {
        return Status::InProgress;
    }
    let is_true = |t: &str| {
        table::condition(obj, t)
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str)
            == Some("True")
    };
    let (ready, message) = table::ready(obj);
    if is_true("Stalled") {
        return Status::Failed(message);
    }
    if is_true("Reconciling") || table::condition(obj, "Ready").is_none() {
        return Status::InProgress;
    }
    match ready.as_str() {
        "True" => Status::Current,
        "False" => Status::Failed(message),
        _ => Status::InProgress,
    }
}

fn report(kind: FluxKind, obj: &DynamicObject) {
    let revision = kind.revision(obj);
    match kind {
        FluxKind::Kustomization => log::success(&format!("applied revision {revision}")),
        _ => log::success(&format!("fetched revision {revision}")),
    }
}

/// Creates the object or updates its labels and spec, then waits until it is Ready.
pub async fn upsert_and_wait(
    global: &GlobalArgs,
    kind: FluxKind,
    obj: Value,
) -> Result<(), CliError> {
    let client = kubeclient::client(global).await?;
    let ns = global.namespace.as_str();
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let api = api(&client, kind, ns);
    log::action(&format!("applying {}", kind.kind()));
    let desired: DynamicObject =
        serde_json::from_value(obj).map_err(|e| CliError::Build(e.to_string()))?;
    match api.get_opt(&name).await? {
        None => {
            api.create(&PostParams::default(), &desired).await?;
            log::success(&format!("{} created", kind.kind()));
        }
        Some(mut existing) => {
            existing.metadata.labels = desired.metadata.labels.clone();
            if let Some(spec) = desired.data.get("spec") {
                existing.data["spec"] = spec.clone();
            }
            api.replace(&name, &PostParams::default(), &existing)
                .await?;
            log::success(&format!("{} updated", kind.kind()));
        }
    }
    let waiting = format!("waiting for {} reconciliation", kind.kind());
    let spinner = log::Spinner::start(&waiting);
    let done = wait(&client, kind, ns, &name, None, global.timeout).await;
    spinner.stop(&waiting);
    let done = done?;
    log::success(&format!("{} reconciliation completed", kind.kind()));
    report(kind, &done);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(generation: i64, status: Value) -> DynamicObject {
        let mut o: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "X", "metadata": {"name": "x", "generation": generation},
        }))
        .expect("object");
        o.data = json!({"status": status});
        o
    }

    #[test]
    fn kstatus_of_flux_objects() {
        let cond = |t: &str, s: &str, m: &str| json!({"type": t, "status": s, "message": m});
        let cases = [
            (json!({"observedGeneration": 1}), Status::InProgress),
            (
                json!({"observedGeneration": 2, "conditions": [cond("Ready", "True", "ok")]}),
                Status::Current,
            ),
            (
                json!({"observedGeneration": 1, "conditions": [cond("Ready", "True", "ok")]}),
                Status::InProgress,
            ),
            (
                json!({"observedGeneration": 2, "conditions": [cond("Ready", "False", "bad")]}),
                Status::Failed("bad".into()),
            ),
            (
                json!({"observedGeneration": 2, "conditions": [cond("Ready", "False", "retry"), cond("Reconciling", "True", "")]}),
                Status::InProgress,
            ),
            (
                json!({"observedGeneration": 2, "conditions": [cond("Ready", "False", "stuck"), cond("Stalled", "True", "")]}),
                Status::Failed("stuck".into()),
            ),
            (
                json!({"observedGeneration": 2, "conditions": [cond("Ready", "Unknown", "")]}),
                Status::InProgress,
            ),
        ];
        for (st, want) in cases {
            assert_eq!(status(&obj(2, st.clone())), want, "{st}");
        }
    }
}
