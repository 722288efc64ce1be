//! The file formats sops stores documents in: how an encrypted file is read into metadata and
//! branches, how decrypted branches are written, and how a format is chosen and recognised.

mod dotenv;
mod flat;
mod gojson;
mod ini;
mod json;
mod yaml;
mod yaml_comments;
mod yaml_emit;
mod yaml_scalar;

use crate::error::SopsError;
use crate::metadata::Metadata;
use crate::tree::Node;

/// A sops store format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Yaml,
    Json,
    Dotenv,
    Ini,
    /// Any other file: sops keeps it as one encrypted `data` value in a JSON envelope.
    Binary,
}

impl Format {
    /// The format sops (and Flux's `formatForPath`) picks for a file name: `.yaml`/`.yml`,
    /// `.json` (and Flux's `.dockerconfigjson` keys), `.env`, `.ini`, else binary.
    pub fn from_path(path: &str) -> Format {
        if path.ends_with(".dockerconfigjson") {
            return Format::Json;
        }
        let ext = std::path::Path::new(path)
            .extension()
            .and_then(|e| e.to_str());
        match ext {
            Some("yaml" | "yml") => Format::Yaml,
            Some("json") => Format::Json,
            Some("env") => Format::Dotenv,
            Some("ini") => Format::Ini,
            _ => Format::Binary,
        }
    }

    /// The format of a secretGenerator `envs` entry: as [`Format::from_path`], but dotenv
    /// where that would say binary (Flux's rule).
    pub fn for_env_source(path: &str) -> Format {
        match Format::from_path(path) {
            Format::Binary => Format::Dotenv,
            f => f,
        }
    }

    /// The name Flux uses in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Dotenv => "dotenv",
            Format::Ini => "INI",
            Format::Binary => "binary",
        }
    }

    /// The bytes whose presence marks an encrypted file of this format (Flux's
    /// `sopsFormatToMarkerBytes`).
    pub fn marker(self) -> &'static [u8] {
        match self {
            Format::Yaml => b"mac: ENC[",
            Format::Json | Format::Binary => b"\"mac\": \"ENC[",
            Format::Dotenv => b"sops_mac=ENC[",
            Format::Ini => b"[sops]",
        }
    }

    /// The format whose marker `bytes` contain, as Flux detects encrypted Secret data values
    /// (JSON before binary: they share a marker and JSON keeps the structure).
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        [Format::Json, Format::Yaml, Format::Dotenv, Format::Ini]
            .into_iter()
            .find(|f| contains(bytes, f.marker()))
    }
}

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// An encrypted document: its metadata and its branches without the metadata.
pub(crate) struct Loaded {
    pub(crate) metadata: Metadata,
    pub(crate) branches: Vec<Node>,
}

fn load_err(format: Format, reason: impl Into<String>) -> SopsError {
    SopsError::Load {
        format: format.name(),
        reason: reason.into(),
    }
}

/// Reads an encrypted file of `format`.
pub(crate) fn load(bytes: &[u8], format: Format) -> Result<Loaded, SopsError> {
    let text = std::str::from_utf8(bytes).map_err(|_| load_err(format, "not UTF-8"))?;
    let (sops, branches) = match format {
        Format::Yaml => yaml::load(text).map_err(|e| load_err(format, e))?,
        Format::Json | Format::Binary => json::load(text).map_err(|e| load_err(format, e))?,
        Format::Dotenv => dotenv::load(text).map_err(|e| load_err(format, e))?,
        Format::Ini => ini::load(text).map_err(|e| load_err(format, e))?,
    };
    let sops = sops.ok_or(SopsError::MetadataNotFound)?;
    let metadata = Metadata::parse(&sops)?;
    if metadata.mac.is_empty() && metadata.last_modified.is_empty() {
        return Err(SopsError::MetadataNotFound);
    }
    Ok(Loaded { metadata, branches })
}

/// Writes decrypted branches in `format`.
pub(crate) fn emit(branches: &[Node], format: Format) -> Result<Vec<u8>, SopsError> {
    let emit_err = |reason: String| SopsError::Emit {
        format: format.name(),
        reason,
    };
    match format {
        Format::Yaml => Ok(yaml::emit(branches)),
        Format::Json => json::emit(branches).map_err(emit_err),
        Format::Binary => json::emit_binary(branches).map_err(emit_err),
        Format::Dotenv => dotenv::emit(branches).map_err(emit_err),
        Format::Ini => ini::emit(branches).map_err(emit_err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_path_table() {
        let cases = [
            ("a/secret.yaml", Format::Yaml),
            ("s.yml", Format::Yaml),
            ("s.json", Format::Json),
            (".dockerconfigjson", Format::Json),
            ("s.env", Format::Dotenv),
            ("s.ini", Format::Ini),
            ("key.pem", Format::Binary),
            ("noext", Format::Binary),
        ];
        for (p, want) in cases {
            assert_eq!(Format::from_path(p), want, "{p}");
        }
        assert_eq!(Format::for_env_source("vars.txt"), Format::Dotenv);
        assert_eq!(Format::for_env_source("vars.json"), Format::Json);
    }

    #[test]
    fn detect_table() {
        let cases: [(&[u8], Option<Format>); 5] = [
            (b"a: 1\nsops:\n    mac: ENC[x]\n", Some(Format::Yaml)),
            (b"{\"sops\": {\"mac\": \"ENC[x]\"}}", Some(Format::Json)),
            (b"A=1\nsops_mac=ENC[x]\n", Some(Format::Dotenv)),
            (b"[sops]\nmac = ENC[x]\n", Some(Format::Ini)),
            (b"plain text", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(Format::detect(bytes), want);
        }
    }
}
