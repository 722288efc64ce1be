//! Fixture builders checked with real git: branches, lightweight and annotated tags, pushes
//! of every ref, symlinks, submodules, default branches, and the HTTP front's request log.

use std::process::Command;

use fluxion_testkit::{BareRepos, GitHttpOptions, GitHttpServer, WorkTree};

#[test]
fn branches_and_tags() {
    let tree = WorkTree::new().expect("tree");
    let first = tree.commit(&[("a", "1")], "first").expect("commit");
    assert_eq!(tree.tag("v0.1.0").expect("tag"), first);
    let tag_object = tree
        .annotated_tag("v0.2.0", "annotated")
        .expect("annotated");
    assert_ne!(tag_object, first, "an annotated tag is its own object");
    assert_eq!(
        tree.git(&["rev-parse", "v0.2.0^{commit}"]).expect("peel"),
        first
    );
    tree.checkout("feature").expect("new branch");
    let second = tree.commit(&[("dir/b", "2")], "second").expect("commit");
    tree.checkout("main").expect("back to main");
    assert_eq!(tree.head().expect("head"), first);
    tree.branch("release").expect("branch");
    assert_eq!(tree.git(&["rev-parse", "feature"]).expect("rev"), second);
    tree.remove_files(&["a"]).expect("rm");
    tree.commit(&[], "remove a").expect("commit");
    assert!(!tree.path().join("a").exists());

    let bare = BareRepos::new().expect("root");
    let path = bare.create("mirror").expect("bare");
    tree.push(&path).expect("push");
    let refs = Command::new("git")
        .arg("-C")
        .arg(&path)
        .args(["for-each-ref", "--format=%(refname)"])
        .output()
        .expect("git");
    let refs = String::from_utf8_lossy(&refs.stdout);
    for r in [
        "refs/heads/main",
        "refs/heads/feature",
        "refs/heads/release",
        "refs/tags/v0.1.0",
        "refs/tags/v0.2.0",
    ] {
        assert!(refs.contains(r), "{r} missing in {refs}");
    }
}

#[test]
fn symlinks_submodules_and_default_branch() {
    let root = BareRepos::new().expect("root");
    let lib = root.create("lib").expect("lib");
    let lib_tree = WorkTree::new().expect("lib tree");
    lib_tree
        .commit(&[("lib.txt", "lib")], "lib")
        .expect("commit");
    lib_tree.push(&lib).expect("push lib");

    let tree = WorkTree::new().expect("tree");
    tree.write_symlink("escape", "/etc/passwd")
        .expect("symlink");
    tree.write_bytes("blob.bin", &[0, 1, 2, 255])
        .expect("bytes");
    tree.add_submodule(&lib.display().to_string(), "vendor/lib")
        .expect("submodule");
    tree.commit(&[("main.txt", "main")], "with submodule")
        .expect("commit");
    tree.checkout("develop").expect("branch");
    let develop = tree.commit(&[("dev.txt", "dev")], "dev").expect("commit");
    let app = root.create("app").expect("app");
    tree.push(&app).expect("push");
    root.set_default_branch("app", "develop")
        .expect("default branch");

    let dest = tempfile::tempdir().expect("tempdir");
    let out = Command::new("git")
        .args([
            "-c",
            "protocol.file.allow=always",
            "clone",
            "--quiet",
            "--recurse-submodules",
        ])
        .arg(&app)
        .arg(dest.path())
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let head = Command::new("git")
        .arg("-C")
        .arg(dest.path())
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git");
    assert_eq!(
        String::from_utf8_lossy(&head.stdout).trim(),
        develop,
        "clone follows the default branch"
    );
    let link = std::fs::read_link(dest.path().join("escape")).expect("symlink kept");
    assert_eq!(link.display().to_string(), "/etc/passwd");
    assert_eq!(
        std::fs::read_to_string(dest.path().join("vendor/lib/lib.txt")).expect("submodule"),
        "lib"
    );
}

#[test]
fn http_front_logs_requests_with_user_and_status() {
    let server = GitHttpServer::start_with(GitHttpOptions::default().basic_auth("alice", "pw"))
        .expect("server");
    server.create_repo("app").expect("repo");
    let tree = WorkTree::new().expect("tree");
    tree.commit(&[("a", "1")], "a").expect("commit");
    tree.push(server.repo_path("app")).expect("push");
    let dest = tempfile::tempdir().expect("tempdir");
    let url = server.url("app").replace("http://", "http://alice:pw@");
    let out = Command::new("git")
        .args(["clone", "--quiet", &url])
        .arg(dest.path())
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = server.requests();
    assert!(log.iter().any(|r| r.status == 401), "{log:?}");
    let ok = log.iter().find(|r| r.status == 200).expect("a 200");
    assert_eq!(ok.user, "alice");
    assert!(
        log.iter()
            .any(|r| r.method == "POST" && r.path.ends_with("/git-upload-pack")),
        "{log:?}"
    );
}
