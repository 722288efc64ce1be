//! Table tests of the builtins called directly on evaluated values, including Go's `slice`
//! (which Helm hides behind Sprig's) and the boxed/unboxed distinctions of `index`.

use super::*;
use crate::template::value::{Dict, ElemType};

fn c(v: Value) -> Val {
    Val::Concrete(v)
}

fn i(v: Value) -> Val {
    Val::Iface(v)
}

fn s(v: &str) -> Value {
    Value::from(v)
}

fn list(items: &[&str]) -> Value {
    Value::list(items.iter().map(|x| s(x)).collect())
}

/// A nil `map[string]string`, as Helm's `.Chart.Annotations` is when unset.
fn nil_map() -> Value {
    Value::Dict(Dict::nil_typed(ElemType::String))
}

fn show(r: Result<Val>) -> String {
    match r {
        Ok(v) => format!("{}:{}", v.type_name(), v.describe()),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn comparisons_follow_go_kinds() {
    let cases: Vec<(Builtin, Vec<Val>, &str)> = vec![
        (
            Builtin::Eq,
            vec![c(Value::Int(1)), c(Value::Int64(1))],
            "bool:true",
        ),
        (
            Builtin::Eq,
            vec![c(Value::Int(1)), c(Value::Float(1.0))],
            "ERR incompatible types for comparison: int and float64",
        ),
        (
            Builtin::Eq,
            vec![i(Value::Float(2.0)), c(Value::Float(2.0))],
            "bool:true",
        ),
        (Builtin::Eq, vec![Val::Invalid, c(s("a"))], "bool:false"),
        (
            Builtin::Eq,
            vec![Val::Invalid, Val::Iface(Value::Nil)],
            "bool:true",
        ),
        (
            Builtin::Eq,
            vec![c(s("a")), c(s("b")), c(s("a"))],
            "bool:true",
        ),
        (
            Builtin::Eq,
            vec![c(list(&["a"])), c(s("a"))],
            "ERR incompatible types for comparison: []interface {} and string",
        ),
        (
            Builtin::Eq,
            vec![c(Value::dict([])), c(list(&[]))],
            "ERR non-comparable types map[]: map[string]interface {}, []interface {}: []",
        ),
        (Builtin::Eq, vec![c(nil_map()), i(Value::Nil)], "bool:true"),
        (
            Builtin::Eq,
            vec![c(nil_map()), c(Value::dict([]))],
            "bool:false",
        ),
        (
            Builtin::Eq,
            vec![c(Value::dict([])), i(Value::Nil)],
            "bool:false",
        ),
        (
            Builtin::Ne,
            vec![c(Value::Bool(true)), c(Value::Bool(false))],
            "bool:true",
        ),
        (Builtin::Lt, vec![c(s("a")), c(s("b"))], "bool:true"),
        (
            Builtin::Lt,
            vec![c(Value::Int(2)), c(Value::Int(1))],
            "bool:false",
        ),
        (
            Builtin::Le,
            vec![c(Value::Float(1.0)), c(Value::Float(1.0))],
            "bool:true",
        ),
        (
            Builtin::Gt,
            vec![c(Value::Int(2)), c(Value::Int(1))],
            "bool:true",
        ),
        (
            Builtin::Ge,
            vec![c(Value::Int(1)), c(Value::Int(2))],
            "bool:false",
        ),
        (
            Builtin::Lt,
            vec![Val::Invalid, c(Value::Int(1))],
            "ERR invalid type for comparison",
        ),
        (
            Builtin::Lt,
            vec![c(Value::Int(1)), c(s("a"))],
            "ERR incompatible types for comparison: int and string",
        ),
    ];
    for (b, args, want) in cases {
        assert_eq!(show(call(b, "", args.clone())), want, "{b:?} {args:?}");
    }
}

#[test]
fn index_len_and_slice_follow_go() {
    let strings = Value::List(List::typed(ElemType::String, vec![s("x"), s("y")]));
    let typed_dict = Value::Dict(Dict::typed(
        ElemType::String,
        [("k".to_string(), s("v"))].into(),
    ));
    let cases: Vec<(Builtin, Vec<Val>, &str)> = vec![
        (
            Builtin::Index,
            vec![c(list(&["a", "b"])), c(Value::Int(1))],
            "interface {}:b",
        ),
        (
            Builtin::Index,
            vec![c(strings.clone()), c(Value::Int(0))],
            "string:x",
        ),
        (
            Builtin::Index,
            vec![c(typed_dict.clone()), c(s("nope"))],
            "string:",
        ),
        (
            Builtin::Index,
            vec![c(Value::dict([])), c(s("nope"))],
            "interface {}:<nil>",
        ),
        (
            Builtin::Index,
            vec![c(s("abc")), i(Value::Int(1))],
            "int:98",
        ),
        (
            Builtin::Index,
            vec![c(list(&["a"])), Val::Invalid],
            "ERR cannot index slice/array with nil",
        ),
        (
            Builtin::Index,
            vec![c(list(&["a"])), c(Value::Int(-1))],
            "ERR index out of range: -1",
        ),
        (
            Builtin::Index,
            vec![c(Value::dict([])), c(s("a")), c(s("b"))],
            "ERR index of nil pointer",
        ),
        (Builtin::Len, vec![i(Value::Nil)], "ERR len of nil pointer"),
        (Builtin::Len, vec![c(typed_dict)], "int:1"),
        (
            Builtin::Len,
            vec![c(Value::Bytes(b"abc".as_slice().into()))],
            "int:3",
        ),
        (
            Builtin::Slice,
            vec![c(strings), c(Value::Int(1))],
            "[]string:[y]",
        ),
        (
            Builtin::Slice,
            vec![c(s("héllo")), c(Value::Int(1)), c(Value::Int(3))],
            "string:é",
        ),
        (
            Builtin::Slice,
            vec![
                c(list(&["a", "b", "c"])),
                c(Value::Int(0)),
                c(Value::Int(1)),
                c(Value::Int(2)),
            ],
            "[]interface {}:[a]",
        ),
        (
            Builtin::Slice,
            vec![
                c(s("abc")),
                c(Value::Int(0)),
                c(Value::Int(1)),
                c(Value::Int(2)),
            ],
            "ERR cannot 3-index slice a string",
        ),
        (
            Builtin::Slice,
            vec![c(list(&["a"])), i(Value::Int(0))],
            "ERR cannot index slice/array with type interface {}",
        ),
        (
            Builtin::Slice,
            vec![c(list(&["a"])), c(Value::Int(2))],
            "ERR index out of range: 2",
        ),
        (
            Builtin::Slice,
            vec![Val::Invalid],
            "ERR slice of untyped nil",
        ),
        (Builtin::Not, vec![i(Value::from(""))], "bool:true"),
        (Builtin::Call, vec![Val::Invalid], "ERR call of nil"),
    ];
    for (b, args, want) in cases {
        assert_eq!(show(call(b, ".f", args.clone())), want, "{b:?} {args:?}");
    }
}

#[test]
fn printing_builtins_spell_missing_values() {
    let cases: Vec<(Builtin, Vec<Val>, &str)> = vec![
        (
            Builtin::Print,
            vec![c(Value::Int(1)), c(Value::Int(2)), c(s("a"))],
            "string:1 2a",
        ),
        (Builtin::Println, vec![Val::Invalid], "string:<nil>\n"),
        (
            Builtin::Printf,
            vec![c(s("%d-%s")), c(Value::Int(1)), c(s("x"))],
            "string:1-x",
        ),
        (Builtin::Html, vec![Val::Invalid], "string:&lt;no value&gt;"),
        (
            Builtin::Html,
            vec![c(s("<")), c(Value::Int(1))],
            "string:&lt;1",
        ),
        (Builtin::Js, vec![c(s("'"))], "string:\\'"),
        (
            Builtin::UrlQuery,
            vec![c(s("a b")), c(s("c"))],
            "string:a+bc",
        ),
    ];
    for (b, args, want) in cases {
        assert_eq!(show(call(b, "", args.clone())), want, "{b:?} {args:?}");
    }
}
