//! `--dry-run=server` against a live API server: fluxion-apiserver runs in-process, the
//! test creates objects through kube-rs, then the real helm v4 and `fluxion-helm` render the
//! same chart with `--kubeconfig` and must print the same bytes (or the same `Error:`).

mod cluster;

use cluster::{Fixture, chart_dir, compare};

/// Templates that look objects up every way a chart can, and read live capabilities.
const LOOKUPS: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: looked-up
data:
  one: {{ (lookup "v1" "ConfigMap" "team" "app").data | toJson | quote }}
  missing: {{ lookup "v1" "ConfigMap" "team" "nope" | toJson | quote }}
  missingNs: {{ lookup "v1" "ConfigMap" "nowhere" "app" | toJson | quote }}
  namespace: {{ (lookup "v1" "Namespace" "" "team").metadata.name | quote }}
  namespaceIgnoresNs: {{ (lookup "v1" "Namespace" "other" "team").metadata.name | quote }}
  listNames: {{ range (lookup "v1" "ConfigMap" "team" "").items }}{{ .metadata.name }},{{ end }}
  listAll: {{ range (lookup "v1" "ConfigMap" "" "").items }}{{ .metadata.namespace }}/{{ .metadata.name }},{{ end }}
  listKind: {{ (lookup "v1" "ConfigMap" "team" "").kind | quote }}
  emptyList: {{ lookup "apps/v1" "Deployment" "team" "" | toJson | quote }}
  widget: {{ (lookup "example.com/v1" "Widget" "team" "w1").spec | toJson | quote }}
  widgets: {{ range (lookup "example.com/v1" "Widget" "" "").items }}{{ .kind }}/{{ .metadata.name }},{{ end }}
  unknownKindGet: {{ lookup "v1" "Frob" "team" "a" | toJson | quote }}
  unknownKindList: {{ (lookup "v1" "Frob" "team" "").items | toJson | quote }}
  kube: {{ .Capabilities.KubeVersion | quote }}
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  kubeMinor: {{ .Capabilities.KubeVersion.Minor | quote }}
  hasApps: {{ .Capabilities.APIVersions.Has "apps/v1" | quote }}
  hasWidgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}
  hasOld: {{ .Capabilities.APIVersions.Has "batch/v1beta1" | quote }}
  secret: |
    {{- lookup "v1" "Secret" "team" "creds" | toYaml | nindent 4 }}
  list: |
    {{- lookup "v1" "ConfigMap" "team" "" | toYaml | nindent 4 }}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_and_capabilities_match_helm() {
    let fx = Fixture::start().await;
    fx.seed().await;
    let chart = chart_dir(&[("cm.yaml", LOOKUPS)]);
    let kc = fx.kubeconfig();
    let out = compare(
        chart.path(),
        &["r", "c", "--dry-run=server", "--kubeconfig", &kc],
    );
    let text = out.expect("helm renders against the server");
    for want in [
        "one: \"{\\\"k\\\":\\\"v\\\",\\\"n\\\":\\\"1\\\"}\"",
        "missing: \"{}\"",
        "namespace: \"team\"",
        "listNames: app,other,",
        "widget: \"{\\\"size\\\":3}\"",
        "widgets: Widget/w1,",
        "hasWidgets: \"true\"",
        "kind: Secret",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // Another namespace from the kubeconfig context or -n changes nothing the lookups see.
    compare(
        chart.path(),
        &[
            "r",
            "c",
            "--dry-run=server",
            "--kubeconfig",
            &kc,
            "-n",
            "team",
        ],
    )
    .expect("renders in team");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_lookup_stays_empty() {
    let fx = Fixture::start().await;
    fx.seed().await;
    let chart = chart_dir(&[(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ lookup \"v1\" \"ConfigMap\" \"team\" \"app\" | toJson | quote }}\n",
    )]);
    let kc = fx.kubeconfig();
    for mode in [
        &["--kubeconfig", kc.as_str()][..],
        &["--dry-run=client", "--kubeconfig", &kc],
        &["--dry-run"],
    ] {
        let mut args = vec!["r", "c"];
        args.extend_from_slice(mode);
        let text = compare(chart.path(), &args).expect("renders offline");
        assert!(text.contains("a: \"{}\""), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_dry_run_errors_match_helm() {
    let fx = Fixture::start().await;
    fx.seed().await;
    let kc = fx.kubeconfig();
    let server = ["--dry-run=server", "--kubeconfig", kc.as_str()];
    let cases: &[(&str, &[&str])] = &[
        (
            "x: {{ lookup \"nope.io/v1\" \"Frob\" \"team\" \"a\" | toYaml }}\n",
            &[],
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: team\n",
            &[],
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
            &["-n", "team"],
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n",
            &["-n", "team", "--name-template", "other"],
        ),
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n",
            &[],
        ),
        (
            "apiVersion: x.io/v1\nkind: Frob\nmetadata:\n  name: a\n",
            &[],
        ),
        ("apiVersion: v1\nkind: Frob\nmetadata:\n  name: a\n", &[]),
        ("a: 1\n", &[]),
        ("kind: ConfigMap\nmetadata:\n  name: a\n", &[]),
    ];
    for (template, extra) in cases {
        let chart = chart_dir(&[("x.yaml", template)]);
        let mut args: Vec<&str> = Vec::new();
        if !extra.contains(&"--name-template") {
            args.push("r");
        }
        args.push("c");
        args.extend_from_slice(&server);
        args.extend_from_slice(extra);
        let out = compare(chart.path(), &args);
        assert!(out.is_err(), "{template}: expected an error, got {out:?}");
    }
    // An object this release already owns is no conflict.
    let chart = chart_dir(&[(
        "x.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n",
    )]);
    let mut args = vec!["r", "c", "-n", "team"];
    args.extend_from_slice(&server);
    compare(chart.path(), &args).expect("owned by the release");
    // --take-ownership adopts the existing object instead of refusing it.
    let chart = chart_dir(&[("x.yaml", cases[1].0)]);
    let mut args = vec!["r", "c", "--take-ownership"];
    args.extend_from_slice(&server);
    compare(chart.path(), &args).expect("adopts");
    // So does an upgrade.
    let mut args = vec!["r", "c", "--is-upgrade"];
    args.extend_from_slice(&server);
    compare(chart.path(), &args).expect("upgrades");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_clusters_fail_as_helm_does() {
    let fx = Fixture::start().await;
    let chart = chart_dir(&[(
        "x.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    )]);
    let dir = tempfile::tempdir().expect("temp dir");
    let closed = cluster::closed_port_kubeconfig(dir.path());
    let missing = dir.path().join("missing-kubeconfig").display().to_string();
    let kc = fx.kubeconfig();
    let cases: Vec<Vec<&str>> = vec![
        vec!["r", "c", "--dry-run=server", "--kubeconfig", &closed],
        vec!["r", "c", "--dry-run=server", "--kubeconfig", &missing],
        vec![
            "r",
            "c",
            "--dry-run=server",
            "--kubeconfig",
            &kc,
            "--kube-context",
            "nope",
        ],
        vec!["r", "c", "--dry-run=none"],
        vec!["r", "c", "--dry-run=false"],
        vec!["r", "c", "--dry-run=sometimes"],
    ];
    for args in cases {
        let out = compare(chart.path(), &args);
        assert!(out.is_err(), "{args:?}: expected an error, got {out:?}");
    }
}

/// The blocking client works when the renderer is called from inside a tokio runtime (as
/// the fluxion CLI and the controllers call it): no nested-runtime panic, live answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renders_in_process_from_async_code() {
    use fluxion_helm::cli::DryRun;
    use fluxion_helm::engine::render_template::{TemplateOptions, helm_template};
    use fluxion_helm::live::ClusterOptions;

    let fx = Fixture::start().await;
    fx.seed().await;
    let chart = chart_dir(&[(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {{ (lookup \"v1\" \"ConfigMap\" \"team\" \"app\").data.k | quote }}\n",
    )]);
    let opts = TemplateOptions {
        release_name: "r".into(),
        chart: chart.path().join("c"),
        dry_run: DryRun::Server,
        cluster: ClusterOptions {
            kubeconfig: Some(fx.kubeconfig().into()),
            context: None,
        },
        ..Default::default()
    };
    let out = helm_template(&opts).expect("renders against the server");
    assert!(out.contains("k: \"v\""), "{out}");
}

/// Without -n the release namespace is the kubeconfig context's, offline too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespace_comes_from_the_kubeconfig_context() {
    let fx = Fixture::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let kc = dir.path().join("team-kubeconfig");
    let url = std::fs::read_to_string(fx.kubeconfig())
        .expect("kubeconfig")
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: ").map(str::to_string))
        .expect("server line");
    std::fs::write(
        &kc,
        fluxion_apiserver::server::kubeconfig_yaml(&url, "team"),
    )
    .expect("write");
    let kc = kc.display().to_string();
    let chart = chart_dir(&[(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {{ .Release.Namespace }}\n",
    )]);
    let offline = compare(chart.path(), &["r", "c", "--kubeconfig", &kc]).expect("renders");
    assert!(offline.contains("namespace: team"), "{offline}");
    let explicit =
        compare(chart.path(), &["r", "c", "--kubeconfig", &kc, "-n", "x"]).expect("renders");
    assert!(explicit.contains("namespace: x"), "{explicit}");
}
