//! Parser of Go's text/template: builds the trees of one template text (the named template
//! plus every define and block in it), with Go's grammar, checks and error messages.

use std::collections::HashMap;
use std::sync::Arc;

mod number;
mod pipeline;

use super::ast::{Branch, Node, Tree, is_empty_list};
use super::error::ParseError;
use super::lex::{Item, ItemKind, Lexer};
use super::strconv::{quote, unquote};

#[cfg(test)]
use number::new_number;

const MAX_STACK_DEPTH: usize = 10_000;
const MAX_PIPELINE_CMDS: usize = 100_000;
const RED_ZONE: usize = 128 * 1024;
const STACK_GROWTH: usize = 2 * 1024 * 1024;

type Result<T> = std::result::Result<T, ParseError>;

/// What `textOrAction` found: a node, or an `{{end}}`/`{{else}}` that closes a list.
enum Parsed {
    Node(Node),
    End,
    Else,
}

impl Parsed {
    fn describe(&self) -> String {
        match self {
            Parsed::Node(n) => n.to_string(),
            Parsed::End => "{{end}}".into(),
            Parsed::Else => "{{else}}".into(),
        }
    }
}

/// Parses `text` as the template `name`: returns every tree it defines, keyed by name.
pub(crate) fn parse(
    name: &str,
    text: &str,
    delims: (&str, &str),
    has_func: &dyn Fn(&str) -> bool,
) -> Result<HashMap<String, Tree>> {
    let loops_ok = (!has_func("break"), !has_func("continue"));
    let mut p = Parser {
        lex: Lexer::new(text, delims.0, delims.1, loops_ok),
        token: std::array::from_fn(|_| Item {
            kind: ItemKind::Eof,
            pos: 0,
            val: "".into(),
            line: 1,
        }),
        peek_count: 0,
        vars: vec!["$".into()],
        parse_name: name,
        text: Arc::from(text),
        has_func,
        trees: HashMap::new(),
        action_line: 0,
        range_depth: 0,
        stack_depth: 0,
    };
    let root = p.parse_top()?;
    p.add(name.to_string(), root)?;
    Ok(p.trees)
}

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    token: [Item<'a>; 3],
    peek_count: usize,
    vars: Vec<String>,
    parse_name: &'a str,
    text: Arc<str>,
    has_func: &'f dyn Fn(&str) -> bool,
    trees: HashMap<String, Tree>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
}

/// Per-tree parser state, saved while a define or block body is parsed as its own tree.
struct Scope {
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
}

