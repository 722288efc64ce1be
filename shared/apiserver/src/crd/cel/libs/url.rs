//! Kubernetes' URLs library: `url(<string>)`, `isURL(<string>)` and the `get*` accessors of
//! a `kubernetes.URL`, with Go's `net/url` parsing.

use std::collections::HashMap;

use cel::common::types::{CelBool, CelList, CelMap, CelMapKey, CelString};
use cel::common::value::Val;
use cel::{DeclarationError, Env, ExecutionError};

use super::fail;
use super::gourl::{GoUrl, parse_any, parse_request_uri};
use super::opaque::opaque;

/// A parsed URL, as `url()` returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct Url(GoUrl);
opaque!(Url, "kubernetes.URL");

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn url: (CelString) -> Result<Url>, id = "string_to_url")?;
    cel::add_overload!(env, fn is_url: (CelString) -> CelBool, name = "isURL", id = "is_url_string")?;
    cel::add_member_overload!(env, fn get_scheme: (Url) -> CelString, id = "url_get_scheme")?;
    cel::add_member_overload!(env, fn get_host: (Url) -> CelString, id = "url_get_host")?;
    cel::add_member_overload!(env, fn get_hostname: (Url) -> CelString, id = "url_get_hostname")?;
    cel::add_member_overload!(env, fn get_port: (Url) -> CelString, id = "url_get_port")?;
    cel::add_member_overload!(env, fn get_escaped_path: (Url) -> CelString,
        id = "url_get_escaped_path")?;
    cel::add_member_overload!(env, fn get_query: (Url) -> CelMap, id = "url_get_query")?;
    Ok(())
}

fn url(s: &CelString<'_>) -> Result<Url, ExecutionError> {
    let err = |e: String| {
        fail(
            "url",
            format!("URL parse error during conversion from string: {e}"),
        )
    };
    // As kube does: ParseRequestURI decides validity (absolute URI or absolute path), and
    // Parse, which handles fragments properly, gives the parts.
    parse_request_uri(s.inner()).map_err(err)?;
    parse_any(s.inner()).map(Url).map_err(err)
}

fn is_url(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_request_uri(s.inner()).is_ok())
}

fn text(s: &str) -> CelString<'static> {
    CelString::from(s.to_string())
}

fn get_scheme(u: &Url) -> CelString<'static> {
    text(&u.0.scheme)
}

fn get_host(u: &Url) -> CelString<'static> {
    text(&u.0.host)
}

fn get_hostname(u: &Url) -> CelString<'static> {
    text(u.0.hostname())
}

fn get_port(u: &Url) -> CelString<'static> {
    text(u.0.port())
}

fn get_escaped_path(u: &Url) -> CelString<'static> {
    text(&u.0.escaped_path())
}

fn get_query(u: &Url) -> CelMap<'static> {
    let map: HashMap<CelMapKey<'static>, Box<dyn Val>> =
        u.0.query()
            .into_iter()
            .map(|(k, values)| {
                let list: Vec<Box<dyn Val>> = values
                    .into_iter()
                    .map(|v| Box::new(CelString::from(v)) as Box<dyn Val>)
                    .collect();
                (
                    CelMapKey::from(k),
                    Box::new(CelList::from(list)) as Box<dyn Val>,
                )
            })
            .collect();
    CelMap::from(map)
}
