//! Differential tests of `fluxion-helm template` against the real `helm template` (Helm v4)
//! on the realistic charts in testdata/charts, with value and flag variants and error cases.

mod archives;
mod chart_object;
mod chart_yaml;
mod dependencies;
mod harness;
mod yaml_errors;

use harness::{assert_renders, charts_dir, check_all, run, run_args};

#[test]
fn webapp_matches_helm() {
    let runs = vec![
        run("defaults", "rel webapp"),
        run("namespace", "rel webapp -n production"),
        run(
            "long-name",
            "a-long-release-name-that-needs-truncating-to-fit webapp",
        ),
        run(
            "name-too-long",
            "a-very-long-release-name-that-needs-truncation-to-fit-dns webapp",
        ),
        run("name-invalid", "Upper_Case webapp"),
        run("name-contains-chart", "my-webapp webapp"),
        run("prod-file", "rel webapp -f ../values/webapp-prod.yaml"),
        run(
            "two-files",
            "rel webapp -f ../values/webapp-prod.yaml -f ../values/webapp-overrides.yaml",
        ),
        run(
            "files-comma",
            "rel webapp --values ../values/webapp-overrides.yaml,../values/webapp-prod.yaml",
        ),
        run(
            "file-then-set",
            "rel webapp -f ../values/webapp-prod.yaml --set replicaCount=7 --set image.tag=edge",
        ),
        run(
            "ingress",
            "rel webapp --set ingress.enabled=true --set ingress.className=traefik",
        ),
        run(
            "ingress-old-kube",
            "rel webapp --set ingress.enabled=true --kube-version 1.21.3",
        ),
        run(
            "hpa",
            "rel webapp --set autoscaling.enabled=true --set autoscaling.targetCPUUtilizationPercentage=null",
        ),
        run(
            "servicemonitor-without-api",
            "rel webapp --set metrics.serviceMonitor.enabled=true",
        ),
        run(
            "servicemonitor-api",
            "rel webapp --set metrics.serviceMonitor.enabled=true -a monitoring.coreos.com/v1",
        ),
        run(
            "servicemonitor-api-list",
            "rel webapp --set metrics.serviceMonitor.enabled=true --api-versions foo/v1,monitoring.coreos.com/v1",
        ),
        run(
            "set-string",
            "rel webapp --set-string env.PORT=8080 --set-string env.ENABLED=true",
        ),
        run(
            "set-typed",
            "rel webapp --set env.PORT=8080 --set env.ENABLED=true --set env.EMPTY=null --set env.ZIP=007",
        ),
        run(
            "set-list",
            "rel webapp --set config.features={a,b,c} --set extraEnv[0].name=A --set extraEnv[0].value=1",
        ),
        run(
            "set-escape",
            r"rel webapp --set podAnnotations.example\.com/role=web --set env.LIST=a\,b",
        ),
        run(
            "set-index-gap",
            "rel webapp --set extraEnv[1].name=B --set extraEnv[1].value=2 --set extraEnv[0].name=A",
        ),
        run(
            "set-json",
            r#"rel webapp --set-json config.database={"host":"json.db","port":6543,"tls":true}"#,
        ),
        run(
            "set-json-map",
            r#"rel webapp --set-json {"replicaCount":4,"podLabels":{"team":"web"}}"#,
        ),
        run(
            "set-json-list",
            r#"rel webapp --set-json imagePullSecrets=[{"name":"a"},{"name":"b"}]"#,
        ),
        run(
            "set-file",
            "rel webapp --set-file config.banner=../values/greeting.txt",
        ),
        run(
            "null-deletes",
            "rel webapp --set resources=null --set securityContext.capabilities=null",
        ),
        run("upgrade", "rel webapp --is-upgrade"),
        run("kube-version", "rel webapp --kube-version v1.29.4"),
        run(
            "show-only",
            "rel webapp --show-only templates/deployment.yaml",
        ),
        run(
            "show-only-two",
            "rel webapp -s templates/service.yaml -s templates/configmap.yaml",
        ),
        run("show-only-glob", "rel webapp -s templates/*.yaml"),
        run(
            "show-only-test",
            "rel webapp -s templates/tests/test-connection.yaml",
        ),
        run("skip-tests", "rel webapp --skip-tests"),
        run("include-crds-none", "rel webapp --include-crds"),
        run_args(
            "override-name",
            &["rel", "webapp", "--set", "fullnameOverride=custom name-"],
        ),
        run("one-arg", "webapp"),
        run("zero-replicas", "rel webapp --set replicaCount=0"),
        run("kube-version-short", "rel webapp --kube-version 1.30"),
        run(
            "kube-version-build",
            "rel webapp --kube-version v1.30.2+k3s1",
        ),
        run(
            "set-float-text",
            "rel webapp --set image.tag=1.0 --set env.BIG=12345678901",
        ),
        run(
            "set-json-exponent",
            "rel webapp --set-json env.F=1e3 --set-json extraEnv=null",
        ),
        run(
            "nested-index",
            "rel webapp --set ingress.enabled=true --set ingress.hosts[0].paths[0].path=/x",
        ),
        run(
            "tls-list",
            "rel webapp --set ingress.enabled=true,ingress.tls[0].secretName=s,ingress.tls[0].hosts={a.com}",
        ),
        run("show-only-notes", "rel webapp -s templates/NOTES.txt"),
        run("show-only-partial", "rel webapp -s templates/_helpers.tpl"),
        run(
            "no-service-account",
            "rel webapp --set serviceAccount.create=false",
        ),
        run(
            "schema-set-string",
            "rel webapp --set-string replicaCount=3",
        ),
    ];
    assert_renders(&runs[0], &charts_dir());
    check_all("webapp", &runs, &charts_dir());
}

