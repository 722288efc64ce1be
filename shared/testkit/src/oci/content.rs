//! Building OCI content: reproducible tar.gz layers from files, descriptors, and the JSON of
//! Flux artifact manifests, plain image manifests and image indexes.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// OCI image manifest media type.
pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index media type.
pub const INDEX_MEDIA_TYPE: &str = "application/vnd.oci.image.index.v1+json";
/// Flux's artifact content layer.
pub const FLUX_CONTENT_MEDIA_TYPE: &str = "application/vnd.cncf.flux.content.v1.tar+gzip";
/// Flux's artifact config.
pub const FLUX_CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.flux.config.v1+json";
/// A plain gzip image layer.
pub const IMAGE_LAYER_MEDIA_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
/// A plain image config.
pub const IMAGE_CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.image.config.v1+json";

/// Annotation keys Flux writes on artifacts.
pub const ANNOTATION_SOURCE: &str = "org.opencontainers.image.source";
/// See [`ANNOTATION_SOURCE`].
pub const ANNOTATION_REVISION: &str = "org.opencontainers.image.revision";
/// See [`ANNOTATION_SOURCE`].
pub const ANNOTATION_CREATED: &str = "org.opencontainers.image.created";

/// `sha256:<hex>` of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// A content descriptor: media type, digest, size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// The media type.
    pub media_type: String,
    /// `sha256:<hex>`.
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
}

impl Descriptor {
    /// Describes `bytes` as `media_type`.
    pub fn of(media_type: &str, bytes: &[u8]) -> Self {
        Self {
            media_type: media_type.to_string(),
            digest: sha256_digest(bytes),
            size: bytes.len() as u64,
        }
    }

    /// The descriptor as JSON.
    pub fn to_json(&self) -> Value {
        json!({ "mediaType": self.media_type, "digest": self.digest, "size": self.size })
    }
}

/// The uncompressed tar of `files` (sorted, mode 0644, mtime 0, uid/gid 0).
pub fn tar(files: &[(&str, &[u8])]) -> Result<Vec<u8>> {
    let mut sorted: Vec<&(&str, &[u8])> = files.iter().collect();
    sorted.sort_by_key(|(path, _)| *path);
    let mut builder = tar::Builder::new(Vec::new());
    for (path, content) in sorted {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, *content)
            .map_err(Error::io(format!("adding {path} to tar")))?;
    }
    builder.into_inner().map_err(Error::io("finishing tar"))
}

/// A reproducible tar.gz of `files` (path → content).
pub fn tar_gz(files: &[(&str, &[u8])]) -> Result<Vec<u8>> {
    gzip(&tar(files)?)
}

/// Gzip of `bytes` with no timestamp in the header.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).map_err(Error::io("gzip"))?;
    encoder.finish().map_err(Error::io("gzip"))
}

/// The manifest JSON for `config` and `layers`, with `annotations` when not empty.
pub fn manifest_json(
    config: &Descriptor,
    layers: &[Descriptor],
    annotations: &BTreeMap<String, String>,
) -> Vec<u8> {
    let mut manifest = json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": config.to_json(),
        "layers": layers.iter().map(Descriptor::to_json).collect::<Vec<_>>(),
    });
    if !annotations.is_empty() {
        manifest["annotations"] = json!(annotations);
    }
    manifest.to_string().into_bytes()
}

/// The index JSON listing `manifests` with their `(os, architecture)` platforms.
pub fn index_json(manifests: &[(Descriptor, &str, &str)]) -> Vec<u8> {
    let entries: Vec<Value> = manifests
        .iter()
        .map(|(desc, os, arch)| {
            let mut entry = desc.to_json();
            entry["platform"] = json!({ "os": os, "architecture": arch });
            entry
        })
        .collect();
    json!({ "schemaVersion": 2, "mediaType": INDEX_MEDIA_TYPE, "manifests": entries })
        .to_string()
        .into_bytes()
}

/// A Flux artifact as `flux push artifact` makes it: one content layer of `files`, an empty
/// config, and source/revision/created annotations.
#[derive(Clone, Debug, Default)]
pub struct FluxArtifact {
    /// Files of the content layer (path → content).
    pub files: Vec<(String, Vec<u8>)>,
    /// `org.opencontainers.image.source`.
    pub source: String,
    /// `org.opencontainers.image.revision`, e.g. `main@sha1:…`.
    pub revision: String,
    /// `org.opencontainers.image.created` (RFC 3339); now when empty.
    pub created: String,
    /// More manifest annotations.
    pub annotations: BTreeMap<String, String>,
}

impl FluxArtifact {
    /// An artifact of text `files` with default source and revision.
    pub fn from_files(files: &[(&str, &str)]) -> Self {
        Self {
            files: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
                .collect(),
            source: "https://github.com/fluxion-gitops/testkit".to_string(),
            revision: "main@sha1:0123456789abcdef0123456789abcdef01234567".to_string(),
            ..Self::default()
        }
    }

    /// The manifest annotations, `created` filled with now when unset.
    pub fn all_annotations(&self) -> BTreeMap<String, String> {
        let mut all = self.annotations.clone();
        let created = if self.created.is_empty() {
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        } else {
            self.created.clone()
        };
        all.insert(ANNOTATION_SOURCE.into(), self.source.clone());
        all.insert(ANNOTATION_REVISION.into(), self.revision.clone());
        all.insert(ANNOTATION_CREATED.into(), created);
        all
    }

    /// The content layer bytes.
    pub fn layer(&self) -> Result<Vec<u8>> {
        let files: Vec<(&str, &[u8])> = self
            .files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_slice()))
            .collect();
        tar_gz(&files)
    }
}