impl<'a> Parser<'a, '_> {
    fn next(&mut self) -> Item<'a> {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            self.token[0] = self.lex.next_item();
        }
        self.token[self.peek_count].clone()
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.token[1] = t1;
        self.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.token[1] = t1;
        self.token[2] = t2;
        self.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        if self.peek_count > 0 {
            return self.token[self.peek_count - 1].clone();
        }
        self.peek_count = 1;
        self.token[0] = self.lex.next_item();
        self.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.kind != ItemKind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> Result<T> {
        Err(ParseError::new(
            self.parse_name,
            self.token[0].line,
            msg.into(),
        ))
    }

    fn expect(&mut self, kind: ItemKind, context: &str) -> Result<Item<'a>> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn unexpected<T>(&self, token: &Item<'_>, context: &str) -> Result<T> {
        if token.kind == ItemKind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    /// Go's `Tree.add`: a non-empty tree may not replace another non-empty one.
    fn add(&mut self, name: String, root: Vec<Node>) -> Result<()> {
        if let Some(existing) = self.trees.get(&name)
            && !existing.is_empty()
        {
            if is_empty_list(&root) {
                return Ok(());
            }
            return self.errorf(format!(
                "template: multiple definition of template {}",
                quote(&name)
            ));
        }
        let tree = Tree {
            name: name.clone(),
            parse_name: self.parse_name.to_string(),
            text: self.text.clone(),
            root,
        };
        self.trees.insert(name, tree);
        Ok(())
    }

    fn enter_tree(&mut self) -> Scope {
        Scope {
            vars: std::mem::replace(&mut self.vars, vec!["$".into()]),
            action_line: std::mem::take(&mut self.action_line),
            range_depth: std::mem::take(&mut self.range_depth),
            stack_depth: std::mem::take(&mut self.stack_depth),
        }
    }

    fn leave_tree(&mut self, scope: Scope) {
        self.vars = scope.vars;
        self.action_line = scope.action_line;
        self.range_depth = scope.range_depth;
        self.stack_depth = scope.stack_depth;
    }

    fn parse_top(&mut self) -> Result<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().kind != ItemKind::Eof {
            if self.peek().kind == ItemKind::LeftDelim {
                let delim = self.next();
                if self.next_non_space().kind == ItemKind::Define {
                    let scope = self.enter_tree();
                    let result = self.parse_definition();
                    self.leave_tree(scope);
                    result?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.push(n),
                other => return self.errorf(format!("unexpected {}", other.describe())),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> Result<()> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        if !matches!(token.kind, ItemKind::String | ItemKind::RawString) {
            return self.unexpected(&token, CONTEXT);
        }
        let name = match unquote(&token.val) {
            Ok(n) => n,
            Err(e) => return self.errorf(e),
        };
        self.expect(ItemKind::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return self.errorf(format!("unexpected {} in {CONTEXT}", end.describe()));
        }
        self.add(name, root)
    }

    fn item_list(&mut self) -> Result<(Vec<Node>, Parsed)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != ItemKind::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                end => return Ok((list, end)),
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> Result<Parsed> {
        stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || {
            let token = self.next_non_space();
            match token.kind {
                ItemKind::Text => Ok(Parsed::Node(Node::Text {
                    text: token.val.into_owned(),
                })),
                ItemKind::LeftDelim => {
                    self.action_line = token.line;
                    let result = self.action();
                    self.action_line = 0;
                    result
                }
                _ => self.unexpected(&token, "input"),
            }
        })
    }

    fn action(&mut self) -> Result<Parsed> {
        let token = self.next_non_space();
        let node = match token.kind {
            ItemKind::Block => self.block_control()?,
            ItemKind::Break | ItemKind::Continue => self.loop_control(&token)?,
            ItemKind::Else => return self.else_control(),
            ItemKind::End => {
                self.expect(ItemKind::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemKind::If => Node::If(self.parse_control("if")?),
            ItemKind::Range => Node::Range(self.parse_control("range")?),
            ItemKind::Template => self.template_control()?,
            ItemKind::With => Node::With(self.parse_control("with")?),
            _ => {
                self.backup();
                let pos = self.peek().pos;
                Node::Action {
                    pos,
                    pipe: self.pipeline("command", ItemKind::RightDelim)?,
                }
            }
        };
        Ok(Parsed::Node(node))
    }

    fn loop_control(&mut self, keyword: &Item<'a>) -> Result<Node> {
        let name = if keyword.kind == ItemKind::Break {
            "{{break}}"
        } else {
            "{{continue}}"
        };
        let token = self.next_non_space();
        if token.kind != ItemKind::RightDelim {
            return self.unexpected(&token, name);
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{name} outside {{{{range}}}}"));
        }
        Ok(if keyword.kind == ItemKind::Break {
            Node::Break { pos: keyword.pos }
        } else {
            Node::Continue { pos: keyword.pos }
        })
    }

    fn else_control(&mut self) -> Result<Parsed> {
        let peek = self.peek_non_space();
        if matches!(peek.kind, ItemKind::If | ItemKind::With) {
            return Ok(Parsed::Else);
        }
        self.expect(ItemKind::RightDelim, "else")?;
        Ok(Parsed::Else)
    }

    fn parse_control(&mut self, context: &str) -> Result<Branch> {
        let vars = self.vars.len();
        let result = self.parse_control_inner(context);
        self.vars.truncate(vars);
        result
    }

    fn parse_control_inner(&mut self, context: &str) -> Result<Branch> {
        let pipe = self.pipeline(context, ItemKind::RightDelim)?;
        let is_range = context == "range";
        if is_range {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if is_range {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let Parsed::Else = next {
            let peek = self.peek().kind;
            if context == "if" && peek == ItemKind::If {
                self.next();
                else_list = Some(vec![Node::If(self.parse_control("if")?)]);
            } else if context == "with" && peek == ItemKind::With {
                self.next();
                else_list = Some(vec![Node::With(self.parse_control("with")?)]);
            } else {
                let (list, next) = self.item_list()?;
                if !matches!(next, Parsed::End) {
                    return self.errorf(format!("expected end; found {}", next.describe()));
                }
                else_list = Some(list);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn block_control(&mut self) -> Result<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemKind::RightDelim)?;
        let scope = self.enter_tree();
        let body = self.item_list();
        self.leave_tree(scope);
        let (root, end) = body?;
        if !matches!(end, Parsed::End) {
            return self.errorf(format!("unexpected {} in {CONTEXT}", end.describe()));
        }
        self.add(name.clone(), root)?;
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> Result<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().kind != ItemKind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemKind::RightDelim)?);
        }
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe,
        })
    }

    fn parse_template_name(&mut self, token: &Item<'a>, context: &str) -> Result<String> {
        match token.kind {
            ItemKind::String | ItemKind::RawString => match unquote(&token.val) {
                Ok(s) => Ok(s),
                Err(e) => self.errorf(e),
            },
            _ => self.unexpected(token, context),
        }
    }
}

#[cfg(test)]
mod tests;
