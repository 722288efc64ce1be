//! Flux's OCIRepository `reconcileSource`: credentials (secretRef, the ServiceAccount's image
//! pull secrets), proxy, transport (certSecretRef, insecure), the reference to pull, its
//! revision, and, unless the stored artifact is already for it, the pull of the selected layer
//! into the run's work directory. Each failure carries Flux's reason and message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fluxion_api::source::conditions::{
    AUTHENTICATION_FAILED_REASON, OCI_LAYER_OPERATION_FAILED_REASON, OCI_PULL_FAILED_REASON,
    READ_OPERATION_FAILED_REASON, URL_INVALID_REASON,
};
use fluxion_api::source::{OCIRepository, OCIRepositoryStatus, OciLayerOperation, OciPull};
use fluxion_runtime::artifact::{ExtractLimits, extract_tar_gz};
use fluxion_runtime::error::ReconcileError;
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;

use super::steps::secret_data;
use crate::controller::Context;
use crate::oci::manifest::{self, Parsed};
use crate::oci::{Credentials, Repository, TlsMaterial, TransportOptions};
use crate::plan::oci::{self as oplan, LayerInfo, ResolvedRef};

/// What the source step found upstream.
pub struct Fetched {
    pub revision: String,
    /// The pulled content, or None when the stored artifact is already for this revision.
    pub pulled: Option<Pulled>,
}

/// The selected layer, ready for the artifact step.
pub struct Pulled {
    /// The manifest's annotations.
    pub metadata: Option<BTreeMap<String, String>>,
    /// The extracted directory (extract) or the layer file (copy).
    pub path: PathBuf,
    pub operation: OciLayerOperation,
}

fn fail(reason: &'static str, message: String) -> ReconcileError {
    ReconcileError::retry(reason, message)
}

/// The upstream revision and the connection to pull it with.
pub struct Resolved {
    pub client: Repository,
    pub revision: String,
    /// The reference as Flux prints it, `host/repo:tag` or `host/repo@digest`.
    pub reference: String,
    /// The stored artifact is for this revision and the same content configuration.
    pub up_to_date: bool,
}

/// The first half of the source step: credentials, transport, reference, revision.
pub async fn resolve_source(
    ctx: &Context,
    obj: &OCIRepository,
    status: &OCIRepositoryStatus,
) -> Result<Resolved, ReconcileError> {
    let url = obj.spec.url.as_str();
    let parsed = oplan::parse_url(url);
    let registry = parsed.as_ref().map(|r| r.registry.as_str()).unwrap_or("");
    let creds = credentials(ctx, obj, registry).await.map_err(|m| {
        fail(
            AUTHENTICATION_FAILED_REASON,
            format!("failed to get credential: {m}"),
        )
    })?;
    let proxy = proxy(ctx, obj).await.map_err(|m| {
        fail(
            AUTHENTICATION_FAILED_REASON,
            format!("failed to get proxy address: {m}"),
        )
    })?;
    if creds.is_none()
        && let Some(err) = super::oci_steps::provider_unsupported(obj)
    {
        return Err(err);
    }
    let transport_err = |m: String| {
        fail(
            AUTHENTICATION_FAILED_REASON,
            format!("failed to generate transport for '{url}': {m}"),
        )
    };
    let tls = tls_material(ctx, obj).await.map_err(transport_err)?;
    let options = TransportOptions {
        insecure: obj.spec.insecure,
        tls,
        proxy,
        timeout: obj.timeout(),
    };
    let http = crate::oci::http_client(&options).map_err(transport_err)?;
    let repo = parsed.map_err(|m| {
        ReconcileError::stall(
            URL_INVALID_REASON,
            format!("URL validation failed for '{url}': {m}"),
        )
    })?;
    let pull = obj.pull();
    let connected = Repository::connect(http, &repo, obj.spec.insecure, creds).await;
    let (reference, revision, client) = resolve(pull, connected, url).await?;
    let reference_str = oplan::reference_string(&repo, &reference);
    let spec_side = (obj.spec.ignore.as_deref(), obj.spec.layer_selector.as_ref());
    let observed = (
        status.observed_ignore.as_deref(),
        status.observed_layer_selector.as_ref(),
    );
    Ok(Resolved {
        up_to_date: oplan::up_to_date(status.artifact.as_ref(), &revision, observed, spec_side),
        client,
        revision,
        reference: reference_str,
    })
}

