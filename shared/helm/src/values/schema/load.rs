//! Loading schema documents a `$ref` (or an unknown `$schema`) names, by URL scheme as Helm
//! configures jsonschema: `file` from the local filesystem, `http` and `https` through
//! [`super::http`], `urn` as the permissive `true` schema; errors worded as Helm prints them.

use std::collections::HashMap;
use std::io::Read;

use serde_json::Value;
use url::Url;

use crate::template::strconv::quote as go_quote;

/// Largest schema document read (ours: Helm reads without bound).
pub const MAX_BYTES: u64 = 16 << 20;

fn wrap(url: &str, err: String) -> String {
    format!("failing loading {}: {err}", go_quote(url))
}

/// Loads and parses the document at `url` (no fragment).
pub fn load(url: &str) -> Result<(Value, HashMap<String, String>), String> {
    let parsed = Url::parse(url).map_err(|e| wrap(url, e.to_string()))?;
    let bytes = match parsed.scheme() {
        "file" => read_file(&parsed).map_err(|e| wrap(url, e))?,
        "http" | "https" => super::http::get(url).map_err(|e| wrap(url, e))?,
        "urn" => return Ok((Value::Bool(true), HashMap::new())),
        _ => {
            return Err(wrap(
                url,
                format!("no URLLoader registered for {}", go_quote(url)),
            ));
        }
    };
    super::parse_json(&bytes).map_err(|e| wrap(url, e))
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".to_string(),
        PermissionDenied => "permission denied".to_string(),
        IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    }
}

fn read_file(url: &Url) -> Result<Vec<u8>, String> {
    let path = url
        .to_file_path()
        .map_err(|_| format!("invalid file url: {url}"))?;
    let shown = path.display().to_string();
    let file =
        std::fs::File::open(&path).map_err(|e| format!("open {shown}: {}", io_reason(&e)))?;
    let mut buf = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("read {shown}: {}", io_reason(&e)))?;
    if buf.len() as u64 > MAX_BYTES {
        return Err(format!("read {shown}: larger than {MAX_BYTES} bytes"));
    }
    Ok(buf)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_schemes_are_refused_like_helm() {
        assert_eq!(
            load("ftp://x/y.json").unwrap_err(),
            "failing loading \"ftp://x/y.json\": no URLLoader registered for \"ftp://x/y.json\""
        );
        assert_eq!(load("urn:a:b").expect("urn").0, Value::Bool(true));
    }
}
