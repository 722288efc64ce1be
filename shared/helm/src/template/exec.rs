//! Execution of parsed templates, as Go's text/template exec.go: walking the tree, control
//! structures (if, with, range with break/continue, template calls), variables, printing,
//! and errors located at the node being evaluated.

mod args;
mod eval;
mod val;

use super::ast::{Arg, Branch, Command, Node, Pipe, Tree};
use super::error::{BoxError, Error, ExecError};
use super::funcs::Extensions;
use super::set::Templates;
use super::strconv::quote;
use super::value::{ElemType, Value};

pub(crate) use val::Val;

const RED_ZONE: usize = 128 * 1024;
const STACK_GROWTH: usize = 4 * 1024 * 1024;

pub(crate) type Result<T> = std::result::Result<T, Failure>;

/// Why evaluation stopped: a template error, or the output limit.
#[derive(Debug)]
pub(crate) enum Failure {
    Exec(ExecError),
    OutputLimit { name: String, limit: usize },
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Exec(e) => Error::Exec(e),
            Failure::OutputLimit { name, limit } => Error::OutputLimit { name, limit },
        }
    }
}

/// How a list walk ended: normally, or by `{{break}}` / `{{continue}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// The node being evaluated, for error locations and contexts.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
}

impl At<'_> {
    fn pos_and_context(&self) -> Option<(usize, String)> {
        Some(match self {
            At::None => return None,
            At::Node(n) => (node_pos(n), n.to_string()),
            At::Pipe(p) => (p.pos, p.to_string()),
            At::Cmd(c) => (c.pos, c.to_string()),
            At::Arg(a) => (a.pos(), a.to_string()),
        })
    }
}

fn node_pos(n: &Node) -> usize {
    match n {
        Node::Text { .. } => 0,
        Node::Action { pos, .. }
        | Node::Template { pos, .. }
        | Node::Break { pos }
        | Node::Continue { pos } => *pos,
        Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
    }
}

/// Runs `tree` of `set` on `data`, returning the output.
pub(crate) fn execute(
    set: &Templates,
    tree: &Tree,
    data: &Value,
    ext: &mut Extensions,
) -> std::result::Result<String, Error> {
    let dot = if data.is_nil() {
        Val::Invalid
    } else {
        Val::Concrete(data.clone())
    };
    let mut out = String::new();
    let mut state = State {
        set,
        tree,
        vars: vec![("$", dot.clone())],
        depth: 0,
        at: At::None,
        out: &mut out,
        ext,
    };
    state.walk_list(&dot, &tree.root)?;
    Ok(out)
}

/// The state of one template's execution (Go's `state`).
pub(crate) struct State<'a, 'o> {
    set: &'a Templates,
    tree: &'a Tree,
    vars: Vec<(&'a str, Val)>,
    depth: usize,
    at: At<'a>,
    out: &'o mut String,
    ext: &'o mut Extensions,
}

impl<'a> State<'a, '_> {
    fn errorf(&self, message: impl Into<String>) -> Failure {
        self.error_with(message.into(), None)
    }

    fn error_with(&self, message: String, source: Option<BoxError>) -> Failure {
        let at = self
            .at
            .pos_and_context()
            .map(|(pos, context)| (self.tree.location(pos), context));
        Failure::Exec(ExecError::new(&self.tree.name, at, message, source))
    }

    fn write(&mut self, s: &str) -> Result<()> {
        if let Some(limit) = self.set.options().max_output
            && self.out.len() + s.len() > limit
        {
            return Err(Failure::OutputLimit {
                name: self.tree.name.clone(),
                limit,
            });
        }
        self.out.push_str(s);
        Ok(())
    }

    fn var_value(&self, name: &str) -> Result<Val> {
        match self.vars.iter().rev().find(|(n, _)| *n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    fn set_var(&mut self, name: &str, value: Val) -> Result<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| *n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    fn set_top_var(&mut self, n: usize, value: Val) {
        let len = self.vars.len();
        if let Some(slot) = len.checked_sub(n).and_then(|i| self.vars.get_mut(i)) {
            slot.1 = value;
        }
    }

    fn walk_list(&mut self, dot: &Val, nodes: &'a [Node]) -> Result<Flow> {
        for node in nodes {
            let flow = stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || self.walk(dot, node))?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Val, node: &'a Node) -> Result<Flow> {
        self.at = At::Node(node);
        match node {
            Node::Text { text } => self.write(text)?,
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print_value(node, &val)?;
                }
            }
            Node::If(b) => return self.walk_if_or_with(false, dot, b),
            Node::With(b) => return self.walk_if_or_with(true, dot, b),
            Node::Range(b) => return self.walk_range(dot, node, b),
            Node::Template { name, pipe, .. } => {
                self.walk_template(dot, node, name, pipe.as_ref())?
            }
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Val, b: &'a Branch) -> Result<Flow> {
        let mark = self.vars.len();
        let result = self.if_or_with_body(with, dot, b);
        self.vars.truncate(mark);
        result
    }

    fn if_or_with_body(&mut self, with: bool, dot: &Val, b: &'a Branch) -> Result<Flow> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        if val.truth() {
            return self.walk_list(if with { &val } else { dot }, &b.list);
        }
        match &b.else_list {
            Some(list) => self.walk_list(dot, list),
            None => Ok(Flow::Normal),
        }
    }

