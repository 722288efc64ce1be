//! Pure decisions of an OCIRepository run, as Flux's: the repository named by `spec.url`, the
//! reference to pull (digest > semver > tag), revision strings, the layer and the platform to
//! take, whether a pull is needed at all, and the messages Flux writes.

use std::collections::BTreeMap;

use fluxion_api::meta::Artifact;
use fluxion_api::source::OCILayerSelector;

/// The storage kind directory of OCIRepository artifacts (Flux lower-cases the kind).
pub const OCI_REPOSITORY_KIND: &str = "ocirepository";
/// The platform go-containerregistry picks from an index by default.
pub const DEFAULT_OS: &str = "linux";
/// See [`DEFAULT_OS`].
pub const DEFAULT_ARCH: &str = "amd64";
/// Annotations Flux reads to enrich the new-artifact event.
pub const SOURCE_ANNOTATION: &str = "org.opencontainers.image.source";
/// See [`SOURCE_ANNOTATION`].
pub const REVISION_ANNOTATION: &str = "org.opencontainers.image.revision";

/// A repository on a registry: `host[:port]` and the path below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoRef {
    pub registry: String,
    pub repository: String,
}

/// Flux's `parseRepository` (go-containerregistry's `name.NewRepository`): the URL must start
/// with `oci://`, name a repository, and carry no tag. The error is Flux's message.
pub fn parse_url(url: &str) -> Result<RepoRef, String> {
    let Some(rest) = url.strip_prefix("oci://") else {
        return Err("URL must be in format 'oci://<domain>/<org>/<repo>'".into());
    };
    let (first, path) = rest.split_once('/').unwrap_or(("", rest));
    // As Docker: the first part is a registry when it looks like a host, else Docker Hub.
    let (registry, repository) =
        if first.contains('.') || first.contains(':') || first == "localhost" {
            (first.to_string(), path.to_string())
        } else if first.is_empty() && !path.contains('/') {
            ("index.docker.io".to_string(), format!("library/{path}"))
        } else {
            ("index.docker.io".to_string(), rest.to_string())
        };
    if let Some((_, tag)) = repository.split_once(':') {
        return Err(format!("URL must not contain a tag; remove ':{tag}'"));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-./".contains(c);
    if repository.is_empty() || registry.is_empty() {
        return Err(format!("a repository name must be specified in '{url}'"));
    }
    if !repository.chars().all(allowed) || repository.split('/').any(str::is_empty) {
        return Err(format!(
            "repository can only contain the characters \
             `abcdefghijklmnopqrstuvwxyz0123456789_-./`: {repository}"
        ));
    }
    Ok(RepoRef {
        registry,
        repository,
    })
}

/// `sha256:<64 hex>` checked as go-containerregistry's `NewHash` does.
pub fn parse_digest(digest: &str) -> Result<String, String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(format!("cannot parse hash: {digest:?}"));
    };
    if algorithm != "sha256" {
        return Err(format!("unsupported hash: {algorithm:?}"));
    }
    if hex.len() != 64
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!("found non-hex character in hash: {hex:?}"));
    }
    Ok(digest.to_string())
}

/// Flux's `getTagBySemver`: the tags matching `filter` (a regular expression) that are strict
/// semver (fluxcd/pkg's `version.ParseVersion`: an optional `v`, then all three numbers), then
/// the highest version in `range`.
pub fn select_semver_tag(
    tags: &[String],
    range: &str,
    filter: Option<&str>,
) -> Result<String, String> {
    let filtered: Vec<&str> = match filter {
        None => tags.iter().map(String::as_str).collect(),
        Some(f) => {
            let re = regex::Regex::new(f).map_err(|e| e.to_string())?;
            tags.iter()
                .map(String::as_str)
                .filter(|t| re.is_match(t))
                .collect()
        }
    };
    // Flux's wording for a range that does not parse.
    if let Err(e) = super::semver::Range::parse(range) {
        let prefix = format!("semver parse error: {range}: ");
        let cause = e.strip_prefix(&prefix).unwrap_or(&e);
        return Err(format!("semver '{range}' parse error: {cause}"));
    }
    let strict = filtered
        .into_iter()
        .filter(|t| ::semver::Version::parse(t.strip_prefix('v').unwrap_or(t)).is_ok());
    match super::semver::latest_matching(range, strict)? {
        Some(tag) => Ok(tag.to_string()),
        None => Err(format!("no match found for semver: {range}")),
    }
}

