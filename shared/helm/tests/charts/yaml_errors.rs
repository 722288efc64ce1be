//! YAML syntax errors wherever Helm reads YAML (a `-f` values file, a chart's values.yaml
//! and Chart.yaml, a rendered manifest, `fromYaml` and `fromYamlArray`), written at test
//! time into a temporary directory and run through helm and fluxion-helm: the whole error
//! text, go-yaml's message and line number included, must be identical.

use std::fs;
use std::path::Path;

use super::harness::{Run, check_all, run};

/// Where a case's text goes.
#[derive(Clone, Copy)]
enum At {
    /// `-f v/<name>.yaml`
    ValuesFile,
    /// the chart's own values.yaml
    ChartValues,
    /// the chart's Chart.yaml (apiVersion, name and version come first)
    ChartYaml,
    /// a template that renders to this text
    Manifest,
    /// `fromYaml` of a chart file holding this text
    FromYaml,
    /// `fromYamlArray` of a chart file holding this text
    FromYamlArray,
}

const CASES: &[(&str, At, &str)] = &[
    ("flow-seq-unclosed", At::ValuesFile, "key: [unclosed"),
    ("nested-mapping", At::ValuesFile, "a: b: c\n"),
    ("tab-indent", At::ValuesFile, "a: 1\n\tb: 2\n"),
    ("dedent-key", At::ValuesFile, "a:\n  b: 1\n c: 2\n"),
    ("single-quote-eof", At::ValuesFile, "a: 'x\n"),
    ("bad-escape", At::ValuesFile, "a: \"\\q\"\n"),
    ("seq-then-map", At::ValuesFile, "- a\nb: 1\n"),
    ("flow-map-unclosed", At::ValuesFile, "a: {b: 1\n"),
    ("key-without-colon", At::ValuesFile, "x\ny: 1\n"),
    ("unknown-alias", At::ValuesFile, "a: *nope\n"),
    ("undefined-tag-handle", At::ValuesFile, "a: !foo!bar 1\n"),
    ("control-character", At::ValuesFile, "a: 1\u{7}\n"),
    ("unknown-directive", At::ValuesFile, "%FOO\n---\na\n"),
    ("indent-indicator-zero", At::ValuesFile, "a: |0\n  x\n"),
    ("multiline-key", At::ValuesFile, "a:\n  b: 1\n  c\n  d: 2\n"),
    ("over-indented-key", At::ValuesFile, "a: 1\nb: 2\n c: 3\n"),
    ("list-then-key", At::ValuesFile, "list:\n  - a\n  b: 1\n"),
    (
        "double-quote-eof",
        At::ValuesFile,
        "a: \"unterminated\nb: 2\n",
    ),
    ("flow-seq-next-line", At::ValuesFile, "a: [1, 2\nb: 3\n"),
    ("tab-before-entry", At::ValuesFile, "a:\n\t- 1\n"),
    ("at-sign", At::ValuesFile, "a: @x\n"),
    ("backquote", At::ValuesFile, "a: `x\n"),
    (
        "second-document-broken",
        At::ValuesFile,
        "a: 1\n---\nb: [\n",
    ),
    ("percent-plain", At::ValuesFile, "a: %x\n"),
    ("empty-anchor", At::ValuesFile, "a: &\n"),
    ("array-then-bracket", At::ValuesFile, "[1, 2]]\n"),
    ("stray-brace", At::ValuesFile, "a: 1\n}\n"),
    ("short-hex-escape", At::ValuesFile, "a: \"\\x4\"\n"),
    ("tab-in-block-scalar", At::ValuesFile, "a: |\n  x\n\ty\n"),
    ("seq-dedent", At::ValuesFile, "a:\n  - 1\n - 2\n"),
    ("plain-then-key", At::ValuesFile, "a: b\n  c: d\n"),
    ("yaml-1-2", At::ValuesFile, "%YAML 1.2\n---\na: 1\n"),
    (
        "duplicate-yaml-directive",
        At::ValuesFile,
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    ),
    (
        "map-as-key",
        At::ValuesFile,
        "{a: 1.5, b: [x], c: null, d: true}: 2\n",
    ),
    ("seq-as-key", At::ValuesFile, "[1]: x\n"),
    ("null-key-null-value", At::ValuesFile, "~: ~\n"),
    ("null-key-list-value", At::ValuesFile, "~: [1, \"a\"]\n"),
    ("null-key-map-value", At::ValuesFile, "a:\n  ~: {b: ~}\n"),
    ("tag-mismatch-int", At::ValuesFile, "a: !!int abc\n"),
    ("tag-mismatch-bool", At::ValuesFile, "a: !!bool 1\n"),
    // libyaml's reader checks 512-byte windows: a control character far after a syntax
    // error is never reached, one in the first window is reported before it.
    ("control-char-late", At::ValuesFile, LATE_CONTROL),
    ("control-char-early", At::ValuesFile, "a: b: c\n# x\u{7}\n"),
    ("bad-separator", At::ValuesFile, "a: 1\n--- a\nb: 2\n"),
    ("separator-comment", At::ValuesFile, "a: 1\n--- # c\nb: 2\n"),
    ("dashes-separator", At::ValuesFile, "a: 1\n----\nb: 2\n"),
    ("chart-values-tab", At::ChartValues, "image:\n\ttag: x\n"),
    (
        "chart-values-flow",
        At::ChartValues,
        "a: 1\nports: [80, 443\n",
    ),
    (
        "chart-values-quote",
        At::ChartValues,
        "a: 1\nb: 2\nc: \"x\n",
    ),
    ("chart-yaml-colon", At::ChartYaml, "description: a: b\n"),
    (
        "chart-yaml-indent",
        At::ChartYaml,
        "maintainers:\n  - name: a\n   email: b\n",
    ),
    ("chart-yaml-tab", At::ChartYaml, "keywords:\n\t- a\n"),
    (
        "manifest-unclosed",
        At::Manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1\n",
    ),
    (
        "manifest-colon",
        At::Manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x: y\n",
    ),
    (
        "manifest-indent",
        At::Manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: x\n  labels: {}\n",
    ),
    (
        "manifest-tab",
        At::Manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
    ),
    (
        "manifest-percent",
        At::Manifest,
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n%x: 2\n",
    ),
    (
        "manifest-second-doc",
        At::Manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'b\n",
    ),
    ("fromyaml-flow", At::FromYaml, "a: [1, 2\n"),
    ("fromyaml-indent", At::FromYaml, "x: 1\ny:\n  a: 1\n b: 2\n"),
    ("fromyaml-alias", At::FromYaml, "b: 1\na: [*other]\n"),
    ("fromyaml-multiline-key", At::FromYaml, "a: 1\nb\nc: 2\n"),
    ("fromyaml-block-tab", At::FromYaml, "s: >\n  a\n\tb\n"),
    ("fromyamlarray-flow", At::FromYamlArray, "- [1, 2\n- 3\n"),
    ("fromyamlarray-map", At::FromYamlArray, "- a\n- b: c\n  d\n"),
    ("fromyamlarray-escape", At::FromYamlArray, "- \"\\u12\"\n"),
];

