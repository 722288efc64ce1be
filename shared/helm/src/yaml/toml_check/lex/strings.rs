//! The lexer's string states: basic and literal strings, single- and multi-line, and
//! escapes, with BurntSushi/toml's error texts.

use super::{EOF, Lexer, St, Ty, is_hex, is_nl};

impl Lexer<'_> {
    pub(super) fn string(&mut self) -> Option<St> {
        match self.next() {
            EOF => self.errorf("unexpected EOF; expected '\"'".into()),
            r if is_nl(r) => self.error_prev_line("strings cannot contain newlines".into()),
            '\\' => {
                self.stack.push(St::Str);
                Some(St::StrEscape)
            }
            '"' => {
                self.backup();
                let ty = if self.esc { Ty::StrEsc } else { Ty::Str };
                self.esc = false;
                self.emit(ty);
                self.next();
                self.ignore();
                self.pop()
            }
            _ => Some(St::Str),
        }
    }

    pub(super) fn multi_string(&mut self) -> Option<St> {
        match self.next() {
            EOF => self.errorf("unexpected EOF; expected '\"\"\"'".into()),
            '\\' => Some(St::MultiStrEscape),
            '"' => self.close_multi('"', St::MultiStr, Ty::MultiStr),
            _ => Some(St::MultiStr),
        }
    }

    pub(super) fn raw_string(&mut self) -> Option<St> {
        match self.next() {
            EOF => self.errorf("unexpected EOF; expected \"'\"".into()),
            r if is_nl(r) => self.error_prev_line("strings cannot contain newlines".into()),
            '\'' => {
                self.backup();
                self.emit(Ty::RawStr);
                self.next();
                self.ignore();
                self.pop()
            }
            _ => Some(St::RawStr),
        }
    }

    pub(super) fn raw_multi_string(&mut self) -> Option<St> {
        match self.next() {
            EOF => self.errorf("unexpected EOF; expected \"'''\"".into()),
            '\'' => self.close_multi('\'', St::RawMultiStr, Ty::RawMultiStr),
            _ => Some(St::RawMultiStr),
        }
    }

    /// After one quote of a multi-line string: two more close it, unless a fourth follows.
    pub(super) fn close_multi(&mut self, q: char, again: St, ty: Ty) -> Option<St> {
        if self.accept(q) {
            if self.accept(q) {
                if self.peek() == q {
                    let five: String = std::iter::repeat_n(q, 5).collect();
                    let cur = self.current();
                    let escaped = q == '"' && cur.ends_with(&format!("\\{five}"));
                    if cur.ends_with(&five) && !escaped {
                        let six: String = std::iter::repeat_n(q, 6).collect();
                        return self.errorf(if q == '"' {
                            format!("unexpected '{six}'")
                        } else {
                            format!("unexpected \"{six}\"")
                        });
                    }
                    self.backup();
                    self.backup();
                    return Some(again);
                }
                self.backup();
                self.backup();
                self.backup();
                self.esc = false;
                self.emit(ty);
                self.next();
                self.next();
                self.next();
                self.ignore();
                return self.pop();
            }
            self.backup();
        }
        Some(again)
    }

    pub(super) fn string_escape(&mut self) -> Option<St> {
        self.esc = true;
        match self.next() {
            'e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\' => self.pop(),
            'x' => Some(St::Hex(2)),
            'u' => Some(St::Hex(4)),
            'U' => Some(St::Hex(8)),
            r => self.error(format!("invalid escape in string '\\{r}'")),
        }
    }

    pub(super) fn hex_escape(&mut self, n: usize) -> Option<St> {
        for _ in 0..n {
            if !is_hex(self.next()) {
                let (what, esc) = match n {
                    2 => ("two", "x"),
                    4 => ("four", "u"),
                    _ => ("eight", "U"),
                };
                let cur = crate::template::strconv::quote(self.current());
                return self.errorf(format!(
                    "expected {what} hexadecimal digits after '\\{esc}', but got {cur} instead"
                ));
            }
        }
        self.pop()
    }
}
