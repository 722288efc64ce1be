//! Table tests of the pure decisions.

use std::time::{Duration, SystemTime};

use fluxion_api::meta::{Artifact, Time};

use super::*;

#[test]
fn revisions_as_flux_writes_them() {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let cases = [
        (Some("main"), format!("main@sha1:{sha}")),
        (Some("refs/heads/main"), format!("main@sha1:{sha}")),
        (Some("refs/tags/v1.0.0"), format!("v1.0.0@sha1:{sha}")),
        (Some("v1.0.0"), format!("v1.0.0@sha1:{sha}")),
        (
            Some("refs/pull/1/head"),
            format!("refs/pull/1/head@sha1:{sha}"),
        ),
        (None, format!("sha1:{sha}")),
        (Some(""), format!("sha1:{sha}")),
    ];
    for (reference, want) in cases {
        assert_eq!(git_revision(reference, sha), want, "{reference:?}");
    }
}

#[test]
fn paths_and_urls() {
    let path = artifact_path(GIT_REPOSITORY_KIND, "ns", "app", &git_artifact_file("abc"));
    assert_eq!(path, "gitrepository/ns/app/abc.tar.gz");
    assert_eq!(
        artifact_url("source-controller.flux-system.svc.cluster.local.", &path),
        "http://source-controller.flux-system.svc.cluster.local./gitrepository/ns/app/abc.tar.gz"
    );
    assert_eq!(
        artifact_dir(GIT_REPOSITORY_KIND, "ns", "app"),
        "gitrepository/ns/app"
    );
}

#[test]
fn messages() {
    assert_eq!(short_message("fix: a thing\n\nbody"), "fix: a thing");
    let long = "x".repeat(60);
    assert_eq!(short_message(&long), format!("{}...", "x".repeat(50)));
    assert_eq!(
        new_artifact_event("first\n"),
        "stored artifact for commit 'first'"
    );
    assert_eq!(
        stored_message("main@sha1:abc"),
        "stored artifact for revision 'main@sha1:abc'"
    );
}

fn artifact(revision: &str) -> Artifact {
    Artifact {
        digest: "sha256:00".into(),
        last_update_time: Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH),
        metadata: None,
        path: "p".into(),
        revision: revision.into(),
        size: Some(1),
        url: "u".into(),
    }
}

#[test]
fn artifact_is_reused_only_when_nothing_changed() {
    let inputs = ObservedInputs {
        ignore: None,
        recurse_submodules: false,
        sparse_checkout: vec![],
        include: vec![],
        included: vec![],
    };
    let other = ObservedInputs {
        ignore: Some("*.txt".into()),
        ..inputs.clone()
    };
    let new_include = ObservedInputs {
        included: vec!["sha256:ff".into()],
        ..inputs.clone()
    };
    let current = artifact("main@sha1:a");
    let cases = [
        (None, "main@sha1:a", &inputs, true, ArtifactAction::Build),
        (
            Some(&current),
            "main@sha1:a",
            &inputs,
            true,
            ArtifactAction::Reuse,
        ),
        (
            Some(&current),
            "main@sha1:b",
            &inputs,
            true,
            ArtifactAction::Build,
        ),
        (
            Some(&current),
            "main@sha1:a",
            &other,
            true,
            ArtifactAction::Build,
        ),
        (
            Some(&current),
            "main@sha1:a",
            &inputs,
            false,
            ArtifactAction::Build,
        ),
        (
            Some(&current),
            "main@sha1:a",
            &new_include,
            true,
            ArtifactAction::Build,
        ),
    ];
    for (current, revision, wanted, present, want) in cases {
        assert_eq!(
            artifact_action(current, revision, &inputs, wanted, present),
            want,
            "{revision} {wanted:?} {present}"
        );
    }
}

fn file(name: &str, age_secs: u64, now: SystemTime) -> StoredFile {
    StoredFile {
        name: name.into(),
        modified: now - Duration::from_secs(age_secs),
    }
}

#[test]
fn gc_keeps_current_and_recent_records() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(10_000);
    let ttl = Duration::from_secs(60);
    let files = [
        file("a.tar.gz", 500, now),
        file("b.tar.gz", 30, now),
        file("c.tar.gz", 20, now),
        file("d.tar.gz", 10, now),
    ];
    // d is current; a is past the ttl; b is beyond 2 records.
    assert_eq!(
        gc_select(&files, "d.tar.gz", now, ttl, 2),
        ["a.tar.gz", "b.tar.gz"]
    );
    // Plenty of records: only the expired one goes.
    assert_eq!(gc_select(&files, "d.tar.gz", now, ttl, 10), ["a.tar.gz"]);
    // The current artifact is never collected, even when old.
    let old = [file("x.tar.gz", 900, now)];
    assert!(gc_select(&old, "x.tar.gz", now, ttl, 1).is_empty());
}

#[test]
fn events_on_new_digest_or_recovery() {
    use fluxion_runtime::conditions as cond;
    let now = Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
    let mut failing = Vec::new();
    cond::mark_true(
        &mut failing,
        "FetchFailed",
        "GitOperationFailed",
        "x",
        1,
        &now,
    );
    let a = artifact("main@sha1:a");
    let mut b = artifact("main@sha1:b");
    b.digest = "sha256:11".into();
    assert_eq!(success_event(None, &[], &a, &[]), Some("NewArtifact"));
    assert_eq!(success_event(Some(&a), &[], &b, &[]), Some("NewArtifact"));
    assert_eq!(success_event(Some(&a), &[], &a, &[]), None);
    assert_eq!(
        success_event(Some(&a), &failing, &a, &[]),
        Some("Succeeded")
    );
}
