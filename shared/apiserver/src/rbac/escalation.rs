//! Privilege-escalation prevention as the real RBAC storage does it: a Role or ClusterRole can
//! only be written by a user who holds every permission it grants (or may `escalate`), and a
//! binding only by one who holds every permission of the role it binds (or may `bind` it).
//! members of system:masters are exempt.

use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef};
use serde_json::Value;

use super::{Attributes, MASTERS, Policy, PolicyCache, authorize};
use crate::api::Api;
use crate::auth::UserInfo;
use crate::error::ApiError;
use crate::meta::meta_str;
use crate::registry::ResourceType;

const GROUP: &str = "rbac.authorization.k8s.io";

/// The pieces of `wanted` that no rule of `owned` covers (`validation.Covers`).
pub fn uncovered(owned: &[PolicyRule], wanted: &[PolicyRule]) -> Vec<PolicyRule> {
    wanted
        .iter()
        .flat_map(breakdown)
        .filter(|sub| !owned.iter().any(|o| covers(o, sub)))
        .collect()
}

fn one(s: &str) -> Option<Vec<String>> {
    Some(vec![s.to_string()])
}

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or(&[])
}

/// A rule split into rules of one verb, group, resource and name each (`BreakdownRule`).
fn breakdown(rule: &PolicyRule) -> Vec<PolicyRule> {
    let mut out = Vec::new();
    for group in list(&rule.api_groups) {
        for resource in list(&rule.resources) {
            for verb in &rule.verbs {
                let base = PolicyRule {
                    api_groups: one(group),
                    resources: one(resource),
                    verbs: vec![verb.clone()],
                    ..Default::default()
                };
                match list(&rule.resource_names) {
                    [] => out.push(base),
                    names => out.extend(names.iter().map(|n| PolicyRule {
                        resource_names: one(n),
                        ..base.clone()
                    })),
                }
            }
        }
    }
    for url in list(&rule.non_resource_urls) {
        for verb in &rule.verbs {
            out.push(PolicyRule {
                non_resource_urls: one(url),
                verbs: vec![verb.clone()],
                ..Default::default()
            });
        }
    }
    out
}

fn has(set: &[String], s: &str) -> bool {
    set.iter().any(|x| x == s)
}

fn has_all(set: &[String], want: &[String]) -> bool {
    want.iter().all(|w| has(set, w))
}

/// Whether one rule grants everything another does (`ruleCovers`).
fn covers(owner: &PolicyRule, sub: &PolicyRule) -> bool {
    let verbs = has(&owner.verbs, "*") || has_all(&owner.verbs, &sub.verbs);
    let groups = has(list(&owner.api_groups), "*")
        || has_all(list(&owner.api_groups), list(&sub.api_groups));
    let resources = resources_cover(list(&owner.resources), list(&sub.resources));
    let urls = list(&sub.non_resource_urls).iter().all(|p| {
        list(&owner.non_resource_urls).iter().any(|o| {
            o == p
                || o.strip_suffix('*')
                    .is_some_and(|prefix| p.starts_with(prefix.trim_end_matches('*')))
        })
    });
    let (on, sn) = (list(&owner.resource_names), list(&sub.resource_names));
    let names = on.is_empty() || (!sn.is_empty() && has_all(on, sn));
    verbs && groups && resources && names && urls
}

fn resources_cover(owner: &[String], sub: &[String]) -> bool {
    if has(owner, "*") || has_all(owner, sub) {
        return true;
    }
    sub.iter().all(|path| {
        has(owner, path)
            || path
                .split_once('/')
                .is_some_and(|(_, subresource)| has(owner, &format!("*/{subresource}")))
    })
}

