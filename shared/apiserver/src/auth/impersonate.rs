//! Impersonation as kube-apiserver's filter does it: the `Impersonate-User`, `-Group`
//! (repeated), `-Uid` and `-Extra-KEY` headers become a list of targets, each one an
//! `impersonate` check on users, serviceaccounts, groups, uids or userextras, and together the
//! identity the request then runs as.

use std::fmt;

use axum::http::HeaderMap;

use super::{ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, UserInfo};
use crate::rbac::Attributes;

const USER: &str = "impersonate-user";
const GROUP: &str = "impersonate-group";
const UID: &str = "impersonate-uid";
const EXTRA: &str = "impersonate-extra-";

/// One thing a request asks to act as.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    User(String),
    ServiceAccount { namespace: String, name: String },
    Group(String),
    Extra { key: String, value: String },
    Uid(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::User(n) => write!(f, "User {n:?}"),
            Target::ServiceAccount { namespace, name } => {
                write!(f, "ServiceAccount {:?}", format!("{namespace}/{name}"))
            }
            Target::Group(n) => write!(f, "Group {n:?}"),
            Target::Extra { key, value } => write!(f, "UserExtra {key}={value:?}"),
            Target::Uid(u) => write!(f, "UID {u:?}"),
        }
    }
}

/// Groups, extras or a uid asked for without a user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("requested [{}] without impersonating a user", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
pub struct WithoutUser(pub Vec<Target>);

fn values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
}

/// The targets of a request's headers, in the real filter's order; empty when none is set.
pub fn targets(headers: &HeaderMap) -> Result<Vec<Target>, WithoutUser> {
    let mut out = Vec::new();
    let user = values(headers, USER).next();
    if let Some(u) = user {
        out.push(match super::split_service_account(u) {
            Some((namespace, name)) => Target::ServiceAccount {
                namespace: namespace.into(),
                name: name.into(),
            },
            None => Target::User(u.into()),
        });
    }
    out.extend(values(headers, GROUP).map(|g| Target::Group(g.into())));
    for name in headers.keys() {
        let Some(raw) = name.as_str().strip_prefix(EXTRA) else {
            continue;
        };
        let key = percent_decode(raw);
        out.extend(values(headers, name.as_str()).map(|v| Target::Extra {
            key: key.clone(),
            value: v.into(),
        }));
    }
    if let Some(uid) = values(headers, UID).next() {
        out.push(Target::Uid(uid.into()));
    }
    if user.is_none() && !out.is_empty() {
        return Err(WithoutUser(out));
    }
    Ok(out)
}

/// `%2F` and the like in extra keys (header names cannot carry every character).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Target {
    /// What the requester must be allowed for this target.
    pub fn check(&self) -> Attributes {
        let core = |resource: &str, name: &str| {
            let mut a = Attributes::resource("impersonate", "", resource, "").named(name);
            a.api_version = "v1".into();
            a
        };
        let authn = |resource: &str, name: &str| {
            let mut a = Attributes::resource("impersonate", "authentication.k8s.io", resource, "")
                .named(name);
            a.api_version = "v1".into();
            a
        };
        match self {
            Target::User(n) => core("users", n),
            Target::Group(n) => core("groups", n),
            Target::ServiceAccount { namespace, name } => {
                let mut a = core("serviceaccounts", name);
                a.namespace = namespace.clone();
                a
            }
            Target::Extra { key, value } => authn("userextras", value).with_subresource(key),
            Target::Uid(u) => authn("uids", u),
        }
    }
}

/// The identity the targets make: the user (or service account, with its groups unless groups
/// are given), the groups, extras and uid, plus system:authenticated as the real filter adds.
pub fn identity(targets: &[Target]) -> UserInfo {
    let groups_given = targets.iter().any(|t| matches!(t, Target::Group(_)));
    let mut u = UserInfo::default();
    for t in targets {
        match t {
            Target::User(n) => u.name = n.clone(),
            Target::ServiceAccount { namespace, name } => {
                u.name = format!("system:serviceaccount:{namespace}:{name}");
                if !groups_given {
                    u.groups = super::service_account_groups(namespace);
                }
            }
            Target::Group(g) => u.groups.push(g.clone()),
            Target::Extra { key, value } => {
                u.extra.entry(key.clone()).or_default().push(value.clone())
            }
            Target::Uid(id) => u.uid = id.clone(),
        }
    }
    let has = |g: &str| u.groups.iter().any(|x| x == g);
    if u.name != ANONYMOUS {
        if !has(AUTHENTICATED) && !has(UNAUTHENTICATED) {
            u.groups.push(AUTHENTICATED.into());
        }
    } else if !has(UNAUTHENTICATED) {
        u.groups.push(UNAUTHENTICATED.into());
    }
    u
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn service_accounts_get_their_groups_unless_groups_are_given() {
        let t = targets(&headers(&[(
            "impersonate-user",
            "system:serviceaccount:t1:sa",
        )]))
        .expect("valid");
        assert_eq!(
            t,
            vec![Target::ServiceAccount {
                namespace: "t1".into(),
                name: "sa".into()
            }]
        );
        let u = identity(&t);
        assert_eq!(u.name, "system:serviceaccount:t1:sa");
        assert_eq!(
            u.groups,
            vec![
                "system:serviceaccounts",
                "system:serviceaccounts:t1",
                "system:authenticated"
            ]
        );
        let check = t[0].check();
        assert_eq!(
            (
                check.verb.as_str(),
                check.resource.as_str(),
                check.namespace.as_str()
            ),
            ("impersonate", "serviceaccounts", "t1")
        );
        let t = targets(&headers(&[
            ("impersonate-user", "system:serviceaccount:t1:sa"),
            ("impersonate-group", "g"),
        ]))
        .expect("valid");
        assert_eq!(identity(&t).groups, vec!["g", "system:authenticated"]);
    }

    #[test]
    fn users_groups_extras_and_uids() {
        let t = targets(&headers(&[
            ("impersonate-user", "jane"),
            ("impersonate-group", "a"),
            ("impersonate-group", "b"),
            ("impersonate-extra-scopes%2fx", "view"),
            ("impersonate-uid", "1234"),
        ]))
        .expect("valid");
        assert_eq!(t.len(), 5);
        let u = identity(&t);
        assert_eq!(u.name, "jane");
        assert_eq!(u.uid, "1234");
        assert_eq!(u.groups, vec!["a", "b", "system:authenticated"]);
        assert_eq!(u.extra["scopes/x"], vec!["view"]);
        let extra = t[3].check();
        assert_eq!(
            (
                extra.api_group.as_str(),
                extra.resource.as_str(),
                extra.subresource.as_str()
            ),
            ("authentication.k8s.io", "userextras", "scopes/x")
        );
        let u = identity(&[Target::User(ANONYMOUS.into())]);
        assert_eq!(u.groups, vec![UNAUTHENTICATED]);
    }

    #[test]
    fn groups_need_a_user() {
        let e = targets(&headers(&[("impersonate-group", "a")])).expect_err("needs a user");
        assert_eq!(
            e.to_string(),
            "requested [Group \"a\"] without impersonating a user"
        );
        assert_eq!(targets(&HeaderMap::new()), Ok(vec![]));
    }
}
