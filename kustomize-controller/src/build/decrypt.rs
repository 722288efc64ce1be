//! SOPS decryption (`spec.decryption`, provider sops) with fluxion-sops, as Flux's decryptor
//! does it: the keys come from the Secret in `spec.decryption.secretRef`; encrypted files
//! that secretGenerator reads are decrypted in place before the build ([`Decryptor::
//! decrypt_sources`]); built objects carrying SOPS metadata, and Secret data values that are
//! encrypted files, are decrypted after it. Plaintext never reaches a message.

use std::collections::BTreeMap;
use std::path::Path;

use fluxion_api::kustomize::Kustomization;
use fluxion_kustomize::resource::Resource;
use fluxion_sops::{Format, Keys};
use k8s_openapi::api::core::v1::Secret;
use kube::{Api, ResourceExt};
use serde_json::Value;

use crate::error::Error;

/// Whether a built object is SOPS-encrypted (Flux's `IsEncryptedSecret` test, any kind).
pub fn is_encrypted(obj: &Value) -> bool {
    fluxion_sops::is_encrypted_object(obj)
}

/// Whether an object opted out of decryption (`kustomize.toolkit.fluxcd.io/decrypt: disabled`).
pub fn decryption_disabled(obj: &Value) -> bool {
    obj.pointer("/metadata/annotations/kustomize.toolkit.fluxcd.io~1decrypt")
        .and_then(Value::as_str)
        == Some("disabled")
}

/// The decryptor of one run.
pub struct Decryptor {
    sops: fluxion_sops::Decryptor,
}

impl Decryptor {
    /// `None` when the Kustomization does not ask for decryption; the keys of its Secret
    /// otherwise (no Secret: a decryptor without keys, which fails on encrypted input).
    pub async fn load(client: &kube::Client, ks: &Kustomization) -> Result<Option<Self>, Error> {
        let Some(decryption) = &ks.spec.decryption else {
            return Ok(None);
        };
        let mut data = BTreeMap::new();
        if let Some(secret_ref) = &decryption.secret_ref {
            let namespace = ks.namespace().unwrap_or_default();
            let api: Api<Secret> = Api::namespaced(client.clone(), &namespace);
            let secret = api.get(&secret_ref.name).await.map_err(|e| {
                Error::Build(format!(
                    "cannot get sops decryption Secret '{namespace}/{}': {e}",
                    secret_ref.name
                ))
            })?;
            data = secret
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect();
        }
        let keys = Keys::from_secret_data(&data).map_err(|e| Error::Build(e.to_string()))?;
        // As Flux: kustomize rewrites objects before they are decrypted, so their MAC can
        // no longer match; files are decrypted as written and keep the check.
        Ok(Some(Decryptor {
            sops: fluxion_sops::Decryptor::new(keys),
        }))
    }

    /// Decrypts one built object in place when it is encrypted or is a Secret holding
    /// encrypted files.
    pub fn decrypt(&self, r: &mut Resource) -> Result<(), String> {
        let json = fluxion_kustomize::yaml::to_json_v2(&r.node)?;
        if decryption_disabled(&json) {
            return Ok(());
        }
        let decrypted = if is_encrypted(&json) {
            let sops = self.sops.clone().verify_mac(false);
            sops.decrypt_object(json).map_err(|e| e.to_string())?
        } else if json.get("kind").and_then(Value::as_str) == Some("Secret") {
            let mut json = json;
            if self
                .sops
                .decrypt_secret_data(&mut json)
                .map_err(|e| e.to_string())?
                == 0
            {
                return Ok(());
            }
            json
        } else {
            return Ok(());
        };
        // JSON is YAML: reading it back keeps every string a string.
        let text = serde_json::to_string(&decrypted).map_err(|e| e.to_string())?;
        r.node = fluxion_kustomize::yaml::parse_first(&text)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "empty object after decryption".to_string())?;
        Ok(())
    }

    /// Decrypts, in place, the encrypted files and env files that the secretGenerator of the
    /// kustomization in `dir` (a directory inside `root`) reads.
    pub fn decrypt_sources(&self, root: &Path, dir: &Path) -> Result<(), Error> {
        let Some(k) = read_kustomization(dir)? else {
            return Ok(());
        };
        let generators = k
            .get("secretGenerator")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for generator in &generators {
            let list = |key: &str| -> Vec<String> {
                generator
                    .get(key)
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            for file in list("files") {
                let path = file.split_once('=').map_or(file.as_str(), |(_, p)| p);
                self.decrypt_source_file(root, dir, path, Format::from_path(path))?;
            }
            for env in list("envs") {
                self.decrypt_source_file(root, dir, &env, Format::for_env_source(&env))?;
            }
        }
        Ok(())
    }

    fn decrypt_source_file(
        &self,
        root: &Path,
        dir: &Path,
        rel: &str,
        format: Format,
    ) -> Result<(), Error> {
        let path = dir.join(rel);
        let inside = std::fs::canonicalize(&path)
            .ok()
            .zip(std::fs::canonicalize(root).ok())
            .is_some_and(|(p, r)| p.starts_with(r));
        if !inside {
            // Missing or outside the artifact: the build reports it.
            return Ok(());
        }
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(());
        };
        if !fluxion_sops::is_encrypted_bytes(&bytes, format) {
            return Ok(());
        }
        let plain = self.sops.decrypt_file(&bytes, format).map_err(|e| {
            Error::Build(format!(
                "error decrypting sources: failed to decrypt '{rel}': {e}"
            ))
        })?;
        std::fs::write(&path, plain)
            .map_err(|e| Error::Build(format!("error decrypting sources: writing '{rel}': {e}")))
    }
}

fn read_kustomization(dir: &Path) -> Result<Option<Value>, Error> {
    for name in fluxion_kustomize::kustomization::FILE_NAMES {
        let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
            continue;
        };
        let node = fluxion_kustomize::yaml::parse_first(&text)
            .map_err(|e| Error::Build(format!("failed to decode {name}: {e}")))?;
        return match node {
            Some(node) => fluxion_kustomize::yaml::to_json_v2(&node)
                .map(Some)
                .map_err(|e| Error::Build(format!("failed to decode {name}: {e}"))),
            None => Ok(None),
        };
    }
    Ok(None)
}
