//! The one error type of fluxion-sops; no variant ever carries a plaintext value or key material.

/// Why a SOPS document could not be decrypted.
///
/// Messages name paths, formats, key fingerprints and age recipients (all public), never a
/// decrypted value, a data key or a private key.
#[derive(Debug, thiserror::Error)]
pub enum SopsError {
    /// The document has no `sops` metadata (or no MAC in it): it is not SOPS-encrypted.
    #[error("sops metadata not found")]
    MetadataNotFound,
    /// The `sops` metadata is present but malformed.
    #[error("invalid sops metadata: {0}")]
    Metadata(String),
    /// The encrypted document itself cannot be read in its format.
    #[error("failed to load encrypted {format} data: {reason}")]
    Load {
        format: &'static str,
        reason: String,
    },
    /// A decryption key in the key Secret cannot be imported.
    #[error("failed to import '{name}' data: {reason}")]
    Import { name: String, reason: String },
    /// None of the available keys could decrypt the data key.
    #[error("cannot get sops data key: {0}")]
    DataKey(String),
    /// A value of the tree does not decrypt with the data key.
    #[error("error decrypting sops tree: could not decrypt value at '{path}': {reason}")]
    Value { path: String, reason: String },
    /// The MAC stored in the document does not match the decrypted content.
    #[error("failed to verify sops data integrity: MAC mismatch")]
    MacMismatch,
    /// The decrypted tree cannot be written in the output format.
    #[error("failed to emit decrypted {format} data: {reason}")]
    Emit {
        format: &'static str,
        reason: String,
    },
    /// A sops-encrypted file inside a Secret's `data` did not decrypt.
    #[error("failed to decrypt and format Secret field '{field}': {source}")]
    SecretField {
        field: String,
        source: Box<SopsError>,
    },
    /// The input is larger than the limit Flux applies to encrypted files.
    #[error("cannot decrypt file with size ({size} bytes) exceeding limit ({limit})")]
    TooLarge { size: usize, limit: usize },
}
