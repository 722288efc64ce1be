//! Unit tests of Helm's YAML and JSON: values as sigs.k8s.io/yaml decodes them, output as
//! its Marshal writes it, and encoding/json's error texts.

use super::*;

fn show(v: &Value) -> String {
    format!("{} {}", v.type_name(), v)
}

#[test]
fn yaml_decodes_as_helm_values() {
    let cases = [
        ("a: 1", "map[string]interface {} map[a:1]"),
        (
            "n: 1\ny: yes\nc: on",
            "map[string]interface {} map[c:true false:1 true:true]",
        ),
        (
            "big: 1234567",
            "map[string]interface {} map[big:1.234567e+06]",
        ),
        (
            "h: 0x10\no: 010\nd: 1e3",
            "map[string]interface {} map[d:1000 h:16 o:8]",
        ),
        (
            "t: 2001-12-14\ns: '1'",
            "map[string]interface {} map[s:1 t:2001-12-14]",
        ),
        ("a: 1\na: 2", "map[string]interface {} map[a:2]"),
        (
            "x: &a {k: v}\nz: *a",
            "map[string]interface {} map[x:map[k:v] z:map[k:v]]",
        ),
        ("- 1\n- [a, ~]", "[]interface {} [1 [a <nil>]]"),
        ("", "<nil> <nil>"),
        ("a: 1\n---\nb: 2", "map[string]interface {} map[a:1]"),
        ("1.5: x\n3: z", "map[string]interface {} map[1.5:x 3:z]"),
    ];
    for (src, want) in cases {
        let v = from_yaml(src).unwrap();
        assert_eq!(show(&v), want, "{src:?}");
    }
    let Value::Dict(d) = from_yaml("n: 3").unwrap() else {
        panic!("not a dict")
    };
    assert!(matches!(d.get("false"), Some(Value::Float(f)) if f == 3.0));
}

#[test]
fn yaml_errors_read_as_helm_prints_them() {
    let cases = [
        (
            "- a",
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
        ),
        (
            "abc",
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}",
        ),
        (
            "a: .nan",
            "error converting YAML to JSON: json: unsupported value: NaN",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(from_yaml_map(src).unwrap_err().0, want, "{src:?}");
    }
    assert!(
        from_yaml_map("a: [")
            .unwrap_err()
            .0
            .starts_with("error converting YAML to JSON: yaml: ")
    );
    let d = helm_from_yaml("- a");
    assert!(d.get("Error").is_some());
    assert_eq!(
        from_yaml_array("a: 1").unwrap_err().0,
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"
    );
}