/// The `ref` printed in Flux's messages: `host/repo:tag` or `host/repo@digest`.
pub fn reference_string(repo: &RepoRef, pull: &ResolvedRef) -> String {
    match pull {
        ResolvedRef::Tag(tag) => format!("{}/{}:{tag}", repo.registry, repo.repository),
        ResolvedRef::Digest(d) => format!("{}/{}@{d}", repo.registry, repo.repository),
    }
}

/// What to fetch once semver is resolved to a tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolvedRef {
    Tag(String),
    Digest(String),
}

/// Flux's revision: `<tag>@sha256:<hex>` for a tag, `sha256:<hex>` for a digest reference.
pub fn revision(reference: &ResolvedRef, digest: &str) -> String {
    match reference {
        ResolvedRef::Tag(tag) => format!("{tag}@{digest}"),
        ResolvedRef::Digest(_) => digest.to_string(),
    }
}

/// The file name of an OCI artifact: the digest part of the revision, as Flux names it.
pub fn artifact_file(revision: &str) -> String {
    let digest = revision.rsplit('@').next().unwrap_or(revision);
    format!("{digest}.tar.gz")
}

/// A layer or manifest as the manifest describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerInfo {
    pub media_type: String,
    pub digest: String,
    pub size: i64,
}

/// Flux's `selectLayer`: the first layer of `media_type`, else the first layer.
pub fn select_layer<'a>(
    layers: &'a [LayerInfo],
    media_type: Option<&str>,
) -> Result<&'a LayerInfo, String> {
    if layers.is_empty() {
        return Err("no layers found in artifact".into());
    }
    match media_type {
        Some(mt) => layers
            .iter()
            .find(|l| l.media_type == mt)
            .ok_or_else(|| format!("failed to find layer with media type '{mt}' in artifact")),
        None => Ok(&layers[0]),
    }
}

/// One entry of an index: the manifest and its platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformEntry {
    pub manifest: LayerInfo,
    pub os: Option<String>,
    pub architecture: Option<String>,
}

/// go-containerregistry's default for `remote.Image` on an index: the child for
/// linux/amd64; an index without one is an error, not a guess.
pub fn select_platform<'a>(
    entries: &'a [PlatformEntry],
    index: &str,
) -> Result<&'a LayerInfo, String> {
    entries
        .iter()
        .find(|e| {
            e.os.as_deref() == Some(DEFAULT_OS) && e.architecture.as_deref() == Some(DEFAULT_ARCH)
        })
        .map(|e| &e.manifest)
        .ok_or_else(|| {
            format!("no child with platform {DEFAULT_OS}/{DEFAULT_ARCH} in index {index}")
        })
}

/// Flux's "skip when unchanged": the stored artifact is for this revision and was built with
/// the same ignore rules and layer selector.
pub fn up_to_date(
    current: Option<&Artifact>,
    revision: &str,
    observed: (Option<&str>, Option<&OCILayerSelector>),
    spec: (Option<&str>, Option<&OCILayerSelector>),
) -> bool {
    current.is_some_and(|a| a.revision == revision) && observed == spec
}

/// Ready's and ArtifactInStorage's message once an artifact is stored.
pub fn stored_message(revision: &str) -> String {
    format!("stored artifact for digest '{revision}'")
}

/// ArtifactOutdated's message (and Reconciling's, after "building artifact: ").
pub fn new_revision_message(revision: &str, reference: &str) -> String {
    format!("new revision '{revision}' for '{reference}'")
}

/// The message of the event for a new artifact, enriched with the origin annotations.
pub fn event_message(
    revision: &str,
    url: &str,
    metadata: Option<&BTreeMap<String, String>>,
) -> String {
    let message = format!("stored artifact with revision '{revision}' from '{url}'");
    let get = |k: &str| metadata.and_then(|m| m.get(k)).filter(|v| !v.is_empty());
    match (get(SOURCE_ANNOTATION), get(REVISION_ANNOTATION)) {
        (Some(source), Some(rev)) => {
            format!("{message}, origin source '{source}', origin revision '{rev}'")
        }
        _ => message,
    }
}

#[cfg(test)]
#[path = "oci_tests.rs"]
mod tests;
