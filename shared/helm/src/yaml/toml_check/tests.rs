//! Unit tests of the BurntSushi/toml check: texts and lines as helm v4 prints them.

use super::check;

#[test]
fn errors_read_as_burntsushi_toml_prints_them() {
    let cases = [
        (
            "a = ",
            r#"toml: line 1 (last key "a"): unexpected EOF; expected value"#,
        ),
        (
            "a = 1\na = 2",
            r#"toml: line 2 (last key "a"): Key 'a' has already been defined."#,
        ),
        (
            "a = 1\nb",
            "toml: line 2: unexpected EOF; expected key separator '='",
        ),
        (
            "[a]\nx=1\n[a]\ny=2",
            "toml: line 3: Key 'a' has already been defined.",
        ),
        (
            "a = 1 b = 2",
            "toml: line 1: expected a top-level item to end with a newline, comment, or EOF, but got 'b' instead",
        ),
        (
            "= 1",
            "toml: line 1: unexpected '=': key name appears blank",
        ),
        (
            "a = 01",
            r#"toml: line 1 (last key "a"): Invalid integer "01": cannot have leading zeroes"#,
        ),
        (
            "a = 9223372036854775808",
            r#"toml: line 1 (last key "a"): 9223372036854775808 is out of range for int64"#,
        ),
        (
            "a = 1979-13-27",
            r#"toml: line 1 (last key "a"): invalid datetime: "1979-13-27""#,
        ),
    ];
    for (src, want) in cases {
        assert_eq!(check(src), Err(want.to_string()), "{src:?}");
    }
    for ok in [
        "",
        "a = 1\n[b]\nc = [1, 2]\n[[d]]\n[[d]]\ne = {f = 1, g.h = 2}\n",
        "x = 1979-05-27T07:32:00Z",
    ] {
        assert_eq!(check(ok), Ok(()), "{ok:?}");
    }
}

#[test]
fn redefinitions_decode_as_burntsushi_toml_keeps_them() {
    // (input, toJson of the decoded map): what BurntSushi's setValue keeps when a key is
    // defined again after it was made implicitly.
    let cases = [
        // The implicit table stays; the later value is dropped.
        ("a.b = 1\na = 2", r#"{"a":{"b":1}}"#),
        ("a.b.c = 1\na.b = 2", r#"{"a":{"b":{"c":1}}}"#),
        // A table header reopens a table made by dotted keys.
        ("a.b = 1\n[a]\nc = 2", r#"{"a":{"b":1,"c":2}}"#),
        ("a = {b = 1}\na.c = 2", r#"{"a":{"b":1,"c":2}}"#),
        // An array is replaced by the table a dotted key makes.
        ("a = [1]\na.b = 1", r#"{"a":{"b":1}}"#),
        ("a = [{b = 1}]\na.c = 2", r#"{"a":{"c":2}}"#),
        (
            "[[a]]\nb.c = 1\n[a.b]\nd=2",
            r#"{"a":[{"b":{"c":1,"d":2}}]}"#,
        ),
        ("\"a.b\" = 1\na.b = 2", r#"{"a":{"b":2},"a.b":1}"#),
    ];
    for (src, want) in cases {
        let d = super::decode(src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
        let got = crate::yaml::to_json(&crate::template::Value::Dict(d)).expect("json");
        assert_eq!(got, want, "{src:?}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep =
        |open: &str, close: &str, n: usize| format!("a = {}1{}", open.repeat(n), close.repeat(n));
    assert_eq!(check(&deep("[", "]", 999)), Ok(()));
    assert_eq!(
        check(&deep("[", "]", 100_000)),
        Err(r#"toml: line 1 (last key "a"): exceeds maximum array depth of 1000"#.to_string())
    );
    assert_eq!(check(&deep("{a = ", "}", 998)), Ok(()));
    assert_eq!(
        check(&deep("{a = ", "}", 100_000)),
        Err("toml: line 1: exceeds maximum table depth of 1000".to_string())
    );
    let dotted = format!("a{} = 1", ".a".repeat(100_000));
    assert_eq!(
        check(&dotted),
        Err("toml: line 1: exceeds maximum table depth of 1000".to_string())
    );
}
