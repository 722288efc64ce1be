//! fluxion-sops: SOPS decryption for kustomize-controller, a pure library (no Kubernetes
//! client, no files): Flux's `spec.decryption` with provider `sops`.
//!
//! - [`Keys`]: the age identities (`*.agekey`) and PGP secret keys (`*.asc`) of a decryption
//!   Secret's data; cloud KMS and Vault credentials are recognised but not supported.
//! - [`Decryptor`]: decrypts Kubernetes objects ([`Decryptor::decrypt_object`]) and files
//!   ([`Decryptor::decrypt_file`]) in the sops [`Format`]s YAML, JSON, dotenv, INI and binary:
//!   the data key is recovered with age (X25519) or PGP, values are AES-256-GCM with their
//!   path as additional data, and the MAC is verified unless turned off.
//! - [`is_encrypted_object`], [`is_encrypted_bytes`], [`Format::detect`]: Flux's tests of
//!   whether something is SOPS-encrypted.
//!
//! No error message ever contains a decrypted value or key material ([`SopsError`]).
//!
//! Flux's flow, for kustomize-controller:
//! 1. `Keys::from_secret_data(&secret.data)` of `spec.decryption.secretRef` (a
//!    [`SopsError::Import`] names the bad entry; prefix it with the Secret's name).
//! 2. Before the build, every secretGenerator `files` source ([`Format::from_path`] of its
//!    key), `envs` source ([`Format::for_env_source`]) and `patches` path whose bytes pass
//!    [`is_encrypted_bytes`] is replaced by [`Decryptor::decrypt_file`]'s output, which is
//!    byte-identical to what Flux (sops) writes, so generated names and hashes match.
//! 3. After the build, each object with [`is_encrypted_object`] goes through
//!    [`Decryptor::decrypt_object`] (MAC check off, see [`Decryptor::verify_mac`]); other
//!    `Secret`s through [`Decryptor::decrypt_secret_data`]. Objects annotated
//!    `kustomize.toolkit.fluxcd.io/decrypt: disabled` are skipped by the caller.

mod age;
mod cipher;
mod decryptor;
mod error;
mod format;
mod keys;
mod metadata;
mod pgp;
mod shamir;
mod tree;
mod walk;

pub use decryptor::{Decryptor, MAX_ENCRYPTED_FILE_SIZE, is_encrypted_bytes, is_encrypted_object};
pub use error::SopsError;
pub use format::Format;
pub use keys::Keys;
