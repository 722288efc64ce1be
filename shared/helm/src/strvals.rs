//! Helm's `--set` syntax (Go package `helm.sh/helm/v4/pkg/strvals`): `a.b=1,c[0].d=x,e={x,y}`,
//! with `--set-string` (no typing), `--set-file` (values read from files) and `--set-json`
//! (JSON values), parsed into a values map the way Helm parses it, errors included.
//!
//! Values are `serde_json` values with one convention shared by the whole crate: an integer
//! number is Go's `int64` (what `--set` produces), a float number is Go's `float64` (what YAML
//! and JSON values produce).

use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

/// Helm's limit on list indexes in `--set` keys.
pub const MAX_INDEX: usize = 65536;
/// Helm's limit on nested name levels (`a.b.c...`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// A `--set` expression Helm would reject, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Error(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, Error> {
    Err(Error(msg.into()))
}

/// How the values right of `=` become values.
enum Mode<'a> {
    /// `--set`: `true`, `false`, `null`, integers are typed; the rest are strings.
    Typed,
    /// `--set-string`: everything is a string.
    String,
    /// `--set-file`: the value is a path; the reader returns the file's content.
    File(&'a dyn Fn(&str) -> Result<String, String>),
    /// `--set-json`: the value is one JSON document.
    Json,
}

/// Parses `--set` data into a new map.
pub fn parse(s: &str) -> Result<Map<String, Value>, Error> {
    let mut data = Map::new();
    parse_into(s, &mut data)?;
    Ok(data)
}

/// Parses `--set` data into an existing map (Helm's `ParseInto`).
pub fn parse_into(s: &str, dest: &mut Map<String, Value>) -> Result<(), Error> {
    Parser::new(s, Mode::Typed).parse(dest)
}

/// Parses `--set-string` data into an existing map.
pub fn parse_into_string(s: &str, dest: &mut Map<String, Value>) -> Result<(), Error> {
    Parser::new(s, Mode::String).parse(dest)
}

/// Parses `--set-json` data (`key=<json>`) into an existing map.
pub fn parse_json(s: &str, dest: &mut Map<String, Value>) -> Result<(), Error> {
    Parser::new(s, Mode::Json).parse(dest)
}

/// Parses `--set-file` data; `reader` turns each path into the file's content.
pub fn parse_into_file(
    s: &str,
    dest: &mut Map<String, Value>,
    reader: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(), Error> {
    Parser::new(s, Mode::File(reader)).parse(dest)
}

/// Helm's `typedVal`: booleans and null case-insensitively, integers without a leading zero.
pub fn typed_val(v: &str) -> Value {
    if v.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if v == "0" {
        return Value::from(0i64);
    }
    if !v.is_empty()
        && !v.starts_with('0')
        && let Some(i) = go_parse_int(v)
    {
        return Value::from(i);
    }
    Value::from(v)
}

/// Go's `strconv.ParseInt(v, 10, 64)`: optional sign, decimal digits, no spaces.
fn go_parse_int(v: &str) -> Option<i64> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.strip_prefix('+').unwrap_or(v).parse().ok()
}

/// Why a scan stopped: at a stop rune, or at the end of input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    At(char),
    Eof,
}

/// Outcome of reading a `{a,b}` list value.
enum ListRead {
    List(Vec<Value>),
    NotList,
    Eof,
}

struct Parser<'a> {
    input: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
}

impl<'a> Parser<'a> {
    fn new(s: &str, mode: Mode<'a>) -> Self {
        Parser {
            input: s.chars().collect(),
            pos: 0,
            mode,
        }
    }

    fn parse(&mut self, data: &mut Map<String, Value>) -> Result<(), Error> {
        loop {
            match self.key(data, 0)? {
                true => continue,
                false => return Ok(()),
            }
        }
    }

