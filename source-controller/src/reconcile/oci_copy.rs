//! Stores a file as an artifact as it is (OCIRepository's `copy` layer operation): written to
//! a temporary file beside the destination, hashed while copied, synced, then renamed; and
//! the `latest.tar.gz` link Flux points `status.url` at.

use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::storage::{Storage, Written};

/// Copies `src` to the artifact path `rel`; returns its digest and size.
pub fn store_file(storage: &Storage, src: &Path, rel: &str) -> Result<Written, String> {
    let dest = storage
        .resolve(rel)
        .ok_or_else(|| format!("artifact path '{rel}' escapes the storage"))?;
    let dir = dest.parent().unwrap_or(storage.root());
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("failed to create artifact directory: {e}"))?;
    let mut input = std::fs::File::open(src).map_err(|e| format!("failed to open layer: {e}"))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|e| format!("failed to create temporary file: {e}"))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = input
            .read(&mut buf)
            .map_err(|e| format!("failed to read layer: {e}"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
        tmp.write_all(&buf[..n])
            .map_err(|e| format!("failed to write artifact: {e}"))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("failed to sync artifact: {e}"))?;
    set_readable(tmp.path()).map_err(|e| format!("failed to set artifact mode: {e}"))?;
    tmp.persist(&dest)
        .map_err(|e| format!("failed to rename artifact: {}", e.error))?;
    Ok(Written {
        digest: format!("sha256:{}", hex::encode(hasher.finalize())),
        size,
    })
}

/// The name of the link to an object's newest artifact, as Flux's `Storage.Symlink`.
pub const LATEST: &str = "latest.tar.gz";

/// Points `<dir of rel>/latest.tar.gz` at the artifact `rel` (a relative link, replaced
/// atomically); returns the link's path relative to the storage root.
#[cfg(unix)]
pub fn link_latest(storage: &Storage, rel: &str) -> Result<String, String> {
    let (dir, file) = rel
        .rsplit_once('/')
        .ok_or("artifact path without directory")?;
    let link = format!("{dir}/{LATEST}");
    let abs_link = storage
        .resolve(&link)
        .ok_or("link path escapes the storage")?;
    let tmp = storage
        .resolve(&format!("{dir}/.tmp-{LATEST}"))
        .ok_or("link path escapes the storage")?;
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(file, &tmp).map_err(|e| format!("failed to create link: {e}"))?;
    std::fs::rename(&tmp, &abs_link).map_err(|e| format!("failed to rename link: {e}"))?;
    Ok(link)
}

#[cfg(not(unix))]
pub fn link_latest(_: &Storage, _: &str) -> Result<String, String> {
    Err("links are not supported on this platform".into())
}

#[cfg(unix)]
fn set_readable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_with_digest() {
        let root = tempfile::tempdir().expect("root");
        let storage = Storage::new(
            root.path().to_path_buf(),
            "h:1".into(),
            crate::storage::Retention {
                ttl: std::time::Duration::from_secs(60),
                records: 2,
            },
        );
        let src = root.path().join("src.bin");
        std::fs::write(&src, b"layer").expect("write");
        let written = store_file(&storage, &src, "ocirepository/ns/n/x.tar.gz").expect("store");
        assert_eq!(written.size, 5);
        assert!(
            storage
                .verify("ocirepository/ns/n/x.tar.gz", &written.digest)
                .expect("verify")
        );
        assert!(store_file(&storage, &src, "../escape").is_err());
        let link = link_latest(&storage, "ocirepository/ns/n/x.tar.gz").expect("link");
        assert_eq!(link, "ocirepository/ns/n/latest.tar.gz");
        assert!(
            storage
                .verify(&link, &written.digest)
                .expect("verify through link")
        );
        link_latest(&storage, "ocirepository/ns/n/x.tar.gz").expect("link again");
    }
}
