//! YAML values decoding cases: tags, anchors and aliases, merge keys, map keys, block structure.

use crate::helm_harness::{HCase, hcase};

use super::{J, K};

pub const CASES: &[HCase] = &[
    // Tags.
    hcase(
        "tag_str_on_plain",
        K,
        "a: !!str 123\nb: !!str true\nc: !!str ~\nd: !!str\ne: !!str 1.5\n",
    ),
    hcase(
        "tag_int_on_quoted",
        K,
        "a: !!int \"12\"\nb: !!int '0x1F'\nc: !!int 0o17\n",
    ),
    hcase(
        "tag_float_on_int",
        K,
        "a: !!float 1\nb: !!float \"2\"\nc: !!float 1e3\n",
    ),
    hcase("tag_null", K, "a: !!null \"\"\nb: !!null\nc: !!null ~\n"),
    hcase(
        "tag_null_mismatch",
        r#"{{ fromYaml "a: !!null x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_int_mismatch",
        r#"{{ fromYaml "a: !!int abc\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_int_on_float",
        r#"{{ fromYaml "a: !!int 1.5\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_float_mismatch",
        r#"{{ fromYaml "a: !!float x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_bool_mismatch",
        r#"{{ fromYaml "a: !!bool maybe\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_int_empty",
        r#"{{ fromYaml "a: !!int\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_binary",
        J,
        "a: !!binary aGVsbG8=\nb: !!binary \"d29ybGQ=\"\n",
    ),
    hcase(
        "tag_binary_with_space",
        r#"{{ fromYaml "a: !!binary \"d29y bGQ=\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_binary_multiline",
        J,
        "a: !!binary |\n  aGVs\n  bG8g\n  d29y\n  bGQ=\n",
    ),
    hcase("tag_binary_invalid_utf8", J, "a: !!binary /w==\n"),
    hcase(
        "tag_binary_invalid_base64",
        r#"{{ fromYaml "a: !!binary not*base64\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_custom_local",
        K,
        "a: !custom x\nb: !custom 123\nc: !custom {k: v}\nd: !custom [1]\n",
    ),
    hcase(
        "tag_verbatim",
        K,
        "a: !<tag:yaml.org,2002:str> 5\nb: !<tag:yaml.org,2002:int> \"7\"\nc: !<!x> y\n",
    ),
    hcase(
        "tag_directive_handle",
        r#"{{ fromYaml "%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 5\nb: !e!int \"6\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_directive_primary",
        r#"{{ fromYaml "%TAG ! tag:yaml.org,2002:\n---\na: !str 5\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_undefined_handle",
        r#"{{ fromYaml "a: !e!str 5\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_on_collections",
        J,
        "a: !!map {b: 1}\nc: !!seq [1, 2]\nd: !!set {x, z}\ne: !!omap [k: v]\n",
    ),
    hcase(
        "tag_seq_on_map",
        r#"{{ fromYaml "a: !!seq {b: 1}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_str_on_map",
        r#"{{ fromYaml "a: !!str {b: 1}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_map_on_scalar",
        r#"{{ fromYaml "a: !!map x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_timestamp",
        J,
        "a: !!timestamp 2024-01-02\nb: !!timestamp 2001-12-14t21:59:43.10-05:00\n",
    ),
    hcase(
        "tag_timestamp_invalid",
        r#"{{ fromYaml "a: !!timestamp nope\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_and_anchor_order",
        J,
        "a: &x !!str 1\nb: !!str &y 2\nc: *x\nd: *y\n",
    ),
    hcase("tag_on_key", K, "!!str 1: a\n!!int \"2\": b\n"),
    hcase(
        "tag_float_special",
        J,
        "a: !!float \"1_000.5\"\nb: !!float -.5\n",
    ),
    // Anchors and aliases.
    hcase("alias_scalar", J, "a: &x 1\nb: *x\nc: &s str\nd: *s\n"),
    hcase(
        "alias_map_and_seq",
        J,
        "m: &m {k: v, p: [1]}\nl: &l [a, {b: c}]\nm2: *m\nl2: *l\n",
    ),
    hcase("alias_as_key", J, "a: &k key\n*k : v\n"),
    hcase(
        "alias_redefined_anchor",
        J,
        "a: &x 1\nb: *x\nc: &x 2\nd: *x\n",
    ),
    hcase("alias_empty_anchor", J, "a: &x\nb: *x\n"),
    hcase("alias_in_flow", J, "a: &x 1\nb: [*x, *x]\nc: {k: *x}\n"),
    hcase(
        "alias_anchor_names",
        J,
        "a: &a-b_c 1\nb: *a-b_c\nc: &9 2\nd: *9\n",
    ),
    hcase(
        "alias_before_anchor",
        r#"{{ fromYaml "a: *x\nb: &x 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "alias_with_tag",
        r#"{{ fromYaml "a: &x 1\nb: !!str *x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "alias_anchor_on_alias",
        r#"{{ fromYaml "a: &x 1\nb: &y *x\n" | toJson }}"#,
        "",
    ),
    // Merge keys.
    hcase(
        "merge_single_map",
        J,
        "b: &b {x: 1, w: 2}\nm:\n  <<: *b\n  z: 3\n",
    ),
    hcase("merge_inline_map", J, "m:\n  <<: {x: 1, w: 2}\n  w: 9\n"),
    hcase(
        "merge_sequence_first_wins",
        J,
        "a: &a {k: a, p: 1}\nb: &b {k: b, q: 2}\nm:\n  <<: [*a, *b]\n",
    ),
    hcase(
        "merge_sequence_reversed",
        J,
        "a: &a {k: a}\nb: &b {k: b}\nm:\n  <<: [*b, *a]\n",
    ),
    hcase(
        "merge_own_key_after",
        J,
        "b: &b {x: 1}\nm:\n  <<: *b\n  x: own\n",
    ),
    hcase(
        "merge_nested",
        J,
        "a: &a {x: 1, w: 1}\nb: &b\n  <<: *a\n  w: 2\n  z: 2\nc:\n  <<: *b\n  z: 3\n",
    ),
    hcase(
        "merge_deep_values_not_merged",
        J,
        "a: &a {o: {p: 1, q: 1}}\nm:\n  <<: *a\n  o: {p: 2}\n",
    ),
    hcase("merge_flow_map", J, "a: &a {x: 1}\nm: {<<: *a, w: 2}\n"),
    hcase(
        "merge_inline_and_alias_seq",
        J,
        "a: &a {x: 1}\nm:\n  <<: [*a, {x: 2, w: 2}]\n",
    ),
    hcase(
        "merge_quoted_is_plain_key",
        J,
        "a: &a {x: 1}\nm:\n  \"<<\": *a\nq:\n  '<<': 1\n",
    ),
    hcase(
        "merge_explicit_tag",
        J,
        "a: &a {x: 1}\nm:\n  !!merge <<: *a\n  w: 2\n",
    ),
    hcase("merge_empty_map", J, "m:\n  <<: {}\n  a: 1\n"),
    hcase(
        "merge_in_top_level",
        r#"{{ fromYaml "a: &a {x: 1}\n<<: *a\nb: 2\n" | toJson }}"#,
        "",
    ),
    // Keys.
    hcase("key_duplicate_last_wins", J, "a: 1\nb: x\na: 2\n"),
    hcase("key_duplicate_maps_replaced", J, "a: {x: 1}\na: {w: 2}\n"),
    hcase("key_duplicate_same_int", J, "1: a\n0x1: b\n+1: c\n01: d\n"),
    hcase(
        "key_numeric",
        K,
        "1: a\n-2: b\n1.5: c\n0x1F: d\n0o17: e\n1e3: f\n",
    ),
    hcase("key_bool", K, "yes: a\nNo: b\non: c\ntrue: d\nn: e\n"),
    hcase(
        "key_timestamp_and_sexagesimal",
        K,
        "2024-01-02: a\n1:20: b\n",
    ),
    hcase(
        "key_big_ints",
        K,
        "9223372036854775807: a\n18446744073709551616: c\n",
    ),
    hcase("key_null", r#"{{ fromYaml "~: c\n" | toJson }}"#, ""),
    hcase("key_null_empty", r#"{{ fromYaml ": c\n" | toJson }}"#, ""),
    hcase(
        "key_complex_seq",
        r#"{{ fromYaml "? [a, b]\n: c\n" | toJson }}"#,
        "",
    ),
    hcase(
        "key_complex_map",
        r#"{{ fromYaml "? {a: b}\n: c\n" | toJson }}"#,
        "",
    ),
    hcase("key_explicit", J, "? a\n: b\n? c\n? d\n: \n"),
    hcase("key_explicit_block_scalar", J, "? |\n  block key\n: v\n"),
    hcase("key_explicit_multiline_plain", J, "? one\n  two\n: v\n"),
    hcase(
        "key_empty_values",
        J,
        "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: \"\"\ng: nULL\n",
    ),
    hcase("key_flow_shorthand", J, "a: {x, k: z, w}\n"),
    hcase(
        "key_flow_seq_single_pair",
        J,
        "a: [x: y, z, {p: q}]\nb: [? k : v]\n",
    ),
    hcase("key_flow_seq_pair_empty_value", J, "a: [x: , y]\n"),
    hcase(
        "key_quoted_with_escapes",
        J,
        "\"a\\tb\": 1\n'c''d': 2\n\"\": 3\n",
    ),
    hcase(
        "key_with_colon_and_hash",
        J,
        "a:b: 1\n\"x: y\": 2\nc#d: 3\n",
    ),
    hcase("key_unicode", J, "ключ: 1\n日本: 2\n"),
    hcase("key_merge_like", J, "<<x: 1\nx<<: 2\n"),
    hcase(
        "key_missing_colon",
        r#"{{ fromYaml "a\nb: c\n" | toJson }}"#,
        "",
    ),
    hcase(
        "key_alias_complex",
        r#"{{ fromYaml "a: &x [1]\n*x : y\n" | toJson }}"#,
        "",
    ),
    // Block structure.
    hcase(
        "seq_compact_under_key",
        J,
        "a:\n- 1\n- 2\nb:\n  - 3\n  -   4\n",
    ),
    hcase(
        "seq_nested_compact",
        r#"{{ fromYamlArray "- - a\n  - b\n- c\n-\n- - - d\n" | toJson }}"#,
        "",
    ),
    hcase(
        "seq_of_maps_compact",
        J,
        "a:\n- x: 1\n  k: 2\n- z: 3\n-   w: 4\n    v: 5\n",
    ),
    hcase("seq_null_entries", J, "a:\n-\n- ~\n- \n"),
    hcase(
        "map_nested_indentation",
        J,
        "a:\n    b:\n          c: 1\n    d: 2\n",
    ),
    hcase(
        "comments_everywhere",
        J,
        "# head\na: 1 # c\n# mid\nb: [1, # c\n  2]\nc: {x: 1, # c\n  k: 2}\n  # indented\nd: 'x' # c\n",
    ),
    hcase("flow_map_quoted_adjacent_value", J, "a: {\"x\":1, 'y':2}\n"),
    hcase(
        "flow_map_plain_adjacent_value",
        r#"{{ fromYaml "a: {x:1}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "top_level_seq_flow_multiline",
        r#"{{ fromYamlArray "[a,\n b,\n c]\n" | toJson }}"#,
        "",
    ),
];
