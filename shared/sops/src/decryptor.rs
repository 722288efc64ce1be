//! The decryptor kustomize-controller calls: Kubernetes objects after the build, files of
//! secretGenerator/configMapGenerator before it, and the recognition of encrypted input.

use crate::error::SopsError;
use crate::format::{self, Format};
use crate::keys::Keys;
use crate::metadata::Metadata;
use crate::tree::Node;
use crate::walk;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Flux's limit on the size of an encrypted file (`maxEncryptedFileSize`, 5 MiB).
pub const MAX_ENCRYPTED_FILE_SIZE: usize = 5 << 20;

/// Data keys recovered so far: at most this many are kept (then the cache starts over).
const DATA_KEY_CACHE: usize = 4096;

/// Decrypts SOPS documents with a set of [`Keys`].
///
/// Recovered data keys are cached by their encrypted copies (shared by clones), so the
/// asymmetric step (X25519, RSA) runs once per encrypted file, not once per decryption.
#[derive(Clone)]
pub struct Decryptor {
    keys: Keys,
    verify_mac: bool,
    max_file_size: usize,
    cache: Arc<Mutex<HashMap<[u8; 32], Vec<u8>>>>,
}

/// Shows the keys' public parts and settings, never the cached data keys.
impl std::fmt::Debug for Decryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cached = self.cache.lock().map_or(0, |c| c.len());
        f.debug_struct("Decryptor")
            .field("keys", &self.keys)
            .field("verify_mac", &self.verify_mac)
            .field("max_file_size", &self.max_file_size)
            .field("cached_data_keys", &cached)
            .finish()
    }
}

/// True when `obj` carries sops metadata with a MAC at its top level (Flux's
/// `isSOPSEncryptedResource`).
pub fn is_encrypted_object(obj: &Value) -> bool {
    obj.get("sops")
        .and_then(|s| s.get("mac"))
        .is_some_and(|m| !m.is_null() && m.as_str() != Some(""))
}

/// True when `bytes` hold a sops-encrypted file of `format` (Flux's marker-byte test).
pub fn is_encrypted_bytes(bytes: &[u8], format: Format) -> bool {
    format::contains(bytes, format.marker())
}

impl Decryptor {
    /// A decryptor that verifies MACs and refuses files over [`MAX_ENCRYPTED_FILE_SIZE`].
    pub fn new(keys: Keys) -> Decryptor {
        Decryptor {
            keys,
            verify_mac: true,
            max_file_size: MAX_ENCRYPTED_FILE_SIZE,
            cache: Arc::default(),
        }
    }

    /// Turns the MAC check on or off. Flux's kustomize-controller leaves it off
    /// (`checkSopsMac`), because kustomize changes objects (namespace, labels, ...) before
    /// they are decrypted, which changes the values the MAC covers.
    pub fn verify_mac(mut self, on: bool) -> Decryptor {
        self.verify_mac = on;
        self
    }

    /// Sets the largest input [`Decryptor::decrypt_file`] accepts (0: no limit).
    pub fn max_file_size(mut self, bytes: usize) -> Decryptor {
        self.max_file_size = bytes;
        self
    }

    /// The keys this decryptor holds.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Decrypts one Kubernetes object with a top-level `sops` key and returns it without that
    /// key. serde_json maps are sorted, so the MAC (which covers values in document order) is
    /// only checked in key order; Flux does not check it for objects at all.
    pub fn decrypt_object(&self, obj: Value) -> Result<Value, SopsError> {
        if !obj.is_object() {
            return Err(SopsError::Load {
                format: "JSON",
                reason: "the object is not a JSON object".into(),
            });
        }
        let mut node = Node::from(&obj);
        drop(obj);
        let sops = node.take("sops").ok_or(SopsError::MetadataNotFound)?;
        let metadata = Metadata::parse(&sops)?;
        let mut branches = vec![node];
        self.decrypt_branches(&mut branches, &metadata)?;
        Ok(Value::from(&branches[0]))
    }

    /// Decrypts a file and writes it back in the same format.
    pub fn decrypt_file(&self, bytes: &[u8], format: Format) -> Result<Vec<u8>, SopsError> {
        self.decrypt_file_as(bytes, format, format)
    }

    /// Decrypts a file of `input` format and writes it in `output` format (Flux decrypts a
    /// Secret data value detected by its marker into the format of the data key's name).
    pub fn decrypt_file_as(
        &self,
        bytes: &[u8],
        input: Format,
        output: Format,
    ) -> Result<Vec<u8>, SopsError> {
        if self.max_file_size > 0 && bytes.len() > self.max_file_size {
            return Err(SopsError::TooLarge {
                size: bytes.len(),
                limit: self.max_file_size,
            });
        }
        let mut loaded = format::load(bytes, input)?;
        self.decrypt_branches(&mut loaded.branches, &loaded.metadata)?;
        format::emit(&loaded.branches, output)
    }

