//! YAML documents at go-yaml v2's edges, each checked with `fromYaml` against helm: the
//! alias-ratio guard's exact count, merges through aliases, the order of decode-time
//! errors (merges walk sequences last to first, an anchor that contains itself), `!!binary`
//! keys and non-UTF-8 bytes, encoding/json's nesting limit, byte order marks, and deeply
//! nested anchors (which must cost linear time and memory, as in helm).

use crate::helm_harness::HCase;
use crate::helm_yaml_random::go_quote;

fn case(name: &'static str, doc: &str) -> HCase {
    let template = format!("{{{{ fromYaml {} | toJson }}}}", go_quote(doc));
    HCase {
        name,
        template: Box::leak(template.into_boxed_str()),
        values: "",
        args: &[],
    }
}

fn repeat(item: &str, n: usize) -> String {
    vec![item; n].join(",")
}

pub fn cases() -> Vec<HCase> {
    let mut out = vec![
        // v2 counts the document and every alias node itself: these stay under its ratio.
        case(
            "alias_ratio_under",
            &format!("a: &a [{}]\nb: [{}]\n", repeat("0", 200), repeat("*a", 101)),
        ),
        case(
            "alias_ratio_small_anchor",
            &format!("a: &a [{}]\nb: [{}]\n", repeat("0", 98), repeat("*a", 500)),
        ),
        case(
            "alias_ratio_over",
            &format!(
                "a: &a [{}]\nb: [{}]\n",
                repeat("0", 200),
                repeat("*a", 2000)
            ),
        ),
        case("merge_alias_to_sequence", "x: &x [{a: 1}]\nz:\n  <<: *x\n"),
        case("merge_alias_to_empty_sequence", "b: {<<: &y [], <<: *y}\n"),
        case(
            "merge_sequence_last_item_first",
            "<<: [{[1]: 2}, {<<: 1}]\n",
        ),
        case(
            "merge_sequence_later_map_decoded_first",
            "<<: [{<<: 1}, {a: !!int z}]\n",
        ),
        case(
            "merge_sequence_stops_before_earlier",
            "<<: [{a: !!int z}, {<<: 1}]\n",
        ),
        case(
            "merge_self_in_sequence_after_scalar",
            "a: &x {<<: [1, *x]}\n",
        ),
        case("merge_self", "a: &x {<<: *x}\n"),
        case("merge_self_block", "a: &x\n  b: 1\n  <<: *x\n"),
        case("merge_self_before_scalar", "a: &x {<<: [*x, 1]}\n"),
        case("merge_nested_self", "a: &x {<<: [[*x], {}]}\n"),
        case(
            "value_error_before_merge_of_self",
            "c: !!int z\na: &x\n  <<: [1, *x]\n",
        ),
        case(
            "value_error_in_map_before_merge",
            "a: &x\n  b: !!int z\n  <<: [1, *x]\n",
        ),
        case("self_alias_in_key", "a: &x [{*x: 1}]\n"),
        case("binary_key", "!!binary aGk=: a\n"),
        case("binary_key_invalid", "!!binary '!!': a\n"),
        case("binary_not_utf8", "a: !!binary 8J+Y\n"),
        case("binary_not_utf8_mixed", "a: !!binary /2H/Yg==\n"),
        case("collection_key_inner_error", "? [!!int z]\n: 1\n"),
        // go-yaml's byte order mark test reads the start of its buffer, not the cursor.
        case("bom_inside_is_a_character", "a: 1\n\u{feff}b: 2\n"),
        case("bom_inside_sequence", "- a\n\u{feff}- b\n"),
        case("two_boms_skip_line_starts", "\u{feff}\u{feff}\nab: 1\n"),
        case("two_boms_then_keys", "\u{feff}\u{feff}a: 1\nbc: 2\n"),
        case("bom_in_scalar", "a: x\u{feff}y\n"),
    ];
    let flow = |n: usize| format!("a: {}{}", "[".repeat(n), "]".repeat(n));
    let block = |n: usize| format!("a:\n{}x\n", "- ".repeat(n));
    out.push(case("json_depth_flow_at_limit", &flow(9999)));
    out.push(case("json_depth_flow_over", &flow(10000)));
    out.push(case("json_depth_block_over", &block(10000)));
    out.push(case(
        "json_depth_map_over",
        &format!("a: {}1{}", "{b: ".repeat(10000), "}".repeat(10000)),
    ));
    let anchors: String = (0..3000).map(|i| format!("&a{i} [")).collect();
    out.push(case(
        "nested_anchors",
        &format!("a: {anchors}{}\nb: *a2990\n", "]".repeat(3000)),
    ));
    out
}
