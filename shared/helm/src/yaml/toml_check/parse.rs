//! BurntSushi/toml's parser (v1.6): the mapping it builds, with the key tables it keeps to
//! find redefined keys and tables (and the redefinitions it lets through), its number and
//! datetime validation, and its `(last key "...")` error context.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::lex::{Item, Lexer, Ty, is_bare};
use super::times::parse_datetime;
use super::tree::{Map, Node, new_map};
use super::values::{
    check_escapes, float, integer, strip_escaped_newlines, strip_first_newline, unescape,
};
use crate::template::strconv::quote;

/// A parse failure: the line, the key in scope, and the message.
pub(super) struct Failure {
    pub line: usize,
    pub last_key: String,
    pub message: String,
}

type Res<T> = Result<T, Failure>;

/// Deepest nesting of arrays, and of tables, accepted. BurntSushi/toml v1.6 (Helm v4's) has
/// no limit; later versions refuse depth past 128 with these messages. Far beyond any real
/// document, this bounds the stack and the time that keys as long as the nesting cost.
const MAX_DEPTH: usize = 1_000;

/// BurntSushi's `Key.String`: parts joined by dots, quoted unless bare.
fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| {
            if !k.is_empty() && k.chars().all(is_bare) {
                k.clone()
            } else {
                quote(k)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) struct Parser<'a> {
    lx: Lexer<'a>,
    context: Vec<String>,
    current_key: String,
    line: usize,
    is_array: HashMap<String, bool>,
    array_depth: usize,
    mapping: Map,
    implicits: HashSet<String>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(input: &'a str) -> Parser<'a> {
        Parser {
            lx: Lexer::new(input),
            context: Vec::new(),
            current_key: String::new(),
            line: 1,
            is_array: HashMap::new(),
            array_depth: 0,
            mapping: new_map(),
            implicits: HashSet::new(),
        }
    }

    pub(super) fn run(&mut self) -> Res<()> {
        loop {
            let it = self.next()?;
            if it.ty == Ty::Eof {
                return Ok(());
            }
            self.top_level(it)?;
        }
    }

    /// The decoded document (after `run` succeeded).
    pub(super) fn mapping(&self) -> &Map {
        &self.mapping
    }

    fn current(&self) -> String {
        if self.current_key.is_empty() {
            return key_string(&self.context);
        }
        if self.context.is_empty() {
            return self.current_key.clone();
        }
        format!("{}.{}", key_string(&self.context), self.current_key)
    }

    fn fail_at(&self, line: usize, message: String) -> Failure {
        Failure {
            line,
            last_key: self.current(),
            message,
        }
    }

    fn fail(&self, message: String) -> Failure {
        self.fail_at(self.line, message)
    }

    fn next(&mut self) -> Res<Item> {
        let it = self.lx.next_item();
        if it.ty == Ty::Error {
            return Err(self.fail_at(it.line, it.val));
        }
        Ok(it)
    }

    fn next_pos(&mut self) -> Res<Item> {
        let it = self.next()?;
        self.line = it.line;
        Ok(it)
    }

    /// Key parts up to (and consuming) the item of type `end`.
    fn key_parts(&mut self, first: Item, end: Ty) -> Res<Vec<String>> {
        let mut key = Vec::new();
        let mut it = first;
        while it.ty != end && it.ty != Ty::Eof {
            key.push(self.key_string(&it)?);
            it = self.next()?;
        }
        Ok(key)
    }

    fn key_string(&self, it: &Item) -> Res<String> {
        match it.ty {
            Ty::Text => Ok(it.val.clone()),
            _ => self.string(it),
        }
    }

    /// A string item's value: escapes decoded, a multi-line string's first newline and
    /// line-ending backslashes removed.
    fn string(&self, it: &Item) -> Res<String> {
        let check = |s: String| {
            check_escapes(&s).map_err(|m| self.fail_at(it.line, m))?;
            Ok(unescape(&s))
        };
        match it.ty {
            Ty::StrEsc => check(it.val.clone()),
            Ty::MultiStr => check(strip_escaped_newlines(strip_first_newline(&it.val))),
            Ty::RawMultiStr => Ok(strip_first_newline(&it.val).to_string()),
            _ => Ok(it.val.clone()),
        }
    }

    fn top_level(&mut self, it: Item) -> Res<()> {
        match it.ty {
            Ty::CommentStart => {
                self.next()?;
            }
            Ty::TableStart | Ty::ArrayTableStart => {
                let array = it.ty == Ty::ArrayTableStart;
                let end = if array {
                    Ty::ArrayTableEnd
                } else {
                    Ty::TableEnd
                };
                let first = self.next_pos()?;
                let key = self.key_parts(first, end)?;
                self.add_context(&key, array)?;
                self.set_type("", false);
            }
            Ty::KeyStart => {
                let outer = self.context.clone();
                let first = self.next_pos()?;
                let key = self.key_parts(first, Ty::KeyEnd)?;
                self.current_key = key.last().cloned().unwrap_or_default();
                let parent = &key[..key.len().saturating_sub(1)];
                for part in parent {
                    let mut k = self.context.clone();
                    k.push(part.clone());
                    self.add_implicit_context(&k)?;
                }
                let v = self.next()?;
                let (val, arr) = self.value(v, false)?;
                let ck = self.current_key.clone();
                self.set_value(&ck, val)?;
                self.set_type(&ck, arr);
                self.context = outer;
                self.current_key.clear();
            }
            _ => {}
        }
        Ok(())
    }

    /// A value and whether it is an array (the only type the key tables ask about).
    fn value(&mut self, it: Item, parent_is_array: bool) -> Res<(Node, bool)> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.value_inner(it, parent_is_array)
        })
    }

    fn value_inner(&mut self, it: Item, parent_is_array: bool) -> Res<(Node, bool)> {
        let at = |r: Result<Node, String>| r.map_err(|m| self.fail_at(it.line, m));
        let node = match it.ty {
            Ty::Str | Ty::StrEsc | Ty::RawStr | Ty::MultiStr | Ty::RawMultiStr => {
                Node::Str(self.string(&it)?)
            }
            Ty::Integer => at(integer(&it.val).map(Node::Int))?,
            Ty::Float => at(float(&it.val).map(Node::Float))?,
            Ty::Bool => Node::Bool(it.val == "true"),
            Ty::Datetime => at(parse_datetime(&it.val).map(Node::Time))?,
            Ty::Array => return self.array(),
            Ty::InlineTableStart => return self.inline_table(parent_is_array),
            // The lexer hands nothing else to a value; Go would report a bug.
            _ => Node::Str(it.val.clone()),
        };
        Ok((node, false))
    }

    fn array(&mut self) -> Res<(Node, bool)> {
        if self.array_depth >= MAX_DEPTH {
            return Err(self.fail(format!("exceeds maximum array depth of {MAX_DEPTH}")));
        }
        self.array_depth += 1;
        let result = self.array_items();
        self.array_depth -= 1;
        result
    }

    fn array_items(&mut self) -> Res<(Node, bool)> {
        let ck = self.current_key.clone();
        self.set_type(&ck, true);
        let mut items = Vec::new();
        loop {
            let it = self.next()?;
            match it.ty {
                Ty::ArrayEnd | Ty::Eof => return Ok((Node::Array(items), true)),
                Ty::CommentStart => {
                    self.next()?;
                }
                _ => items.push(self.value(it, true)?.0),
            }
        }
    }

    /// An inline table: its keys go through the parser's tables like any others, and the
    /// value is a map of its own built alongside (what an array of inline tables keeps).
    fn inline_table(&mut self, parent_is_array: bool) -> Res<(Node, bool)> {
        let top = new_map();
        let (outer_context, outer_key) = (self.context.clone(), self.current_key.clone());
        self.context.push(self.current_key.clone());
        let prev = self.context.clone();
        self.current_key.clear();
        self.implicits.insert(key_string(&self.context));
        let ctx = self.context.clone();
        self.add_context(&ctx, parent_is_array)?;
        loop {
            let it = self.next()?;
            match it.ty {
                Ty::InlineTableEnd | Ty::Eof => break,
                Ty::CommentStart => {
                    self.next()?;
                    continue;
                }
                _ => {}
            }
            self.inline_entry(&top)?;
            self.context = prev.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((Node::Table(top), false))
    }

    /// One `key = value` of an inline table, set in the parser's tables and in `top`.
    fn inline_entry(&mut self, top: &Map) -> Res<()> {
        let first = self.next_pos()?;
        let key = self.key_parts(first, Ty::KeyEnd)?;
        self.current_key = key.last().cloned().unwrap_or_default();
        let parent: Vec<String> = key[..key.len().saturating_sub(1)].to_vec();
        for p in &parent {
            let mut k = self.context.clone();
            k.push(p.clone());
            self.add_implicit_context(&k)?;
        }
        let v = self.next()?;
        let (val, arr) = self.value(v, false)?;
        let ck = self.current_key.clone();
        self.set_value(&ck, val.clone())?;
        self.set_type(&ck, arr);
        let mut hash = Rc::clone(top);
        for c in &parent {
            let next = match hash
                .borrow_mut()
                .entry(c.clone())
                .or_insert_with(|| Node::Table(new_map()))
            {
                Node::Table(t) => Some(Rc::clone(t)),
                _ => None,
            };
            hash = next.ok_or_else(|| {
                self.fail(format!(
                    "{} is not a table",
                    quote(&key_string(&self.context))
                ))
            })?;
        }
        hash.borrow_mut().insert(ck, val);
        Ok(())
    }

    fn set_type(&mut self, key: &str, array: bool) {
        let mut k = self.context.clone();
        if !key.is_empty() {
            k.push(key.to_string());
        }
        if k.is_empty() {
            k.push(String::new());
        }
        self.is_array.insert(key_string(&k), array);
    }

    fn add_implicit_context(&mut self, key: &[String]) -> Res<()> {
        self.implicits.insert(key_string(key));
        self.add_context(key, false)
    }

    /// The table a key part names within `hash`: a table, or an array of tables' last.
    fn sub_table(hash: &Map, k: &str) -> Option<Map> {
        match hash.borrow().get(k) {
            Some(Node::Table(t)) => Some(Rc::clone(t)),
            Some(Node::TableArray(v)) => v.last().cloned(),
            _ => None,
        }
    }

    /// BurntSushi's `addContext`: implicit tables for the parents, then a new table (or a
    /// new element of an array of tables) for the last part.
    fn add_context(&mut self, key: &[String], array: bool) -> Res<()> {
        let Some((last, parent)) = key.split_last() else {
            return Ok(());
        };
        if key.len() >= MAX_DEPTH {
            // No key context: it would be as long as the nesting.
            return Err(Failure {
                line: self.line,
                last_key: String::new(),
                message: format!("exceeds maximum table depth of {MAX_DEPTH}"),
            });
        }
        let mut hash = Rc::clone(&self.mapping);
        for (i, k) in parent.iter().enumerate() {
            if !hash.borrow().contains_key(k) {
                self.implicits.insert(key_string(&parent[..=i]));
                hash.borrow_mut().insert(k.clone(), Node::Table(new_map()));
            }
            hash = Self::sub_table(&hash, k).ok_or_else(|| {
                self.fail(format!(
                    "Key '{}' was already created as a hash.",
                    key_string(&parent[..=i])
                ))
            })?;
        }
        self.context = parent.to_vec();
        if array {
            let pushed = match hash
                .borrow_mut()
                .entry(last.clone())
                .or_insert_with(|| Node::TableArray(Vec::new()))
            {
                Node::TableArray(v) => {
                    v.push(new_map());
                    true
                }
                _ => false,
            };
            if !pushed {
                let msg = format!(
                    "Key '{}' was already created and cannot be used as an array.",
                    key_string(key)
                );
                return Err(self.fail(msg));
            }
        } else {
            self.set_value(last, Node::Table(new_map()))?;
        }
        self.context.push(last.clone());
        Ok(())
    }

    /// BurntSushi's `setValue`: a key defined before is an error unless it was implicit;
    /// an implicit table keeps its first map, but an array is replaced.
    fn set_value(&mut self, key: &str, value: Node) -> Res<()> {
        let mut hash = Rc::clone(&self.mapping);
        for (i, k) in self.context.iter().enumerate() {
            if !hash.borrow().contains_key(k) {
                // Go reports a parser bug here; the context is always established first.
                return Ok(());
            }
            hash = Self::sub_table(&hash, k).ok_or_else(|| {
                self.fail(format!(
                    "Key '{}' has already been defined.",
                    key_string(&self.context[..=i])
                ))
            })?;
        }
        let mut key_context = self.context.clone();
        key_context.push(key.to_string());
        let ks = key_string(&key_context);
        if hash.borrow().contains_key(key) {
            if self.is_array.get(&ks).copied().unwrap_or(false) {
                if !self.implicits.contains(&ks) {
                    return Err(self.fail(format!("Key '{ks}' has already been defined.")));
                }
                self.implicits.remove(&ks);
                hash.borrow_mut().insert(key.to_string(), value);
                return Ok(());
            }
            if self.implicits.remove(&ks) {
                return Ok(());
            }
            return Err(self.fail(format!("Key '{ks}' has already been defined.")));
        }
        hash.borrow_mut().insert(key.to_string(), value);
        Ok(())
    }
}
