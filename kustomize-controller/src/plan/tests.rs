//! Table-driven tests of the pure decisions.

use std::collections::HashSet;

use fluxion_api::kustomize::{Kustomization, ResourceInventory, ResourceRef};
use serde_json::json;

use super::*;

fn ks(name: &str, extra: serde_json::Value) -> Kustomization {
    let mut obj = json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "apps", "generation": 2},
        "spec": {"interval": "5m", "prune": true,
                 "sourceRef": {"kind": "GitRepository", "name": "repo"}},
    });
    merge(&mut obj, extra);
    serde_json::from_value(obj).expect("kustomization")
}

fn merge(a: &mut serde_json::Value, b: serde_json::Value) {
    match (a, b) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(serde_json::Value::Null), v);
            }
        }
        (a, b) => *a = b,
    }
}

fn ready(generation: i64, observed: i64, ready: &str, applied: &str) -> serde_json::Value {
    json!({
        "metadata": {"generation": generation},
        "status": {
            "observedGeneration": observed,
            "lastAppliedRevision": applied,
            "conditions": [{"type": "Ready", "status": ready, "reason": "X", "message": "",
                            "lastTransitionTime": "2025-01-01T00:00:00Z"}],
        },
    })
}

#[test]
fn dependencies() {
    let me = ks("app", json!({}));
    let source = SourceKey::of(&me);
    let rev = "main@sha1:2";
    let cases: Vec<(&str, Kustomization, Result<(), &str>)> = vec![
        (
            "ready, same source, same revision",
            ks("dep", ready(2, 2, "True", rev)),
            Ok(()),
        ),
        (
            "ready, legacy revision form",
            ks("dep", ready(2, 2, "True", "main/2")),
            Ok(()),
        ),
        (
            "generation not observed",
            ks("dep", ready(3, 2, "True", rev)),
            Err("dependency 'apps/dep' is not ready"),
        ),
        (
            "not ready",
            ks("dep", ready(2, 2, "False", rev)),
            Err("dependency 'apps/dep' is not ready"),
        ),
        (
            "no conditions",
            ks(
                "dep",
                json!({"metadata": {"generation": 1}, "status": {"observedGeneration": 1}}),
            ),
            Err("dependency 'apps/dep' is not ready"),
        ),
        (
            "same source, older revision",
            ks("dep", ready(2, 2, "True", "main@sha1:1")),
            Err("dependency 'apps/dep' revision is not up to date"),
        ),
        (
            "other source, older revision",
            {
                let mut extra = ready(2, 2, "True", "main@sha1:1");
                merge(
                    &mut extra,
                    json!({"spec": {"sourceRef": {"name": "other"}}}),
                );
                ks("dep", extra)
            },
            Ok(()),
        ),
    ];
    for (what, dep, want) in cases {
        let got = check_dependencies(&[DependencyState::Found(&dep)], &source, rev);
        assert_eq!(got, want.map_err(str::to_string), "{what}");
    }
    let missing = DependencyState::Missing {
        namespace: "apps".into(),
        name: "db".into(),
        error: "not found".into(),
    };
    assert_eq!(
        check_dependencies(&[missing], &source, rev),
        Err("dependency 'apps/db' not found: not found".to_string())
    );
}

#[test]
fn source_index_maps_revision_changes_to_readers() {
    let mut index = SourceIndex::default();
    let a = ks("a", json!({}));
    let b = ks("b", json!({}));
    let c = ks(
        "c",
        json!({"spec": {"sourceRef": {"kind": "OCIRepository", "name": "repo"}}}),
    );
    for k in [&a, &b, &c] {
        index.record(k);
    }
    let git = SourceKey::of(&a);
    let oci = SourceKey::of(&c);
    assert_ne!(git, oci);
    // First sighting: the readers already used it.
    assert!(index.source_changed(&git, Some("main@sha1:1")).is_empty());
    // Same revision again (a status-only update): nothing.
    assert!(index.source_changed(&git, Some("main@sha1:1")).is_empty());
    let readers = index.source_changed(&git, Some("main@sha1:2"));
    assert_eq!(
        readers,
        vec![
            ("apps".to_string(), "a".to_string()),
            ("apps".to_string(), "b".to_string())
        ]
    );
    // The artifact going away is no reason to run.
    assert!(index.source_changed(&git, None).is_empty());
    assert_eq!(index.source_changed(&git, Some("main@sha1:2")).len(), 2);
    // A Kustomization that moves to another source leaves the old one.
    let moved = ks(
        "a",
        json!({"spec": {"sourceRef": {"kind": "OCIRepository", "name": "repo"}}}),
    );
    index.record(&moved);
    assert_eq!(
        index.readers(&git),
        vec![("apps".to_string(), "b".to_string())]
    );
    assert_eq!(index.readers(&oci).len(), 2);
    index.forget("apps", "b");
    assert!(index.readers(&git).is_empty());
    // A cross-namespace source is keyed by its own namespace.
    let cross = ks(
        "x",
        json!({"spec": {"sourceRef": {"namespace": "flux-system"}}}),
    );
    assert_eq!(SourceKey::of(&cross).namespace, "flux-system");
}

fn inv(ids: &[&str]) -> ResourceInventory {
    ResourceInventory {
        entries: ids
            .iter()
            .map(|id| ResourceRef {
                id: id.to_string(),
                v: "v1".into(),
            })
            .collect(),
    }
}

#[test]
fn stale_entries_skip_ignored_objects() {
    let old = inv(&[
        "apps_a__ConfigMap",
        "apps_b__ConfigMap",
        "apps_c__ConfigMap",
    ]);
    let new = inv(&["apps_a__ConfigMap"]);
    let skipped: HashSet<String> = ["apps_c__ConfigMap".to_string()].into();
    let stale: Vec<String> = stale_entries(Some(&old), &new, &skipped)
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(stale, ["apps_b__ConfigMap"]);
    assert!(stale_entries(None, &new, &skipped).is_empty());
}

