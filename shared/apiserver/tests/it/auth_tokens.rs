//! Service-account tokens from the TokenRequest API (`kubectl create token`) used with real
//! kubectl under RBAC; their claims, expiry, audiences and bound objects; TokenReview and
//! LocalSubjectAccessReview through kube-rs; and the signing key kept across a restart.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fluxion_apiserver::auth::signer::Signer;
use fluxion_apiserver::{ApiServer, AuthConfig, ServerConfig};
use k8s_openapi::api::authentication::v1::TokenReview;
use k8s_openapi::api::authorization::v1::LocalSubjectAccessReview;
use kube::api::{Api, PostParams};
use serde_json::{Value, json};

use super::auth::secure_server;
use super::rbac::bind;
use super::support::{Kubectl, Run};

const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";
/// What kubectl says when the server takes its token for no credential.
const LOGGED_OUT: &str = "You must be logged in to the server";
/// TokenReview's error for a token whose bound object is gone.
const INVALIDATED: &str = "[invalid bearer token, service account token has been invalidated]";

/// The claims of a JWT, unverified.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// A kubeconfig file sending `token`; its path.
fn token_config(server: &ApiServer, name: &str, token: &str) -> String {
    let path = server.dir().join(name);
    server.write_kubeconfig(&path, Some(token)).expect("write");
    path.to_str().expect("utf-8").to_string()
}

/// Creates the service account `robot` in the test's namespace.
async fn create_robot(k: &Kubectl<'_>) {
    k.run(&["create", "serviceaccount", "robot"]).await.out();
}

async fn create_token(k: &Kubectl<'_>, args: &[&str]) -> String {
    let mut all = vec!["create", "token"];
    all.extend_from_slice(args);
    k.run(&all).await.out().trim().to_string()
}

/// `kubectl create token robot` bound to an object of the test's namespace (or a node).
async fn bound_to(k: &Kubectl<'_>, kind: &str, name: &str) -> Run {
    let kind = format!("--bound-object-kind={kind}");
    let name = format!("--bound-object-name={name}");
    k.run(&["create", "token", "robot", &kind, &name]).await
}

/// How many seconds a token is good for.
fn lifetime(claims: &Value) -> i64 {
    claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat")
}

/// The uid of an object in the test's namespace (or a cluster-scoped one).
async fn uid(k: &Kubectl<'_>, kind: &str, name: &str) -> String {
    let obj = k.run(&["get", kind, name, "-o", "json"]).await.json();
    obj["metadata"]["uid"].as_str().expect("uid").to_string()
}

async fn apply(k: &Kubectl<'_>, manifest: &str) {
    k.run_stdin(&["apply", "-f", "-"], manifest).await.out();
}

/// `status.userInfo` of `kubectl auth whoami` with a kubeconfig.
async fn whoami(k: &Kubectl<'_>, config: &str) -> Value {
    let who = as_token(k, config, &["auth", "whoami", "-o", "json"]).await;
    who.json()["status"]["userInfo"].clone()
}

async fn as_token(k: &Kubectl<'_>, config: &str, args: &[&str]) -> Run {
    let mut all = vec!["--kubeconfig", config];
    all.extend_from_slice(args);
    k.run(&all).await
}

fn token_review(token: &str, audiences: &[&str]) -> TokenReview {
    serde_json::from_value(json!({
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "spec": { "token": token, "audiences": audiences },
    }))
    .expect("TokenReview")
}

