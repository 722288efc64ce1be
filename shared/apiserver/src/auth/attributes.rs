//! What a request asks, for the authorizer: kube-apiserver's RequestInfo (verb from the
//! method, `list`/`watch` for collections, a single-name field selector as the name, the
//! namespace of a namespace request) or a non-resource path.

use std::collections::HashMap;

use axum::http::Method;

use crate::http::path::{self, ApiPath, ResourcePath};
use crate::rbac::Attributes;

/// The attributes of a request.
pub fn of_request(method: &Method, path: &str, query: &HashMap<String, String>) -> Attributes {
    match path::parse(path) {
        Some(ApiPath::Resource(rp)) => of_resource(method, rp, query),
        _ => Attributes::non_resource(&method.as_str().to_ascii_lowercase(), path),
    }
}

fn of_resource(method: &Method, rp: ResourcePath, q: &HashMap<String, String>) -> Attributes {
    let mut verb = if rp.watch {
        "watch"
    } else {
        match method.as_str() {
            "POST" => "create",
            "GET" | "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        }
    };
    let mut name = rp.name.clone().unwrap_or_default();
    if name.is_empty() && verb == "get" {
        let watch = q.get("watch").is_some_and(|w| w == "true" || w == "1");
        verb = if watch { "watch" } else { "list" };
    }
    if name.is_empty()
        && matches!(verb, "list" | "watch")
        && let Some(n) = q.get("fieldSelector").and_then(|s| exact_name(s))
    {
        name = n;
    }
    if name.is_empty() && verb == "delete" {
        verb = "deletecollection";
    }
    let namespace = if rp.group.is_empty() && rp.resource == "namespaces" {
        rp.name.clone().unwrap_or_default()
    } else {
        rp.namespace.clone().unwrap_or_default()
    };
    let mut a = Attributes::resource(verb, &rp.group, &rp.resource, &namespace).named(&name);
    a.api_version = rp.version;
    a.subresource = rp.subresource.unwrap_or_default();
    a
}

/// The name a field selector requires exactly (`metadata.name=x`, alone or among others).
fn exact_name(selector: &str) -> Option<String> {
    selector.split(',').find_map(|term| {
        let value = term
            .trim()
            .strip_prefix("metadata.name")?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.strip_prefix('=').unwrap_or(value).trim();
        let valid = !value.is_empty()
            && value != "."
            && value != ".."
            && !value.contains('/')
            && !value.contains('%');
        valid.then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(method: Method, path: &str, query: &[(&str, &str)]) -> Attributes {
        let q = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        of_request(&method, path, &q)
    }

    #[test]
    fn resource_requests_as_request_info_reads_them() {
        // method, path, query -> verb, group, resource/sub, namespace, name
        type Case<'a> = (
            Method,
            &'a str,
            &'a [(&'a str, &'a str)],
            &'a str,
            &'a str,
            &'a str,
            &'a str,
            &'a str,
        );
        let cases: &[Case] = &[
            // method, path, query -> verb, group, resource/sub, namespace, name
            (
                Method::GET,
                "/api/v1/namespaces/a/configmaps",
                &[],
                "list",
                "",
                "configmaps",
                "a",
                "",
            ),
            (
                Method::GET,
                "/api/v1/namespaces/a/configmaps",
                &[("watch", "true")],
                "watch",
                "",
                "configmaps",
                "a",
                "",
            ),
            (
                Method::GET,
                "/api/v1/namespaces/a/configmaps",
                &[("fieldSelector", "metadata.name=x")],
                "list",
                "",
                "configmaps",
                "a",
                "x",
            ),
            (
                Method::GET,
                "/api/v1/watch/namespaces/a/configmaps/x",
                &[],
                "watch",
                "",
                "configmaps",
                "a",
                "x",
            ),
            (
                Method::GET,
                "/api/v1/namespaces/a/configmaps/x",
                &[],
                "get",
                "",
                "configmaps",
                "a",
                "x",
            ),
            (
                Method::POST,
                "/apis/apps/v1/namespaces/a/deployments",
                &[],
                "create",
                "apps",
                "deployments",
                "a",
                "",
            ),
            (
                Method::PUT,
                "/apis/apps/v1/namespaces/a/deployments/d/status",
                &[],
                "update",
                "apps",
                "deployments/status",
                "a",
                "d",
            ),
            (
                Method::PATCH,
                "/apis/apps/v1/namespaces/a/deployments/d",
                &[],
                "patch",
                "apps",
                "deployments",
                "a",
                "d",
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/a/secrets",
                &[],
                "deletecollection",
                "",
                "secrets",
                "a",
                "",
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/a/secrets/s",
                &[],
                "delete",
                "",
                "secrets",
                "a",
                "s",
            ),
            (
                Method::GET,
                "/api/v1/namespaces/a",
                &[],
                "get",
                "",
                "namespaces",
                "a",
                "a",
            ),
            (
                Method::GET,
                "/api/v1/namespaces",
                &[],
                "list",
                "",
                "namespaces",
                "",
                "",
            ),
            (
                Method::GET,
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/view",
                &[],
                "get",
                "rbac.authorization.k8s.io",
                "clusterroles",
                "",
                "view",
            ),
        ];
        for (m, path, q, verb, group, res, ns, name) in cases {
            let a = attrs(m.clone(), path, q);
            assert_eq!(
                (
                    a.verb.as_str(),
                    a.api_group.as_str(),
                    a.combined_resource().as_str(),
                    a.namespace.as_str(),
                    a.name.as_str()
                ),
                (*verb, *group, *res, *ns, *name),
                "{m} {path} {q:?}"
            );
            assert!(a.is_resource());
        }
    }

    #[test]
    fn other_paths_are_non_resource_requests() {
        for path in [
            "/version",
            "/api",
            "/apis",
            "/apis/apps/v1",
            "/openapi/v2",
            "/healthz",
        ] {
            let a = attrs(Method::GET, path, &[]);
            assert_eq!((a.verb.as_str(), a.path.as_deref()), ("get", Some(path)));
        }
    }

    #[test]
    fn field_selector_names() {
        assert_eq!(exact_name("metadata.name==x"), Some("x".into()));
        assert_eq!(
            exact_name("status.phase=Running,metadata.name=y"),
            Some("y".into())
        );
        assert_eq!(exact_name("metadata.name!=x"), None);
        assert_eq!(exact_name("metadata.namespace=x"), None);
    }
}
