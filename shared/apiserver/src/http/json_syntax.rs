//! JSON syntax errors in the words of Go's `encoding/json` scanner (`invalid character 'x'
//! looking for beginning of object key string`, `unexpected end of JSON input`), which a real
//! server quotes when a body does not parse.

use std::borrow::Cow;

/// Go's `quoteChar`: how the scanner shows an offending byte.
fn quote_char(c: u8) -> String {
    let inner = match c {
        b'\'' => "\\'".to_string(),
        b'"' => "\"".to_string(),
        b'\\' => "\\\\".to_string(),
        0x07 => "\\a".into(),
        0x08 => "\\b".into(),
        0x0c => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        0x0b => "\\v".into(),
        c if c < 0x20 || c == 0x7f => format!("\\x{c:02x}"),
        c if (0x80..=0xa0).contains(&c) || c == 0xad => format!("\\u00{c:02x}"),
        c => char::from(c).to_string(),
    };
    format!("'{inner}'")
}

/// A syntax error: the offending byte (or end of input) and what the scanner was doing.
struct Bad(Option<u8>, Cow<'static, str>);

fn bad(c: Option<u8>, context: &'static str) -> Bad {
    Bad(c, Cow::Borrowed(context))
}

impl Bad {
    fn message(&self) -> String {
        match self.0 {
            None => "unexpected end of JSON input".into(),
            Some(c) => format!("invalid character {} {}", quote_char(c), self.1),
        }
    }
}

struct Scanner<'a> {
    d: &'a [u8],
    i: usize,
    /// The strict decoder's path of the value being read (`spec.containers[0]`).
    path: String,
    /// Paths of keys seen twice in one object.
    duplicates: Vec<String>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.d.get(self.i).copied()
    }

    /// The next byte; at the end, a space (Go's scanner feeds one to finish a number or a
    /// literal, and reports the end where a space is allowed).
    fn next_or_space(&mut self) -> Option<u8> {
        let c = self.peek();
        self.i += 1;
        c
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<(), Bad> {
        self.ws();
        match self.peek() {
            None => Err(bad(None, "")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal(b"true", "in literal true (expecting '"),
            Some(b'f') => self.literal(b"false", "in literal false (expecting '"),
            Some(b'n') => self.literal(b"null", "in literal null (expecting '"),
            Some(c) => Err(bad(Some(c), "looking for beginning of value")),
        }
    }

    fn object(&mut self) -> Result<(), Bad> {
        self.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        let mut seen = std::collections::HashSet::new();
        let parent = self.path.len();
        loop {
            self.ws();
            let start = self.i;
            match self.peek() {
                Some(b'"') => self.string()?,
                c => return Err(bad(c, "looking for beginning of object key string")),
            }
            let key: String = serde_json::from_slice(&self.d[start..self.i]).unwrap_or_default();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&key);
            if !seen.insert(key) {
                self.duplicates.push(self.path.clone());
            }
            self.ws();
            match self.peek() {
                Some(b':') => self.i += 1,
                c => return Err(bad(c, "after object key")),
            }
            self.value()?;
            self.path.truncate(parent);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                c => return Err(bad(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<(), Bad> {
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        let parent = self.path.len();
        let mut index = 0;
        loop {
            self.path.push_str(&format!("[{index}]"));
            self.value()?;
            self.path.truncate(parent);
            index += 1;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                c => return Err(bad(c, "after array element")),
            }
        }
    }

    fn string(&mut self) -> Result<(), Bad> {
        self.i += 1;
        loop {
            match self.peek() {
                None => return Err(bad(None, "")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            self.i += 1;
                            for _ in 0..4 {
                                match self.peek() {
                                    Some(c) if c.is_ascii_hexdigit() => self.i += 1,
                                    None => return Err(bad(None, "")),
                                    c => {
                                        return Err(bad(c, "in \\u hexadecimal character escape"));
                                    }
                                }
                            }
                        }
                        None => return Err(bad(None, "")),
                        c => return Err(bad(c, "in string escape code")),
                    }
                }
                Some(c) if c < 0x20 => return Err(bad(Some(c), "in string literal")),
                Some(_) => self.i += 1,
            }
        }
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
    }

    fn number(&mut self) -> Result<(), Bad> {
        if self.peek() == Some(b'-') {
            self.i += 1;
            match self.peek() {
                Some(b'0'..=b'9') => {}
                c => return Err(bad(c.or(Some(b' ')), "in numeric literal")),
            }
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            match self.peek() {
                Some(b'0'..=b'9') => self.digits(),
                c => {
                    return Err(bad(
                        c.or(Some(b' ')),
                        "after decimal point in numeric literal",
                    ));
                }
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            match self.peek() {
                Some(b'0'..=b'9') => self.digits(),
                c => return Err(bad(c.or(Some(b' ')), "in exponent of numeric literal")),
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &[u8], context: &'static str) -> Result<(), Bad> {
        self.i += 1;
        for &want in &word[1..] {
            let c = self.next_or_space().unwrap_or(b' ');
            if c != want {
                let text = format!("{context}{}')", char::from(want));
                return Err(Bad(Some(c), Cow::Owned(text)));
            }
        }
        Ok(())
    }
}

/// Scans a whole document: the paths of duplicate keys, or Go's syntax error.
pub fn scan(data: &[u8]) -> Result<Vec<String>, String> {
    let mut s = Scanner {
        d: data,
        i: 0,
        path: String::new(),
        duplicates: Vec::new(),
    };
    let result = s.value().and_then(|()| {
        s.ws();
        match s.peek() {
            None => Ok(()),
            c => Err(bad(c, "after top-level value")),
        }
    });
    match result {
        Ok(()) => Ok(s.duplicates),
        Err(b) => Err(b.message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        scan(s.as_bytes()).err().unwrap_or_default()
    }

    #[test]
    fn messages_of_go_encoding_json() {
        assert_eq!(err(r#"{"a": [1, {"b": null}], "c": "x\u00e9"}"#), "");
        assert_eq!(
            err("{not json"),
            "invalid character 'n' looking for beginning of object key string"
        );
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(err("{\"a\""), "unexpected end of JSON input");
        assert_eq!(err("{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(
            err("{\"a\":1 \"b\"}"),
            "invalid character '\"' after object key:value pair"
        );
        assert_eq!(err("[1 2]"), "invalid character '2' after array element");
        assert_eq!(err("{} x"), "invalid character 'x' after top-level value");
        assert_eq!(
            err("tru"),
            "invalid character ' ' in literal true (expecting 'e')"
        );
        assert_eq!(
            err("nul!"),
            "invalid character '!' in literal null (expecting 'l')"
        );
        assert_eq!(err("-"), "invalid character ' ' in numeric literal");
        assert_eq!(
            err("1.x"),
            "invalid character 'x' after decimal point in numeric literal"
        );
        assert_eq!(err("\"a\tb\""), "invalid character '\\t' in string literal");
        assert_eq!(
            err("\"\\x\""),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(
            err("'a'"),
            "invalid character '\\'' looking for beginning of value"
        );
        assert_eq!(
            scan(br#"{"a": 1, "m": {"x": [{"k": 1, "k": 2}], "x": 0}, "a": 2}"#),
            Ok(vec![
                "m.x[0].k".to_string(),
                "m.x".to_string(),
                "a".to_string()
            ])
        );
    }
}
