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
