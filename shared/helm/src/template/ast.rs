//! Parse tree of a template: the node kinds of Go's text/template/parse, with byte positions
//! for error locations and Go's `String()` rendering used as error context (`at <...>`).

use std::fmt::{self, Display, Formatter, Write};
use std::sync::Arc;

use super::strconv::quote;

/// One parsed template: a top-level file, a `define`, or a `block` body.
#[derive(Debug)]
pub struct Tree {
    /// The template's name (the file name, or the name given to define/block).
    pub(crate) name: String,
    /// The name of the top-level template being parsed, used in error locations.
    pub(crate) parse_name: String,
    /// The full text that was parsed, to turn byte positions into line:column.
    pub(crate) text: Arc<str>,
    pub(crate) root: Vec<Node>,
}

impl Tree {
    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Go's `ErrorContext` location: `parse_name:line:col`, col being a 0-based byte offset.
    pub(crate) fn location(&self, pos: usize) -> String {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        format!("{}:{}:{}", self.parse_name, line, col)
    }

    /// Go's `IsEmptyTree`: only whitespace text (and comments, which we drop) remain.
    pub(crate) fn is_empty(&self) -> bool {
        is_empty_list(&self.root)
    }
}

pub(crate) fn is_empty_list(nodes: &[Node]) -> bool {
    nodes
        .iter()
        .all(|n| matches!(n, Node::Text { text, .. } if text.trim_ascii().is_empty()))
}

/// A statement-level node.
#[derive(Debug)]
pub(crate) enum Node {
    Text {
        text: String,
    },
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break {
        pos: usize,
    },
    Continue {
        pos: usize,
    },
}

/// The common shape of if, range and with.
#[derive(Debug)]
pub(crate) struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline with optional variable declarations (`$x :=`) or assignments (`$x =`).
#[derive(Debug)]
pub(crate) struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<Variable>,
    pub cmds: Vec<Command>,
}

/// A variable reference or declaration; `idents[0]` includes the `$`.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub pos: usize,
    pub idents: Vec<String>,
}

/// One command of a pipeline: a function or field with its arguments.
#[derive(Debug)]
pub(crate) struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

/// A number literal, stored under every type that can represent it (Go's ideal constants).
#[derive(Debug)]
pub(crate) struct Number {
    pub pos: usize,
    pub text: String,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
}

/// An operand of a command.
#[derive(Debug)]
pub(crate) enum Arg {
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    Variable(Variable),
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Identifier {
        pos: usize,
        name: String,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        value: bool,
    },
    Number(Box<Number>),
    String {
        pos: usize,
        quoted: String,
        text: String,
    },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Variable(v) => v.pos,
            Arg::Number(n) => n.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Display for Variable {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.idents.join("."))
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => idents.iter().try_for_each(|id| write!(f, ".{id}")),
            Arg::Variable(v) => v.fmt(f),
            Arg::Chain { node, fields, .. } => {
                if matches!(**node, Arg::Pipe(_)) {
                    write!(f, "({node})")?;
                } else {
                    node.fmt(f)?;
                }
                fields.iter().try_for_each(|id| write!(f, ".{id}"))
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_char('.'),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { value, .. } => write!(f, "{value}"),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => p.fmt(f),
        }
    }
}

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if matches!(arg, Arg::Pipe(_)) {
                write!(f, "({arg})")?;
            } else {
                arg.fmt(f)?;
            }
        }
        Ok(())
    }
}

impl Display for Pipe {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                v.fmt(f)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            c.fmt(f)?;
        }
        Ok(())
    }
}

fn write_list(f: &mut Formatter<'_>, nodes: &[Node]) -> fmt::Result {
    nodes.iter().try_for_each(|n| n.fmt(f))
}

fn write_branch(f: &mut Formatter<'_>, name: &str, b: &Branch) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}", b.pipe)?;
    write_list(f, &b.list)?;
    if let Some(else_list) = &b.else_list {
        f.write_str("{{else}}")?;
        write_list(f, else_list)?;
    }
    f.write_str("{{end}}")
}

impl Display for Node {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text { text } => f.write_str(text),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template { name, pipe, .. } => {
                write!(f, "{{{{template {}", quote(name))?;
                if let Some(p) = pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_is_line_and_zero_based_column() {
        let tree = Tree {
            name: "t".into(),
            parse_name: "p".into(),
            text: "ab\ncd{{x}}".into(),
            root: vec![],
        };
        assert_eq!(tree.location(0), "p:1:0");
        assert_eq!(tree.location(1), "p:1:1");
        assert_eq!(tree.location(5), "p:2:2");
    }

    #[test]
    fn nodes_render_like_go() {
        let var = Variable {
            pos: 0,
            idents: vec!["$x".into(), "a".into()],
        };
        let cmd = Command {
            pos: 0,
            args: vec![
                Arg::Identifier {
                    pos: 0,
                    name: "printf".into(),
                },
                Arg::String {
                    pos: 0,
                    quoted: "\"%d\"".into(),
                    text: "%d".into(),
                },
                Arg::Variable(var.clone()),
                Arg::Pipe(Box::new(Pipe {
                    pos: 0,
                    is_assign: false,
                    decl: vec![],
                    cmds: vec![Command {
                        pos: 0,
                        args: vec![Arg::Dot { pos: 0 }],
                    }],
                })),
            ],
        };
        let pipe = Pipe {
            pos: 0,
            is_assign: false,
            decl: vec![var],
            cmds: vec![cmd],
        };
        assert_eq!(pipe.to_string(), "$x.a := printf \"%d\" $x.a (.)");
        let node = Node::Template {
            pos: 0,
            name: "n".into(),
            pipe: None,
        };
        assert_eq!(node.to_string(), "{{template \"n\"}}");
    }
}
