//! Table tests of the RBAC authorizer, rule resolution, aggregation and escalation checks.

use k8s_openapi::api::rbac::v1::PolicyRule;
use serde_json::Value;

use super::escalation::{compact, uncovered};
use super::*;
use crate::auth::UserInfo;

const POLICY: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-editor, namespace: team-a}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [apps]
  resources: [deployments/status]
  verbs: [update]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [allowed]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-editor}
subjects:
- {kind: ServiceAccount, name: deployer}
- {kind: User, name: alice}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: status-reader}
rules:
- apiGroups: ["*"]
  resources: ["*/status"]
  verbs: [get]
- nonResourceURLs: ["/metrics", "/logs/*"]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: status-readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-reader}
subjects:
- {kind: Group, name: auditors}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: team-b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: deployer, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling, namespace: team-c}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
subjects:
- {kind: User, name: alice}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crd-viewer
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- apiGroups: [example.com]
  resources: [widgets]
  verbs: [get, list, watch]
"#;

fn policy() -> Policy {
    let mut docs: Vec<Value> = POLICY
        .split("\n---\n")
        .map(|d| crate::http::parse_yaml(d.as_bytes()).expect("yaml"))
        .collect();
    docs.extend(bootstrap::objects());
    Policy::from_objects(docs.iter())
}

fn sa(ns: &str, name: &str) -> UserInfo {
    UserInfo::service_account(ns, name).authenticated()
}

fn res(verb: &str, group: &str, resource: &str, ns: &str) -> Attributes {
    Attributes::resource(verb, group, resource, ns)
}

#[test]
fn decides_like_the_rbac_authorizer() {
    let p = policy();
    let alice = UserInfo::new("alice", &["system:authenticated"]);
    let auditor = UserInfo::new("eve", &["auditors", "system:authenticated"]);
    let admin = UserInfo::admin();
    let deployer = sa("team-a", "deployer");
    let other = sa("team-b", "deployer");
    let anonymous = UserInfo::anonymous();
    let cases: Vec<(&UserInfo, Attributes, bool)> = vec![
        (&admin, res("delete", "", "nodes", ""), true),
        (&deployer, res("create", "", "configmaps", "team-a"), true),
        (
            &deployer,
            res("deletecollection", "", "configmaps", "team-a"),
            false,
        ),
        (&deployer, res("create", "", "configmaps", "team-b"), false),
        (&deployer, res("list", "", "configmaps", "team-b"), true),
        (
            &deployer,
            res("list", "example.com", "widgets", "team-b"),
            true,
        ),
        (&deployer, res("list", "", "secrets", "team-b"), false),
        (&deployer, res("create", "", "namespaces", ""), false),
        (
            &deployer,
            res("update", "apps", "deployments", "team-a").with_subresource("status"),
            true,
        ),
        (
            &deployer,
            res("update", "apps", "deployments", "team-a"),
            false,
        ),
        (
            &deployer,
            res("get", "", "secrets", "team-a").named("allowed"),
            true,
        ),
        (
            &deployer,
            res("get", "", "secrets", "team-a").named("other"),
            false,
        ),
        (&deployer, res("list", "", "secrets", "team-a"), false),
        (&other, res("get", "", "configmaps", "team-a"), false),
        (&alice, res("get", "", "configmaps", "team-a"), true),
        (&alice, res("get", "", "configmaps", "team-c"), false),
        (
            &auditor,
            res("get", "apps", "deployments", "x").with_subresource("status"),
            true,
        ),
        (&auditor, res("get", "apps", "deployments", "x"), false),
        (&auditor, Attributes::non_resource("get", "/metrics"), true),
        (
            &auditor,
            Attributes::non_resource("get", "/logs/kube.log"),
            true,
        ),
        (
            &auditor,
            Attributes::non_resource("post", "/metrics"),
            false,
        ),
        (
            &alice,
            Attributes::non_resource("get", "/apis/apps/v1"),
            true,
        ),
        (&alice, Attributes::non_resource("get", "/metrics"), false),
        (
            &anonymous,
            Attributes::non_resource("get", "/version"),
            true,
        ),
        (&anonymous, Attributes::non_resource("get", "/api"), false),
        (
            &alice,
            res(
                "create",
                "authorization.k8s.io",
                "selfsubjectaccessreviews",
                "",
            ),
            true,
        ),
    ];
    for (user, attrs, want) in cases {
        let d = authorize(&p, user, &attrs);
        assert_eq!(d.allowed(), want, "{} {attrs:?}: {d:?}", user.name);
    }
}

