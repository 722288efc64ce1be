//! Impersonation and RBAC as multi-tenancy uses them: a tenant's service account impersonated
//! through kube-rs, `kubectl --as/--as-group`, the `impersonate` permission, and the refusal
//! of role and binding writes that would grant more than the writer holds.

use fluxion_apiserver::{ApiServer, AuthConfig};
use k8s_openapi::api::authorization::v1::SubjectAccessReview;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use k8s_openapi::api::rbac::v1::{ClusterRole, Role, RoleBinding};
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::auth::secure_server;
use super::support::{Kubectl, auth_server};

/// Plain HTTP with RBAC: requests are the admin's unless they impersonate someone.
async fn rbac_server() -> ApiServer {
    auth_server(AuthConfig {
        rbac: true,
        ..Default::default()
    })
    .await
}

fn client_as(server: &ApiServer, user: &str, groups: &[&str]) -> kube::Client {
    let mut config = server.client_config().expect("config");
    config.auth_info.impersonate = Some(user.to_string());
    if !groups.is_empty() {
        config.auth_info.impersonate_groups = Some(groups.iter().map(|g| g.to_string()).collect());
    }
    kube::Client::try_from(config).expect("client")
}

/// A RoleBinding made with `kubectl apply` (`kubectl create rolebinding` sends protobuf):
/// `role` is `ClusterRole/NAME` or `Role/NAME`, `subject` `User/NAME`, `Group/NAME` or
/// `ServiceAccount/NS:NAME`.
pub async fn bind(k: &Kubectl<'_>, name: &str, role: &str, subject: &str) {
    let (role_kind, role_name) = role.split_once('/').expect("Kind/name");
    let (kind, who) = subject.split_once('/').expect("Kind/name");
    let subject = match who.split_once(':') {
        Some((ns, sa)) => format!("{{kind: {kind}, name: {sa}, namespace: {ns}}}"),
        None => format!("{{kind: {kind}, name: \"{who}\"}}"),
    };
    let yaml = format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: {name}}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_kind}, name: {role_name}}}\nsubjects:\n- {subject}\n"
    );
    k.run_stdin(&["apply", "-f", "-"], &yaml).await.out();
}

fn obj<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("object")
}

fn cm(name: &str) -> ConfigMap {
    obj(json!({"metadata": {"name": name}, "data": {"k": "v"}}))
}

