//! BurntSushi/toml's lexer (v1.6), pulled one item at a time: its states, its lookahead of
//! up to four characters, and its error texts and line numbers.

use std::collections::VecDeque;

mod collections;
mod num;
mod strings;

const EOF: char = '\0';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Error,
    Eof,
    Text,
    Str,
    StrEsc,
    RawStr,
    MultiStr,
    RawMultiStr,
    Bool,
    Integer,
    Float,
    Datetime,
    Array,
    ArrayEnd,
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    KeyStart,
    KeyEnd,
    CommentStart,
    InlineTableStart,
    InlineTableEnd,
}

#[derive(Debug, Clone)]
pub(super) struct Item {
    pub ty: Ty,
    pub val: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Top,
    TopEnd,
    TableStart,
    TableEnd,
    ArrayTableEnd,
    TableNameStart,
    TableNameEnd,
    BareName,
    QuotedName,
    KeyStart,
    KeyNameStart,
    KeyEnd,
    Value,
    ArrayValue,
    ArrayValueEnd,
    ArrayEnd,
    InlineTableValue,
    InlineTableValueEnd,
    InlineTableEnd,
    Str,
    MultiStr,
    RawStr,
    RawMultiStr,
    MultiStrEscape,
    StrEscape,
    Hex(usize),
    NumberOrDateStart,
    NumberOrDate,
    Datetime,
    HexInteger,
    OctalInteger,
    BinaryInteger,
    DecimalNumber,
    DecimalNumberStart,
    BaseNumberOrDate,
    Float,
    Bool,
    CommentStart,
    Comment,
}

pub(super) struct Lexer<'a> {
    input: &'a str,
    start: usize,
    pos: usize,
    line: usize,
    state: Option<St>,
    items: VecDeque<Item>,
    esc: bool,
    prev: [usize; 4],
    nprev: usize,
    at_eof: bool,
    stack: Vec<St>,
}

/// Go's `%q` of a rune (`strconv.QuoteRune`: what `unicode.IsPrint` rejects is escaped).
pub(super) fn quote_rune(r: char) -> String {
    crate::template::strconv::quote_rune(r, false)
}

fn is_ws(r: char) -> bool {
    r == '\t' || r == ' '
}
fn is_nl(r: char) -> bool {
    r == '\n' || r == '\r'
}
fn is_hex(r: char) -> bool {
    r.is_ascii_hexdigit()
}
pub(super) fn is_bare(r: char) -> bool {
    r.is_ascii_alphanumeric() || r == '_' || r == '-'
}
fn is_control(r: char) -> bool {
    !matches!(r, '\t' | '\r' | '\n') && ((r as u32) <= 0x1f || r as u32 == 0x7f)
}