#[test]
fn reasons_name_the_binding_or_the_missing_role() {
    let p = policy();
    let d = authorize(
        &p,
        &sa("team-a", "deployer"),
        &res("get", "", "configmaps", "team-a"),
    );
    assert_eq!(
        d.reason(),
        "RBAC: allowed by RoleBinding \"editors/team-a\" of Role \"cm-editor\" to ServiceAccount \"deployer/team-a\""
    );
    let alice = UserInfo::new("alice", &[]);
    let d = authorize(&p, &alice, &res("get", "", "configmaps", "team-c"));
    assert_eq!(
        d,
        Decision::Deny("RBAC: role.rbac.authorization.k8s.io \"gone\" not found".into())
    );
    assert_eq!(
        authorize(&p, &alice, &res("get", "", "pods", "x")),
        Decision::Deny(String::new())
    );
}

#[test]
fn aggregated_roles_take_the_rules_of_the_roles_they_select() {
    let p = policy();
    let rules = |name: &str| {
        let r = k8s_openapi::api::rbac::v1::RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: "ClusterRole".into(),
            name: name.into(),
        };
        p.role_rules(&r, "").expect("exists").to_vec()
    };
    let widgets = |rules: &[PolicyRule]| {
        rules
            .iter()
            .any(|r| r.resources.as_deref() == Some(&["widgets".to_string()][..]))
    };
    // view selects crd-viewer; edit selects view; admin selects edit.
    assert!(widgets(&rules("view")));
    assert!(widgets(&rules("edit")));
    assert!(widgets(&rules("admin")));
    let edit = rules("edit");
    let can = |rules: &[PolicyRule], a: Attributes| rules.iter().any(|r| rule_allows(&a, r));
    assert!(can(&edit, res("create", "", "secrets", "x")));
    assert!(!can(
        &edit,
        res("create", "rbac.authorization.k8s.io", "roles", "x")
    ));
    assert!(can(
        &rules("admin"),
        res("create", "rbac.authorization.k8s.io", "roles", "x")
    ));
    assert!(!can(&rules("view"), res("get", "", "secrets", "x")));
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    let v = |s: &[&str]| Some(s.iter().map(|x| x.to_string()).collect());
    PolicyRule {
        api_groups: v(groups),
        resources: v(resources),
        verbs: verbs.iter().map(|x| x.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn escalation_needs_every_permission_granted() {
    let owned = vec![
        rule(&[""], &["configmaps", "secrets"], &["get", "list"]),
        rule(&["apps"], &["*"], &["*"]),
        rule(&["*"], &["*/status"], &["get"]),
    ];
    let cases: Vec<(PolicyRule, usize)> = vec![
        (rule(&[""], &["configmaps"], &["get"]), 0),
        (rule(&[""], &["configmaps"], &["get", "delete"]), 1),
        (
            rule(
                &["apps"],
                &["deployments", "deployments/scale"],
                &["update", "patch"],
            ),
            0,
        ),
        (rule(&["batch"], &["jobs/status"], &["get"]), 0),
        (rule(&["batch"], &["jobs"], &["get"]), 1),
        (rule(&[""], &["*"], &["get"]), 1),
        (rule(&[""], &["configmaps"], &["*"]), 1),
        (rule(&["*"], &["configmaps"], &["get"]), 1),
    ];
    for (wanted, missing) in cases {
        let m = uncovered(&owned, std::slice::from_ref(&wanted));
        assert_eq!(m.len(), missing, "{wanted:?}: {m:?}");
    }
    let m = uncovered(&owned, &[rule(&[""], &["pods"], &["get", "list"])]);
    assert_eq!(
        compact(&m),
        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}"
    );
}

#[test]
fn forbidden_messages_have_the_real_shape() {
    let user = UserInfo::new("x", &[]);
    let e = crate::auth::forbidden_error(&user, &res("list", "", "configmaps", "y"), "");
    assert_eq!(
        e.message,
        "configmaps is forbidden: User \"x\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"y\""
    );
    assert_eq!(e.code, 403);
    let e = crate::auth::forbidden_error(
        &user,
        &res("get", "apps", "deployments", "")
            .named("d")
            .with_subresource("status"),
        "",
    );
    assert_eq!(
        e.message,
        "deployments.apps \"d\" is forbidden: User \"x\" cannot get resource \"deployments/status\" in API group \"apps\" at the cluster scope"
    );
    let e = crate::auth::forbidden_error(&user, &Attributes::non_resource("get", "/metrics"), "");
    assert_eq!(
        e.message,
        "forbidden: User \"x\" cannot get path \"/metrics\""
    );
}
