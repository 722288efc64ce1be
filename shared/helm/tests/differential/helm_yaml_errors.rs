//! Cases for YAML syntax errors as fromYaml reports them (go-yaml v2 wording and lines).

use crate::helm_harness::{HCase, hcase};

pub const CASES: &[HCase] = &[
    hcase("yerr_flow_seq", "{{ (fromYaml \"a: [1, 2\").Error }}", ""),
    hcase("yerr_flow_map", "{{ (fromYaml \"{a: 1\").Error }}", ""),
    hcase(
        "yerr_nested_mapping_values",
        "{{ (fromYaml \"a: b: c\").Error }}",
        "",
    ),
    hcase(
        "yerr_nested_mapping_values_line3",
        "{{ (fromYaml \"x: 1\\ny: 2\\na: b: c\").Error }}",
        "",
    ),
    hcase(
        "yerr_bad_indent",
        "{{ (fromYaml \"a:\\n  b: 1\\n c: 2\").Error }}",
        "",
    ),
    hcase("yerr_tab", "{{ (fromYaml \"a:\\n\\tb: 1\").Error }}", ""),
    hcase(
        "yerr_unterminated_single",
        "{{ (fromYaml \"a: 'x\").Error }}",
        "",
    ),
    hcase(
        "yerr_unterminated_double",
        "{{ (fromYaml \"a: \\\"x\").Error }}",
        "",
    ),
    hcase(
        "yerr_seq_then_map",
        "{{ (fromYaml \"- a\\nb: c\").Error }}",
        "",
    ),
    hcase(
        "yerr_unknown_alias",
        "{{ (fromYaml \"a: *nope\").Error }}",
        "",
    ),
    hcase(
        "yerr_unknown_alias_line2",
        "{{ (fromYaml \"b: 1\\na: [*other]\").Error }}",
        "",
    ),
    hcase(
        "yerr_map_in_seq",
        "{{ (fromYaml \"a:\\n- b\\n c: d\").Error }}",
        "",
    ),
    hcase("yerr_key_only", "{{ (fromYaml \"a\\nb: c\").Error }}", ""),
    hcase(
        "yerr_bad_escape",
        "{{ (fromYaml \"a: \\\"\\\\q\\\"\").Error }}",
        "",
    ),
    hcase(
        "yerr_bad_escape_line2",
        "{{ (fromYaml \"x: 1\\na: \\\"\\\\q\\\"\").Error }}",
        "",
    ),
    hcase(
        "yerr_indented_key",
        "{{ (fromYaml \"x: 1\\n\\n  y: 2\").Error }}",
        "",
    ),
];
