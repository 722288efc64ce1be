//! Strategic merge patch on the node tree, as kustomize applies it (kyaml's merge2
//! walker with lists growing at the front): maps merge field by field, `null` clears,
//! lists with a merge key in the schema merge element by element, other lists are
//! replaced, and `$patch: replace|delete|merge` directives steer maps and lists.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::schema::{self, CustomSchema, Schema};
use crate::yaml::{Content, Node};

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
    /// A null that stays (it was in the resource and the patch did not touch it).
    Keep(Node),
}

/// Merges `patch` into `dest`, with the built-in schema or a custom one. `None`: the
/// patch deleted the object.
pub fn merge(
    dest: Node,
    patch: Node,
    custom: Option<&Rc<CustomSchema>>,
) -> Result<Option<Node>, SmpError> {
    let cx = Cx { custom };
    let out = cx.walk(Some(dest), Some(patch), None, false)?;
    Ok(match out {
        Out::Clear => None,
        Out::Set(n) | Out::Keep(n) => (!n.is_null()).then_some(n),
    })
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

/// `same`: `dest` is the patch itself (kyaml walks one node twice there).
impl Cx<'_> {
    fn walk(
        &self,
        dest: Option<Node>,
        origin: Option<Node>,
        schema: Option<Schema>,
        same: bool,
    ) -> Result<Out, SmpError> {
        let Some(origin) = origin else {
            return Ok(match dest {
                None => Out::Clear,
                Some(d) if d.is_null() && d.scalar().is_some_and(str::is_empty) => Out::Clear,
                Some(d) => Out::Keep(d),
            });
        };
        let schema = schema.or_else(|| detect_schema([&dest, &Some(origin.clone())], self.custom));
        let kind = present(&dest)
            .or_else(|| (!origin.is_null()).then_some(&origin))
            .map(kind_name);
        for n in [present(&dest), (!origin.is_null()).then_some(&origin)]
            .into_iter()
            .flatten()
        {
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
                None => Ok(Out::Set(origin)),
            },
            _ => Ok(Out::Set(origin)),
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

impl Cx<'_> {
    fn walk_map(
        &self,
        dest: Option<Node>,
        mut origin: Node,
        schema: Option<Schema>,
        same: bool,
    ) -> Result<Out, SmpError> {
        let (mut out, child_same) = if present(&dest).is_none() {
            if map_directive(&mut origin).ok() == Some(Directive::Delete) {
                return Ok(Out::Clear);
            }
            (origin.clone(), true)
        } else if origin.is_null() {
            return Ok(Out::Clear);
        } else {
            match map_directive(&mut origin)? {
                Directive::Delete => return Ok(Out::Clear),
                Directive::Replace => (origin.clone(), true),
                Directive::Merge if same => (origin.clone(), true),
                Directive::Merge => (dest.unwrap_or_else(Node::mapping), false),
            }
        };
        let names: BTreeSet<String> = out
            .entries()
            .iter()
            .chain(origin.entries())
            .filter_map(|(k, _)| k.scalar().map(str::to_string))
            .collect();
        for name in names {
            let d = out.get(&name).cloned();
            let o = origin.get(&name).cloned();
            let sub = schema.as_ref().and_then(|s| s.field(&name));
            match self.walk(d, o, sub, child_same)? {
                Out::Keep(v) => out.set(&name, v),
                Out::Set(v) if !v.is_null() => out.set(&name, v),
                Out::Set(_) | Out::Clear => {
                    out.remove(&name);
                }
            }
        }
        Ok(Out::Set(out))
    }
}

/// kyaml's `determineSequenceNodePatchStrategy`: an element `{$patch: x}` alone.
fn list_directive(patch: &mut Node) -> Result<Directive, SmpError> {
    let found = patch
        .items()
        .iter()
        .find(|e| e.is_mapping() && e.get(DIRECTIVE).is_some());
    let Some(elem) = found else {
        return Ok(Directive::Merge);
    };
    if elem.entries().len() > 1 {
        return Ok(Directive::Merge);
    }
    let value = elem
        .get(DIRECTIVE)
        .and_then(Node::scalar)
        .unwrap_or_default()
        .to_string();
    let d = parse_directive(&value)?;
    if let Content::Sequence(items) = &mut patch.content {
        items.retain(|e| {
            !e.is_null_or_empty() && (!e.is_mapping() || e.get_str(&[DIRECTIVE]) != Some(&value))
        });
    }
    Ok(d)
}

impl Cx<'_> {
    fn walk_list(
        &self,
        dest: Option<Node>,
        mut origin: Node,
        schema: Option<&Schema>,
        keys: &[String],
        same: bool,
    ) -> Result<Out, SmpError> {
        let base = if present(&dest).is_none() {
            origin.clone()
        } else if origin.is_null() {
            return Ok(Out::Clear);
        } else {
            match list_directive(&mut origin)? {
                Directive::Delete => return Ok(Out::Clear),
                Directive::Replace => origin.clone(),
                Directive::Merge if same => origin.clone(),
                Directive::Merge => dest.unwrap_or_else(Node::sequence),
            }
        };
        let elem_schema = schema.and_then(Schema::elements);
        let items = if keys.is_empty() {
            merge_scalars(base.items(), origin.items())?
        } else {
            self.merge_keyed(base.items(), origin.items(), keys, elem_schema, same)?
        };
        let mut out = base;
        out.content = Content::Sequence(items);
        Ok(Out::Set(out))
    }
}

