//! Builds of small artifact trees with the spec laid over them.

use std::path::Path;

use fluxion_api::kustomize::Kustomization;
use fluxion_kustomize::substitute::Vars;
use serde_json::json;

use super::*;

fn ks(spec: serde_json::Value) -> Kustomization {
    let mut base = json!({"interval": "5m", "prune": true,
                          "sourceRef": {"kind": "GitRepository", "name": "repo"}});
    if let (Some(b), Some(extra)) = (base.as_object_mut(), spec.as_object()) {
        b.extend(extra.clone());
    }
    serde_json::from_value(json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": "app", "namespace": "apps"},
        "spec": base,
    }))
    .expect("kustomization")
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.0\n";
const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  greeting: ${greeting:=hello}\n  region: ${region}\n";

fn plain(vars: Option<Vars>, strict: bool) -> PostBuild<'static> {
    PostBuild {
        vars,
        strict,
        decryptor: None,
    }
}

#[test]
fn generates_a_kustomization_and_lays_the_spec_over_it() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[("deploy/app/web.yaml", DEPLOY), ("deploy/app/cfg.yaml", CM)],
    );
    let spec = json!({
        "path": "./deploy/app",
        "targetNamespace": "prod",
        "namePrefix": "p-",
        "nameSuffix": "-s",
        "images": [{"name": "nginx", "newTag": "2.0"}],
        "patches": [{"patch": "- op: add\n  path: /metadata/labels\n  value: {patched: \"yes\"}",
                     "target": {"kind": "ConfigMap"}}],
    });
    let built = build(dir.path(), &ks(spec), &plain(None, false)).expect("build");
    let names: Vec<(&str, &str)> = built
        .objects
        .iter()
        .map(|o| {
            (
                o["metadata"]["name"].as_str().unwrap_or_default(),
                o["metadata"]["namespace"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(names, [("p-cfg-s", "prod"), ("p-web-s", "prod")]);
    let web = &built.objects[1];
    assert_eq!(
        web["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:2.0"
    );
    assert_eq!(built.objects[0]["metadata"]["labels"]["patched"], "yes");
    assert!(built.manifests.contains("name: p-web-s"));
}

#[test]
fn substitutes_variables_and_fails_in_strict_mode() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), &[("cfg.yaml", CM)]);
    let mut vars = Vars::new();
    vars.extend([("region", "eu")]);
    let built = build(dir.path(), &ks(json!({})), &plain(Some(vars), false)).expect("build");
    assert_eq!(
        built.objects[0]["data"],
        json!({"greeting": "hello", "region": "eu"})
    );

    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), &[("cfg.yaml", CM)]);
    let mut vars = Vars::new();
    vars.extend([("other", "x")]);
    let err = build(dir.path(), &ks(json!({})), &plain(Some(vars), true)).expect_err("strict");
    let message = err.to_string();
    assert!(
        message.starts_with("post build failed for 'cfg'"),
        "{message}"
    );
    assert!(message.contains("region"), "{message}");
}

#[test]
fn refuses_objects_without_a_name_and_broken_kustomizations() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[(
            "bad.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
        )],
    );
    let err = build(dir.path(), &ks(json!({})), &plain(None, false)).expect_err("no name");
    assert!(
        err.to_string().contains("kustomize build failed") || err.to_string().contains("name"),
        "{err}"
    );

    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[("kustomization.yaml", "resources:\n- missing.yaml\n")],
    );
    let err = build(dir.path(), &ks(json!({})), &plain(None, false)).expect_err("missing");
    assert!(
        err.to_string().starts_with("kustomize build failed:"),
        "{err}"
    );
    assert!(err.to_string().contains("missing.yaml"), "{err}");
}

#[test]
fn keeps_an_existing_kustomization_and_appends_components() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[
            (
                "app/kustomization.yaml",
                "resources:\n- cfg.yaml\nnamePrefix: own-\n",
            ),
            (
                "app/cfg.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n",
            ),
            (
                "comp/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  comp: \"on\"\n",
            ),
        ],
    );
    let spec = json!({"path": "app", "components": ["../comp", "../absent"],
                      "ignoreMissingComponents": true});
    let built = build(dir.path(), &ks(spec), &plain(None, false)).expect("build");
    assert_eq!(built.objects[0]["metadata"]["name"], "own-cfg");
    assert_eq!(built.objects[0]["metadata"]["labels"]["comp"], "on");
}
