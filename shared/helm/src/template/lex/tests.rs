//! Table tests of the lexer: token streams, line numbers, and Go's lexer errors.

use super::*;
use std::borrow::Cow;

fn lex_all(input: &str) -> Vec<String> {
    let mut lexer = Lexer::new(input, "", "", (true, true));
    let mut out = Vec::new();
    loop {
        let item = lexer.next_item();
        let done = matches!(item.kind, ItemKind::Eof | ItemKind::Error);
        out.push(format!("{:?}:{}:{}", item.kind, item.val, item.line));
        if done {
            return out;
        }
    }
}

#[test]
fn lexes_like_go() {
    let cases: &[(&str, &[&str])] = &[
        ("hi", &["Text:hi:1", "Eof::1"]),
        (
            "a {{- .x -}} \n b",
            &[
                "Text:a:1",
                "LeftDelim:{{:1",
                "Field:.x:1",
                "RightDelim:}}:1",
                "Text:b:2",
                "Eof::2",
            ],
        ),
        ("{{/* c */}}x", &["Text:x:1", "Eof::1"]),
        (
            "{{ $x := 3 }}",
            &[
                "LeftDelim:{{:1",
                "Space: :1",
                "Variable:$x:1",
                "Space: :1",
                "Declare::=:1",
                "Space: :1",
                "Number:3:1",
                "Space: :1",
                "RightDelim:}}:1",
                "Eof::1",
            ],
        ),
        (
            "{{.a.b}}",
            &[
                "LeftDelim:{{:1",
                "Field:.a:1",
                "Field:.b:1",
                "RightDelim:}}:1",
                "Eof::1",
            ],
        ),
        (
            "{{-3}}",
            &["LeftDelim:{{:1", "Number:-3:1", "RightDelim:}}:1", "Eof::1"],
        ),
        (
            "{{ if\n.x }}",
            &[
                "LeftDelim:{{:1",
                "Space: :1",
                "If:if:1",
                "Space:\n:1",
                "Field:.x:2",
                "Space: :2",
                "RightDelim:}}:2",
                "Eof::2",
            ],
        ),
        (
            "{{ \"a\" `b` 'c' }}",
            &[
                "LeftDelim:{{:1",
                "Space: :1",
                "String:\"a\":1",
                "Space: :1",
                "RawString:`b`:1",
                "Space: :1",
                "CharConstant:'c':1",
                "Space: :1",
                "RightDelim:}}:1",
                "Eof::1",
            ],
        ),
        (
            "{{ break }}",
            &[
                "LeftDelim:{{:1",
                "Space: :1",
                "Break:break:1",
                "Space: :1",
                "RightDelim:}}:1",
                "Eof::1",
            ],
        ),
    ];
    for (input, want) in cases {
        assert_eq!(lex_all(input), *want, "lexing {input:?}");
    }
}

#[test]
fn lexer_errors_match_go() {
    let cases = [
        ("{{ .x", "unclosed action"),
        ("{{ (.x }}", "unclosed left paren"),
        ("{{ \"a }}", "unterminated quoted string"),
        ("{{ 3k }}", "bad number syntax: \"3k\""),
        ("{{ .x# }}", "bad character U+0023 '#'"),
        ("{{ ) }}", "unexpected right paren U+0029 ')'"),
        ("{{/* x */ y}}", "comment ends before closing delimiter"),
        ("{{/* x", "unclosed comment"),
        ("{{ € }}", "unrecognized character in action: U+20AC '€'"),
    ];
    for (input, want) in cases {
        let items = lex_all(input);
        let last = items.last().cloned().unwrap_or_default();
        assert_eq!(
            last,
            format!("Error:{want}:1"),
            "lexing {input:?}: {items:?}"
        );
    }
}

#[test]
fn item_display_matches_go() {
    let item = |kind, val: &'static str| Item {
        kind,
        pos: 0,
        val: Cow::Borrowed(val),
        line: 1,
    };
    assert_eq!(item(ItemKind::Eof, "").to_string(), "EOF");
    assert_eq!(item(ItemKind::End, "end").to_string(), "<end>");
    assert_eq!(item(ItemKind::Field, ".x").to_string(), "\".x\"");
    assert_eq!(
        item(ItemKind::Text, "0123456789abc").to_string(),
        "\"0123456789\"..."
    );
}
