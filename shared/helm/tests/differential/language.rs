//! Cases for the language: printing, whitespace trimming, comments, variables, conditionals,
//! ranges, define/template/block, literals and field chains.

use crate::harness::{Case, case};

const V: &str = r#"{"s": "x", "n": 3, "f": 1.5, "b": true, "z": null, "e": [], "em": {},
  "l": ["a", "b", "c", "d", "e"], "m": {"b": 1, "a": {"c": [1, "two", null]}},
  "nested": {"x": {"y": "deep"}}, "l2": [{"name": "n1"}, {"name": "n2"}],
  "m2": {"a": [1, 2], "b": [3]}, "keys": {"b": 1, "B": 2, "a": 3, "10": 4, "9": 5}}"#;

pub const CASES: &[Case] = &[
    case("text", "hello world", "{}"),
    case(
        "scalars",
        "{{ .Values.s }} {{ .Values.n }} {{ .Values.f }} {{ .Values.b }}",
        V,
    ),
    case(
        "floats",
        "{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }} {{ .Values.e }} {{ .Values.g }} {{ .Values.h }}",
        r#"{"a": 1234567, "b": 100000, "c": 123456789012, "d": 1e21, "e": 0.0001, "g": 0.00001, "h": -0.5}"#,
    ),
    case(
        "list_print",
        "{{ .Values.l }}",
        r#"{"l": [1, "a", null, true, 2.5, [], {}]}"#,
    ),
    case("map_print", "{{ .Values.m }} {{ .Values.keys }}", V),
    case(
        "missing_and_null",
        "[{{ .Values.nope }}][{{ .Values.z }}]",
        V,
    ),
    case(
        "nested_fields",
        "{{ .Values.nested.x.y }} {{ .Values.nested.x }}",
        V,
    ),
    case("trim_markers", "a  {{- .Values.s -}}  \n  b", V),
    case(
        "trim_newlines",
        "line1\n{{- if true }}\n  x\n{{- end }}\nline3",
        V,
    ),
    case(
        "comments",
        "a{{/* c */}}b {{- /* c2 */ -}} c{{- /* c3 */}}",
        V,
    ),
    case(
        "variables",
        "{{ $x := .Values.s }}{{ $y := 2 }}{{ $x }}{{ $y }}{{ $y = 5 }}{{ $y }}",
        V,
    ),
    case(
        "variable_scope",
        "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}{{ range .Values.l }}{{ $x = 3 }}{{ end }}{{ $x }}",
        V,
    ),
    case(
        "dollar_in_range",
        "{{ range .Values.l }}{{ $.Values.s }}{{ end }}",
        V,
    ),
    case(
        "if_else_chain",
        "{{ if .Values.nope }}a{{ else if eq .Values.s \"x\" }}b{{ else }}c{{ end }}",
        V,
    ),
    case(
        "truthiness",
        "{{ if 0 }}1{{ end }}{{ if \"\" }}2{{ end }}{{ if .Values.e }}3{{ end }}{{ if .Values.em }}4{{ end }}{{ if .Values.z }}5{{ end }}{{ if .Values.n }}6{{ end }}{{ if 0.0 }}7{{ end }}{{ if .Values.l }}8{{ end }}",
        V,
    ),
    case(
        "with_else",
        "{{ with .Values.nope }}x{{ else }}none{{ end }}{{ with .Values.s }}[{{ . }}]{{ end }}",
        V,
    ),
    case(
        "else_with",
        "{{ with .Values.nope }}a{{ else with .Values.nested }}{{ .x.y }}{{ end }}",
        V,
    ),
    case(
        "range_list",
        "{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }};{{ end }}",
        V,
    ),
    case(
        "range_map_sorted",
        "{{ range $k, $v := .Values.keys }}{{ $k }}={{ $v }};{{ end }}",
        V,
    ),
    case(
        "range_else",
        "{{ range .Values.e }}x{{ else }}empty{{ end }}{{ range .Values.nope }}y{{ else }}none{{ end }}",
        V,
    ),
    case(
        "range_int",
        "{{ range 4 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}zero{{ end }}",
        V,
    ),
    case(
        "range_break_continue",
        "{{ range $i, $v := .Values.l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $v }}{{ end }}",
        V,
    ),
    case(
        "range_nil_elements",
        "{{ range .Values.a.c }}[{{ . }}]{{ end }}",
        r#"{"a": {"c": [null, 1]}}"#,
    ),
    case(
        "range_nested",
        "{{ range $k, $v := .Values.m2 }}{{ $k }}:{{ range $v }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}",
        V,
    ),
    case(
        "range_assign",
        "{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .Values.l }}{{ end }}{{ $i }}{{ $v }}",
        V,
    ),
    case(
        "range_dot_fields",
        "{{ range .Values.l2 }}{{ .name }},{{ end }}",
        V,
    ),
    case(
        "define_template",
        "{{ define \"t1\" }}T{{ . }}{{ end }}{{ template \"t1\" .Values.s }}",
        V,
    ),
    case(
        "template_no_pipe",
        "{{ define \"t2\" }}[{{ . }}]{{ end }}{{ template \"t2\" }}",
        V,
    ),
    case(
        "template_dollar",
        "{{ define \"t3\" }}{{ $.s }}{{ end }}{{ template \"t3\" .Values }}",
        V,
    ),
    case("block", "{{ block \"b1\" .Values }}B{{ .s }}{{ end }}", V),
    case(
        "parens_and_chains",
        "{{ (.Values.nested).x.y }} {{ (index .Values.l 0) }} {{ (index .Values.l2 1).name }}",
        V,
    ),
    case(
        "pipeline_final_arg",
        "{{ .Values.s | printf \"%s-%s\" \"p\" }} {{ 3 | printf \"%d-%d\" 4 }}",
        V,
    ),
    case(
        "number_literals",
        "{{ 3 }} {{ 3.0 }} {{ 1e3 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ 'a' }} {{ -7 }} {{ .5 }} {{ 017 }}",
        V,
    ),
    case(
        "string_literals",
        "{{ \"a\\tb\" }}|{{ `raw\\n` }}|{{ \"\\u00e9\\x41\" }}",
        V,
    ),
    case(
        "types",
        "{{ printf \"%T %T %T %T %T %T %T %T\" 1 1.5 \"s\" true .Values.n .Values.l .Values .Values.m }}",
        V,
    ),
    case("multiline_action", "{{\n  .Values.s\n}}", V),
    case(
        "release_and_template",
        "{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Release.Revision }} {{ .Template.Name }} {{ .Template.BasePath }}",
        V,
    ),
    case(
        "unset_variable_prints_nothing",
        "{{ $x := .Values.nope }}[{{ $x }}]",
        V,
    ),
    case(
        "field_of_missing_variable",
        "{{ $x := .Values.nope }}[{{ $x.y }}]{{ define \"t4\" }}<{{ .x }}>{{ end }}{{ template \"t4\" .Values.nope }}",
        V,
    ),
    case("crlf_trim", "a\r\n{{- 1 -}}\r\nb\r\n", V),
    case(
        "join_pattern",
        "{{ range $i, $e := .Values.l }}{{ if $i }}, {{ end }}{{ $e | printf \"%q\" }}{{ end }}",
        V,
    ),
    case(
        "compound_conditions",
        "{{ if and (eq .Values.s \"x\") (gt (len .Values.l) 2) (not .Values.nope) }}yes{{ end }}{{ if or .Values.nope (lt .Values.f 2.0) }}!{{ end }}",
        V,
    ),
    case(
        "yaml_shaped_output",
        "spec:\n  replicas: {{ .Values.n }}\n  {{- if .Values.b }}\n  enabled: {{ .Values.b }}\n  {{- end }}\n  items:\n  {{- range .Values.l }}\n    - {{ . }}\n  {{- end }}",
        V,
    ),
    case(
        "deep_print",
        "{{ .Values.deep }}",
        r#"{"deep": {"a": [{"b": null}], "c": {}, "d": "str"}}"#,
    ),
    case("unicode_trim", "é {{- \"ü\" -}} ñ", V),
    case(
        "with_dot_range",
        "{{ with .Values.m2 }}{{ range $k, $v := . }}{{ $k }}{{ len $v }}{{ end }}{{ end }}",
        V,
    ),
];
