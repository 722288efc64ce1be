//! A snapshot of the RBAC objects (Roles, ClusterRoles and their bindings) read from the store,
//! with the rule resolution of the real authorizer: which bindings apply to a user, what rules
//! their role grants (ClusterRole aggregation included), and which roles they name are missing.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use k8s_openapi::api::rbac::v1::{AggregationRule, PolicyRule, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::UserInfo;
use crate::selector::labels_of;
use crate::store::{Store, object_rv};

const GROUP: &str = "rbac.authorization.k8s.io";
const RESOURCES: [&str; 4] = [
    "clusterroles",
    "roles",
    "clusterrolebindings",
    "rolebindings",
];

/// A role a binding names that cannot be used; the authorizer reports these as its reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolicyError {
    #[error("clusterrole.rbac.authorization.k8s.io \"{0}\" not found")]
    ClusterRoleNotFound(String),
    #[error("role.rbac.authorization.k8s.io \"{0}\" not found")]
    RoleNotFound(String),
    #[error("unsupported role reference kind: \"{0}\"")]
    UnsupportedKind(String),
}

#[derive(Debug, Clone, Default)]
struct RoleDef {
    rules: Vec<PolicyRule>,
    labels: BTreeMap<String, String>,
    aggregation: Option<AggregationRule>,
}

#[derive(Debug, Clone)]
struct Binding {
    /// `ClusterRoleBinding "x"` or `RoleBinding "x/ns"`, as reasons name the source.
    describe: String,
    namespace: String,
    role_ref: RoleRef,
    subjects: Vec<Subject>,
}

/// The RBAC objects of a cluster.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    cluster_roles: BTreeMap<String, RoleDef>,
    roles: BTreeMap<(String, String), RoleDef>,
    cluster_role_bindings: Vec<Binding>,
    role_bindings: BTreeMap<String, Vec<Binding>>,
}

fn field<T: DeserializeOwned + Default>(obj: &Value, key: &str) -> T {
    obj.get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

fn str_of<'a>(obj: &'a Value, pointer: &str) -> &'a str {
    obj.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn role_def(obj: &Value) -> RoleDef {
    RoleDef {
        rules: field(obj, "rules"),
        labels: labels_of(obj),
        aggregation: obj
            .get("aggregationRule")
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
    }
}

fn binding(obj: &Value, cluster: bool) -> Binding {
    let name = str_of(obj, "/metadata/name");
    let namespace = str_of(obj, "/metadata/namespace").to_string();
    let role_ref: RoleRef = field(obj, "roleRef");
    let describe = if cluster {
        format!("ClusterRoleBinding {name:?}")
    } else {
        format!("RoleBinding {:?}", format!("{name}/{namespace}"))
    };
    Binding {
        describe,
        namespace,
        role_ref,
        subjects: field(obj, "subjects"),
    }
}

impl Policy {
    /// A policy from RBAC objects (anything else is ignored), as stored: with `kind` set.
    pub fn from_objects<'a>(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        let mut p = Policy::default();
        for obj in objects {
            let name = str_of(obj, "/metadata/name").to_string();
            let ns = str_of(obj, "/metadata/namespace").to_string();
            match obj.get("kind").and_then(Value::as_str).unwrap_or("") {
                "ClusterRole" => {
                    p.cluster_roles.insert(name, role_def(obj));
                }
                "Role" => {
                    p.roles.insert((ns, name), role_def(obj));
                }
                "ClusterRoleBinding" => p.cluster_role_bindings.push(binding(obj, true)),
                "RoleBinding" => p
                    .role_bindings
                    .entry(ns)
                    .or_default()
                    .push(binding(obj, false)),
                _ => {}
            }
        }
        p.resolve_aggregation();
        p
    }

    /// Gives each aggregated ClusterRole the rules of the roles it selects, once.
    fn resolve_aggregation(&mut self) {
        let resolved: Vec<(String, Vec<PolicyRule>)> = self
            .cluster_roles
            .iter()
            .filter(|(_, d)| !selectors(d).is_empty())
            .map(|(n, _)| (n.clone(), self.aggregate(n, &mut BTreeSet::new())))
            .collect();
        for (name, rules) in resolved {
            if let Some(d) = self.cluster_roles.get_mut(&name) {
                d.rules = rules;
            }
        }
    }

    /// The rules of the ClusterRoles an aggregated one selects (what the aggregation
    /// controller writes into it), through aggregated roles it selects in turn.
    fn aggregate(&self, name: &str, seen: &mut BTreeSet<String>) -> Vec<PolicyRule> {
        let Some(def) = self.cluster_roles.get(name) else {
            return Vec::new();
        };
        let sels = selectors(def);
        if sels.is_empty() {
            return def.rules.clone();
        }
        seen.insert(name.to_string());
        let mut out: Vec<PolicyRule> = Vec::new();
        for (other, odef) in &self.cluster_roles {
            if seen.contains(other) || !sels.iter().any(|s| selects(s, &odef.labels)) {
                continue;
            }
            for rule in self.aggregate(other, seen) {
                if !out.contains(&rule) {
                    out.push(rule);
                }
            }
        }
        out
    }

    /// Visits the rules that apply to `user` in `namespace` (cluster-wide ones only when it is
    /// empty), binding by binding, until `f` breaks; returns the unusable role references met.
    pub fn visit(
        &self,
        user: &UserInfo,
        namespace: &str,
        f: &mut dyn FnMut(&Source<'_>, &[PolicyRule]) -> ControlFlow<()>,
    ) -> Vec<PolicyError> {
        let mut errors = Vec::new();
        let none = Vec::new();
        let namespaced = if namespace.is_empty() {
            &none
        } else {
            self.role_bindings.get(namespace).unwrap_or(&none)
        };
        for b in self.cluster_role_bindings.iter().chain(namespaced) {
            let Some(subject) = b.subjects.iter().find(|s| applies(user, s, &b.namespace)) else {
                continue;
            };
            match self.role_rules(&b.role_ref, &b.namespace) {
                Err(e) => errors.push(e),
                Ok(rules) => {
                    if f(
                        &Source {
                            binding: b,
                            subject,
                        },
                        rules,
                    )
                    .is_break()
                    {
                        break;
                    }
                }
            }
        }
        errors
    }

    /// Every rule that applies to `user` in `namespace`, and the unusable references met.
    pub fn rules_for(
        &self,
        user: &UserInfo,
        namespace: &str,
    ) -> (Vec<PolicyRule>, Vec<PolicyError>) {
        let mut all = Vec::new();
        let errors = self.visit(user, namespace, &mut |_, rules| {
            all.extend_from_slice(rules);
            ControlFlow::Continue(())
        });
        (all, errors)
    }

    /// The rules a role reference grants, for a binding in `namespace` ("" for cluster ones).
    pub fn role_rules(&self, r: &RoleRef, namespace: &str) -> Result<&[PolicyRule], PolicyError> {
        match r.kind.as_str() {
            "Role" => self
                .roles
                .get(&(namespace.to_string(), r.name.clone()))
                .map(|d| d.rules.as_slice())
                .ok_or_else(|| PolicyError::RoleNotFound(r.name.clone())),
            "ClusterRole" => self
                .cluster_roles
                .get(&r.name)
                .map(|d| d.rules.as_slice())
                .ok_or_else(|| PolicyError::ClusterRoleNotFound(r.name.clone())),
            other => Err(PolicyError::UnsupportedKind(other.to_string())),
        }
    }
}

