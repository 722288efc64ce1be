//! Registry credentials: `.dockerconfigjson` pull secrets matched to the registry host, and the
//! `WWW-Authenticate` challenge (Basic, or Bearer with a token realm) a registry answers with.

use std::collections::BTreeMap;

use base64::Engine;

/// A user name and password for one registry. Debug never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// The `Authorization` value of HTTP basic auth.
    pub fn basic_header(&self) -> String {
        let raw = format!("{}:{}", self.username, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// The registry host a config key names: scheme and path dropped (`https://host/v1/` -> `host`).
fn key_host(key: &str) -> &str {
    let rest = key.split_once("://").map_or(key, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// Docker Hub answers to several names.
fn canonical(host: &str) -> &str {
    match host {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => "index.docker.io",
        h => h,
    }
}

/// The credentials for `registry` in one pull secret's data (`.dockerconfigjson`, or the
/// legacy `.dockercfg`); `Ok(None)` when the secret has none for that host. Errors name the
/// problem, never the secret's content.
pub fn from_pull_secret(
    data: &BTreeMap<String, Vec<u8>>,
    registry: &str,
) -> Result<Option<Credentials>, String> {
    let (auths, raw) = match (data.get(".dockerconfigjson"), data.get(".dockercfg")) {
        (Some(raw), _) => (true, raw),
        (None, Some(raw)) => (false, raw),
        (None, None) => return Err("secret has no '.dockerconfigjson' key".into()),
    };
    let doc: serde_json::Value = serde_json::from_slice(raw)
        .map_err(|e| format!("invalid docker config JSON at line {}", e.line()))?;
    let entries = match auths {
        true => doc.get("auths").cloned().unwrap_or_default(),
        false => doc,
    };
    let Some(entries) = entries.as_object() else {
        return Ok(None);
    };
    let wanted = canonical(registry);
    let Some(entry) = entries
        .iter()
        .find(|(k, _)| canonical(key_host(k)) == wanted)
        .map(|(_, v)| v)
    else {
        return Ok(None);
    };
    let field = |k: &str| entry.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    if !field("username").is_empty() {
        return Ok(Some(Credentials {
            username: field("username").to_string(),
            password: field("password").to_string(),
        }));
    }
    if field("auth").is_empty() {
        return Ok(None);
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(field("auth"))
        .map_err(|_| format!("invalid 'auth' for registry '{registry}': not base64"))?;
    let text = String::from_utf8(decoded)
        .map_err(|_| format!("invalid 'auth' for registry '{registry}': not UTF-8"))?;
    let (username, password) = text
        .split_once(':')
        .ok_or_else(|| format!("invalid 'auth' for registry '{registry}': no ':'"))?;
    Ok(Some(Credentials {
        username: username.to_string(),
        password: password.to_string(),
    }))
}

/// What a registry asks for on 401.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parses `WWW-Authenticate`: `Basic realm="x"` or `Bearer realm="..",service="..",scope=".."`.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, params) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => Some(Challenge::Basic),
        "bearer" => {
            let params = parse_params(params);
            Some(Challenge::Bearer {
                realm: params.get("realm")?.clone(),
                service: params.get("service").cloned(),
                scope: params.get("scope").cloned(),
            })
        }
        _ => None,
    }
}

/// `k="v",k2="v2"` with commas allowed inside quotes.
fn parse_params(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = s.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            },
            None => after.split_once(',').unwrap_or((after, "")),
        };
        out.insert(key, value.to_string());
        rest = next.trim_start_matches([',', ' ']);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(json: &str) -> BTreeMap<String, Vec<u8>> {
        BTreeMap::from([(".dockerconfigjson".to_string(), json.as_bytes().to_vec())])
    }

    #[test]
    fn pull_secrets() {
        let creds = |u: &str, p: &str| {
            Some(Credentials {
                username: u.into(),
                password: p.into(),
            })
        };
        let cases = [
            (
                r#"{"auths":{"r:5000":{"username":"u","password":"p"}}}"#,
                "r:5000",
                Ok(creds("u", "p")),
            ),
            (
                r#"{"auths":{"https://r:5000/v1/":{"auth":"dTpwOng="}}}"#,
                "r:5000",
                Ok(creds("u", "p:x")),
            ),
            (
                r#"{"auths":{"docker.io":{"auth":"dTpw"}}}"#,
                "index.docker.io",
                Ok(creds("u", "p")),
            ),
            (r#"{"auths":{"other":{"auth":"dTpw"}}}"#, "r:5000", Ok(None)),
            (
                r#"{"auths":{"r":{"auth":"!!"}}}"#,
                "r",
                Err("invalid 'auth' for registry 'r': not base64".to_string()),
            ),
            (
                "not json",
                "r",
                Err("invalid docker config JSON at line 1".to_string()),
            ),
        ];
        for (json, registry, want) in cases {
            assert_eq!(from_pull_secret(&data(json), registry), want, "{json}");
        }
        assert!(from_pull_secret(&BTreeMap::new(), "r").is_err());
        let dbg = format!("{:?}", creds("u", "secret-pw"));
        assert!(!dbg.contains("secret-pw"), "{dbg}");
    }

    #[test]
    fn challenges() {
        assert_eq!(
            parse_challenge(r#"Basic realm="registry""#),
            Some(Challenge::Basic)
        );
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.io/token",service="reg.io",scope="repository:a/b:pull,push""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.io/token".into(),
                service: Some("reg.io".into()),
                scope: Some("repository:a/b:pull,push".into()),
            })
        );
        assert_eq!(parse_challenge("Bearer service=x"), None);
        assert_eq!(parse_challenge("Negotiate"), None);
    }
}
