//! YAML values decoding cases: plain, quoted and block scalars: folding, whitespace, escapes, chomping.

use crate::helm_harness::{HCase, hcase};

use super::J;

pub const CASES: &[HCase] = &[
    // Plain scalars: folding, whitespace, comments, indicators inside.
    hcase(
        "plain_fold_single_break",
        J,
        "a: one\n  two\n  three\nb: x\n",
    ),
    hcase(
        "plain_fold_blank_lines",
        J,
        "a: one\n\n  two\n\n\n  three\nb: x\n",
    ),
    hcase(
        "plain_fold_blank_lines_with_spaces",
        J,
        "a: one\n   \n  two\n \t\n  three\n",
    ),
    hcase(
        "plain_trailing_spaces_and_tabs",
        J,
        "a: x   \nb: y\t\t\nc: z \t \n",
    ),
    hcase(
        "plain_inner_spaces_and_tabs",
        J,
        "a: x   y\nb: x\ty\nc: x \t y\n",
    ),
    hcase("plain_tab_after_colon", J, "a:\tx\nb: \ty\n"),
    hcase(
        "plain_continuation_leading_spaces",
        J,
        "a: one\n        two\n   three\n",
    ),
    hcase(
        "plain_continuation_tabs",
        J,
        "a: one\n  \ttwo\n  three\t\n  four\n",
    ),
    hcase(
        "plain_hash_inside_and_after_space",
        J,
        "a: x#y\nb: x #y\nc: x\t#y\nd: '#'\ne: x#\n",
    ),
    hcase(
        "plain_colon_inside",
        J,
        "a: x:y\nb: http://h.example:80/p?q=1\nc: ::x\nd: a:b:c\n",
    ),
    hcase(
        "plain_flow_indicators_in_block",
        J,
        "a: x]\nb: x, y\nc: x}y\nd: a[0]\ne: x{}\n",
    ),
    hcase(
        "plain_starting_with_dash_question_colon",
        J,
        "a: -x\nb: ?x\nc: :x\nd: --\n",
    ),
    hcase(
        "plain_lone_dash_value",
        r#"{{ fromYaml "a: -\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_unicode",
        J,
        "a: héllo wörld\nb: 日本語\nc: ✓ ok\nd: x\u{a0}y\n",
    ),
    hcase(
        "plain_long_value",
        J,
        "a: word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word end\n",
    ),
    hcase(
        "plain_multiline_in_seq",
        J,
        "a:\n- one\n  two\n- three\n\n  four\n",
    ),
    hcase("plain_key_trailing_spaces", J, "a   : 1\nb\t: 2\n"),
    hcase("plain_crlf", J, "a: x\r\nb: one\r\n  two\r\nc: [1, 2]\r\n"),
    hcase(
        "plain_crlf_blank_lines",
        J,
        "a: one\r\n\r\n  two\r\nb: z\r\n",
    ),
    hcase("plain_cr_only", J, "a: x\rb: y\r"),
    hcase(
        "plain_document_marker_indented",
        J,
        "a: b\n  ---x\nc: d\n  ...\n",
    ),
    hcase(
        "plain_document_marker_column0",
        r#"{{ fromYaml "a: b\n---x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_document_end_column0",
        r#"{{ fromYaml "a: b\n...x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_key_1023_chars",
        r#"{{ fromYaml (printf "%s: v" (repeat 1023 "k")) | keys | first | len }}"#,
        "",
    ),
    hcase(
        "plain_key_1024_chars",
        r#"{{ fromYaml (printf "%s: v" (repeat 1024 "k")) | toJson | len }}"#,
        "",
    ),
    hcase(
        "plain_key_1100_chars",
        r#"{{ (fromYaml (printf "%s: v" (repeat 1100 "k"))).Error }}"#,
        "",
    ),
    hcase(
        "quoted_key_1100_chars",
        r#"{{ (fromYaml (printf "'%s': v" (repeat 1100 "k"))).Error }}"#,
        "",
    ),
    hcase(
        "flow_key_1100_chars",
        r#"{{ (fromYaml (printf "{%s: v}" (repeat 1100 "k"))).Error }}"#,
        "",
    ),
    hcase(
        "plain_value_5000_chars",
        r#"{{ (fromYaml (printf "a: %s" (repeat 5000 "v"))).a | len }}"#,
        "",
    ),
    hcase(
        "plain_key_spanning_lines",
        r#"{{ fromYaml "a\n  b: c\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_control_char",
        r#"{{ fromYaml "a: x\x01y\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_del_char",
        r#"{{ fromYaml "a: x\x7fy\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_reserved_at",
        r#"{{ fromYaml "a: @x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_reserved_backtick",
        r#"{{ fromYaml "a: `x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_percent_start",
        r#"{{ fromYaml "a: %x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_comma_start",
        r#"{{ fromYaml "a: ,x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_close_bracket_start",
        r#"{{ fromYaml "a: ]x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "plain_seq_entry_in_value",
        r#"{{ fromYaml "a: - x\n" | toJson }}"#,
        "",
    ),
    // Plain scalars in flow collections.
    hcase("flow_seq_plain_spaces", J, "a: [a b, c,  d  e ]\n"),
    hcase("flow_map_plain_spaces", J, "a: {a: b c, d: e  f }\n"),
    hcase(
        "flow_seq_multiline",
        J,
        "a: [one\n  two, three,\n  four\n  ]\n",
    ),
    hcase(
        "flow_map_multiline",
        J,
        "a: {k: one\n  two, j:\n    three}\n",
    ),
    hcase(
        "flow_colon_inside",
        J,
        "a: [x:y, http://h:1/p, 'q':z]\nb: {k:v}\n",
    ),
    hcase("flow_trailing_commas", J, "a: [1, 2, ]\nb: {x: 1, }\n"),
    hcase("flow_nested", J, "a: {b: [1, {c: [d, e]}, []], f: {}}\n"),
    hcase("flow_hash_inside", J, "a: [x#y, z #c\n  ]\n"),
    hcase(
        "flow_question_in_plain",
        r#"{{ fromYaml "a: [?x, x?, a?b]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "flow_empty_entry",
        r#"{{ fromYaml "a: [x, , y]\n" | toJson }}"#,
        "",
    ),
    hcase(
        "flow_unclosed_in_block",
        r#"{{ fromYaml "a: [x\nb: y\n" | toJson }}"#,
        "",
    ),
    // Single-quoted scalars.
    hcase(
        "single_quote_escape",
        J,
        "a: 'it''s'\nb: ''''\nc: ''\nd: '''x'''\n",
    ),
    hcase(
        "single_multiline_fold",
        J,
        "a: 'one\n  two\n\n  three\n\n\n  four'\n",
    ),
    hcase("single_backslash_literal", J, "a: 'x\\ny\\t'\n"),
    hcase(
        "single_special_chars",
        J,
        "a: '# not a comment'\nb: ': x'\nc: '[x]'\nd: '  lead'\n",
    ),
    hcase("single_crlf_fold", J, "a: 'one\r\n  two\r\n\r\n  three'\n"),
    hcase("single_ls_line_break", J, "a: 'one\u{2028}two'\n"),
    hcase(
        "single_unterminated_at_doc_marker",
        r#"{{ fromYaml "a: 'one\n---\n'\n" | toJson }}"#,
        "",
    ),
    hcase(
        "single_text_after_close",
        r#"{{ fromYaml "a: 'x' y\n" | toJson }}"#,
        "",
    ),
    // Double-quoted scalars: every escape.
    hcase("double_escape_zero", J, "a: \"x\\0y\"\n"),
    hcase("double_escape_bell", J, "a: \"x\\ay\"\n"),
    hcase("double_escape_backspace", J, "a: \"x\\by\"\n"),
    hcase("double_escape_tab", J, "a: \"x\\ty\"\n"),
    hcase("double_escape_tab_char", J, "a: \"x\\\ty\"\n"),
    hcase("double_escape_newline", J, "a: \"x\\ny\"\n"),
    hcase("double_escape_vtab", J, "a: \"x\\vy\"\n"),
    hcase("double_escape_formfeed", J, "a: \"x\\fy\"\n"),
    hcase("double_escape_cr", J, "a: \"x\\ry\"\n"),
    hcase("double_escape_escape", J, "a: \"x\\ey\"\n"),
    hcase("double_escape_space", J, "a: \"x\\ y\"\n"),
    hcase("double_escape_quote", J, "a: \"x\\\"y\"\n"),
    hcase("double_escape_backslash", J, "a: \"x\\\\y\"\n"),
    hcase("double_escape_nel", J, "a: \"x\\Ny\"\n"),
    hcase("double_escape_nbsp", J, "a: \"x\\_y\"\n"),
    hcase("double_escape_ls", J, "a: \"x\\Ly\"\n"),
    hcase("double_escape_ps", J, "a: \"x\\Py\"\n"),
    hcase("double_escape_hex", J, "a: \"x\\x41\\xe9\\x7Fy\"\n"),
    hcase("double_escape_u4", J, "a: \"x\\u00e9\\u263Ay\"\n"),
    hcase("double_escape_u8", J, "a: \"x\\U0001F600\\U00000041y\"\n"),
    hcase(
        "double_escape_slash",
        r#"{{ fromYaml "a: \"x\\/y\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_single_quote",
        r#"{{ fromYaml "a: \"x\\'y\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_unknown",
        r#"{{ fromYaml "a: \"x\\qy\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_hex_short",
        r#"{{ fromYaml "a: \"x\\x4\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_hex_bad_digit",
        r#"{{ fromYaml "a: \"x\\xZZ\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_surrogate",
        r#"{{ fromYaml "a: \"x\\uD800\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_beyond_unicode",
        r#"{{ fromYaml "a: \"x\\U00110000\"\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escape_hex_zero_in_key",
        r#"{{ fromYaml "\"k\\x00\": v\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_escaped_line_break",
        J,
        "a: \"one\\\n    two\"\nb: \"one \\\n   two\"\nc: \"one\\\n\n  two\"\n",
    ),
    hcase(
        "double_multiline_blank_lines",
        J,
        "a: \"one\n\n  two\n  \n  three\n\n\n  four\"\n",
    ),
    hcase(
        "double_escaped_space_before_break",
        J,
        "a: \"one\\ \n  two\\t\n  three\"\n",
    ),
    hcase(
        "double_crlf_fold",
        J,
        "a: \"one\r\n  two\r\n\r\n  three\"\n",
    ),
    hcase("double_unicode_raw", J, "a: \"日本 ✓\"\nb: \"\ttab\"\n"),
    hcase(
        "double_unterminated",
        r#"{{ fromYaml "a: \"one\ntwo\n" | toJson }}"#,
        "",
    ),
    hcase(
        "double_raw_control_char",
        r#"{{ fromYaml "a: \"x\x01y\"\n" | toJson }}"#,
        "",
    ),
    // Block scalars.
    hcase(
        "block_literal_clip_trailing_blanks",
        J,
        "a: |\n  one\n  two\n\n\nb: |\n  x\nc: |\n\n",
    ),
    hcase(
        "block_literal_clip_at_eof_no_newline",
        J,
        "a: |\n  one\n  two",
    ),
    hcase(
        "block_literal_clip_at_eof_blank_lines",
        J,
        "a: |\n  one\n\n  \n",
    ),
    hcase(
        "block_literal_strip_trailing_blanks",
        J,
        "a: |-\n  one\n  two\n\n\nb: |-\n  x\nc: |-\n\n",
    ),
    hcase(
        "block_literal_strip_at_eof_no_newline",
        J,
        "a: |-\n  one\n  two",
    ),
    hcase(
        "block_literal_strip_at_eof_blank_lines",
        J,
        "a: |-\n  one\n\n  \n",
    ),
    hcase(
        "block_literal_keep_trailing_blanks",
        J,
        "a: |+\n  one\n  two\n\n\nb: |+\n  x\nc: |+\n\n",
    ),
    hcase(
        "block_literal_keep_at_eof_no_newline",
        J,
        "a: |+\n  one\n  two",
    ),
    hcase(
        "block_literal_keep_at_eof_blank_lines",
        J,
        "a: |+\n  one\n\n  \n",
    ),
    hcase(
        "block_folded_clip_trailing_blanks",
        J,
        "a: >\n  one\n  two\n\n\nb: >\n  x\nc: >\n\n",
    ),
    hcase(
        "block_folded_clip_at_eof_no_newline",
        J,
        "a: >\n  one\n  two",
    ),
    hcase(
        "block_folded_clip_at_eof_blank_lines",
        J,
        "a: >\n  one\n\n  \n",
    ),
    hcase(
        "block_folded_strip_trailing_blanks",
        J,
        "a: >-\n  one\n  two\n\n\nb: >-\n  x\nc: >-\n\n",
    ),
    hcase(
        "block_folded_strip_at_eof_no_newline",
        J,
        "a: >-\n  one\n  two",
    ),
    hcase(
        "block_folded_strip_at_eof_blank_lines",
        J,
        "a: >-\n  one\n\n  \n",
    ),
    hcase(
        "block_folded_keep_trailing_blanks",
        J,
        "a: >+\n  one\n  two\n\n\nb: >+\n  x\nc: >+\n\n",
    ),
    hcase(
        "block_folded_keep_at_eof_no_newline",
        J,
        "a: >+\n  one\n  two",
    ),
    hcase(
        "block_folded_keep_at_eof_blank_lines",
        J,
        "a: >+\n  one\n\n  \n",
    ),
    hcase(
        "block_indent_indicator_2",
        J,
        "a: |2\n    x\n  y\nb: >2\n   p\n  q\n",
    ),
    hcase("block_indent_indicator_1_strip", J, "a: |1-\n  x\n y\n"),
    hcase("block_indent_indicator_chomp_first", J, "a: >-1\n  x\n y\n"),
    hcase("block_indent_indicator_keep", J, "a: |+2\n   x\n\n"),
    hcase(
        "block_indent_indicator_in_seq",
        J,
        "a:\n  - |1\n     x\n    y\n",
    ),
    hcase(
        "block_indent_indicator_zero",
        r#"{{ fromYaml "a: |0\n  x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_indent_indicator_less_than_content",
        r#"{{ fromYaml "a: |2\n x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_indent_indicator_twice",
        r#"{{ fromYaml "a: |22\n  x\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_leading_blank_lines",
        J,
        "a: |\n\n\n  x\n  y\nb: >\n\n  x\n  y\n",
    ),
    hcase(
        "block_leading_blank_more_indented",
        r#"{{ fromYaml "a: |\n      \n  x\n" | toJson }}"#,
        "",
    ),
    hcase("block_leading_blank_less_indented", J, "a: |\n \n   x\n"),
    hcase(
        "block_folded_more_indented",
        J,
        "a: >\n  one\n  two\n    indented\n    more\n  three\n\n  four\n   five\n  six\n",
    ),
    hcase(
        "block_folded_more_indented_first",
        r#"{{ fromYaml "a: >\n    first\n  second\n  third\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_folded_tab_leading_line",
        J,
        "a: >\n  one\n  \ttwo\n  three\n",
    ),
    hcase(
        "block_folded_blank_between",
        J,
        "a: >\n  one\n\n  two\n\n\n  three\n",
    ),
    hcase(
        "block_literal_tab_first_line",
        r#"{{ fromYaml "a: |\n  \tx\n  y\t\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_literal_tab_after_indent",
        J,
        "a: |\n  x\n  \ty\n  z\t\n",
    ),
    hcase(
        "block_comment_after_header",
        J,
        "a: | # comment\n  x\nb: >- # c\n  y\n",
    ),
    hcase(
        "block_text_after_header",
        r#"{{ fromYaml "a: | x\n  y\n" | toJson }}"#,
        "",
    ),
    hcase(
        "block_spaces_only_lines",
        J,
        "a: |\n  x\n   \n  y\n    \nb: >\n  x\n   \n  y\n",
    ),
    hcase(
        "block_in_sequence",
        J,
        "a:\n- |\n  x\n- >-\n  y\n  z\n- last\n",
    ),
    hcase("block_top_level_key_content_at_col0", J, "a: |\nx: 1\n"),
    hcase(
        "block_crlf",
        J,
        "a: |\r\n  l1\r\n  l2\r\nb: >\r\n  f1\r\n  f2\r\n",
    ),
    hcase(
        "block_nel_ls",
        r#"{{ fromYaml "a: |\n  one\u0085  two\nb: |\n  three\u2028four\n" | toJson }}"#,
        "",
    ),
    hcase("block_document_marker_inside", J, "a: |\n  ---\n  ...\n"),
    hcase(
        "block_document_marker_column0_ends",
        r#"{{ fromYaml "a: |\n  x\n---\nb: 2\n" | toJson }}"#,
        "",
    ),
    hcase("block_empty_then_key", J, "a: |\nb: >\nc: x\n"),
    hcase(
        "block_keep_followed_by_comment",
        J,
        "a: |+\n  x\n\n# c\nb: 1\n",
    ),
    hcase(
        "block_strip_followed_by_comment_indented",
        J,
        "a: |-\n  x\n  # not a comment\n",
    ),
];
