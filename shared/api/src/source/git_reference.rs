//! GitRepository's parts: the reference to check out (and which field wins), commit signature
//! verification, and includes of other GitRepositories.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::LocalObjectReference;

/// The branch checked out when the reference names nothing else.
pub const DEFAULT_BRANCH: &str = "master";

/// The Git reference to resolve and watch.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct GitRepositoryRef {
    /// Branch to check out; `master` when no other field is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Tag to check out; wins over the branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Semantic version range over the tags; the highest matching tag is checked out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver: Option<String>,
    /// A full Git reference such as `refs/heads/main` or `refs/pull/420/head`; wins over
    /// branch, tag and semver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Commit SHA to check out; wins over every other field. With a branch, the branch is
    /// cloned shallowly and must contain the commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// What a GitRepository checks out, after applying Flux's precedence between the reference
/// fields: commit, then name, then tag, then semver, then branch (default `master`).
///
/// This is the order source-controller's Git client applies (fluxcd/pkg `gogit.Client.clone`);
/// note that it checks `tag` before `semver` although the API text says the reverse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GitCheckout<'a> {
    /// A commit, optionally within a branch to clone shallowly.
    Commit {
        sha: &'a str,
        branch: Option<&'a str>,
    },
    /// A full reference name (`refs/...`).
    RefName(&'a str),
    /// A tag.
    Tag(&'a str),
    /// The highest tag matching a semver range.
    SemVer(&'a str),
    /// The head of a branch.
    Branch(&'a str),
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl GitRepositoryRef {
    /// The checkout this reference asks for, by Flux's precedence.
    pub fn checkout(&self) -> GitCheckout<'_> {
        let branch = non_empty(&self.branch);
        if let Some(sha) = non_empty(&self.commit) {
            GitCheckout::Commit { sha, branch }
        } else if let Some(name) = non_empty(&self.name) {
            GitCheckout::RefName(name)
        } else if let Some(tag) = non_empty(&self.tag) {
            GitCheckout::Tag(tag)
        } else if let Some(range) = non_empty(&self.semver) {
            GitCheckout::SemVer(range)
        } else {
            GitCheckout::Branch(branch.unwrap_or(DEFAULT_BRANCH))
        }
    }
}

impl GitCheckout<'_> {
    /// The checkout of a GitRepository without `spec.ref`: the `master` branch.
    pub const DEFAULT: GitCheckout<'static> = GitCheckout::Branch(DEFAULT_BRANCH);

    /// Whether this checkout resolves to a tag (so a tag signature can be verified).
    pub fn is_tag(&self) -> bool {
        matches!(self, GitCheckout::Tag(_) | GitCheckout::SemVer(_))
    }
}

/// Which Git objects have their signatures verified.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum GitVerificationMode {
    /// Old spelling of `HEAD`, kept for compatibility; means the same.
    #[serde(rename = "head")]
    LegacyHead,
    /// The commit HEAD points to after checkout.
    #[default]
    #[serde(rename = "HEAD")]
    Head,
    /// The tag object of the checkout.
    Tag,
    /// Both the tag object and the commit it points to.
    TagAndHEAD,
}

impl GitVerificationMode {
    /// The mode with the legacy `head` spelling folded into `HEAD`, as Flux's `GetMode` does.
    pub fn normalized(self) -> Self {
        match self {
            Self::LegacyHead => Self::Head,
            other => other,
        }
    }

    /// Flux's string for the mode, as recorded in `status.sourceVerificationMode`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LegacyHead => "head",
            Self::Head => "HEAD",
            Self::Tag => "Tag",
            Self::TagAndHEAD => "TagAndHEAD",
        }
    }

    /// Whether the commit at HEAD must be verified.
    pub fn verifies_head(self) -> bool {
        matches!(self.normalized(), Self::Head | Self::TagAndHEAD)
    }

    /// Whether the tag object must be verified.
    pub fn verifies_tag(self) -> bool {
        matches!(self, Self::Tag | Self::TagAndHEAD)
    }
}

/// Commit signature verification of a GitRepository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositoryVerification {
    /// Which Git objects to verify; `HEAD` when unset.
    #[serde(default)]
    pub mode: GitVerificationMode,
    /// Secret with the trusted public keys: PGP keys under `*.asc`, SSH keys under `*.sshpub`.
    pub secret_ref: LocalObjectReference,
}

