//! The values BurntSushi/toml's parser keeps (Go `map[string]any` shared by reference,
//! `[]map[string]any` for arrays of tables, `[]any`, and scalars) and how `toml.Unmarshal`
//! into a `map[string]interface{}` hands them to templates: as they are.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::times::{Stamp, Zone};
use crate::template::{Dict, ElemType, List, Value};

/// A Go `map[string]any`: shared, so a table reached twice is one table, as in Go.
pub(super) type Map = Rc<RefCell<BTreeMap<String, Node>>>;

pub(super) fn new_map() -> Map {
    Rc::new(RefCell::new(BTreeMap::new()))
}

/// A parsed TOML value, typed as BurntSushi's parser stores it.
#[derive(Clone)]
pub(super) enum Node {
    Table(Map),
    TableArray(Vec<Map>),
    Array(Vec<Node>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(Stamp),
}

/// Converts the parser's mapping, keeping maps that Go shares shared.
pub(super) fn to_dict(root: &Map) -> Dict {
    let mut seen = HashMap::new();
    map_dict(root, &mut seen)
}

type Seen = HashMap<*const RefCell<BTreeMap<String, Node>>, Dict>;

fn map_dict(m: &Map, seen: &mut Seen) -> Dict {
    if let Some(d) = seen.get(&Rc::as_ptr(m)) {
        return d.clone();
    }
    let d = Dict::new();
    seen.insert(Rc::as_ptr(m), d.clone());
    // Maps never contain themselves, so reading this one while converting those below
    // (borrowed again only for reading when shared) is safe.
    for (k, v) in m.borrow().iter() {
        let value = node_value(v, seen);
        d.insert(k.clone(), value);
    }
    d
}

fn node_value(n: &Node, seen: &mut Seen) -> Value {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || match n {
        Node::Table(m) => Value::Dict(map_dict(m, seen)),
        Node::TableArray(items) => Value::List(List::typed(
            ElemType::Map,
            items
                .iter()
                .map(|m| Value::Dict(map_dict(m, seen)))
                .collect(),
        )),
        Node::Array(items) => Value::list(items.iter().map(|x| node_value(x, seen)).collect()),
        Node::Str(s) => Value::from(s.as_str()),
        Node::Int(i) => Value::Int64(*i),
        Node::Float(f) => Value::Float(*f),
        Node::Bool(b) => Value::Bool(*b),
        Node::Time(t) => time_value(t),
    })
}

/// The `time.Time` Go's `ParseInLocation` gives for the stamp.
fn time_value(t: &Stamp) -> Value {
    match t.zone {
        Zone::Utc => crate::sprig::time_in_zone(t.wall, t.nanos, 0, "UTC"),
        Zone::Offset(off) => crate::sprig::time_value(t.wall - i64::from(off), t.nanos, off),
        Zone::Local(name) => {
            let off = chrono::Local::now().offset().local_minus_utc();
            crate::sprig::time_in_zone(t.wall - i64::from(off), t.nanos, off, name)
        }
    }
}
