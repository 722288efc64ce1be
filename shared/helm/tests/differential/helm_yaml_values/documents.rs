//! YAML values decoding cases: documents, numbers/booleans/nulls as go-yaml v2 resolves them, line breaks and flow/key shapes.

use crate::helm_harness::{HCase, hcase};

use super::{J, K};

pub const CASES: &[HCase] = &[
    // Documents.
    hcase("doc_leading_marker", J, "---\na: 1\n"),
    hcase(
        "doc_marker_with_content",
        r#"{{ fromYaml "--- {a: 1}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_marker_with_scalar",
        r#"{{ fromYaml "--- text\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_end_marker",
        r#"{{ fromYaml "a: 1\n...\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_end_then_more",
        r#"{{ fromYaml "a: 1\n...\nb: 2\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_multiple_first_counts",
        r#"{{ fromYaml "a: 1\n---\nb: 2\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_second_invalid_ignored",
        r#"{{ fromYaml "a: 1\n---\n]: [\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_second_unclosed_flow",
        r#"{{ fromYaml "a: 1\n---\nb: [\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_yaml_directive_11",
        r#"{{ fromYaml "%YAML 1.1\n---\na: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_yaml_directive_12",
        r#"{{ fromYaml "%YAML 1.2\n---\na: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_yaml_directive_20",
        r#"{{ fromYaml "%YAML 2.0\n---\na: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_yaml_directive_twice",
        r#"{{ fromYaml "%YAML 1.1\n%YAML 1.1\n---\na: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_unknown_directive",
        r#"{{ fromYaml "%FOO bar baz\n---\na: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_directive_without_marker",
        r#"{{ fromYaml "%YAML 1.1\na: 1\n" | toJson }}"#,
        "",
    ),
    hcase("doc_bom", J, "\u{feff}a: 1\nb: x\n"),
    hcase(
        "doc_bom_fromyaml",
        r#"{{ fromYaml "\ufeffa: 1\n" | toJson }}"#,
        "",
    ),
    hcase("doc_comments_only", J, "# one\n# two\n"),
    hcase("doc_empty", J, ""),
    hcase("doc_blank_lines_only", J, "\n\n   \n"),
    hcase("doc_null", r#"{{ fromYaml "null\n" | toJson }}"#, ""),
    hcase(
        "doc_tilde_with_marker",
        r#"{{ fromYaml "--- ~\n" | toJson }}"#,
        "",
    ),
    hcase("doc_marker_only", r#"{{ fromYaml "---\n" | toJson }}"#, ""),
    hcase("doc_end_only", r#"{{ fromYaml "...\n" | toJson }}"#, ""),
    hcase(
        "doc_top_level_scalar",
        r#"{{ fromYaml "just text\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_top_level_number",
        r#"{{ fromYaml "42\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_top_level_seq",
        r#"{{ fromYaml "- a\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_array_top_level_map",
        r#"{{ fromYamlArray "a: b\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_array_null",
        r#"{{ fromYamlArray "~\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_array_empty_flow",
        r#"{{ fromYamlArray "[]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_array_scalars",
        r#"{{ fromYamlArray "- 1\n- 1.5\n- yes\n- ~\n- 0x1F\n- '2'\n" | toJson }}"#,
        "",
    ),
    // Numbers, booleans, nulls as go-yaml v2 resolves them.
    hcase(
        "num_prefixes",
        K,
        "o: 0o17\nb: 0b101\nnb: -0b101\nx: 0x1F\nnx: -0x1f\npx: +0x1F\nl: 0755\n",
    ),
    hcase(
        "num_signs_and_underscores",
        K,
        "p: +12\nu: 1_000\nuu: 1__0\nt: 1_\nf: 1_0.5\nxu: 0x_1F\n",
    ),
    hcase(
        "num_floats",
        K,
        "e: 1e3\nE: 1E3\np: 1e+3\nm: -1e-3\nd: .5\npd: +.5\nmd: -.5\nt: 1.\nz: 0.0\n",
    ),
    hcase(
        "num_yaml11_not_numbers",
        K,
        "a: 1e\nb: e3\nc: 0x\nd: 0b\ne: 0b102\nf: _1\ng: 1.2.3\nh: 1,000\n",
    ),
    hcase(
        "num_sexagesimal",
        K,
        "a: 190:20:30\nb: 1:20\nc: -1:30\nd: 190:20:30.15\n",
    ),
    hcase("num_inf", r#"{{ fromYaml "a: .inf\n" | toJson }}"#, ""),
    hcase("num_neg_inf", r#"{{ fromYaml "a: -.Inf\n" | toJson }}"#, ""),
    hcase("num_nan", r#"{{ fromYaml "a: .NaN\n" | toJson }}"#, ""),
    hcase(
        "num_inf_nan_lookalikes",
        K,
        "a: .infinity\nb: inf\nc: nan\nd: .nAn\ne: +.INf\n",
    ),
    hcase(
        "num_nan_upper",
        r#"{{ fromYaml "a: .NAN\n" | toJson }}"#,
        "",
    ),
    hcase(
        "num_plus_inf",
        r#"{{ fromYaml "a: +.inf\n" | toJson }}"#,
        "",
    ),
    hcase(
        "num_inf_upper",
        r#"{{ fromYaml "a: .INF\n" | toJson }}"#,
        "",
    ),
    hcase("num_negative_zero", K, "a: -0\nb: -0.0\nc: +0\nd: 0.0e0\n"),
    hcase(
        "num_int64_edges",
        K,
        "a: 9223372036854775807\nb: -9223372036854775808\nc: 9223372036854775808\nd: -9223372036854775809\n",
    ),
    hcase(
        "num_uint64_edges",
        K,
        "a: 18446744073709551615\nb: 18446744073709551616\nc: 0xFFFFFFFFFFFFFFFF\nd: 0x10000000000000000\n",
    ),
    hcase(
        "num_precision",
        K,
        "a: 9007199254740993\nb: 0.1\nc: 1234567\nd: 123456789012\ne: 0.000001\nf: 0.0000001\n",
    ),
    hcase(
        "num_float_extremes",
        K,
        "a: 1.0e+308\nb: 1.7976931348623157e308\nc: 4.9e-324\nd: 1e-400\ne: 1e400\n",
    ),
    hcase("num_leading_zeros", K, "a: 08\nb: 0999\nc: 007.5\nd: 00\n"),
    hcase(
        "num_bools_yaml11",
        K,
        "a: y\nb: Y\nc: yes\nd: YES\ne: n\nf: N\ng: no\nh: on\ni: ON\nj: off\nk: Off\nl: tRUE\nm: True\nn: FALSE\no: yEs\n",
    ),
    hcase(
        "num_nulls",
        K,
        "a: ~\nb: null\nc: Null\nd: NULL\ne: nUll\nf: \"~\"\n",
    ),
    hcase(
        "num_timestamps_stay_strings",
        K,
        "a: 2024-01-02\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10 -5\nd: 2024-1-2\ne: 2002-12-14T00:00:00Z\n",
    ),
    hcase(
        "num_quoted_stay_strings",
        K,
        "a: '12'\nb: \"1.5\"\nc: 'true'\nd: \"null\"\ne: '0x1F'\n",
    ),
    hcase(
        "num_in_flow",
        K,
        "a: [1, -2, 0.5, 1e3, 0x10, true, ~, yes, '3']\n",
    ),
    hcase(
        "num_printf_formats",
        r#"{{ range $k, $v := .Values }}{{ $k }}={{ printf "%v|%d|%s" $v $v $v }};{{ end }}"#,
        "a: 1\nb: 1.5\nc: 1000000\n",
    ),
    hcase(
        "num_int_functions",
        "{{ add .Values.a 1 }}|{{ int64 .Values.b }}|{{ mul .Values.c 2 }}|{{ .Values.d | int }}",
        "a: 0x10\nb: 0o17\nc: 1e3\nd: 0755\n",
    ),
    // More line breaks, flow and key shapes.
    hcase(
        "ls_in_key_and_single",
        r#"{{ fromYaml "k\u2028x: 'a\u2028\n  b'\n" | toJson }}"#,
        "",
    ),
    hcase(
        "nel_in_literal_block",
        r#"{{ fromYaml "a: |\n  one\u0085two\n" | toJson }}"#,
        "",
    ),
    hcase(
        "crlf_escaped_line_break",
        J,
        "a: \"one\\\r\n  two\"\nb: 'x\r\n\r\n  y'\n",
    ),
    hcase("crlf_keep_chomping", J, "a: |+\r\n  x\r\n\r\nb: 1\r\n"),
    hcase(
        "flow_multiline_blank_lines",
        J,
        "a: [one\n\n  two, 'three\n\n  four']\n",
    ),
    hcase(
        "flow_comments_inside",
        J,
        "a: [1, # one\n  2 # two\n  ]\nb: {x: 1 # c\n  }\n",
    ),
    hcase("flow_explicit_key", J, "a: {? x : 1, ? y}\n"),
    hcase("flow_anchor_in_key", J, "a: {&k x: 1}\nb: *k\n"),
    hcase(
        "flow_tagged_entries",
        J,
        "a: [!!str 1, !!int '2', !custom 3]\n",
    ),
    hcase(
        "flow_empty_key",
        r#"{{ fromYaml "a: {: v}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "flow_quoted_key_multiline",
        r#"{{ fromYaml "'a\n b': c\n" | toJson }}"#,
        "",
    ),
    hcase(
        "top_level_literal_block",
        r#"{{ fromYaml "--- |\n  text\n" | toJson }}"#,
        "",
    ),
    hcase(
        "seq_nested_empty_first",
        r#"{{ fromYamlArray "-\n  - a\n- - b\n" | toJson }}"#,
        "",
    ),
    hcase(
        "seq_anchored_entries",
        J,
        "a:\n- &x one\n- *x\n- &m {k: v}\n- *m\n",
    ),
    hcase(
        "keys_sorted_bytewise",
        J,
        "é: 1\nz: 2\nA: 3\n_: 4\n'10': 5\n'9': 6\n",
    ),
    hcase(
        "value_map_printed",
        "{{ .Values.a }}|{{ .Values.a.b }}|{{ index .Values.a.b 1 }}",
        "a: {z: 1, b: [x, 2]}\n",
    ),
    hcase(
        "num_uppercase_prefixes",
        K,
        "a: 0X1F\nb: 0O17\nc: 0B101\nd: -0x8000000000000000\n",
    ),
    hcase(
        "num_more_not_numbers",
        K,
        "a: 0x1p3\nb: Infinity\nc: NaN\nd: 1e3.5\ne: 12e\nf: '-'\ng: +\nh: .\n",
    ),
    hcase(
        "num_float_shapes",
        K,
        "a: .5e3\nb: 5.e3\nc: 1_000.5\nd: -.5E-2\ne: 0.1e1\nf: 100.0\n",
    ),
    hcase("num_bool_keys_and_values", K, "y: n\nY: N\nOn: Off\n"),
    hcase(
        "tag_on_empty_seq_entries",
        J,
        "a:\n- !!str\n- !!null\n- !custom\n",
    ),
    hcase(
        "alias_of_merged_map",
        J,
        "a: &a {x: 1}\nb: &b\n  <<: *a\n  z: 2\nc: *b\n",
    ),
    hcase(
        "alias_in_merge_sequence_with_inline",
        J,
        "a: &a {x: 1}\nm:\n  <<: [{x: 0, z: 0}, *a]\n",
    ),
    hcase(
        "merge_with_mapping_tag_on_value",
        r#"{{ fromYaml "a: &a {x: 1}\nm:\n  <<: !!map {x: 2}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_literal_indented_first_line_with_indicator",
        J,
        "a: |2\n    indented\n  normal\n",
    ),
    hcase(
        "block_folded_keep_more_indented_end",
        J,
        "a: >+\n  x\n    y\n\n",
    ),
    hcase(
        "block_scalar_in_flow_key_context",
        J,
        "? >-\n  folded\n  key\n: v\n",
    ),
    hcase(
        "block_scalar_in_flow",
        r#"{{ fromYaml "a: [|\n  x]\n" | toJson }}"#,
        "",
    ),
];
