//! Sprig's conversions and defaults: toString, toStrings, atoi, int, int64, float64,
//! toDecimal; default, empty, coalesce, all, any, ternary; and the reflection family
//! kindOf, kindIs, typeOf, typeIs, typeIsLike, deepEqual.

use super::strings::s;
use super::{is_empty, kind_name, string_list, strslice, strval, to_float64, to_int64};
use crate::template::{FuncMap, Param, Signature, Value};

fn one(a: &[Value]) -> Value {
    a.first().cloned().unwrap_or_default()
}

fn register_numbers(map: &mut FuncMap) {
    let any1 = || Signature::new([Param::Any]);
    map.add("toString", any1(), |_, a| Ok(Value::from(strval(&one(a)))));
    map.add("toStrings", any1(), |_, a| {
        Ok(string_list(strslice(&one(a))))
    });
    map.add("int64", any1(), |_, a| Ok(Value::Int64(to_int64(&one(a)))));
    map.add("int", any1(), |_, a| Ok(Value::Int(to_int64(&one(a)))));
    map.add("float64", any1(), |_, a| {
        Ok(Value::Float(to_float64(&one(a))))
    });
    map.add("atoi", Signature::new([Param::String]), |_, a| {
        let x = s(a, 0);
        let digits = x.strip_prefix(['+', '-']).unwrap_or(x);
        let ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        Ok(Value::Int(if ok { x.parse().unwrap_or(0) } else { 0 }))
    });
    map.add("toDecimal", any1(), |_, a| {
        let text = crate::template::fmt::sprint(&[one(a)]);
        let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
        let ok = !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
        Ok(Value::Int64(if ok {
            i64::from_str_radix(&text, 8).unwrap_or(0)
        } else {
            0
        }))
    });
}

fn register_defaults(map: &mut FuncMap) {
    map.add(
        "default",
        Signature::new([Param::Any])
            .variadic(Param::Any)
            .returns_interface(),
        |_, a| {
            let given = a.get(1).cloned().unwrap_or_default();
            Ok(if is_empty(&given) { one(a) } else { given })
        },
    );
    map.add("empty", Signature::new([Param::Any]), |_, a| {
        Ok(Value::Bool(is_empty(&one(a))))
    });
    let var = || Signature::new([]).variadic(Param::Any);
    map.add("coalesce", var().returns_interface(), |_, a| {
        Ok(a.iter().find(|v| !is_empty(v)).cloned().unwrap_or_default())
    });
    map.add("all", var(), |_, a| {
        Ok(Value::Bool(a.iter().all(|v| !is_empty(v))))
    });
    map.add("any", var(), |_, a| {
        Ok(Value::Bool(a.iter().any(|v| !is_empty(v))))
    });
    map.add(
        "ternary",
        Signature::new([Param::Any, Param::Any, Param::Bool]).returns_interface(),
        |_, a| {
            let pick = matches!(a.get(2), Some(Value::Bool(true)));
            Ok(a.get(if pick { 0 } else { 1 }).cloned().unwrap_or_default())
        },
    );
}

/// Go's `reflect.DeepEqual` over template values.
pub(crate) fn deep_equal(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            a.elem_type() == b.elem_type()
                && a.len() == b.len()
                && a.snapshot()
                    .iter()
                    .zip(b.snapshot().iter())
                    .all(|(p, q)| deep_equal(p, q))
        }
        (Value::Dict(a), Value::Dict(b)) => {
            // reflect.DeepEqual: a nil map never equals a non-nil one, even empty.
            a.type_name() == b.type_name()
                && a.is_nil_map() == b.is_nil_map()
                && a.len() == b.len()
                && a.snapshot()
                    .iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| deep_equal(v, &w)))
        }
        (Value::Object(a), Value::Object(b)) => a.type_name() == b.type_name() && a.equals(&**b),
        _ => false,
    }
}

fn register_types(map: &mut FuncMap) {
    map.add("kindOf", Signature::new([Param::Any]), |_, a| {
        Ok(Value::from(kind_name(&one(a))))
    });
    map.add(
        "kindIs",
        Signature::new([Param::String, Param::Any]),
        |_, a| {
            let v = a.get(1).cloned().unwrap_or_default();
            Ok(Value::Bool(kind_name(&v) == s(a, 0)))
        },
    );
    map.add("typeOf", Signature::new([Param::Any]), |_, a| {
        Ok(Value::from(one(a).type_name().into_owned()))
    });
    map.add(
        "typeIs",
        Signature::new([Param::String, Param::Any]),
        |_, a| {
            let v = a.get(1).cloned().unwrap_or_default();
            Ok(Value::Bool(v.type_name() == s(a, 0)))
        },
    );
    map.add(
        "typeIsLike",
        Signature::new([Param::String, Param::Any]),
        |_, a| {
            let v = a.get(1).cloned().unwrap_or_default();
            let t = v.type_name();
            let target = s(a, 0);
            Ok(Value::Bool(t == target || t == format!("*{target}")))
        },
    );
    map.add(
        "deepEqual",
        Signature::new([Param::Any, Param::Any]),
        |_, a| {
            let y = a.get(1).cloned().unwrap_or_default();
            Ok(Value::Bool(deep_equal(&one(a), &y)))
        },
    );
}

pub(super) fn register(map: &mut FuncMap) {
    register_numbers(map);
    register_defaults(map);
    register_types(map);
    super::encoding::register(map);
}
