//! kubectl 1.32+ creates built-in kinds with protobuf bodies (`kubectl create deployment`,
//! `service`, `job`, `role`, ...). Each object created that way must be stored exactly as the
//! same object sent as JSON (`--dry-run=client -o json` piped to `kubectl create -f -`),
//! managedFields included.

use serde_json::Value;

use crate::support::{Kubectl, server};

/// Every string equal to `uid` (a Job's generated selector and labels carry it) as "UID".
fn without_uid(v: &mut Value, uid: &str) {
    match v {
        Value::String(s) if s == uid => *s = "UID".to_string(),
        Value::Array(a) => a.iter_mut().for_each(|i| without_uid(i, uid)),
        Value::Object(m) => m.values_mut().for_each(|i| without_uid(i, uid)),
        _ => {}
    }
}

/// The parts of a stored object that differ between two creates of the same object.
fn normalized(mut obj: Value) -> Value {
    if let Some(uid) = obj.pointer("/metadata/uid").and_then(Value::as_str) {
        let uid = uid.to_string();
        without_uid(&mut obj, &uid);
    }
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in ["uid", "resourceVersion", "creationTimestamp", "namespace"] {
            meta.remove(k);
        }
        if let Some(mf) = meta.get_mut("managedFields").and_then(Value::as_array_mut) {
            for e in mf {
                if let Some(e) = e.as_object_mut() {
                    e.remove("time");
                }
            }
        }
    }
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
    }
    obj
}

const NAMESPACED: &[(&str, &[&str])] = &[
    (
        "deploy/web",
        &[
            "deployment",
            "web",
            "--image=nginx",
            "--replicas=0",
            "--port=8080",
        ],
    ),
    (
        "job/j",
        &["job", "j", "--image=busybox", "--", "echo", "hi"],
    ),
    (
        "cronjob/cj",
        &[
            "cronjob",
            "cj",
            "--image=busybox",
            "--schedule=*/5 * * * *",
            "--",
            "date",
        ],
    ),
    (
        "svc/web",
        &["service", "clusterip", "web", "--tcp=80:8080", "--tcp=443"],
    ),
    (
        "svc/np",
        &[
            "service",
            "nodeport",
            "np",
            "--tcp=5678:8080",
            "--node-port=30080",
        ],
    ),
    (
        "svc/ext",
        &[
            "service",
            "externalname",
            "ext",
            "--external-name=example.com",
        ],
    ),
    (
        "role/r",
        &[
            "role",
            "r",
            "--verb=get,list",
            "--resource=pods,deployments.apps",
            "--resource-name=x",
        ],
    ),
    (
        "rolebinding/rb",
        &[
            "rolebinding",
            "rb",
            "--role=r",
            "--user=alice",
            "--serviceaccount=default:sa",
        ],
    ),
    (
        "ingress/ing",
        &[
            "ingress",
            "ing",
            "--rule=foo.com/bar*=svc1:8080,tls=my-cert",
            "--class=nginx",
            "--annotation=a=b",
        ],
    ),
    (
        "quota/q",
        &[
            "quota",
            "q",
            "--hard=cpu=1,memory=1G,pods=2",
            "--scopes=BestEffort",
        ],
    ),
    (
        "pdb/pdb",
        &[
            "poddisruptionbudget",
            "pdb",
            "--selector=app=web",
            "--min-available=50%",
        ],
    ),
    (
        "pdb/pdb2",
        &[
            "poddisruptionbudget",
            "pdb2",
            "--selector=app=web",
            "--max-unavailable=1",
        ],
    ),
    (
        "cm/c",
        &["configmap", "c", "--from-literal=a=1", "--from-literal=b="],
    ),
    (
        "secret/s",
        &[
            "secret",
            "generic",
            "s",
            "--from-literal=k=v",
            "--type=Opaque",
        ],
    ),
    ("sa/sa", &["serviceaccount", "sa"]),
];

const CLUSTER: &[(&str, &[&str])] = &[
    (
        "clusterrole/cr",
        &[
            "clusterrole",
            "cr",
            "--verb=get",
            "--resource=nodes",
            "--non-resource-url=/healthz",
        ],
    ),
    (
        "clusterrolebinding/crb",
        &[
            "clusterrolebinding",
            "crb",
            "--clusterrole=cr",
            "--group=devs",
        ],
    ),
    (
        "priorityclass/high",
        &[
            "priorityclass",
            "high",
            "--value=1000",
            "--description=important",
            "--preemption-policy=Never",
        ],
    ),
];

async fn create(k: &Kubectl<'_>, args: &[&str]) -> String {
    let mut create = vec!["create"];
    create.extend_from_slice(args);
    let out = k.run(&create).await.out();
    let mut dry = vec!["create", "--dry-run=client", "-o", "json"];
    dry.extend_from_slice(args);
    assert!(out.contains("created"), "{out}");
    let mut sent: Value = k.run(&dry).await.json();
    if let Some(meta) = sent.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("namespace");
    }
    sent.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: checks our protobuf decoding, creating cluster-scoped objects under fixed names"
)]
async fn kubectl_create_with_protobuf_stores_what_json_would() {
    let s = server().await;
    let proto = Kubectl::new(&s, "proto").await;
    let json = Kubectl::new(&s, "json").await;
    for (object, args) in NAMESPACED {
        let sent = create(&proto, args).await;
        let a = proto.run(&["get", object, "-o", "json"]).await.json();
        if args.iter().any(|a| a.starts_with("--node-port")) {
            // Its node port is held until it goes.
            proto.run(&["delete", object]).await.out();
        }
        json.run_stdin(&["create", "-f", "-"], &sent).await.out();
        let b = json.run(&["get", object, "-o", "json"]).await.json();
        assert_eq!(normalized(a), normalized(b), "{object}");
    }
    for (object, args) in CLUSTER {
        let sent = create(&proto, args).await;
        let a = proto.run(&["get", object, "-o", "json"]).await.json();
        proto.run(&["delete", object]).await.out();
        json.run_stdin(&["create", "-f", "-"], &sent).await.out();
        let b = json.run(&["get", object, "-o", "json"]).await.json();
        assert_eq!(normalized(a), normalized(b), "{object}");
    }
    let deploy = proto.run(&["get", "deploy/web", "-o", "json"]).await.json();
    assert_eq!(deploy["spec"]["replicas"], 0, "an explicit zero survives");
    let svc = proto.run(&["get", "svc/web", "-o", "json"]).await.json();
    assert_eq!(svc["spec"]["ports"][1]["targetPort"], 443);
}
