//! Table tests of calls: Go's argument conversion, the builtins, limits, and the template set.

use std::collections::BTreeMap;

use super::check;
use crate::template::{Dict, Error, Templates, Value};

#[test]
fn function_calls_follow_go_argument_rules() {
    check(&[
        (
            "{{ upper .s }} {{ .s | upper }} {{ upper \"x\" }}",
            "STR STR X",
        ),
        ("{{ repeat 2 .s }} {{ .s | repeat 2 }}", "strstr strstr"),
        (
            "{{ upper 3 }}",
            "ERR template: t:1:9: executing \"t\" at <3>: expected string; found 3",
        ),
        (
            "{{ upper .n }}",
            "ERR template: t:1:9: executing \"t\" at <.n>: wrong type for value; expected string; got float64",
        ),
        (
            "{{ repeat .n \"x\" }}",
            "ERR template: t:1:10: executing \"t\" at <.n>: wrong type for value; expected int; got float64",
        ),
        (
            "{{ upper nil }}",
            "ERR template: t:1:9: executing \"t\" at <nil>: cannot assign nil to string",
        ),
        (
            "{{ upper .missing }}",
            "ERR template: t:1:9: executing \"t\" at <.missing>: invalid value; expected string",
        ),
        (
            "{{ upper }}",
            "ERR template: t:1:3: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 0",
        ),
        (
            "{{ \"a\" | upper \"b\" }}",
            "ERR template: t:1:9: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 2",
        ),
        (
            "{{ boom }}",
            "ERR template: t:1:3: executing \"t\" at <boom>: error calling boom: boom",
        ),
        (
            "{{ $d := dict }}{{ $_ := set $d \"k\" \"v\" }}{{ $d.k }}",
            "v",
        ),
        (
            "{{ $d := dict \"a\" 1 }}{{ $e := $d }}{{ $_ := set $e \"b\" 2 }}{{ $d }}",
            "map[a:1 b:2]",
        ),
        ("{{ list 1 \"a\" nil 2.5 }}", "[1 a <nil> 2.5]"),
        (
            "{{ (list 1 2).x }}",
            "ERR template: t:1:11: executing \"t\" at <2>: can't evaluate field x in type []interface {}",
        ),
        ("{{ .s | printf \"%s-%s\" \"a\" }}", "a-str"),
    ]);
}

