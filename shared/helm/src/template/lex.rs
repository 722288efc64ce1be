//! Lexer of Go's text/template: splits template text into items (text, delimiters and the
//! tokens inside actions) with Go's byte positions, line numbers, trim markers and messages.

mod item;
mod words;

use std::borrow::Cow;

use item::keyword;
pub(crate) use item::{Item, ItemKind};

use super::strconv::unicode_sharp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
    Done,
}

const SPACE_CHARS: &[char] = &[' ', '\t', '\r', '\n'];
const TRIM_MARKER_LEN: usize = 2;

fn is_space(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t' | '\r' | '\n'))
}

fn is_alphanumeric(c: Option<char>) -> bool {
    matches!(c, Some(c) if c == '_' || c.is_alphabetic() || c.is_numeric())
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && matches!(b[1], b' ' | b'\t' | b'\r' | b'\n')
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && matches!(b[0], b' ' | b'\t' | b'\r' | b'\n') && b[1] == b'-'
}

/// The scanner. `next_item` yields items until `Eof` or `Error`, then keeps yielding `Eof`.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    left: &'a str,
    right: &'a str,
    break_ok: bool,
    continue_ok: bool,
    pos: usize,
    start: usize,
    width: usize,
    paren_depth: i64,
    line: usize,
    start_line: usize,
    state: State,
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str, left: &'a str, right: &'a str, loops_ok: (bool, bool)) -> Self {
        Self {
            input,
            left: if left.is_empty() { "{{" } else { left },
            right: if right.is_empty() { "}}" } else { right },
            break_ok: loops_ok.0,
            continue_ok: loops_ok.1,
            pos: 0,
            start: 0,
            width: 0,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            state: State::Text,
        }
    }

    pub fn next_item(&mut self) -> Item<'a> {
        loop {
            let item = match self.state {
                State::Done => return self.emit(ItemKind::Eof),
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Space => self.lex_space(),
                State::Identifier => self.lex_identifier(),
                State::Field => self.lex_field_or_variable(ItemKind::Field),
                State::Variable => self.lex_variable(),
                State::Char => self.lex_quoted(ItemKind::CharConstant),
                State::Number => self.lex_number(),
                State::Quote => self.lex_quoted(ItemKind::String),
                State::RawQuote => self.lex_raw_quote(),
            };
            if let Some(item) = item {
                return item;
            }
        }
    }

    fn next(&mut self) -> Option<char> {
        let Some(c) = self.input[self.pos..].chars().next() else {
            self.width = 0;
            return None;
        };
        self.width = c.len_utf8();
        self.pos += self.width;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    fn backup(&mut self) {
        self.pos -= self.width;
        if self.width == 1 && self.input.as_bytes()[self.pos] == b'\n' {
            self.line -= 1;
        }
    }

    fn emit(&mut self, kind: ItemKind) -> Item<'a> {
        let item = Item {
            kind,
            pos: self.start,
            val: Cow::Borrowed(&self.input[self.start..self.pos]),
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        item
    }

    fn ignore(&mut self) {
        self.line += count_newlines(&self.input[self.start..self.pos]);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        if matches!(self.next(), Some(c) if valid.contains(c)) {
            return true;
        }
        self.backup();
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while matches!(self.next(), Some(c) if valid.contains(c)) {}
        self.backup();
    }

    fn errorf(&mut self, msg: String) -> Option<Item<'a>> {
        self.state = State::Done;
        Some(Item {
            kind: ItemKind::Error,
            pos: self.start,
            val: Cow::Owned(msg),
            line: self.start_line,
        })
    }

    fn lex_text(&mut self) -> Option<Item<'a>> {
        self.width = 0;
        let Some(x) = self.input[self.pos..].find(self.left) else {
            self.pos = self.input.len();
            if self.pos > self.start {
                self.line += count_newlines(&self.input[self.start..self.pos]);
                let item = self.emit(ItemKind::Text);
                self.state = State::Done;
                return Some(item);
            }
            self.state = State::Done;
            return Some(self.emit(ItemKind::Eof));
        };
        self.pos += x;
        let after = self.pos + self.left.len();
        let trim = if has_left_trim_marker(&self.input[after..]) {
            let text = &self.input[self.start..self.pos];
            text.len() - text.trim_end_matches(SPACE_CHARS).len()
        } else {
            0
        };
        self.pos -= trim;
        let mut item = None;
        if self.pos > self.start {
            self.line += count_newlines(&self.input[self.start..self.pos]);
            item = Some(self.emit(ItemKind::Text));
        }
        self.pos += trim;
        self.ignore();
        self.state = State::LeftDelim;
        item
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input[self.pos..];
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(self.right) {
            return (true, true);
        }
        (rest.starts_with(self.right), false)
    }

    fn lex_left_delim(&mut self) -> Option<Item<'a>> {
        self.pos += self.left.len();
        let trim = has_left_trim_marker(&self.input[self.pos..]);
        let after = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.input[self.pos + after..].starts_with("/*") {
            self.pos += after;
            self.ignore();
            self.state = State::Comment;
            return None;
        }
        let item = self.emit(ItemKind::LeftDelim);
        self.pos += after;
        self.ignore();
        self.paren_depth = 0;
        self.state = State::InsideAction;
        Some(item)
    }

    fn lex_comment(&mut self) -> Option<Item<'a>> {
        self.pos += 2;
        let Some(i) = self.input[self.pos..].find("*/") else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += i + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += self.right.len();
        if trim {
            self.pos += left_trim_length(&self.input[self.pos..]);
        }
        self.ignore();
        self.state = State::Text;
        None
    }

    fn lex_right_delim(&mut self) -> Option<Item<'a>> {
        let trim = has_right_trim_marker(&self.input[self.pos..]);
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += self.right.len();
        let item = self.emit(ItemKind::RightDelim);
        if trim {
            self.pos += left_trim_length(&self.input[self.pos..]);
            self.ignore();
        }
        self.state = State::Text;
        Some(item)
    }

    fn lex_inside_action(&mut self) -> Option<Item<'a>> {
        if self.at_right_delim().0 {
            if self.paren_depth == 0 {
                self.state = State::RightDelim;
                return None;
            }
            return self.errorf("unclosed left paren".into());
        }
        let Some(c) = self.next() else {
            return self.errorf("unclosed action".into());
        };
        let kind = match c {
            '=' => ItemKind::Assign,
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                ItemKind::Declare
            }
            '|' => ItemKind::Pipe,
            '(' => {
                self.paren_depth += 1;
                ItemKind::LeftParen
            }
            ')' => {
                let item = self.emit(ItemKind::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.errorf(format!("unexpected right paren {}", unicode_sharp(')')));
                }
                return Some(item);
            }
            _ => return self.start_token(c),
        };
        Some(self.emit(kind))
    }

    /// The first character `c` of a longer token (or a one-character `Char` item).
    fn start_token(&mut self, c: char) -> Option<Item<'a>> {
        let next_is_digit = self
            .input
            .as_bytes()
            .get(self.pos)
            .is_some_and(u8::is_ascii_digit);
        let state = match c {
            ' ' | '\t' | '\r' | '\n' => {
                self.backup();
                State::Space
            }
            '"' => State::Quote,
            '`' => State::RawQuote,
            '$' => State::Variable,
            '\'' => State::Char,
            // ".field", unless a digit follows: then '.' starts a number.
            '.' if !next_is_digit && self.pos < self.input.len() => State::Field,
            '.' | '+' | '-' | '0'..='9' => {
                self.backup();
                State::Number
            }
            c if is_alphanumeric(Some(c)) => {
                self.backup();
                State::Identifier
            }
            c if c.is_ascii() && super::strconv::is_print(c) => {
                return Some(self.emit(ItemKind::Char));
            }
            c => {
                let c = unicode_sharp(c);
                return self.errorf(format!("unrecognized character in action: {c}"));
            }
        };
        self.goto(state)
    }

    fn goto(&mut self, state: State) -> Option<Item<'a>> {
        self.state = state;
        None
    }

    fn lex_space(&mut self) -> Option<Item<'a>> {
        let mut spaces = 0;
        while is_space(self.peek()) {
            self.next();
            spaces += 1;
        }
        let rest = &self.input[self.pos - 1..];
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(self.right) {
            self.backup();
            if spaces == 1 {
                self.state = State::RightDelim;
                return None;
            }
        }
        self.state = State::InsideAction;
        Some(self.emit(ItemKind::Space))
    }
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches(SPACE_CHARS).len()
}

#[cfg(test)]
mod tests;
