//! Cases for Helm's objects: `.Files` (Get, GetBytes, Glob, Lines, AsConfig, AsSecrets,
//! range/index/len), `.Capabilities` (KubeVersion, APIVersions.Has, HelmVersion, with
//! `--kube-version` and `--api-versions`) and `.Template`.

use crate::helm_harness::{HCase, hcase, hcase_args};

pub const CASES: &[HCase] = &[
    hcase(
        "files_get",
        r#"{{ .Files.Get "files/a.txt" }}|{{ .Files.Get "files/b.conf" }}|[{{ .Files.Get "missing" }}]|{{ typeOf (.Files.Get "x") }}"#,
        "",
    ),
    hcase(
        "files_getbytes",
        r#"{{ .Files.GetBytes "files/b.conf" }}|{{ typeOf (.Files.GetBytes "files/b.conf") }}|{{ .Files.GetBytes "missing" }}|{{ .Files.GetBytes "files/b.conf" | toString }}"#,
        "",
    ),
    hcase(
        "files_print_and_type",
        r#"{{ typeOf .Files }}|{{ len .Files }}|{{ kindOf .Files }}"#,
        "",
    ),
    hcase(
        "files_range",
        r#"{{ range $path, $data := .Files }}{{ $path }}={{ len $data }};{{ end }}"#,
        "",
    ),
    hcase(
        "files_index",
        r#"{{ index .Files "files/b.conf" }}|{{ index .Files "files/b.conf" | toString }}"#,
        "",
    ),
    hcase(
        "files_glob",
        r#"{{ range $p, $_ := .Files.Glob "files/*" }}{{ $p }} {{ end }}|{{ typeOf (.Files.Glob "files/*") }}"#,
        "",
    ),
    hcase(
        "files_glob_super",
        r#"{{ range $p, $_ := .Files.Glob "**.txt" }}{{ $p }} {{ end }}"#,
        "",
    ),
    hcase(
        "files_glob_classes",
        r#"{{ range $p, $_ := .Files.Glob "files/[ab].*" }}{{ $p }} {{ end }}|{{ range $p, $_ := .Files.Glob "files/{a.txt,sub/*}" }}{{ $p }} {{ end }}|{{ range $p, $_ := .Files.Glob "files/?.txt" }}{{ $p }} {{ end }}"#,
        "",
    ),
    hcase(
        "files_glob_bad_pattern",
        r#"{{ len (.Files.Glob "files/[ab") }}"#,
        "",
    ),
    hcase(
        "files_glob_none",
        r#"{{ len (.Files.Glob "nothing/*") }}|{{ (.Files.Glob "nothing/*").AsConfig }}"#,
        "",
    ),
    hcase(
        "files_asconfig",
        "data:\n{{ (.Files.Glob \"files/*\").AsConfig | indent 2 }}",
        "",
    ),
    hcase(
        "files_asconfig_properties",
        "{{ (.Files.Glob \"config/*\").AsConfig }}",
        "",
    ),
    hcase(
        "files_assecrets",
        "data:\n{{ (.Files.Glob \"files/**\").AsSecrets | indent 2 }}",
        "",
    ),
    hcase(
        "files_lines",
        r#"{{ range .Files.Lines "config/app.properties" }}[{{ . }}]{{ end }}|{{ .Files.Lines "missing" }}|{{ typeOf (.Files.Lines "files/a.txt") }}|{{ .Files.Lines "files/b.conf" }}"#,
        "",
    ),
    hcase(
        "files_lines_empty_file",
        r#"{{ .Files.Lines "files/empty" }}"#,
        "",
    ),
    hcase(
        "files_get_tpl",
        r#"{{ tpl (.Files.Get "files/b.conf") . }}"#,
        "",
    ),
    hcase(
        "files_toyaml",
        r#"{{ toYaml (.Files.Glob "files/s*/*") }}|{{ toJson (.Files.Glob "files/b*") }}"#,
        "",
    ),
    hcase("files_method_arity", r#"{{ .Files.Get }}"#, ""),
    hcase("files_unknown_method", r#"{{ .Files.Nope "x" }}"#, ""),
    hcase(
        "caps_kube_default",
        "{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.Version }}|{{ .Capabilities.KubeVersion.Major }}|{{ .Capabilities.KubeVersion.Minor }}|{{ .Capabilities.KubeVersion.GitVersion }}|{{ .Capabilities.KubeVersion.String }}",
        "",
    ),
    hcase_args(
        "caps_kube_short",
        "{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.Version }}|{{ .Capabilities.KubeVersion.Minor }}",
        &["--kube-version", "1.30"],
    ),
    hcase_args(
        "caps_kube_vendor",
        "{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.GitVersion }}|{{ semverCompare \">=1.29-0\" .Capabilities.KubeVersion.GitVersion }}|{{ semverCompare \"<1.29-0\" .Capabilities.KubeVersion.Version }}",
        &["--kube-version", "v1.29.3-gke.100"],
    ),
    hcase(
        "caps_kube_semver",
        r#"{{ if semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion }}networking.k8s.io/v1{{ else }}networking.k8s.io/v1beta1{{ end }}"#,
        "",
    ),
    hcase(
        "caps_types",
        "{{ typeOf .Capabilities }}|{{ typeOf .Capabilities.KubeVersion }}|{{ typeOf .Capabilities.APIVersions }}|{{ typeOf .Capabilities.HelmVersion }}|{{ kindOf .Capabilities.APIVersions }}",
        "",
    ),
    hcase(
        "caps_kube_printf",
        r#"{{ printf "%v" .Capabilities.KubeVersion }}|{{ printf "%s" .Capabilities.KubeVersion.Version }}"#,
        "",
    ),
    hcase(
        "caps_kube_toyaml",
        "{{ toYaml .Capabilities.KubeVersion }}|{{ toJson .Capabilities.KubeVersion }}",
        "",
    ),
    hcase(
        "caps_has_default",
        r#"{{ .Capabilities.APIVersions.Has "apps/v1" }}|{{ .Capabilities.APIVersions.Has "policy/v1beta1" }}|{{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }}|{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}|{{ .Capabilities.APIVersions.Has "" }}"#,
        "",
    ),
    hcase_args(
        "caps_has_extra",
        r#"{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}|{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }}|{{ len .Capabilities.APIVersions }}"#,
        &[
            "--api-versions",
            "monitoring.coreos.com/v1",
            "--api-versions",
            "monitoring.coreos.com/v1/ServiceMonitor",
        ],
    ),
    hcase(
        "caps_apiversions_list",
        "{{ .Capabilities.APIVersions }}",
        "",
    ),
    hcase(
        "caps_apiversions_range",
        r#"{{ range .Capabilities.APIVersions }}{{ if hasPrefix "apps" . }}{{ . }} {{ end }}{{ end }}|{{ index .Capabilities.APIVersions 0 }}|{{ has "batch/v1" .Capabilities.APIVersions }}"#,
        "",
    ),
    hcase(
        "caps_servicemonitor_guard",
        r#"{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}kind: ServiceMonitor{{ else }}skipped{{ end }}"#,
        "",
    ),
    hcase(
        "caps_helm_version",
        "{{ .Capabilities.HelmVersion.Version }}|{{ semverCompare \">=3.0.0\" .Capabilities.HelmVersion.Version }}|{{ .Capabilities.HelmVersion.KubeClientVersion }}",
        "",
    ),
    hcase(
        "caps_helm_version_print",
        "{{ .Capabilities.HelmVersion }}|{{ toJson .Capabilities.HelmVersion }}",
        "",
    ),
    hcase(
        "caps_has_arity",
        r#"{{ .Capabilities.APIVersions.Has }}"#,
        "",
    ),
    hcase("caps_unknown_field", r#"{{ .Capabilities.Nope }}"#, ""),
    hcase(
        "template_object",
        "{{ .Template.Name }}|{{ .Template.BasePath }}|{{ typeOf .Template }}|{{ .Template }}",
        "",
    ),
    hcase(
        "template_base_path_files",
        r#"{{ base .Template.Name }}|{{ dir .Template.Name }}|{{ .Template.BasePath | base }}"#,
        "",
    ),
];