    fn next(&mut self) -> Option<char> {
        let c = self.input.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Helm's `runesUntil`: reads up to a stop rune; a backslash takes the next rune as is.
    fn until(&mut self, stop: &[char]) -> (String, Stop) {
        let mut v = String::new();
        loop {
            match self.next() {
                None => return (v, Stop::Eof),
                Some(c) if stop.contains(&c) => return (v, Stop::At(c)),
                Some('\\') => match self.next() {
                    Some(n) => v.push(n),
                    None => return (v, Stop::Eof),
                },
                Some(c) => v.push(c),
            }
        }
    }

    /// Parses one `key=value`; `Ok(false)` when the input is exhausted.
    fn key(&mut self, data: &mut Map<String, Value>, level: usize) -> Result<bool, Error> {
        let (k, last) = self.until(&['=', '[', ',', '.']);
        match last {
            Stop::Eof if k.is_empty() => Ok(false),
            Stop::Eof => err(format!("key {k:?} has no value")),
            Stop::At('[') => {
                let i = self
                    .key_index()
                    .map_err(|e| Error(format!("error parsing index: {}", e.0)))?;
                let list = match data.get(&k) {
                    Some(Value::Array(items)) => items.clone(),
                    _ => Vec::new(),
                };
                let (list, res) = self.list_item(list, i, level);
                set(data, &k, Value::Array(list));
                res
            }
            Stop::At('=') => self.assign(data, &k),
            Stop::At(',') => {
                set(data, &k, Value::from(""));
                err(format!("key {k:?} has no value (cannot end with ,)"))
            }
            _ => self.nested(data, &k, level + 1),
        }
    }

    fn nested(
        &mut self,
        data: &mut Map<String, Value>,
        k: &str,
        level: usize,
    ) -> Result<bool, Error> {
        if level > MAX_NESTED_NAME_LEVEL {
            return err(format!(
                "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
            ));
        }
        let mut inner = match data.get(k) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let res = self.key(&mut inner, level);
        if matches!(res, Ok(true)) && inner.is_empty() {
            return err(format!("key map {k:?} has no value"));
        }
        if !inner.is_empty() {
            set(data, k, Value::Object(inner));
        }
        res
    }

    /// The value after `key=`.
    fn assign(&mut self, data: &mut Map<String, Value>, k: &str) -> Result<bool, Error> {
        if matches!(self.mode, Mode::Json) {
            let v = self.json_value()?;
            set(data, k, v);
            return Ok(true);
        }
        match self.val_list()? {
            ListRead::List(items) => {
                set(data, k, Value::Array(items));
                Ok(true)
            }
            ListRead::Eof => {
                set(data, k, Value::from(""));
                Ok(false)
            }
            ListRead::NotList => {
                let (rs, _) = self.until(&[',']);
                let v = self.read(&rs)?;
                set(data, k, v);
                Ok(true)
            }
        }
    }

    /// A JSON document at the cursor (empty means null), then optional blanks and a comma.
    fn json_value(&mut self) -> Result<Value, Error> {
        if self.empty_val() {
            return Ok(Value::Null);
        }
        let rest: String = self.input[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<Value>();
        let v = match stream.next() {
            Some(Ok(v)) => v,
            Some(Err(e)) => return err(e.to_string()),
            None => return err("unexpected EOF"),
        };
        let used = rest[..stream.byte_offset()].chars().count();
        self.pos += used;
        self.empty_val();
        Ok(float_numbers(v))
    }

    /// Skips blanks; true at the end of input or after a comma (Helm's `emptyVal`).
    fn empty_val(&mut self) -> bool {
        loop {
            match self.next() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.pos -= 1;
                    return false;
                }
            }
        }
    }

    fn read(&self, rs: &str) -> Result<Value, Error> {
        match self.mode {
            Mode::Typed | Mode::Json => Ok(typed_val(rs)),
            Mode::String => Ok(Value::from(rs)),
            Mode::File(reader) => reader(rs).map(Value::from).map_err(Error),
        }
    }

