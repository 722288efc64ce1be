//! Sprig's urlParse and urlJoin over Go's `net/url` rules: scheme, opaque, userinfo, host,
//! path (unescaped on parse, escaped on join), raw query and fragment.

use super::{err, strval};
use crate::template::{Dict, FuncError, FuncMap, Param, Signature, Value};

fn unescape(x: &str) -> Result<String, FuncError> {
    let b = x.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = x
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
            let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                let bad: String = x[i..].chars().take(3).collect();
                return Err(err(format!(
                    "invalid URL escape {}",
                    crate::template::quote(&bad)
                )));
            };
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `shouldEscape` for paths (`fragment`: fragments).
fn escape(x: &str, fragment: bool) -> String {
    let mut out = String::new();
    for &c in x.as_bytes() {
        let keep = c.is_ascii_alphanumeric()
            || b"-_.~$&+,/:;=@".contains(&c)
            || (fragment && b"?!()*".contains(&c));
        if keep {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

struct Url {
    scheme: String,
    opaque: String,
    user: Option<String>,
    host: String,
    path: String,
    query: String,
    fragment: String,
}

fn parse(raw: &str) -> Result<Url, FuncError> {
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, unescape(f)?),
        None => (raw, String::new()),
    };
    let mut u = Url {
        scheme: String::new(),
        opaque: String::new(),
        user: None,
        host: String::new(),
        path: String::new(),
        query: String::new(),
        fragment,
    };
    let mut rest = rest;
    if let Some(i) = rest.find(':') {
        let sch = &rest[..i];
        let valid = sch.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && sch
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if valid {
            u.scheme = sch.to_ascii_lowercase();
            rest = &rest[i + 1..];
        } else if i == 0 {
            return Err(err("missing protocol scheme"));
        }
    }
    if let Some((r, q)) = rest.split_once('?') {
        u.query = q.to_string();
        rest = r;
    }
    if !u.scheme.is_empty() && !rest.starts_with('/') {
        u.opaque = rest.to_string();
        return Ok(u);
    }
    if let Some(auth) = rest.strip_prefix("//") {
        let end = auth.find('/').unwrap_or(auth.len());
        let authority = &auth[..end];
        rest = &auth[end..];
        match authority.rsplit_once('@') {
            Some((user, host)) => {
                u.user = Some(user.to_string());
                u.host = host.to_string();
            }
            None => u.host = authority.to_string(),
        }
    }
    u.path = unescape(rest)?;
    Ok(u)
}

fn hostname(host: &str) -> &str {
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

fn join(u: &Url) -> String {
    let mut out = String::new();
    if !u.scheme.is_empty() {
        out.push_str(&u.scheme);
        out.push(':');
    }
    if !u.opaque.is_empty() {
        out.push_str(&u.opaque);
    } else {
        if !u.scheme.is_empty() || !u.host.is_empty() || u.user.is_some() {
            if !u.host.is_empty() || !u.path.is_empty() || u.user.is_some() {
                out.push_str("//");
            }
            if let Some(user) = &u.user {
                out.push_str(user);
                out.push('@');
            }
            out.push_str(&u.host);
        }
        let path = escape(&u.path, false);
        if !path.is_empty() && !path.starts_with('/') && !u.host.is_empty() {
            out.push('/');
        }
        if out.is_empty() && path.split('/').next().is_some_and(|seg| seg.contains(':')) {
            out.push_str("./");
        }
        out.push_str(&path);
    }
    if !u.query.is_empty() {
        out.push('?');
        out.push_str(&u.query);
    }
    if !u.fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&u.fragment, true));
    }
    out
}

pub(super) fn register(map: &mut FuncMap) {
    map.add("urlParse", Signature::new([Param::String]), |_, a| {
        let raw = a.first().and_then(Value::as_str).unwrap_or("");
        let u = parse(raw).map_err(|e| {
            err(format!(
                "unable to parse url: parse {}: {e}",
                crate::template::quote(raw)
            ))
        })?;
        let d = Dict::new();
        let host = hostname(&u.host).to_string();
        for (k, v) in [
            ("scheme", u.scheme),
            ("hostname", host),
            ("host", u.host),
            ("path", u.path),
            ("query", u.query),
            ("opaque", u.opaque),
            ("fragment", u.fragment),
            ("userinfo", u.user.unwrap_or_default()),
        ] {
            d.insert(k, Value::from(v));
        }
        Ok(Value::Dict(d))
    });
    map.add("urlJoin", Signature::new([Param::Dict]), |_, a| {
        let d = match a.first().map(Value::deref_object) {
            Some(Value::Dict(d)) => d,
            _ => Dict::new(),
        };
        let part = |k: &str| d.get(k).map_or(String::new(), |v| strval(&v));
        let user = part("userinfo");
        let u = Url {
            scheme: part("scheme"),
            opaque: part("opaque"),
            user: (!user.is_empty()).then_some(user),
            host: part("host"),
            path: part("path"),
            query: part("query"),
            fragment: part("fragment"),
        };
        Ok(Value::from(join(&u)))
    });
}
