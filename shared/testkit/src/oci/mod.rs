//! A small client of the distribution v2 HTTP API that pushes and fetches blobs and
//! manifests directly (monolithic blob upload, manifest PUT by tag), used to seed the test
//! registry with Flux artifacts, plain images and indexes.

mod content;

pub use content::*;

use std::collections::BTreeMap;

use reqwest::{RequestBuilder, StatusCode, header};

use crate::error::{Error, Result};

/// What a push produced.
#[derive(Clone, Debug)]
pub struct Pushed {
    /// The manifest's digest, `sha256:<hex>` (what `<tag>@sha256:<digest>` revisions carry).
    pub digest: String,
    /// The manifest bytes as pushed.
    pub manifest: Vec<u8>,
    /// The config descriptor.
    pub config: Descriptor,
    /// The layer descriptors.
    pub layers: Vec<Descriptor>,
}

/// A fetched manifest.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The `Content-Type` the registry answered.
    pub media_type: String,
    /// `Docker-Content-Digest`, when sent.
    pub digest: Option<String>,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// A client of one registry.
#[derive(Clone, Debug)]
pub struct OciClient {
    http: reqwest::Client,
    base: String,
    credentials: Option<(String, String)>,
}

impl OciClient {
    /// A client of `base` (`http(s)://host:port`), trusting `ca_pem`, with basic auth.
    pub fn new(
        base: &str,
        ca_pem: Option<&str>,
        credentials: Option<(&str, &str)>,
    ) -> Result<Self> {
        Ok(Self {
            http: crate::tls::http_client(ca_pem)?,
            base: base.trim_end_matches('/').to_string(),
            credentials: credentials.map(|(u, p)| (u.to_string(), p.to_string())),
        })
    }