#[test]
fn digest_and_messages() {
    assert_eq!(
        build_digest(b""),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let meta = history_metadata("v1@sha256:abc", Some("main@sha1:1"));
    assert_eq!(meta["revision"], "v1@sha256:abc");
    assert_eq!(meta["originRevision"], "main@sha1:1");
    assert!(!history_metadata("r", Some("")).contains_key("originRevision"));
    assert_eq!(
        applied_message("main@sha1:1"),
        "Applied revision: main@sha1:1"
    );
    assert_eq!(
        dependency_retry_message(std::time::Duration::from_secs(30)),
        "Dependencies do not meet ready condition, retrying in 30s"
    );
}

#[test]
fn config_index_maps_changes_to_substitute_readers() {
    let mut index = ConfigIndex::default();
    let reader = ks(
        "app",
        json!({"spec": {"postBuild": {"substituteFrom": [
            {"kind": "ConfigMap", "name": "vars"}, {"kind": "Secret", "name": "creds"}]}}}),
    );
    index.record(&reader);
    index.record(&ks("other", json!({})));
    let vars = ("ConfigMap", "apps".to_string(), "vars".to_string());
    let creds = ("Secret", "apps".to_string(), "creds".to_string());
    let app = ("apps".to_string(), "app".to_string());
    assert!(
        index.config_changed(&vars, "1").is_empty(),
        "first sighting"
    );
    assert!(index.config_changed(&vars, "1").is_empty(), "relist");
    assert_eq!(index.config_changed(&vars, "2"), vec![app.clone()]);
    assert!(index.config_changed(&creds, "7").is_empty());
    assert_eq!(index.config_changed(&creds, "8"), vec![app]);
    index.forget("apps", "app");
    assert!(index.config_changed(&vars, "3").is_empty());
}

#[test]
fn only_real_changes_and_due_requeues_run() {
    use std::time::{Duration, Instant};
    use trigger::{Decision, Memo, decide, trigger_hash};

    let now = Instant::now();
    let base = ks("app", json!({}));
    let hash = trigger_hash(&base);
    let later = Memo {
        hash,
        due: Some(now + Duration::from_secs(60)),
    };
    let past = Memo {
        hash,
        due: Some(now - Duration::from_secs(1)),
    };
    let stalled = Memo { hash, due: None };
    let requested = ks(
        "app",
        json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "1"}}}),
    );
    let newer = ks("app", json!({"metadata": {"generation": 3}}));
    let status_only = ks("app", json!({"status": {"lastAppliedRevision": "x"}}));
    assert_eq!(trigger_hash(&status_only), hash, "status does not count");
    let cases: Vec<(&str, Option<Memo>, u64, bool, Decision)> = vec![
        ("first run", None, hash, false, Decision::Run),
        (
            "own status write",
            Some(later),
            hash,
            false,
            Decision::Skip(Some(Duration::from_secs(60))),
        ),
        ("requeue due", Some(past), hash, false, Decision::Run),
        ("stalled", Some(stalled), hash, false, Decision::Skip(None)),
        ("source changed", Some(later), hash, true, Decision::Run),
        (
            "requestedAt",
            Some(later),
            trigger_hash(&requested),
            false,
            Decision::Run,
        ),
        (
            "spec changed",
            Some(stalled),
            trigger_hash(&newer),
            false,
            Decision::Run,
        ),
    ];
    for (what, memo, h, forced, want) in cases {
        assert_eq!(decide(memo.as_ref(), h, forced, now), want, "{what}");
    }
}

#[test]
fn download_follows_the_source_between_retries() {
    use fluxion_api::meta::Artifact;
    use fluxion_runtime::artifact::{ArtifactLocation, Refresh};
    let artifact = |revision: &str, url: &str, digest: &str| -> Artifact {
        serde_json::from_value(json!({
            "path": "gitrepository/ns/repo/a.tar.gz", "url": url, "revision": revision,
            "digest": digest, "lastUpdateTime": "2025-01-01T00:00:00Z",
        }))
        .expect("artifact")
    };
    let started = artifact("main@sha1:1", "http://old:9090/a.tar.gz", "sha256:aa");
    let cases = [
        (
            Some(artifact(
                "main@sha1:1",
                "http://old:9090/a.tar.gz",
                "sha256:aa",
            )),
            Refresh::Same,
        ),
        (
            Some(artifact(
                "main@sha1:1",
                "http://new:9090/a.tar.gz",
                "sha256:aa",
            )),
            Refresh::Moved(ArtifactLocation::new(
                "http://new:9090/a.tar.gz",
                "sha256:aa",
            )),
        ),
        (
            Some(artifact(
                "main@sha1:1",
                "http://old:9090/a.tar.gz",
                "sha256:bb",
            )),
            Refresh::Moved(ArtifactLocation::new(
                "http://old:9090/a.tar.gz",
                "sha256:bb",
            )),
        ),
        (
            Some(artifact(
                "main@sha1:2",
                "http://old:9090/b.tar.gz",
                "sha256:cc",
            )),
            Refresh::Superseded(
                "source revision changed from 'main@sha1:1' to 'main@sha1:2' while fetching \
                 the artifact, retrying"
                    .into(),
            ),
        ),
        (
            None,
            Refresh::Superseded(
                "source artifact for revision 'main@sha1:1' is gone, retrying".into(),
            ),
        ),
    ];
    for (fresh, want) in cases {
        assert_eq!(
            source::refresh_download(&started, fresh.as_ref()),
            want,
            "{fresh:?}"
        );
    }
}
