//! Cases for the functions Helm binds to a render: include (and its recursion limit), tpl,
//! required, fail, lookup offline, getHostByName, and the Sprig functions Helm removes.

use crate::helm_harness::{HCase, hcase};

const V: &str = r#"
name: web
image: {repository: nginx, tag: "1.25"}
labels: {app: web, tier: front}
tplString: "{{ .Values.name }}-{{ .Release.Name }}"
tplNested: "{{ tpl .Values.tplString . }}!"
tplBad: "{{ .Values.name"
tplFail: "{{ fail \"from tpl\" }}"
tplMissing: "{{ .Values.nope.deeper }}"
tplDefine: "{{ define \"inner\" }}IN{{ end }}{{ include \"inner\" . }}"
empty: ""
zero: 0
list: [a, b]
"#;

pub const CASES: &[HCase] = &[
    hcase(
        "include_basic",
        r#"{{ define "a" }}A{{ . }}{{ end }}{{ include "a" 1 }}|{{ include "a" "x" | upper }}"#,
        V,
    ),
    hcase(
        "include_labels_nindent",
        concat!(
            r#"{{- define "c.name" -}}{{ .Values.name }}{{- end -}}"#,
            "\nmetadata:\n  labels:\n    {{- include \"c.name\" . | nindent 4 }}"
        ),
        V,
    ),
    hcase(
        "include_helpers",
        concat!(
            r#"{{- define "h" -}}app: {{ .Values.name }}
release: {{ .Release.Name }}
{{- end -}}"#,
            "labels:\n{{ include \"h\" . | indent 2 }}"
        ),
        V,
    ),
    hcase(
        "include_nested",
        r#"{{ define "x" }}[{{ include "y" . }}]{{ end }}{{ define "y" }}y{{ .Values.name }}{{ end }}{{ include "x" . }}"#,
        V,
    ),
    hcase(
        "include_dict_context",
        r#"{{ define "d" }}{{ .a }}-{{ .root.Values.name }}{{ end }}{{ include "d" (dict "a" 1 "root" $) }}"#,
        V,
    ),
    hcase("include_missing", r#"{{ include "nope" . }}"#, V),
    hcase(
        "include_error_inside",
        r#"{{ define "bad" }}{{ .Values.name.x }}{{ end }}{{ include "bad" . }}"#,
        V,
    ),
    hcase(
        "include_fail_inside",
        r#"{{ define "f" }}{{ fail "inner failure" }}{{ end }}{{ include "f" . }}"#,
        V,
    ),
    hcase(
        "include_recursion_limit",
        r#"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#,
        V,
    ),
    hcase(
        "include_bounded_recursion",
        r#"{{ define "count" }}{{ if gt (int .) 0 }}{{ . }},{{ include "count" (sub . 1) }}{{ end }}{{ end }}{{ include "count" 5 }}"#,
        V,
    ),
    hcase(
        "include_template_name",
        r#"{{ define "n" }}{{ .Template.Name }}|{{ .Template.BasePath }}{{ end }}{{ include "n" . }}"#,
        V,
    ),
    hcase(
        "include_result_as_yaml",
        r#"{{ define "m" }}a: 1
b: [x]{{ end }}{{ (include "m" . | fromYaml).b }}"#,
        V,
    ),
    hcase(
        "template_action_vs_include",
        r#"{{ define "t" }}T{{ .Values.name }}{{ end }}{{ template "t" . }}|{{ include "t" . }}"#,
        V,
    ),
    hcase("tpl_values", "{{ tpl .Values.tplString . }}", V),
    hcase(
        "tpl_inline",
        r#"{{ tpl "{{ .a }}+{{ .b }}" (dict "a" 1 "b" "two") }}"#,
        V,
    ),
    hcase("tpl_nested", "{{ tpl .Values.tplNested . }}", V),
    hcase("tpl_define_and_include", "{{ tpl .Values.tplDefine . }}", V),
    hcase(
        "tpl_sees_chart_defines",
        r#"{{ define "outer" }}OUT{{ end }}{{ tpl "{{ include \"outer\" . }}" . }}"#,
        V,
    ),
    hcase(
        "tpl_missing_value",
        r#"[{{ tpl "{{ .nope }}" (dict) }}]"#,
        V,
    ),
    hcase("tpl_parse_error", "{{ tpl .Values.tplBad . }}", V),
    hcase("tpl_exec_error", "{{ tpl .Values.tplMissing . }}", V),
    hcase("tpl_fail", "{{ tpl .Values.tplFail . }}", V),
    hcase(
        "tpl_template_name",
        r#"{{ tpl "{{ .Template.Name }}" . }}"#,
        V,
    ),
    hcase(
        "tpl_non_string_data",
        r#"{{ tpl "{{ . }}" 42 }}|{{ tpl "x" nil }}"#,
        V,
    ),
    hcase("tpl_whole_values", "{{ tpl (toYaml .Values.image) . }}", V),
    hcase(
        "tpl_recursion_through_include",
        r#"{{ define "r" }}{{ tpl "{{ include \"r\" . }}" . }}{{ end }}{{ include "r" . }}"#,
        V,
    ),
    hcase(
        "include_in_condition",
        r#"{{ define "flag" }}{{ if .Values.name }}true{{ end }}{{ end }}{{ if eq (include "flag" .) "true" }}on{{ else }}off{{ end }}"#,
        V,
    ),
    hcase(
        "include_whitespace_trim",
        "{{- define \"w\" }}\n  spaced  \n{{ end -}}\n[{{ include \"w\" . }}]|[{{ include \"w\" . | trim }}]",
        V,
    ),
    hcase(
        "fail_in_tpl_in_include",
        r#"{{ define "ft" }}{{ tpl .Values.tplFail . }}{{ end }}{{ include "ft" . }}"#,
        V,
    ),
    hcase(
        "required_index_path",
        r#"{{ required "image tag required" (index .Values.image "tag") }}|{{ required "deep" (dig "image" "repository" "" .Values) }}"#,
        V,
    ),
    hcase(
        "tpl_values_map_range",
        r#"{{ range $k, $v := .Values.labels }}{{ tpl "{{ . }}" $v }};{{ end }}"#,
        V,
    ),
    hcase(
        "tpl_no_value_stripped",
        r#"[{{ tpl "a{{ .x }}b" (dict "y" 1) }}]|[{{ tpl "{{ index . \"x\" }}" (dict) }}]"#,
        V,
    ),
    hcase(
        "include_returns_string_type",
        r#"{{ define "n" }}42{{ end }}{{ typeOf (include "n" .) }}|{{ add (include "n" . | int) 1 }}"#,
        V,
    ),
    hcase(
        "tpl_parse_error_in_define",
        r#"{{ tpl "{{ define \"x\" }}{{ if }}{{ end }}" . }}"#,
        V,
    ),
    hcase("include_wrong_arg_count", r#"{{ include "a" }}"#, V),
    hcase("tpl_wrong_type", r#"{{ tpl 3 . }}"#, V),
    hcase(
        "required_present",
        r#"{{ required "need name" .Values.name }}|{{ required "zero ok" .Values.zero }}|{{ required "list" .Values.list }}"#,
        V,
    ),
    hcase(
        "required_missing",
        r#"{{ required "A valid .Values.host entry required!" .Values.host }}"#,
        V,
    ),
    hcase(
        "required_empty_string",
        r#"{{ required "empty not allowed" .Values.empty }}"#,
        V,
    ),
    hcase(
        "required_in_pipeline",
        r#"{{ .Values.nope | required "piped requirement" }}"#,
        V,
    ),
    hcase(
        "required_multiline_message",
        "{{ required \"line one\\nline two\" .Values.nope }}",
        V,
    ),
    hcase(
        "required_in_include",
        r#"{{ define "q" }}{{ required "inside include" .Values.nope }}{{ end }}{{ include "q" . }}"#,
        V,
    ),
    hcase("fail_plain", r#"{{ fail "stop here" }}"#, V),
    hcase(
        "fail_conditional",
        r#"{{ if not .Values.enabled }}{{ fail (printf "%s is disabled" .Values.name) }}{{ end }}"#,
        V,
    ),
    hcase("fail_not_string", "{{ fail 3 }}", V),
    hcase(
        "lookup_offline",
        r#"{{ lookup "v1" "Secret" "default" "s" }}|{{ typeOf (lookup "v1" "Pod" "" "") }}|{{ if not (lookup "v1" "ConfigMap" "ns" "x") }}absent{{ end }}"#,
        V,
    ),
    hcase(
        "lookup_data_default",
        r#"{{ $s := lookup "v1" "Secret" .Release.Namespace "pw" }}{{ if $s }}{{ $s.data.pw }}{{ else }}{{ "generated" }}{{ end }}"#,
        V,
    ),
    hcase("lookup_wrong_arity", r#"{{ lookup "v1" "Secret" }}"#, V),
    hcase(
        "gethostbyname_disabled",
        r#"[{{ getHostByName "localhost" }}]"#,
        V,
    ),
    hcase("env_removed", r#"{{ env "HOME" }}"#, V),
    hcase("expandenv_removed", r#"{{ expandenv "$HOME" }}"#, V),
    hcase(
        "helpers_block",
        concat!(
            r#"{{- define "c.name" -}}{{ .Values.name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "c.labels" -}}
app: {{ include "c.name" . }}
release: {{ .Release.Name }}
{{- end -}}"#,
            "\nlabels:\n  {{- include \"c.labels\" . | nindent 2 }}\nselector: {{ include \"c.labels\" . | fromYaml | toJson }}"
        ),
        V,
    ),
];
