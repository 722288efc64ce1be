//! Manifests and indexes as registries serve them (OCI and Docker v2 schema 2), parsed into
//! the plain descriptors the plan works on.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::plan::oci::{LayerInfo, PlatformEntry};

/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker image manifest, schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list.
pub const DOCKER_INDEX: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// The `Accept` header of manifest requests.
pub fn accept() -> String {
    [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_INDEX].join(", ")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPlatform {
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    architecture: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDescriptor {
    #[serde(default)]
    media_type: String,
    digest: String,
    size: i64,
    #[serde(default)]
    platform: Option<RawPlatform>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawManifest {
    #[serde(default)]
    schema_version: Option<i64>,
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    layers: Option<Vec<RawDescriptor>>,
    #[serde(default)]
    manifests: Option<Vec<RawDescriptor>>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

/// A parsed manifest: an image (layers and annotations) or an index of images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    Image {
        layers: Vec<LayerInfo>,
        annotations: Option<BTreeMap<String, String>>,
    },
    Index(Vec<PlatformEntry>),
}

fn info(d: RawDescriptor) -> LayerInfo {
    LayerInfo {
        media_type: d.media_type,
        digest: d.digest,
        size: d.size,
    }
}

/// Parses a manifest body; `content_type` is the registry's answer, the body's own
/// `mediaType` is used when the header is generic.
pub fn parse(content_type: &str, bytes: &[u8]) -> Result<Parsed, String> {
    let raw: RawManifest =
        serde_json::from_slice(bytes).map_err(|e| format!("invalid manifest JSON: {e}"))?;
    if raw.schema_version != Some(2) {
        return Err(format!(
            "unsupported manifest schema version {:?}",
            raw.schema_version
        ));
    }
    let media_type = match content_type.split(';').next().unwrap_or_default().trim() {
        t @ (OCI_MANIFEST | OCI_INDEX | DOCKER_MANIFEST | DOCKER_INDEX) => t.to_string(),
        _ => raw.media_type.clone().unwrap_or_default(),
    };
    let is_index = matches!(media_type.as_str(), OCI_INDEX | DOCKER_INDEX)
        || (media_type.is_empty() && raw.manifests.is_some());
    if is_index {
        let entries = raw.manifests.unwrap_or_default();
        return Ok(Parsed::Index(
            entries
                .into_iter()
                .map(|mut d| {
                    let platform = d.platform.take();
                    PlatformEntry {
                        manifest: info(d),
                        os: platform.as_ref().and_then(|p| p.os.clone()),
                        architecture: platform.and_then(|p| p.architecture),
                    }
                })
                .collect(),
        ));
    }
    let layers = raw.layers.ok_or("manifest has no layers field")?;
    Ok(Parsed::Image {
        layers: layers.into_iter().map(info).collect(),
        annotations: raw.annotations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_and_indexes() {
        let image =
            br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"c","digest":"sha256:c","size":2},
            "layers":[{"mediaType":"l","digest":"sha256:l","size":3}],
            "annotations":{"a":"b"}}"#;
        let Ok(Parsed::Image {
            layers,
            annotations,
        }) = parse("application/octet-stream", image)
        else {
            panic!("image expected");
        };
        assert_eq!(layers[0].digest, "sha256:l");
        assert_eq!(
            annotations.and_then(|a| a.get("a").cloned()),
            Some("b".into())
        );
        let index = br#"{"schemaVersion":2,"manifests":[
            {"mediaType":"m","digest":"sha256:1","size":1,"platform":{"os":"linux","architecture":"arm64"}}]}"#;
        let Ok(Parsed::Index(entries)) = parse(OCI_INDEX, index) else {
            panic!("index expected");
        };
        assert_eq!(entries[0].architecture.as_deref(), Some("arm64"));
        assert!(parse(OCI_MANIFEST, b"{").is_err());
        assert!(parse(OCI_MANIFEST, br#"{"schemaVersion":1}"#).is_err());
        assert!(parse(OCI_MANIFEST, br#"{"schemaVersion":2}"#).is_err());
    }
}