impl<'a> Lexer<'a> {
    pub(super) fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            start: 0,
            pos: 0,
            line: 1,
            state: Some(St::Top),
            items: VecDeque::new(),
            esc: false,
            prev: [0; 4],
            nprev: 0,
            at_eof: false,
            stack: Vec::new(),
        }
    }

    /// The next item, running states until one is ready.
    pub(super) fn next_item(&mut self) -> Item {
        loop {
            if let Some(it) = self.items.pop_front() {
                return it;
            }
            match self.state {
                Some(s) => self.state = self.step(s),
                // A stopped lexer keeps answering EOF, as a closed Go lexer never returns.
                None => {
                    return Item {
                        ty: Ty::Eof,
                        val: String::new(),
                        line: self.line,
                    };
                }
            }
        }
    }

    fn pop(&mut self) -> Option<St> {
        self.stack.pop()
    }

    fn current(&self) -> &'a str {
        &self.input[self.start.min(self.pos)..self.pos]
    }

    fn emit(&mut self, ty: Ty) {
        let val = self.current().to_string();
        self.items.push_back(Item {
            ty,
            val,
            line: self.line,
        });
        self.start = self.pos;
    }

    fn next(&mut self) -> char {
        if self.pos >= self.input.len() {
            self.at_eof = true;
            return EOF;
        }
        let bytes = self.input.as_bytes();
        if bytes[self.pos] == b'\n' {
            self.line += 1;
        }
        self.prev = [0, self.prev[0], self.prev[1], self.prev[2]];
        if self.nprev < 4 {
            self.nprev += 1;
        }
        let r = self.input[self.pos..].chars().next().unwrap_or(EOF);
        let lone_cr = r == '\r' && bytes.get(self.pos + 1) != Some(&b'\n');
        if is_control(r) || lone_cr {
            self.push_error(
                self.line,
                format!(
                    "TOML files cannot contain control characters: '0x{:02x}'",
                    r as u32
                ),
            );
            return '\u{FFFD}';
        }
        self.prev[0] = r.len_utf8();
        self.pos += r.len_utf8();
        r
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn backup(&mut self) {
        if self.at_eof {
            self.at_eof = false;
            return;
        }
        if self.nprev < 1 {
            return;
        }
        let w = self.prev[0];
        self.prev = [self.prev[1], self.prev[2], self.prev[3], 0];
        self.nprev -= 1;
        self.pos -= w;
        if self.input.as_bytes().get(self.pos) == Some(&b'\n') {
            self.line -= 1;
        }
    }

    fn accept(&mut self, valid: char) -> bool {
        if self.next() == valid {
            return true;
        }
        self.backup();
        false
    }

    fn peek(&mut self) -> char {
        let r = self.next();
        self.backup();
        r
    }

    fn skip_ws(&mut self) {
        loop {
            let r = self.next();
            if is_ws(r) {
                continue;
            }
            self.backup();
            self.ignore();
            return;
        }
    }

    fn push_error(&mut self, line: usize, msg: String) -> Option<St> {
        self.items.push_back(Item {
            ty: Ty::Error,
            val: msg,
            line,
        });
        None
    }

    /// Go's `lx.error`: at the end of input the error is put on the previous line.
    fn error(&mut self, msg: String) -> Option<St> {
        if self.at_eof {
            return self.error_prev_line(msg);
        }
        self.push_error(self.line, msg)
    }

    fn error_prev_line(&mut self, msg: String) -> Option<St> {
        self.push_error(self.line.saturating_sub(1), msg)
    }

    fn errorf(&mut self, msg: String) -> Option<St> {
        if self.at_eof {
            let mut line = self.line;
            if self.pos >= 1 && self.input.as_bytes()[self.pos - 1] == b'\n' {
                line -= 1;
            }
            return self.push_error(line, msg);
        }
        self.push_error(self.line, msg)
    }

    fn step(&mut self, s: St) -> Option<St> {
        match s {
            St::Top => self.top(),
            St::TopEnd => self.top_end(),
            St::TableStart => {
                if self.peek() == '[' {
                    self.next();
                    self.emit(Ty::ArrayTableStart);
                    self.stack.push(St::ArrayTableEnd);
                } else {
                    self.emit(Ty::TableStart);
                    self.stack.push(St::TableEnd);
                }
                Some(St::TableNameStart)
            }
            St::TableEnd => {
                self.emit(Ty::TableEnd);
                Some(St::TopEnd)
            }
            St::ArrayTableEnd => {
                let r = self.next();
                if r != ']' {
                    return self.errorf(format!(
                        "expected end of table array name delimiter ']', but got {} instead",
                        quote_rune(r)
                    ));
                }
                self.emit(Ty::ArrayTableEnd);
                Some(St::TopEnd)
            }
            St::TableNameStart => self.table_name_start(),
            St::TableNameEnd => {
                self.skip_ws();
                match self.next() {
                    '.' => {
                        self.ignore();
                        Some(St::TableNameStart)
                    }
                    ']' => self.pop(),
                    r => self.errorf(format!(
                        "expected '.' or ']' to end table name, but got {} instead",
                        quote_rune(r)
                    )),
                }
            }
            St::BareName => {
                let r = self.next();
                if is_bare(r) {
                    return Some(St::BareName);
                }
                self.backup();
                self.emit(Ty::Text);
                self.pop()
            }
            St::QuotedName => match self.next() {
                '"' => {
                    self.ignore();
                    Some(St::Str)
                }
                '\'' => {
                    self.ignore();
                    Some(St::RawStr)
                }
                r if is_ws(r) => {
                    self.ignore();
                    Some(St::Value)
                }
                EOF => self.errorf("unexpected EOF; expected value".into()),
                r => self.errorf(format!(
                    "expected value but found {} instead",
                    quote_rune(r)
                )),
            },
            St::KeyStart => self.key_start(),
            St::KeyNameStart => self.key_name_start(),
            St::KeyEnd => self.key_end(),
            St::Value => self.value(),
            St::ArrayValue => self.array_value(),
            St::ArrayValueEnd => self.array_value_end(),
            St::ArrayEnd => {
                self.ignore();
                self.emit(Ty::ArrayEnd);
                self.pop()
            }
            St::InlineTableValue => self.inline_table_value(),
            St::InlineTableValueEnd => self.inline_table_value_end(),
            St::InlineTableEnd => {
                self.ignore();
                self.emit(Ty::InlineTableEnd);
                self.pop()
            }
            St::Str => self.string(),
            St::MultiStr => self.multi_string(),
            St::RawStr => self.raw_string(),
            St::RawMultiStr => self.raw_multi_string(),
            St::MultiStrEscape => {
                if is_nl(self.next()) {
                    return Some(St::MultiStr);
                }
                self.backup();
                self.stack.push(St::MultiStr);
                self.string_escape()
            }
            St::StrEscape => self.string_escape(),
            St::Hex(n) => self.hex_escape(n),
            _ => self.number(s),
        }
    }

    fn top(&mut self) -> Option<St> {
        let r = self.next();
        if is_ws(r) || is_nl(r) {
            self.ignore();
            return Some(St::Top);
        }
        match r {
            '#' => {
                self.stack.push(St::Top);
                Some(St::CommentStart)
            }
            '[' => Some(St::TableStart),
            EOF => {
                if self.pos > self.start {
                    return self.errorf("unexpected EOF".into());
                }
                self.emit(Ty::Eof);
                None
            }
            _ => {
                self.backup();
                self.stack.push(St::TopEnd);
                Some(St::KeyStart)
            }
        }
    }

    fn top_end(&mut self) -> Option<St> {
        let r = self.next();
        match r {
            '#' => {
                self.stack.push(St::Top);
                Some(St::CommentStart)
            }
            r if is_ws(r) => Some(St::TopEnd),
            r if is_nl(r) => {
                self.ignore();
                Some(St::Top)
            }
            EOF => {
                self.emit(Ty::Eof);
                None
            }
            r => self.errorf(format!(
                "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                quote_rune(r)
            )),
        }
    }

    fn table_name_start(&mut self) -> Option<St> {
        self.skip_ws();
        match self.peek() {
            ']' | EOF => {
                self.errorf("unexpected end of table name (table names cannot be empty)".into())
            }
            '.' => self.errorf("unexpected table separator (table names cannot be empty)".into()),
            '"' | '\'' => {
                self.ignore();
                self.stack.push(St::TableNameEnd);
                Some(St::QuotedName)
            }
            _ => {
                self.stack.push(St::TableNameEnd);
                Some(St::BareName)
            }
        }
    }

    fn key_start(&mut self) -> Option<St> {
        self.skip_ws();
        match self.peek() {
            '=' | EOF => self.errorf("unexpected '=': key name appears blank".into()),
            '.' => self.errorf("unexpected '.': keys cannot start with a '.'".into()),
            r => {
                if r == '"' || r == '\'' {
                    self.ignore();
                }
                self.emit(Ty::KeyStart);
                Some(St::KeyNameStart)
            }
        }
    }

    fn key_name_start(&mut self) -> Option<St> {
        self.skip_ws();
        match self.peek() {
            '"' | '\'' => {
                self.ignore();
                self.stack.push(St::KeyEnd);
                Some(St::QuotedName)
            }
            '=' | EOF => self.errorf("unexpected '='".into()),
            '.' => self.errorf("unexpected '.'".into()),
            _ => {
                self.stack.push(St::KeyEnd);
                Some(St::BareName)
            }
        }
    }

    fn key_end(&mut self) -> Option<St> {
        self.skip_ws();
        match self.next() {
            r if is_ws(r) => {
                self.ignore();
                Some(St::KeyEnd)
            }
            EOF => self.errorf("unexpected EOF; expected key separator '='".into()),
            '.' => {
                self.ignore();
                Some(St::KeyNameStart)
            }
            '=' => {
                self.emit(Ty::KeyEnd);
                self.ignore();
                Some(St::Value)
            }
            '\n' => self.error_prev_line("expected '.' or '=', but got '\\n' instead".into()),
            r => self.errorf(format!(
                "expected '.' or '=', but got {} instead",
                quote_rune(r)
            )),
        }
    }

    fn value(&mut self) -> Option<St> {
        let r = self.next();
        if is_ws(r) {
            self.ignore();
            return Some(St::Value);
        }
        if r.is_ascii_digit() {
            self.backup();
            return Some(St::NumberOrDateStart);
        }
        match r {
            '[' => {
                self.ignore();
                self.emit(Ty::Array);
                return Some(St::ArrayValue);
            }
            '{' => {
                self.ignore();
                self.emit(Ty::InlineTableStart);
                return Some(St::InlineTableValue);
            }
            '"' | '\'' => return Some(self.open_string(r)),
            '.' => return self.errorf("floats must start with a digit, not '.'".into()),
            // A failed guard has still consumed what it accepted, as Go's lexer does.
            'i' | 'n'
                if (self.accept('n') && self.accept('f'))
                    || (self.accept('a') && self.accept('n')) =>
            {
                self.emit(Ty::Float);
                return self.pop();
            }
            '-' | '+' => return Some(St::DecimalNumberStart),
            _ => {}
        }
        if r.is_alphabetic() {
            self.backup();
            return Some(St::Bool);
        }
        match r {
            EOF => self.errorf("unexpected EOF; expected value".into()),
            '\n' => self.error_prev_line("expected value but found '\\n' instead".into()),
            r => self.errorf(format!(
                "expected value but found {} instead",
                quote_rune(r)
            )),
        }
    }

    fn open_string(&mut self, q: char) -> St {
        if self.accept(q) {
            if self.accept(q) {
                self.ignore();
                return if q == '"' {
                    St::MultiStr
                } else {
                    St::RawMultiStr
                };
            }
            self.backup();
        }
        self.ignore();
        if q == '"' { St::Str } else { St::RawStr }
    }
}

fn rune_or_eof(r: char) -> String {
    if r == EOF {
        "end of file".into()
    } else {
        format!("'{r}'")
    }
}
