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

/// Whether an object opted out of decryption (`kustomize.toolkit.fluxcd.io/decrypt:
/// disabled`, any case, as Flux compares it).
pub fn decryption_disabled(obj: &Value) -> bool {
    obj.pointer("/metadata/annotations/kustomize.toolkit.fluxcd.io~1decrypt")
        .and_then(Value::as_str)
        .is_some_and(|v| v.eq_ignore_ascii_case("disabled"))
}

/// Flux's `IsEncryptedSecret`: a v1 Secret with a `sops` field, which must not be applied
/// without decryption.
pub fn is_encrypted_secret(obj: &Value) -> bool {
    obj.get("kind").and_then(Value::as_str) == Some("Secret")
        && obj.get("apiVersion").and_then(Value::as_str) == Some("v1")
        && obj.get("sops").is_some()
}

/// The decryptor of one run.
pub struct Decryptor {
    sops: fluxion_sops::Decryptor,
}

impl Decryptor {
    /// `None` when the Kustomization does not ask for decryption; otherwise the keys of its
    /// secretRef, or, without one, the age keys of `--sops-age-secret` (`global`), as Flux.
    pub async fn load(
        client: &kube::Client,
        ks: &Kustomization,
        global: Option<&(String, String)>,
    ) -> Result<Option<Self>, Error> {
        let Some(decryption) = &ks.spec.decryption else {
            return Ok(None);
        };
        let data = match (&decryption.secret_ref, global) {
            (Some(secret_ref), _) => {
                let namespace = ks.namespace().unwrap_or_default();
                read_secret(client, &namespace, &secret_ref.name).await?
            }
            (None, Some((namespace, name))) => read_secret(client, namespace, name)
                .await?
                .into_iter()
                .filter(|(k, _)| k.ends_with(".agekey"))
                .collect(),
            (None, None) => BTreeMap::new(),
        };
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

    /// Decrypts, in place, the encrypted files and env files that the secretGenerator (and the
    /// patch files) of the kustomization in `dir` reads, then of every local kustomization
    /// it refers to, as Flux's `DecryptSources`. Paths outside `root` are left alone.
    pub fn decrypt_sources(&self, root: &Path, dir: &Path) -> Result<(), Error> {
        let mut visited = std::collections::HashSet::new();
        self.decrypt_sources_in(root, dir, &mut visited)
    }

    fn decrypt_sources_in(
        &self,
        root: &Path,
        dir: &Path,
        visited: &mut std::collections::HashSet<std::path::PathBuf>,
    ) -> Result<(), Error> {
        let Ok(real) = std::fs::canonicalize(dir) else {
            return Ok(());
        };
        if !visited.insert(real) {
            return Ok(());
        }
        let Some(k) = read_kustomization(dir)? else {
            return Ok(());
        };
        self.decrypt_files_of(root, dir, &k)?;
        let mut refs = strings(k.get("resources"));
        refs.extend(strings(k.get("components")));
        for r in refs {
            let sub = dir.join(&r);
            if sub.is_dir() && inside(root, &sub) {
                self.decrypt_sources_in(root, &sub, visited)?;
            }
        }
        Ok(())
    }

    /// The secretGenerator files and env files, and the patch files, of one kustomization.
    fn decrypt_files_of(&self, root: &Path, dir: &Path, k: &Value) -> Result<(), Error> {
        let generators = k
            .get("secretGenerator")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for generator in &generators {
            for file in strings(generator.get("files")) {
                // The format follows the key (the name in the Secret), as in Flux.
                let (key, path) = file
                    .split_once('=')
                    .unwrap_or((file.as_str(), file.as_str()));
                self.decrypt_source_file(root, dir, path, Format::from_path(key))?;
            }
            for env in strings(generator.get("envs")) {
                self.decrypt_source_file(root, dir, &env, Format::for_env_source(&env))?;
            }
        }
        let patches = k
            .get("patches")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for path in patches
            .iter()
            .filter_map(|p| p.get("path").and_then(Value::as_str))
        {
            let format = match Format::from_path(path) {
                Format::Binary => Format::Yaml,
                f => f,
            };
            self.decrypt_source_file(root, dir, path, format)?;
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
        if !inside(root, &path) {
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

/// The data of a decryption Secret; its values never reach a message.
async fn read_secret(
    client: &kube::Client,
    namespace: &str,
    name: &str,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let api: Api<Secret> = Api::namespaced(client.clone(), namespace);
    let secret = api.get(name).await.map_err(|e| {
        Error::Build(format!(
            "cannot get sops decryption Secret '{namespace}/{name}': {e}"
        ))
    })?;
    Ok(secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.0))
        .collect())
}

/// The strings of a YAML list value.
fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `path` exists and resolves (symlinks included) to a place under `root`.
fn inside(root: &Path, path: &Path) -> bool {
    std::fs::canonicalize(path)
        .ok()
        .zip(std::fs::canonicalize(root).ok())
        .is_some_and(|(p, r)| p.starts_with(r))
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