impl GitRepositoryVerification {
    /// The effective mode (`head` folded into `HEAD`).
    pub fn mode(&self) -> GitVerificationMode {
        self.mode.normalized()
    }
}

/// Another GitRepository whose artifact contents are copied into this one's artifact.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositoryInclude {
    /// The GitRepository to include, in the same namespace.
    pub repository: LocalObjectReference,
    /// Directory of the included artifact to copy from; its root when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_path: Option<String>,
    /// Directory of this artifact to copy to; the included repository's name when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_path: Option<String>,
}

impl GitRepositoryInclude {
    /// The source directory in the included artifact (`""` is its root).
    pub fn from_path(&self) -> &str {
        self.from_path.as_deref().unwrap_or_default()
    }

    /// The target directory in this artifact, defaulting to the included repository's name.
    pub fn to_path(&self) -> &str {
        non_empty(&self.to_path).unwrap_or(&self.repository.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(
        commit: &str,
        name: &str,
        tag: &str,
        semver: &str,
        branch: &str,
    ) -> GitRepositoryRef {
        let opt = |v: &str| (!v.is_empty()).then(|| v.to_string());
        GitRepositoryRef {
            commit: opt(commit),
            name: opt(name),
            tag: opt(tag),
            semver: opt(semver),
            branch: opt(branch),
        }
    }

    #[test]
    fn checkout_precedence() {
        let cases = [
            (
                reference("abc", "refs/heads/x", "v1", "1.x", "main"),
                GitCheckout::Commit {
                    sha: "abc",
                    branch: Some("main"),
                },
            ),
            (
                reference("abc", "", "", "", ""),
                GitCheckout::Commit {
                    sha: "abc",
                    branch: None,
                },
            ),
            (
                reference("", "refs/pull/1/head", "v1", "1.x", "main"),
                GitCheckout::RefName("refs/pull/1/head"),
            ),
            (
                reference("", "", "v1", "1.x", "main"),
                GitCheckout::Tag("v1"),
            ),
            (
                reference("", "", "", "1.x", "main"),
                GitCheckout::SemVer("1.x"),
            ),
            (
                reference("", "", "", "", "main"),
                GitCheckout::Branch("main"),
            ),
            (reference("", "", "", "", ""), GitCheckout::Branch("master")),
        ];
        for (r, want) in cases {
            assert_eq!(r.checkout(), want, "{r:?}");
        }
        let empty_strings = GitRepositoryRef {
            tag: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(empty_strings.checkout(), GitCheckout::DEFAULT);
    }

    #[test]
    fn checkout_is_tag() {
        assert!(GitCheckout::Tag("v1").is_tag());
        assert!(GitCheckout::SemVer(">=1").is_tag());
        assert!(!GitCheckout::Branch("main").is_tag());
        assert!(!GitCheckout::RefName("refs/tags/v1").is_tag());
    }

    #[test]
    fn verification_modes() {
        use GitVerificationMode::*;
        assert_eq!(GitVerificationMode::default(), Head);
        assert_eq!(LegacyHead.normalized(), Head);
        assert_eq!(LegacyHead.normalized().as_str(), "HEAD");
        assert!(LegacyHead.verifies_head() && !LegacyHead.verifies_tag());
        assert!(Head.verifies_head() && !Head.verifies_tag());
        assert!(!Tag.verifies_head() && Tag.verifies_tag());
        assert!(TagAndHEAD.verifies_head() && TagAndHEAD.verifies_tag());
        let parsed: GitVerificationMode = serde_json::from_str("\"head\"").expect("parse");
        assert_eq!(parsed, LegacyHead);
        assert_eq!(
            serde_json::to_string(&TagAndHEAD).expect("json"),
            "\"TagAndHEAD\""
        );
        let verify = GitRepositoryVerification {
            mode: LegacyHead,
            secret_ref: Default::default(),
        };
        assert_eq!(verify.mode(), Head);
    }

    #[test]
    fn include_paths() {
        let mut include = GitRepositoryInclude {
            repository: LocalObjectReference {
                name: "shared".into(),
            },
            ..Default::default()
        };
        assert_eq!(include.from_path(), "");
        assert_eq!(include.to_path(), "shared");
        include.from_path = Some("deploy".into());
        include.to_path = Some("vendor/shared".into());
        assert_eq!(include.from_path(), "deploy");
        assert_eq!(include.to_path(), "vendor/shared");
    }
}
