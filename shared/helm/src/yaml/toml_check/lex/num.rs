//! The lexer's number, datetime, boolean and comment states.

use super::{EOF, Lexer, St, Ty, is_hex, is_nl, quote_rune};

impl Lexer<'_> {
    pub(super) fn number(&mut self, s: St) -> Option<St> {
        match s {
            St::NumberOrDateStart => {
                if self.next() == '0' {
                    return Some(St::BaseNumberOrDate);
                }
                Some(St::NumberOrDate)
            }
            St::NumberOrDate => {
                let r = self.next();
                if r.is_ascii_digit() {
                    return Some(St::NumberOrDate);
                }
                match r {
                    '-' | ':' => Some(St::Datetime),
                    '_' => Some(St::DecimalNumber),
                    '.' | 'e' | 'E' => Some(St::Float),
                    _ => self.finish(Ty::Integer),
                }
            }
            St::Datetime => {
                let r = self.next();
                if r.is_ascii_digit()
                    || matches!(r, '-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+')
                {
                    return Some(St::Datetime);
                }
                self.backup();
                let val = self.current().trim().to_string();
                self.items.push_back(super::Item {
                    ty: Ty::Datetime,
                    val,
                    line: self.line,
                });
                self.start = self.pos;
                self.pop()
            }
            St::HexInteger => self.digits(is_hex, St::HexInteger),
            St::OctalInteger => self.digits(|r| ('0'..='7').contains(&r), St::OctalInteger),
            St::BinaryInteger => self.digits(|r| r == '0' || r == '1', St::BinaryInteger),
            St::DecimalNumber => {
                let r = self.next();
                if r.is_ascii_digit() || r == '_' {
                    return Some(St::DecimalNumber);
                }
                if matches!(r, '.' | 'e' | 'E') {
                    return Some(St::Float);
                }
                self.finish(Ty::Integer)
            }
            St::DecimalNumberStart => self.decimal_start(),
            St::BaseNumberOrDate => self.base_number(),
            St::Float => {
                let r = self.next();
                if r.is_ascii_digit() || matches!(r, '_' | '.' | '-' | '+' | 'e' | 'E') {
                    return Some(St::Float);
                }
                self.finish(Ty::Float)
            }
            St::Bool => self.boolean(),
            St::CommentStart => {
                self.ignore();
                self.emit(Ty::CommentStart);
                Some(St::Comment)
            }
            _ => {
                let r = self.next();
                if is_nl(r) || r == EOF {
                    self.backup();
                    self.emit(Ty::Text);
                    return self.pop();
                }
                Some(St::Comment)
            }
        }
    }

    /// Backs up over the character that ended a number and emits it.
    fn finish(&mut self, ty: Ty) -> Option<St> {
        self.backup();
        self.emit(ty);
        self.pop()
    }

    fn digits(&mut self, ok: fn(char) -> bool, again: St) -> Option<St> {
        let r = self.next();
        if ok(r) || r == '_' {
            return Some(again);
        }
        self.finish(Ty::Integer)
    }

    fn decimal_start(&mut self) -> Option<St> {
        let r = self.next();
        match r {
            'i' | 'n' => {
                let rest = if r == 'i' { ['n', 'f'] } else { ['a', 'n'] };
                if !self.accept(rest[0]) || !self.accept(rest[1]) {
                    let cur = self.current().to_string();
                    return self.errorf(format!("invalid float: '{cur}'"));
                }
                self.emit(Ty::Float);
                return self.pop();
            }
            '0' => {
                let p = self.peek();
                if matches!(p, 'b' | 'o' | 'x') {
                    let cur = self.current().to_string();
                    return self.errorf(format!(
                        "cannot use sign with non-decimal numbers: '{cur}{p}'"
                    ));
                }
            }
            '.' => return self.errorf("floats must start with a digit, not '.'".into()),
            _ => {}
        }
        if r.is_ascii_digit() {
            return Some(St::DecimalNumber);
        }
        self.errorf(format!("expected a digit but got {}", quote_rune(r)))
    }

    fn base_number(&mut self) -> Option<St> {
        let r = self.next();
        if r.is_ascii_digit() {
            return Some(St::NumberOrDate);
        }
        let (ok, what, next): (fn(char) -> bool, &str, St) = match r {
            '_' => return Some(St::DecimalNumber),
            '.' | 'e' | 'E' => return Some(St::Float),
            'b' => (|r| r == '0' || r == '1', "binary", St::BinaryInteger),
            'o' => (|r| ('0'..='7').contains(&r), "octal", St::OctalInteger),
            'x' => (is_hex, "hexadecimal", St::HexInteger),
            _ => return self.finish(Ty::Integer),
        };
        let p = self.peek();
        if !ok(p) {
            // Go reports this and keeps lexing; the parser stops at the error first.
            let cur = self.current().to_string();
            let article = if what == "octal" { "an" } else { "a" };
            self.errorf(format!("not {article} {what} number: '{cur}{p}'"));
        }
        Some(next)
    }

    fn boolean(&mut self) -> Option<St> {
        let mut word = String::new();
        loop {
            let r = self.next();
            if !r.is_alphabetic() {
                self.backup();
                break;
            }
            word.push(r);
        }
        if word == "true" || word == "false" {
            self.emit(Ty::Bool);
            return self.pop();
        }
        let q = crate::template::strconv::quote(&word);
        self.errorf(format!("expected value but found {q} instead"))
    }
}
