//! Cases for Helm's YAML and JSON functions: toYaml (byte-exact go-yaml v2 output),
//! mustToYaml, fromYaml, fromYamlArray, toJson, mustToJson, fromJson, fromJsonArray, and how
//! values.yaml itself decodes (YAML 1.1 booleans, float64 numbers).

use crate::helm_harness::{HCase, hcase};

const V: &str = r#"
name: web
replicas: 3
big: 1234567
ratio: 0.25
tiny: 0.0000001
huge: 1e+30
enabled: true
legacy: yes
off: off
empty: ""
nothing: ~
version: "1.10"
octal: 0755
hex: 0x1F
date: 2024-01-02
list: [b, a, 3, 1.5, null, true]
nested:
  z: 1
  a:
    deep: [ {k: v}, [1, 2] ]
  "quoted key": x
  "yes": "no"
multiline: |
  line one
  line two
folded: >
  folded text
  more
trailing: "a\n\n"
spaces: "  lead and trail  "
special: "a: b # c"
colon: "x:y"
long: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
unicode: "héllo ✓ 日本"
numstr: "123"
boolstr: "true"
nullstr: "null"
tilde: "~"
dash: "- x"
star: "*x"
amp: "&x"
bang: "!x"
pct: "%x"
at: "@x"
tick: "`x"
brace: "{x}"
bracket: "[x]"
quote: "'x'"
dquote: "\"x\""
tab: "a\tb"
anchors:
  base: &b {x: 1, y: 2}
  derived:
    <<: *b
    y: 3
"#;

