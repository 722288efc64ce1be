//! Differential tests of `helm template`'s remaining flags: --output-dir (file layout,
//! appends, `wrote` lines), --set-literal, --generate-name, --name-template, --labels,
//! --no-hooks, --skip-crds, --skip-schema-validation, --enable-dns, --dry-run values and
//! install-only flags that must not change the output, against the real helm v4.

#[path = "../charts/harness.rs"]
#[allow(dead_code)]
mod harness;
mod output_dir;

use harness::{assert_renders, charts_dir, check_all, helm, run, run_args};

#[test]
fn value_and_name_flags_match_helm() {
    let runs = vec![
        run("literal", "rel webapp --set-literal image.tag=a,b=c"),
        run(
            "literal-after-set",
            "rel webapp --set image.tag=x --set-literal image.tag={1,2}",
        ),
        run("literal-list", "rel webapp --set-literal extra[1].name=n"),
        run("literal-no-value", "rel webapp --set-literal image"),
        run("literal-bad-index", "rel webapp --set-literal a[x]=1"),
        run("generate-name", "webapp -g"),
        run("generate-name-and-name", "rel webapp --generate-name"),
        run_args(
            "name-template",
            &["webapp", "--name-template", "n-{{ \"AB\" | lower }}"],
        ),
        run_args(
            "name-template-and-name",
            &["rel", "webapp", "--name-template", "x"],
        ),
        run_args(
            "name-template-parse-error",
            &["webapp", "--name-template", "{{ .x"],
        ),
        run_args(
            "name-template-fails",
            &["webapp", "--name-template", "{{ fail \"no\" }}"],
        ),
        run_args(
            "name-template-invalid-name",
            &["webapp", "--name-template", "UPPER"],
        ),
        run("too-many-args", "rel webapp extra"),
        run("labels", "rel webapp --labels team=a,tier=b -l x=y"),
        run("labels-not-pairs", "rel webapp --labels team"),
        run("labels-reserved", "rel webapp -l owner=me"),
    ];
    for r in &runs[..2] {
        assert_renders(r, &charts_dir());
    }
    check_all("value-and-name-flags", &runs, &charts_dir());
}

#[test]
fn output_flags_match_helm() {
    let runs = vec![
        run("no-hooks", "rel operator --no-hooks"),
        run("no-hooks-webapp", "rel webapp --no-hooks"),
        run(
            "no-hooks-show-only-hook",
            "rel operator --no-hooks -s templates/hooks.yaml",
        ),
        run("skip-crds", "rel operator --include-crds --skip-crds"),
        run("schema-violation", "rel webapp --set replicaCount=many"),
        run(
            "skip-schema-validation",
            "rel webapp --set replicaCount=many --skip-schema-validation",
        ),
        run(
            "skip-schema-umbrella",
            "rel platform --skip-schema-validation",
        ),
        run(
            "install-only-flags",
            "rel webapp --wait --timeout 5m --create-namespace --atomic --version 9.9.9 --description d --force-conflicts --server-side=false --wait-for-jobs --render-subchart-notes --hide-notes --replace --disable-openapi-validation --rollback-on-failure --dependency-update --devel --take-ownership",
        ),
        run("dry-run-bare", "rel webapp --dry-run"),
        run("dry-run-client", "rel webapp --dry-run=client"),
        run("dry-run-true", "rel webapp --dry-run=true"),
        run("dry-run-none", "rel webapp --dry-run=none"),
        run("dry-run-false", "rel webapp --dry-run=false"),
        run("dry-run-bad", "rel webapp --dry-run=maybe"),
        run("unknown-flag", "rel webapp --bogus"),
        run("unknown-shorthand", "rel webapp -Z"),
        run("flag-needs-argument", "rel webapp --kube-version"),
    ];
    assert_renders(&runs[5], &charts_dir());
    check_all("output-flags", &runs, &charts_dir());
}

