//! Go's template comparisons: eq (against several values), lt and le, with Go's rules on
//! basic kinds (int and float64 never compare) and its messages for what cannot compare.

use crate::template::error::FuncError;
use crate::template::exec::Val;
use crate::template::fmt::sprintf;
use crate::template::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(v: Option<&Value>) -> Kind {
    match v {
        Some(Value::Bool(_)) => Kind::Bool,
        Some(Value::Int(_) | Value::Int64(_)) => Kind::Int,
        Some(Value::Float(_)) => Kind::Float,
        Some(Value::String(_)) => Kind::String,
        _ => Kind::Invalid,
    }
}

/// Go's reflect kind family, to tell "same kind" for non-basic values.
fn reflect_kind(v: Option<&Value>) -> u8 {
    match v {
        None | Some(Value::Nil) => 0,
        Some(Value::List(_) | Value::Bytes(_)) => 1,
        Some(Value::Dict(_)) => 2,
        Some(Value::Object(_)) => 3,
        Some(_) => 4,
    }
}

fn type_of(v: Option<&Value>) -> String {
    v.map_or_else(|| "<nil>".to_string(), |v| v.type_name().into_owned())
}

fn fmt_s(v: Option<&Value>) -> String {
    sprintf("%s", &[v.cloned().unwrap_or(Value::Nil)])
}

fn fmt_v(v: Option<&Value>) -> String {
    sprintf("%v", &[v.cloned().unwrap_or(Value::Nil)])
}

/// Go's `isNil` for `eq`: no value, or a nil map.
fn is_nil(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(Value::Dict(d)) => d.is_nil_map(),
        Some(_) => false,
    }
}

fn basic_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// `eq arg1 arg2...`: true when arg1 equals any of the others.
pub(super) fn eq(arg1: &Val, rest: &[Val]) -> Result<bool, FuncError> {
    let a1 = arg1.concrete();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a1);
    for arg in rest {
        let a = arg.concrete();
        let k2 = basic_kind(a);
        let truth = if k1 != k2 {
            if let (Some(x), Some(y)) = (a1, a) {
                return Err(format!(
                    "incompatible types for comparison: {} and {}",
                    x.type_name(),
                    y.type_name()
                )
                .into());
            }
            false
        } else if k1 != Kind::Invalid {
            match (a1, a) {
                (Some(x), Some(y)) => basic_eq(x, y),
                _ => false,
            }
        } else {
            let (r1, r2) = (reflect_kind(a1), reflect_kind(a));
            if r1 != r2 && r1 != 0 && r2 != 0 {
                return Err(format!(
                    "non-comparable types {}: {}, {}: {}",
                    fmt_s(a1),
                    type_of(a1),
                    type_of(a),
                    fmt_v(a)
                )
                .into());
            }
            match (a1, a) {
                // Go compares nil-ness first, and a nil map is nil.
                (x, y) if is_nil(x) || is_nil(y) => is_nil(x) && is_nil(y),
                (Some(Value::Object(x)), Some(Value::Object(y))) => x.equals(y.as_ref()),
                (None, _) | (_, None) => false,
                (Some(_), Some(y)) => {
                    return Err(format!(
                        "non-comparable type {}: {}",
                        fmt_s(Some(y)),
                        y.type_name()
                    )
                    .into());
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `lt a b`: only for two values of the same basic kind, and not bools.
pub(super) fn lt(arg1: &Val, arg2: &Val) -> Result<bool, FuncError> {
    let (a1, a2) = (arg1.concrete(), arg2.concrete());
    let (k1, k2) = (basic_kind(a1), basic_kind(a2));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return Err(format!(
            "incompatible types for comparison: {} and {}",
            type_of(a1),
            type_of(a2)
        )
        .into());
    }
    Ok(match (a1, a2) {
        (Some(Value::Int(x) | Value::Int64(x)), Some(Value::Int(y) | Value::Int64(y))) => x < y,
        (Some(Value::Float(x)), Some(Value::Float(y))) => x < y,
        (Some(Value::String(x)), Some(Value::String(y))) => x < y,
        _ => return Err("invalid type for comparison".into()),
    })
}

/// `le a b`: lt or eq.
pub(super) fn le(arg1: &Val, arg2: &Val) -> Result<bool, FuncError> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}