/// The reference to pull and its revision, with Flux's reasons: listing tags for semver fails
/// as `ReadOperationFailed`, resolving the digest as `OCIArtifactPullFailed`.
async fn resolve(
    pull: OciPull<'_>,
    connected: Result<Repository, crate::oci::OciError>,
    url: &str,
) -> Result<(ResolvedRef, String, Repository), ReconcileError> {
    let tag_err = |m: String| {
        fail(
            READ_OPERATION_FAILED_REASON,
            format!("failed to determine the artifact tag for '{url}': {m}"),
        )
    };
    let digest_err = |m: String| {
        fail(
            OCI_PULL_FAILED_REASON,
            format!("failed to determine artifact digest: {m}"),
        )
    };
    let (reference, client) = match pull {
        OciPull::SemVer { range, filter } => {
            let client = connected.map_err(|e| tag_err(e.to_string()))?;
            let tags = client.tags().await.map_err(|e| tag_err(e.to_string()))?;
            let tag = oplan::select_semver_tag(&tags, range, filter).map_err(tag_err)?;
            (ResolvedRef::Tag(tag), client)
        }
        OciPull::Tag(tag) => {
            let client = connected.map_err(|e| digest_err(e.to_string()))?;
            (ResolvedRef::Tag(tag.to_string()), client)
        }
        OciPull::Digest(digest) => {
            let digest = oplan::parse_digest(digest).map_err(digest_err)?;
            let client = connected.map_err(|e| digest_err(e.to_string()))?;
            (ResolvedRef::Digest(digest), client)
        }
    };
    let digest = match &reference {
        ResolvedRef::Tag(tag) => client
            .resolve_tag(tag)
            .await
            .map_err(|e| digest_err(e.to_string()))?,
        ResolvedRef::Digest(d) => d.clone(),
    };
    let revision = oplan::revision(&reference, &digest);
    Ok((reference, revision, client))
}

/// An image's layers and manifest annotations.
type Image = (Vec<LayerInfo>, Option<BTreeMap<String, String>>);

/// The layers and annotations of the image at `digest`; for an index, of its linux/amd64
/// child. Fetch failures are `OCIArtifactPullFailed`, unparsable manifests
/// `OCIArtifactLayerOperationFailed`, as Flux's.
async fn image(client: &Repository, url: &str, digest: &str) -> Result<Image, ReconcileError> {
    let pull_err = |m: String| {
        fail(
            OCI_PULL_FAILED_REASON,
            format!("failed to pull artifact from '{url}': {m}"),
        )
    };
    let parse_err = |m: String| {
        fail(
            OCI_LAYER_OPERATION_FAILED_REASON,
            format!("failed to parse artifact manifest: {m}"),
        )
    };
    let mut wanted = digest.to_string();
    // At most one hop: an index names images, never another index.
    for _ in 0..2 {
        let (content_type, bytes) = client
            .manifest(&wanted)
            .await
            .map_err(|e| pull_err(e.to_string()))?;
        match manifest::parse(&content_type, &bytes).map_err(parse_err)? {
            Parsed::Image {
                layers,
                annotations,
            } => return Ok((layers, annotations)),
            Parsed::Index(entries) if wanted == digest => {
                wanted = oplan::select_platform(&entries, digest)
                    .map_err(pull_err)?
                    .digest
                    .clone();
            }
            Parsed::Index(_) => break,
        }
    }
    Err(parse_err("index nested in an index".into()))
}

