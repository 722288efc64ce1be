//! `.Chart` as Helm v4 hands it to templates (its structToMap of `chart.Metadata`): every
//! field absent, null, empty and set, printed directly, with `%#v` and `typeOf`, and through
//! toJson, toYaml and toToml. Slices are always `[]interface {}`; `Annotations` stays a
//! `map[string]string`, nil (JSON `null`) when Chart.yaml does not set it.

use std::fs;
use std::path::Path;

use super::harness::{Run, assert_renders, check_all, run};

/// Prints `.Chart` whole and field by field, in every form a chart might use.
const TEMPLATE: &str = r##"# j: {{ toJson .Chart }}
# y: {{ toYaml .Chart | nindent 2 | replace "\n" "\n# " }}
# p: {{ .Chart }}
# v: {{ printf "%#v" .Chart }}
{{- range $k, $v := .Chart }}
# f {{ $k }}: {{ $v }}|{{ printf "%#v" $v }}|{{ typeOf $v }}|{{ kindOf $v }}|{{ toJson $v }}|{{ toYaml $v | replace "\n" "\\n" }}|{{ if $v }}t{{ else }}f{{ end }}|{{ empty $v }}
{{- end }}
# t: {{ toToml .Chart | replace "\n" "\n# " }}
# a: {{ index .Chart.Annotations "a" | quote }} {{ .Chart.Annotations.a | quote }} {{ len .Chart.Annotations }} {{ deepEqual .Chart.Annotations .Chart.Annotations }} {{ toToml .Chart.Annotations | quote }}
{{- range $k, $v := .Chart.Annotations }} {{ $k }}={{ $v }}{{ end }}
# d: {{ range .Chart.Dependencies }}{{ printf "%#v" .ImportValues }} {{ toJson .Tags }};{{ end }}
"##;

/// Chart.yaml tails after `apiVersion: v2`, `name: c` and `version: 0.1.0`.
const CASES: &[(&str, &str)] = &[
    ("minimal", ""),
    ("annotations-empty", "annotations: {}\n"),
    ("annotations-null", "annotations: ~\n"),
    ("annotations-set", "annotations: {a: b, \"x/y\": \"z w\"}\n"),
    ("keywords-empty", "keywords: []\n"),
    ("keywords-null", "keywords: ~\n"),
    ("keywords-set", "keywords: [a, b]\n"),
    ("maintainers-empty", "maintainers: []\n"),
    ("maintainers-name", "maintainers: [{name: n}]\n"),
    (
        "maintainers-full",
        "maintainers: [{name: n, email: e@x, url: \"http://u\"}]\n",
    ),
    ("sources-empty", "sources: []\n"),
    ("sources-set", "sources: [s1, s2]\n"),
    ("dependencies-empty", "dependencies: []\n"),
    ("dependencies-null", "dependencies: ~\n"),
    (
        "strings-empty",
        "home: \"\"\nicon: \"\"\nkubeVersion: \"\"\nappVersion: \"\"\ndescription: \"\"\ntype: \"\"\ncondition: \"\"\ntags: \"\"\n",
    ),
    (
        "strings-set",
        "home: http://h\nicon: http://i.png\nkubeVersion: \">=1.0.0-0\"\nappVersion: \"1.2\"\ndescription: d\ntype: application\ncondition: a.b\ntags: t\n",
    ),
    ("deprecated-true", "deprecated: true\n"),
    ("deprecated-false", "deprecated: false\n"),
    ("deprecated-null", "deprecated: ~\n"),
    (
        "all-null",
        "home: ~\nicon: ~\nkeywords: ~\nsources: ~\nmaintainers: ~\nappVersion: ~\ntype: ~\nkubeVersion: ~\ndescription: ~\n",
    ),
];

/// Charts with a subchart `sub`: (name, the parent's dependencies block, the sub's tail).
const WITH_SUBCHART: &[(&str, &str, &str)] = &[
    ("dependency-minimal", "- name: sub\n", ""),
    (
        "dependency-full",
        "- name: sub\n  version: 0.1.x\n  repository: file://charts/sub\n  condition: sub.enabled\n  tags: [a, b]\n  enabled: true\n  import-values: [data, {child: x, parent: y}]\n  alias: s2\n",
        "annotations: {k: v}\nkeywords: [a]\n",
    ),
    (
        "dependency-empty-lists",
        "- name: sub\n  tags: []\n  import-values: []\n",
        "annotations: {}\n",
    ),
];

/// Functions applied to `.Chart` fields, each alone in a template (some fail in Go, as
/// Sprig's map functions take only `map[string]interface {}`), with annotations unset and set.
const FUNCTIONS: &[&str] = &[
    "hasKey .Chart.Annotations \"a\"",
    "keys .Chart.Annotations",
    "get .Chart.Annotations \"a\"",
    "dig \"a\" \"z\" .Chart.Annotations",
    "merge (dict) .Chart.Annotations",
    "pluck \"a\" .Chart.Annotations",
    "values .Chart.Annotations",
    "default (dict \"q\" 1) .Chart.Annotations",
    "omit .Chart.Annotations \"a\"",
    "set .Chart.Annotations \"z\" \"1\"",
    "eq .Chart.Annotations nil",
    "ne nil .Chart.Annotations",
    "eq .Chart.Annotations (dict)",
    "eq .Chart.Annotations .Chart.Annotations",
    "eq .Chart.Keywords nil",
    "append .Chart.Keywords \"z\"",
    "kindIs \"map\" .Chart.Annotations",
    "typeIs \"map[string]string\" .Chart.Annotations",
    "deepEqual .Chart.Annotations (dict)",
];

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create dir");
    }
    fs::write(path, text).expect("write file");
}

fn chart(dir: &Path, name: &str, tail: &str) {
    write(
        &dir.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n{tail}"),
    );
    write(&dir.join("templates/x.yaml"), TEMPLATE);
}

#[test]
fn chart_object_prints_like_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut runs: Vec<Run> = CASES
        .iter()
        .map(|(name, tail)| {
            chart(&tmp.path().join(name), "c", tail);
            run(name, &format!("r {name}"))
        })
        .collect();
    for (name, deps, sub_tail) in WITH_SUBCHART {
        let dir = tmp.path().join(name);
        chart(&dir, "c", &format!("dependencies:\n{deps}"));
        chart(&dir.join("charts/sub"), "sub", sub_tail);
        runs.push(run(name, &format!("r {name}")));
    }
    for r in &runs {
        assert_renders(r, tmp.path());
    }
    check_all(".Chart", &runs, tmp.path());
}

#[test]
fn chart_fields_meet_functions_like_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut runs = Vec::new();
    for (i, expr) in FUNCTIONS.iter().enumerate() {
        for (variant, tail) in [("unset", ""), ("set", "annotations: {a: b}\n")] {
            let name = format!("f{i}-{variant}");
            let dir = tmp.path().join(&name);
            write(
                &dir.join("Chart.yaml"),
                &format!("apiVersion: v2\nname: c\nversion: 0.1.0\n{tail}"),
            );
            write(
                &dir.join("templates/x.yaml"),
                &format!("# {{{{ {expr} }}}}\n"),
            );
            runs.push(run(&name, &format!("r {name}")));
        }
    }
    check_all(".Chart functions", &runs, tmp.path());
}
