//! Chart archives (`.tgz`): Helm's `LoadArchiveFiles` path checks (no absolute paths, no
//! parent references, one top directory) and its total decompressed size limit, plus a file
//! count limit, so a hostile archive fails fast with a clear error.

use std::io::Read;

use flate2::read::GzDecoder;
use tar::EntryType;

use super::{Chart, File, LoadError, MAX_CHART_SIZE, MAX_FILES};

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Loads a chart from the bytes of a gzipped tar archive.
pub fn load_archive(data: &[u8]) -> Result<Chart, LoadError> {
    super::load_files(archive_files(data)?)
}

fn too_big() -> LoadError {
    LoadError(format!(
        "decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
    ))
}

/// The regular files of an archive, named relative to its top directory.
pub(super) fn archive_files(data: &[u8]) -> Result<Vec<File>, LoadError> {
    let mut archive = tar::Archive::new(GzDecoder::new(data));
    let entries = archive.entries().map_err(gz_error)?;
    let mut files = Vec::new();
    let mut remaining = MAX_CHART_SIZE;
    for entry in entries {
        let mut entry = entry.map_err(gz_error)?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || matches!(kind, EntryType::XGlobalHeader | EntryType::XHeader) {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = checked_name(&raw)?;
        let size = entry.header().size().unwrap_or(0);
        if size > remaining {
            return Err(too_big());
        }
        let mut buf = Vec::new();
        // Links and devices carry no content: Helm reads them as empty files, never follows.
        if kind.is_file() || kind == EntryType::Continuous {
            (&mut entry)
                .take(remaining + 1)
                .read_to_end(&mut buf)
                .map_err(gz_error)?;
        }
        let written = buf.len() as u64;
        if written > remaining || written < size {
            return Err(too_big());
        }
        remaining -= written;
        if files.len() >= MAX_FILES {
            return Err(LoadError(format!(
                "chart archive has more than the maximum of {MAX_FILES} files"
            )));
        }
        let data = buf
            .strip_prefix(UTF8_BOM)
            .map(<[u8]>::to_vec)
            .unwrap_or(buf);
        files.push(File { name, data });
    }
    if files.is_empty() {
        return Err(LoadError("no files in chart archive".to_string()));
    }
    Ok(files)
}

fn gz_error(e: std::io::Error) -> LoadError {
    let text = e.to_string();
    if text.contains("invalid gzip header") {
        return LoadError("gzip: invalid header".to_string());
    }
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        return LoadError("unexpected EOF".to_string());
    }
    LoadError(text)
}

/// Helm's path rules: drop the top directory, refuse absolute, `..` and drive paths.
fn checked_name(raw: &str) -> Result<String, LoadError> {
    let delim = if raw.contains('\\') { '\\' } else { '/' };
    let parts: Vec<&str> = raw.split(delim).collect();
    let joined = parts[1..].join("/");
    if joined.starts_with('/') {
        return Err(LoadError(
            "chart illegally contains absolute paths".to_string(),
        ));
    }
    let n = clean(&joined);
    if n == "." {
        return Err(LoadError(format!(
            "chart illegally contains content outside the base directory: {raw:?}"
        )));
    }
    if n.starts_with("..") {
        return Err(LoadError(
            "chart illegally references parent directory".to_string(),
        ));
    }
    let b = n.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err(LoadError(
            "chart contains illegally named files".to_string(),
        ));
    }
    if parts[0] == "Chart.yaml" {
        return Err(LoadError("chart yaml not in base directory".to_string()));
    }
    Ok(n)
}

/// Go's `path.Clean` for relative paths.
pub(super) fn clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(last) if *last != "..") {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}
