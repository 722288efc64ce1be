//! The `${...}` template language of Flux's postBuild substitution (fluxcd/pkg
//! envsubst, a fork of drone/envsubst): a scanner whose modes change as the parser
//! goes, so that escapes, names and function arguments read exactly as Flux reads them.

/// Why a template cannot be parsed; the texts are envsubst's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("bad substitution")]
    Bad,
    #[error("missing closing brace")]
    MissingClosingBrace,
    #[error("unable to parse variable name")]
    VariableName,
    #[error("unable to parse substitution within function")]
    FuncSubstitution,
    #[error("unable to parse default function")]
    DefaultFunction,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `${param}` (empty `op`) or `${param<op><args>}`.
    Func {
        op: String,
        param: String,
        args: Vec<Piece>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Illegal,
    Eof,
    Ident,
    Lbrack,
    Rbrack,
}

const IDENT: u8 = 1;
const LBRACK: u8 = 2;
const RBRACK: u8 = 4;
const ESCAPE: u8 = 8;
const DOLLAR: u8 = 1;
const BACKSLASH: u8 = 2;

type Accept = fn(char, usize) -> bool;

struct Scanner {
    buf: Vec<char>,
    pos: usize,
    start: usize,
    width: usize,
    mode: u8,
    escapes: u8,
    accept: Accept,
}

impl Scanner {
    fn read(&mut self) -> Option<char> {
        match self.buf.get(self.pos) {
            None => {
                self.width = 0;
                None
            }
            Some(c) => {
                self.width = 1;
                self.pos += 1;
                Some(*c)
            }
        }
    }
    fn unread(&mut self) {
        self.pos -= self.width;
    }
    /// Drops the character just read from the buffer.
    fn skip(&mut self) {
        self.buf.remove(self.pos - 1);
    }
    fn peek(&mut self) -> Option<char> {
        let r = self.read();
        self.unread();
        r
    }
    fn text(&self) -> String {
        self.buf[self.start..self.pos].iter().collect()
    }
    fn scan(&mut self) -> Token {
        self.start = self.pos;
        let Some(r) = self.read() else {
            return Token::Eof;
        };
        if self.lbrack(r) {
            Token::Lbrack
        } else if self.mode & RBRACK != 0 && r == '}' {
            Token::Rbrack
        } else if self.ident(r) {
            Token::Ident
        } else {
            Token::Illegal
        }
    }
    fn ident(&mut self, r: char) -> bool {
        if self.mode & IDENT == 0 {
            return false;
        }
        if self.escaped(r) {
            self.skip();
        } else if !(self.accept)(r, self.pos - self.start) {
            return false;
        }
        loop {
            let Some(r) = self.read() else {
                self.unread();
                break;
            };
            if self.lbrack(r) {
                self.unread();
                self.unread();
                break;
            }
            if self.escaped(r) {
                self.skip();
                continue;
            }
            if !(self.accept)(r, self.pos - self.start) {
                self.unread();
                break;
            }
        }
        true
    }
    fn lbrack(&mut self, r: char) -> bool {
        if self.mode & LBRACK == 0 || r != '$' {
            return false;
        }
        if self.read() == Some('{') {
            return true;
        }
        self.unread();
        false
    }
    fn escaped(&mut self, r: char) -> bool {
        if self.mode & ESCAPE == 0 {
            return false;
        }
        if r == '$' && self.escapes & DOLLAR != 0 && self.peek() == Some('$') {
            return true;
        }
        r == '\\' && self.escapes & BACKSLASH != 0 && matches!(self.peek(), Some('/' | '\\'))
    }
    fn set(&mut self, accept: Accept, mode: u8) {
        self.accept = accept;
        self.mode = mode;
    }
}

fn any(_: char, _: usize) -> bool {
    true
}
fn ident_char(r: char, _: usize) -> bool {
    r.is_alphabetic() || r.is_numeric() || r == '_'
}
fn colon(r: char, _: usize) -> bool {
    r == ':'
}
fn one_hash(r: char, i: usize) -> bool {
    r == '#' && i == 1
}
fn not_closing(r: char, _: usize) -> bool {
    r != '}'
}
fn hash_op(r: char, i: usize) -> bool {
    r == '#' && i < 3
}
fn percent_op(r: char, i: usize) -> bool {
    r == '%' && i < 3
}
fn default_op(r: char, i: usize) -> bool {
    (i == 1 && r == ':') || (i == 2 && matches!(r, '=' | '-' | '?' | '+'))
}
fn replace_op(r: char, i: usize) -> bool {
    (i == 1 && r == '/') || (i == 2 && matches!(r, '/' | '#' | '%'))
}
fn one_equal(r: char, i: usize) -> bool {
    i == 1 && r == '='
}
fn one_colon(r: char, i: usize) -> bool {
    i == 1 && r == ':'
}
fn not_colon_close(r: char, _: usize) -> bool {
    r != ':' && r != '}'
}
fn slash(r: char, _: usize) -> bool {
    r == '/'
}
fn not_slash(r: char, _: usize) -> bool {
    r != '/'
}
fn casing_op(r: char, i: usize) -> bool {
    (r == ',' || r == '^') && i < 3
}

