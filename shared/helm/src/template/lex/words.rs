//! Tokens inside actions: identifiers and keywords, fields and variables, quoted strings,
//! raw strings, character constants and numbers.

use super::{Item, ItemKind, Lexer, State, is_alphanumeric, is_space, keyword};
use crate::template::strconv::{quote, unicode_sharp};

impl<'a> Lexer<'a> {
    pub(super) fn lex_identifier(&mut self) -> Option<Item<'a>> {
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

    pub(super) fn lex_variable(&mut self) -> Option<Item<'a>> {
        if self.at_terminator() {
            self.state = State::InsideAction;
            return Some(self.emit(ItemKind::Variable));
        }
        self.lex_field_or_variable(ItemKind::Variable)
    }

    pub(super) fn lex_field_or_variable(&mut self, kind: ItemKind) -> Option<Item<'a>> {
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
    pub(super) fn lex_quoted(&mut self, kind: ItemKind) -> Option<Item<'a>> {
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

    pub(super) fn lex_raw_quote(&mut self) -> Option<Item<'a>> {
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

    pub(super) fn lex_number(&mut self) -> Option<Item<'a>> {
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