#[test]
fn yaml_marshal_is_json_then_go_yaml_v2() {
    let v = from_json(r#"{"b": [1, 2.5, "x"], "a": {"yes": "yes", "e": {}, "l": []}, "s": "a\nb\n", "n": null, "f": 1e21}"#).unwrap();
    let want = "a:\n  e: {}\n  l: []\n  \"yes\": \"yes\"\nb:\n- 1\n- 2.5\n- x\nf: 1e+21\n\"n\": null\ns: |\n  a\n  b\n";
    assert_eq!(to_yaml(&v).unwrap(), want);
    assert_eq!(to_yaml(&Value::Nil).unwrap(), "null\n");
    assert_eq!(to_yaml(&Value::from("abc")).unwrap(), "abc\n");
    assert_eq!(to_yaml(&Value::from("a\n\n")).unwrap(), "|+\n  a\n\n");
    assert_eq!(to_yaml(&Value::from("")).unwrap(), "\"\"\n");
    assert_eq!(
        to_yaml(&Value::Float(f64::NAN)).unwrap_err().0,
        "error marshaling into JSON: json: unsupported value: NaN"
    );
    let d = Dict::new();
    d.insert("self", Value::Dict(d.clone()));
    assert!(
        to_yaml(&Value::Dict(d.clone()))
            .unwrap_err()
            .0
            .contains("encountered a cycle")
    );
    d.remove("self");
}

#[test]
fn json_marshal_follows_encoding_json() {
    let v = from_json(r#"{"b": "<&>", "a": [1, 1.5e-7, 1e21, 100000000], "c": "\u2028\u0001"}"#)
        .unwrap();
    assert_eq!(
        to_json(&v).unwrap(),
        r#"{"a":[1,1.5e-7,1e+21,100000000],"b":"\u003c\u0026\u003e","c":"\u2028\u0001"}"#
    );
    assert_eq!(
        to_json(&Value::Bytes(b"hi".as_slice().into())).unwrap(),
        "\"aGk=\""
    );
    assert_eq!(to_json(&Value::Int64(-3)).unwrap(), "-3");
}

#[test]
fn json_syntax_errors_read_as_go() {
    let cases = [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input"),
        ("x", "invalid character 'x' looking for beginning of value"),
        (
            "{a}",
            "invalid character 'a' looking for beginning of object key string",
        ),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        (
            "{\"a\":1 \"b\"}",
            "invalid character '\"' after object key:value pair",
        ),
        ("[1 2]", "invalid character '2' after array element"),
        (
            "[1,]",
            "invalid character ']' looking for beginning of value",
        ),
        (
            "tru",
            "invalid character ' ' in literal true (expecting 'e')",
        ),
        ("[\"a", "unexpected end of JSON input"),
        ("-", "invalid character ' ' in numeric literal"),
        (
            "trux",
            "invalid character 'x' in literal true (expecting 'e')",
        ),
        (
            "nul1",
            "invalid character '1' in literal null (expecting 'l')",
        ),
        ("-x", "invalid character 'x' in numeric literal"),
        (
            "1.x",
            "invalid character 'x' after decimal point in numeric literal",
        ),
        (
            "1ex",
            "invalid character 'x' in exponent of numeric literal",
        ),
        ("01", "invalid character '1' after top-level value"),
        ("\"\\x\"", "invalid character 'x' in string escape code"),
        (
            "\"\\u12g4\"",
            "invalid character 'g' in \\u hexadecimal character escape",
        ),
        ("\"a\nb\"", "invalid character '\\n' in string literal"),
        ("{} {}", "invalid character '{' after top-level value"),
        (
            "[1e400]",
            "json: cannot unmarshal number 1e400 into Go value of type float64",
        ),
        (
            "'a'",
            "invalid character '\\'' looking for beginning of value",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(from_json(src).unwrap_err().0, want, "{src:?}");
    }
    assert_eq!(
        from_json_map("[1]").unwrap_err().0,
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    assert_eq!(
        show(&from_json(r#"{"a":1,"a":"\ud83d\ude00\ud800"}"#).unwrap()),
        "map[string]interface {} map[a:😀\u{fffd}]"
    );
    assert_eq!(from_json_array("null").unwrap().len(), 0);
    assert_eq!(
        helm_from_json("{").get("Error").map(|e| e.to_string()),
        Some("unexpected end of JSON input".into())
    );
}

#[test]
fn hostile_input_is_bounded() {
    let deep = format!("{}{}", "[".repeat(10_001), "]".repeat(10_001));
    assert_eq!(
        from_json(&deep).unwrap_err().0,
        "invalid character '[' exceeded max depth"
    );
    let ok = format!("{}{}", "[".repeat(500), "]".repeat(500));
    assert!(from_json(&ok).is_ok());
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        bomb.push_str(&format!(
            "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert!(from_yaml_map(&bomb).is_err());
    let d = Dict::new();
    d.insert("self", Value::Dict(d.clone()));
    assert!(to_toml(&Value::Dict(d.clone())).is_err());
    assert!(
        to_json(&Value::Dict(d.clone()))
            .unwrap_err()
            .0
            .contains("cycle")
    );
    d.remove("self");
}
