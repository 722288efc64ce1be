//! The decryption keys of a Kustomization (`spec.decryption.secretRef`), read from the Secret's
//! data as Flux does, and the recovery of a document's data key with them.

use crate::age::{self, AgeIdentity};
use crate::error::SopsError;
use crate::metadata::{MasterKey, Metadata};
use crate::pgp::{self, PgpKey};
use crate::shamir;
use std::collections::BTreeMap;

/// Flux's Secret key names for credentials of key services fluxion does not implement.
const CLOUD_CREDENTIALS: [&str; 4] = [
    "sops.vault-token",
    "sops.aws-kms",
    "sops.azure-kv",
    "sops.gcp-kms",
];

/// The age identities and PGP secret keys available to decrypt data keys.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    age: Vec<AgeIdentity>,
    pgp: Vec<PgpKey>,
    /// Names of Secret entries holding cloud KMS or Vault credentials (not supported).
    unsupported: Vec<String>,
}

fn import_err(name: &str, reason: String) -> SopsError {
    SopsError::Import {
        name: name.to_string(),
        reason,
    }
}

impl Keys {
    /// Reads a decryption Secret's data as Flux's `ImportKeys`: `*.agekey` entries hold age
    /// identities, `*.asc` entries armored PGP secret keys; `sops.vault-token`, `sops.aws-kms`,
    /// `sops.azure-kv` and `sops.gcp-kms` are recognised but not supported (a data key only
    /// those could decrypt fails with a message saying so); other entries are ignored.
    pub fn from_secret_data(data: &BTreeMap<String, Vec<u8>>) -> Result<Keys, SopsError> {
        let mut keys = Keys::default();
        for (name, value) in data {
            let ext = std::path::Path::new(name)
                .extension()
                .and_then(|e| e.to_str());
            match ext {
                Some("agekey") => keys.add_age_identities(name, value)?,
                Some("asc") => keys.add_pgp_keys(name, value)?,
                _ if CLOUD_CREDENTIALS.contains(&name.as_str()) => {
                    keys.unsupported.push(name.clone())
                }
                _ => {}
            }
        }
        Ok(keys)
    }

    /// Adds the age identities of a key file (several per file, `#` comments allowed);
    /// `name` only labels errors.
    pub fn add_age_identities(&mut self, name: &str, value: &[u8]) -> Result<(), SopsError> {
        let text = std::str::from_utf8(value).map_err(|_| import_err(name, "not UTF-8".into()))?;
        let ids = age::parse_identities(text).map_err(|e| import_err(name, e))?;
        self.age.extend(ids);
        Ok(())
    }

    /// Adds the armored PGP secret keys of `value` (passphrase-less keys only).
    pub fn add_pgp_keys(&mut self, name: &str, value: &[u8]) -> Result<(), SopsError> {
        let text = std::str::from_utf8(value).map_err(|_| import_err(name, "not UTF-8".into()))?;
        let keys = pgp::parse_keys(text).map_err(|e| import_err(name, e))?;
        self.pgp.extend(keys);
        Ok(())
    }

    /// The age recipients (public keys) of the imported identities.
    pub fn age_recipients(&self) -> Vec<String> {
        self.age.iter().map(|i| i.recipient.clone()).collect()
    }

    /// The fingerprints of the imported PGP keys (primary keys first, then subkeys).
    pub fn pgp_fingerprints(&self) -> Vec<String> {
        self.pgp
            .iter()
            .flat_map(|k| k.fingerprints.clone())
            .collect()
    }

    /// True when no age identity and no PGP key was imported.
    pub fn is_empty(&self) -> bool {
        self.age.is_empty() && self.pgp.is_empty()
    }

    /// Tries one master key; `Ok(None)` when none of our keys is its recipient.
    fn try_key(&self, key: &MasterKey) -> Result<Option<Vec<u8>>, String> {
        match key {
            MasterKey::Age { enc, .. } => age::decrypt(enc, &self.age),
            MasterKey::Pgp { enc, .. } => pgp::decrypt(enc, &self.pgp),
            MasterKey::Unsupported { .. } => Ok(None),
        }
    }

    /// Recovers the data key of a document: the first master key of each group that one of
    /// our keys decrypts (age before PGP, sops' default order); Shamir-combined across groups.
    pub(crate) fn data_key(&self, meta: &Metadata) -> Result<Vec<u8>, SopsError> {
        let mut parts = Vec::new();
        let mut tried = Vec::new();
        for group in &meta.key_groups {
            let ordered = group
                .iter()
                .filter(|k| matches!(k, MasterKey::Age { .. }))
                .chain(group.iter().filter(|k| !matches!(k, MasterKey::Age { .. })));
            for key in ordered {
                match self.try_key(key) {
                    Ok(Some(part)) => {
                        parts.push(part);
                        break;
                    }
                    Ok(None) => tried.push(describe(key, None)),
                    Err(e) => tried.push(describe(key, Some(&e))),
                }
            }
        }
        let needed = match meta.key_groups.len() {
            0 | 1 => 1,
            n if meta.shamir_threshold == 0 => n,
            _ => meta.shamir_threshold,
        };
        if parts.len() < needed || parts.is_empty() {
            return Err(SopsError::DataKey(self.no_key_message(&tried)));
        }
        if meta.key_groups.len() > 1 {
            return shamir::combine(&parts[..needed]).map_err(SopsError::DataKey);
        }
        Ok(parts.swap_remove(0))
    }

    fn no_key_message(&self, tried: &[String]) -> String {
        let mut held: Vec<String> = self
            .age_recipients()
            .into_iter()
            .map(|r| format!("age {r}"))
            .collect();
        held.extend(
            self.pgp
                .iter()
                .map(|k| format!("pgp {}", k.fingerprints.join("/"))),
        );
        let mut msg = format!(
            "no decryption key could recover the data key; the file's master keys: [{}]; \
             the keys available: [{}]",
            tried.join(", "),
            held.join(", ")
        );
        if !self.unsupported.is_empty() {
            msg.push_str(&format!(
                "; credentials in {} are not supported by fluxion",
                self.unsupported.join(", ")
            ));
        }
        msg
    }
}

fn describe(key: &MasterKey, err: Option<&str>) -> String {
    let name = match key {
        MasterKey::Age { recipient, .. } => format!("age {recipient}"),
        MasterKey::Pgp { fingerprint, .. } => format!("pgp {fingerprint}"),
        MasterKey::Unsupported { source, id } => {
            format!("{source} {id} (not supported by fluxion)")
        }
    };
    match err {
        Some(e) => format!("{name} ({e})"),
        None => name,
    }
}
