//! encoding/json's `Unmarshal` into `interface{}`, `map[string]interface{}` and
//! `[]interface{}`, with Go's exact syntax error texts (`invalid character 'x' looking for
//! beginning of value`, `unexpected end of JSON input`): Helm puts them into templates.

use super::Error;
use crate::template::{Dict, Value};

/// Deepest nesting accepted (encoding/json stops at 10000).
const MAX_DEPTH: usize = 10_000;

/// `json.Unmarshal` into `interface{}`: numbers float64, duplicate keys last wins.
pub fn from_json(text: &str) -> Result<Value, Error> {
    match decode(text)? {
        (v, None) => Ok(v),
        (_, Some(e)) => Err(e),
    }
}

/// Helm's `fromJson`: a map, with `Error` holding what went wrong. A number too large for
/// float64 leaves the rest decoded (its key nil), as encoding/json does.
pub(super) fn helm_map(text: &str) -> Dict {
    let (value, err) = match decode(text) {
        Ok((v, e)) => (v, e),
        Err(e) => (Value::Nil, Some(e)),
    };
    let d = match value {
        Value::Dict(d) => d,
        Value::Nil => Dict::new(),
        other => {
            let d = Dict::new();
            d.insert("Error", Value::from(type_error(&other, MAP).0));
            return d;
        }
    };
    if let Some(e) = err {
        d.insert("Error", Value::from(e.0));
    }
    d
}

const MAP: &str = "map[string]interface {}";

/// The decoded value and a deferred overflow error; `Err` for a syntax error.
fn decode(text: &str) -> Result<(Value, Option<Error>), Error> {
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
        overflow: None,
    };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.invalid("after top-level value"));
    }
    let overflow = p.overflow.map(|text| {
        Error::new(format!(
            "json: cannot unmarshal number {text} into Go value of type float64"
        ))
    });
    Ok((v, overflow))
}

/// `json.Unmarshal` into `map[string]interface{}` (null leaves it empty).
pub fn from_json_map(text: &str) -> Result<Dict, Error> {
    match from_json(text)? {
        Value::Nil => Ok(Dict::new()),
        Value::Dict(d) => Ok(d),
        other => Err(type_error(&other, MAP)),
    }
}

/// `json.Unmarshal` into `[]interface{}` (null leaves it empty).
pub fn from_json_array(text: &str) -> Result<Vec<Value>, Error> {
    match from_json(text)? {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) => Ok(l.snapshot()),
        other => Err(type_error(&other, "[]interface {}")),
    }
}

/// encoding/json's `UnmarshalTypeError` for a value of the wrong shape.
pub(super) fn type_error(found: &Value, target: &str) -> Error {
    let kind = match found {
        Value::Dict(_) => "object",
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    };
    Error::new(format!(
        "json: cannot unmarshal {kind} into Go value of type {target}"
    ))
}

/// encoding/json's `quoteChar`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => {
            let q = crate::template::quote(&char::from(c).to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
    /// The first number too large for float64: Go reports it only once the whole text
    /// passed the syntax check.
    overflow: Option<String>,
}

type Decoded = Value;

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Go's scanner ends input by feeding it a space: where a space is itself invalid the
    /// error names it, elsewhere the input just ended too soon.
    fn invalid(&self, context: &str) -> Error {
        let space_invalid = context.starts_with("in literal")
            || context.contains("numeric literal")
            || context.contains("escape");
        match self.peek() {
            None if space_invalid => Error::new(format!("invalid character ' ' {context}")),
            None => Error::new("unexpected end of JSON input"),
            Some(c) => Error::new(format!("invalid character {} {context}", quote_char(c))),
        }
    }

    fn value(&mut self) -> Result<Decoded, Error> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.value_inner())
    }

    fn value_inner(&mut self) -> Result<Decoded, Error> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Value::from),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Nil),
            _ => Err(self.invalid("looking for beginning of value")),
        }
    }

    fn nest(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.invalid("exceeded max depth"));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Decoded, Error> {
        self.nest()?;
        self.i += 1;
        self.ws();
        let d = Dict::new();
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Dict(d));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.invalid("looking for beginning of object key string"));
            }
            let key = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.invalid("after object key"));
            }
            self.i += 1;
            self.ws();
            let v = self.value()?;
            d.insert(key, v);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Dict(d));
                }
                _ => return Err(self.invalid("after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<Decoded, Error> {
        self.nest()?;
        self.i += 1;
        self.ws();
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::list(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::list(items));
                }
                _ => return Err(self.invalid("after array element")),
            }
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Decoded, Error> {
        for expect in word.bytes().skip(1) {
            self.i += 1;
            if self.peek() != Some(expect) {
                let ctx = format!("in literal {word} (expecting {})", quote_char(expect));
                return Err(self.invalid(&ctx));
            }
        }
        self.i += 1;
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Decoded, Error> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.invalid("in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.invalid("after decimal point in numeric literal"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.invalid("in exponent of numeric literal"));
            }
        }
        let text = String::from_utf8_lossy(&self.b[start..self.i]);
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => {
                self.overflow.get_or_insert_with(|| text.into_owned());
                Ok(Value::Nil)
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut n = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.invalid("in \\u hexadecimal character escape")),
            };
            n = n * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(n)
    }

    /// A string literal; the cursor is on its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.invalid("in string literal")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(c) if c < 0x20 => return Err(self.invalid("in string literal")),
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(&mut out)?;
                }
                Some(c) => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        let simple = match self.peek() {
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 8,
            Some(b'f') => 12,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                self.i += 1;
                let c = self.unicode_escape()?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                return Ok(());
            }
            _ => return Err(self.invalid("in string escape code")),
        };
        out.push(simple);
        self.i += 1;
        Ok(())
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate is U+FFFD as in Go.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or('\u{fffd}'));
        }
        if self.b.get(self.i..self.i + 2) == Some(b"\\u") {
            let save = self.i;
            self.i += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.i = save;
        }
        Ok('\u{fffd}')
    }
}
