//! Table tests of the OCIRepository decisions.

use super::*;

fn repo(registry: &str, repository: &str) -> RepoRef {
    RepoRef {
        registry: registry.into(),
        repository: repository.into(),
    }
}

#[test]
fn urls() {
    let cases: Vec<(&str, Result<RepoRef, &str>)> = vec![
        ("oci://ghcr.io/org/app", Ok(repo("ghcr.io", "org/app"))),
        (
            "oci://127.0.0.1:5000/a/b/c",
            Ok(repo("127.0.0.1:5000", "a/b/c")),
        ),
        ("oci://localhost/app", Ok(repo("localhost", "app"))),
        ("oci://org/app", Ok(repo("index.docker.io", "org/app"))),
        (
            "https://ghcr.io/org/app",
            Err("URL must be in format 'oci://<domain>/<org>/<repo>'"),
        ),
        (
            "oci://ghcr.io/org/app:v1",
            Err("URL must not contain a tag; remove ':v1'"),
        ),
        (
            "oci://ghcr.io/Org/App",
            Err(
                "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: Org/App",
            ),
        ),
        (
            "oci://ghcr.io/",
            Err("a repository name must be specified in 'oci://ghcr.io/'"),
        ),
    ];
    for (url, want) in cases {
        assert_eq!(parse_url(url), want.map_err(str::to_string), "{url}");
    }
}

#[test]
fn digests() {
    let good = format!("sha256:{}", "a".repeat(64));
    assert_eq!(parse_digest(&good), Ok(good.clone()));
    assert!(parse_digest("sha256:abc").is_err());
    assert!(parse_digest("md5:abc").is_err());
    assert!(parse_digest("nothing").is_err());
    assert!(parse_digest(&format!("sha256:{}", "G".repeat(64))).is_err());
}