    /// A client that also presents a client certificate (`cert_pem` then `key_pem`).
    pub fn with_client_cert(
        base: &str,
        ca_pem: &str,
        credentials: Option<(&str, &str)>,
        cert_pem: &str,
        key_pem: &str,
    ) -> Result<Self> {
        crate::tls::install_ring();
        let identity = reqwest::Identity::from_pem(format!("{cert_pem}{key_pem}").as_bytes())?;
        let http = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes())?)
            .identity(identity)
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_string(),
            credentials: credentials.map(|(u, p)| (u.to_string(), p.to_string())),
        })
    }

    fn auth(&self, req: RequestBuilder) -> RequestBuilder {
        match &self.credentials {
            Some((user, password)) => req.basic_auth(user, Some(password)),
            None => req,
        }
    }

    async fn expect(
        resp: reqwest::Response,
        ok: &[StatusCode],
        what: &str,
    ) -> Result<reqwest::Response> {
        if ok.contains(&resp.status()) {
            return Ok(resp);
        }
        let status = resp.status();
        let body = resp.text().await.unwrap_or_default();
        Err(Error::Registry(format!("{what}: HTTP {status}: {body}")))
    }

    /// `GET /v2/`: the HTTP status (200 when allowed, 401 when credentials are missing).
    pub async fn ping(&self) -> Result<StatusCode> {
        let resp = self
            .auth(self.http.get(format!("{}/v2/", self.base)))
            .send()
            .await?;
        Ok(resp.status())
    }

    /// Uploads `bytes` as a blob of `repo` (POST then monolithic PUT); returns its digest.
    pub async fn push_blob(&self, repo: &str, bytes: &[u8]) -> Result<String> {
        let digest = sha256_digest(bytes);
        let start = self
            .http
            .post(format!("{}/v2/{repo}/blobs/uploads/", self.base));
        let resp = self.auth(start).send().await?;
        let resp = Self::expect(resp, &[StatusCode::ACCEPTED], "starting blob upload").await?;
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Error::Registry("blob upload without Location".into()))?;
        let mut url = if location.starts_with('/') {
            format!("{}{location}", self.base)
        } else {
            location.to_string()
        };
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&format!("digest={digest}"));
        let put = self
            .http
            .put(url)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes.to_vec());
        let resp = self.auth(put).send().await?;
        Self::expect(resp, &[StatusCode::CREATED], "finishing blob upload").await?;
        Ok(digest)
    }

    /// PUTs a manifest (or index) under `reference`; returns its digest.
    pub async fn push_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<String> {
        let put = self
            .http
            .put(format!("{}/v2/{repo}/manifests/{reference}", self.base))
            .header(header::CONTENT_TYPE, media_type)
            .body(bytes.to_vec());
        let resp = self.auth(put).send().await?;
        Self::expect(resp, &[StatusCode::CREATED], "putting manifest").await?;
        Ok(sha256_digest(bytes))
    }

    /// Fetches the manifest `reference` (tag or digest), accepting OCI and Docker types.
    pub async fn get_manifest(&self, repo: &str, reference: &str) -> Result<Manifest> {
        let accept = [
            MANIFEST_MEDIA_TYPE,
            INDEX_MEDIA_TYPE,
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
        ]
        .join(", ");
        let get = self
            .http
            .get(format!("{}/v2/{repo}/manifests/{reference}", self.base))
            .header(header::ACCEPT, accept);
        let resp = Self::expect(
            self.auth(get).send().await?,
            &[StatusCode::OK],
            "getting manifest",
        )
        .await?;
        let header_str = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let media_type = header_str("content-type").unwrap_or_default();
        let digest = header_str("docker-content-digest");
        let bytes = resp.bytes().await?.to_vec();
        Ok(Manifest {
            media_type,
            digest,
            bytes,
        })
    }

    /// Fetches blob `digest` of `repo`.
    pub async fn get_blob(&self, repo: &str, digest: &str) -> Result<Vec<u8>> {
        let get = self
            .http
            .get(format!("{}/v2/{repo}/blobs/{digest}", self.base));
        let resp = Self::expect(
            self.auth(get).send().await?,
            &[StatusCode::OK],
            "getting blob",
        )
        .await?;
        Ok(resp.bytes().await?.to_vec())
    }

    /// Pushes config, layers and manifest under `tag`.
    pub async fn push_parts(
        &self,
        repo: &str,
        tag: &str,
        config: (&str, &[u8]),
        layers: &[(&str, Vec<u8>)],
        annotations: &BTreeMap<String, String>,
    ) -> Result<Pushed> {
        let config_desc = Descriptor::of(config.0, config.1);
        self.push_blob(repo, config.1).await?;
        let mut descs = Vec::with_capacity(layers.len());
        for (media_type, bytes) in layers {
            self.push_blob(repo, bytes).await?;
            descs.push(Descriptor::of(media_type, bytes));
        }
        let manifest = manifest_json(&config_desc, &descs, annotations);
        let digest = self
            .push_manifest(repo, tag, MANIFEST_MEDIA_TYPE, &manifest)
            .await?;
        Ok(Pushed {
            digest,
            manifest,
            config: config_desc,
            layers: descs,
        })
    }

    /// Pushes a Flux artifact (content layer, `{}` config, annotations) under `tag`.
    pub async fn push_artifact(
        &self,
        repo: &str,
        tag: &str,
        artifact: &FluxArtifact,
    ) -> Result<Pushed> {
        let layer = artifact.layer()?;
        self.push_parts(
            repo,
            tag,
            (FLUX_CONFIG_MEDIA_TYPE, b"{}"),
            &[(FLUX_CONTENT_MEDIA_TYPE, layer)],
            &artifact.all_annotations(),
        )
        .await
    }

    /// Pushes a plain linux/amd64 image whose one gzip layer holds `files`, under `tag`.
    pub async fn push_image(
        &self,
        repo: &str,
        tag: &str,
        files: &[(&str, &str)],
    ) -> Result<Pushed> {
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
        let raw = tar(&files)?;
        let layer = gzip(&raw)?;
        let config = serde_json::json!({
            "architecture": "amd64", "os": "linux",
            "rootfs": { "type": "layers", "diff_ids": [sha256_digest(&raw)] },
        })
        .to_string();
        self.push_parts(
            repo,
            tag,
            (IMAGE_CONFIG_MEDIA_TYPE, config.as_bytes()),
            &[(IMAGE_LAYER_MEDIA_TYPE, layer)],
            &BTreeMap::new(),
        )
        .await
    }

    /// Pushes an index of already-pushed manifests with `(os, arch)` platforms under `tag`.
    pub async fn push_index(
        &self,
        repo: &str,
        tag: &str,
        manifests: &[(&Pushed, &str, &str)],
    ) -> Result<String> {
        let entries: Vec<(Descriptor, &str, &str)> = manifests
            .iter()
            .map(|(p, os, arch)| (Descriptor::of(MANIFEST_MEDIA_TYPE, &p.manifest), *os, *arch))
            .collect();
        let index = index_json(&entries);
        self.push_manifest(repo, tag, INDEX_MEDIA_TYPE, &index)
            .await
    }
}
