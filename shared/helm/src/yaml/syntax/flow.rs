//! libyaml's scanners for flow (quoted) and plain scalars, with its error texts and its
//! way of building their values: escapes, and the folding of blanks and line breaks.

use fluxion_kustomize::yaml::Style;

use super::reader::{Input, is_blank, is_blank_byte, is_blankz, is_break, is_z};
use super::scanner::{Kind, Scanner, Token, text};
use super::{Mark, Res};

impl Scanner<'_> {
    pub(super) fn scan_flow_scalar(&mut self, single: bool) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        let mut s = Vec::new();
        let mut breaks = Breaks::default();
        loop {
            self.input.cache(4)?;
            if self.document_indicator_here() {
                return Err(self.error(start, "found unexpected document indicator"));
            }
            if is_z(&self.input, 0) {
                return Err(self.error(start, "found unexpected end of stream"));
            }
            let mut leading_blanks = false;
            while !is_blankz(&self.input, 0) {
                let c = self.at(0);
                if single && c == b'\'' && self.at(1) == b'\'' {
                    s.push(b'\'');
                    self.input.skip();
                    self.input.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    break;
                } else if !single && c == b'\\' && is_break(&self.input, 1) {
                    self.input.cache(3)?;
                    self.input.skip();
                    self.input.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == b'\\' {
                    self.escape(start, &mut s)?;
                } else {
                    self.input.read(&mut s);
                }
                self.input.cache(2)?;
            }
            self.input.cache(1)?;
            if self.at(0) == if single { b'\'' } else { b'"' } {
                break;
            }
            while is_blank(&self.input, 0) || is_break(&self.input, 0) {
                if is_blank(&self.input, 0) {
                    breaks.blank(&mut self.input, leading_blanks);
                } else {
                    self.input.cache(2)?;
                    breaks.line(&mut self.input, &mut leading_blanks);
                }
                self.input.cache(1)?;
            }
            breaks.join(&mut s, leading_blanks);
        }
        self.input.skip();
        let mut t = Token::new(Kind::Scalar, start, self.input.mark);
        t.value = text(s);
        t.style = if single {
            Style::SingleQuoted
        } else {
            Style::DoubleQuoted
        };
        Ok(t)
    }

    /// One backslash escape of a double-quoted scalar, decoded into `out`.
    fn escape(&mut self, start: Mark, out: &mut Vec<u8>) -> Res<()> {
        let simple: &[u8] = match self.at(1) {
            b'0' => b"\0",
            b'a' => b"\x07",
            b'b' => b"\x08",
            b't' | b'\t' => b"\t",
            b'n' => b"\n",
            b'v' => b"\x0B",
            b'f' => b"\x0C",
            b'r' => b"\r",
            b'e' => b"\x1B",
            b' ' => b" ",
            b'"' => b"\"",
            b'\'' => b"'",
            b'\\' => b"\\",
            b'N' => "\u{85}".as_bytes(),
            b'_' => "\u{A0}".as_bytes(),
            b'L' => "\u{2028}".as_bytes(),
            b'P' => "\u{2029}".as_bytes(),
            b'x' | b'u' | b'U' => b"",
            _ => {
                return Err(self.error(start, "found unknown escape character"));
            }
        };
        let code_length = match self.at(1) {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => 0,
        };
        out.extend_from_slice(simple);
        self.input.skip();
        self.input.skip();
        if code_length > 0 {
            self.input.cache(code_length)?;
            let mut value: u32 = 0;
            for k in 0..code_length {
                let Some(d) = (self.at(k) as char).to_digit(16) else {
                    return Err(self.error(start, "did not find expected hexdecimal number"));
                };
                value = (value << 4) + d;
            }
            let Some(c) = char::from_u32(value) else {
                return Err(self.error(start, "found invalid Unicode character escape code"));
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            for _ in 0..code_length {
                self.input.skip();
            }
        }
        Ok(())
    }

    pub(super) fn scan_plain_scalar(&mut self) -> Res<Token> {
        let indent = self.indent + 1;
        let start = self.input.mark;
        let mut end = start;
        let mut s = Vec::new();
        let mut breaks = Breaks::default();
        let mut leading_blanks = false;
        loop {
            self.input.cache(4)?;
            if self.document_indicator_here() || self.at(0) == b'#' {
                break;
            }
            // The run of non-blank characters is copied in one piece once it ends.
            let run = self.input.pos;
            while !is_blankz(&self.input, 0) {
                let c = self.at(0);
                if (c == b':' && is_blankz(&self.input, 1))
                    || (self.flow_level > 0 && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if leading_blanks || !breaks.whitespaces.is_empty() {
                    breaks.join(&mut s, leading_blanks);
                    leading_blanks = false;
                }
                self.input.skip();
                self.input.skip_plain_ascii(|b| {
                    matches!(b, b':' | b',' | b'?' | b'[' | b']' | b'{' | b'}')
                });
                end = self.input.mark;
                self.input.cache(2)?;
            }
            s.extend_from_slice(self.input.since(run));
            if !(is_blank(&self.input, 0) || is_break(&self.input, 0)) {
                break;
            }
            self.input.cache(1)?;
            while is_blank(&self.input, 0) || is_break(&self.input, 0) {
                if is_blank_byte(self.at(0)) {
                    if leading_blanks
                        && (self.input.mark.column as isize) < indent
                        && self.at(0) == b'\t'
                    {
                        return Err(
                            self.error(start, "found a tab character that violates indentation")
                        );
                    }
                    breaks.blank(&mut self.input, leading_blanks);
                } else {
                    self.input.cache(2)?;
                    breaks.line(&mut self.input, &mut leading_blanks);
                }
                self.input.cache(1)?;
            }
            if self.flow_level == 0 && (self.input.mark.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        let mut t = Token::new(Kind::Scalar, start, end);
        t.value = text(s);
        Ok(t)
    }
}

/// The blanks and line breaks between two runs of a flow or plain scalar, and how libyaml
/// joins them: blanks within a line are kept, a single line break folds to a space, and
/// each further break is kept (LS and PS are never folded).
#[derive(Default)]
struct Breaks {
    whitespaces: Vec<u8>,
    leading_break: Vec<u8>,
    trailing_breaks: Vec<u8>,
}

impl Breaks {
    /// A blank: kept while no line break has been seen, skipped after one.
    fn blank(&mut self, input: &mut Input<'_>, leading_blanks: bool) {
        if leading_blanks {
            input.skip();
        } else {
            input.read(&mut self.whitespaces);
        }
    }

    /// A line break: the first drops the blanks before it.
    fn line(&mut self, input: &mut Input<'_>, leading_blanks: &mut bool) {
        if *leading_blanks {
            input.read_line(&mut self.trailing_breaks);
        } else {
            self.whitespaces.clear();
            input.read_line(&mut self.leading_break);
            *leading_blanks = true;
        }
    }

    /// Appends what the gap reads as to `s`.
    fn join(&mut self, s: &mut Vec<u8>, leading_blanks: bool) {
        if !leading_blanks {
            s.append(&mut self.whitespaces);
            return;
        }
        if self.leading_break.first() == Some(&b'\n') {
            if self.trailing_breaks.is_empty() {
                s.push(b' ');
            } else {
                s.extend_from_slice(&self.trailing_breaks);
            }
        } else {
            s.extend_from_slice(&self.leading_break);
            s.extend_from_slice(&self.trailing_breaks);
        }
        self.leading_break.clear();
        self.trailing_breaks.clear();
    }
}
