//! Discovery documents in their legacy (non-aggregated) form, which kubectl and client-go
//! fall back to: /api, /apis, /apis/G, and the APIResourceList of each group-version.

use serde_json::{Value, json};

use crate::registry::Registry;

fn gv(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

fn group_doc(group: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": gv(group, v), "version": v}))
        .collect();
    json!({
        "name": group,
        "versions": vs,
        "preferredVersion": vs.first().cloned().unwrap_or_else(|| json!({})),
    })
}

/// `/api`
pub fn core_versions(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    })
}

/// `/apis`
pub fn groups(reg: &Registry) -> Value {
    let groups: Vec<Value> = reg
        .groups()
        .iter()
        .filter(|(g, _)| !g.is_empty())
        .map(|(g, vs)| group_doc(g, vs))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `/apis/G`, if the group is served.
pub fn group(reg: &Registry, name: &str) -> Option<Value> {
    let groups = reg.groups();
    let (g, vs) = groups.iter().find(|(g, _)| g == name && !g.is_empty())?;
    let mut doc = group_doc(g, vs);
    doc["kind"] = json!("APIGroup");
    doc["apiVersion"] = json!("v1");
    Some(doc)
}

/// `/api/v1` or `/apis/G/V`, if served.
pub fn resources(reg: &Registry, group: &str, version: &str) -> Option<Value> {
    let types: Vec<_> = reg
        .all()
        .into_iter()
        .filter(|t| t.group == group && t.version == version)
        .collect();
    if types.is_empty() {
        return None;
    }
    let mut list = Vec::new();
    for t in &types {
        let mut r = json!({
            "name": t.resource,
            "singularName": t.singular,
            "namespaced": t.namespaced,
            "kind": t.kind,
            "verbs": t.verbs,
        });
        if !t.short_names.is_empty() {
            r["shortNames"] = json!(t.short_names);
        }
        if !t.categories.is_empty() {
            r["categories"] = json!(t.categories);
        }
        list.push(r);
        for sub in &t.subresources {
            let verbs: &[&str] = match sub.as_str() {
                "status" => &["get", "patch", "update"],
                "finalize" => &["update"],
                // TokenRequest, answered by the auth guard.
                "token" => &["create"],
                _ => continue,
            };
            let mut r = json!({
                "name": format!("{}/{sub}", t.resource),
                "singularName": "",
                "namespaced": t.namespaced,
                "kind": t.kind,
                "verbs": verbs,
            });
            if sub == "token" {
                r["group"] = json!("authentication.k8s.io");
                r["version"] = json!("v1");
                r["kind"] = json!("TokenRequest");
            }
            list.push(r);
        }
    }
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv(group, version),
        "resources": list,
    }))
}
