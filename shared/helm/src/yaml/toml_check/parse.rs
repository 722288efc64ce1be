//! BurntSushi/toml's parser (v1.6) as a check: the key tables it keeps to find redefined
//! keys and tables, its number and datetime validation, and its `(last key "...")` context.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::lex::{Item, Lexer, Ty, is_bare};
use super::values::{check_datetime, check_escapes, check_float, check_integer, unescape};
use crate::template::strconv::quote;

/// A parse failure: the line, the key in scope, and the message.
pub(super) struct Failure {
    pub line: usize,
    pub last_key: String,
    pub message: String,
}

type Res<T> = Result<T, Failure>;

/// What a key holds, as far as redefinition checks need.
enum Slot {
    Table(BTreeMap<String, Slot>),
    TableArray(Vec<BTreeMap<String, Slot>>),
    Value,
}

type Table = BTreeMap<String, Slot>;

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
    mapping: Table,
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
            mapping: Table::new(),
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
        Ok(match it.ty {
            Ty::StrEsc | Ty::MultiStr => {
                check_escapes(&it.val).map_err(|m| self.fail_at(it.line, m))?;
                unescape(&it.val)
            }
            _ => it.val.clone(),
        })
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

    fn value(&mut self, it: Item, parent_is_array: bool) -> Res<(Slot, bool)> {
        let check = |r: Result<(), String>| r.map_err(|m| self.fail_at(it.line, m));
        match it.ty {
            Ty::StrEsc | Ty::MultiStr => check(check_escapes(&it.val))?,
            Ty::Integer => check(check_integer(&it.val))?,
            Ty::Float => check(check_float(&it.val))?,
            Ty::Datetime => check(check_datetime(&it.val))?,
            Ty::Array => return self.array(),
            Ty::InlineTableStart => return self.inline_table(parent_is_array),
            _ => {}
        }
        Ok((Slot::Value, false))
    }

    fn array(&mut self) -> Res<(Slot, bool)> {
        let ck = self.current_key.clone();
        self.set_type(&ck, true);
        loop {
            let it = self.next()?;
            match it.ty {
                Ty::ArrayEnd | Ty::Eof => return Ok((Slot::Value, true)),
                Ty::CommentStart => {
                    self.next()?;
                }
                _ => {
                    self.value(it, true)?;
                }
            }
        }
    }

    fn inline_table(&mut self, parent_is_array: bool) -> Res<(Slot, bool)> {
        let mut top = Table::new();
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
            // The map built here is the value's copy; the parser's own tables got theirs.
            let copy = match &val {
                Slot::Table(_) => Slot::Table(Table::new()),
                _ => Slot::Value,
            };
            self.set_value(&ck, val)?;
            self.set_type(&ck, arr);
            let mut hash = &mut top;
            for c in &parent {
                let slot = hash
                    .entry(c.clone())
                    .or_insert_with(|| Slot::Table(Table::new()));
                match slot {
                    Slot::Table(t) => hash = t,
                    _ => {
                        let msg = format!("{} is not a table", quote(&key_string(&self.context)));
                        return Err(self.fail(msg));
                    }
                }
            }
            hash.insert(ck, copy);
            self.context = prev.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((Slot::Table(top), false))
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

    /// Descends from the root through `path`, creating implicit tables when `create`.
    fn descend(&mut self, path: &[String], create: bool, err: &str) -> Res<()> {
        let mut hash = &mut self.mapping;
        let mut so_far: Vec<String> = Vec::new();
        for k in path {
            so_far.push(k.clone());
            if !hash.contains_key(k) {
                if !create {
                    return Ok(());
                }
                self.implicits.insert(key_string(&so_far));
                hash.insert(k.clone(), Slot::Table(Table::new()));
            }
            let next = match hash.get_mut(k) {
                Some(Slot::TableArray(v)) => v.last_mut(),
                Some(Slot::Table(t)) => Some(t),
                _ => None,
            };
            hash = match next {
                Some(t) => t,
                None => {
                    let msg = err.replace("{}", &key_string(&so_far));
                    return Err(Failure {
                        line: self.line,
                        last_key: String::new(),
                        message: msg,
                    });
                }
            };
        }
        Ok(())
    }

    fn table_at(&mut self, path: &[String]) -> Option<&mut Table> {
        let mut hash = &mut self.mapping;
        for k in path {
            hash = match hash.get_mut(k)? {
                Slot::TableArray(v) => v.last_mut()?,
                Slot::Table(t) => t,
                Slot::Value => return None,
            };
        }
        Some(hash)
    }

    fn add_context(&mut self, key: &[String], array: bool) -> Res<()> {
        let Some((last, parent)) = key.split_last() else {
            return Ok(());
        };
        self.descend(parent, true, "Key '{}' was already created as a hash.")
            .map_err(|f| self.fail(f.message))?;
        self.context = parent.to_vec();
        if array {
            let Some(hash) = self.table_at(parent) else {
                return Ok(());
            };
            let slot = hash
                .entry(last.clone())
                .or_insert_with(|| Slot::TableArray(Vec::new()));
            match slot {
                Slot::TableArray(v) => v.push(Table::new()),
                _ => {
                    let msg = format!(
                        "Key '{}' was already created and cannot be used as an array.",
                        key_string(key)
                    );
                    return Err(self.fail(msg));
                }
            }
        } else {
            self.set_value(last, Slot::Table(Table::new()))?;
        }
        self.context.push(last.clone());
        Ok(())
    }

    fn set_value(&mut self, key: &str, value: Slot) -> Res<()> {
        let ctx = self.context.clone();
        self.descend(&ctx, false, "Key '{}' has already been defined.")
            .map_err(|f| self.fail(f.message))?;
        let mut key_context = ctx.clone();
        key_context.push(key.to_string());
        let ks = key_string(&key_context);
        let exists = self.table_at(&ctx).is_some_and(|h| h.contains_key(key));
        if exists {
            if self.is_array.get(&ks).copied().unwrap_or(false) {
                if !self.implicits.contains(&ks) {
                    return Err(self.fail(format!("Key '{ks}' has already been defined.")));
                }
                self.implicits.remove(&ks);
                if let Some(h) = self.table_at(&ctx) {
                    h.insert(key.to_string(), value);
                }
                return Ok(());
            }
            if self.implicits.remove(&ks) {
                return Ok(());
            }
            return Err(self.fail(format!("Key '{ks}' has already been defined.")));
        }
        if let Some(h) = self.table_at(&ctx) {
            h.insert(key.to_string(), value);
        }
        Ok(())
    }
}
