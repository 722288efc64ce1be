//! Lexer of Go's text/template: splits template text into items (text, delimiters and the
//! tokens inside actions) with Go's byte positions, line numbers, trim markers and messages.

use std::borrow::Cow;

use super::strconv::{quote, unicode_sharp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemKind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Self::Block
                | Self::Break
                | Self::Continue
                | Self::Dot
                | Self::Define
                | Self::Else
                | Self::End
                | Self::If
                | Self::Nil
                | Self::Range
                | Self::Template
                | Self::With
        )
    }
}

fn keyword(word: &str) -> Option<ItemKind> {
    Some(match word {
        "." => ItemKind::Dot,
        "block" => ItemKind::Block,
        "break" => ItemKind::Break,
        "continue" => ItemKind::Continue,
        "define" => ItemKind::Define,
        "else" => ItemKind::Else,
        "end" => ItemKind::End,
        "if" => ItemKind::If,
        "range" => ItemKind::Range,
        "nil" => ItemKind::Nil,
        "template" => ItemKind::Template,
        "with" => ItemKind::With,
        _ => return None,
    })
}

/// A token: its kind, starting byte offset, text (or error message) and starting line.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    pub pos: usize,
    pub val: Cow<'a, str>,
    pub line: usize,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected ..." parse errors.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ItemKind::Eof => f.write_str("EOF"),
            ItemKind::Error => f.write_str(&self.val),
            k if k.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                write!(f, "{}...", quote(&head))
            }
            _ => f.write_str(&quote(&self.val)),
        }
    }
}

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
        let c = self.next();
        let kind = match c {
            None => return self.errorf("unclosed action".into()),
            Some(' ' | '\t' | '\r' | '\n') => {
                self.backup();
                return self.goto(State::Space);
            }
            Some('=') => ItemKind::Assign,
            Some(':') => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                ItemKind::Declare
            }
            Some('|') => ItemKind::Pipe,
            Some('"') => return self.goto(State::Quote),
            Some('`') => return self.goto(State::RawQuote),
            Some('$') => return self.goto(State::Variable),
            Some('\'') => return self.goto(State::Char),
            Some('.')
                if !self
                    .input
                    .as_bytes()
                    .get(self.pos)
                    .is_some_and(u8::is_ascii_digit) =>
            {
                if self.pos < self.input.len() {
                    return self.goto(State::Field);
                }
                self.backup();
                return self.goto(State::Number);
            }
            Some('.' | '+' | '-' | '0'..='9') => {
                self.backup();
                return self.goto(State::Number);
            }
            c if is_alphanumeric(c) => {
                self.backup();
                return self.goto(State::Identifier);
            }
            Some('(') => {
                self.paren_depth += 1;
                ItemKind::LeftParen
            }
            Some(')') => {
                let item = self.emit(ItemKind::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.errorf(format!("unexpected right paren {}", unicode_sharp(')')));
                }
                return Some(item);
            }
            Some(c) if c.is_ascii() && super::strconv::is_print(c) => ItemKind::Char,
            Some(c) => {
                return self.errorf(format!(
                    "unrecognized character in action: {}",
                    unicode_sharp(c)
                ));
            }
        };
        Some(self.emit(kind))
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

    fn lex_identifier(&mut self) -> Option<Item<'a>> {
        let c = loop {
            let c = self.next();
            if !is_alphanumeric(c) {
                break c;
            }
        };
        self.backup();
        if !self.at_terminator() {
            return self.errorf(format!(
                "bad character {}",
                unicode_sharp(c.unwrap_or('\u{fffd}'))
            ));
        }
        let word = &self.input[self.start..self.pos];
        let kind = match keyword(word) {
            Some(ItemKind::Break) if !self.break_ok => ItemKind::Identifier,
            Some(ItemKind::Continue) if !self.continue_ok => ItemKind::Identifier,
            Some(k) => k,
            None if word == "true" || word == "false" => ItemKind::Bool,
            None => ItemKind::Identifier,
        };
        self.state = State::InsideAction;
        Some(self.emit(kind))
    }

    fn lex_variable(&mut self) -> Option<Item<'a>> {
        if self.at_terminator() {
            self.state = State::InsideAction;
            return Some(self.emit(ItemKind::Variable));
        }
        self.lex_field_or_variable(ItemKind::Variable)
    }

    fn lex_field_or_variable(&mut self, kind: ItemKind) -> Option<Item<'a>> {
        self.state = State::InsideAction;
        if self.at_terminator() {
            let k = if kind == ItemKind::Variable {
                kind
            } else {
                ItemKind::Dot
            };
            return Some(self.emit(k));
        }
        let c = loop {
            let c = self.next();
            if !is_alphanumeric(c) {
                break c;
            }
        };
        self.backup();
        if !self.at_terminator() {
            return self.errorf(format!(
                "bad character {}",
                unicode_sharp(c.unwrap_or('\u{fffd}'))
            ));
        }
        Some(self.emit(kind))
    }

    fn at_terminator(&mut self) -> bool {
        let c = self.peek();
        if is_space(c) {
            return true;
        }
        match c {
            None | Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(c) => self.right.starts_with(c),
        }
    }

    /// Quoted strings and character constants; syntax is checked later by the parser.
    fn lex_quoted(&mut self, kind: ItemKind) -> Option<Item<'a>> {
        let (quote, what) = if kind == ItemKind::String {
            ('"', "unterminated quoted string")
        } else {
            ('\'', "unterminated character constant")
        };
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.errorf(what.into());
                    }
                }
                None | Some('\n') => return self.errorf(what.into()),
                Some(c) if c == quote => break,
                Some(_) => {}
            }
        }
        self.state = State::InsideAction;
        Some(self.emit(kind))
    }

    fn lex_raw_quote(&mut self) -> Option<Item<'a>> {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.state = State::InsideAction;
        Some(self.emit(ItemKind::RawString))
    }

    fn lex_number(&mut self) -> Option<Item<'a>> {
        if !self.scan_number() {
            let text = quote(&self.input[self.start..self.pos]);
            return self.errorf(format!("bad number syntax: {text}"));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = quote(&self.input[self.start..self.pos]);
                return self.errorf(format!("bad number syntax: {text}"));
            }
            self.state = State::InsideAction;
            return Some(self.emit(ItemKind::Complex));
        }
        self.state = State::InsideAction;
        Some(self.emit(ItemKind::Number))
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if is_alphanumeric(self.peek()) {
            self.next();
            return false;
        }
        true
    }
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches(SPACE_CHARS).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex_all(input: &str) -> Vec<String> {
        let mut lexer = Lexer::new(input, "", "", (true, true));
        let mut out = Vec::new();
        loop {
            let item = lexer.next_item();
            let done = matches!(item.kind, ItemKind::Eof | ItemKind::Error);
            out.push(format!("{:?}:{}:{}", item.kind, item.val, item.line));
            if done {
                return out;
            }
        }
    }

    #[test]
    fn lexes_like_go() {
        let cases: &[(&str, &[&str])] = &[
            ("hi", &["Text:hi:1", "Eof::1"]),
            (
                "a {{- .x -}} \n b",
                &[
                    "Text:a:1",
                    "LeftDelim:{{:1",
                    "Field:.x:1",
                    "RightDelim:}}:1",
                    "Text:b:2",
                    "Eof::2",
                ],
            ),
            ("{{/* c */}}x", &["Text:x:1", "Eof::1"]),
            (
                "{{ $x := 3 }}",
                &[
                    "LeftDelim:{{:1",
                    "Space: :1",
                    "Variable:$x:1",
                    "Space: :1",
                    "Declare::=:1",
                    "Space: :1",
                    "Number:3:1",
                    "Space: :1",
                    "RightDelim:}}:1",
                    "Eof::1",
                ],
            ),
            (
                "{{.a.b}}",
                &[
                    "LeftDelim:{{:1",
                    "Field:.a:1",
                    "Field:.b:1",
                    "RightDelim:}}:1",
                    "Eof::1",
                ],
            ),
            (
                "{{-3}}",
                &["LeftDelim:{{:1", "Number:-3:1", "RightDelim:}}:1", "Eof::1"],
            ),
            (
                "{{ if\n.x }}",
                &[
                    "LeftDelim:{{:1",
                    "Space: :1",
                    "If:if:1",
                    "Space:\n:1",
                    "Field:.x:2",
                    "Space: :2",
                    "RightDelim:}}:2",
                    "Eof::2",
                ],
            ),
            (
                "{{ \"a\" `b` 'c' }}",
                &[
                    "LeftDelim:{{:1",
                    "Space: :1",
                    "String:\"a\":1",
                    "Space: :1",
                    "RawString:`b`:1",
                    "Space: :1",
                    "CharConstant:'c':1",
                    "Space: :1",
                    "RightDelim:}}:1",
                    "Eof::1",
                ],
            ),
            (
                "{{ break }}",
                &[
                    "LeftDelim:{{:1",
                    "Space: :1",
                    "Break:break:1",
                    "Space: :1",
                    "RightDelim:}}:1",
                    "Eof::1",
                ],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(lex_all(input), *want, "lexing {input:?}");
        }
    }

    #[test]
    fn lexer_errors_match_go() {
        let cases = [
            ("{{ .x", "unclosed action"),
            ("{{ (.x }}", "unclosed left paren"),
            ("{{ \"a }}", "unterminated quoted string"),
            ("{{ 3k }}", "bad number syntax: \"3k\""),
            ("{{ .x# }}", "bad character U+0023 '#'"),
            ("{{ ) }}", "unexpected right paren U+0029 ')'"),
            ("{{/* x */ y}}", "comment ends before closing delimiter"),
            ("{{/* x", "unclosed comment"),
            ("{{ € }}", "unrecognized character in action: U+20AC '€'"),
        ];
        for (input, want) in cases {
            let items = lex_all(input);
            let last = items.last().cloned().unwrap_or_default();
            assert_eq!(
                last,
                format!("Error:{want}:1"),
                "lexing {input:?}: {items:?}"
            );
        }
    }

    #[test]
    fn item_display_matches_go() {
        let item = |kind, val: &'static str| Item {
            kind,
            pos: 0,
            val: Cow::Borrowed(val),
            line: 1,
        };
        assert_eq!(item(ItemKind::Eof, "").to_string(), "EOF");
        assert_eq!(item(ItemKind::End, "end").to_string(), "<end>");
        assert_eq!(item(ItemKind::Field, ".x").to_string(), "\".x\"");
        assert_eq!(
            item(ItemKind::Text, "0123456789abc").to_string(),
            "\"0123456789\"..."
        );
    }
}
