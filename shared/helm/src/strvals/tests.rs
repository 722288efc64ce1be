//! Behaviour of Helm's strvals parser, case by case (after Helm's own parser tests).

use super::*;
use serde_json::json;

fn typed(s: &str) -> Result<Value, String> {
    parse(s).map(Value::Object).map_err(|e| e.0)
}

#[test]
fn set_values_parse_as_helm_does() {
    let cases: &[(&str, Value)] = &[
        ("name=value", json!({"name": "value"})),
        ("long_int=1234567890", json!({"long_int": 1234567890i64})),
        (
            "boolean=true,other=FALSE",
            json!({"boolean": true, "other": false}),
        ),
        ("is_null=null", json!({"is_null": null})),
        (
            "zero=0,lead=00009,neg=-5,plus=+7",
            json!({"zero": 0, "lead": "00009", "neg": -5, "plus": 7}),
        ),
        (
            "f=1.5,big=99999999999999999999",
            json!({"f": "1.5", "big": "99999999999999999999"}),
        ),
        (
            "name1=value1,name2=value2",
            json!({"name1": "value1", "name2": "value2"}),
        ),
        (
            "name1=value1,name2=",
            json!({"name1": "value1", "name2": ""}),
        ),
        (
            "name1=,name2=value2",
            json!({"name1": "", "name2": "value2"}),
        ),
        ("outer.inner=value", json!({"outer": {"inner": "value"}})),
        (
            "outer.middle.inner=value",
            json!({"outer": {"middle": {"inner": "value"}}}),
        ),
        ("outer.a=1,outer.b=2", json!({"outer": {"a": 1, "b": 2}})),
        ("name1.name2=", json!({"name1": {"name2": ""}})),
        ("list[0]=foo", json!({"list": ["foo"]})),
        ("list[1]=foo", json!({"list": [null, "foo"]})),
        ("list[0]=foo,list[1]=bar", json!({"list": ["foo", "bar"]})),
        (
            "list[0].foo=bar,list[0].hello=world",
            json!({"list": [{"foo": "bar", "hello": "world"}]}),
        ),
        (
            "list[0][0]=1,list[0][2]=x",
            json!({"list": [[1, null, "x"]]}),
        ),
        (
            "list[0].a[1].b=c",
            json!({"list": [{"a": [null, {"b": "c"}]}]}),
        ),
        (
            "name1={value1,value2}",
            json!({"name1": ["value1", "value2"]}),
        ),
        (
            "name1={value1,value2},name2=x",
            json!({"name1": ["value1", "value2"], "name2": "x"}),
        ),
        ("list[0]={a,b}", json!({"list": [["a", "b"]]})),
        ("e={}", json!({"e": [""]})),
        ("a\\.b=c", json!({"a.b": "c"})),
        ("name=one\\,two,x=y", json!({"name": "one,two", "x": "y"})),
        ("eq=a=b", json!({"eq": "a=b"})),
        ("sp= x ", json!({"sp": " x "})),
    ];
    for (input, want) in cases {
        assert_eq!(typed(input).as_ref(), Ok(want), "input {input:?}");
    }
}

#[test]
fn bad_set_values_fail_with_helms_message() {
    let cases = [
        ("name1", "key \"name1\" has no value"),
        ("name1=value1,name2", "key \"name2\" has no value"),
        (
            "name1,name2=",
            "key \"name1\" has no value (cannot end with ,)",
        ),
        (
            "name1=value1,,name2=value2",
            "key \"\" has no value (cannot end with ,)",
        ),
        ("name1.name2", "key \"name2\" has no value"),
        ("name1.=name2", "key map \"name1\" has no value"),
        (
            "list[x]=1",
            "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax",
        ),
        ("list[0", "error parsing index: EOF"),
        ("list[-1]=1", "negative -1 index not allowed"),
        ("list[0]x=1", "unexpected data at end of array index: \"x\""),
        (
            "list[65537]=1",
            "index of 65537 is greater than maximum supported index of 65536",
        ),
        ("a={b,c", "list must terminate with '}'"),
    ];
    for (input, want) in cases {
        assert_eq!(typed(input), Err(want.to_string()), "input {input:?}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}=1", vec!["a"; 40].join("."));
    let e = typed(&deep).unwrap_err();
    assert!(e.contains("maximum supported nested level of 30"), "{e}");
}

#[test]
fn set_string_keeps_strings() {
    let mut m = Map::new();
    parse_into_string("a=true,b=10,c=null,d[0]=1", &mut m).unwrap();
    assert_eq!(
        Value::Object(m),
        json!({"a": "true", "b": "10", "c": "null", "d": ["1"]})
    );
}

#[test]
fn set_json_takes_json_documents() {
    let mut m = Map::new();
    parse_json(r#"a={"b":1,"c":[true,"x"]},d=null,e[1]=2 , f="s""#, &mut m).unwrap();
    assert_eq!(
        Value::Object(m),
        json!({"a": {"b": 1.0, "c": [true, "x"]}, "d": null, "e": [null, 2.0], " f": "s"})
    );
    let mut m = Map::new();
    assert!(parse_json("a={bad", &mut m).is_err());
}

#[test]
fn set_file_reads_through_the_reader() {
    let reader = |p: &str| {
        if p == "ok.txt" {
            Ok(format!("content of {p}"))
        } else {
            Err(format!("open {p}: no such file or directory"))
        }
    };
    let mut m = Map::new();
    parse_into_file("a=ok.txt", &mut m, &reader).unwrap();
    assert_eq!(Value::Object(m), json!({"a": "content of ok.txt"}));
    let mut m = Map::new();
    let e = parse_into_file("a=missing", &mut m, &reader).unwrap_err();
    assert_eq!(e.0, "open missing: no such file or directory");
}

#[test]
fn parse_into_merges_with_existing_values() {
    let mut m = json!({"outer": {"keep": 1, "list": ["a", "b"]}, "x": {"y": 1}})
        .as_object()
        .cloned()
        .unwrap();
    parse_into("outer.new=2,outer.list[1]=c,x=flat", &mut m).unwrap();
    assert_eq!(
        Value::Object(m),
        json!({"outer": {"keep": 1, "new": 2, "list": ["a", "c"]}, "x": "flat"})
    );
}