    fn walk_range(&mut self, dot: &Val, node: &'a Node, r: &'a Branch) -> Result<Flow> {
        self.at = At::Node(node);
        let mark = self.vars.len();
        let result = self.range_body(dot, r);
        self.vars.truncate(mark);
        result.map(|_| Flow::Normal)
    }

    fn range_body(&mut self, dot: &Val, r: &'a Branch) -> Result<()> {
        let val = match self.eval_pipeline(dot, &r.pipe)? {
            Val::Concrete(v @ Value::Object(_)) => Val::Concrete(v.deref_object()),
            val => val,
        };
        let mark = self.vars.len();
        let decls = r.pipe.decl.len();
        let iterated = match val.concrete() {
            Some(Value::Int(n) | Value::Int64(n)) => {
                if decls > 1 {
                    return Err(self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        val.describe()
                    )));
                }
                let make = |i| {
                    if matches!(val.concrete(), Some(Value::Int64(_))) {
                        Value::Int64(i)
                    } else {
                        Value::Int(i)
                    }
                };
                for i in 0..*n {
                    if self.one_iteration(r, mark, Val::Invalid, Val::Concrete(make(i)))?
                        == Flow::Break
                    {
                        break;
                    }
                }
                *n > 0
            }
            Some(Value::Bytes(b)) => {
                let items: Vec<Value> = b.iter().map(|&x| Value::Int(i64::from(x))).collect();
                self.range_items(r, mark, ElemType::Int, &items)?
            }
            Some(Value::List(l)) => self.range_items(r, mark, l.elem_type(), &l.snapshot())?,
            Some(Value::Dict(d)) => {
                let elem = d.elem_type();
                let entries = d.snapshot();
                for (k, v) in &entries {
                    let key = Val::Concrete(Value::from(k.as_str()));
                    if self.one_iteration(r, mark, key, Val::elem(elem, v.clone()))? == Flow::Break
                    {
                        break;
                    }
                }
                !entries.is_empty()
            }
            None if matches!(val, Val::Invalid) => false,
            _ => return Err(self.errorf(format!("range can't iterate over {}", val.describe()))),
        };
        if !iterated && let Some(list) = &r.else_list {
            self.walk_list(dot, list)?;
        }
        Ok(())
    }

    /// Ranges over slice elements; returns whether there were any.
    fn range_items(
        &mut self,
        r: &'a Branch,
        mark: usize,
        elem: ElemType,
        items: &[Value],
    ) -> Result<bool> {
        for (i, item) in items.iter().enumerate() {
            let index = Val::Concrete(Value::Int(i as i64));
            if self.one_iteration(r, mark, index, Val::elem(elem, item.clone()))? == Flow::Break {
                break;
            }
        }
        Ok(!items.is_empty())
    }

    fn one_iteration(&mut self, r: &'a Branch, mark: usize, index: Val, elem: Val) -> Result<Flow> {
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                let target = if decl.len() > 1 {
                    index.clone()
                } else {
                    elem.clone()
                };
                self.set_var(&decl[0].idents[0], target)?;
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1].idents[0], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let flow = self.walk_list(&elem, &r.list);
        self.vars.truncate(mark);
        flow
    }

    fn walk_template(
        &mut self,
        dot: &Val,
        node: &'a Node,
        name: &str,
        pipe: Option<&'a Pipe>,
    ) -> Result<()> {
        self.at = At::Node(node);
        let Some(tree) = self.set.lookup(name) else {
            return Err(self.errorf(format!("template {} not defined", quote(name))));
        };
        if self.depth >= self.set.options().max_depth {
            return Err(self.errorf(format!(
                "exceeded maximum template depth ({})",
                self.set.options().max_depth
            )));
        }
        let dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Val::Invalid,
        };
        let mut callee = State {
            set: self.set,
            tree,
            vars: vec![("$", dot.clone())],
            depth: self.depth + 1,
            at: self.at,
            out: &mut *self.out,
            ext: &mut *self.ext,
        };
        callee.walk_list(&dot, &tree.root)?;
        Ok(())
    }

    fn print_value(&mut self, node: &'a Node, val: &Val) -> Result<()> {
        self.at = At::Node(node);
        let text = match val {
            Val::Invalid => "<no value>".to_string(),
            Val::Iface(Value::Nil) => "<nil>".to_string(),
            Val::Iface(Value::Object(o)) | Val::Concrete(Value::Object(o)) => o.print(),
            Val::Iface(v) | Val::Concrete(v) => v.to_string(),
        };
        self.write(&text)
    }
}

#[cfg(test)]
mod tests;
