//! `fluxion trace NAME --kind K --api-version V`: from an applied object to the Kustomization
//! that owns it (its `kustomize.toolkit.fluxcd.io/name|namespace` labels) and on to that
//! Kustomization's source, in flux's report layout.

use std::fmt::Write as _;

use kube::api::{Api, DynamicObject};
use kube::core::GroupVersionKind;
use kube::discovery::{Discovery, Scope};
use serde_json::Value;

use crate::args::{GlobalArgs, TraceArgs};
use crate::commands::reconcile::{api, source_of};
use crate::error::CliError;
use crate::kinds::FluxKind;
use crate::{kube as kubeclient, table};

const NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
const NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";

pub async fn run(global: &GlobalArgs, args: &TraceArgs) -> Result<(), CliError> {
    let client = kubeclient::client(global).await?;
    let obj = find(&client, global, args).await?;
    let labels = obj.metadata.labels.clone().unwrap_or_default();
    let (Some(ks_name), Some(ks_ns)) = (labels.get(NAME_LABEL), labels.get(NAMESPACE_LABEL)) else {
        return Err(CliError::Failed(format!(
            "object not managed by Flux: {}/{}",
            args.kind, args.name
        )));
    };
    let ks = api(&client, FluxKind::Kustomization, ks_ns)
        .get_opt(ks_name)
        .await?
        .ok_or_else(|| {
            CliError::Failed(format!("failed to find kustomization: {ks_ns}/{ks_name}"))
        })?;
    let (kind, source_ns, source_name) = source_of(&ks, ks_ns)?;
    let source = api(&client, kind, &source_ns)
        .get_opt(&source_name)
        .await?
        .ok_or_else(|| {
            CliError::Failed(format!(
                "failed to find {}: {source_ns}/{source_name}",
                kind.kind()
            ))
        })?;
    let object = format!("{}/{}", args.kind, args.name);
    let namespace = obj.metadata.namespace.clone().unwrap_or_default();
    crate::output::emit(&report(&object, &namespace, &ks, kind, &source))?;
    Ok(())
}

async fn find(
    client: &kube::Client,
    global: &GlobalArgs,
    args: &TraceArgs,
) -> Result<DynamicObject, CliError> {
    let (group, version) = match args.api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", args.api_version.as_str()),
    };
    let gvk = GroupVersionKind::gvk(group, version, &args.kind);
    let discovery = Discovery::new(client.clone()).run().await?;
    let (resource, caps) = discovery.resolve_gvk(&gvk).ok_or_else(|| {
        CliError::usage(format!(
            "no matches for kind \"{}\" in version \"{}\"",
            args.kind, args.api_version
        ))
    })?;
    let api: Api<DynamicObject> = match caps.scope {
        Scope::Namespaced => Api::namespaced_with(client.clone(), &global.namespace, &resource),
        Scope::Cluster => Api::all_with(client.clone(), &resource),
    };
    api.get_opt(&args.name).await?.ok_or_else(|| {
        CliError::Failed(format!(
            "failed to find object: {}/{}",
            args.kind, args.name
        ))
    })
}