/// The second half of the source step: pulls the manifest, selects the layer, streams it to `work`, and extracts it (with the
/// storage's limits; no path or symlink may leave the directory) or keeps it as it is for
/// `copy`.
pub async fn pull_layer(
    client: &Repository,
    obj: &OCIRepository,
    revision: &str,
    work: &Path,
) -> Result<Pulled, ReconcileError> {
    let layer_err = |m: String| fail(OCI_LAYER_OPERATION_FAILED_REASON, m);
    let digest = revision.rsplit('@').next().unwrap_or(revision);
    let (layers, annotations) = image(client, &obj.spec.url, digest).await?;
    let layer: LayerInfo = oplan::select_layer(&layers, obj.layer_media_type())
        .map_err(layer_err)?
        .clone();
    let operation = obj.layer_operation();
    let prefix = match operation {
        OciLayerOperation::Extract => "failed to extract layer contents from artifact",
        OciLayerOperation::Copy => "failed to copy layer from artifact",
    };
    let blob_path = work.join("layer.blob");
    let mut file = std::fs::File::create(&blob_path)
        .map_err(|e| layer_err(format!("failed to create file to copy layer to: {e}")))?;
    client
        .blob_to(&layer, &mut file)
        .await
        .map_err(|e| layer_err(format!("{prefix}: {e}")))?;
    drop(file);
    let path = match operation {
        OciLayerOperation::Copy => blob_path,
        OciLayerOperation::Extract => {
            let dest = work.join("content");
            let src = blob_path.clone();
            let target = dest.clone();
            tokio::task::spawn_blocking(move || {
                let file = std::fs::File::open(&src).map_err(|e| e.to_string())?;
                extract_tar_gz(file, &target, &ExtractLimits::default()).map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r)
            .map_err(|e| layer_err(format!("{prefix}: {e}")))?;
            let _ = std::fs::remove_file(&blob_path);
            dest
        }
    };
    Ok(Pulled {
        metadata: annotations,
        path,
        operation,
    })
}

/// Flux's `keychain`: `spec.secretRef`, then the ServiceAccount's `imagePullSecrets`; the
/// first with an entry for `registry` wins; anonymous without one.
async fn credentials(
    ctx: &Context,
    obj: &OCIRepository,
    registry: &str,
) -> Result<Option<Credentials>, String> {
    let ns = obj.metadata.namespace.clone().unwrap_or_default();
    let mut names = Vec::new();
    if let Some(r) = &obj.spec.secret_ref {
        names.push(r.name.clone());
    }
    let mut from_sa = Vec::new();
    if let Some(sa_name) = &obj.spec.service_account_name {
        let sas: Api<ServiceAccount> = Api::namespaced(ctx.client.clone(), &ns);
        let sa = sas.get(sa_name).await.map_err(|e| {
            format!(
                "failed to get service account '{ns}/{sa_name}': {}",
                kube_message(e)
            )
        })?;
        from_sa = sa
            .image_pull_secrets
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.name)
            .filter(|n| !n.is_empty())
            .collect();
    }
    let explicit = names.len();
    names.extend(from_sa);
    for (i, name) in names.iter().enumerate() {
        let data = match secret_data(ctx, &ns, name).await {
            Ok(data) => data,
            Err(m) if i < explicit => {
                return Err(format!("failed to get secret '{ns}/{name}': {m}"));
            }
            Err(m) => {
                return Err(format!(
                    "failed to get image pull secret '{ns}/{name}': {m}"
                ));
            }
        };
        let found = crate::oci::auth::from_pull_secret(&data, registry)
            .map_err(|m| format!("secret '{ns}/{name}': {m}"))?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

fn kube_message(e: kube::Error) -> String {
    match e {
        kube::Error::Api(s) => s.message,
        other => other.to_string(),
    }
}

async fn proxy(ctx: &Context, obj: &OCIRepository) -> Result<Option<String>, String> {
    let Some(r) = &obj.spec.proxy_secret_ref else {
        return Ok(None);
    };
    let ns = obj.metadata.namespace.clone().unwrap_or_default();
    let data = secret_data(ctx, &ns, &r.name)
        .await
        .map_err(|m| format!("secret '{ns}/{}': {m}", r.name))?;
    crate::git::auth::proxy_url(&data).map(Some)
}

/// `spec.certSecretRef`: `ca.crt`, `tls.crt` + `tls.key`, or Flux's legacy `caFile`,
/// `certFile`, `keyFile`.
async fn tls_material(ctx: &Context, obj: &OCIRepository) -> Result<TlsMaterial, String> {
    let Some(r) = obj
        .spec
        .cert_secret_ref
        .as_ref()
        .filter(|r| !r.name.is_empty())
    else {
        return Ok(TlsMaterial::default());
    };
    let ns = obj.metadata.namespace.clone().unwrap_or_default();
    let data = secret_data(ctx, &ns, &r.name)
        .await
        .map_err(|m| format!("failed to get secret '{ns}/{}': {m}", r.name))?;
    let pick = |new: &str, legacy: &str| data.get(new).or_else(|| data.get(legacy)).cloned();
    let ca = pick("ca.crt", "caFile");
    let identity = match (pick("tls.crt", "certFile"), pick("tls.key", "keyFile")) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        _ => {
            return Err(format!(
                "secret '{ns}/{}' must contain both 'tls.crt' and 'tls.key'",
                r.name
            ));
        }
    };
    if ca.is_none() && identity.is_none() {
        return Err(format!(
            "secret '{ns}/{}' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key'",
            r.name
        ));
    }
    Ok(TlsMaterial { ca, identity })
}
