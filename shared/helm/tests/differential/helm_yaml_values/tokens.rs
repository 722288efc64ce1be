//! YAML values decoding cases: printable characters and tokens, indentation, number shapes, realistic values files, error positions, and the NEL/LS/PS, tag, alias, merge and key rules.

use crate::helm_harness::{HCase, hcase};

use super::{J, K};

pub const CASES: &[HCase] = &[
    // Printable characters, indicators and tokens.
    hcase(
        "plain_noncharacter_fffe",
        r#"{{ fromYaml "a: x\ufffey\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_c1_control",
        r#"{{ fromYaml "a: x\u0090y\n" | toJson }}"#,
        "",
    ),
    hcase("plain_private_use_and_astral", J, "a: xy\nb: 😀 𝄞\n"),
    hcase("plain_backslashes", J, "a: C:\\\\path\\\\x\nb: \\\\n\n"),
    hcase("plain_colon_hash_after_key", J, "a:#c: 1\nb: x:#y\n"),
    hcase(
        "plain_comment_between_lines",
        r#"{{ fromYaml "a: one\n  # comment\n  two\n" | toJson }}"#,
        "",
    ),
    hcase(
        "quoted_key_adjacent_colon_block",
        r#"{{ fromYaml "\"a\":1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_marker_then_block_map",
        r#"{{ fromYaml "--- a: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_end_then_directive_then_doc",
        r#"{{ fromYaml "a: 1\n...\n%YAML 1.1\n---\nb: 2\n" | toJson }}"#,
        "",
    ),
    hcase(
        "doc_directive_then_empty",
        r#"{{ fromYaml "%YAML 1.1\n---\n" | toJson }}"#,
        "",
    ),
    hcase(
        "tag_uri_escape",
        J,
        "a: !my%21tag x\nb: !<tag:yaml.org,2002:str> y\n",
    ),
    hcase(
        "tag_verbatim_unclosed",
        r#"{{ fromYaml "a: !<x y\n" | toJson }}"#,
        "",
    ),
    hcase(
        "anchor_empty_name",
        r#"{{ fromYaml "a: & 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "alias_empty_name",
        r#"{{ fromYaml "a: * \n" | toJson }}"#,
        "",
    ),
    hcase(
        "anchor_adjacent_flow",
        J,
        "a: [&x 1, *x]\nb: {&k k: &v v, z: *v}\n",
    ),
    hcase(
        "anchor_tag_on_collection",
        J,
        "a: &m !!map {x: 1}\nb: *m\nc: &s !!seq [1]\nd: *s\n",
    ),
    hcase(
        "anchor_on_block_collections",
        J,
        "a: &s\n- 1\n- 2\nb: *s\nc: &m\n  x: 1\nd: *m\n",
    ),
    hcase("anchor_on_block_scalar", J, "a: &t |\n  text\nb: *t\n"),
    hcase("merge_in_flow_seq_pair", J, "a: &a {x: 1}\nb: [<<: *a]\n"),
    hcase(
        "merge_source_with_duplicate_keys",
        J,
        "a: &a\n  x: 1\n  x: 2\nm:\n  <<: *a\n",
    ),
    hcase(
        "merge_block_sequence_of_aliases",
        J,
        "a: &a {x: 1}\nb: &b {z: 2}\nm:\n  <<:\n  - *a\n  - *b\n  w: 3\n",
    ),
    // Indentation and structure.
    hcase(
        "map_under_seq_deeper",
        J,
        "a:\n  -   b: 1\n      c:\n        - x\n        - y\n  - d\n",
    ),
    hcase("seq_in_seq_block_scalar", J, "a:\n- - |\n    x\n  - y\n"),
    hcase(
        "seq_then_key_same_indent",
        r#"{{ fromYaml "a:\n  - b\n  c: d\n" | toJson }}"#,
        "",
    ),
    hcase(
        "key_less_indented_than_sibling",
        r#"{{ fromYaml "a:\n    b: 1\n  c: 2\n" | toJson }}"#,
        "",
    ),
    hcase(
        "map_key_after_dedent",
        J,
        "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    ),
    hcase(
        "flow_deep_nesting",
        J,
        "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    ),
    hcase(
        "crlf_whole_document",
        J,
        "# c\r\na: &a\r\n  x: 'one\r\n    two'\r\n  y: |\r\n    l1\r\n    l2\r\nb:\r\n  <<: *a\r\n  z: [1, 2]\r\n",
    ),
    // Numbers: more shapes.
    hcase(
        "num_underscore_shapes",
        K,
        "a: 1_000_000\nb: 0b1111_0000\nc: 0x_\nd: -0b\ne: +0b101\nf: 0o_17\n",
    ),
    hcase(
        "num_zero_shapes",
        K,
        "a: .0\nb: 0.\nc: -.0\nd: +.0e-0\ne: 00.5\nf: -00\n",
    ),
    hcase("num_spaces_inside", K, "a: 1 000\nc: 1. 5\nd: 1 .5\n"),
    hcase(
        "bool_trailing_space",
        K,
        "a: true   \nb: 'true '\nc: \"yes\"\nd: True # c\n",
    ),
    hcase(
        "num_big_decimal_strings",
        K,
        "a: 123456789012345678901234567890\nb: 0.1234567890123456789\nc: 1e-5\nd: 1e21\ne: 1e20\n",
    ),
    // Realistic values files.
    hcase(
        "realistic_web_app",
        J,
        "# Default values for web.\nreplicaCount: 2\nimage:\n  repository: ghcr.io/example/web   # registry path\n  tag: \"1.2.0\"\n  pullPolicy: IfNotPresent\nimagePullSecrets: []\nnameOverride: \"\"\npodAnnotations:\n  prometheus.io/scrape: \"true\"\n  prometheus.io/port: '9090'\nsecurityContext: &sc\n  runAsNonRoot: true\n  runAsUser: 1000\n  capabilities:\n    drop: [ALL]\nsidecar:\n  securityContext:\n    <<: *sc\n    runAsUser: 2000\nservice:\n  type: ClusterIP\n  port: 80\ningress:\n  enabled: false\n  hosts:\n    - host: chart-example.local\n      paths:\n        - path: /\n          pathType: ImplementationSpecific\n  tls: []\nresources:\n  limits: {cpu: 100m, memory: 128Mi}\n  requests:\n    cpu: 0.5\n    memory: 64Mi\nconfig: |\n  server {\n    listen 8080;\n    # comment kept\n  }\nmotd: >-\n  Welcome to\n  the service.\n\n  Second paragraph.\nnodeSelector: {}\ntolerations:\n- key: \"node-role.kubernetes.io/control-plane\"\n  operator: Exists\n  effect: NoSchedule\nenv:\n  LOG_LEVEL: debug\n  WORKERS: 4\n  RATIO: 0.75\n  ENABLED: on\n  EMPTY:\n",
    ),
    hcase(
        "realistic_web_app_types",
        "{{ range $k, $v := .Values.env }}{{ $k }}={{ kindOf $v }}:{{ $v }};{{ end }}|{{ .Values.resources.requests.cpu }}|{{ .Values.image.tag }}|{{ .Values.sidecar.securityContext.runAsUser }}",
        "env:\n  LOG_LEVEL: debug\n  WORKERS: 4\n  RATIO: 0.75\n  ENABLED: on\n  EMPTY:\n  PORT: \"8080\"\nresources:\n  requests:\n    cpu: 0.5\nimage:\n  tag: 1.10\nsc: &sc {runAsUser: 1000}\nsidecar:\n  securityContext:\n    <<: *sc\n    runAsUser: 2000\n",
    ),
    // Error positions: scanner, parser and decoder errors past line 1.
    hcase(
        "errpos_unknown_escape_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: \"x\\qy\"\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_escape_in_multiline_double",
        r#"{{ (fromYaml "a: \"one\n  two\n  th\\qree\"\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_unterminated_single_multiline",
        r#"{{ (fromYaml "a: 1\nb: 'one\n  two\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_unterminated_double_at_doc_marker",
        r#"{{ (fromYaml "a: 1\nb: \"one\n---\n\"\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_control_char_line4",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: 3\nd: x\x02\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_indent_indicator_zero_line2",
        r#"{{ (fromYaml "a: 1\nb: |0\n  x\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_block_header_junk_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: >x\n  y\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_block_tab_indent_line3",
        r#"{{ (fromYaml "a: 1\nb: |\n\tx\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_undefined_tag_handle_line2",
        r#"{{ (fromYaml "a: 1\nb: !e!x y\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_anchor_empty_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: & x\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_mapping_values_line4",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: 3\nd: e: f\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_flow_unclosed_multiline",
        r#"{{ (fromYaml "a: [1,\n  2,\n  3\nb: 1\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_flow_map_unclosed_multiline",
        r#"{{ (fromYaml "a: {x: 1,\n  y: 2\nb: 1\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_block_seq_not_allowed_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: - x\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_expected_dash_line3",
        r#"{{ (fromYaml "a:\n  - 1\n  - 2\n  x: 1\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_did_not_find_key_line5",
        r#"{{ (fromYaml "a:\n  b: 1\n  c: 2\n\n d: 3\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_tag_mismatch_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: !!int x\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_binary_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: !!binary '*'\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_complex_key_line3",
        r#"{{ (fromYaml "a: 1\nb: 2\n? [x]\n: y\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_duplicate_tag_directive",
        r#"{{ (fromYaml "%TAG !e! tag:a,2000:\n%TAG !e! tag:b,2000:\n---\na: 1\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_yaml_directive_line2",
        r##"{{ (fromYaml "# c\n%YAML 1.2\n---\na: 1\n").Error }}"##,
        "",
    ),
    hcase(
        "errpos_crlf_line_count",
        r#"{{ (fromYaml "a: 1\r\nb: 2\r\nc: d: e\r\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_cr_line_count",
        r#"{{ (fromYaml "a: 1\rb: 2\rc: d: e\r").Error }}"#,
        "",
    ),
    hcase(
        "errpos_nel_line_count",
        r#"{{ (fromYaml "a: 1\u0085b: 2\nc: d: e\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_ls_line_count",
        r#"{{ (fromYaml "a: one\u2028  two\nb: 2\nc: d: e\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_bom_then_error_line2",
        r#"{{ (fromYaml "\ufeffa: 1\nb: c: d\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_after_block_scalar",
        r#"{{ (fromYaml "a: |\n  x\n  y\nb: 1\nc: d: e\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_after_multiline_plain",
        r#"{{ (fromYaml "a: one\n  two\n  three\nb: c: d\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_after_multiline_double",
        r#"{{ (fromYaml "a: \"one\n  two\"\nb: c: d\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_long_key_line3",
        r#"{{ (fromYaml (printf "a: 1\nb: 2\n%s: v" (repeat 1100 "k"))).Error }}"#,
        "",
    ),
    hcase(
        "errpos_unknown_anchor_line4",
        r#"{{ (fromYaml "a: 1\nb: 2\nc: 3\nd: *zz\n").Error }}"#,
        "",
    ),
    hcase(
        "errpos_invalid_hex_escape_line2",
        r#"{{ (fromYaml "a: 1\nb: \"\\xG1\"\n").Error }}"#,
        "",
    ),
    // More on the behaviours that differ today.
    hcase(
        "key_int_forms",
        K,
        "0x10: a\n0o10: b\n010: c\n0b10: d\n+7: e\n1_0: f\n",
    ),
    hcase(
        "tag_bool_quoted_true_word",
        r#"{{ fromYaml "a: !!bool 'tRUE'\n" | toJson }}"#,
        "",
    ),
    hcase(
        "nel_in_key",
        r#"{{ fromYaml "k\u0085x: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "comment_after_alias_and_anchor",
        r#"{{ fromYaml "a: &x 1\nb: *x# c\n" | toJson }}"#,
        "",
    ),
    // Line breaks NEL/LS/PS, tags, aliases, merges and keys as go-yaml v2 reads them.
    hcase("plain_nel_break", J, "a: x\u{85}b: y\n"),
    hcase("plain_nel_fold", J, "a: one\u{85}  two\n"),
    hcase(
        "plain_ls_ps_break",
        J,
        "a: one\u{2028}  two\nb: three\u{2029}  four\n",
    ),
    hcase("plain_ls_blank_fold", J, "a: one\n\u{2028}  two\n"),
    hcase(
        "plain_bom_inside",
        r#"{{ fromYaml "a: x\ufeffy\n" | toJson }}"#,
        "",
    ),
    hcase(
        "single_continuation_whitespace",
        J,
        "a: 'one   \n     two\t\n\tthree'\n",
    ),
    hcase(
        "single_comment_without_space",
        r#"{{ fromYaml "a: 'x'# c\nb: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_continuation_whitespace",
        J,
        "a: \"one   \n   two\t\n\t three\"\n",
    ),
    hcase(
        "double_nel_ls_raw",
        J,
        "a: \"one\u{85}two\"\nb: \"three\u{2028}four\"\n",
    ),
    hcase(
        "block_comment_without_space",
        r#"{{ fromYaml "a: |# c\n  x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_folded_ls_fold",
        J,
        "a: >\n  one\n  two\u{2028}  three\n",
    ),
    hcase(
        "tag_bool_yaml11",
        K,
        "a: !!bool yes\nb: !!bool \"off\"\nc: !!bool True\n",
    ),
    hcase("tag_non_specific", K, "a: ! 123\nb: ! true\nc: ! ~\n"),
    hcase("alias_as_key_no_space", J, "a: &k key\n*k: v\n"),
    hcase(
        "alias_self_reference_seq",
        r#"{{ fromYaml "a: &a [*a]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "alias_self_reference_map",
        r#"{{ fromYaml "a: &a {b: *a}\n" | toJson }}"#,
        "",
    ),
    hcase(
        "alias_billion_laughs",
        r#"{{ fromYaml "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n" | toJson | trunc 120 }}"#,
        "",
    ),
    hcase(
        "merge_own_key_before",
        J,
        "b: &b {x: 1}\nm:\n  x: own\n  <<: *b\n",
    ),
    hcase(
        "merge_twice_in_one_map",
        J,
        "a: &a {x: 1}\nb: &b {x: 2, w: 2}\nm:\n  <<: *a\n  <<: *b\n",
    ),
    hcase(
        "merge_scalar_value",
        r#"{{ fromYaml "m:\n  <<: 1\n" | toJson }}"#,
        "",
    ),
    hcase(
        "merge_sequence_of_scalars",
        r#"{{ fromYaml "m:\n  <<: [1, 2]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "merge_alias_to_sequence",
        r#"{{ fromYaml "s: &s [1]\nm:\n  <<: *s\n" | toJson }}"#,
        "",
    ),
    hcase(
        "merge_alias_to_scalar_in_seq",
        r#"{{ fromYaml "s: &s x\nm:\n  <<: [*s]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "merge_null_value",
        r#"{{ fromYaml "m:\n  <<: ~\n" | toJson }}"#,
        "",
    ),
    hcase(
        "merge_nested_sequence",
        r#"{{ fromYaml "a: &a {x: 1}\nm:\n  <<: [[*a]]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "key_float_formatting",
        K,
        "0.1: a\n123456789.0: b\n1e20: c\n.inf: d\n-.inf: e\n3.14159265358979: f\n",
    ),
    hcase(
        "key_uint64",
        r#"{{ fromYaml "9223372036854775808: b\n" | toJson }}"#,
        "",
    ),
    hcase("key_nan", r#"{{ fromYaml ".nan: x\n" | toJson }}"#, ""),
    hcase(
        "comment_after_flow_no_space",
        r#"{{ fromYaml "a: [1]# c\n" | toJson }}"#,
        "",
    ),
    hcase(
        "key_float_more",
        K,
        ".5: a\n-0.0: b\n1e-7: c\n1e300: d\n0.30000000000000004: e\n-9223372036854775809: f\n",
    ),
    hcase(
        "tag_bool_more",
        K,
        "a: !!bool on\nb: !!bool Y\nc: !!bool n\nd: !!bool FALSE\n",
    ),
    hcase(
        "tag_non_specific_quoted_and_collections",
        K,
        "a: ! \"x\"\nb: ! {k: 1}\nc: ! [1]\nd: ! 1.5\n",
    ),
    hcase("nel_in_single_quoted", J, "a: 'one\u{85}  two'\n"),
    hcase(
        "ls_in_double_quoted_with_indent",
        J,
        "a: \"one\u{2028}   two\"\n",
    ),
    hcase("ps_in_flow_seq", J, "a: [one\u{2029} two, three]\n"),
    hcase(
        "tabs_in_quoted_continuations",
        J,
        "a: 'x\n\t\ty\n \tz'\nb: \"x\n\t\\ty\"\n",
    ),
    hcase(
        "comment_after_flow_map_no_space",
        r#"{{ fromYaml "a: {x: 1}# c\n" | toJson }}"#,
        "",
    ),
    hcase(
        "comment_after_double_no_space",
        r##"{{ fromYaml "a: \"x\"# c\n" | toJson }}"##,
        "",
    ),
    hcase(
        "merge_own_key_before_nested",
        J,
        "a: &a {x: {p: 1}, q: 1}\nm:\n  x: own\n  q: own\n  <<: *a\n  r: 2\n",
    ),
    hcase(
        "merge_own_key_before_seq",
        J,
        "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nm:\n  x: own\n  z: own\n  <<: [*a, *b]\n",
    ),
    hcase(
        "merge_three_keys",
        J,
        "a: &a {x: 1}\nb: &b {x: 2}\nc: &c {x: 3}\nm:\n  <<: *a\n  <<: *b\n  <<: *c\n",
    ),
];