fn text(obj: &DynamicObject, pointer: &str) -> String {
    obj.data
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Go's `time.Time.String()` of a condition's lastTransitionTime (`2021-05-14 12:00:00 +0000 UTC`).
fn go_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M:%S +0000 UTC")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The Status/Message lines of an object's Ready condition, `pad` wide labels.
fn ready_lines(out: &mut String, obj: &DynamicObject, failed_wording: bool) {
    match table::condition(obj, "Ready") {
        Some(c) => {
            let status = c.get("status").and_then(Value::as_str).unwrap_or_default();
            let when = go_time(
                c.get("lastTransitionTime")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            );
            let verb = if failed_wording && status == "False" {
                "Last reconciliation failed at"
            } else {
                "Last reconciled at"
            };
            let message = c.get("message").and_then(Value::as_str).unwrap_or_default();
            let _ = write!(
                out,
                "\nStatus:          {verb} {when}\nMessage:         {message}"
            );
        }
        None => out.push_str("\nStatus:          Unknown"),
    }
}

/// flux trace's report for an object applied by a Kustomization.
pub fn report(
    object: &str,
    namespace: &str,
    ks: &DynamicObject,
    kind: FluxKind,
    source: &DynamicObject,
) -> String {
    let mut out = format!("\nObject:          {object}");
    if !namespace.is_empty() {
        let _ = write!(out, "\nNamespace:       {namespace}");
    }
    out.push_str("\nStatus:          Managed by Flux\n---");
    let _ = write!(
        out,
        "\nKustomization:   {}",
        ks.metadata.name.as_deref().unwrap_or_default()
    );
    let _ = write!(
        out,
        "\nNamespace:       {}",
        ks.metadata.namespace.as_deref().unwrap_or_default()
    );
    let target = text(ks, "/spec/targetNamespace");
    if !target.is_empty() {
        let _ = write!(out, "\nTarget:          {target}");
    }
    let _ = write!(out, "\nPath:            {}", text(ks, "/spec/path"));
    let _ = write!(
        out,
        "\nRevision:        {}",
        text(ks, "/status/lastAppliedRevision")
    );
    ready_lines(&mut out, ks, false);
    let label = match kind {
        FluxKind::OciRepository => "OCIRepository:   ",
        _ => "GitRepository:   ",
    };
    let _ = write!(
        out,
        "\n---\n{label}{}",
        source.metadata.name.as_deref().unwrap_or_default()
    );
    let _ = write!(
        out,
        "\nNamespace:       {}",
        source.metadata.namespace.as_deref().unwrap_or_default()
    );
    let _ = write!(out, "\nURL:             {}", text(source, "/spec/url"));
    let reference = [
        ("Tag:             ", "/spec/ref/tag"),
        ("Tag:             ", "/spec/ref/semver"),
        ("Branch:          ", "/spec/ref/branch"),
        ("Digest:          ", "/spec/ref/digest"),
    ]
    .into_iter()
    .find(|(_, p)| !text(source, p).is_empty());
    if let Some((label, pointer)) = reference {
        let _ = write!(out, "\n{label}{}", text(source, pointer));
    }
    let revision = text(source, "/status/artifact/revision");
    if !revision.is_empty() {
        let _ = write!(out, "\nRevision:        {revision}");
    }
    ready_lines(&mut out, source, true);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(value: Value) -> DynamicObject {
        serde_json::from_value(value).expect("object")
    }

    #[test]
    fn reports_like_flux() {
        let ready = |status: &str, message: &str| json!([{"type": "Ready", "status": status, "message": message, "lastTransitionTime": "2026-11-22T10:00:00Z", "reason": "x"}]);
        let ks = obj(
            json!({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "apps", "namespace": "flux-system"},
            "spec": {"path": "./apps", "sourceRef": {"kind": "GitRepository", "name": "repo"}},
            "status": {"lastAppliedRevision": "main@sha1:abc", "conditions": ready("True", "Applied revision: main@sha1:abc")}}),
        );
        let repo = obj(
            json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": "repo", "namespace": "flux-system"},
            "spec": {"url": "https://example.com/repo", "ref": {"branch": "main"}},
            "status": {"artifact": {"revision": "main@sha1:abc"}, "conditions": ready("False", "auth failed")}}),
        );
        assert_eq!(
            report(
                "Deployment/web",
                "default",
                &ks,
                FluxKind::GitRepository,
                &repo
            ),
            "\nObject:          Deployment/web\nNamespace:       default\nStatus:          Managed by Flux\n---\n\
             Kustomization:   apps\nNamespace:       flux-system\nPath:            ./apps\nRevision:        main@sha1:abc\n\
             Status:          Last reconciled at 2026-11-22 10:00:00 +0000 UTC\nMessage:         Applied revision: main@sha1:abc\n---\n\
             GitRepository:   repo\nNamespace:       flux-system\nURL:             https://example.com/repo\nBranch:          main\n\
             Revision:        main@sha1:abc\nStatus:          Last reconciliation failed at 2026-11-22 10:00:00 +0000 UTC\n\
             Message:         auth failed\n"
        );
    }
}
