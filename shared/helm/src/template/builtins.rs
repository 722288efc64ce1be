//! Go's builtin template functions: and, or, not, len, index, slice, print, printf, println,
//! html, js, urlquery, call, and the comparisons eq, ne, lt, le, gt, ge.

mod compare;
mod escape;

use std::collections::HashMap;
use std::sync::LazyLock;

use super::error::FuncError;
use super::exec::Val;
use super::fmt::{sprint, sprintf, sprintln};
use super::funcs::{Function, Param, Signature};
use super::value::{List, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Print,
    Printf,
    Println,
    Html,
    Js,
    UrlQuery,
    Call,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

static BUILTINS: LazyLock<HashMap<&'static str, Function>> = LazyLock::new(|| {
    use Builtin::*;
    let reflect_variadic = || Signature::new([Param::Reflect]).variadic(Param::Reflect);
    let any_variadic = || Signature::new([]).variadic(Param::Any);
    let two = || Signature::new([Param::Reflect, Param::Reflect]);
    let table: Vec<(&str, Signature, Builtin)> = vec![
        ("and", reflect_variadic(), And),
        ("or", reflect_variadic(), Or),
        ("not", Signature::new([Param::Reflect]), Not),
        ("len", Signature::new([Param::Reflect]), Len),
        ("index", reflect_variadic(), Index),
        ("slice", reflect_variadic(), Slice),
        ("print", any_variadic(), Print),
        (
            "printf",
            Signature::new([Param::String]).variadic(Param::Any),
            Printf,
        ),
        ("println", any_variadic(), Println),
        ("html", any_variadic(), Html),
        ("js", any_variadic(), Js),
        ("urlquery", any_variadic(), UrlQuery),
        ("call", reflect_variadic(), Call),
        ("eq", reflect_variadic(), Eq),
        ("ne", two(), Ne),
        ("lt", two(), Lt),
        ("le", two(), Le),
        ("gt", two(), Gt),
        ("ge", two(), Ge),
    ];
    table
        .into_iter()
        .map(|(name, sig, b)| (name, Function::builtin(sig, b)))
        .collect()
});

/// The builtin function called `name`.
pub(crate) fn lookup(name: &str) -> Option<&'static Function> {
    BUILTINS.get(name)
}

type Result<T> = std::result::Result<T, FuncError>;

fn concrete(v: Value) -> Val {
    Val::Concrete(v)
}

/// Runs a builtin on evaluated arguments. `callee` is how `call` names its first argument.
pub(crate) fn call(b: Builtin, callee: &str, args: Vec<Val>) -> Result<Val> {
    let values = || args.iter().map(Val::to_value).collect::<Vec<_>>();
    Ok(match b {
        Builtin::And | Builtin::Or => unreachable!("and/or are evaluated lazily by the executor"),
        Builtin::Not => concrete(Value::Bool(!args[0].truth())),
        Builtin::Len => concrete(Value::Int(length(&args[0])?)),
        Builtin::Index => index(&args[0], &args[1..])?,
        Builtin::Slice => slice(&args[0], &args[1..])?,
        Builtin::Print => concrete(Value::from(sprint(&values()))),
        Builtin::Println => concrete(Value::from(sprintln(&values()))),
        Builtin::Printf => {
            let v = values();
            let format = v[0].as_str().unwrap_or_default().to_string();
            concrete(Value::from(sprintf(&format, &v[1..])))
        }
        Builtin::Html => concrete(Value::from(escape::html(&eval_args(&values())))),
        Builtin::Js => concrete(Value::from(escape::js(&eval_args(&values())))),
        Builtin::UrlQuery => concrete(Value::from(escape::query(&eval_args(&values())))),
        Builtin::Call => return Err(call_value(callee, &args[0])),
        Builtin::Eq => concrete(Value::Bool(compare::eq(&args[0], &args[1..])?)),
        Builtin::Ne => concrete(Value::Bool(!compare::eq(&args[0], &args[1..])?)),
        Builtin::Lt => concrete(Value::Bool(compare::lt(&args[0], &args[1])?)),
        Builtin::Le => concrete(Value::Bool(compare::le(&args[0], &args[1])?)),
        Builtin::Gt => concrete(Value::Bool(!compare::le(&args[0], &args[1])?)),
        Builtin::Ge => concrete(Value::Bool(!compare::lt(&args[0], &args[1])?)),
    })
}

