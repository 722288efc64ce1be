//! Immutable fields answer 422 Invalid as kube-apiserver does, through kubectl apply, update,
//! merge patch, server-side apply and dry runs; stale resourceVersions on apply and patch 409.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use kube::api::{Api, Patch, PatchParams, PostParams};
use serde_json::{Value, json};

use crate::support::{Kubectl, api_status, server};

fn deployment(name: &str, app: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {"selector": {"matchLabels": {"app": app}},
            "template": {"metadata": {"labels": {"app": app}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immutable_configmap_refuses_data_changes() {
    let s = server().await;
    let k = Kubectl::new(&s, "imm-cm").await;
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nimmutable: true\ndata:\n  a: \"1\"\n";
    k.run_stdin(&["apply", "-f", "-"], cm).await.out();
    let run = k
        .run_stdin(&["apply", "-f", "-"], &cm.replace("\"1\"", "\"2\""))
        .await;
    assert!(!run.ok, "kubectl apply must fail: {}", run.stdout);
    assert!(
        run.stderr.contains(
            "ConfigMap \"x\" is invalid: data: Forbidden: field is immutable when `immutable` is set"
        ),
        "{}",
        run.stderr
    );
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), &k.namespace);
    let apply = PatchParams::apply("mgr").force();
    for dry in [true, false] {
        let mut pp = apply.clone();
        pp.dry_run = dry;
        let patch = Patch::Apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "x"}, "immutable": false, "data": {"a": "1"}}));
        let (code, reason, msg) = api_status(api.patch("x", &pp, &patch).await.expect_err("ssa"));
        assert_eq!((code, reason.as_str()), (422, "Invalid"), "dry={dry} {msg}");
        assert!(
            msg.contains("immutable: Forbidden: field is immutable"),
            "{msg}"
        );
    }
    // Labels may still change.
    let labelled = api
        .patch(
            "x",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"l": "v"}}})),
        )
        .await
        .expect("metadata stays mutable");
    assert_eq!(labelled.data.expect("data")["a"], "1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployment_selector_is_immutable_everywhere() {
    let s = server().await;
    let k = Kubectl::new(&s, "imm-dep").await;
    let api: Api<Deployment> = Api::namespaced(s.client().expect("client"), &k.namespace);
    let d: Deployment = serde_json::from_value(deployment("web", "web")).expect("deployment");
    let d = api
        .create(&PostParams::default(), &d)
        .await
        .expect("create");
    let want = "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable";

    let mut changed: Deployment =
        serde_json::from_value(deployment("web", "web2")).expect("deployment");
    changed.metadata.resource_version = d.metadata.resource_version.clone();
    let e = api
        .replace("web", &PostParams::default(), &changed)
        .await
        .expect_err("update");
    let (code, reason, msg) = api_status(e);
    assert_eq!(
        (code, reason.as_str(), msg.as_str()),
        (422, "Invalid", want)
    );

    let dry = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let (code, _, msg) = api_status(api.replace("web", &dry, &changed).await.expect_err("dry"));
    assert_eq!((code, msg.as_str()), (422, want));

    let mut pp = PatchParams::apply("other").force();
    pp.dry_run = true;
    let (code, _, msg) = api_status(
        api.patch("web", &pp, &Patch::Apply(deployment("web", "web2")))
            .await
            .expect_err("ssa"),
    );
    assert_eq!((code, msg.as_str()), (422, want));

    let run = k
        .run(&[
            "patch",
            "deployment",
            "web",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"selector":{"matchLabels":{"app":"web2"}}}}"#,
        ])
        .await;
    assert!(!run.ok);
    assert!(run.stderr.contains("field is immutable"), "{}", run.stderr);
    // Replicas still change.
    let scaled = api
        .patch(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 3}})),
        )
        .await
        .expect("scale");
    assert_eq!(scaled.spec.expect("spec").replicas, Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statefulset_job_service_pvc_rules() {
    let s = server().await;
    let k = Kubectl::new(&s, "imm-kinds").await;
    let objects = r#"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: pg}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  ports: [{port: 80}]
"#;
    k.run_stdin(&["apply", "-f", "-"], objects).await.out();
    let cases = [
        (
            "statefulset",
            "db",
            r#"{"spec":{"serviceName":"other"}}"#,
            "\"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than",
        ),
        (
            "job",
            "once",
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"alpine"}]}}}}"#,
            "\"once\" is invalid: spec.template: Invalid value:",
        ),
        (
            "pvc",
            "data",
            r#"{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"#,
            "\"data\" is invalid: spec: Forbidden: spec is immutable after creation",
        ),
        (
            "service",
            "svc",
            r#"{"spec":{"clusterIP":"10.0.0.99"}}"#,
            "\"svc\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.99\"}: may not change once set",
        ),
    ];
    for (kind, name, patch, want) in cases {
        let run = k
            .run(&["patch", kind, name, "--type", "merge", "-p", patch])
            .await;
        assert!(!run.ok, "{kind} patch must fail");
        assert!(run.stderr.contains(want), "{kind}: {}", run.stderr);
    }
    // What stays mutable.
    for (kind, name, patch) in [
        ("statefulset", "db", r#"{"spec":{"replicas":3}}"#),
        ("job", "once", r#"{"spec":{"parallelism":2}}"#),
        ("service", "svc", r#"{"spec":{"type":"NodePort"}}"#),
    ] {
        k.run(&["patch", kind, name, "--type", "merge", "-p", patch])
            .await
            .out();
    }
    // Client-side apply of the unchanged Service keeps its allocated IP.
    let svc: Api<Service> = Api::namespaced(s.client().expect("client"), &k.namespace);
    let ip = svc
        .get("svc")
        .await
        .expect("svc")
        .spec
        .expect("spec")
        .cluster_ip;
    k.run_stdin(&["apply", "-f", "-"], objects).await.out();
    let again = svc
        .get("svc")
        .await
        .expect("svc")
        .spec
        .expect("spec")
        .cluster_ip;
    assert_eq!(ip, again);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uid_change_is_invalid() {
    let s = server().await;
    let ns = s.namespace("imm-uid").await;
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), &ns);
    let cm: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "u"}, "data": {"a": "1"}})).expect("cm");
    let mut cm = api
        .create(&PostParams::default(), &cm)
        .await
        .expect("create");
    cm.metadata.uid = Some("00000000-0000-0000-0000-000000000000".into());
    let (code, _, msg) = api_status(
        api.replace("u", &PostParams::default(), &cm)
            .await
            .expect_err("uid"),
    );
    assert_eq!(code, 422);
    assert!(
        msg.contains("metadata.uid: Invalid value: \"00000000-0000-0000-0000-000000000000\": field is immutable"),
        "{msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_resource_version_on_apply_and_patch_conflicts() {
    let s = server().await;
    let ns = s.namespace("imm-rv").await;
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), &ns);
    let cm: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "rv"}, "data": {"a": "1"}}))
            .expect("cm");
    let first = api
        .create(&PostParams::default(), &cm)
        .await
        .expect("create");
    let stale = first.metadata.resource_version.clone().expect("rv");
    api.patch(
        "rv",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"a": "2"}})),
    )
    .await
    .expect("bump");
    let want = "Operation cannot be fulfilled on configmaps \"rv\": the object has been modified; please apply your changes to the latest version and try again";
    let apply = Patch::Apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "rv", "resourceVersion": stale}, "data": {"a": "3"}}));
    let (code, reason, msg) = api_status(
        api.patch("rv", &PatchParams::apply("m").force(), &apply)
            .await
            .expect_err("ssa"),
    );
    assert_eq!(
        (code, reason.as_str(), msg.as_str()),
        (409, "Conflict", want)
    );
    let merge = Patch::Merge(json!({"metadata": {"resourceVersion": stale}, "data": {"a": "3"}}));
    let (code, _, msg) = api_status(
        api.patch("rv", &PatchParams::default(), &merge)
            .await
            .expect_err("merge"),
    );
    assert_eq!((code, msg.as_str()), (409, want));
    let current = api.get("rv").await.expect("get");
    assert_eq!(current.data.expect("data")["a"], "2");
    // The current resourceVersion applies.
    let apply = Patch::Apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "rv", "resourceVersion": current.metadata.resource_version},
        "data": {"a": "3"}}));
    api.patch("rv", &PatchParams::apply("m").force(), &apply)
        .await
        .expect("apply at the current version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_type_changes_release_what_no_longer_applies() {
    let s = server().await;
    let k = Kubectl::new(&s, "imm-svc").await;
    // The node port is allocated: a fixed one may be taken on a shared cluster.
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n";
    k.run_stdin(&["apply", "-f", "-"], svc).await.out();
    let api: Api<Service> = Api::namespaced(s.client().expect("client"), &k.namespace);
    let made = api.get("s").await.expect("service");
    let allocated = made.spec.and_then(|s| s.ports).expect("ports")[0].node_port;
    assert!(
        allocated.is_some_and(|p| (30000..=32767).contains(&p)),
        "{allocated:?}"
    );
    let to_cluster_ip = json!({"spec": {"type": "ClusterIP"}});
    let got = api
        .patch("s", &PatchParams::default(), &Patch::Merge(to_cluster_ip))
        .await
        .expect("to ClusterIP");
    let spec = got.spec.expect("spec");
    let ports = spec.ports.expect("ports");
    assert_eq!(
        ports[0].node_port, None,
        "unchanged node ports are released"
    );
    let ip = spec.cluster_ip.clone().expect("ip");
    let to_external = json!({"spec": {"type": "ExternalName", "externalName": "db.example.com"}});
    let got = api
        .patch("s", &PatchParams::default(), &Patch::Merge(to_external))
        .await
        .expect("to ExternalName");
    let spec = got.spec.expect("spec");
    assert_eq!(spec.cluster_ip, None, "{spec:?}");
    assert_eq!(spec.cluster_ips, None);
    let back = json!({"spec": {"type": "ClusterIP", "externalName": null}});
    let got = api
        .patch("s", &PatchParams::default(), &Patch::Merge(back))
        .await
        .expect("back to ClusterIP");
    let new_ip = got
        .spec
        .expect("spec")
        .cluster_ip
        .expect("a new cluster IP");
    assert!(
        !new_ip.is_empty() && new_ip != "None",
        "{new_ip} (was {ip})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_job_may_change_its_scheduling() {
    let s = server().await;
    let k = Kubectl::new(&s, "imm-job").await;
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: q\nspec:\n  suspend: true\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n";
    k.run_stdin(&["apply", "-f", "-"], job).await.out();
    let scheduling = r#"{"spec":{"template":{"metadata":{"labels":{"queue":"a"}},"spec":{"nodeSelector":{"pool":"gpu"}}}}}"#;
    k.run(&["patch", "job", "q", "--type", "merge", "-p", scheduling])
        .await
        .out();
    let image = r#"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"alpine"}]}}}}"#;
    let run = k
        .run(&["patch", "job", "q", "--type", "merge", "-p", image])
        .await;
    assert!(!run.ok, "the containers stay immutable");
    assert!(
        run.stderr.contains("spec.template: Invalid value:")
            && run.stderr.contains("field is immutable"),
        "{}",
        run.stderr
    );
}

/// kube-apiserver 1.33 prints the whole new template with Go's `%#v` (1.34 and later print
/// it as JSON, which is accepted when the suite runs against such a cluster).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_template_change_prints_the_template() {
    let s = server().await;
    let k = Kubectl::new(&s, "imm-job-msg").await;
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, command: [sh, -c, 'true']}]\n";
    k.run_stdin(&["apply", "-f", "-"], job).await.out();
    let run = k
        .run_stdin(&["apply", "-f", "-"], &job.replace("busybox", "alpine"))
        .await;
    assert!(!run.ok, "{run:?}");
    let err = run.stderr.trim_end();
    let go = [
        "The Job \"once\" is invalid: spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", GenerateName:\"\", Namespace:\"\", SelfLink:\"\", UID:\"\", ResourceVersion:\"\", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string",
        "Spec:core.PodSpec{Volumes:[]core.Volume(nil), InitContainers:[]core.Container(nil), Containers:[]core.Container{core.Container{Name:\"c\", Image:\"alpine\", Command:[]string{\"sh\", \"-c\", \"true\"}, Args:[]string(nil), WorkingDir:\"\", Ports:[]core.ContainerPort(nil), EnvFrom:[]core.EnvFromSource(nil), Env:[]core.EnvVar(nil), Resources:core.ResourceRequirements{Limits:core.ResourceList(nil), Requests:core.ResourceList(nil), Claims:[]core.ResourceClaim(nil)}, ResizePolicy:[]core.ContainerResizePolicy(nil), RestartPolicy:(*core.ContainerRestartPolicy)(nil), VolumeMounts:[]core.VolumeMount(nil), VolumeDevices:[]core.VolumeDevice(nil), LivenessProbe:(*core.Probe)(nil), ReadinessProbe:(*core.Probe)(nil), StartupProbe:(*core.Probe)(nil), Lifecycle:(*core.Lifecycle)(nil), TerminationMessagePath:\"/dev/termination-log\", TerminationMessagePolicy:\"File\", ImagePullPolicy:\"Always\", SecurityContext:(*core.SecurityContext)(nil), Stdin:false, StdinOnce:false, TTY:false}}, EphemeralContainers:[]core.EphemeralContainer(nil), RestartPolicy:\"Never\", TerminationGracePeriodSeconds:(*int64)(0x",
        "SchedulerName:\"default-scheduler\", Tolerations:[]core.Toleration(nil)",
    ];
    let json = err.contains("spec.template: Invalid value: {") && err.contains("\"alpine\"");
    assert!(json || go.iter().all(|part| err.contains(part)), "{err}");
    assert!(err.ends_with("}: field is immutable"), "{err}");
}
