//! `fluxion create secret git NAME --url URL`: the Secret a GitRepository's secretRef reads,
//! with flux's keys: `username`/`password`/`bearerToken`/`ca.crt` for HTTPS, and
//! `identity`/`identity.pub`/`known_hosts` for SSH (a key pair generated with ssh-keygen
//! unless --private-key-file is given; host keys collected with ssh-keyscan).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use kube::api::{Api, Patch, PatchParams};
use serde_json::json;

use crate::args::{CreateSecretGitArgs, GlobalArgs};
use crate::commands::create::parse_labels;
use crate::error::CliError;
use crate::output::export_doc;
use crate::{kube as kubeclient, log};

pub async fn run(global: &GlobalArgs, args: &CreateSecretGitArgs) -> Result<(), CliError> {
    let data = match scheme(&args.url)? {
        "ssh" => ssh_data(args)?,
        _ => https_data(args)?,
    };
    let mut metadata = json!({"name": args.name, "namespace": global.namespace});
    let labels = parse_labels(&args.label)?;
    if !labels.is_empty() {
        metadata["labels"] = json!(labels);
    }
    let secret =
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "stringData": data});
    if args.export {
        crate::output::emit(&export_doc(&secret))?;
        return Ok(());
    }
    if let Some(key) = data.get("identity.pub") {
        log::generate(&format!("deploy key: {}", key.trim_end()));
    }
    let client = kubeclient::client(global).await?;
    let api: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(client, &global.namespace);
    api.patch(
        &args.name,
        &PatchParams::apply("flux").force(),
        &Patch::Apply(&secret),
    )
    .await?;
    log::success(&format!(
        "git secret '{}' created in '{}' namespace",
        args.name, global.namespace
    ));
    Ok(())
}

fn scheme(url: &str) -> Result<&str, CliError> {
    match url.split_once("://") {
        Some((s @ ("ssh" | "http" | "https"), _)) => Ok(s),
        _ => Err(CliError::usage(format!(
            "git URL scheme not supported in '{url}', can be: ssh, http and https"
        ))),
    }
}

fn https_data(args: &CreateSecretGitArgs) -> Result<BTreeMap<String, String>, CliError> {
    let mut data = BTreeMap::new();
    match (&args.username, &args.password, &args.bearer_token) {
        (Some(u), Some(p), None) => {
            data.insert("username".into(), u.clone());
            data.insert("password".into(), p.clone());
        }
        (None, None, Some(t)) => {
            data.insert("bearerToken".into(), t.clone());
        }
        (None, None, None) if args.ca_file.is_some() => {}
        (_, _, Some(_)) => {
            return Err(CliError::usage(
                "user credentials and bearer token cannot be used together",
            ));
        }
        _ => {
            return Err(CliError::usage(
                "for Git over HTTP/S the username and password are required",
            ));
        }
    }
    if let Some(ca) = &args.ca_file {
        data.insert("ca.crt".into(), std::fs::read_to_string(ca)?);
    }
    Ok(data)
}

fn ssh_data(args: &CreateSecretGitArgs) -> Result<BTreeMap<String, String>, CliError> {
    let dir = tempfile_dir()?;
    let key_path = match &args.private_key_file {
        Some(path) => path.clone(),
        None => generate_key(dir.path(), &args.ssh_key_algorithm)?,
    };
    let identity = std::fs::read_to_string(&key_path)?;
    let public = run_tool("ssh-keygen", &["-y", "-f", &key_path.display().to_string()])?;
    let (host, port) = ssh_host(&args.url)?;
    let known_hosts = run_tool("ssh-keyscan", &["-p", &port, &host])?;
    if known_hosts.trim().is_empty() {
        return Err(CliError::Failed(format!(
            "no host keys collected from {host}:{port}"
        )));
    }
    let mut data = BTreeMap::from([
        ("identity".to_string(), identity),
        ("identity.pub".to_string(), public),
        ("known_hosts".to_string(), known_hosts),
    ]);
    if let Some(p) = &args.password {
        data.insert("password".into(), p.clone());
    }
    Ok(data)
}

fn tempfile_dir() -> Result<TempDir, CliError> {
    let path = std::env::temp_dir().join(format!("fluxion-secret-{}", std::process::id()));
    std::fs::create_dir_all(&path)?;
    Ok(TempDir(path))
}

/// A private temp directory removed on drop (the generated key never outlives the command).
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn generate_key(dir: &Path, algorithm: &str) -> Result<std::path::PathBuf, CliError> {
    let (kind, bits) = match algorithm {
        "ecdsa" => ("ecdsa", "384"),
        "rsa" => ("rsa", "2048"),
        "ed25519" => ("ed25519", "256"),
        other => {
            return Err(CliError::usage(format!(
                "unsupported --ssh-key-algorithm '{other}', must be one of: rsa, ecdsa, ed25519"
            )));
        }
    };
    let path = dir.join("identity");
    let path_text = path.display().to_string();
    run_tool(
        "ssh-keygen",
        &[
            "-q", "-t", kind, "-b", bits, "-N", "", "-C", "", "-f", &path_text,
        ],
    )?;
    Ok(path)
}

/// Host and port of an ssh:// URL (port 22 unless given).
pub fn ssh_host(url: &str) -> Result<(String, String), CliError> {
    let rest = url.strip_prefix("ssh://").unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => (h, p),
        _ => (host_port, "22"),
    };
    if host.is_empty() {
        return Err(CliError::usage(format!("no host in '{url}'")));
    }
    Ok((host.to_string(), port.to_string()))
}

fn run_tool(tool: &str, args: &[&str]) -> Result<String, CliError> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| CliError::Failed(format!("{tool}: {e}")))?;
    if !out.status.success() {
        return Err(CliError::Failed(format!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_hosts_and_ports() {
        let cases = [
            ("ssh://git@github.com/org/repo", ("github.com", "22")),
            (
                "ssh://git@127.0.0.1:2222/org/repo.git",
                ("127.0.0.1", "2222"),
            ),
            ("ssh://host/repo", ("host", "22")),
        ];
        for (url, (host, port)) in cases {
            assert_eq!(
                ssh_host(url).expect(url),
                (host.to_string(), port.to_string())
            );
        }
        assert!(ssh_host("ssh:///repo").is_err());
    }
}
