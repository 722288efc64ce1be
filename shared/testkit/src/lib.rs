//! fluxion-testkit: real servers on loopback for Fluxion's tests (git smart HTTP via
//! `git http-backend`, git over OpenSSH `sshd`, the CNCF distribution registry), each in its
//! own temp dir and stopped on drop, plus builders for repositories, signed objects and
//! Flux-format OCI artifacts. A missing tool is an error naming its Debian package.

mod error;
mod git_http;
mod git_ssh;
pub mod oci;
mod process;
mod registry;
mod repos;
mod signing;
mod ssh_keys;
mod tls;
mod worktree;

pub use error::{Error, Result};
pub use git_http::{GitHttpOptions, GitHttpServer};
pub use git_ssh::{GitSshOptions, GitSshServer, SSHD};
pub use oci::{FluxArtifact, OciClient, Pushed};
pub use registry::{DOCKER_REGISTRY, Registry, RegistryOptions};
pub use repos::BareRepos;
pub use signing::{GpgKey, Signer, SshSigningKey};
pub use ssh_keys::{SshKeyPair, SshKeyType};
pub use tls::{TestCa, http_client};
pub use worktree::{AUTHOR_EMAIL, AUTHOR_NAME, WorkTree};
