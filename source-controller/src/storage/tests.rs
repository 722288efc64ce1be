//! Storage: reproducible archives, atomic placement, GC and removal.

use std::io::Read;
use std::time::Duration;

use super::*;

fn storage(root: &Path, records: usize) -> Storage {
    Storage::new(
        root.to_path_buf(),
        "localhost:9090".into(),
        Retention {
            ttl: Duration::from_secs(3600),
            records,
        },
    )
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, content) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

fn entries(path: &Path) -> Vec<(String, u32, u64, String)> {
    let file = std::fs::File::open(path).expect("open");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let header = entry.header().clone();
        let mut content = String::new();
        entry.read_to_string(&mut content).expect("read");
        let name = entry.path().expect("path").to_string_lossy().into_owned();
        out.push((
            name,
            header.mode().expect("mode"),
            header.mtime().expect("mtime"),
            content,
        ));
        assert_eq!(header.uid().expect("uid"), 0);
    }
    out
}

#[test]
fn archives_are_reproducible_and_filtered() {
    let src = tree(&[
        ("deploy/b.yaml", "b"),
        ("deploy/a.yaml", "a"),
        (".git/HEAD", "ref"),
        ("logo.png", "png"),
        ("README.md", "readme"),
    ]);
    let root = tempfile::tempdir().expect("root");
    let s = storage(root.path(), 2);
    let ignore = Ignore::with_defaults(["*.md"]);
    let one = s
        .archive(src.path(), "gitrepository/ns/app/1.tar.gz", &ignore)
        .expect("archive");
    // Touching the files changes nothing: only content counts.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(src.path().join("deploy/a.yaml"), "a").expect("rewrite");
    let two = s
        .archive(src.path(), "gitrepository/ns/app/2.tar.gz", &ignore)
        .expect("archive");
    assert_eq!(one, two);
    assert!(one.digest.starts_with("sha256:") && one.digest.len() == 71);
    let path = root.path().join("gitrepository/ns/app/1.tar.gz");
    let bytes = std::fs::read(&path).expect("read");
    assert_eq!(bytes.len() as u64, one.size);
    let digest = format!(
        "sha256:{}",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
    );
    assert_eq!(digest, one.digest);
    let names = entries(&path);
    assert_eq!(
        names,
        [
            ("deploy/a.yaml".to_string(), 0o644, 0, "a".to_string()),
            ("deploy/b.yaml".to_string(), 0o644, 0, "b".to_string()),
        ]
    );
    // No temp files are left behind.
    let left: Vec<_> = std::fs::read_dir(root.path().join("gitrepository/ns/app"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn paths_outside_the_root_are_refused() {
    let root = tempfile::tempdir().expect("root");
    let s = storage(root.path(), 2);
    assert!(s.resolve("../etc/passwd").is_none());
    assert!(s.resolve("a/../../b").is_none());
    assert!(s.resolve("/gitrepository/ns/x.tar.gz").is_some());
    let src = tree(&[("a", "a")]);
    assert!(
        s.archive(src.path(), "../x.tar.gz", &Ignore::default())
            .is_err()
    );
}

#[test]
fn gc_keeps_records_and_removal_clears_the_object() {
    let root = tempfile::tempdir().expect("root");
    let s = storage(root.path(), 2);
    let src = tree(&[("a", "a")]);
    for n in 1..=4 {
        s.archive(
            src.path(),
            &format!("gitrepository/ns/app/{n}.tar.gz"),
            &Ignore::default(),
        )
        .expect("archive");
        std::thread::sleep(Duration::from_millis(20));
    }
    let removed = s
        .garbage_collect("gitrepository/ns/app", "4.tar.gz")
        .expect("gc");
    assert_eq!(removed, ["1.tar.gz", "2.tar.gz"]);
    assert!(s.exists("gitrepository/ns/app/3.tar.gz"));
    assert!(s.exists("gitrepository/ns/app/4.tar.gz"));
    s.remove_all("gitrepository/ns/app").expect("remove");
    assert!(!root.path().join("gitrepository/ns/app").exists());
    s.remove_all("gitrepository/ns/app").expect("idempotent");
}

async fn raw_get(addr: std::net::SocketAddr, target: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    response
}

#[tokio::test]
async fn server_serves_only_files_under_the_root() {
    let outer = tempfile::tempdir().expect("outer");
    let root = outer.path().join("storage");
    std::fs::create_dir_all(root.join("gitrepository/ns/app")).expect("mkdir");
    std::fs::write(root.join("gitrepository/ns/app/a.tar.gz"), "artifact").expect("write");
    std::fs::write(outer.path().join("secret"), "do not serve").expect("write");
    let s = std::sync::Arc::new(storage(&root, 2));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = fluxion_runtime::health::ServerHandle::start(listener, router(s));

    let ok = raw_get(addr, "/gitrepository/ns/app/a.tar.gz").await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.ends_with("artifact"), "{ok}");
    for target in [
        "/../secret",
        "/%2e%2e/secret",
        "/gitrepository/..%2f..%2fsecret",
        "/gitrepository/ns/app",
        "/gitrepository/ns/app/missing.tar.gz",
    ] {
        let response = raw_get(addr, target).await;
        assert!(response.starts_with("HTTP/1.1 404"), "{target}: {response}");
        assert!(!response.contains("do not serve"), "{target}");
    }
    server.stop().await.expect("stop");
}
