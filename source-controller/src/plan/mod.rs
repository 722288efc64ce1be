//! Pure decisions of a GitRepository run: revision strings, artifact names and URLs, whether the
//! stored artifact is still the one the spec and upstream ask for, and which files GC removes.

mod gc;
pub mod include_index;
pub mod oci;
pub mod semver;
pub mod verify;

pub use gc::{StoredFile, gc_select};

use fluxion_api::conditions::SUCCEEDED_REASON;
use fluxion_api::meta::{Artifact, Condition};
use fluxion_api::source::GitRepository;
use fluxion_api::source::conditions::{
    FETCH_FAILED, INCLUDE_UNAVAILABLE, NEW_ARTIFACT_REASON, STORAGE_OPERATION_FAILED,
};
use fluxion_api::source::{GitRepositoryInclude, GitRepositoryStatus};

/// The storage kind directory of GitRepository artifacts (Flux lower-cases the kind).
pub const GIT_REPOSITORY_KIND: &str = "gitrepository";

/// `<kind>/<namespace>/<name>/<file>`, the artifact's path relative to the storage root.
pub fn artifact_path(kind: &str, namespace: &str, name: &str, file: &str) -> String {
    format!("{kind}/{namespace}/{name}/{file}")
}

/// The directory holding every artifact of one object.
pub fn artifact_dir(kind: &str, namespace: &str, name: &str) -> String {
    format!("{kind}/{namespace}/{name}")
}

/// Flux's `Storage.SetArtifactURL`: `http://<--storage-adv-addr>/<path>`.
pub fn artifact_url(adv_addr: &str, path: &str) -> String {
    format!("http://{adv_addr}/{}", path.trim_start_matches('/'))
}

/// The file name of a Git artifact: the commit hash, as Flux names it.
pub fn git_artifact_file(sha: &str) -> String {
    format!("{sha}.tar.gz")
}

/// go-git's `ReferenceName.Short`: `refs/heads/main` -> `main`, `refs/tags/v1` -> `v1`,
/// `refs/remotes/origin/x` -> `origin/x`; other names stay whole (`refs/pull/1/head`).
pub fn short_ref(name: &str) -> &str {
    ["refs/heads/", "refs/tags/", "refs/remotes/"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// Flux's Git revision: `<ref>@sha1:<hash>`, or `sha1:<hash>` without a reference.
pub fn git_revision(reference: Option<&str>, sha: &str) -> String {
    match reference.map(short_ref).filter(|r| !r.is_empty()) {
        Some(r) => format!("{r}@sha1:{sha}"),
        None => format!("sha1:{sha}"),
    }
}

/// Flux's `Commit.ShortMessage`: the subject, cut to 50 characters with `...`.
pub fn short_message(message: &str) -> String {
    let subject = message.lines().next().unwrap_or_default();
    let chars: Vec<char> = subject.chars().collect();
    match chars.len() > 50 {
        true => format!("{}...", chars[..50].iter().collect::<String>()),
        false => subject.to_string(),
    }
}

/// Ready's and ArtifactInStorage's message once an artifact is stored.
pub fn stored_message(revision: &str) -> String {
    format!("stored artifact for revision '{revision}'")
}

/// The message of the event recorded for a new artifact.
pub fn new_artifact_event(commit_message: &str) -> String {
    format!(
        "stored artifact for commit '{}'",
        short_message(commit_message)
    )
}

/// The inputs besides the commit that shape a Git artifact, as the status records them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedInputs {
    pub ignore: Option<String>,
    pub recurse_submodules: bool,
    pub sparse_checkout: Vec<String>,
    pub include: Vec<GitRepositoryInclude>,
    /// The digests of the included artifacts, in `include` order.
    pub included: Vec<String>,
}

impl ObservedInputs {
    /// The spec's inputs, with the artifacts its includes resolve to now.
    pub fn of_spec(obj: &GitRepository, included: &[Artifact]) -> Self {
        Self {
            ignore: obj.spec.ignore.clone(),
            recurse_submodules: obj.spec.recurse_submodules,
            sparse_checkout: obj.spec.sparse_checkout.clone(),
            include: obj.spec.include.clone(),
            included: included.iter().map(|a| a.digest.clone()).collect(),
        }
    }

    pub fn of_status(status: &GitRepositoryStatus) -> Self {
        Self {
            ignore: status.observed_ignore.clone(),
            recurse_submodules: status.observed_recurse_submodules,
            sparse_checkout: status.observed_sparse_checkout.clone(),
            include: status.observed_include.clone(),
            included: status
                .included_artifacts
                .iter()
                .map(|a| a.digest.clone())
                .collect(),
        }
    }

    /// Records these inputs in the status, next to the artifact built from them.
    pub fn record(&self, status: &mut GitRepositoryStatus) {
        status.observed_ignore = self.ignore.clone();
        status.observed_recurse_submodules = self.recurse_submodules;
        status.observed_sparse_checkout = self.sparse_checkout.clone();
        status.observed_include = self.include.clone();
    }
}

/// What the artifact step does with a checked-out revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArtifactAction {
    /// The stored artifact is for this revision and inputs, and its file is there: reuse it.
    Reuse,
    /// Package the checkout into a new artifact.
    Build,
}

/// Whether the current artifact can be kept: same revision, same observed inputs, and the file
/// still present in storage (after a restart or a lost volume the file may be gone).
pub fn artifact_action(
    current: Option<&Artifact>,
    revision: &str,
    observed: &ObservedInputs,
    wanted: &ObservedInputs,
    file_present: bool,
) -> ArtifactAction {
    match current {
        Some(a) if a.revision == revision && observed == wanted && file_present => {
            ArtifactAction::Reuse
        }
        _ => ArtifactAction::Build,
    }
}

/// The conditions whose clearing is a recovery worth an event (Flux's
/// `gitRepositoryFailConditions`).
pub const FAIL_CONDITIONS: &[&str] = &[FETCH_FAILED, INCLUDE_UNAVAILABLE, STORAGE_OPERATION_FAILED];

/// The reason of the event a successful run records, as Flux's `notify`: `NewArtifact` when
/// the digest changed, `Succeeded` when it did not but the run recovered from a failure, and
/// no event otherwise.
pub fn success_event(
    old_artifact: Option<&Artifact>,
    old_conditions: &[Condition],
    new_artifact: &Artifact,
    new_conditions: &[Condition],
) -> Option<&'static str> {
    let failing = |conditions: &[Condition]| {
        conditions
            .iter()
            .any(|c| FAIL_CONDITIONS.contains(&c.type_.as_str()) && c.status == "True")
    };
    if old_artifact.map(|a| a.digest.as_str()) != Some(new_artifact.digest.as_str()) {
        Some(NEW_ARTIFACT_REASON)
    } else if failing(old_conditions) && !failing(new_conditions) {
        Some(SUCCEEDED_REASON)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