    /// Helm's `valList`: `{a,b,c}`.
    fn val_list(&mut self) -> Result<ListRead, Error> {
        match self.next() {
            None => return Ok(ListRead::Eof),
            Some('{') => {}
            Some(_) => {
                self.pos -= 1;
                return Ok(ListRead::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                Stop::Eof => return err("list must terminate with '}'"),
                Stop::At('}') => {
                    if let Some(c) = self.next()
                        && c != ','
                    {
                        self.pos -= 1;
                    }
                    list.push(self.read(&rs)?);
                    return Ok(ListRead::List(list));
                }
                _ => list.push(self.read(&rs)?),
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, Error> {
        let (v, last) = self.until(&[']']);
        if last == Stop::Eof {
            return err("EOF");
        }
        go_atoi(&v)
    }

    /// Helm's `listItem`: what follows `name[i]`. Returns the list even on error, as Helm
    /// stores it before reporting.
    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Result<bool, Error>) {
        if i < 0 {
            return (list, err(format!("negative {i} index not allowed")));
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                err(format!("unexpected data at end of array index: {k:?}")),
            );
        }
        match last {
            Stop::Eof => (list, Ok(false)),
            Stop::At('=') => self.list_assign(list, i),
            Stop::At('[') => {
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, err(format!("error parsing index: {}", e.0))),
                };
                let current = match list.get(i as usize) {
                    Some(Value::Array(items)) => items.clone(),
                    _ => Vec::new(),
                };
                let (inner, res) = self.list_item(current, next_i, level);
                // Helm keeps the outer list unchanged when the inner item ended the input.
                if !matches!(res, Ok(true)) {
                    return (list, res);
                }
                set_index(list, i, Value::Array(inner), res)
            }
            _ => {
                let mut inner = match list.get(i as usize) {
                    Some(Value::Object(m)) => m.clone(),
                    _ => Map::new(),
                };
                let res = self.key(&mut inner, level);
                if !matches!(res, Ok(true)) {
                    return (list, res);
                }
                set_index(list, i, Value::Object(inner), res)
            }
        }
    }

    fn list_assign(&mut self, list: Vec<Value>, i: i64) -> (Vec<Value>, Result<bool, Error>) {
        if matches!(self.mode, Mode::Json) {
            return match self.json_value() {
                Ok(v) => set_index(list, i, v, Ok(true)),
                Err(e) => (list, Err(e)),
            };
        }
        match self.val_list() {
            Err(e) => (list, Err(e)),
            Ok(ListRead::List(items)) => set_index(list, i, Value::Array(items), Ok(true)),
            Ok(ListRead::Eof) => set_index(list, i, Value::from(""), Ok(false)),
            Ok(ListRead::NotList) => {
                let (rs, _) = self.until(&[',']);
                match self.read(&rs) {
                    Ok(v) => set_index(list, i, v, Ok(true)),
                    Err(e) => (list, Err(e)),
                }
            }
        }
    }
}

/// Go's `strconv.Atoi` with its error text.
fn go_atoi(v: &str) -> Result<i64, Error> {
    go_parse_int(v).ok_or_else(|| {
        let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
        let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        Error(format!("strconv.Atoi: parsing {v:?}: {reason}"))
    })
}

fn set(data: &mut Map<String, Value>, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), val);
    }
}

/// Helm's `setIndex`: grows the list with nulls; bounded by [`MAX_INDEX`].
fn set_index(
    mut list: Vec<Value>,
    index: i64,
    val: Value,
    res: Result<bool, Error>,
) -> (Vec<Value>, Result<bool, Error>) {
    if index < 0 {
        return (list, err(format!("negative {index} index not allowed")));
    }
    if index as usize > MAX_INDEX {
        return (
            list,
            err(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            )),
        );
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Null);
    }
    list[i] = val;
    (list, res)
}

/// JSON numbers are Go `float64` once decoded into `interface{}`.
pub fn float_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.into_iter().map(float_numbers).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, float_numbers(v))).collect())
        }
        other => other,
    }
}