/// `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}`, with rules that
/// differ only in verbs merged, as the real message lists what is missing.
pub fn compact(rules: &[PolicyRule]) -> String {
    let mut merged: Vec<PolicyRule> = Vec::new();
    for r in rules {
        let same = |m: &PolicyRule| {
            m.api_groups == r.api_groups
                && m.resources == r.resources
                && m.resource_names == r.resource_names
                && m.non_resource_urls == r.non_resource_urls
        };
        match merged.iter_mut().find(|m| same(m)) {
            Some(m) if !m.verbs.contains(&r.verbs[0]) => m.verbs.extend(r.verbs.clone()),
            Some(_) => {}
            None => merged.push(r.clone()),
        }
    }
    let q = |v: &[String]| {
        format!(
            "[{}]",
            v.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    merged
        .iter()
        .map(|r| {
            let mut parts = Vec::new();
            for (label, v) in [
                ("APIGroups", list(&r.api_groups)),
                ("Resources", list(&r.resources)),
                ("NonResourceURLs", list(&r.non_resource_urls)),
                ("ResourceNames", list(&r.resource_names)),
                ("Verbs", r.verbs.as_slice()),
            ] {
                if !v.is_empty() {
                    parts.push(format!("{label}:{}", q(v)));
                }
            }
            format!("{{{}}}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn rules_of(obj: &Value) -> Vec<PolicyRule> {
    obj.get("rules")
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .unwrap_or_default()
}

/// The 403 of an RBAC write: `roles.rbac.authorization.k8s.io "x" is forbidden: ...`.
fn refuse(rt: &ResourceType, name: &str, why: String) -> ApiError {
    let mut e = ApiError::forbidden(format!(
        "{}.{GROUP} {name:?} is forbidden: {why}",
        rt.resource
    ));
    e.details = Some(serde_json::json!({"name": name, "group": GROUP, "kind": rt.resource}));
    e
}

/// Whether an update changes only what garbage collection and deletion change (finalizers,
/// owner references, the deletion stamp), which the real server lets through unchecked.
fn only_gc_fields(old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in [
                "finalizers",
                "ownerReferences",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "generation",
                "resourceVersion",
                "managedFields",
            ] {
                m.remove(k);
            }
        }
        v
    };
    strip(old) == strip(new)
}

/// Checks a Role, ClusterRole or binding about to be written (over `old` for updates) by the
/// request's user (set only when RBAC is on; the server's own writes are not checked).
pub fn check(
    api: &Api,
    rt: &ResourceType,
    obj: &Value,
    old: Option<&Value>,
) -> Result<(), ApiError> {
    let Some(user) = crate::auth::requester() else {
        return Ok(());
    };
    if rt.group != GROUP
        || user.groups.iter().any(|g| g == MASTERS)
        || old.is_some_and(|o| only_gc_fields(o, obj))
    {
        return Ok(());
    }
    let policy = PolicyCache::default().get(&api.store);
    let name = meta_str(obj, "name");
    let ns = if rt.namespaced {
        meta_str(obj, "namespace")
    } else {
        ""
    };
    let allowed = |verb: &str, resource: &str, target: &str| {
        authorize(
            &policy,
            &user,
            &Attributes::resource(verb, GROUP, resource, ns).named(target),
        )
        .allowed()
    };
    let wanted = match rt.resource.as_str() {
        "roles" | "clusterroles" => {
            if allowed("escalate", &rt.resource, name) {
                return Ok(());
            }
            if obj.get("aggregationRule").is_some_and(|a| !a.is_null()) {
                return Err(refuse(
                    rt,
                    name,
                    "must have cluster-admin privileges to use the aggregationRule".into(),
                ));
            }
            rules_of(obj)
        }
        "rolebindings" | "clusterrolebindings" => {
            let role_ref: RoleRef = obj
                .get("roleRef")
                .and_then(|r| serde_json::from_value(r.clone()).ok())
                .unwrap_or_default();
            let role_resource = if role_ref.kind == "Role" {
                "roles"
            } else {
                "clusterroles"
            };
            if allowed("bind", role_resource, &role_ref.name) {
                return Ok(());
            }
            policy
                .role_rules(&role_ref, ns)
                .map_err(|e| refuse(rt, name, e.to_string()))?
                .to_vec()
        }
        _ => return Ok(()),
    };
    confirm(&policy, &user, ns, &wanted).map_err(|why| refuse(rt, name, why))
}

/// `ConfirmNoEscalation`: the user's rules in `namespace` must cover `wanted`.
fn confirm(
    policy: &Policy,
    user: &UserInfo,
    namespace: &str,
    wanted: &[PolicyRule],
) -> Result<(), String> {
    let (owned, _) = policy.rules_for(user, namespace);
    let missing = uncovered(&owned, wanted);
    if missing.is_empty() {
        return Ok(());
    }
    let groups: Vec<String> = user.groups.iter().map(|g| format!("{g:?}")).collect();
    Err(format!(
        "user {:?} (groups=[{}]) is attempting to grant RBAC permissions not currently held:\n{}",
        user.name,
        groups.join(" "),
        compact(&missing)
    ))
}