    /// Decrypts a YAML or JSON file into one JSON value per document (objects in key
    /// order of serde_json; the MAC is checked on the file's own order).
    pub fn decrypt_documents(&self, bytes: &[u8], format: Format) -> Result<Vec<Value>, SopsError> {
        if self.max_file_size > 0 && bytes.len() > self.max_file_size {
            return Err(SopsError::TooLarge {
                size: bytes.len(),
                limit: self.max_file_size,
            });
        }
        let mut loaded = format::load(bytes, format)?;
        self.decrypt_branches(&mut loaded.branches, &loaded.metadata)?;
        Ok(loaded.branches.iter().map(Value::from).collect())
    }

    /// Decrypts the `data` values of a Secret that are sops-encrypted files (a
    /// secretGenerator fed with encrypted files, which Flux supports): each base64 value
    /// whose bytes carry a format's marker is decrypted into the format its key name implies
    /// and encoded again. Values that are not base64 are left for the apply to reject, as in
    /// Flux. Returns how many values were decrypted.
    pub fn decrypt_secret_data(&self, obj: &mut Value) -> Result<usize, SopsError> {
        if obj.get("kind").and_then(Value::as_str) != Some("Secret") || is_encrypted_object(obj) {
            return Ok(0);
        }
        let Some(data) = obj.get_mut("data").and_then(Value::as_object_mut) else {
            return Ok(0);
        };
        let mut count = 0;
        for (field, value) in data.iter_mut() {
            let Some(Ok(bytes)) = value.as_str().map(|s| STANDARD.decode(s)) else {
                continue;
            };
            let Some(input) = Format::detect(&bytes) else {
                continue;
            };
            let out = self
                .decrypt_file_as(&bytes, input, Format::from_path(field))
                .map_err(|e| SopsError::SecretField {
                    field: field.clone(),
                    source: Box::new(e),
                })?;
            *value = Value::String(STANDARD.encode(out));
            count += 1;
        }
        Ok(count)
    }

    fn data_key(&self, metadata: &Metadata) -> Result<Vec<u8>, SopsError> {
        let id = metadata.data_key_id();
        // A poisoned lock only means another thread panicked mid-insert; the map is intact.
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned();
        if let Some(key) = cached {
            return Ok(key);
        }
        let key = self.keys.data_key(metadata)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= DATA_KEY_CACHE {
            cache.clear();
        }
        cache.insert(id, key.clone());
        Ok(key)
    }

    fn decrypt_branches(
        &self,
        branches: &mut [Node],
        metadata: &Metadata,
    ) -> Result<(), SopsError> {
        let key = self.data_key(metadata)?;
        let mac = walk::decrypt_branches(branches, &key, metadata)?;
        if self.verify_mac {
            walk::verify_mac(&mac, &key, metadata)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kustomize-controller shares one decryptor across reconcile workers.
    #[test]
    fn decryptor_is_send_and_sync() {
        fn shared<T: Send + Sync + Clone + 'static>() {}
        shared::<Decryptor>();
        shared::<Keys>();
    }

    #[test]
    fn debug_shows_no_key_material() {
        let d = Decryptor::new(Keys::default());
        d.cache
            .lock()
            .unwrap()
            .insert([0; 32], b"DATAKEY-BYTES".to_vec());
        let shown = format!("{d:?}");
        assert!(shown.contains("cached_data_keys: 1"), "{shown}");
        assert!(
            !shown.contains("68, 65") && !shown.contains("DATAKEY"),
            "{shown}"
        );
    }

    #[test]
    fn non_objects_and_unencrypted_secrets() {
        let d = Decryptor::new(Keys::default());
        let err = d.decrypt_object(Value::from("x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to load encrypted JSON data: the object is not a JSON object"
        );
        let mut cm = serde_json::json!({"kind": "ConfigMap", "data": {"a": "b"}});
        assert_eq!(d.decrypt_secret_data(&mut cm).unwrap(), 0);
        let mut plain = serde_json::json!({"kind": "Secret", "data": {"a": "YWJj"}});
        assert_eq!(d.decrypt_secret_data(&mut plain).unwrap(), 0);
        assert!(!is_encrypted_bytes(b"a: b\n", Format::Yaml));
    }
}