#[test]
fn builtins_through_templates() {
    check(&[
        (
            "{{ and 1 0 \"x\" }} {{ and 1 2 }} {{ or 0 \"\" \"x\" }} {{ or 0 \"\" }}",
            "0 2 x ",
        ),
        ("{{ or 1 boom }} {{ and 0 boom }}", "1 0"),
        (
            "{{ not 0 }} {{ not .s }} {{ not .missing }}",
            "true false true",
        ),
        (
            "{{ len .s }} {{ len .l }} {{ len .m }} {{ len .e }}",
            "3 3 2 0",
        ),
        (
            "{{ index .l 1 }} {{ index .m \"b\" }} {{ index .m \"x\" }} {{ index .nested \"x\" \"y\" }}",
            "b 2 <no value> deep",
        ),
        (
            "{{ slice .l 1 }} {{ slice .s 1 2 }} {{ slice .l }}",
            "[b c] t [a b c]",
        ),
        (
            "{{ eq 1 1 }} {{ eq \"a\" \"b\" \"a\" }} {{ ne 1 2 }} {{ eq .s \"str\" }} {{ eq .n 3.0 }}",
            "true true true true true",
        ),
        (
            "{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 .f }}",
            "true true true true",
        ),
        ("{{ eq .missing nil }} {{ eq .z \"x\" }}", "true false"),
        (
            "{{ print 1 2 \"a\" 3 }}|{{ println 1 \"a\" }}|{{ printf \"%05.1f|%x\" .f 255 }}",
            "1 2a3|1 a\n|001.5|ff",
        ),
        (
            "{{ html \"<a>\" }} {{ js \"it's\" }} {{ urlquery \"a b\" }} {{ html .missing }}",
            "&lt;a&gt; it\\'s a+b &lt;no value&gt;",
        ),
        (
            "{{ eq .n 3 }}",
            "ERR template: t:1:3: executing \"t\" at <eq .n 3>: error calling eq: incompatible types for comparison: float64 and int",
        ),
        (
            "{{ lt true false }}",
            "ERR template: t:1:3: executing \"t\" at <lt true false>: error calling lt: invalid type for comparison",
        ),
        (
            "{{ eq .l .l }}",
            "ERR template: t:1:3: executing \"t\" at <eq .l .l>: error calling eq: non-comparable type [a b c]: []interface {}",
        ),
        (
            "{{ index .l 3 }}",
            "ERR template: t:1:3: executing \"t\" at <index .l 3>: error calling index: reflect: slice index out of range",
        ),
        (
            "{{ index .l 5 }}",
            "ERR template: t:1:3: executing \"t\" at <index .l 5>: error calling index: index out of range: 5",
        ),
        (
            "{{ index .missing 1 }}",
            "ERR template: t:1:3: executing \"t\" at <index .missing 1>: error calling index: index of untyped nil",
        ),
        (
            "{{ index .m 1 }}",
            "ERR template: t:1:3: executing \"t\" at <index .m 1>: error calling index: value has type int; should be string",
        ),
        (
            "{{ len .n }}",
            "ERR template: t:1:3: executing \"t\" at <len .n>: error calling len: len of type float64",
        ),
        (
            "{{ len nil }}",
            "ERR template: t:1:3: executing \"t\" at <len nil>: error calling len: reflect: call of reflect.Value.Type on zero Value",
        ),
        (
            "{{ slice .l 2 1 }}",
            "ERR template: t:1:3: executing \"t\" at <slice .l 2 1>: error calling slice: invalid slice index: 2 > 1",
        ),
        (
            "{{ call .s }}",
            "ERR template: t:1:3: executing \"t\" at <call .s>: error calling call: non-function .s of type string",
        ),
        (
            "{{ eq 1 }}",
            "ERR template: t:1:3: executing \"t\" at <eq 1>: error calling eq: missing argument for comparison",
        ),
        (
            "{{ not 1 2 }}",
            "ERR template: t:1:3: executing \"t\" at <not>: wrong number of args for not: want 1 got 2",
        ),
        (
            "{{ printf 3 }}",
            "ERR template: t:1:10: executing \"t\" at <3>: expected string; found 3",
        ),
    ]);
}

#[test]
fn limits_are_errors_not_crashes() {
    let mut set = Templates::new("gotpl");
    set.options_mut().max_depth = 50;
    set.parse(
        "t",
        "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}",
    )
    .unwrap();
    let err = set.execute("t", &Value::Nil).unwrap_err().to_string();
    assert!(
        err.ends_with("exceeded maximum template depth (50)"),
        "{err}"
    );

    let mut set = Templates::new("gotpl");
    set.options_mut().max_output = Some(10);
    set.parse("t", "{{ range 100 }}x{{ end }}").unwrap();
    assert!(matches!(
        set.execute("t", &Value::Nil),
        Err(Error::OutputLimit { limit: 10, .. })
    ));

    let depth = 5000;
    let deep = format!(
        "{}x{}",
        "{{ if 1 }}".repeat(depth),
        "{{ end }}".repeat(depth)
    );
    let mut set = Templates::new("gotpl");
    set.parse("t", &deep).unwrap();
    assert_eq!(set.execute("t", &Value::Nil).unwrap(), "x");

    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(2000), ")".repeat(2000));
    let mut set = Templates::new("gotpl");
    set.parse("t", &parens).unwrap();
    assert_eq!(set.execute("t", &Value::Nil).unwrap(), "1");
}

#[test]
fn missing_template_and_redefinition() {
    let mut set = Templates::new("gotpl");
    set.parse("a", "{{ define \"x\" }}1{{ end }}").unwrap();
    set.parse("b", "{{ define \"x\" }}2{{ end }}{{ template \"x\" }}")
        .unwrap();
    assert_eq!(set.execute("b", &Value::Nil).unwrap(), "2");
    let err = set.execute("nope", &Value::Nil).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template: no template \"nope\" associated with template \"gotpl\""
    );
    let named = Value::Dict(Dict::named("common.Values", BTreeMap::new()));
    set.parse("c", "{{ printf \"%T\" . }}").unwrap();
    assert_eq!(set.execute("c", &named).unwrap(), "common.Values");
}