fn selectors(def: &RoleDef) -> &[LabelSelector] {
    def.aggregation
        .as_ref()
        .and_then(|a| a.cluster_role_selectors.as_deref())
        .unwrap_or(&[])
}

/// The binding (and its subject) that granted rules; displayed as reasons name it.
pub struct Source<'a> {
    binding: &'a Binding,
    subject: &'a Subject,
}

impl std::fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = self.binding;
        write!(
            f,
            "{} of {} {:?} to {}",
            b.describe,
            b.role_ref.kind,
            b.role_ref.name,
            describe_subject(self.subject, &b.namespace)
        )
    }
}

/// Whether a binding subject names the user (`appliesToUser`); service accounts without a
/// namespace take the binding's.
fn applies(user: &UserInfo, s: &Subject, binding_ns: &str) -> bool {
    match s.kind.as_str() {
        "User" => user.name == s.name,
        "Group" => user.groups.contains(&s.name),
        "ServiceAccount" => {
            let ns = s
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_ns);
            !ns.is_empty() && user.name == format!("system:serviceaccount:{ns}:{}", s.name)
        }
        _ => false,
    }
}

fn describe_subject(s: &Subject, binding_ns: &str) -> String {
    match s.kind.as_str() {
        "ServiceAccount" => {
            let ns = s
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_ns);
            format!("{} {:?}", s.kind, format!("{}/{ns}", s.name))
        }
        _ => format!("{} {:?}", s.kind, s.name),
    }
}

/// metav1.LabelSelector matching (an empty selector selects everything).
fn selects(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let by_label = sel
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let by_expr = sel.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or(&[]);
        let have = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => have.is_some_and(|v| values.contains(v)),
            "NotIn" => have.is_none_or(|v| !values.contains(v)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        }
    });
    by_label && by_expr
}

/// What identifies the RBAC objects' state: resourceVersions only grow, so a change shows.
type Fingerprint = (usize, u64, u64);

/// The policy of a store, parsed again only when an RBAC object changed.
#[derive(Default)]
pub struct PolicyCache {
    current: Mutex<Option<(Fingerprint, Arc<Policy>)>>,
}

impl PolicyCache {
    pub fn get(&self, store: &Store) -> Arc<Policy> {
        let objects: Vec<Arc<Value>> = RESOURCES
            .iter()
            .filter_map(|r| store.list(GROUP, r, None, None, None).ok())
            .flat_map(|l| l.items)
            .collect();
        let rvs = objects.iter().map(|o| object_rv(o));
        let fp = (
            objects.len(),
            rvs.clone().max().unwrap_or(0),
            rvs.fold(0u64, u64::wrapping_add),
        );
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((have, policy)) = current.as_ref()
            && *have == fp
        {
            return policy.clone();
        }
        let policy = Arc::new(Policy::from_objects(objects.iter().map(|o| &**o)));
        *current = Some((fp, policy.clone()));
        policy
    }
}
