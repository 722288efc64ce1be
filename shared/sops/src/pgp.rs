//! OpenPGP secret keys (armored, passphrase-less as Flux requires) and the decryption of the
//! armored PGP message holding a sops data key, with rpgp.

use pgp::composed::{Deserializable, Message, SignedSecretKey};
use pgp::types::{KeyDetails, Password};

/// One imported OpenPGP secret key (with its subkeys).
#[derive(Clone)]
pub(crate) struct PgpKey {
    key: SignedSecretKey,
    /// Upper-case hex fingerprints of the primary key and its subkeys (public).
    pub(crate) fingerprints: Vec<String>,
}

impl std::fmt::Debug for PgpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgpKey")
            .field("fingerprints", &self.fingerprints)
            .finish()
    }
}

/// Parses every secret key of an armored key file (`gpg --export-secret-keys --armor`).
pub(crate) fn parse_keys(text: &str) -> Result<Vec<PgpKey>, String> {
    let (keys, _) = SignedSecretKey::from_string_many(text)
        .map_err(|e| format!("cannot read armored PGP secret key: {}", short(&e)))?;
    let mut out = Vec::new();
    for key in keys {
        let key = key.map_err(|e| format!("cannot parse PGP secret key: {}", short(&e)))?;
        let fingerprint = format!("{:X}", key.fingerprint());
        let protected = key.primary_key.secret_params().is_encrypted()
            || key
                .secret_subkeys
                .iter()
                .any(|k| k.key.secret_params().is_encrypted());
        if protected {
            // gpg-agent is not there to ask; Flux imports only keys without a passphrase too.
            return Err(format!(
                "PGP secret key {fingerprint} is protected by a passphrase, which is not supported"
            ));
        }
        let mut fingerprints = vec![fingerprint];
        fingerprints.extend(
            key.secret_subkeys
                .iter()
                .map(|k| format!("{:X}", k.key.fingerprint())),
        );
        out.push(PgpKey { key, fingerprints });
    }
    if out.is_empty() {
        return Err("no PGP secret key found".into());
    }
    Ok(out)
}

/// rpgp's error text, first line only: it describes packets, never secret material.
fn short(e: &pgp::errors::Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

/// Decrypts an armored PGP message with any of `keys`; `Ok(None)` when none of them can.
pub(crate) fn decrypt(enc: &str, keys: &[PgpKey]) -> Result<Option<Vec<u8>>, String> {
    if keys.is_empty() {
        return Ok(None);
    }
    // Parsing again per key: decryption consumes the message reader.
    Message::from_string(enc).map_err(|e| format!("cannot read PGP message: {}", short(&e)))?;
    for key in keys {
        let Ok((msg, _)) = Message::from_string(enc) else {
            continue;
        };
        let Ok(mut msg) = msg.decrypt(&Password::empty(), &key.key) else {
            continue;
        };
        if msg.is_compressed() {
            msg = match msg.decompress() {
                Ok(m) => m,
                Err(_) => continue,
            };
        }
        if let Ok(data) = msg.as_data_vec() {
            return Ok(Some(data));
        }
    }
    Ok(None)
}