#[test]
fn dns_lookups_need_enable_dns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("dns");
    std::fs::create_dir_all(chart.join("templates")).expect("chart dir");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: dns\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dns\ndata:\n  ip: {{ getHostByName \"127.0.0.1\" | quote }}\n",
    )
    .expect("template");
    let runs = vec![
        run("without-enable-dns", "rel dns"),
        run("with-enable-dns", "rel dns --enable-dns"),
    ];
    check_all("dns", &runs, dir.path());
    let on = std::process::Command::new(env!("CARGO_BIN_EXE_fluxion-helm"))
        .args(["template", "rel", "dns", "--enable-dns"])
        .current_dir(dir.path())
        .output()
        .expect("run fluxion-helm");
    assert!(String::from_utf8_lossy(&on.stdout).contains("ip: \"127.0.0.1\""));
    let _ = helm();
}

#[test]
fn remote_chart_references_are_refused_clearly() {
    for args in [
        &["rel", "oci://registry.example/charts/app"][..],
        &["rel", "https://charts.example/app-1.0.0.tgz"],
        &["rel", "app", "--repo", "https://charts.example"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_fluxion-helm"))
            .arg("template")
            .args(args)
            .current_dir(charts_dir())
            .output()
            .expect("run fluxion-helm");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("Error: only local charts (a directory or a .tgz file) are supported"),
            "{args:?}: {err}"
        );
    }
}

/// stderr's `Error:` text of one run with HELM_PLUGINS set.
fn plugin_error(bin: &std::path::Path, plugins: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(bin)
        .arg("template")
        .args(args)
        .current_dir(charts_dir())
        .env("HELM_PLUGINS", plugins)
        .output()
        .expect("run template");
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    err[err.find("Error: ").unwrap_or(0)..].to_string()
}

#[test]
fn post_renderer_plugins_are_looked_up_as_helm_does() {
    let plugins = tempfile::tempdir().expect("temp dir");
    let dir = plugins.path().join("passthrough");
    std::fs::create_dir_all(&dir).expect("plugin dir");
    std::fs::write(
        dir.join("plugin.yaml"),
        "apiVersion: v1\nname: passthrough\nversion: 0.1.0\ntype: postrenderer/v1\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n  - command: \"${HELM_PLUGIN_DIR}/run.sh\"\n",
    )
    .expect("plugin.yaml");
    let ours = std::path::Path::new(env!("CARGO_BIN_EXE_fluxion-helm"));
    let missing = [
        "rel",
        "webapp",
        "--post-renderer",
        "absent",
        "--post-renderer-args",
        "x",
    ];
    assert_eq!(
        plugin_error(ours, plugins.path(), &missing),
        plugin_error(helm(), plugins.path(), &missing)
    );
    let found = plugin_error(
        ours,
        plugins.path(),
        &["rel", "webapp", "--post-renderer", "passthrough"],
    );
    assert!(
        found.starts_with("Error: post-renderer plugin \"passthrough\"")
            && found.contains("not supported yet"),
        "{found}"
    );
}

/// stdout and stderr of `template rel <chart> <extra>` for a binary.
fn both_streams(
    bin: &std::path::Path,
    chart: &std::path::Path,
    extra: &[&str],
) -> (String, String) {
    let out = std::process::Command::new(bin)
        .args(["template", "rel"])
        .arg(chart)
        .args(extra)
        .output()
        .expect("run template");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn deprecated_charts_warn_on_stderr_as_helm_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("old");
    std::fs::create_dir_all(chart.join("templates")).expect("chart dirs");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: old\nversion: 1.0.0\ndeprecated: true\n",
    )
    .expect("Chart.yaml");
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n{{ if .Values.boom }}{{ fail \"boom\" }}{{ end }}\n",
    )
    .expect("template");
    let ours = std::path::Path::new(env!("CARGO_BIN_EXE_fluxion-helm"));
    for extra in [&[][..], &["--set", "boom=true"][..]] {
        let theirs = both_streams(helm(), &chart, extra);
        assert!(theirs.1.contains("this chart is deprecated"), "{theirs:?}");
        assert_eq!(both_streams(ours, &chart, extra), theirs, "{extra:?}");
    }
}
