//! The RBAC authorizer as kube-apiserver runs it in `--authorization-mode=RBAC`: the
//! system:masters bypass, then ClusterRoleBindings and the namespace's RoleBindings whose
//! subjects match the user, allowing when one of their rules matches. Pure: a decision is a
//! function of the [`Policy`] (a snapshot of the RBAC objects), the user and the request.

pub mod bootstrap;
pub mod escalation;
mod policy;
#[cfg(test)]
mod tests;

use std::ops::ControlFlow;

use k8s_openapi::api::rbac::v1::PolicyRule;

use crate::auth::UserInfo;
pub use policy::{Policy, PolicyCache, PolicyError, Source};

/// The group whose members may do anything (kube-apiserver's privileged group).
pub const MASTERS: &str = "system:masters";

/// What a request asks to do, as the real authorizer sees it (`authorizer.Attributes`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    pub verb: String,
    pub namespace: String,
    pub api_group: String,
    pub api_version: String,
    pub resource: String,
    pub subresource: String,
    pub name: String,
    /// Set for a non-resource request (`/version`, `/apis`): its path.
    pub path: Option<String>,
}

impl Attributes {
    /// A resource request.
    pub fn resource(verb: &str, api_group: &str, resource: &str, namespace: &str) -> Self {
        Attributes {
            verb: verb.into(),
            api_group: api_group.into(),
            resource: resource.into(),
            namespace: namespace.into(),
            ..Default::default()
        }
    }

    /// A non-resource request.
    pub fn non_resource(verb: &str, path: &str) -> Self {
        Attributes {
            verb: verb.into(),
            path: Some(path.into()),
            ..Default::default()
        }
    }

    pub fn named(mut self, name: &str) -> Self {
        self.name = name.into();
        self
    }

    pub fn with_subresource(mut self, subresource: &str) -> Self {
        self.subresource = subresource.into();
        self
    }

    pub fn is_resource(&self) -> bool {
        self.path.is_none()
    }

    /// `deployments/status`, or the resource alone.
    pub fn combined_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }
}

/// An authorizer's answer, with the reason a real server gives (empty when it gives none).
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Allow(String),
    Deny(String),
}

impl Decision {
    pub fn allowed(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }

    pub fn reason(&self) -> &str {
        match self {
            Decision::Allow(r) | Decision::Deny(r) => r,
        }
    }
}

/// Authorizes a request: system:masters first, then RBAC.
pub fn authorize(policy: &Policy, user: &UserInfo, attrs: &Attributes) -> Decision {
    if user.groups.iter().any(|g| g == MASTERS) {
        return Decision::Allow(String::new());
    }
    let mut allowed_by = None;
    let errors = policy.visit(user, &attrs.namespace, &mut |source, rules| {
        if rules.iter().any(|r| rule_allows(attrs, r)) {
            allowed_by = Some(format!("RBAC: allowed by {source}"));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    match allowed_by {
        Some(reason) => Decision::Allow(reason),
        None if errors.is_empty() => Decision::Deny(String::new()),
        None => Decision::Deny(format!("RBAC: {}", aggregate(&errors))),
    }
}

/// Go's `utilerrors.NewAggregate` text: one message alone, several in brackets.
fn aggregate(errors: &[PolicyError]) -> String {
    match errors {
        [one] => one.to_string(),
        many => format!(
            "[{}]",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether one rule allows a request (`rbac.RuleAllows`).
pub fn rule_allows(attrs: &Attributes, rule: &PolicyRule) -> bool {
    if !has_or_star(&rule.verbs, &attrs.verb) {
        return false;
    }
    match &attrs.path {
        Some(path) => non_resource_url_matches(rule, path),
        None => {
            has_or_star(list(&rule.api_groups), &attrs.api_group)
                && resource_matches(rule, &attrs.combined_resource(), &attrs.subresource)
                && resource_name_matches(rule, &attrs.name)
        }
    }
}

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or(&[])
}

fn has_or_star(items: &[String], want: &str) -> bool {
    items.iter().any(|i| i == "*" || i == want)
}

fn resource_matches(rule: &PolicyRule, combined: &str, subresource: &str) -> bool {
    list(&rule.resources).iter().any(|r| {
        r == "*"
            || r == combined
            || (!subresource.is_empty()
                && r.strip_prefix("*/").is_some_and(|rest| rest == subresource))
    })
}

fn resource_name_matches(rule: &PolicyRule, name: &str) -> bool {
    let names = list(&rule.resource_names);
    names.is_empty() || names.iter().any(|n| n == name)
}

fn non_resource_url_matches(rule: &PolicyRule, path: &str) -> bool {
    list(&rule.non_resource_urls).iter().any(|u| {
        u == "*"
            || u == path
            || u.strip_suffix('*')
                .is_some_and(|prefix| path.starts_with(prefix))
    })
}