/// The value of each merge key in an element ("" when missing or empty).
fn key_values(elem: &Node, keys: &[String]) -> Vec<String> {
    keys.iter()
        .map(|k| match elem.get(k) {
            Some(v) if !v.is_null_or_empty() => v.scalar().unwrap_or_default().to_string(),
            _ => String::new(),
        })
        .collect()
}

/// kyaml's `validateKeys`: keys whose value is missing are left out, unless all are.
fn valid_keys(values: &[String], keys: &[String]) -> Vec<(String, String)> {
    let valid: Vec<_> = keys
        .iter()
        .zip(values)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if valid.is_empty() {
        keys.iter()
            .zip(values)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    } else {
        valid
    }
}

fn matches(elem: &Node, pairs: &[(String, String)]) -> bool {
    elem.is_mapping()
        && pairs.iter().all(|(k, v)| {
            elem.get(k)
                .is_some_and(|f| f.scalar().unwrap_or_default() == v)
        })
}

impl Cx<'_> {
    fn merge_keyed(
        &self,
        dest: &[Node],
        origin: &[Node],
        keys: &[String],
        schema: Option<Schema>,
        same: bool,
    ) -> Result<Vec<Node>, SmpError> {
        let mut values: Vec<Vec<String>> = Vec::new();
        for e in origin.iter().chain(dest) {
            let v = key_values(e, keys);
            if !values.contains(&v) {
                values.push(v);
            }
        }
        let mut items: Vec<Node> = Vec::new();
        for v in &values {
            let pairs = valid_keys(v, keys);
            let d = dest.iter().find(|e| matches(e, &pairs)).cloned();
            let o = origin.iter().find(|e| matches(e, &pairs)).cloned();
            let mut val = match self.walk(d, o, schema.clone(), same)? {
                Out::Clear => continue,
                Out::Set(n) | Out::Keep(n) => n,
            };
            if val.is_null_or_empty() && !val.is_sequence() {
                continue;
            }
            for (k, v) in &pairs {
                if val.get(k).is_none() {
                    val.set(k, Node::plain(v.clone()));
                }
            }
            match items.iter_mut().find(|e| matches(e, &pairs)) {
                Some(slot) => *slot = val,
                None => items.push(val),
            }
        }
        Ok(items)
    }
}

fn merge_scalars(dest: &[Node], origin: &[Node]) -> Result<Vec<Node>, SmpError> {
    let mut values: Vec<&str> = Vec::new();
    for e in origin.iter().chain(dest) {
        let v = e.scalar().unwrap_or_default();
        if !values.contains(&v) {
            values.push(v);
        }
    }
    let mut items = Vec::new();
    for v in values {
        let find = |l: &[Node]| l.iter().find(|e| e.scalar() == Some(v)).cloned();
        let val = match find(origin).or_else(|| find(dest)) {
            Some(n) if !n.is_null() => n,
            _ => continue,
        };
        items.push(val);
    }
    Ok(items)
}

#[cfg(test)]
#[path = "smp_tests.rs"]
mod tests;