#[test]
fn platform_umbrella_matches_helm() {
    let runs = vec![
        run("defaults", "rel platform"),
        run(
            "prod",
            "rel platform -f ../values/platform-prod.yaml -n prod",
        ),
        run("tag-batch-off", "rel platform --set tags.batch=false"),
        run(
            "tags-all-off",
            "rel platform --set tags.core=false,tags.batch=false,tags.ui=false",
        ),
        run(
            "condition-beats-tag",
            "rel platform --set tags.ui=false --set frontend.enabled=true",
        ),
        run(
            "condition-off",
            "rel platform --set frontend.enabled=false --set summary.enabled=false",
        ),
        run(
            "second-condition",
            "rel platform --set worker.enabled=null --set global.workers=false",
        ),
        run(
            "first-condition-wins",
            "rel platform --set worker.enabled=true --set global.workers=false",
        ),
        run(
            "worker-enabled",
            "rel platform --set worker.enabled=true --set worker.queue=emails",
        ),
        run(
            "globals",
            "rel platform --set global.imageRegistry=mirror.local --set global.labels.team=sre",
        ),
        run(
            "subchart-null",
            "rel platform --set api.resources=null --set worker.info=null",
        ),
        run(
            "import-override",
            "rel platform --set imported.api.tier=platinum",
        ),
        run(
            "export-override",
            "rel platform --set frontendDefaults.cache=60",
        ),
        run(
            "subchart-values",
            "rel platform --set api.port=9999 --set api.image.repository=other/api",
        ),
        run(
            "show-only-subchart",
            "rel platform -s charts/api/templates/deployment.yaml",
        ),
        run(
            "show-only-subchart-glob",
            "rel platform -s charts/*/templates/deployment.yaml",
        ),
        run(
            "subchart-global-override",
            "rel platform --set api.global.environment=x --set frontend.global.imageRegistry=sub",
        ),
        run("global-null", "rel platform --set global=null"),
        run("global-table-null", "rel platform --set global.labels=null"),
        run("tags-null", "rel platform --set tags=null"),
        run("subchart-null-whole", "rel platform --set api=null"),
        run(
            "imported-null",
            "rel platform --set imported=null --set api.info.tier=null",
        ),
        run("exports-null", "rel platform --set frontend.exports=null"),
        run(
            "global-json",
            r#"rel platform --set-json global={"x":[1,2],"environment":"json"}"#,
        ),
        run(
            "upgrade-namespace",
            "rel platform -n kube-system --is-upgrade",
        ),
        run("library-not-installable", "rel platform/charts/common"),
        run(
            "subchart-alone",
            "rel platform/charts/backend --set role=worker --set global.imageRegistry=r.io",
        ),
        run("subchart-alone-bad-yaml", "rel platform/charts/backend"),
        run(
            "api-disabled-summary-fails",
            "rel platform --set api.enabled=false --set tags.core=false",
        ),
    ];
    assert_renders(&runs[0], &charts_dir());
    check_all("platform", &runs, &charts_dir());
}