/// Parses a template into pieces.
pub fn parse(text: &str) -> Result<Vec<Piece>, ParseError> {
    let mut s = Scanner {
        buf: text.chars().collect(),
        pos: 0,
        start: 0,
        width: 0,
        mode: 0,
        escapes: 0,
        accept: any,
    };
    let mut out = Vec::new();
    loop {
        s.set(any, IDENT | LBRACK | ESCAPE);
        s.escapes = DOLLAR;
        match s.scan() {
            Token::Ident => out.push(Piece::Text(s.text())),
            Token::Eof => return Ok(out),
            Token::Lbrack => out.push(func(&mut s)?),
            _ => return Err(ParseError::Bad),
        }
    }
}

fn func(s: &mut Scanner) -> Result<Piece, ParseError> {
    s.escapes = DOLLAR | BACKSLASH;
    if s.peek() == Some('#') {
        return len_func(s);
    }
    s.set(ident_char, IDENT);
    if s.scan() != Token::Ident {
        return Err(ParseError::VariableName);
    }
    let name = s.text();
    match s.peek() {
        Some(':') => {
            s.read();
            let r = s.peek();
            s.unread();
            if matches!(r, Some('=' | '-' | '?' | '+')) {
                default_func(s, name)
            } else {
                substr_func(s, name)
            }
        }
        Some('=') => default_func(s, name),
        Some(',' | '^') => {
            let op = op(s, casing_op)?;
            close(s)?;
            Ok(node(op, name, Vec::new()))
        }
        Some('/') => replace_func(s, name),
        Some('#') => remove_func(s, name, hash_op),
        Some('%') => remove_func(s, name, percent_op),
        _ => {
            s.set(ident_char, RBRACK);
            if s.scan() != Token::Rbrack {
                return Err(ParseError::MissingClosingBrace);
            }
            Ok(node(String::new(), name, Vec::new()))
        }
    }
}

fn node(op: String, param: String, args: Vec<Piece>) -> Piece {
    Piece::Func { op, param, args }
}

fn op(s: &mut Scanner, accept: Accept) -> Result<String, ParseError> {
    s.set(accept, IDENT);
    match s.scan() {
        Token::Ident => Ok(s.text()),
        _ => Err(ParseError::Bad),
    }
}

fn param(s: &mut Scanner, accept: Accept, mode: u8) -> Result<Piece, ParseError> {
    s.set(accept, mode | LBRACK);
    match s.scan() {
        Token::Lbrack => func(s),
        Token::Ident | Token::Rbrack => Ok(Piece::Text(s.text())),
        _ => Err(ParseError::FuncSubstitution),
    }
}

fn close(s: &mut Scanner) -> Result<(), ParseError> {
    s.mode = RBRACK;
    match s.scan() {
        Token::Rbrack => Ok(()),
        _ => Err(ParseError::Bad),
    }
}

fn substr_func(s: &mut Scanner, name: String) -> Result<Piece, ParseError> {
    let op = op(s, one_colon)?;
    let mut args = vec![param(s, not_colon_close, IDENT)?];
    s.set(colon, IDENT | RBRACK);
    match s.scan() {
        Token::Rbrack => return Ok(node(op, name, args)),
        Token::Ident => {}
        _ => return Err(ParseError::Bad),
    }
    args.push(param(s, not_closing, IDENT)?);
    close(s)?;
    Ok(node(op, name, args))
}

fn remove_func(s: &mut Scanner, name: String, accept: Accept) -> Result<Piece, ParseError> {
    let op = op(s, accept)?;
    let args = vec![param(s, not_closing, IDENT)?];
    close(s)?;
    Ok(node(op, name, args))
}

fn replace_func(s: &mut Scanner, name: String) -> Result<Piece, ParseError> {
    let op = op(s, replace_op)?;
    let mut args = Vec::new();
    if s.peek() == Some('/') {
        args.push(Piece::Text(String::new()));
    } else {
        args.push(param(s, not_slash, IDENT | ESCAPE)?);
    }
    s.set(slash, IDENT);
    if s.scan() != Token::Ident {
        return Err(ParseError::Bad);
    }
    if s.peek() == Some('}') {
        close(s)?;
        return Ok(node(op, name, args));
    }
    args.push(param(s, not_closing, IDENT | ESCAPE)?);
    close(s)?;
    Ok(node(op, name, args))
}

fn default_func(s: &mut Scanner, name: String) -> Result<Piece, ParseError> {
    let accept: Accept = if s.peek() == Some('=') {
        one_equal
    } else {
        default_op
    };
    let op = op(s, accept).map_err(|_| ParseError::DefaultFunction)?;
    let mut args = Vec::new();
    loop {
        if s.peek() == Some('}') {
            close(s)?;
            return Ok(node(op, name, args));
        }
        args.push(param(s, not_closing, IDENT)?);
    }
}

fn len_func(s: &mut Scanner) -> Result<Piece, ParseError> {
    let op = op(s, one_hash)?;
    s.set(ident_char, IDENT);
    if s.scan() != Token::Ident {
        return Err(ParseError::Bad);
    }
    let name = s.text();
    close(s)?;
    Ok(node(op, name, Vec::new()))
}
