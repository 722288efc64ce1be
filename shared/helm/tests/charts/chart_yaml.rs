//! Chart.yaml as Helm decodes it into its Go struct (sigs.k8s.io/yaml, then encoding/json):
//! numbers and booleans where a string belongs become text, a wrong type is an error
//! naming the Go struct field, null list entries fail validation, and fields are sanitized.

use std::fs;
use std::path::Path;

use super::harness::{Run, check_all, run};

const TEMPLATE: &str = "a: {{ .Chart.Version | quote }}\nb: {{ .Chart.AppVersion | quote }}\nc: {{ .Chart.Keywords | toJson | quote }}\nd: {{ .Chart.Maintainers | toJson | quote }}\ne: {{ .Chart.Description | quote }}\nf: {{ range $k, $v := .Chart.Annotations }}{{ $k }}={{ $v }},{{ end }}\n";

/// Chart.yaml tails after `apiVersion: v2` and `name: c`.
const CASES: &[(&str, &str)] = &[
    ("float-version", "version: 1.10\n"),
    ("float-app-version", "version: 1.0.0\nappVersion: 1.10\n"),
    ("int-app-version", "version: 1.0.0\nappVersion: 12345678\n"),
    ("bool-app-version", "version: 1.0.0\nappVersion: true\n"),
    ("exp-app-version", "version: 1.0.0\nappVersion: 1e3\n"),
    ("hex-app-version", "version: 1.0.0\nappVersion: 0x10\n"),
    (
        "float32-app-version",
        "version: 1.0.0\nappVersion: 3.14159265\n",
    ),
    (
        "big-float-app-version",
        "version: 1.0.0\nappVersion: 0.1e10\n",
    ),
    (
        "date-app-version",
        "version: 1.0.0\nappVersion: 2024-01-01\n",
    ),
    ("name-list", "version: 1.0.0\nname: [1]\n"),
    ("deprecated-string", "version: 1.0.0\ndeprecated: \"yes\"\n"),
    ("deprecated-number", "version: 1.0.0\ndeprecated: 1\n"),
    ("keywords-string", "version: 1.0.0\nkeywords: a\n"),
    (
        "keywords-mixed",
        "version: 1.0.0\nkeywords: [1, true, 1.5, ~]\n",
    ),
    (
        "annotations-numbers",
        "version: 1.0.0\nannotations: {a: 1, b: 2.50, c: ~}\n",
    ),
    ("maintainer-string", "version: 1.0.0\nmaintainers: [x]\n"),
    (
        "maintainer-fields",
        "version: 1.0.0\nmaintainers: [{name: 1, Email: x}]\n",
    ),
    ("maintainer-null", "version: 1.0.0\nmaintainers: [~]\n"),
    ("dependencies-map", "version: 1.0.0\ndependencies: {}\n"),
    (
        "dependency-tags-string",
        "version: 1.0.0\ndependencies: [{name: x, tags: a}]\n",
    ),
    ("dependency-null", "version: 1.0.0\ndependencies: [~]\n"),
    ("icon-map", "version: 1.0.0\nicon: {a: 1}\n"),
    (
        "first-error-sorted",
        "version: 1.0.0\nicon: [1]\ndeprecated: x\n",
    ),
    ("name-dot-dot", "version: 1.0.0\nname: ..\n"),
    (
        "sanitized",
        "version: 1.0.0\ndescription: \"a\\tb\\u0007c\\u00a0d\\u2028e\"\n",
    ),
];

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create dir");
    }
    fs::write(path, text).expect("write file");
}

#[test]
fn chart_yaml_decodes_like_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let runs: Vec<Run> = CASES
        .iter()
        .map(|(name, tail)| {
            let dir = tmp.path().join(name);
            write(
                &dir.join("Chart.yaml"),
                &format!("apiVersion: v2\nname: c\n{tail}"),
            );
            write(&dir.join("templates/x.yaml"), TEMPLATE);
            run(name, &format!("r {name}"))
        })
        .collect();
    check_all("Chart.yaml", &runs, tmp.path());
}
