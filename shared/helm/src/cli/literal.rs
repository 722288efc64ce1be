//! `--set-literal` (Helm's `strvals.ParseLiteralInto`): the key path is parsed as for
//! `--set`, but the value is everything after the first `=`, kept as a string, commas and
//! all.

use serde_json::{Map, Value};

const MAX_INDEX: usize = 65536;
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Why a `--set-literal` did not parse, worded as Helm's parser words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LiteralError(pub String);

/// The input ran out: a complete, successful parse.
const EOF: &str = "EOF";

struct Scanner {
    chars: Vec<char>,
    at: usize,
}

impl Scanner {
    /// Runes up to a stop rune (consumed); `None` as the stop when the input ended.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        while let Some(&c) = self.chars.get(self.at) {
            self.at += 1;
            if stop.contains(&c) {
                return (out, Some(c));
            }
            out.push(c);
        }
        (out, None)
    }
}

fn err(s: impl Into<String>) -> LiteralError {
    LiteralError(s.into())
}

/// Parses one `--set-literal` argument into `dest`.
pub fn parse_literal_into(s: &str, dest: &mut Map<String, Value>) -> Result<(), LiteralError> {
    let mut sc = Scanner {
        chars: s.chars().collect(),
        at: 0,
    };
    loop {
        match key(&mut sc, dest, 0) {
            Ok(()) => continue,
            Err(e) if e.0 == EOF => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

fn set(data: &mut Map<String, Value>, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), val);
    }
}

fn type_panic(found: &Value, want: &str) -> LiteralError {
    let have = match found {
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
        _ => "nil",
    };
    err(format!(
        "unable to parse key: interface conversion: interface {{}} is {have}, not {want}"
    ))
}

fn key(sc: &mut Scanner, data: &mut Map<String, Value>, level: usize) -> Result<(), LiteralError> {
    let (k, last) = sc.until(&['=', '[', '.']);
    match last {
        None if k.is_empty() => Err(err(EOF)),
        None => Err(err(format!("key {k:?} has no value"))),
        Some('=') => {
            let (value, _) = sc.until(&[]);
            set(data, &k, Value::String(value));
            Ok(())
        }
        Some('.') => {
            let level = level + 1;
            if level > MAX_NESTED_NAME_LEVEL {
                return Err(err(format!(
                    "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                )));
            }
            let mut inner = match data.get(&k) {
                None => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                Some(other) => return Err(type_panic(other, "map[string]interface {}")),
            };
            let res = key(sc, &mut inner, level);
            if res.is_ok() && inner.is_empty() {
                return Err(err(format!("key map {k:?} has no value")));
            }
            if !inner.is_empty() {
                set(data, &k, Value::Object(inner));
            }
            res
        }
        Some(_) => {
            let i = key_index(sc)?;
            let list = match data.get(&k) {
                None => Vec::new(),
                Some(Value::Array(l)) => l.clone(),
                Some(other) => return Err(type_panic(other, "[]interface {}")),
            };
            let (list, res) = list_item(sc, list, i, level);
            set(data, &k, Value::Array(list));
            res
        }
    }
}

fn key_index(sc: &mut Scanner) -> Result<i64, LiteralError> {
    let (v, last) = sc.until(&[']']);
    if last.is_none() {
        return Err(err(format!("error parsing index: {EOF}")));
    }
    v.parse::<i64>().map_err(|_| {
        err(format!(
            "error parsing index: strconv.Atoi: parsing {v:?}: invalid syntax"
        ))
    })
}

fn set_index(mut list: Vec<Value>, i: i64, val: Value) -> (Vec<Value>, Result<(), LiteralError>) {
    if i < 0 {
        return (list, Err(err(format!("negative {i} index not allowed"))));
    }
    let idx = i as usize;
    if idx > MAX_INDEX {
        return (
            list,
            Err(err(format!(
                "index of {i} is greater than maximum supported index of {MAX_INDEX}"
            ))),
        );
    }
    if list.len() <= idx {
        list.resize(idx + 1, Value::Null);
    }
    list[idx] = val;
    (list, Ok(()))
}

fn list_item(
    sc: &mut Scanner,
    list: Vec<Value>,
    i: i64,
    level: usize,
) -> (Vec<Value>, Result<(), LiteralError>) {
    if i < 0 {
        return (list, Err(err(format!("negative {i} index not allowed"))));
    }
    let (k, last) = sc.until(&['[', '.', '=']);
    if !k.is_empty() {
        return (
            list,
            Err(err(format!("unexpected data at end of array index: {k:?}"))),
        );
    }
    match last {
        None => (list, Err(err(EOF))),
        Some('=') => {
            let (value, _) = sc.until(&[]);
            set_index(list, i, Value::String(value))
        }
        Some('.') => {
            let mut inner = match list.get(i as usize) {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            };
            if let Err(e) = key(sc, &mut inner, level) {
                return (list, Err(e));
            }
            set_index(list, i, Value::Object(inner))
        }
        Some(_) => {
            let next = match key_index(sc) {
                Ok(n) => n,
                Err(e) => return (list, Err(e)),
            };
            let current = match list.get(i as usize) {
                Some(Value::Array(l)) => l.clone(),
                _ => Vec::new(),
            };
            let (inner, res) = list_item(sc, current, next, level);
            if let Err(e) = res {
                return (list, Err(e));
            }
            set_index(list, i, Value::Array(inner))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_helm_parse_literal() {
        let cases: &[(&str, Result<Value, &str>)] = &[
            ("a=b,c=d", Ok(serde_json::json!({"a": "b,c=d"}))),
            ("a.b=1", Ok(serde_json::json!({"a": {"b": "1"}}))),
            ("a=", Ok(serde_json::json!({"a": ""}))),
            ("l[1]=x", Ok(serde_json::json!({"l": [null, "x"]}))),
            ("l[0].k=true", Ok(serde_json::json!({"l": [{"k": "true"}]}))),
            ("l[0][1]=z", Ok(serde_json::json!({"l": [[null, "z"]]}))),
            ("a=b=c", Ok(serde_json::json!({"a": "b=c"}))),
            ("", Ok(serde_json::json!({}))),
            ("a", Err("key \"a\" has no value")),
            (
                "l[x]=1",
                Err("error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"),
            ),
            ("l[-1]=1", Err("negative -1 index not allowed")),
            (
                "l[0]x=1",
                Err("unexpected data at end of array index: \"x\""),
            ),
        ];
        for (input, want) in cases {
            let mut dest = Map::new();
            let got = parse_literal_into(input, &mut dest).map(|_| Value::Object(dest));
            assert_eq!(
                got.map_err(|e| e.0),
                want.clone().map_err(str::to_string),
                "{input}"
            );
        }
    }
}
