//! Strategic merge patch on the node tree, as kustomize applies it (kyaml's merge2
//! walker with lists growing at the front): maps merge field by field, `null` clears,
//! lists with a merge strategy in the schema merge element by element (`smp_list.rs`),
//! other lists are replaced, and `$patch: replace|delete|merge` directives steer maps
//! and lists. Every node of the object is walked, even where the patch has nothing.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use super::schema::{self, CustomSchema, Schema};
use crate::transform::fieldspec;
use crate::yaml::{Content, Node};

#[path = "smp_list.rs"]
mod list;

const DIRECTIVE: &str = "$patch";

/// Why a patch cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmpError {
    #[error("wrong node kind: expected {expected} but got {got}")]
    Kind {
        expected: &'static str,
        got: &'static str,
    },
    #[error("unknown patch strategy '{0}'")]
    UnknownStrategy(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    Merge,
    Replace,
    Delete,
}

/// The outcome of merging one node.
enum Out {
    /// The field or element goes away.
    Clear,
    /// A value, removed anyway when it is a null.
    Set(Node),
    /// A null that stays (it was in the object and the patch did not touch it).
    Keep(Node),
}

impl Out {
    fn node(self) -> Option<Node> {
        match self {
            Out::Clear => None,
            Out::Set(n) | Out::Keep(n) => Some(n),
        }
    }
}

/// Merges `patch` into `dest`, with the built-in schema or a custom one. `None`: the
/// patch deleted the object.
pub fn merge(
    dest: Node,
    patch: Node,
    custom: Option<&Rc<CustomSchema>>,
) -> Result<Option<Node>, SmpError> {
    let cx = Cx {
        custom,
        updates: RefCell::new(Vec::new()),
    };
    let out = cx.walk(Some(dest), Some(patch), None, false)?;
    let mut merged = out.node().filter(|n| !n.is_null());
    if let Some(n) = merged.as_mut() {
        fieldspec::propagate(n, &cx.updates.borrow());
    }
    Ok(merged)
}

fn kind_name(n: &Node) -> &'static str {
    match n.content {
        Content::Scalar(_) => "ScalarNode",
        Content::Sequence(_) => "SequenceNode",
        Content::Mapping(_) => "MappingNode",
    }
}

fn present(n: &Option<Node>) -> Option<&Node> {
    n.as_ref().filter(|n| !n.is_null())
}

/// What every level of the walk needs.
struct Cx<'a> {
    custom: Option<&'a Rc<CustomSchema>>,
    /// Values written over shared nodes, for [`fieldspec::propagate`].
    updates: RefCell<Vec<Node>>,
}

fn detect_schema(nodes: [&Option<Node>; 2], custom: Option<&Rc<CustomSchema>>) -> Option<Schema> {
    nodes.into_iter().flatten().find_map(|n| {
        let av = n.get_str(&["apiVersion"]).unwrap_or_default();
        let kind = n.get_str(&["kind"]).unwrap_or_default();
        if av.is_empty() || kind.is_empty() || !n.is_mapping() {
            return None;
        }
        schema::for_type(av, kind, custom)
    })
}

impl Cx<'_> {
    /// kyaml's `Walker.Walk` over (dest, origin). `same`: `dest` is the patch itself
    /// (kyaml walks one node twice there, and directives are removed from both).
    fn walk(
        &self,
        dest: Option<Node>,
        origin: Option<Node>,
        schema: Option<Schema>,
        same: bool,
    ) -> Result<Out, SmpError> {
        let schema = schema.or_else(|| detect_schema([&dest, &origin], self.custom));
        let kind = present(&dest).or(present(&origin)).map(kind_name);
        for n in [present(&dest), present(&origin)].into_iter().flatten() {
            if let Some(k) = kind
                && kind_name(n) != k
            {
                return Err(SmpError::Kind {
                    expected: k,
                    got: kind_name(n),
                });
            }
        }
        match kind {
            None | Some("MappingNode") => self.walk_map(dest, origin, schema, same),
            Some("SequenceNode") => match schema.as_ref().and_then(Schema::merge_keys) {
                Some(keys) => self.walk_list(dest, origin, schema.as_ref(), &keys, same),
                None => Ok(origin.or(dest).map_or(Out::Clear, Out::Set)),
            },
            _ => Ok(origin.or(dest).map_or(Out::Clear, Out::Set)),
        }
    }
}