const LATE_CONTROL: &str = concat!(
    "a: b: c\n#",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "\nz: \u{7}\n"
);

const CHART_HEAD: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create dir");
    }
    fs::write(path, text).expect("write file");
}

/// A chart `dir` whose Chart.yaml, values.yaml and single template are given.
fn chart(dir: &Path, chart_yaml: &str, values: &str, template: &str) {
    write(&dir.join("Chart.yaml"), chart_yaml);
    write(&dir.join("values.yaml"), values);
    write(&dir.join("templates/x.yaml"), template);
}

/// Lays out one case under `root` and returns its run.
fn lay_out(root: &Path, name: &str, at: At, text: &str) -> Run {
    let dir = root.join(name);
    let plain = "a: {{ .Values.a | default 1 }}\n";
    match at {
        At::ValuesFile => {
            write(&root.join(format!("v/{name}.yaml")), text);
            chart(&dir, CHART_HEAD, "", plain);
            return run(name, &format!("r {name} -f v/{name}.yaml"));
        }
        At::ChartValues => chart(&dir, CHART_HEAD, text, plain),
        At::ChartYaml => chart(&dir, &format!("{CHART_HEAD}{text}"), "", plain),
        At::Manifest => chart(&dir, CHART_HEAD, "", text),
        At::FromYaml | At::FromYamlArray => {
            let f = if matches!(at, At::FromYaml) {
                "x: {{ (fromYaml (.Files.Get \"in.yaml\")).Error | quote }}\n"
            } else {
                "x: {{ fromYamlArray (.Files.Get \"in.yaml\") | toJson | quote }}\n"
            };
            chart(&dir, CHART_HEAD, "", f);
            write(&dir.join("in.yaml"), text);
        }
    }
    run(name, &format!("r {name}"))
}

#[test]
fn yaml_syntax_errors_match_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let runs: Vec<Run> = CASES
        .iter()
        .map(|(name, at, text)| lay_out(tmp.path(), name, *at, text))
        .collect();
    check_all("yaml errors", &runs, tmp.path());
}

/// Chart files that are not UTF-8: go-yaml's reader names the malformed sequence.
const NOT_UTF8: &[(&str, &str, &[u8])] = &[
    ("leading-octet", "values.yaml", b"a: \xff\n"),
    ("trailing-octet", "values.yaml", b"a: \xc3\n"),
    ("overlong", "values.yaml", b"a: \xc0\x80\n"),
    ("surrogate", "values.yaml", b"a: \xed\xa0\x80\n"),
    ("second-document", "values.yaml", b"a: 1\n---\nb: \xff\n"),
    (
        "chart-yaml",
        "Chart.yaml",
        b"apiVersion: v2\nname: c\nversion: 0.1.0\nicon: \xff\n",
    ),
    ("chart-lock", "Chart.lock", b"digest: \xfe\n"),
];

#[test]
fn invalid_utf8_matches_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let runs: Vec<Run> = NOT_UTF8
        .iter()
        .map(|(name, file, bytes)| {
            let dir = tmp.path().join(name);
            chart(&dir, CHART_HEAD, "", "a: {{ .Values.a | default 1 }}\n");
            fs::write(dir.join(file), bytes).expect("write file");
            run(name, &format!("r {name}"))
        })
        .collect();
    check_all("invalid UTF-8", &runs, tmp.path());
}

/// `-f` files that are not UTF-8 fail as chart files do, under the values file's name.
#[test]
fn invalid_utf8_values_files_match_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files: &[(&str, &[u8])] = &[
        ("f-leading", b"a: \"\xff\xfe\"\n"),
        ("f-trailing", b"a: 1\nb: \xc3\x28\n"),
    ];
    let runs: Vec<Run> = files
        .iter()
        .map(|(name, bytes)| {
            chart(
                &tmp.path().join(name),
                CHART_HEAD,
                "",
                "a: {{ .Values.a }}\n",
            );
            fs::create_dir_all(tmp.path().join("v")).expect("create dir");
            fs::write(tmp.path().join(format!("v/{name}.yaml")), bytes).expect("write file");
            run(name, &format!("r {name} -f v/{name}.yaml"))
        })
        .collect();
    check_all("invalid UTF-8 values files", &runs, tmp.path());
}
