//! Build pipeline tests over an in-memory filesystem.

use super::*;
use crate::fs::MemFs;

fn cm(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n")
}

fn run(files: &[(&str, &str)], dir: &str, opts: &BuildOptions) -> Result<String, String> {
    let mut fsys = MemFs::new();
    for (p, c) in files {
        fsys.add_file(p, *c);
    }
    build(&fsys, dir, opts).map_err(|e| e.to_string())
}

#[test]
fn builds_nested_trees_in_legacy_order() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";
    let files = [
        (
            "/app/kustomization.yaml",
            "resources:\n- svc.yaml\n- ../base\n",
        ),
        ("/app/svc.yaml", svc),
        ("/base/kustomization.yaml", "resources:\n- cm.yaml\n"),
        ("/base/cm.yaml", &cm("c")),
    ];
    let out = run(&files, "/app", &BuildOptions::default());
    assert_eq!(
        out.as_deref(),
        Ok(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"
        )
    );
}

#[test]
fn refusals_are_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "resources: [cm.yaml]\ntransformers:\n- |-\n  apiVersion: example.com/v1\n  kind: X\n  metadata:\n    name: x\n",
            "external plugins disabled; unable to load external plugin 'X'",
        ),
        ("helmCharts:\n- name: x\n", "--enable-helm"),
        ("resources: [https://example.com/x.yaml]\n", "remote"),
        ("resources: [../outside.yaml]\n", "security; file"),
    ];
    for (k, want) in cases {
        let files = [
            ("/app/kustomization.yaml", *k),
            ("/app/cm.yaml", &cm("c") as &str),
            ("/outside.yaml", &cm("o")),
        ];
        let err = run(&files, "/app", &BuildOptions::default())
            .err()
            .unwrap_or_default();
        assert!(err.contains(want), "{k:?}: {err}");
    }
}

#[test]
fn flux_options_generate_and_lift_the_restrictor() {
    let files = [
        ("/app/a.yaml", &cm("a") as &str),
        ("/app/b.yml", &cm("b")),
        ("/shared/s.yaml", &cm("s")),
    ];
    let out = run(&files, "/app", &BuildOptions::flux()).unwrap_or_default();
    assert!(out.contains("name: a") && out.contains("name: b"), "{out}");
    assert!(run(&files, "/app", &BuildOptions::default()).is_err());
    let k = [
        ("/app/kustomization.yaml", "resources: [../shared/s.yaml]\n"),
        ("/shared/s.yaml", &cm("s")),
    ];
    assert!(run(&k, "/app", &BuildOptions::flux()).is_ok());
}

#[test]
fn output_is_bounded() {
    let files = [
        ("/kustomization.yaml", "resources: [cm.yaml]\n"),
        ("/cm.yaml", &cm("c") as &str),
    ];
    let opts = BuildOptions {
        max_output_bytes: 10,
        ..BuildOptions::default()
    };
    assert_eq!(
        run(&files, "/", &opts).err().as_deref(),
        Some("build output exceeds the limit of 10 bytes")
    );
}

#[test]
fn symlinked_file_out_of_root_is_refused() {
    let mut fsys = MemFs::new();
    fsys.add_file("/app/kustomization.yaml", "resources: [link.yaml]\n")
        .add_file("/secret.yaml", cm("s"))
        .add_symlink("/app/link.yaml", "../secret.yaml");
    let err = build(&fsys, "/app", &BuildOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("security; file"), "{err}");
}

#[test]
fn deprecation_warnings_are_collected_in_load_order() {
    let mut fsys = MemFs::new();
    fsys.add_file("/kustomization.yaml", "bases: [base]\n")
        .add_file(
            "/base/kustomization.yaml",
            "resources: [cm.yaml]\ncommonLabels: {}\n",
        )
        .add_file("/base/cm.yaml", cm("c"));
    let out = build_output(&fsys, "/", &BuildOptions::default()).expect("builds");
    let w: Vec<&str> = out
        .warnings
        .iter()
        .map(|w| w.split('.').next().unwrap_or_default())
        .collect();
    assert_eq!(
        w,
        [
            "# Warning: 'bases' is deprecated",
            "# Warning: 'commonLabels' is deprecated"
        ]
    );
    assert_eq!(out.resources.len(), 1);
}