#[test]
fn operator_crds_and_hooks_match_helm() {
    let runs = vec![
        run("defaults", "rel operator"),
        run("include-crds", "rel operator --include-crds"),
        run("skip-tests", "rel operator --skip-tests"),
        run(
            "crds-skip-tests-ns",
            "rel operator --include-crds --skip-tests -n ops",
        ),
        run(
            "show-only-hooks",
            "rel operator --show-only templates/hooks.yaml",
        ),
        run(
            "show-only-two",
            "rel operator -s templates/tests/test-widgets.yaml -s templates/rbac.yaml",
        ),
        run("show-only-glob", "rel operator --show-only templates/*"),
        run(
            "show-only-missing",
            "rel operator --show-only templates/nope.yaml",
        ),
        run(
            "show-only-crd",
            "rel operator --include-crds --show-only crds/widgets.example.com.yaml",
        ),
        run(
            "everything-off",
            "rel operator --set migrations.enabled=false --set backup.enabled=false --set webhook.enabled=false --set rbac.create=false",
        ),
        run(
            "weights",
            "rel operator --set migrations.weight=7 --set cleanup.policy=hook-failed",
        ),
        run("upgrade", "rel operator --is-upgrade"),
        run("required-missing", "rel operator --set image="),
    ];
    assert_renders(&runs[0], &charts_dir());
    check_all("operator", &runs, &charts_dir());
}

#[test]
fn bad_input_fails_like_helm() {
    let runs = vec![
        run("values-not-a-map", "rel webapp -f ../values/not-a-map.yaml"),
        run(
            "values-invalid-yaml",
            "rel webapp -f ../values/invalid.yaml",
        ),
        run(
            "values-missing-file",
            "rel webapp -f ../values/missing.yaml",
        ),
        run("set-bad-index", "rel webapp --set a[x]=1"),
        run("set-no-value", "rel webapp --set justakey"),
        run("set-trailing-comma", "rel webapp --set a=1,b"),
        run("set-unterminated-list", "rel webapp --set a={x,y"),
        run("set-negative-index", "rel webapp --set a[-1]=1"),
        run("set-json-bad", "rel webapp --set-json a={bad"),
        run("set-json-bad-map", "rel webapp --set-json {bad"),
        run(
            "set-file-missing",
            "rel webapp --set-file a=../values/nope.txt",
        ),
        run(
            "schema-type",
            "rel webapp -f ../values/schema-violation.yaml",
        ),
        run("schema-enum", "rel webapp --set image.pullPolicy=Sometimes"),
        run("schema-min-length", "rel webapp --set image.repository="),
        run("schema-maximum", "rel webapp --set service.port=70000"),
        run("schema-required", "rel webapp --set image=null"),
        run("schema-bool", "rel webapp --set autoscaling.enabled=yes"),
        run(
            "kube-version-incompatible",
            "rel webapp --kube-version 1.18.0",
        ),
        run("kube-version-invalid", "rel webapp --kube-version abc"),
        run("chart-missing", "rel no-such-chart"),
        run("chart-missing-path", "rel ./no-such-chart"),
        run("chart-missing-repo", "rel somerepo/chart"),
        run("required", "rel operator --set image=null"),
        run("parse-error", "rel broken/parse"),
        run("exec-error", "rel broken/exec"),
        run("fail-call", "rel broken/exec --set mode=fail"),
        run("bad-yaml-output", "rel broken/exec --set mode=yaml"),
        run("missing-dependency", "rel broken/deps"),
        run("subchart-not-a-map", "rel platform --set api=flat"),
    ];
    check_all("errors", &runs, &charts_dir());
}