async fn review(server: &ApiServer, token: &str, audiences: &[&str]) -> Value {
    let reviews: Api<TokenReview> = Api::all(server.client().expect("client"));
    let out = reviews
        .create(&PostParams::default(), &token_review(token, audiences))
        .await
        .expect("TokenReview answered");
    serde_json::to_value(out.status.expect("status")).expect("json")
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn kubectl_create_token_gives_a_bound_jwt_that_rbac_judges() {
    let server = secure_server(true).await;
    let k = Kubectl::new(&server, "tr-a").await;
    create_robot(&k).await;
    let sa_uid = uid(&k, "sa", "robot").await;

    let token = create_token(&k, &["robot"]).await;
    let c = claims(&token);
    assert_eq!(c["iss"], ISSUER);
    assert_eq!(c["sub"], "system:serviceaccount:tr-a:robot");
    assert_eq!(c["aud"], json!([ISSUER]));
    assert_eq!(lifetime(&c), 3600);
    assert_eq!(c["nbf"], c["iat"]);
    assert_eq!(
        c["kubernetes.io"],
        json!({"namespace": "tr-a", "serviceaccount": {"name": "robot", "uid": sa_uid}})
    );

    let robot = token_config(&server, "robot", &token);
    let run = as_token(&k, &robot, &["get", "configmaps"]).await;
    run.says("configmaps is forbidden: User \"system:serviceaccount:tr-a:robot\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"tr-a\"");
    bind(
        &k,
        "robot-view",
        "ClusterRole/view",
        "ServiceAccount/tr-a:robot",
    )
    .await;
    as_token(&k, &robot, &["get", "configmaps"]).await.out();
    let can = as_token(&k, &robot, &["auth", "can-i", "create", "configmaps"]).await;
    assert_eq!(can.stdout.trim(), "no");

    let info = &whoami(&k, &robot).await;
    assert_eq!(info["username"], "system:serviceaccount:tr-a:robot");
    assert_eq!(info["uid"], sa_uid);
    assert_eq!(
        info["groups"],
        json!([
            "system:serviceaccounts",
            "system:serviceaccounts:tr-a",
            "system:authenticated"
        ])
    );
    let jti = c["jti"].as_str().expect("jti");
    assert_eq!(
        info["extra"]["authentication.kubernetes.io/credential-id"],
        json!([format!("JTI={jti}")])
    );

    // The same service account recreated has a new uid: the old token is refused.
    k.run(&["delete", "sa", "robot"]).await.out();
    create_robot(&k).await;
    let run = as_token(&k, &robot, &["get", "configmaps"]).await;
    run.says(LOGGED_OUT);
    let status = review(&server, &token, &[]).await;
    let new_uid = uid(&k, "sa", "robot").await;
    assert_eq!(
        status["error"],
        format!(
            "[invalid bearer token, service account UID ({new_uid}) does not match claim ({sa_uid})]"
        )
    );
    assert!(status.get("authenticated").is_none());
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn token_requests_are_validated_as_kube_validates_them() {
    let server = secure_server(false).await;
    let k = Kubectl::new(&server, "tr-b").await;
    create_robot(&k).await;

    let run = k.run(&["create", "token", "robot", "--duration=5m"]).await;
    assert!(!run.ok);
    run.says("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes");
    let run = k.run(&["create", "token", "ghost"]).await;
    run.says("serviceaccounts \"ghost\" not found");
    let long = create_token(&k, &["robot", "--duration=2h"]).await;
    let c = claims(&long);
    assert_eq!(lifetime(&c), 7200);

    // Bound to a pod that runs as another service account: refused.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  serviceAccountName: other\n  containers: [{name: c, image: busybox}]\n";
    apply(&k, pod).await;
    let run = bound_to(&k, "Pod", "p1").await;
    run.says("cannot bind token for serviceaccount \"robot\" to pod running with serviceaccount \"other\"");
    // Bound to a pod of the account: the pod's name and uid are in the claim and the user's
    // extra, and the token dies with the pod.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p2}\nspec:\n  serviceAccountName: robot\n  containers: [{name: c, image: busybox}]\n";
    apply(&k, pod).await;
    let pod_uid = uid(&k, "pod", "p2").await;
    let bound = bound_to(&k, "Pod", "p2").await.out().trim().to_string();
    assert_eq!(
        claims(&bound)["kubernetes.io"]["pod"],
        json!({"name": "p2", "uid": pod_uid})
    );
    let config = token_config(&server, "pod-bound", &bound);
    let extra = &whoami(&k, &config).await["extra"];
    assert_eq!(
        extra["authentication.kubernetes.io/pod-name"],
        json!(["p2"])
    );
    assert_eq!(
        extra["authentication.kubernetes.io/pod-uid"],
        json!([pod_uid])
    );
    k.run(&["delete", "pod", "p2", "--wait=false"]).await.out();
    let status = review(&server, &bound, &[]).await;
    assert_eq!(status["error"], INVALIDATED);

    // Bound to a node, likewise.
    let node = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n";
    apply(&k, node).await;
    let node_uid = uid(&k, "node", "n1").await;
    let on_node = bound_to(&k, "Node", "n1").await.out().trim().to_string();
    assert_eq!(
        claims(&on_node)["kubernetes.io"]["node"],
        json!({"name": "n1", "uid": node_uid})
    );
    let status = review(&server, &on_node, &[]).await;
    assert_eq!(
        status["user"]["extra"]["authentication.kubernetes.io/node-name"],
        json!(["n1"])
    );
    k.run(&["delete", "node", "n1"]).await.out();
    let status = review(&server, &on_node, &[]).await;
    assert_eq!(status["error"], INVALIDATED);
    let run = bound_to(&k, "Secret", "nope").await;
    run.says("secrets \"nope\" not found");
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn audiences_and_bound_secrets_decide_what_a_token_is_good_for() {
    let server = secure_server(false).await;
    let k = Kubectl::new(&server, "tr-c").await;
    create_robot(&k).await;

    // A token for another audience is no credential for this server, but a reviewer
    // asking for that audience gets the service account.
    let vault = create_token(&k, &["robot", "--audience=vault"]).await;
    assert_eq!(claims(&vault)["aud"], json!(["vault"]));
    let config = token_config(&server, "vault", &vault);
    let run = as_token(&k, &config, &["get", "configmaps"]).await;
    run.says(LOGGED_OUT);
    let status = review(&server, &vault, &[]).await;
    assert_eq!(
        status["error"],
        format!(
            "[invalid bearer token, token audiences [\"vault\"] is invalid for the target audiences [\"{ISSUER}\"]]"
        )
    );
    let status = review(&server, &vault, &["vault"]).await;
    assert_eq!(status["authenticated"], true);
    assert_eq!(status["audiences"], json!(["vault"]));
    assert_eq!(
        status["user"]["username"],
        "system:serviceaccount:tr-c:robot"
    );

    // Bound to a secret: good while the secret lives.
    k.run(&["create", "secret", "generic", "s1", "--from-literal=a=b"])
        .await
        .out();
    let bound = bound_to(&k, "Secret", "s1").await.out().trim().to_string();
    let secret_uid = uid(&k, "secret", "s1").await;
    assert_eq!(claims(&bound)["kubernetes.io"]["secret"]["uid"], secret_uid);
    let config = token_config(&server, "bound", &bound);
    assert_eq!(
        whoami(&k, &config).await["username"],
        "system:serviceaccount:tr-c:robot"
    );
    k.run(&["delete", "secret", "s1"]).await.out();
    let run = as_token(&k, &config, &["auth", "whoami"]).await;
    run.says(LOGGED_OUT);
    let status = review(&server, &bound, &[]).await;
    assert_eq!(status["error"], INVALIDATED);

    // Tokens that are not ours, and no token at all.
    let status = review(&server, "not-a-token", &[]).await;
    assert_eq!(status["error"], "invalid bearer token");
    let static_token = review(&server, "alice-t", &[]).await;
    assert_eq!(static_token["user"]["username"], "alice");
    let reviews: Api<TokenReview> = Api::all(server.client().expect("client"));
    let err = reviews
        .create(&PostParams::default(), &token_review("", &[]))
        .await
        .expect_err("400");
    match err {
        kube::Error::Api(s) => assert_eq!(
            (s.code, s.message.as_str()),
            (400, "token is required for TokenReview in authentication")
        ),
        other => panic!("expected 400, got {other}"),
    }
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn tokens_survive_a_restart_and_expire() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = || ServerConfig {
        data_dir: Some(dir.path().to_path_buf()),
        auth: AuthConfig {
            tls: true,
            authenticate: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let server = ApiServer::start(config()).await.expect("start");
    let token = {
        let k = Kubectl::new(&server, "tr-d").await;
        create_robot(&k).await;
        create_token(&k, &["robot"]).await
    };
    let ca = server.ca_pem().expect("CA").to_string();
    drop(server);
    let server = ApiServer::start(config()).await.expect("restart");
    // The CA is kept too: kubeconfigs and token Secrets' ca.crt stay good.
    assert_eq!(server.ca_pem(), Some(ca.as_str()));
    let status = review(&server, &token, &[]).await;
    assert_eq!(status["authenticated"], true, "{status}");
    assert_eq!(
        status["user"]["username"],
        "system:serviceaccount:tr-d:robot"
    );

    // The same key signs a token that expired two minutes ago (beyond the minute of skew
    // allowed): refused as kube refuses it.
    let signer = Signer::load_or_create(dir.path()).expect("the server's key");
    let mut c = claims(&token);
    let now = chrono::Utc::now().timestamp();
    c["iat"] = json!(now - 4000);
    c["nbf"] = json!(now - 4000);
    c["exp"] = json!(now - 120);
    let expired = signer.sign(&c).expect("sign");
    let status = review(&server, &expired, &[]).await;
    assert_eq!(
        status["error"],
        "[invalid bearer token, service account token has expired]"
    );
    let k = Kubectl::new(&server, "tr-d2").await;
    let config = token_config(&server, "expired", &expired);
    let run = as_token(&k, &config, &["get", "configmaps"]).await;
    run.says(LOGGED_OUT);

    // A token signed by another key.
    let forged = Signer::generate()
        .expect("key")
        .sign(&claims(&token))
        .expect("sign");
    let status = review(&server, &forged, &[]).await;
    assert_eq!(
        status["error"],
        "[invalid bearer token, invalid signature, no keys found]"
    );
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn local_subject_access_reviews_stay_in_their_namespace() {
    let server = secure_server(true).await;
    let k = Kubectl::new(&server, "lsar").await;
    bind(&k, "dev-view", "ClusterRole/view", "Group/dev").await;
    let client = server.client().expect("client");
    let reviews: Api<LocalSubjectAccessReview> = Api::namespaced(client, "lsar");
    let ask = |ns: &str, verb: &str| -> LocalSubjectAccessReview {
        serde_json::from_value(json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "LocalSubjectAccessReview",
            "spec": {
                "user": "alice", "groups": ["dev"],
                "resourceAttributes": {"namespace": ns, "verb": verb, "resource": "configmaps"},
            },
        }))
        .expect("review")
    };
    let pp = PostParams::default();
    let yes = reviews
        .create(&pp, &ask("lsar", "list"))
        .await
        .expect("review");
    assert_eq!(yes.metadata.namespace.as_deref(), Some("lsar"));
    let status = yes.status.expect("status");
    assert!(status.allowed);
    assert!(status.reason.is_some_and(|r| r.contains("dev-view")));
    let no = reviews
        .create(&pp, &ask("lsar", "delete"))
        .await
        .expect("review");
    assert!(!no.status.expect("status").allowed);

    match reviews.create(&pp, &ask("other", "list")).await {
        Err(kube::Error::Api(s)) => {
            assert_eq!(s.code, 422);
            assert_eq!(
                s.message,
                "LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"other\": must match metadata.namespace"
            );
        }
        other => panic!("expected 422, got {other:?}"),
    }
    let mut wrong_ns = ask("lsar", "list");
    wrong_ns.metadata.namespace = Some("elsewhere".into());
    match reviews.create(&pp, &wrong_ns).await {
        Err(kube::Error::Api(s)) => assert_eq!(
            (s.code, s.message.as_str()),
            (
                400,
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        ),
        other => panic!("expected 400, got {other:?}"),
    }
    // alice herself may not create reviews; kubectl asks with a SelfSubjectAccessReview.
    let alice = token_config(&server, "alice", "alice-t");
    let can = as_token(&k, &alice, &["auth", "can-i", "list", "configmaps"]).await;
    assert_eq!(can.stdout.trim(), "yes");
    let can = as_token(
        &k,
        &alice,
        &[
            "auth",
            "can-i",
            "create",
            "localsubjectaccessreviews.authorization.k8s.io",
        ],
    )
    .await;
    assert_eq!(can.stdout.trim(), "no");
}

/// The Secret once the token controller has filled it (waits up to 10s).
async fn filled_secret(k: &Kubectl<'_>, name: &str) -> Value {
    for _ in 0..100 {
        let s = k.run(&["get", "secret", name, "-o", "json"]).await.json();
        if s["data"]["token"].is_string() {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("secret {name} never got a token");
}

fn decoded(secret: &Value, key: &str) -> String {
    let data = secret["data"][key].as_str().expect("data key");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64");
    String::from_utf8(bytes).expect("utf-8")
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn token_secrets_are_filled_and_authenticate_while_they_hold_the_token() {
    let server = secure_server(true).await;
    let k = Kubectl::new(&server, "legacy").await;
    let secret = |name: &str, sa: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  annotations:\n    kubernetes.io/service-account.name: {sa}\ntype: kubernetes.io/service-account-token\n"
        )
    };
    create_robot(&k).await;
    apply(&k, &secret("robot-token", "robot")).await;
    let s = filled_secret(&k, "robot-token").await;
    let sa_uid = uid(&k, "sa", "robot").await;
    assert_eq!(
        s["metadata"]["annotations"]["kubernetes.io/service-account.uid"],
        sa_uid
    );
    assert_eq!(decoded(&s, "namespace"), "legacy");
    assert_eq!(decoded(&s, "ca.crt"), server.ca_pem().expect("CA"));
    let token = decoded(&s, "token");
    let c = claims(&token);
    assert_eq!(c["iss"], "kubernetes/serviceaccount");
    assert_eq!(c["kubernetes.io/serviceaccount/secret.name"], "robot-token");
    assert!(c.get("exp").is_none());

    let config = token_config(&server, "legacy", &token);
    assert_eq!(
        whoami(&k, &config).await["username"],
        "system:serviceaccount:legacy:robot"
    );
    let run = as_token(&k, &config, &["get", "configmaps"]).await;
    run.says("cannot list resource");
    bind(
        &k,
        "robot-view",
        "ClusterRole/view",
        "ServiceAccount/legacy:robot",
    )
    .await;
    as_token(&k, &config, &["get", "configmaps"]).await.out();

    k.run(&["delete", "secret", "robot-token"]).await.out();
    let status = review(&server, &token, &[]).await;
    assert_eq!(
        status["error"],
        "[invalid bearer token, Token has been invalidated]"
    );

    // A Secret that names an account not created yet is filled once the account exists.
    apply(&k, &secret("late-token", "late")).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let s = k
        .run(&["get", "secret", "late-token", "-o", "json"])
        .await
        .json();
    assert!(s["data"]["token"].is_null(), "{s}");
    k.run(&["create", "serviceaccount", "late"]).await.out();
    let s = filled_secret(&k, "late-token").await;
    let status = review(&server, &decoded(&s, "token"), &[]).await;
    assert_eq!(
        status["user"]["username"],
        "system:serviceaccount:legacy:late"
    );
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with RBAC, token issuing and restarts"
)]
async fn service_accounts_discover_the_issuer_and_verify_tokens_with_its_keys() {
    let server = secure_server(true).await;
    let k = Kubectl::new(&server, "oidc").await;
    create_robot(&k).await;
    let token = create_token(&k, &["robot"]).await;
    let robot = token_config(&server, "robot", &token);
    let raw = |path: &'static str| ["get", "--raw", path];
    let config = as_token(&k, &robot, &raw("/.well-known/openid-configuration"))
        .await
        .json();
    assert_eq!(config["issuer"], ISSUER);
    assert_eq!(config["jwks_uri"], format!("{ISSUER}/openid/v1/jwks"));
    let jwks = as_token(&k, &robot, &raw("/openid/v1/jwks")).await.json();
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kty"].clone(), key["crv"].clone()),
        (json!("EC"), json!("P-256"))
    );

    // The token's signature checks out with the published key and its kid.
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().expect("header"))
            .expect("base64url"),
    )
    .expect("JSON");
    assert_eq!(header["alg"], "ES256");
    assert_eq!(header["kid"], key["kid"]);
    let coord = |c: &str| {
        URL_SAFE_NO_PAD
            .decode(key[c].as_str().expect(c))
            .expect("b64")
    };
    let mut point = vec![4u8];
    point.extend(coord("x"));
    point.extend(coord("y"));
    let (input, sig) = token.rsplit_once('.').expect("JWS");
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &point)
        .verify(input.as_bytes(), &URL_SAFE_NO_PAD.decode(sig).expect("b64"))
        .expect("the token verifies with the published key");

    // Discovery is for service accounts (system:service-account-issuer-discovery).
    let alice = token_config(&server, "alice", "alice-t");
    let run = as_token(&k, &alice, &raw("/openid/v1/jwks")).await;
    run.says("cannot get path \"/openid/v1/jwks\"");
}
