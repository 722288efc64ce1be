//! Sprig v3 as Helm exposes it: the function library charts call beside Go's builtins.
//! [`funcs`] returns every implemented Sprig function in a [`FuncMap`] (without `env` and
//! `expandenv`, which Helm removes). Each family lives in its own file; the helpers here are
//! Sprig's and `spf13/cast`'s conversions (`strval`, `toInt64`, `toFloat64`, `strslice`,
//! `empty`), which every family shares so that numbers and strings convert exactly as in Go.
//!
//! getHostByName is Helm's (the engine's DNS switch decides it).
//! Helm's own functions (toYaml, fromJson, include, tpl, required, fail, ...) belong to the
//! Helm layer, which overrides Sprig's of the same name.

mod aes;
mod cases;
mod conv;
mod crypto;
mod crypto_keys;
mod dateparse;
mod dates;
mod dicts;
mod encoding;
mod hashes;
mod lists;
mod math;
mod password;
mod paths;
mod regex;
pub(crate) mod semver;
mod strings;
mod urls;

pub(crate) use encoding::b64_encode;

/// Go's `base64.StdEncoding.DecodeString`; `None` for invalid input.
pub(crate) fn b64_decode(text: &str) -> Option<Vec<u8>> {
    encoding::b64_decode_std(text).ok()
}

/// A Go `time.Time` value at a fixed UTC offset (TOML datetimes).
pub(crate) fn time_value(secs: i64, nanos: u32, offset: i32) -> Value {
    Value::Object(std::rc::Rc::new(dates::Time::fixed(secs, nanos, offset)))
}

/// A Go `time.Time` in a named fixed zone (`time.FixedZone(zone, offset)`, or UTC).
pub(crate) fn time_in_zone(secs: i64, nanos: u32, offset: i32, zone: &str) -> Value {
    Value::Object(std::rc::Rc::new(dates::Time::named(
        secs, nanos, offset, zone,
    )))
}

use crate::template::fmt::sprint;
use crate::template::strconv::{parse_float, parse_int};
use crate::template::{ElemType, FuncError, FuncMap, List, Value};

/// Every implemented Sprig function, ready to hand to `Templates::with_funcs`.
pub fn funcs() -> FuncMap {
    let mut map = FuncMap::new();
    strings::register(&mut map);
    regex::register(&mut map);
    conv::register(&mut map);
    math::register(&mut map);
    lists::register(&mut map);
    dicts::register(&mut map);
    hashes::register(&mut map);
    paths::register(&mut map);
    semver::register(&mut map);
    dates::register(&mut map);
    cases::register(&mut map);
    urls::register(&mut map);
    aes::register(&mut map);
    password::register(&mut map);
    crypto::register(&mut map);
    map
}

/// Sprig's `strval`: strings and bytes as they are, anything else as fmt's `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => sprint(std::slice::from_ref(other)),
    }
}

/// cast's `trimZeroDecimal`: "10.00" → "10", anything else unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => return s,
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `cast.ToInt64`: numbers truncate, strings parse (base prefixes allowed), failures are 0.
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v.deref_object() {
        Value::Int(i) | Value::Int64(i) => i,
        Value::Float(f) => f as i64,
        Value::Bool(b) => i64::from(b),
        Value::String(s) => parse_int(trim_zero_decimal(&s)).unwrap_or(0),
        _ => 0,
    }
}

/// `cast.ToFloat64`: numbers widen, strings parse, failures are 0.
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v.deref_object() {
        Value::Int(i) | Value::Int64(i) => i as f64,
        Value::Float(f) => f,
        Value::Bool(b) => f64::from(u8::from(b)),
        Value::String(s) => parse_float(&s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// The elements of a list value (a named slice object's too), or None for a non-list.
pub(crate) fn list_items(v: &Value) -> Option<Vec<Value>> {
    match v.deref_object() {
        Value::List(l) => Some(l.snapshot()),
        _ => None,
    }
}

/// Sprig's `strslice`: a list's non-nil elements as strings; nil is empty; a scalar is one.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match list_items(v) {
        Some(items) => items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        None if v.is_nil() => Vec::new(),
        None => vec![strval(v)],
    }
}

/// Sprig's `empty`: nil, false, zero numbers, and empty strings, lists and maps.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.underlying().is_some_and(|u| is_empty(&u)),
        other => !other.is_true(),
    }
}

/// A `[]string` value.
pub(crate) fn string_list(items: impl IntoIterator<Item = String>) -> Value {
    Value::List(List::typed(
        ElemType::String,
        items.into_iter().map(Value::from).collect(),
    ))
}

/// The Go `reflect.Kind` name of a value (`kindOf`).
pub(crate) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Int64(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Bytes(_) | Value::List(_) => "slice",
        Value::Dict(_) => "map",
        Value::Object(o) => match o.underlying() {
            Some(Value::Dict(_)) => "map",
            Some(Value::List(_)) => "slice",
            _ if o.type_name().starts_with('*') => "ptr",
            _ => "struct",
        },
    }
}

/// A Go runtime panic or returned error, as a function error.
pub(crate) fn err(message: impl Into<String>) -> FuncError {
    FuncError::new(message)
}

#[cfg(test)]
mod tests;