fn map_directive(patch: &mut Node) -> Result<Directive, SmpError> {
    if !patch.is_mapping() {
        return Err(SmpError::Kind {
            expected: "MappingNode",
            got: kind_name(patch),
        });
    }
    let Some(v) = patch.get(DIRECTIVE) else {
        return Ok(Directive::Merge);
    };
    let value = v.scalar().unwrap_or_default().to_string();
    let d = parse_directive(&value)?;
    patch.remove(DIRECTIVE);
    Ok(d)
}

fn parse_directive(value: &str) -> Result<Directive, SmpError> {
    match value {
        "delete" => Ok(Directive::Delete),
        "replace" => Ok(Directive::Replace),
        "merge" => Ok(Directive::Merge),
        other => Err(SmpError::UnknownStrategy(other.to_string())),
    }
}

/// kyaml's `FieldSetter` on one field of `out`: a new value takes the style of the
/// value it replaces, and is written over it in place, so a go-yaml node shared with
/// other places (label values) changes there too (recorded in `updates`).
fn set_field(out: &mut Node, name: &str, result: Out, updates: &RefCell<Vec<Node>>) {
    match result {
        Out::Keep(v) => out.set(name, v),
        Out::Set(mut v) if !v.is_null() => {
            if let Some(old) = out.get(name) {
                v.style = old.style;
                v.flow = old.flow;
                v.share_id = old.share_id;
                if v.share_id != 0 && (v.content != old.content || v.tag != old.tag) {
                    updates.borrow_mut().push(v.clone());
                }
            }
            out.set(name, v);
        }
        Out::Set(_) | Out::Clear => {
            out.remove(name);
        }
    }
}

impl Cx<'_> {
    /// kyaml's `walkMap` with merge2's `VisitMap`.
    fn walk_map(
        &self,
        dest: Option<Node>,
        mut origin: Option<Node>,
        schema: Option<Schema>,
        same: bool,
    ) -> Result<Out, SmpError> {
        let (mut out, child_same) = if present(&dest).is_none() {
            let d = origin.as_mut().map(map_directive);
            if matches!(d, Some(Ok(Directive::Delete))) {
                return Ok(Out::Clear);
            }
            match (&origin, dest) {
                (None, Some(d)) if d.scalar().is_some_and(|s| !s.is_empty()) => {
                    return Ok(Out::Keep(d));
                }
                (None, _) => return Ok(Out::Clear),
                (Some(o), _) => (o.clone(), true),
            }
        } else if origin.as_ref().is_some_and(Node::is_null) {
            return Ok(Out::Clear);
        } else {
            let d = match origin.as_mut() {
                Some(o) => map_directive(o)?,
                None => Directive::Merge,
            };
            match (d, &origin) {
                (Directive::Delete, _) => return Ok(Out::Clear),
                (Directive::Replace, Some(o)) => (o.clone(), true),
                (Directive::Merge, Some(o)) if same => (o.clone(), true),
                _ => (dest.unwrap_or_else(Node::mapping), false),
            }
        };
        let empty = Node::mapping();
        let o = origin.as_ref().unwrap_or(&empty);
        let names: BTreeSet<String> = out
            .entries()
            .iter()
            .chain(o.entries())
            .filter_map(|(k, _)| k.scalar().map(str::to_string))
            .collect();
        for name in names {
            let d = out.get(&name).cloned();
            let of = o.get(&name).cloned();
            let sub = schema.as_ref().and_then(|s| s.field(&name));
            let result = self.walk(d, of, sub, child_same)?;
            set_field(&mut out, &name, result, &self.updates);
        }
        Ok(Out::Set(out))
    }
}

#[cfg(test)]
#[path = "smp_tests.rs"]
mod tests;