pub const CASES: &[HCase] = &[
    hcase(
        "values_types",
        "{{ typeOf .Values.replicas }}|{{ .Values.big }}|{{ .Values.legacy }}|{{ .Values.off }}|{{ .Values.octal }}|{{ .Values.hex }}|{{ .Values.date }}|{{ typeOf .Values.nothing }}|{{ .Values.version }}",
        V,
    ),
    hcase(
        "values_yaml11_scalars",
        "{{ range $k, $v := .Values }}{{ $k }}={{ $v }}({{ typeOf $v }}) {{ end }}",
        "sexa: 1:20\nbin: 0b101\nplus: +1\noct12: 0o17\nhalf: .5\nunder: 1_000\nhexu: 0x_1F\nts: 2001-12-14t21:59:43.10-05:00\nYes: Yes\nON: OFF\nneg: -0x1A\nexp: 6.8523015e+5\nsexaf: 190:20:30.15\ntagged: !!str 12\nfloat_tag: !!float 3\n",
    ),
    hcase(
        "values_merge_keys",
        "{{ toJson .Values }}",
        "base: &b {a: 1, b: 2}\nother: &o {c: 3}\nboth:\n  <<: [*b, *o]\n  a: 9\nlist: &l [1, 2]\nuse: *l\n",
    ),
    hcase(
        "values_binary_and_nested_anchor",
        "{{ .Values.bin }}|{{ .Values.copy.inner.k }}",
        "bin: !!binary aGVsbG8=\norig: &x\n  inner: {k: v}\ncopy: *x\n",
    ),
    hcase(
        "values_n_key",
        "{{ .Values }}",
        "n: 1\ny: 2\non: 3\nNo: 4\n",
    ),
    hcase("toyaml_all", "{{ toYaml .Values }}", V),
    hcase("toyaml_nested", "{{ toYaml .Values.nested }}", V),
    hcase("toyaml_list", "{{ toYaml .Values.list }}", V),
    hcase(
        "toyaml_scalars",
        "{{ toYaml 1 }}|{{ toYaml 1.5 }}|{{ toYaml \"x\" }}|{{ toYaml true }}|{{ toYaml nil }}|{{ toYaml \"\" }}|{{ toYaml .Values.big }}|{{ toYaml .Values.tiny }}|{{ toYaml .Values.huge }}",
        V,
    ),
    hcase(
        "toyaml_strings_needing_quotes",
        "{{ toYaml (list .Values.numstr .Values.boolstr .Values.nullstr .Values.tilde .Values.dash .Values.star .Values.amp .Values.bang .Values.pct .Values.at .Values.tick .Values.brace .Values.bracket .Values.quote .Values.dquote .Values.colon .Values.special) }}",
        V,
    ),
    hcase(
        "toyaml_multiline",
        "{{ toYaml (dict \"m\" .Values.multiline \"f\" .Values.folded \"t\" .Values.trailing \"s\" .Values.spaces \"tab\" .Values.tab) }}",
        V,
    ),
    hcase(
        "toyaml_long_and_unicode",
        "{{ toYaml (dict \"long\" .Values.long \"u\" .Values.unicode) }}",
        V,
    ),
    hcase(
        "toyaml_yes_no_strings",
        "{{ toYaml (list \"yes\" \"no\" \"on\" \"off\" \"y\" \"n\" \"Y\" \"NO\" \"True\" \"1e3\" \"0x1\" \"012\" \"1_000\" \".5\" \"+1\" \"2024-01-02\") }}",
        V,
    ),
    hcase("toyaml_anchors_merge", "{{ toYaml .Values.anchors }}", V),
    hcase(
        "toyaml_nindent",
        "spec:\n{{- toYaml .Values.nested | nindent 2 }}",
        V,
    ),
    hcase(
        "toyaml_empty_collections",
        "{{ toYaml (dict) }}|{{ toYaml (list) }}|{{ toYaml (dict \"a\" (dict) \"b\" (list)) }}",
        V,
    ),
    hcase(
        "toyaml_ints_from_sprig",
        "{{ toYaml (list (add 1 2) (int64 5) (mul 2 1.5) (div 7 2) (float64 2)) }}",
        V,
    ),
    hcase(
        "toyaml_bytes",
        "{{ toYaml (dict \"b\" (.Files.GetBytes \"files/b.conf\")) }}",
        V,
    ),
    hcase(
        "toyaml_nan_swallowed",
        "[{{ toYaml (float64 \"NaN\") }}]",
        V,
    ),
    hcase("musttoyaml_nan", "{{ mustToYaml (float64 \"NaN\") }}", V),
    hcase("musttoyaml_ok", "{{ mustToYaml .Values.nested }}", V),
    hcase(
        "toyaml_control_chars",
        "[{{ toYaml (printf \"a%cb\" 127) }}]",
        V,
    ),
    hcase(
        "toyaml_keys_order",
        "{{ toYaml (dict \"b\" 1 \"a10\" 2 \"a9\" 3 \"A\" 4 \"_\" 5 \"1\" 6 \"10\" 7 \"2\" 8) }}",
        V,
    ),
    hcase(
        "toyaml_tricky_strings",
        "{{ toYaml (list \"\" \" \" \"a \" \" a\" \"-\" \"?\" \":\" \"a:\" \"#a\" \"a #b\" \"~\" \"null\" \"Null\" \"NULL\" \".inf\" \"-.Inf\" \".nan\" \"0o17\" \"0b101\" \"1:20\" \"=\" \"<<\" \"|\" \">\" \"a\\\\b\" \"'\" \"\\\"\") }}",
        V,
    ),
    hcase(
        "toyaml_unicode_strings",
        "{{ toYaml (list \"é\" \"日本語\" \"emoji 🎉\" \"zero\\u200bwidth\" \"bom\\ufeff\" \"nbsp\\u00a0x\" \"line\\u2028sep\") }}",
        V,
    ),
    hcase(
        "toyaml_long_folding",
        "{{ toYaml (dict \"a\" (repeat 30 \"word \") \"b\" (repeat 100 \"x\") \"c\" (printf \"%s\\n%s\" (repeat 20 \"ab \") (repeat 20 \"cd \"))) }}",
        V,
    ),
    hcase(
        "toyaml_keys_needing_quotes",
        "{{ toYaml (dict \"\" 1 \"a b\" 2 \"a:b\" 3 \"- x\" 4 \"true\" 5 \"123\" 6 \"1.5\" 7 \"null\" 8 \"é\" 9 \"#\" 10) }}",
        V,
    ),
    hcase(
        "toyaml_numbers_edge",
        "{{ toYaml (list 0.000001 0.0000001 1e20 1e21 123456789.0 -1.5e-10 (float64 \"1e300\") (int64 9007199254740993) (mul 1000000 1000000)) }}",
        V,
    ),
    hcase(
        "toyaml_multiline_edges",
        "{{ toYaml (list \"a\\n\" \"\\n\" \"\\na\" \" a\\nb\" \"a\\n b\" \"a \\nb\" \"a\\r\\nb\" \"a\\tb\\nc\") }}",
        V,
    ),
    hcase("toyamlpretty_values", "{{ toYamlPretty .Values }}", V),
    hcase(
        "toyamlpretty_long_strings",
        "{{ toYamlPretty (dict \"a\" (list (repeat 30 \"word \") (printf \"%s'q\" (repeat 20 \"ab \"))) \"b\" (dict \"c\" (printf \"\\t%s\" (repeat 25 \"tab  \"))) \"d\" (repeat 100 \"x\")) }}",
        V,
    ),
    hcase(
        "toyamlpretty_nested",
        "{{ toYamlPretty .Values.nested }}|{{ toYamlPretty .Values.list }}",
        V,
    ),
    hcase(
        "toyamlpretty_structures",
        "{{ toYamlPretty (list (list 1 2) (dict \"a\" (list \"x\" (dict \"b\" (list 1)))) (list) (dict)) }}",
        V,
    ),
    hcase(
        "toyamlpretty_scalars",
        "{{ toYamlPretty 1 }}|{{ toYamlPretty 1.5 }}|{{ toYamlPretty .Values.big }}|{{ toYamlPretty \"yes\" }}|{{ toYamlPretty nil }}|{{ toYamlPretty (add 1 2) }}",
        V,
    ),
    hcase(
        "toyamlpretty_multiline_in_list",
        "{{ toYamlPretty (dict \"items\" (list \"a\\nb\" (dict \"s\" \"x\\n- y\\n\" \"t\" (list \"z\")))) }}",
        V,
    ),
    hcase(
        "toyamlpretty_nindent",
        "spec:\n  {{- toYamlPretty (dict \"containers\" (list (dict \"name\" \"c\" \"ports\" (list (dict \"containerPort\" 80))))) | nindent 2 }}",
        V,
    ),
    hcase(
        "fromyaml_types",
        "{{ $m := fromYaml \"a: 1\\nb: yes\\nc: [x, 2.5]\\nd: {e: null}\\nf: '7'\" }}{{ typeOf $m.a }}|{{ $m.b }}|{{ $m.c }}|{{ $m.d }}|{{ typeOf $m.f }}|{{ typeOf $m }}",
        V,
    ),
    hcase(
        "fromyaml_roundtrip",
        "{{ (fromYaml (toYaml .Values)).nested.a.deep }}",
        V,
    ),
    hcase(
        "fromyaml_files",
        "{{ (.Files.Get \"files/data.yaml\" | fromYaml).list }}",
        V,
    ),
    hcase("fromyaml_list_error", "{{ fromYaml \"- a\\n- b\" }}", V),
    hcase(
        "fromyaml_scalar_error",
        "{{ (fromYaml \"just text\").Error }}",
        V,
    ),
    hcase(
        "fromyaml_syntax_error_prefix",
        "{{ (fromYaml \"a: [1, 2\").Error | trunc 42 }}",
        V,
    ),
    hcase(
        "fromyaml_empty",
        "{{ fromYaml \"\" }}|{{ fromYaml \"~\" }}|{{ len (fromYaml \"# only comment\") }}",
        V,
    ),
    hcase(
        "fromyaml_duplicate_keys",
        "{{ fromYaml \"a: 1\\na: 2\" }}",
        V,
    ),
    hcase(
        "fromyaml_multidoc",
        "{{ fromYaml \"a: 1\\n---\\nb: 2\" }}",
        V,
    ),
    hcase(
        "fromyaml_numbers",
        "{{ fromYaml \"i: 10\\nb: 12345678901\\nf: 1.0\\ne: 6.02e23\\nneg: -0.5\" }}",
        V,
    ),
    hcase("fromyaml_nan", "{{ fromYaml \"a: .nan\" }}", V),
    hcase(
        "fromyaml_non_string_keys",
        "{{ fromYaml \"1: a\\ntrue: b\\n1.5: c\" }}",
        V,
    ),
    hcase(
        "fromyamlarray",
        "{{ fromYamlArray \"- a\\n- 1\\n- {b: c}\" }}|{{ typeOf (fromYamlArray \"[]\") }}",
        V,
    ),
    hcase("fromyamlarray_error", "{{ fromYamlArray \"a: b\" }}", V),
    hcase(
        "fromyamlarray_empty",
        "{{ fromYamlArray \"\" }}|{{ len (fromYamlArray \"\") }}",
        V,
    ),
    hcase(
        "tojson_values",
        "{{ toJson .Values.nested }}|{{ toJson .Values.list }}",
        V,
    ),
    hcase(
        "tojson_escaping",
        "{{ toJson (dict \"h\" \"<a href='x'>&amp;</a>\" \"u\" \"\\u2028\" \"c\" \"a\\tb\\n\") }}",
        V,
    ),
    hcase(
        "tojson_numbers",
        "{{ toJson (list .Values.big .Values.tiny .Values.huge .Values.ratio 3 (int64 4) 0.1) }}",
        V,
    ),
    hcase(
        "tojson_nil_and_scalars",
        "{{ toJson nil }}|{{ toJson \"s\" }}|{{ toJson true }}|{{ toJson .Values.nothing }}|{{ toJson (list) }}",
        V,
    ),
    hcase(
        "tojson_nan_swallowed",
        "[{{ toJson (float64 \"NaN\") }}]",
        V,
    ),
    hcase("musttojson_nan", "{{ mustToJson (float64 \"+Inf\") }}", V),
    hcase(
        "fromjson_basic",
        "{{ $j := fromJson \"{\\\"a\\\": [1, 2.5, \\\"x\\\"], \\\"b\\\": {\\\"c\\\": null}}\" }}{{ $j.a }}|{{ $j.b }}|{{ typeOf (index $j.a 0) }}",
        V,
    ),
    hcase(
        "fromjson_files",
        "{{ (.Files.Get \"files/data.json\" | fromJson).k }}",
        V,
    ),
    hcase(
        "fromjson_errors",
        "{{ (fromJson \"{\").Error }}|{{ (fromJson \"x\").Error }}|{{ (fromJson \"[1]\").Error }}|{{ (fromJson \"{\\\"a\\\" 1}\").Error }}|{{ (fromJson \"{} x\").Error }}",
        V,
    ),
    hcase(
        "fromjson_more_errors",
        "{{ (fromJson \"tru\").Error }}|{{ (fromJson \"[1,]\").Error }}|{{ (fromJson \"{\\\"a\\\":01}\").Error }}|{{ (fromJson \"\\\"\\\\x\\\"\").Error }}|{{ (fromJson \"'a'\").Error }}",
        V,
    ),
    hcase(
        "fromjson_duplicate_and_unicode",
        "{{ fromJson \"{\\\"a\\\":1,\\\"a\\\":\\\"\\\\u00e9\\\\ud83d\\\\ude00\\\"}\" }}",
        V,
    ),
    hcase(
        "fromjsonarray",
        "{{ fromJsonArray \"[1, \\\"a\\\", {\\\"b\\\": true}]\" }}|{{ fromJsonArray \"{}\" }}|{{ fromJsonArray \"[\" }}",
        V,
    ),
    hcase(
        "fromjson_big_number",
        "{{ fromJson \"{\\\"a\\\": 1e400}\" }}",
        V,
    ),
    hcase(
        "json_yaml_roundtrip",
        "{{ .Values.anchors | toJson | fromJson | toYaml }}",
        V,
    ),
];
