//! Git credentials from a GitRepository's secretRef, and the environment that hands them to the
//! `git` CLI without putting them in its arguments: `GIT_CONFIG_*` pairs for HTTP headers and the
//! CA file, `GIT_SSH_COMMAND` with an identity file and known_hosts checked strictly.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use base64::Engine;

/// What a secret provides, per Flux's keys (`username`, `password`, `bearerToken`, `ca.crt`,
/// `identity`, `known_hosts`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    pub basic: Option<(String, String)>,
    pub bearer: Option<String>,
    pub ca: Option<Vec<u8>>,
    pub ssh: Option<SshAuth>,
    /// The HTTP(S) proxy from `spec.proxySecretRef`, credentials included in the URL.
    pub proxy: Option<String>,
}

/// Never prints a secret value.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("basic", &self.basic.is_some())
            .field("bearer", &self.bearer.is_some())
            .field("ca", &self.ca.is_some())
            .field("ssh", &self.ssh.is_some())
            .field("proxy", &self.proxy.is_some())
            .finish()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SshAuth {
    pub identity: Vec<u8>,
    pub known_hosts: Vec<u8>,
}

fn text(data: &BTreeMap<String, Vec<u8>>, key: &str) -> Result<Option<String>, String> {
    data.get(key)
        .map(|v| String::from_utf8(v.clone()).map_err(|_| format!("'{key}' is not valid UTF-8")))
        .transpose()
}

impl Credentials {
    /// Reads the keys Flux reads for `scheme` (`http`, `https` or `ssh`).
    pub fn from_secret(scheme: &str, data: &BTreeMap<String, Vec<u8>>) -> Result<Self, String> {
        let mut creds = Credentials::default();
        if scheme == "ssh" {
            let identity = data.get("identity").cloned();
            let known_hosts = data.get("known_hosts").cloned();
            match (identity, known_hosts) {
                (Some(identity), Some(known_hosts)) => {
                    creds.ssh = Some(SshAuth {
                        identity,
                        known_hosts,
                    })
                }
                (_, None) => return Err("invalid 'known_hosts': key is missing".into()),
                (None, _) => return Err("invalid 'identity': key is missing".into()),
            }
            return Ok(creds);
        }
        let username = text(data, "username")?;
        let password = text(data, "password")?;
        creds.basic = match (username, password) {
            (Some(u), p) => Some((u, p.unwrap_or_default())),
            (None, Some(_)) => return Err("invalid 'password': 'username' is missing".into()),
            (None, None) => None,
        };
        creds.bearer = text(data, "bearerToken")?;
        if creds.basic.is_some() && creds.bearer.is_some() {
            return Err("basic auth and bearer token cannot be set at the same time".into());
        }
        creds.ca = data.get("ca.crt").or_else(|| data.get("caFile")).cloned();
        Ok(creds)
    }
}

/// Flux's proxy secret (`address`, optional `username` and `password`) as one proxy URL.
pub fn proxy_url(data: &BTreeMap<String, Vec<u8>>) -> Result<String, String> {
    let address = text(data, "address")?
        .filter(|a| !a.is_empty())
        .ok_or("invalid proxy secret: key 'address' is missing")?;
    let (scheme, rest) = address
        .split_once("://")
        .ok_or("invalid proxy secret: 'address' has no scheme")?;
    match (text(data, "username")?, text(data, "password")?) {
        (Some(user), password) => {
            let enc = |s: &str| -> String {
                s.bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                            (b as char).to_string()
                        }
                        _ => format!("%{b:02X}"),
                    })
                    .collect()
            };
            let password = password
                .map(|p| format!(":{}", enc(&p)))
                .unwrap_or_default();
            Ok(format!("{scheme}://{}{password}@{rest}", enc(&user)))
        }
        (None, Some(_)) => Err("invalid proxy secret: 'username' is missing".into()),
        (None, None) => Ok(address),
    }
}