/// Templates hold no function values, so `call` always fails, with Go's words.
fn call_value(name: &str, f: &Val) -> FuncError {
    match f.concrete() {
        None => FuncError::new("call of nil"),
        Some(v) => FuncError::new(format!("non-function {name} of type {}", v.type_name())),
    }
}

/// Go's `evalArgs`: one string argument as is, else Sprint with missing values spelled out.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Nil => Value::from("<no value>"),
            Value::Object(o) => Value::from(o.print()),
            other => other.clone(),
        })
        .collect();
    sprint(&printable)
}

fn length(item: &Val) -> Result<i64> {
    let v = match item {
        Val::Iface(Value::Nil) => return Err("len of nil pointer".into()),
        Val::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Val::Iface(v) | Val::Concrete(v) => v.deref_object(),
    };
    Ok(match v {
        Value::String(s) => s.len(),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.len(),
        Value::Dict(d) => d.len(),
        other => return Err(format!("len of type {}", other.type_name()).into()),
    } as i64)
}

/// Go's `indexArg`: an integer index within `0..=cap`.
fn index_arg(index: Option<&Value>, cap: usize) -> Result<usize> {
    let x = match index {
        Some(Value::Int(i) | Value::Int64(i)) => *i,
        None => return Err("cannot index slice/array with nil".into()),
        Some(other) => {
            return Err(format!("cannot index slice/array with type {}", other.type_name()).into());
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}").into());
    }
    Ok(x as usize)
}

fn index(item: &Val, indexes: &[Val]) -> Result<Val> {
    if item.concrete().is_none() {
        return Err("index of untyped nil".into());
    }
    let mut cur = item.clone();
    for index in indexes {
        let idx = index.concrete();
        let v = match &cur {
            Val::Iface(Value::Nil) | Val::Concrete(Value::Nil) | Val::Invalid => {
                return Err("index of nil pointer".into());
            }
            Val::Iface(v) | Val::Concrete(v) => v.deref_object(),
        };
        cur = match v {
            Value::List(l) => {
                let x = index_arg(idx, l.len())?;
                let elem = l.get(x).ok_or("reflect: slice index out of range")?;
                Val::elem(l.elem_type(), elem)
            }
            Value::Bytes(b) => {
                let x = index_arg(idx, b.len())?;
                concrete(Value::Int(i64::from(
                    *b.get(x).ok_or("reflect: slice index out of range")?,
                )))
            }
            Value::String(s) => {
                let x = index_arg(idx, s.len())?;
                concrete(Value::Int(i64::from(
                    *s.as_bytes()
                        .get(x)
                        .ok_or("reflect: string index out of range")?,
                )))
            }
            Value::Dict(d) => {
                let key = match idx {
                    Some(Value::String(k)) => k.clone(),
                    None => return Err("value is nil; should be of type string".into()),
                    Some(other) => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        )
                        .into());
                    }
                };
                let elem = d.elem_type();
                Val::elem(elem, d.get(&key).unwrap_or_else(|| elem.zero()))
            }
            other => return Err(format!("can't index item of type {}", other.type_name()).into()),
        };
    }
    Ok(cur)
}

fn slice(item: &Val, indexes: &[Val]) -> Result<Val> {
    let Some(v) = item.concrete().map(Value::deref_object) else {
        return Err("slice of untyped nil".into());
    };
    let v = &v;
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()).into());
    }
    let len = match v {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name()).into()),
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        // Go does not unbox slice indexes: an interface{} index is refused.
        let raw = match index {
            Val::Concrete(v) => Some(v),
            Val::Invalid => None,
            Val::Iface(_) => return Err("cannot index slice/array with type interface {}".into()),
        };
        idx[i] = index_arg(raw, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]).into());
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]).into());
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(concrete(match v {
        Value::String(s) => Value::from(String::from_utf8_lossy(&s.as_bytes()[i..j]).into_owned()),
        Value::Bytes(b) => Value::Bytes(b[i..j].into()),
        Value::List(l) => Value::List(List::typed(l.elem_type(), l.borrow()[i..j].to_vec())),
        _ => unreachable!("checked above"),
    }))
}

#[cfg(test)]
mod tests;
