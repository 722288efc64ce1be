//! Why a schema document is not JSON, worded as Go's encoding/json decoder says it (what
//! Helm prints for a broken values.schema.json): `invalid character 'b' looking for
//! beginning of object key string`, `unexpected EOF`, `EOF`, and jsonschema's own
//! `invalid character after top-level value`.

use std::collections::HashMap;

/// Go's quoting of the offending character.
fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '"' => "'\"'".to_string(),
        '\\' => "'\\\\'".to_string(),
        '\n' => "'\\n'".to_string(),
        '\r' => "'\\r'".to_string(),
        '\t' => "'\\t'".to_string(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

struct Scanner<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    /// Bytes consumed so far.
    pos: usize,
    depth: usize,
    /// Where the scan is, as JSON pointer tokens.
    path: Vec<String>,
    /// Number literals as written, by JSON pointer.
    numbers: HashMap<String, String>,
    /// Byte spans of literals beyond float64 (Go keeps them; serde refuses them).
    huge: Vec<(usize, usize)>,
}

/// A scanned document: its number literals by pointer, and where the huge ones are.
pub struct Scanned {
    pub numbers: HashMap<String, String>,
    pub huge: Vec<(usize, usize)>,
}

type Res = Result<(), String>;

fn bad(c: char, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

const EOF: &str = "unexpected EOF";

impl Scanner<'_> {
    fn take(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn take_if(&mut self, f: impl FnOnce(&char) -> bool) -> Option<char> {
        let c = self.chars.next_if(f)?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn pointer(&self) -> String {
        self.path
            .iter()
            .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
            .collect()
    }

    fn ws(&mut self) {
        while self
            .take_if(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
            .is_some()
        {}
    }

    fn next(&mut self) -> Result<char, String> {
        self.take().ok_or_else(|| EOF.to_string())
    }

    fn value(&mut self) -> Res {
        // Go allows 10000 levels; the stack grows rather than overflows on the way there.
        stacker::maybe_grow(32 * 1024, 1024 * 1024, || self.value_inner())
    }

    fn value_inner(&mut self) -> Res {
        self.ws();
        let c = self.next()?;
        self.depth += 1;
        if self.depth > 10_000 {
            return Err("exceeded max depth".to_string());
        }
        let r = match c {
            '{' => self.object(),
            '[' => self.array(),
            '"' => self.string(),
            '-' | '0'..='9' => self.number(c),
            't' => self.literal("true"),
            'f' => self.literal("false"),
            'n' => self.literal("null"),
            c => Err(bad(c, "looking for beginning of value")),
        };
        self.depth -= 1;
        r
    }

    fn object(&mut self) -> Res {
        self.ws();
        if self.take_if(|c| *c == '}').is_some() {
            return Ok(());
        }
        loop {
            self.ws();
            let start = self.pos;
            match self.next()? {
                '"' => self.string()?,
                c => return Err(bad(c, "looking for beginning of object key string")),
            }
            let raw = self.text.get(start..self.pos).unwrap_or("");
            let key: String = serde_json::from_str(raw).unwrap_or_default();
            self.ws();
            match self.next()? {
                ':' => {}
                c => return Err(bad(c, "after object key")),
            }
            self.path.push(key);
            self.value()?;
            self.path.pop();
            self.ws();
            match self.next()? {
                ',' => continue,
                '}' => return Ok(()),
                c => return Err(bad(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Res {
        self.ws();
        if self.take_if(|c| *c == ']').is_some() {
            return Ok(());
        }
        let mut index = 0usize;
        loop {
            self.path.push(index.to_string());
            self.value()?;
            self.path.pop();
            index += 1;
            self.ws();
            match self.next()? {
                ',' => continue,
                ']' => return Ok(()),
                c => return Err(bad(c, "after array element")),
            }
        }
    }

    fn string(&mut self) -> Res {
        loop {
            match self.next()? {
                '"' => return Ok(()),
                '\\' => match self.next()? {
                    '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => {}
                    'u' => {
                        for _ in 0..4 {
                            let h = self.next()?;
                            if !h.is_ascii_hexdigit() {
                                return Err(bad(h, "in \\u hexadecimal character escape"));
                            }
                        }
                    }
                    c => return Err(bad(c, "in string escape code")),
                },
                c if (c as u32) < 0x20 => return Err(bad(c, "in string literal")),
                _ => {}
            }
        }
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while self.take_if(char::is_ascii_digit).is_some() {
            n += 1;
        }
        n
    }

    /// Requires one digit next, else Go's message for that spot.
    fn digit(&mut self, context: &str) -> Res {
        match self.take() {
            Some(c) if c.is_ascii_digit() => Ok(()),
            Some(c) => Err(bad(c, context)),
            None => Err(EOF.to_string()),
        }
    }

    fn number(&mut self, first: char) -> Res {
        let start = self.pos - first.len_utf8();
        self.number_body(first)?;
        let raw = self.text.get(start..self.pos).unwrap_or("").to_string();
        if raw.parse::<f64>().is_ok_and(f64::is_infinite) {
            self.huge.push((start, self.pos));
        }
        self.numbers.insert(self.pointer(), raw);
        Ok(())
    }

    fn number_body(&mut self, first: char) -> Res {
        let lead = if first == '-' {
            let c = self.next()?;
            if !c.is_ascii_digit() {
                return Err(bad(c, "in numeric literal"));
            }
            c
        } else {
            first
        };
        if lead != '0' {
            self.digits();
        }
        if self.take_if(|c| *c == '.').is_some() {
            self.digit("after decimal point in numeric literal")?;
            self.digits();
        }
        if self.take_if(|c| matches!(c, 'e' | 'E')).is_some() {
            self.take_if(|c| matches!(c, '+' | '-'));
            self.digit("in exponent of numeric literal")?;
            self.digits();
        }
        Ok(())
    }

    fn literal(&mut self, word: &str) -> Res {
        for want in word.chars().skip(1) {
            let c = self.next()?;
            if c != want {
                return Err(bad(
                    c,
                    &format!("in literal {word} (expecting {})", quote_char(want)),
                ));
            }
        }
        Ok(())
    }
}

/// Scans `data` as Go does: Go's error, or the document's number literals as written (by
/// JSON pointer), which jsonschema shows verbatim in messages.
pub fn scan(data: &[u8]) -> Result<Scanned, String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err("invalid character in string literal".to_string());
    };
    let mut s = Scanner {
        text,
        chars: text.chars().peekable(),
        pos: 0,
        depth: 0,
        path: Vec::new(),
        numbers: HashMap::new(),
        huge: Vec::new(),
    };
    s.ws();
    if s.chars.peek().is_none() {
        return Err("EOF".to_string());
    }
    s.value()?;
    s.ws();
    if s.chars.peek().is_some() {
        return Err("invalid character after top-level value".to_string());
    }
    Ok(Scanned {
        numbers: s.numbers,
        huge: s.huge,
    })
}

/// The text with literals beyond float64 replaced by the largest float64 of their sign, so
/// serde can read it; their exact values stay in the literal map.
pub fn clamp_huge(text: &str, huge: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for &(a, b) in huge {
        out.push_str(&text[last..a]);
        let neg = text[a..b].starts_with('-');
        out.push_str(if neg {
            "-1.7976931348623157e308"
        } else {
            "1.7976931348623157e308"
        });
        last = b;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    /// Go's verdict on `data` (None when Go accepts it).
    fn syntax_error(data: &[u8]) -> Option<String> {
        super::scan(data).err()
    }

    #[test]
    fn messages_follow_go() {
        let cases: &[(&str, Option<&str>)] = &[
            ("{}", None),
            ("", Some("EOF")),
            ("  ", Some("EOF")),
            (
                "{bad",
                Some("invalid character 'b' looking for beginning of object key string"),
            ),
            ("{\"a\" 1}", Some("invalid character '1' after object key")),
            (
                "{\"a\": 1 \"b\"}",
                Some("invalid character '\"' after object key:value pair"),
            ),
            ("[1 2]", Some("invalid character '2' after array element")),
            (
                "{\"a\": tru}",
                Some("invalid character '}' in literal true (expecting 'e')"),
            ),
            (
                "{\"a\": -x}",
                Some("invalid character 'x' in numeric literal"),
            ),
            (
                "{\"a\": 1.}",
                Some("invalid character '}' after decimal point in numeric literal"),
            ),
            ("{\"a\": \"x", Some("unexpected EOF")),
            ("{} x", Some("invalid character after top-level value")),
            (
                "{\"a\": 'x'}",
                Some("invalid character '\\'' looking for beginning of value"),
            ),
            (
                "{\"a\": \"\\q\"}",
                Some("invalid character 'q' in string escape code"),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(syntax_error(input.as_bytes()).as_deref(), *want, "{input}");
        }
    }

    #[test]
    fn number_literals_are_kept_as_written() {
        let numbers = super::scan(br#"{"enum": [1e3, 2.50], "a/b": {"c": -0}}"#)
            .expect("json")
            .numbers;
        assert_eq!(numbers.get("/enum/0").map(String::as_str), Some("1e3"));
        assert_eq!(numbers.get("/enum/1").map(String::as_str), Some("2.50"));
        assert_eq!(numbers.get("/a~1b/c").map(String::as_str), Some("-0"));
    }
}