/// The environment of every git command: no prompts, no user or system config, and the
/// credentials, whose files are written into `scratch` (a private temp dir) with mode 0600.
pub fn git_env(creds: &Credentials, scratch: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut env = vec![
        ("GIT_TERMINAL_PROMPT".to_string(), "0".to_string()),
        ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
        ("GIT_CONFIG_GLOBAL".into(), "/dev/null".into()),
        ("HOME".into(), scratch.display().to_string()),
        ("GIT_ASKPASS".into(), "".into()),
        ("SSH_ASKPASS".into(), "".into()),
    ];
    let mut config: Vec<(&str, String)> = Vec::new();
    if let Some((user, password)) = &creds.basic {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        config.push(("http.extraHeader", format!("Authorization: Basic {token}")));
    }
    if let Some(token) = &creds.bearer {
        config.push(("http.extraHeader", format!("Authorization: Bearer {token}")));
    }
    if let Some(proxy) = &creds.proxy {
        config.push(("http.proxy", proxy.clone()));
    }
    if let Some(ca) = &creds.ca {
        let path = private_file(scratch, "ca.crt", ca)?;
        config.push(("http.sslCAInfo", path));
    }
    env.push(("GIT_CONFIG_COUNT".into(), config.len().to_string()));
    for (i, (key, value)) in config.into_iter().enumerate() {
        env.push((format!("GIT_CONFIG_KEY_{i}"), key.to_string()));
        env.push((format!("GIT_CONFIG_VALUE_{i}"), value));
    }
    let ssh = match &creds.ssh {
        Some(ssh) => {
            let mut identity = ssh.identity.clone();
            // OpenSSH refuses a private key file that does not end with a newline.
            if !identity.ends_with(b"\n") {
                identity.push(b'\n');
            }
            let id = private_file(scratch, "identity", &identity)?;
            let kh = private_file(scratch, "known_hosts", &ssh.known_hosts)?;
            format!(
                "ssh -F /dev/null -i {id} -o IdentitiesOnly=yes -o UserKnownHostsFile={kh} \
                 -o StrictHostKeyChecking=yes -o BatchMode=yes"
            )
        }
        // Without known_hosts no host can be trusted; Flux requires them for ssh.
        None => "ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes \
                 -o UserKnownHostsFile=/dev/null"
            .to_string(),
    };
    env.push(("GIT_SSH_COMMAND".into(), ssh));
    env.push(("GIT_SSH_VARIANT".into(), "ssh".into()));
    Ok(env)
}

fn private_file(dir: &Path, name: &str, content: &[u8]) -> std::io::Result<String> {
    let path = dir.join(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    file.write_all(content)?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn reads_flux_keys() {
        let creds = Credentials::from_secret(
            "https",
            &data(&[("username", "u"), ("password", "p"), ("ca.crt", "CA")]),
        )
        .expect("creds");
        assert_eq!(creds.basic, Some(("u".into(), "p".into())));
        assert_eq!(creds.ca.as_deref(), Some(&b"CA"[..]));
        assert!(Credentials::from_secret("ssh", &data(&[("identity", "k")])).is_err());
        assert!(Credentials::from_secret("https", &data(&[("password", "p")])).is_err());
        let debug = format!("{creds:?}");
        assert!(!debug.contains('p') || !debug.contains("\"p\""), "{debug}");
    }

    #[test]
    fn proxy_urls() {
        let plain = proxy_url(&data(&[("address", "http://p:3128")])).expect("url");
        assert_eq!(plain, "http://p:3128");
        let auth = proxy_url(&data(&[
            ("address", "http://p:3128"),
            ("username", "u"),
            ("password", "p@ss"),
        ]))
        .expect("url");
        assert_eq!(auth, "http://u:p%40ss@p:3128");
        assert!(proxy_url(&data(&[("username", "u")])).is_err());
    }

    #[test]
    fn env_carries_credentials_in_config_pairs_and_private_files() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let creds = Credentials {
            bearer: Some("tok".into()),
            ca: Some(b"CA".to_vec()),
            ..Default::default()
        };
        let env: BTreeMap<_, _> = git_env(&creds, scratch.path())
            .expect("env")
            .into_iter()
            .collect();
        assert_eq!(env["GIT_CONFIG_COUNT"], "2");
        assert_eq!(env["GIT_CONFIG_VALUE_0"], "Authorization: Bearer tok");
        assert_eq!(env["GIT_CONFIG_KEY_1"], "http.sslCAInfo");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&env["GIT_CONFIG_VALUE_1"])
                .expect("ca")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
