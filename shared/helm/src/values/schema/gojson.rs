//! Why a schema document is not JSON, worded as Go's encoding/json decoder says it (what
//! Helm prints for a broken values.schema.json): `invalid character 'b' looking for
//! beginning of object key string`, `unexpected EOF`, `EOF`, and jsonschema's own
//! `invalid character after top-level value`.

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
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    depth: usize,
}

type Res = Result<(), String>;

fn bad(c: char, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

const EOF: &str = "unexpected EOF";

impl Scanner<'_> {
    fn ws(&mut self) {
        while self
            .chars
            .next_if(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
            .is_some()
        {}
    }

    fn next(&mut self) -> Result<char, String> {
        self.chars.next().ok_or_else(|| EOF.to_string())
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
        if self.chars.next_if_eq(&'}').is_some() {
            return Ok(());
        }
        loop {
            self.ws();
            match self.next()? {
                '"' => self.string()?,
                c => return Err(bad(c, "looking for beginning of object key string")),
            }
            self.ws();
            match self.next()? {
                ':' => {}
                c => return Err(bad(c, "after object key")),
            }
            self.value()?;
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
        if self.chars.next_if_eq(&']').is_some() {
            return Ok(());
        }
        loop {
            self.value()?;
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
        while self.chars.next_if(char::is_ascii_digit).is_some() {
            n += 1;
        }
        n
    }

    /// Requires one digit next, else Go's message for that spot.
    fn digit(&mut self, context: &str) -> Res {
        match self.chars.next() {
            Some(c) if c.is_ascii_digit() => Ok(()),
            Some(c) => Err(bad(c, context)),
            None => Err(EOF.to_string()),
        }
    }

    fn number(&mut self, first: char) -> Res {
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
        if self.chars.next_if_eq(&'.').is_some() {
            self.digit("after decimal point in numeric literal")?;
            self.digits();
        }
        if self.chars.next_if(|c| matches!(c, 'e' | 'E')).is_some() {
            self.chars.next_if(|c| matches!(c, '+' | '-'));
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

/// Go's verdict on `data` as one JSON document (None when Go would accept it).
pub fn syntax_error(data: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Some("invalid character in string literal".to_string());
    };
    let mut s = Scanner {
        chars: text.chars().peekable(),
        depth: 0,
    };
    s.ws();
    if s.chars.peek().is_none() {
        return Some("EOF".to_string());
    }
    if let Err(e) = s.value() {
        return Some(e);
    }
    s.ws();
    if s.chars.peek().is_some() {
        return Some("invalid character after top-level value".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::syntax_error;

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
}
