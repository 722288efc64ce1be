//! libyaml's scanner: the token queue, simple keys, indentation and flow levels, and the
//! dispatch to token scanners.

use std::collections::BTreeMap;

use fluxion_kustomize::yaml::Style;

use super::reader::{Input, is_blank, is_blankz, is_break, is_breakz, is_z};
use super::{Failure, Mark, Res, Stage};

const MAX_FLOW_LEVEL: usize = 10_000;
const MAX_INDENTS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

/// A token: its kind, where it starts and ends, and its text: a scalar's value and style,
/// an anchor or alias name, a tag's handle and suffix, a `%TAG` directive's handle and
/// prefix, a `%YAML` directive's version.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: Mark,
    pub end: Mark,
    pub value: String,
    pub suffix: String,
    pub style: Style,
    pub version: (u32, u32),
}

impl Token {
    pub(super) fn new(kind: Kind, start: Mark, end: Mark) -> Token {
        Token {
            kind,
            start,
            end,
            value: String::new(),
            suffix: String::new(),
            style: Style::Plain,
            version: (0, 0),
        }
    }
}

/// Bytes libyaml collected for a token, as text. The reader refuses malformed UTF-8
/// before the scanner reaches it, so the conversion never loses anything.
pub(super) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[derive(Debug, Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// The scanner's whole state, as libyaml keeps it.
pub(super) struct Scanner<'a> {
    pub(super) input: Input<'a>,
    tokens: Vec<Token>,
    head: usize,
    tokens_parsed: usize,
    token_available: bool,
    stream_start_produced: bool,
    pub(super) indent: isize,
    indents: Vec<isize>,
    pub(super) simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    keys_by_token: BTreeMap<usize, usize>,
    pub(super) flow_level: usize,
}

pub(super) fn scanner_error(context_mark: Mark, problem_mark: Mark, problem: &str) -> Failure {
    Failure {
        stage: Stage::Scanner,
        problem: problem.to_string(),
        problem_mark,
        context_mark,
    }
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a [u8]) -> Scanner<'a> {
        Scanner {
            input: Input::new(text),
            tokens: Vec::new(),
            head: 0,
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            keys_by_token: BTreeMap::new(),
            flow_level: 0,
        }
    }

    pub(super) fn error(&self, context_mark: Mark, problem: &str) -> Failure {
        scanner_error(context_mark, self.input.mark, problem)
    }

    /// The next token, scanning as far as libyaml must to know it.
    pub(super) fn peek(&mut self) -> Res<&Token> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        Ok(&self.tokens[self.head])
    }

    /// Moves the next token out of the queue (after [`Scanner::peek`] found it).
    pub(super) fn take_token(&mut self) -> Token {
        let m = self.tokens[self.head].start;
        let t = std::mem::replace(
            &mut self.tokens[self.head],
            Token::new(Kind::StreamEnd, m, m),
        );
        self.skip_token();
        t
    }

    pub(super) fn skip_token(&mut self) {
        self.token_available = false;
        self.tokens_parsed += 1;
        self.head += 1;
        // Keep the queue short: consumed tokens are never looked at again.
        if self.head > 64 && self.head * 2 > self.tokens.len() {
            self.tokens.drain(..self.head);
            self.head = 0;
        }
    }

    fn insert(&mut self, at: Option<usize>, token: Token) {
        match at {
            None => self.tokens.push(token),
            Some(n) => self.tokens.insert(self.head + n, token),
        }
    }

    fn fetch_more_tokens(&mut self) -> Res<()> {
        loop {
            if self.head != self.tokens.len() {
                let Some(&idx) = self.keys_by_token.get(&self.tokens_parsed) else {
                    break;
                };
                if !self.simple_key_is_valid(idx)? {
                    break;
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> Res<()> {
        self.input.cache(1)?;
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        self.scan_to_next_token()?;
        self.unroll_indent(self.input.mark.column as isize);
        self.input.cache(4)?;
        let i = &self.input;
        if is_z(i, 0) {
            return self.fetch_stream_end();
        }
        let c = i.at(0);
        let col0 = i.mark.column == 0;
        if col0 && c == b'%' {
            return self.fetch_directive();
        }
        let three = |b: u8| i.at(0) == b && i.at(1) == b && i.at(2) == b && is_blankz(i, 3);
        if col0 && three(b'-') {
            return self.fetch_document_indicator(Kind::DocumentStart);
        }
        if col0 && three(b'.') {
            return self.fetch_document_indicator(Kind::DocumentEnd);
        }
        let flow = self.flow_level > 0;
        let next_blankz = is_blankz(i, 1);
        match c {
            b'[' => self.fetch_flow_collection_start(Kind::FlowSequenceStart),
            b'{' => self.fetch_flow_collection_start(Kind::FlowMappingStart),
            b']' => self.fetch_flow_collection_end(Kind::FlowSequenceEnd),
            b'}' => self.fetch_flow_collection_end(Kind::FlowMappingEnd),
            b',' => self.fetch_flow_entry(),
            b'-' if next_blankz => self.fetch_block_entry(),
            b'?' if flow || next_blankz => self.fetch_key(),
            b':' if flow || next_blankz => self.fetch_value(),
            b'*' => self.fetch_anchor(Kind::Alias),
            b'&' => self.fetch_anchor(Kind::Anchor),
            b'!' => self.fetch_tag(),
            b'|' | b'>' if !flow => self.fetch_block_scalar(),
            b'\'' => self.fetch_flow_scalar(true),
            b'"' => self.fetch_flow_scalar(false),
            _ if self.plain_can_start() => self.fetch_plain_scalar(),
            _ => Err(self.error(
                self.input.mark,
                "found character that cannot start any token",
            )),
        }
    }

    /// libyaml's test for the start of a plain scalar.
    fn plain_can_start(&self) -> bool {
        let i = &self.input;
        let c = i.at(0);
        let indicator = is_blankz(i, 0)
            || matches!(
                c,
                b'-' | b'?'
                    | b':'
                    | b','
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'#'
                    | b'&'
                    | b'*'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'\''
                    | b'"'
                    | b'%'
                    | b'@'
                    | b'`'
            );
        !indicator
            || (c == b'-' && !is_blank(i, 1))
            || (self.flow_level == 0 && (c == b'?' || c == b':') && !is_blankz(i, 1))
    }

    fn simple_key_is_valid(&mut self, idx: usize) -> Res<bool> {
        let key = self.simple_keys[idx];
        if !key.possible {
            return Ok(false);
        }
        let mark = self.input.mark;
        if key.mark.line < mark.line || key.mark.index + 1024 < mark.index {
            if key.required {
                return Err(self.error(key.mark, "could not find expected ':'"));
            }
            self.simple_keys[idx].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> Res<()> {
        let required = self.flow_level == 0 && self.indent == self.input.mark.column as isize;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + (self.tokens.len() - self.head),
                mark: self.input.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = key;
            self.keys_by_token.insert(key.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Res<()> {
        let i = self.simple_keys.len() - 1;
        let key = self.simple_keys[i];
        if key.possible {
            if key.required {
                return Err(self.error(key.mark, "could not find expected ':'"));
            }
            self.simple_keys[i].possible = false;
            self.keys_by_token.remove(&key.token_number);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> Res<()> {
        self.simple_keys.push(SimpleKey {
            token_number: self.tokens_parsed + (self.tokens.len() - self.head),
            mark: self.input.mark,
            ..SimpleKey::default()
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let mark = self.input.mark;
            return Err(self.error(mark, &format!("exceeded max depth of {MAX_FLOW_LEVEL}")));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(key) = self.simple_keys.pop() {
                self.keys_by_token.remove(&key.token_number);
            }
        }
    }

    /// Opens a block collection when `column` is deeper than the current indentation.
    fn roll_indent(
        &mut self,
        column: usize,
        number: Option<usize>,
        kind: Kind,
        mark: Mark,
    ) -> Res<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column as isize {
            self.indents.push(self.indent);
            self.indent = column as isize;
            if self.indents.len() > MAX_INDENTS {
                let ctx = self.simple_keys.last().map(|k| k.mark).unwrap_or_default();
                return Err(self.error(ctx, &format!("exceeded max depth of {MAX_INDENTS}")));
            }
            let at = number.map(|n| n - self.tokens_parsed);
            self.insert(at, Token::new(kind, mark, mark));
        }
        Ok(())
    }

    /// Closes block collections deeper than `column`.
    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let m = self.input.mark;
            self.insert(None, Token::new(Kind::BlockEnd, m, m));
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let m = self.input.mark;
        self.insert(None, Token::new(Kind::StreamStart, m, m));
    }

    fn fetch_stream_end(&mut self) -> Res<()> {
        if self.input.mark.column != 0 {
            self.input.mark.column = 0;
            self.input.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.input.mark;
        self.insert(None, Token::new(Kind::StreamEnd, m, m));
        Ok(())
    }

    fn fetch_directive(&mut self) -> Res<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.insert(None, token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: Kind) -> Res<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.input.mark;
        for _ in 0..3 {
            self.input.skip();
        }
        self.push_token(kind, start);
        Ok(())
    }

    fn push_token(&mut self, kind: Kind, start: Mark) {
        let end = self.input.mark;
        self.insert(None, Token::new(kind, start, end));
    }

    /// Skips one indicator character and queues its token.
    fn indicator(&mut self, kind: Kind) {
        let start = self.input.mark;
        self.input.skip();
        self.push_token(kind, start);
    }

    fn fetch_flow_collection_start(&mut self, kind: Kind) -> Res<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        self.indicator(kind);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: Kind) -> Res<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        self.indicator(kind);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Res<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.indicator(Kind::FlowEntry);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Res<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.input.mark;
                return Err(self.error(m, "block sequence entries are not allowed in this context"));
            }
            let m = self.input.mark;
            self.roll_indent(m.column, None, Kind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.indicator(Kind::BlockEntry);
        Ok(())
    }

    fn fetch_key(&mut self) -> Res<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.input.mark;
                return Err(self.error(m, "mapping keys are not allowed in this context"));
            }
            let m = self.input.mark;
            self.roll_indent(m.column, None, Kind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.indicator(Kind::Key);
        Ok(())
    }

    fn fetch_value(&mut self) -> Res<()> {
        let idx = self.simple_keys.len() - 1;
        if self.simple_key_is_valid(idx)? {
            let key = self.simple_keys[idx];
            self.insert(
                Some(key.token_number - self.tokens_parsed),
                Token::new(Kind::Key, key.mark, key.mark),
            );
            self.roll_indent(
                key.mark.column,
                Some(key.token_number),
                Kind::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[idx].possible = false;
            self.keys_by_token.remove(&key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let m = self.input.mark;
                    return Err(self.error(m, "mapping values are not allowed in this context"));
                }
                let m = self.input.mark;
                self.roll_indent(m.column, None, Kind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.indicator(Kind::Value);
        Ok(())
    }

    fn fetch_anchor(&mut self, kind: Kind) -> Res<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(kind)?;
        self.insert(None, token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> Res<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.insert(None, token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self) -> Res<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar()?;
        self.insert(None, token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Res<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.insert(None, token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Res<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.insert(None, token);
        Ok(())
    }

    /// Skips blanks, comments and line breaks before the next token. Tabs are skipped only
    /// where a simple key cannot start (in flow context or after an indicator).
    fn scan_to_next_token(&mut self) -> Res<()> {
        loop {
            self.input.cache(1)?;
            if self.input.mark.column == 0 && self.input.bom_at_buffer_start() {
                self.input.skip();
            }
            self.input.cache(1)?;
            while self.input.at(0) == b' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.input.at(0) == b'\t')
            {
                self.input.skip();
                self.input.cache(1)?;
            }
            if self.input.at(0) == b'#' {
                while !is_breakz(&self.input, 0) {
                    self.input.skip();
                    self.input.cache(1)?;
                }
            }
            if !is_break(&self.input, 0) {
                return Ok(());
            }
            self.input.cache(2)?;
            self.input.skip_line();
            if self.flow_level == 0 {
                self.simple_key_allowed = true;
            }
        }
    }
}
