//! Tests of artifact fetching against local HTTP servers and crafted tarballs; helpers to
//! build tarballs (also malicious ones, with raw headers) and to serve them on loopback.

mod extract;
mod fetch;
mod follow;

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use tar::EntryType;

/// A tar entry written with raw header fields, so that names the tar crate's builder would
/// refuse (`../x`, `/etc/x`) can be produced.
pub(super) struct TestEntry {
    pub name: &'static str,
    pub kind: EntryType,
    pub mode: u32,
    pub data: Vec<u8>,
    pub link: Option<&'static str>,
    /// Zero bytes of this size instead of `data` (streamed, never held in memory).
    pub zeros: Option<u64>,
}

impl TestEntry {
    pub fn file(name: &'static str, mode: u32, data: &[u8]) -> Self {
        TestEntry {
            name,
            kind: EntryType::Regular,
            mode,
            data: data.to_vec(),
            link: None,
            zeros: None,
        }
    }

    pub fn dir(name: &'static str, mode: u32) -> Self {
        TestEntry {
            kind: EntryType::Directory,
            ..TestEntry::file(name, mode, b"")
        }
    }

    pub fn symlink(name: &'static str, target: &'static str) -> Self {
        TestEntry {
            kind: EntryType::Symlink,
            link: Some(target),
            ..TestEntry::file(name, 0o777, b"")
        }
    }

    pub fn hard_link(name: &'static str, target: &'static str) -> Self {
        TestEntry {
            kind: EntryType::Link,
            link: Some(target),
            ..TestEntry::file(name, 0o644, b"")
        }
    }

    pub fn special(name: &'static str, kind: EntryType) -> Self {
        TestEntry {
            kind,
            ..TestEntry::file(name, 0o644, b"")
        }
    }

    pub fn zeros(name: &'static str, size: u64) -> Self {
        TestEntry {
            zeros: Some(size),
            ..TestEntry::file(name, 0o644, b"")
        }
    }
}

fn raw_header(entry: &TestEntry, size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    {
        let old = header.as_old_mut();
        old.name[..entry.name.len()].copy_from_slice(entry.name.as_bytes());
        if let Some(link) = entry.link {
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
    }
    header.set_entry_type(entry.kind);
    header.set_mode(entry.mode);
    header.set_size(size);
    header.set_mtime(1_700_000_000);
    header.set_cksum();
    header
}

/// A gzip-compressed tarball of `entries`, in order.
pub(super) fn tar_gz(entries: &[TestEntry]) -> Vec<u8> {
    let encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let mut builder = tar::Builder::new(encoder);
    for entry in entries {
        match entry.zeros {
            Some(size) => {
                let header = raw_header(entry, size);
                builder
                    .append(&header, io::repeat(0).take(size))
                    .expect("append");
            }
            None => {
                let header = raw_header(entry, entry.data.len() as u64);
                builder
                    .append(&header, entry.data.as_slice())
                    .expect("append");
            }
        }
    }
    builder.into_inner().expect("tar").finish().expect("gzip")
}

/// A tarball starting with a GNU long-name record of `size` bytes.
pub(super) fn long_name_bomb(size: usize) -> Vec<u8> {
    let mut tar_bytes = Vec::new();
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..13].copy_from_slice(b"././@LongLink");
    header.set_entry_type(EntryType::GNULongName);
    header.set_size(size as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar_bytes.extend_from_slice(header.as_bytes());
    tar_bytes.resize(tar_bytes.len() + size.div_ceil(512) * 512, b'a');
    let mut file = tar::Header::new_gnu();
    file.as_old_mut().name[..1].copy_from_slice(b"x");
    file.set_size(0);
    file.set_cksum();
    tar_bytes.extend_from_slice(file.as_bytes());
    tar_bytes.resize(tar_bytes.len() + 1024, 0);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(&tar_bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// The artifact used by the happy-path tests: files with various modes, a directory, a
/// symlink and a hard link inside the root.
pub(super) fn good_artifact() -> Vec<u8> {
    tar_gz(&[
        TestEntry::file(
            "kustomization.yaml",
            0o644,
            b"resources:\n- apps/deploy.yaml\n",
        ),
        TestEntry::dir("apps/", 0o755),
        TestEntry::file("apps/deploy.yaml", 0o640, b"kind: Deployment\n"),
        TestEntry::file("bin/run.sh", 0o755, b"#!/bin/sh\n"),
        TestEntry::file("bin/suid", 0o4777, b"x"),
        TestEntry::file("readonly.txt", 0o400, b"r"),
        TestEntry::symlink("current", "apps"),
        TestEntry::symlink("apps/self.yaml", "./deploy.yaml"),
        TestEntry::hard_link("copy.yaml", "kustomization.yaml"),
    ])
}

/// Checks the tree `good_artifact` unpacks to.
pub(super) fn assert_good_tree(root: &Path) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect(p);
    let mode = |p: &str| {
        std::fs::symlink_metadata(root.join(p))
            .expect(p)
            .permissions()
            .mode()
            & 0o7777
    };
    assert_eq!(
        read("kustomization.yaml"),
        "resources:\n- apps/deploy.yaml\n"
    );
    assert_eq!(read("apps/deploy.yaml"), "kind: Deployment\n");
    assert_eq!(read("current/deploy.yaml"), "kind: Deployment\n");
    assert_eq!(read("apps/self.yaml"), "kind: Deployment\n");
    assert_eq!(read("copy.yaml"), read("kustomization.yaml"));
    assert_eq!(mode("kustomization.yaml"), 0o644);
    assert_eq!(mode("apps/deploy.yaml"), 0o640);
    assert_eq!(mode("bin/run.sh"), 0o755);
    assert_eq!(
        mode("bin/suid"),
        0o755,
        "setuid and world-write are dropped"
    );
    assert_eq!(mode("readonly.txt"), 0o600, "the owner can always write");
    assert_eq!(mode("apps"), 0o755);
    assert_eq!(
        std::fs::read_link(root.join("current")).expect("link"),
        Path::new("apps")
    );
    let ino = |p: &str| std::fs::metadata(root.join(p)).expect(p).ino();
    assert_eq!(
        ino("copy.yaml"),
        ino("kustomization.yaml"),
        "hard link kept"
    );
}

/// Names left in `dir`, sorted: to prove a refused artifact left nothing behind.
pub(super) fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An axum server on 127.0.0.1:0, stopped when dropped.
pub(super) struct TestServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(router: axum::Router) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        TestServer { addr, task }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