fn forbidden(e: kube::Error) -> String {
    match e {
        kube::Error::Api(s) if s.code == 403 && s.reason == "Forbidden" => s.message.clone(),
        other => panic!("expected 403 Forbidden, got {other:?}"),
    }
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: switches RBAC on for a server of its own"
)]
async fn tenant_service_account_is_confined_to_its_namespace() {
    let server = rbac_server().await;
    let k = Kubectl::new(&server, "tenant-a").await;
    Kubectl::new(&server, "tenant-b").await;
    k.run(&["create", "serviceaccount", "flux-reconciler"])
        .await
        .out();
    bind(
        &k,
        "flux-reconciler",
        "ClusterRole/admin",
        "ServiceAccount/tenant-a:flux-reconciler",
    )
    .await;

    let sa = client_as(
        &server,
        "system:serviceaccount:tenant-a:flux-reconciler",
        &[],
    );
    let own: Api<ConfigMap> = Api::namespaced(sa.clone(), "tenant-a");
    own.create(&PostParams::default(), &cm("mine"))
        .await
        .expect("create in own namespace");
    assert_eq!(
        own.list(&ListParams::default())
            .await
            .expect("list")
            .items
            .len(),
        1
    );

    let other: Api<ConfigMap> = Api::namespaced(sa.clone(), "tenant-b");
    let msg = forbidden(
        other
            .create(&PostParams::default(), &cm("theirs"))
            .await
            .expect_err("403"),
    );
    assert_eq!(
        msg,
        "configmaps is forbidden: User \"system:serviceaccount:tenant-a:flux-reconciler\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"tenant-b\""
    );
    let namespaces: Api<Namespace> = Api::all(sa.clone());
    let msg = forbidden(
        namespaces
            .list(&ListParams::default())
            .await
            .expect_err("403"),
    );
    assert!(
        msg.ends_with("cannot list resource \"namespaces\" in API group \"\" at the cluster scope"),
        "{msg}"
    );
    let roles: Api<ClusterRole> = Api::all(sa);
    let role: ClusterRole = obj(json!({"metadata": {"name": "x"}, "rules": []}));
    let msg = forbidden(
        roles
            .create(&PostParams::default(), &role)
            .await
            .expect_err("403"),
    );
    assert!(
        msg.starts_with("clusterroles.rbac.authorization.k8s.io is forbidden"),
        "{msg}"
    );

    // The admin's own client is unaffected.
    let all: Api<ConfigMap> = Api::namespaced(server.client().expect("client"), "tenant-b");
    all.create(&PostParams::default(), &cm("admin"))
        .await
        .expect("admin creates");
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: switches RBAC on for a server of its own"
)]
async fn kubectl_as_and_as_group() {
    let server = rbac_server().await;
    let k = Kubectl::new(&server, "as-a").await;
    let run = k.run(&["--as", "jane", "get", "configmaps"]).await;
    assert!(
        run.stderr
            .contains("User \"jane\" cannot list resource \"configmaps\""),
        "{}",
        run.stderr
    );
    let no = k
        .run(&[
            "auth",
            "can-i",
            "create",
            "configmaps",
            "--as",
            "jane",
            "--as-group",
            "ops",
        ])
        .await;
    assert_eq!(no.stdout.trim(), "no");
    bind(&k, "ops-edit", "ClusterRole/edit", "Group/ops").await;
    let yes = k
        .run(&[
            "auth",
            "can-i",
            "create",
            "configmaps",
            "--as",
            "jane",
            "--as-group",
            "ops",
        ])
        .await;
    assert_eq!(yes.stdout.trim(), "yes");
    k.run(&[
        "--as",
        "jane",
        "--as-group",
        "ops",
        "create",
        "configmap",
        "c",
    ])
    .await
    .out();
    // edit cannot touch RBAC objects.
    let no = k
        .run(&[
            "auth",
            "can-i",
            "create",
            "rolebindings",
            "--as",
            "jane",
            "--as-group",
            "ops",
        ])
        .await;
    assert_eq!(no.stdout.trim(), "no");
    let list = k
        .run(&[
            "auth",
            "can-i",
            "--list",
            "--as",
            "jane",
            "--as-group",
            "ops",
        ])
        .await
        .out();
    assert!(list.contains("configmaps"), "{list}");
    assert!(
        list.contains("selfsubjectaccessreviews.authorization.k8s.io"),
        "{list}"
    );
    // SubjectAccessReview: the admin asks about someone else.
    let reviews: Api<SubjectAccessReview> = Api::all(server.client().expect("client"));
    let review = |groups: Value| -> SubjectAccessReview {
        obj(
            json!({"spec": {"user": "jane", "groups": groups, "resourceAttributes":
            {"namespace": "as-a", "verb": "create", "resource": "configmaps"}}}),
        )
    };
    let answer = reviews
        .create(&PostParams::default(), &review(json!(["ops"])))
        .await
        .expect("review")
        .status
        .expect("status");
    assert!(answer.allowed);
    assert_eq!(
        answer.reason.as_deref(),
        Some(
            "RBAC: allowed by RoleBinding \"ops-edit/as-a\" of ClusterRole \"edit\" to Group \"ops\""
        )
    );
    let answer = reviews
        .create(&PostParams::default(), &review(json!([])))
        .await
        .expect("review")
        .status
        .expect("status");
    assert!(!answer.allowed);
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: switches RBAC on for a server of its own"
)]
async fn impersonation_needs_the_impersonate_permission() {
    let server = secure_server(true).await;
    let k = Kubectl::new(&server, "imp-a").await;
    k.run(&["create", "serviceaccount", "builder"]).await.out();
    bind(
        &k,
        "builder-edit",
        "ClusterRole/edit",
        "ServiceAccount/imp-a:builder",
    )
    .await;
    let alice = server.dir().join("alice");
    server
        .write_kubeconfig(&alice, Some("alice-t"))
        .expect("write");
    let alice = alice.to_str().expect("utf-8");

    let run = k
        .run(&["--kubeconfig", alice, "--as", "bob", "get", "configmaps"])
        .await;
    assert!(
        run.stderr.contains(
            "users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
        ),
        "{}",
        run.stderr
    );
    let sa = "system:serviceaccount:imp-a:builder";
    let run = k
        .run(&["--kubeconfig", alice, "--as", sa, "get", "configmaps"])
        .await;
    assert!(
        run.stderr.contains(
            "serviceaccounts \"builder\" is forbidden: User \"alice\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"imp-a\""
        ),
        "{}",
        run.stderr
    );
    // edit includes impersonating the namespace's service accounts, as on a real cluster.
    bind(&k, "alice-edit", "ClusterRole/edit", "User/alice").await;
    k.run(&[
        "--kubeconfig",
        alice,
        "--as",
        sa,
        "create",
        "configmap",
        "built",
    ])
    .await
    .out();
    let run = k
        .run(&[
            "--kubeconfig",
            alice,
            "--as",
            sa,
            "-n",
            "default",
            "get",
            "configmaps",
        ])
        .await;
    assert!(
        run.stderr.contains("cannot list resource \"configmaps\""),
        "{}",
        run.stderr
    );
    let run = k
        .run(&["--kubeconfig", alice, "--as", "bob", "get", "configmaps"])
        .await;
    assert!(!run.ok);
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: switches RBAC on for a server of its own"
)]
async fn role_and_binding_writes_cannot_escalate() {
    let server = rbac_server().await;
    let k = Kubectl::new(&server, "esc-a").await;
    bind(&k, "lead-admin", "ClusterRole/admin", "User/lead").await;
    let lead = client_as(&server, "lead", &[]);
    let bindings: Api<RoleBinding> = Api::namespaced(lead.clone(), "esc-a");
    let binding = |name: &str, kind: &str, role: &str| -> RoleBinding {
        obj(json!({
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role},
            "subjects": [{"kind": "User", "name": "dev"}],
        }))
    };
    bindings
        .create(
            &PostParams::default(),
            &binding("dev-edit", "ClusterRole", "edit"),
        )
        .await
        .expect("lead holds everything edit grants in esc-a");
    let msg = forbidden(
        bindings
            .create(
                &PostParams::default(),
                &binding("dev-root", "ClusterRole", "cluster-admin"),
            )
            .await
            .expect_err("403"),
    );
    assert!(
        msg.starts_with(
            "rolebindings.rbac.authorization.k8s.io \"dev-root\" is forbidden: user \"lead\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
        ),
        "{msg}"
    );
    let roles: Api<Role> = Api::namespaced(lead, "esc-a");
    let role = |verbs: Value, resources: Value| -> Role {
        obj(
            json!({"metadata": {"name": "r"}, "rules": [{"apiGroups": [""], "resources": resources, "verbs": verbs}]}),
        )
    };
    let msg = forbidden(
        roles
            .create(
                &PostParams::default(),
                &role(json!(["get"]), json!(["nodes"])),
            )
            .await
            .expect_err("403"),
    );
    assert!(
        msg.ends_with("{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}"),
        "{msg}"
    );
    roles
        .create(
            &PostParams::default(),
            &role(json!(["get", "list"]), json!(["configmaps", "secrets"])),
        )
        .await
        .expect("a role within what lead holds");
    // Relabeling a role that grants more than the writer holds is refused; deleting it (the
    // deletion stamp its finalizer makes) is not an escalation.
    k.run_stdin(
        &["apply", "-f", "-"],
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: big, finalizers: [example.com/hold]}\nrules:\n- apiGroups: [\"\"]\n  resources: [nodes]\n  verbs: [get]\n",
    )
    .await
    .out();
    let relabel = Patch::Merge(json!({"metadata": {"labels": {"team": "a"}}}));
    let msg = forbidden(
        roles
            .patch("big", &PatchParams::default(), &relabel)
            .await
            .expect_err("403"),
    );
    assert!(
        msg.contains("attempting to grant RBAC permissions not currently held"),
        "{msg}"
    );
    roles
        .delete("big", &Default::default())
        .await
        .expect("lead may delete it");
    let big = roles.get("big").await.expect("held by its finalizer");
    assert!(big.metadata.deletion_timestamp.is_some());

    // Given `bind` on cluster-admin, the same binding goes through.
    k.run_stdin(
        &["apply", "-f", "-"],
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: binder}\nrules:\n- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind]\n  resourceNames: [cluster-admin]\n",
    )
    .await
    .out();
    bind(&k, "lead-binder", "Role/binder", "User/lead").await;
    bindings
        .create(
            &PostParams::default(),
            &binding("dev-root", "ClusterRole", "cluster-admin"),
        )
        .await
        .expect("bind allowed");
}
