//! Cases for Sprig's math, float math, list, dict and reflection functions.

use crate::harness::{Case, case};

const V: &str = r#"{"n": 3, "f": 1.5, "big": 1234567, "l": ["b", "a", "c"], "nums": [3, 1, 2],
  "m": {"a": 1, "b": "two", "c": {"d": 4}}, "e": [], "s": "str"}"#;

pub const CASES: &[Case] = &[
    case(
        "add_family",
        "{{ add 1 2 3 }}|{{ add }}|{{ add1 5 }}|{{ add .Values.n .Values.f }}|{{ add \"4\" 1 }}|{{ typeOf (add 1 2) }}|{{ add1 .Values.big }}",
        V,
    ),
    case(
        "sub_mul_div_mod",
        "{{ sub 10 3 }}|{{ sub 1 5 }}|{{ mul 2 3 4 }}|{{ mul 5 }}|{{ div 10 3 }}|{{ div -7 2 }}|{{ mod 10 3 }}|{{ mod -7 3 }}|{{ div .Values.big 1000 }}",
        V,
    ),
    case("div_by_zero", "{{ div 1 0 }}", V),
    case("mod_by_zero", "{{ mod 1 0 }}", V),
    case(
        "max_min",
        "{{ max 1 5 3 }}|{{ min 4 2 8 }}|{{ max 7 }}|{{ biggest 1 9 }}|{{ min .Values.f 2 }}|{{ typeOf (max 1 2) }}",
        V,
    ),
    case(
        "float_minmax",
        "{{ maxf 1 5.5 3 }}|{{ minf 4.2 2 8 }}|{{ maxf 1 }}|{{ typeOf (maxf 1) }}|{{ minf \"1.5\" 2 }}",
        V,
    ),
    case(
        "floor_ceil_round",
        "{{ floor 1.7 }}|{{ floor -1.2 }}|{{ ceil 1.2 }}|{{ ceil \"2.1\" }}|{{ round 1.2345 2 }}|{{ round 1.5 0 }}|{{ round 1.2555 3 }}|{{ round 2.4 0 0.4 }}|{{ round 123.456 -1 }}",
        V,
    ),
    case(
        "addf_family",
        "{{ addf 0.1 0.2 }}|{{ addf 1 2 3.5 }}|{{ add1f 1.1 }}|{{ subf 1 0.9 }}|{{ mulf 1.1 3 }}|{{ mulf 2 }}|{{ typeOf (addf 1 1) }}",
        V,
    ),
    case(
        "divf",
        "{{ divf 10 4 }}|{{ divf 1 3 }}|{{ divf 2 3 }}|{{ divf 10 2 5 }}",
        V,
    ),
    case(
        "divf_signs",
        "{{ divf -2 3 }}|{{ divf 2 -3 }}|{{ divf 0.1 0.3 }}|{{ divf 1 0.0003 }}|{{ divf 1e-10 3 }}",
        V,
    ),
    case(
        "big_floats",
        "{{ addf .Values.big 1 }}|{{ mulf .Values.big 10 }}|{{ add1f .Values.big }}",
        V,
    ),
    case(
        "seq",
        "{{ seq 5 }}|{{ seq -3 }}|{{ seq 2 5 }}|{{ seq 5 2 }}|{{ seq 0 2 10 }}|{{ seq 10 -3 1 }}|{{ seq 1 -1 5 }}|{{ seq 5 1 1 }}|{{ seq 0 }}|{{ seq }}|{{ seq 1 2 3 4 }}",
        V,
    ),
    case(
        "until",
        "{{ until 5 }}|{{ until -3 }}|{{ until 0 }}|{{ untilStep 0 10 3 }}|{{ untilStep 10 0 -4 }}|{{ untilStep 0 10 0 }}|{{ untilStep 0 10 -1 }}|{{ typeOf (until 2) }}",
        V,
    ),
    case(
        "range_until",
        "{{ range $i := until 3 }}[{{ $i }}]{{ end }}",
        V,
    ),
    case(
        "list_basics",
        "{{ list 1 \"a\" nil 2.5 }}|{{ list }}|{{ tuple 1 2 }}|{{ typeOf (list) }}|{{ len (list 1 2) }}",
        V,
    ),
    case(
        "first_last",
        "{{ first .Values.l }}|{{ last .Values.l }}|{{ first .Values.e }}|{{ last (list) }}|{{ first (list 1 2) | typeOf }}",
        V,
    ),
    case("first_error", "{{ first \"abc\" }}", V),
    case("must_first_error", "{{ mustFirst 5 }}", V),
    case(
        "rest_initial",
        "{{ rest .Values.l }}|{{ initial .Values.l }}|{{ rest .Values.e }}|{{ initial (list) }}|{{ rest (list 1) }}",
        V,
    ),
    case(
        "append_prepend",
        "{{ append .Values.l \"d\" }}|{{ push .Values.e 1 }}|{{ prepend .Values.l \"z\" }}|{{ .Values.l }}|{{ mustAppend (list 1) 2 }}|{{ typeOf (append (splitList \",\" \"a\") \"b\") }}",
        V,
    ),
    case("append_error", "{{ append \"x\" 1 }}", V),
    case(
        "concat",
        "{{ concat .Values.l .Values.nums (list 9) }}|{{ concat }}|{{ concat .Values.e }}",
        V,
    ),
    case("concat_error", "{{ concat (list 1) 2 }}", V),
    case(
        "reverse_uniq",
        "{{ reverse .Values.l }}|{{ reverse (list) }}|{{ uniq (list 1 2 1 \"1\" 2 (list 1) (list 1)) }}|{{ uniq (list 1.0 1) }}",
        V,
    ),
    case(
        "without_has",
        "{{ without .Values.l \"a\" \"c\" }}|{{ without (list 1 2 3 1) 1 }}|{{ has \"a\" .Values.l }}|{{ has \"z\" .Values.l }}|{{ has 1 (list 1) }}|{{ has 1 .Values.nums }}|{{ has 3.0 .Values.nums }}|{{ has 1 nil }}",
        V,
    ),
    case("has_error", "{{ has 1 \"abc\" }}", V),
    case(
        "compact",
        "{{ compact (list 1 0 \"\" nil \"a\" false (list) true) }}|{{ compact .Values.e }}",
        V,
    ),
    case(
        "slice",
        "{{ slice .Values.l 1 }}|{{ slice .Values.l 1 2 }}|{{ slice .Values.l }}|{{ slice .Values.e }}|{{ typeOf (slice (splitList \",\" \"a,b\") 1) }}|{{ slice .Values.l 0 0 }}",
        V,
    ),
    case("slice_error", "{{ slice \"abc\" 1 }}", V),
    case(
        "chunk",
        "{{ chunk 2 (list 1 2 3 4 5) }}|{{ chunk 3 .Values.l }}|{{ chunk 5 (list) }}",
        V,
    ),
    case(
        "dict_basics",
        "{{ dict \"a\" 1 \"b\" \"x\" }}|{{ dict }}|{{ dict \"odd\" }}|{{ dict 1 2 }}|{{ typeOf (dict) }}",
        V,
    ),
    case(
        "get_set_unset",
        "{{ get .Values.m \"b\" }}|[{{ get .Values.m \"zz\" }}]|{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ $d }}|{{ $_ := unset $d \"a\" }}{{ $d }}|{{ set (dict) \"k\" \"v\" }}",
        V,
    ),
    case(
        "set_values_mutation",
        "{{ $_ := set .Values \"added\" 1 }}{{ .Values.added }}|{{ $_ := set .Values.m \"z\" true }}{{ .Values.m }}",
        V,
    ),
    case(
        "has_key",
        "{{ hasKey .Values.m \"a\" }} {{ hasKey .Values.m \"zz\" }} {{ hasKey (dict) \"a\" }}",
        V,
    ),
    case(
        "pluck",
        "{{ pluck \"a\" .Values.m (dict \"a\" 9) (dict \"b\" 1) }}|{{ pluck \"x\" }}",
        V,
    ),
    case(
        "keys_values",
        "{{ keys .Values.m | sortAlpha }}|{{ keys (dict \"k\" 1) (dict \"j\" 2) | sortAlpha }}|{{ values (dict \"only\" 1) }}|{{ keys }}",
        V,
    ),
    case(
        "pick_omit",
        "{{ pick .Values.m \"a\" \"c\" \"zz\" }}|{{ omit .Values.m \"a\" }}|{{ pick .Values.m }}",
        V,
    ),
    case(
        "dig",
        "{{ dig \"c\" \"d\" \"def\" .Values.m }}|{{ dig \"c\" \"zz\" \"def\" .Values.m }}|{{ dig \"a\" 0 .Values.m }}|{{ dig \"q\" \"r\" \"dd\" (dict) }}",
        V,
    ),
    case("dig_error", "{{ dig \"a\" .Values.m }}", V),
    case(
        "merge",
        "{{ $d := dict \"a\" 1 \"n\" (dict \"x\" 1) \"e\" \"\" }}{{ $r := merge $d (dict \"a\" 2 \"b\" 3 \"n\" (dict \"x\" 2 \"y\" 2) \"e\" \"filled\") }}{{ $d }}|{{ $r }}",
        V,
    ),
    case(
        "merge_many",
        "{{ merge (dict) (dict \"a\" 1) (dict \"a\" 2 \"b\" 2) }}|{{ merge (dict \"l\" (list 1)) (dict \"l\" (list 2 3)) }}|{{ merge (dict \"z\" 0) (dict \"z\" 5) }}",
        V,
    ),
    case(
        "merge_overwrite",
        "{{ $d := dict \"a\" 1 \"n\" (dict \"x\" 1 \"k\" \"keep\") \"t\" true \"l\" (list 1) }}{{ $_ := mergeOverwrite $d (dict \"a\" 2 \"n\" (dict \"x\" 2) \"t\" false \"l\" (list 2 3)) }}{{ $d }}",
        V,
    ),
    case(
        "merge_overwrite_empty",
        "{{ mergeOverwrite (dict \"a\" 1 \"s\" \"x\" \"l\" (list 1)) (dict \"a\" 0 \"s\" \"\" \"l\" (list)) }}|{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" nil) }}",
        V,
    ),
    case(
        "deep_copy",
        "{{ $c := deepCopy .Values.m }}{{ $_ := set $c \"a\" 99 }}{{ $_ := set $c.c \"d\" 0 }}{{ .Values.m }}|{{ $c }}|{{ deepCopy 5 }}|{{ deepCopy (list 1 (list 2)) }}",
        V,
    ),
    case(
        "kind_of",
        "{{ kindOf 1 }} {{ kindOf .Values.n }} {{ kindOf \"s\" }} {{ kindOf .Values.l }} {{ kindOf .Values.m }} {{ kindOf true }} {{ kindOf (int64 1) }} {{ kindOf nil }} {{ kindOf .Values }}",
        V,
    ),
    case(
        "kind_is",
        "{{ kindIs \"int\" 1 }} {{ kindIs \"string\" 1 }} {{ kindIs \"slice\" .Values.l }} {{ kindIs \"map\" .Values.m }} {{ kindIs \"float64\" .Values.f }}",
        V,
    ),
    case(
        "type_of",
        "{{ typeOf 1 }}|{{ typeOf .Values.n }}|{{ typeOf .Values.l }}|{{ typeOf .Values.m }}|{{ typeOf nil }}|{{ typeOf .Values }}|{{ typeOf (list) }}",
        V,
    ),
    case(
        "type_is",
        "{{ typeIs \"int\" 1 }} {{ typeIs \"float64\" .Values.n }} {{ typeIs \"string\" 1 }} {{ typeIsLike \"int\" 1 }} {{ typeIsLike \"[]interface {}\" .Values.l }}",
        V,
    ),
    case(
        "deep_equal",
        "{{ deepEqual 1 1 }} {{ deepEqual 1 .Values.n }} {{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual (dict \"a\" 1) (dict \"a\" 1) }} {{ deepEqual (dict \"a\" 1) (dict \"a\" 2) }} {{ deepEqual .Values.l (list \"b\" \"a\" \"c\") }} {{ deepEqual nil nil }} {{ deepEqual 1 (int64 1) }}",
        V,
    ),
    case(
        "numbers_print",
        "{{ add 1234567 0 }}|{{ float64 1234567 }}|{{ int .Values.big }}|{{ .Values.big }}|{{ mulf 1 1234567 }}",
        V,
    ),
    case(
        "semver_object",
        "{{ semver \"1.2.3\" }}|{{ (semver \"v1.2\").Major }}|{{ (semver \"1.2.3-beta.1+b5\").Prerelease }}|{{ (semver \"1.2.3+b5\").Metadata }}|{{ (semver \"v2\").Original }}|{{ semver \"v1.2-rc.1\" }}|{{ typeOf (semver \"1.0.0\") }}|{{ (semver \"3.4.5\").Minor }}{{ (semver \"3.4.5\").Patch }}",
        V,
    ),
    case("semver_invalid", "{{ semver \"1.2.x\" }}", V),
    case(
        "semver_compare_basic",
        "{{ semverCompare \">=1.19-0\" \"v1.30.0\" }} {{ semverCompare \">=1.19-0\" \"1.18.5\" }} {{ semverCompare \"<1.20\" \"1.19.9\" }} {{ semverCompare \"=1.2.3\" \"1.2.3\" }} {{ semverCompare \"1.2.3\" \"1.2.4\" }} {{ semverCompare \"!=1.2.3\" \"1.2.4\" }} {{ semverCompare \">1.2\" \"1.2.5\" }} {{ semverCompare \">1.2.0\" \"1.2.5\" }}",
        V,
    ),
    case(
        "semver_compare_ranges",
        "{{ semverCompare \"~1.2.3\" \"1.2.9\" }} {{ semverCompare \"~1.2.3\" \"1.3.0\" }} {{ semverCompare \"^1.2.3\" \"1.9.0\" }} {{ semverCompare \"^1.2.3\" \"2.0.0\" }} {{ semverCompare \"^0.2.3\" \"0.2.9\" }} {{ semverCompare \"^0.2.3\" \"0.3.0\" }} {{ semverCompare \"1.2.x\" \"1.2.7\" }} {{ semverCompare \"*\" \"4.0.0\" }} {{ semverCompare \"1.1 - 1.3\" \"1.2.0\" }} {{ semverCompare \"1.1 - 1.3\" \"1.4.0\" }} {{ semverCompare \">=1.0, <2.0\" \"1.5.0\" }} {{ semverCompare \">=1.0 <2.0\" \"2.5.0\" }} {{ semverCompare \"<1.0 || >=3.0\" \"3.1.0\" }}",
        V,
    ),
    case(
        "semver_compare_prerelease",
        "{{ semverCompare \">=1.2.0\" \"1.3.0-beta\" }} {{ semverCompare \">=1.2.0-0\" \"1.3.0-beta\" }} {{ semverCompare \"<=1.3\" \"1.3.9\" }} {{ semverCompare \"<=1.3.0\" \"1.3.9\" }} {{ semverCompare \">1.2.3-alpha.1\" \"1.2.3-alpha.10\" }} {{ semverCompare \">1.2.3-alpha\" \"1.2.3-1\" }}",
        V,
    ),
    case(
        "semver_compare_bad_constraint",
        "{{ semverCompare \"foo\" \"1.0.0\" }}",
        V,
    ),
    case(
        "semver_compare_bad_version",
        "{{ semverCompare \">1\" \"abc\" }}",
        V,
    ),
    case(
        "date_format",
        "{{ date \"2006-01-02 15:04:05\" 0 }}|{{ date \"Jan 2, 2006 at 3:04pm (MST)\" 1700000000 }}|{{ dateInZone \"Monday January _2 06 03PM -07:00 Z07:00 .000 .999 002\" (int64 1700000123) \"UTC\" }}|{{ htmlDate 86400 }}|{{ htmlDateInZone 1 \"UTC\" }}|{{ date_in_zone \"15h\" 3600 \"UTC\" }}",
        V,
    ),
    case(
        "duration",
        "{{ duration \"95\" }}|{{ duration (int64 3600) }}|{{ duration \"0\" }}|{{ duration 61 }}|{{ duration \"-5\" }}|{{ duration \"86461\" }}|{{ duration \"x\" }}",
        V,
    ),
    case(
        "now_kinds",
        "{{ typeOf now }}|{{ kindOf now }}|{{ gt (now | unixEpoch | atoi) 1700000000 }}",
        V,
    ),
    case(
        "to_date",
        "{{ toDate \"2006-01-02\" \"2024-03-15\" }}|{{ toDate \"2006-01-02 15:04:05\" \"2024-03-15 13:45:10\" | date \"Jan 2 3:04PM\" }}|{{ toDate \"02/01/2006 15:04:05.000 -07:00\" \"15/03/2024 01:02:03.250 +02:00\" }}|{{ (toDate \"2006-01-02\" \"2024-03-15\") | unixEpoch }}|{{ toDate \"2006-01-02\" \"bad\" }}|{{ toDate \"Jan _2 2006\" \"Feb  3 2021\" }}",
        V,
    ),
    case(
        "must_to_date_error",
        "{{ mustToDate \"2006-01-02\" \"2024-3-15\" }}",
        V,
    ),
    case(
        "date_modify",
        "{{ toDate \"2006-01-02\" \"2024-03-15\" | dateModify \"1h30m\" }}|{{ toDate \"2006-01-02\" \"2024-03-15\" | dateModify \"-24h\" | date \"2006-01-02\" }}|{{ toDate \"2006-01-02\" \"2024-03-15\" | date_modify \"1.5s\" }}|{{ toDate \"2006-01-02\" \"2024-03-15\" | dateModify \"bogus\" }}",
        V,
    ),
    case(
        "must_date_modify_error",
        "{{ toDate \"2006-01-02\" \"2024-03-15\" | mustDateModify \"5x\" }}",
        V,
    ),
    case(
        "must_date_modify_snake",
        "{{ toDate \"2006-01-02\" \"2024-03-15\" | must_date_modify \"90m\" }}|{{ toDate \"2006-01-02\" \"2024-03-15\" | must_date_modify \"x\" }}",
        V,
    ),
    case(
        "duration_round",
        "{{ durationRound \"2h10m5s\" }}|{{ durationRound \"400h\" }}|{{ durationRound \"9000h\" }}|{{ durationRound \"-90s\" }}|{{ durationRound \"1s\" }}|{{ durationRound (int64 3000000000) }}|{{ durationRound 5 }}|{{ durationRound \"junk\" }}|{{ durationRound (toDate \"2006-01-02\" \"2000-01-01\") | hasSuffix \"y\" }}",
        V,
    ),
    case(
        "ago_hello",
        "{{ hello }}|{{ ago (toDate \"2006-01-02\" \"2000-01-01\") | hasSuffix \"s\" }}|{{ ago now }}|{{ len (randBytes 0) }}",
        V,
    ),
];