#[test]
fn semver_with_filter() {
    let tags: Vec<String> = [
        "6.0.0",
        "6.1.0",
        "6.2.0-rc.1",
        "7.0.0",
        "6.1.1-dev",
        "latest",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let cases = [
        ("6.x", None, Ok("6.1.0")),
        (">=6.0.0 <7.0.0", None, Ok("6.1.0")),
        ("*", Some("^6\\."), Ok("6.1.0")),
        (">=6.1.1-0", Some(".*-dev$"), Ok("6.1.1-dev")),
        ("*", None, Ok("7.0.0")),
        ("8.x", None, Err("no match found for semver: 8.x")),
        // `6.9` and `v6.3` are not strict semver: never candidates, as Flux.
        (
            "6.x",
            Some("^(6\\.9|v6\\.3)$"),
            Err("no match found for semver: 6.x"),
        ),
    ];
    for (range, filter, want) in cases {
        assert_eq!(
            select_semver_tag(&tags, range, filter),
            want.map(str::to_string).map_err(str::to_string),
            "{range} {filter:?}"
        );
    }
    assert!(select_semver_tag(&tags, "6.x", Some("(")).is_err());
    let bad = select_semver_tag(&tags, "not a range", None).unwrap_err();
    assert!(
        bad.starts_with("semver 'not a range' parse error: "),
        "{bad}"
    );
}

#[test]
fn revisions_and_files() {
    let d = format!("sha256:{}", "b".repeat(64));
    let tag = ResolvedRef::Tag("v1".into());
    assert_eq!(revision(&tag, &d), format!("v1@{d}"));
    assert_eq!(revision(&ResolvedRef::Digest(d.clone()), &d), d);
    assert_eq!(artifact_file(&format!("v1@{d}")), format!("{d}.tar.gz"));
    assert_eq!(artifact_file(&d), format!("{d}.tar.gz"));
    let r = repo("ghcr.io", "org/app");
    assert_eq!(reference_string(&r, &tag), "ghcr.io/org/app:v1");
    assert_eq!(
        reference_string(&r, &ResolvedRef::Digest(d.clone())),
        format!("ghcr.io/org/app@{d}")
    );
}

fn layer(media_type: &str, digest: &str) -> LayerInfo {
    LayerInfo {
        media_type: media_type.into(),
        digest: digest.into(),
        size: 1,
    }
}

#[test]
fn layers() {
    let layers = vec![layer("a/first", "sha256:1"), layer("b/second", "sha256:2")];
    assert_eq!(
        select_layer(&layers, None).map(|l| &l.digest[..]),
        Ok("sha256:1")
    );
    assert_eq!(
        select_layer(&layers, Some("b/second")).map(|l| &l.digest[..]),
        Ok("sha256:2")
    );
    assert_eq!(
        select_layer(&layers, Some("c/none")),
        Err("failed to find layer with media type 'c/none' in artifact".into())
    );
    assert_eq!(
        select_layer(&[], None),
        Err("no layers found in artifact".into())
    );
}

#[test]
fn platforms() {
    let entry = |os: &str, arch: &str, d: &str| PlatformEntry {
        manifest: layer("m", d),
        os: Some(os.into()),
        architecture: Some(arch.into()),
    };
    let entries = vec![
        entry("linux", "arm64", "sha256:1"),
        entry("linux", "amd64", "sha256:2"),
    ];
    assert_eq!(
        select_platform(&entries, "i").map(|l| &l.digest[..]),
        Ok("sha256:2")
    );
    assert_eq!(
        select_platform(&entries[..1], "i"),
        Err("no child with platform linux/amd64 in index i".into())
    );
}

#[test]
fn skip_when_unchanged() {
    let artifact: Artifact = serde_json::from_value(serde_json::json!({
        "digest": "sha256:1", "lastUpdateTime": "2024-01-01T00:00:00Z",
        "path": "p", "revision": "v1@sha256:1", "url": "u",
    }))
    .expect("artifact");
    let copy = OCILayerSelector {
        media_type: None,
        operation: Some(fluxion_api::source::OciLayerOperation::Copy),
    };
    let cases = [
        (
            Some(&artifact),
            "v1@sha256:1",
            (None, None),
            (None, None),
            true,
        ),
        (
            Some(&artifact),
            "v1@sha256:2",
            (None, None),
            (None, None),
            false,
        ),
        (None, "v1@sha256:1", (None, None), (None, None), false),
        (
            Some(&artifact),
            "v1@sha256:1",
            (None, None),
            (Some("*.md"), None),
            false,
        ),
        (
            Some(&artifact),
            "v1@sha256:1",
            (None, None),
            (None, Some(&copy)),
            false,
        ),
        (
            Some(&artifact),
            "v1@sha256:1",
            (None, Some(&copy)),
            (None, Some(&copy)),
            true,
        ),
    ];
    for (current, rev, observed, spec, want) in cases {
        assert_eq!(
            up_to_date(current, rev, observed, spec),
            want,
            "{rev} {observed:?} {spec:?}"
        );
    }
}

#[test]
fn messages() {
    assert_eq!(
        stored_message("v1@sha256:1"),
        "stored artifact for digest 'v1@sha256:1'"
    );
    assert_eq!(
        new_revision_message("v1@sha256:1", "h/r:v1"),
        "new revision 'v1@sha256:1' for 'h/r:v1'"
    );
    let mut meta = BTreeMap::new();
    assert_eq!(
        event_message("v1@sha256:1", "oci://h/r", Some(&meta)),
        "stored artifact with revision 'v1@sha256:1' from 'oci://h/r'"
    );
    meta.insert(SOURCE_ANNOTATION.to_string(), "https://git/x".to_string());
    meta.insert(REVISION_ANNOTATION.to_string(), "main@sha1:1".to_string());
    assert_eq!(
        event_message("v1@sha256:1", "oci://h/r", Some(&meta)),
        "stored artifact with revision 'v1@sha256:1' from 'oci://h/r', \
         origin source 'https://git/x', origin revision 'main@sha1:1'"
    );
}
