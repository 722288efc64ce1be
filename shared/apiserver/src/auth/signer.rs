//! The service-account token signing key: ECDSA P-256 (JWS `ES256`) with ring, made at start
//! or kept in the data directory so tokens issued before a restart stay valid after it.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
    UnparsedPublicKey,
};
use sha2::{Digest, Sha256};

use super::write_private;

/// The file under the data directory that holds the key (PKCS#8 DER).
pub const KEY_FILE: &str = "service-account-signing-key.pk8";

/// The DER prefix of a P-256 SubjectPublicKeyInfo before the 65-byte uncompressed point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// Why the key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    #[error("generating the service account signing key failed")]
    Generate,
    #[error("the service account signing key {path} is not a P-256 PKCS#8 key")]
    BadKey { path: String },
    #[error("service account signing key {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("signing a token failed")]
    Sign,
}

/// Signs and verifies service-account JWTs.
pub struct Signer {
    key: EcdsaKeyPair,
    rng: SystemRandom,
    /// `kid` of the tokens: base64url(sha256(SPKI DER)), as kube derives it.
    pub key_id: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .finish()
    }
}

impl Signer {
    /// A key that lives as long as the process.
    pub fn generate() -> Result<Signer, SignerError> {
        let rng = SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| SignerError::Generate)?;
        Signer::from_pkcs8(doc.as_ref(), rng).ok_or(SignerError::Generate)
    }

    /// The key in `dir`, made (and written, owner-only) when there is none yet.
    pub fn load_or_create(dir: &Path) -> Result<Signer, SignerError> {
        let path = dir.join(KEY_FILE);
        let shown = path.display().to_string();
        let io = |source| SignerError::Io {
            path: shown.clone(),
            source,
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                Signer::from_pkcs8(&bytes, SystemRandom::new()).ok_or_else(|| SignerError::BadKey {
                    path: shown.clone(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let rng = SystemRandom::new();
                let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                    .map_err(|_| SignerError::Generate)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                write_private(&path, doc.as_ref()).map_err(io)?;
                Signer::from_pkcs8(doc.as_ref(), rng).ok_or(SignerError::Generate)
            }
            Err(e) => Err(io(e)),
        }
    }

    fn from_pkcs8(der: &[u8], rng: SystemRandom) -> Option<Signer> {
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng).ok()?;
        let mut spki = P256_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(key.public_key().as_ref());
        let key_id = URL_SAFE_NO_PAD.encode(Sha256::digest(&spki));
        Some(Signer { key, rng, key_id })
    }

    /// A compact JWS of `payload` (`header.payload.signature`).
    pub fn sign(&self, payload: &serde_json::Value) -> Result<String, SignerError> {
        let header = serde_json::json!({ "alg": "ES256", "kid": self.key_id });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let sig = self
            .key
            .sign(&self.rng, input.as_bytes())
            .map_err(|_| SignerError::Sign)?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref())))
    }

    /// The public key: an uncompressed P-256 point (0x04, x, y).
    pub fn public_key(&self) -> &[u8] {
        self.key.public_key().as_ref()
    }

    /// Whether `signature` over `input` (`header.payload`) is this key's.
    pub fn verify(&self, input: &str, signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, self.key.public_key().as_ref())
            .verify(input.as_bytes(), signature)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifiably_and_keeps_its_key_in_the_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = Signer::load_or_create(dir.path()).expect("new key");
        let b = Signer::load_or_create(dir.path()).expect("same key");
        assert_eq!(a.key_id, b.key_id);
        let jws = a.sign(&serde_json::json!({"sub": "x"})).expect("sign");
        let (input, sig) = jws.rsplit_once('.').expect("three parts");
        let sig = URL_SAFE_NO_PAD.decode(sig).expect("base64url");
        assert!(b.verify(input, &sig));
        assert!(!b.verify(&format!("{input}x"), &sig));
        let other = Signer::generate().expect("other key");
        assert_ne!(other.key_id, a.key_id);
        assert!(!other.verify(input, &sig));

        std::fs::write(dir.path().join(KEY_FILE), b"junk").expect("write");
        assert!(matches!(
            Signer::load_or_create(dir.path()),
            Err(SignerError::BadKey { .. })
        ));
    }
}
