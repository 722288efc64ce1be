//! The Git part of an ImageUpdateAutomation: what to check out, how to commit (author,
//! message template, signing key) and where to push.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::LocalObjectReference;
use crate::source::GitRepositoryRef;

/// The commit message used when `messageTemplate` is empty.
pub const DEFAULT_MESSAGE_TEMPLATE: &str = "Update from image update automation";
/// Secret key of an ASCII-armored OpenPGP signing key.
pub const SIGNING_KEY_GPG: &str = "git.asc";
/// Secret key of the OpenPGP key's passphrase.
pub const SIGNING_PASSPHRASE_GPG: &str = "passphrase";
/// Secret key of an SSH signing key.
pub const SIGNING_KEY_SSH: &str = "identity";
/// Secret key of the SSH key's password.
pub const SIGNING_PASSWORD_SSH: &str = "password";

/// How to check out, commit to and push to the Git repository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct GitSpec {
    /// What to check out; the GitRepository's `spec.ref` (or its default) when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<GitCheckoutSpec>,
    /// How to commit.
    pub commit: CommitSpec,
    /// Where to push; back to the checked-out branch when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushSpec>,
}

impl GitSpec {
    /// Whether a push refspec is given.
    pub fn has_refspec(&self) -> bool {
        self.push
            .as_ref()
            .and_then(|p| p.refspec.as_deref())
            .is_some_and(|r| !r.is_empty())
    }
}

/// What to check out.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct GitCheckoutSpec {
    /// The branch, tag or commit to clone.
    #[serde(rename = "ref")]
    pub reference: GitRepositoryRef,
}

/// How to commit.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommitSpec {
    /// The commit author.
    pub author: CommitUser,
    /// A Go template for the commit message, given the changes made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_template: Option<String>,
    /// Extra values available to the message template.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub message_template_values: BTreeMap<String, String>,
    /// A key to sign commits with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<SigningKey>,
}

impl CommitSpec {
    /// `messageTemplate`, or Flux's default message when empty.
    pub fn message_template(&self) -> &str {
        self.message_template
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or(DEFAULT_MESSAGE_TEMPLATE)
    }
}

/// A commit author.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct CommitUser {
    /// The author's email.
    pub email: String,
    /// The author's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A Secret in the automation's namespace holding an OpenPGP or SSH signing key.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SigningKey {
    /// The Secret: `git.asc` (and `passphrase`) for gpg, `identity` (and `password`) for ssh.
    pub secret_ref: LocalObjectReference,
    /// The key format; gpg when empty.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub key_type: Option<SigningKeyType>,
}

impl SigningKey {
    /// The key format, gpg when empty.
    pub fn key_type(&self) -> SigningKeyType {
        self.key_type.unwrap_or_default()
    }
}

/// The format of the signing key in the Secret; gpg when empty.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SigningKeyType {
    /// An OpenPGP key under `git.asc`.
    #[default]
    Gpg,
    /// An SSH key under `identity`.
    Ssh,
}

/// Where to push.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct PushSpec {
    /// The branch to push to, created from the checked-out branch when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Push options sent to the server (`git push -o`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// A refspec to push with, in addition to `branch` when both are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refspec: Option<String>,
}
