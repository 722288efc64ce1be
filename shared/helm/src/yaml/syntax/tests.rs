//! Unit tests of the go-yaml v2 syntax check: messages and lines as helm v4 prints them.

use super::check;

#[test]
fn valid_yaml_passes() {
    for src in [
        "",
        "a: 1\n",
        "# only a comment\n",
        "a:\n  - b\n  - c: d\n    e: [1, {f: g}]\n",
        "k: |\n  text\n   more\n\nnext: >-\n  folded\n",
        "a: &x 1\nb: *x\n",
        "%YAML 1.1\n---\na: !!str 1\n",
        "'quoted': \"esc \\t \\u00e9\"\n",
        "a: 1\n---\nb: [\n",
        "\u{feff}a: 1\n",
        "? complex\n: value\n",
        "- a\n- - b\n  - c\n",
    ] {
        assert!(check(src).is_ok(), "{src:?}");
    }
}

#[test]
fn errors_read_as_go_yaml_prints_them() {
    let cases = [
        ("key: [unclosed", "line 1: did not find expected ',' or ']'"),
        (
            "a: b: c\n",
            "mapping values are not allowed in this context",
        ),
        (
            "a: 1\n\tb: 2\n",
            "line 2: found a tab character that violates indentation",
        ),
        ("a:\n  b: 1\n c: 2\n", "line 2: did not find expected key"),
        ("a: 'x\n", "line 2: found unexpected end of stream"),
        ("a: \"\\q\"\n", "found unknown escape character"),
        ("- a\nb: 1\n", "line 1: did not find expected '-' indicator"),
        ("a: {b: 1\n", "line 1: did not find expected ',' or '}'"),
        (
            "x\ny: 1\n",
            "line 2: mapping values are not allowed in this context",
        ),
        ("a: *nope\n", "unknown anchor 'nope' referenced"),
        ("a: !foo!bar 1\n", "found undefined tag handle"),
        ("a: 1\u{7}\n", "control characters are not allowed"),
        ("%FOO\n---\na\n", "found unknown directive name"),
        ("a: |0\n  x\n", "found an indentation indicator equal to 0"),
        (
            "a:\n  b: 1\n  c\n  d: 2\n",
            "line 4: could not find expected ':'",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(check(src), Err(want.to_string()), "{src:?}");
    }
}

#[test]
fn reading_stops_after_the_first_document() {
    // go-yaml stops once the first document ends: what follows is never scanned.
    assert_eq!(check("[1, 2]]\n"), Ok(()));
    assert_eq!(check("a: 1\n---\nb: ["), Ok(()));
    assert_eq!(check("a: 1\n... \n%bad\n"), Ok(()));
}
