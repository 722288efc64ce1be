//! Cases for Go's builtin functions: and, or, not, len, index, print, printf, println, html,
//! js, urlquery, eq, ne, lt, le, gt, ge. (`slice` is not here: in Helm, Sprig's `slice`
//! shadows Go's builtin; the builtin is covered by unit tests.)

use crate::harness::{Case, case};

const V: &str = r#"{"s": "x", "n": 3, "f": 1.5, "b": true, "e": [], "l": ["a", "b", "c"],
  "m": {"a": 1, "b": "two"}, "nested": {"x": {"y": "deep"}}, "ints": [1, 2]}"#;

pub const CASES: &[Case] = &[
    case(
        "and_or",
        "{{ and 1 0 \"x\" }}|{{ and 1 2 }}|{{ or 0 \"\" \"x\" }}|{{ or 0 \"\" }}|{{ or .Values.nope \"d\" }}",
        V,
    ),
    case(
        "and_or_short_circuit",
        "{{ or true (index .Values.l 99) }}|{{ and false (index .Values.l 99) }}",
        V,
    ),
    case(
        "and_or_pipeline",
        "{{ 0 | and 1 }}|{{ \"\" | or 0 }}|{{ 5 | or 0 }}",
        V,
    ),
    case(
        "not",
        "{{ not 0 }} {{ not 1 }} {{ not .Values.nope }} {{ not .Values.e }} {{ not .Values.s }}",
        V,
    ),
    case(
        "len",
        "{{ len .Values.s }} {{ len .Values.l }} {{ len .Values.m }} {{ len \"héllo\" }} {{ len .Values.e }}",
        V,
    ),
    case(
        "index",
        "{{ index .Values.l 1 }} {{ index .Values.m \"a\" }} {{ index .Values.nested \"x\" \"y\" }} [{{ index .Values.m \"nope\" }}] {{ index \"abc\" 1 }} {{ index .Values.l }}",
        V,
    ),
    case(
        "index_nested_list",
        "{{ index .Values.grid 1 0 }} {{ index (index .Values.grid 0) 1 }}",
        r#"{"grid": [[1, 2], [3, 4]]}"#,
    ),
    case(
        "missing_values_in_functions",
        "{{ printf \"%v|%s\" .Values.nope .Values.nope }}|{{ .Values.nope | printf \"%v\" }}|{{ len (print .Values.nope) }}",
        V,
    ),
    case(
        "print",
        "{{ print 1 2 \"a\" 3 \"b\" \"c\" 4.5 nil }}|{{ print }}|{{ print .Values.nope }}|{{ .Values.nope | print }}",
        V,
    ),
    case("println", "{{ println 1 \"a\" nil .Values.f }}", V),
    case(
        "printf_int_verbs",
        "{{ printf \"%d|%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%#o|%O|%b|%c|%q|%U|%#U|% d\" 65 65 65 65 65 255 255 255 8 8 8 5 65 65 65 65 7 }}",
        V,
    ),
    case(
        "printf_float_verbs",
        "{{ printf \"%f|%.2f|%8.3f|%-8.1f|%e|%E|%g|%G|%.3g|%v|%08.2f|%+.1f|%.0f|%.0f\" 3.5 2.345 1.5 1.5 123456.789 0.000123 1e21 1e-7 12345.678 0.1 -3.14159 2.0 2.5 3.5 }}",
        V,
    ),
    case(
        "printf_string_verbs",
        "{{ printf \"%s|%q|%v|%10s|%-10s|%.2s|%x|% X|%#q|%+q|%5.1s|\" \"a\" \"b\\\"c\" \"d\" \"e\" \"f\" \"ghi\" \"hi\" \"hi\" \"bq\" \"é\" \"xyz\" }}",
        V,
    ),
    case(
        "printf_bad_verbs",
        "{{ printf \"%d %s %t %x|%5d|%z\" .Values.f 3 \"x\" true \"ab\" 1 }}",
        V,
    ),
    case(
        "printf_missing_extra_index",
        "{{ printf \"%d %d\" 1 }}|{{ printf \"%d\" 1 2 \"x\" nil }}|{{ printf \"%[2]d %[1]d\" 1 2 }}|{{ printf \"100%%\" }}|{{ printf \"%[3]d\" 1 }}|{{ printf \"%\" }}|{{ printf \"%!\" }}",
        V,
    ),
    case(
        "printf_composites",
        "{{ printf \"%v|%+v|%d|%s|%v|%x\" .Values.m .Values.m .Values.ints .Values.l .Values.nested .Values.l }}",
        V,
    ),
    case(
        "printf_nil",
        "{{ printf \"%v|%d|%s|%T\" nil nil .Values.nope nil }}",
        V,
    ),
    case(
        "printf_star",
        "{{ printf \"%*d|%-*d|%.*f|%*s\" 5 42 4 7 2 3.14159 -4 \"ab\" }}",
        V,
    ),
    case(
        "printf_sharp_v",
        "{{ printf \"%#v|%#v|%#v|%#v|%#v\" \"s\" 1 .Values.l .Values.m true }}",
        V,
    ),
    case(
        "printf_float_values",
        "{{ printf \"%v %v %v %v %g\" .Values.n .Values.f 1e6 100000.0 1234567.0 }}",
        V,
    ),
    case(
        "float_formatting_sweep",
        "{{ range .Values.f }}{{ . }}|{{ printf \"%g|%e|%.3f|%.2e|%G|%8.3g|%v|%.0f|%.1g|%+.4g\" . . . . . . . . . . }};{{ end }}",
        r#"{"f": [0.1, 0.2, 0.3, 0.3333333333333333, 0.6666666666666666, 1e-05, 1.5e-05, 123456.7, 1234567.8, 1e15, 1e16, 1e20, 1e21,
          1.7976931348623157e308, 5e-324, 0.000123456, 100, 1000000, 12345678, 0.5, 2.5, 1.005, 9.995, 99999.5, 999999.5,
          -1.5, -123456789.123, 4.940656458412465e-300, 2.2250738585072014e-308, 0.1234567890123456789, 7, 70, 700000]}"#,
    ),
    case(
        "html",
        "{{ html \"<a href='x'>&\\\"</a>\" }} {{ html .Values.nope }} {{ html 1 2 }} {{ html \"a\" \"b\" }}",
        V,
    ),
    case(
        "js",
        "{{ js \"it's <b> & \\\"q\\\" = \\\\ \\n\" }} {{ js 1 }}",
        V,
    ),
    case(
        "urlquery",
        "{{ urlquery \"a b&c=d/é?\" }} {{ urlquery 1 \"x\" }} {{ urlquery .Values.nope }}",
        V,
    ),
    case(
        "eq",
        "{{ eq 1 2 3 1 }} {{ eq \"a\" \"b\" }} {{ eq .Values.s \"x\" }} {{ eq .Values.n 3.0 }} {{ eq .Values.nope nil }} {{ eq true .Values.b }} {{ eq (len .Values.l) 3 }}",
        V,
    ),
    case(
        "ne",
        "{{ ne 1 2 }} {{ ne \"a\" \"a\" }} {{ ne .Values.s \"y\" }}",
        V,
    ),
    case(
        "ordering",
        "{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 .Values.f }} {{ lt .Values.n 4.0 }} {{ gt 2 1 }} {{ ge \"a\" \"b\" }} {{ le 3.0 2.0 }}",
        V,
    ),
    case(
        "compare_nil",
        "{{ eq .Values.nope .Values.nope }} {{ eq nil .Values.s }}",
        V,
    ),
];
