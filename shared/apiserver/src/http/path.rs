//! Request paths as kube-apiserver parses them: discovery documents, and resource paths
//! `/api/v1/...` and `/apis/G/V/...` with `watch/`, namespaces, names and subresources.

/// What a path under `/api` or `/apis` names.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiPath {
    /// `/api`
    CoreVersions,
    /// `/apis`
    Groups,
    /// `/apis/G`
    Group(String),
    /// `/api/v1` or `/apis/G/V`
    Resources { group: String, version: String },
    /// A resource (collection or object).
    Resource(ResourcePath),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourcePath {
    pub group: String,
    pub version: String,
    /// The `/watch/` prefix form.
    pub watch: bool,
    pub namespace: Option<String>,
    pub resource: String,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

const NAMESPACE_SUBRESOURCES: &[&str] = &["status", "finalize"];

/// Parses a path; `None` when it is not an API path at all.
pub fn parse(path: &str) -> Option<ApiPath> {
    let parts: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let (group, version, rest) = match parts.as_slice() {
        ["api"] => return Some(ApiPath::CoreVersions),
        ["apis"] => return Some(ApiPath::Groups),
        ["apis", g] => return Some(ApiPath::Group(g.to_string())),
        ["api", v, rest @ ..] => (String::new(), v.to_string(), rest),
        ["apis", g, v, rest @ ..] => (g.to_string(), v.to_string(), rest),
        _ => return None,
    };
    if rest.is_empty() {
        return Some(ApiPath::Resources { group, version });
    }
    let mut rp = ResourcePath {
        group,
        version,
        ..Default::default()
    };
    let mut rest = rest;
    if rest[0] == "watch" {
        rp.watch = true;
        rest = &rest[1..];
    }
    if rest.first() == Some(&"namespaces") && rest.len() > 1 {
        rp.namespace = Some(rest[1].to_string());
        if rest.len() > 2 && !NAMESPACE_SUBRESOURCES.contains(&rest[2]) {
            rest = &rest[2..];
        }
    }
    let resource = rest.first()?;
    rp.resource = resource.to_string();
    if rp.resource == "namespaces" {
        // `/api/v1/namespaces/NAME[/status|finalize]`: the namespace is the object.
        rp.name = rp.namespace.take();
        rp.subresource = rest.get(2).map(|s| s.to_string());
        if rest.len() > 3 {
            return None;
        }
        return Some(ApiPath::Resource(rp));
    }
    rp.name = rest.get(1).map(|s| s.to_string());
    rp.subresource = rest.get(2).map(|s| s.to_string());
    if rest.len() > 3 {
        return None;
    }
    Some(ApiPath::Resource(rp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rp(path: &str) -> ResourcePath {
        match parse(path) {
            Some(ApiPath::Resource(r)) => r,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn parses_like_upstream() {
        assert_eq!(parse("/api"), Some(ApiPath::CoreVersions));
        assert_eq!(parse("/apis/apps"), Some(ApiPath::Group("apps".into())));
        assert_eq!(
            parse("/apis/apps/v1"),
            Some(ApiPath::Resources {
                group: "apps".into(),
                version: "v1".into()
            })
        );
        let r = rp("/api/v1/namespaces/default/configmaps/x");
        assert_eq!(
            (
                r.namespace.as_deref(),
                r.resource.as_str(),
                r.name.as_deref()
            ),
            (Some("default"), "configmaps", Some("x"))
        );
        let r = rp("/api/v1/namespaces/default");
        assert_eq!(
            (r.namespace, r.resource.as_str(), r.name.as_deref()),
            (None, "namespaces", Some("default"))
        );
        let r = rp("/api/v1/namespaces/default/status");
        assert_eq!(
            (r.name.as_deref(), r.subresource.as_deref()),
            (Some("default"), Some("status"))
        );
        let r = rp("/apis/apps/v1/watch/namespaces/a/deployments");
        assert!(r.watch);
        assert_eq!(r.namespace.as_deref(), Some("a"));
        let r = rp("/apis/x.io/v1/namespaces/a/foos/b/status");
        assert_eq!(r.subresource.as_deref(), Some("status"));
        let r = rp("/apis/rbac.authorization.k8s.io/v1/clusterroles/admin");
        assert_eq!((r.namespace, r.name.as_deref()), (None, Some("admin")));
        assert_eq!(parse("/metrics"), None);
    }
}
