//! fluxion-testkit: real servers on loopback for Fluxion's tests (git smart HTTP via
//! `git http-backend`, git over OpenSSH `sshd`, the CNCF distribution registry), each in its
//! own temp dir and stopped on drop, plus builders for repositories, signed objects and
//! Flux-format OCI artifacts. A missing tool is an error naming its Debian package.
//!
//! ```no_run
//! # async fn demo() -> fluxion_testkit::Result<()> {
//! use fluxion_testkit::*;
//! // A repository with history, served over HTTPS with basic auth.
//! let git = GitHttpServer::start_with(GitHttpOptions::default().basic_auth("u", "p").tls())?;
//! git.create_repo("org/app")?;
//! let tree = WorkTree::new()?;
//! let commit = tree.commit(&[("deploy/app.yaml", "kind: ConfigMap\n")], "first")?;
//! tree.tag("v1.0.0")?;
//! tree.push(git.repo_path("org/app"))?;
//! let (url, ca) = (git.url("org/app"), git.ca_pem());
//!
//! // The same over SSH: URL, identity and known_hosts for a Flux secret.
//! let ssh = GitSshServer::start()?;
//! let (ssh_url, identity, known_hosts) =
//!     (ssh.url("org/app"), &ssh.user_key().private_pem, ssh.known_hosts());
//!
//! // A Flux artifact in a registry that needs credentials.
//! let registry = Registry::start_with(RegistryOptions::default().htpasswd("u", "p"))?;
//! let pushed = registry
//!     .client()?
//!     .push_artifact("org/app", "v1.0.0", &FluxArtifact::from_files(&[("a.yaml", "a: 1\n")]))
//!     .await?;
//! let revision = format!("v1.0.0@{}", pushed.digest);
//! # let _ = (commit, url, ca, ssh_url, identity, known_hosts, revision);
//! # Ok(()) }
//! ```

mod artifact_server;
pub mod cluster;
mod error;
mod git_http;
mod git_ssh;
pub mod oci;
mod process;
mod proxy;
mod registry;
mod repos;
mod serve;
mod signing;
mod ssh_keys;
mod tls;
pub mod tools;
mod wait;
mod worktree;

pub use artifact_server::{ArtifactServer, ServedArtifact};
pub use cluster::{Crds, TestCluster, wait_object};
pub use error::{Error, Result};
pub use git_http::{GitHttpOptions, GitHttpServer, RequestRecord};
pub use git_ssh::{GitSshOptions, GitSshServer, SSHD};
pub use oci::{FluxArtifact, OciClient, Pushed};
pub use proxy::HttpProxy;
pub use registry::{DOCKER_REGISTRY, Registry, RegistryOptions};
pub use repos::BareRepos;
pub use signing::{GpgKey, Signer, SshSigningKey};
pub use ssh_keys::{SshKeyPair, SshKeyType};
pub use tls::{TestCa, http_client};
pub use wait::{wait_for, wait_for_blocking};
pub use worktree::{AUTHOR_EMAIL, AUTHOR_NAME, WorkTree};
