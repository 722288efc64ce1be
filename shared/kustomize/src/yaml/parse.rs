//! YAML text to [`Node`] trees: go-yaml v3's node construction on saphyr-parser's events.
//!
//! Tags are resolved as go-yaml's parser does (`p.node`), aliases are expanded and merge
//! keys applied as kyaml's `DeAnchor` does, with a bound on the expanded size so that an
//! alias bomb fails instead of eating memory.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::node::{Content, Node, Style};
use super::quirks;
use super::resolve::{self, Flavor, MAP_TAG, MERGE_TAG, SEQ_TAG, STR_TAG};

/// Most nodes one document may expand to through aliases.
pub const MAX_NODES: usize = 2_000_000;

/// Deepest nesting of collections accepted; deeper input fails instead of exhausting
/// the stack of the recursive steps that follow (go-yaml stops at 10000).
pub const MAX_DEPTH: usize = 1000;

/// A YAML syntax or structure error, with the 1-based line where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("yaml: line {line}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

impl YamlError {
    fn new(line: usize, message: impl Into<String>) -> YamlError {
        YamlError {
            line,
            message: message.into(),
        }
    }
}

enum Frame {
    Seq(Node, usize),
    Map(Node, usize, Option<Node>),
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    nodes: usize,
}

fn full_tag(tag: Option<&Tag>) -> String {
    tag.map(|t| format!("{}{}", t.handle, t.suffix))
        .unwrap_or_default()
}

/// go-yaml's `p.node`: an explicit tag wins, then the default tag, then resolution.
fn node_tag(explicit: &str, default: &str, plain_value: Option<&str>) -> (String, bool) {
    if !explicit.is_empty() && explicit != "!" {
        return (resolve::short_tag(explicit), true);
    }
    if !default.is_empty() {
        return (default.to_string(), false);
    }
    let v = plain_value.unwrap_or_default();
    (resolve::resolve_plain(Flavor::V3, v).0.to_string(), false)
}

fn count_nodes(n: &Node) -> usize {
    match &n.content {
        Content::Scalar(_) => 1,
        Content::Sequence(v) => 1 + v.iter().map(count_nodes).sum::<usize>(),
        Content::Mapping(v) => {
            1 + v
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
    }
}

impl Builder {
    fn new() -> Builder {
        Builder {
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            nodes: 0,
        }
    }

    fn bump(&mut self, n: usize, line: usize) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(YamlError::new(line, "document contains excessive aliasing"));
        }
        Ok(())
    }

    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(seq, _)) => {
                if let Content::Sequence(items) = &mut seq.content {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Content::Mapping(entries) = &mut map.content {
                        entries.push((key, node));
                    }
                }
            },
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), YamlError> {
        let style = match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        };
        let default = match style {
            Style::Plain if value == "<<" => MERGE_TAG,
            Style::Plain => "",
            _ => STR_TAG,
        };
        let (tag, tagged) = node_tag(&full_tag(tag), default, Some(value));
        let node = Node {
            content: Content::Scalar(value.to_string()),
            tag,
            style,
            tagged,
            flow: false,
            line: span.start.line() as u32,
            column: span.start.col() as u32 + 1,
            share_id: 0,
        };
        self.bump(1, span.start.line())?;
        self.finish(node, anchor)
    }

    fn start(
        &mut self,
        seq: bool,
        flow: bool,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), YamlError> {
        let (content, default) = if seq {
            (Content::Sequence(Vec::new()), SEQ_TAG)
        } else {
            (Content::Mapping(Vec::new()), MAP_TAG)
        };
        let (tag, tagged) = node_tag(&full_tag(tag), default, None);
        let node = Node {
            content,
            tag,
            style: Style::Plain,
            tagged,
            flow,
            line: span.start.line() as u32,
            column: span.start.col() as u32 + 1,
            share_id: 0,
        };
        self.bump(1, span.start.line())?;
        if self.stack.len() >= MAX_DEPTH {
            let msg = format!("exceeded max depth of {MAX_DEPTH}");
            return Err(YamlError::new(span.start.line(), msg));
        }
        self.stack.push(if seq {
            Frame::Seq(node, anchor)
        } else {
            Frame::Map(node, anchor, None)
        });
        Ok(())
    }

    fn end(&mut self) -> Result<(), YamlError> {
        match self.stack.pop() {
            Some(Frame::Seq(node, anchor)) => self.finish(node, anchor),
            Some(Frame::Map(mut node, anchor, _)) => {
                apply_merge_keys(&mut node)?;
                self.finish(node, anchor)
            }
            None => Err(YamlError::new(0, "unbalanced collection end")),
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), YamlError> {
        let line = span.start.line();
        let node = self
            .anchors
            .get(&id)
            .cloned()
            .ok_or_else(|| YamlError::new(line, "unknown anchor referenced"))?;
        self.bump(count_nodes(&node), line)?;
        self.finish(node, 0)
    }
}

/// Collects the mappings a merge value names, in the order kyaml applies them.
fn merge_sources(value: &Node, line: u32) -> Result<Vec<Node>, YamlError> {
    let bad = || {
        YamlError::new(
            line as usize,
            "map merge requires map or sequence of maps as the value",
        )
    };
    match &value.content {
        Content::Mapping(_) => Ok(vec![value.clone()]),
        Content::Sequence(items) => {
            let mut out: Vec<Node> = Vec::new();
            for item in items {
                if item.is_sequence() {
                    return Err(YamlError::new(
                        line as usize,
                        "invalid map merge: received a nested sequence",
                    ));
                }
                let mut found = merge_sources(item, line)?;
                found.append(&mut out);
                out = found;
            }
            Ok(out)
        }
        Content::Scalar(_) => Err(bad()),
    }
}

/// kyaml's `removeMergeTags` + `mergeAll`: own keys win over merged ones, earlier merge
/// sources over later ones.
fn apply_merge_keys(node: &mut Node) -> Result<(), YamlError> {
    let Content::Mapping(entries) = &mut node.content else {
        return Ok(());
    };
    let mut merge_value = None;
    for (k, v) in entries.iter() {
        if k.tag == MERGE_TAG {
            if merge_value.is_some() {
                return Err(YamlError::new(k.line as usize, "duplicate merge key"));
            }
            merge_value = Some(v.clone());
        }
    }
    let Some(value) = merge_value else {
        return Ok(());
    };
    let sources = merge_sources(&value, node.line)?;
    let own: Vec<(Node, Node)> = entries
        .drain(..)
        .filter(|(k, _)| k.tag != MERGE_TAG)
        .collect();
    let mut result = own.clone();
    for src in sources
        .iter()
        .map(Node::entries)
        .chain(std::iter::once(own.as_slice()))
    {
        for (k, v) in src {
            let key = k.scalar();
            match result
                .iter_mut()
                .find(|(rk, _)| key.is_some() && rk.scalar() == key)
            {
                Some(slot) => *slot = (k.clone(), v.clone()),
                None => result.push((k.clone(), v.clone())),
            }
        }
    }
    *entries = result;
    Ok(())
}

fn scan_error(e: &saphyr_parser::ScanError) -> YamlError {
    YamlError::new(e.marker().line(), e.info().to_string())
}

/// Parses documents of `text`, at most `limit` of them, retrying when what saphyr-parser
/// refused is something go-yaml accepts (see [`quirks`]).
fn parse_documents(text: &str, limit: usize) -> Result<Vec<Node>, YamlError> {
    let mut text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
    for _ in 0..MAX_RETRIES {
        let fixed = match parse_once(&text, limit) {
            Ok(docs) => return Ok(docs),
            Err(Retry::Fail(e)) => return Err(e),
            Err(Retry::Quote(e, at)) => quirks::rewrite_quote_escape(&text, at).ok_or(e)?,
            Err(Retry::Tab(e, at)) => quirks::rewrite_tab_separator(&text, at).ok_or(e)?,
        };
        text = fixed;
    }
    Err(YamlError::new(0, "too many quirks to work around"))
}

/// Bound on re-parses for go-yaml compatibility rewrites.
const MAX_RETRIES: usize = 256;

enum Retry {
    Quote(YamlError, usize),
    Tab(YamlError, usize),
    Fail(YamlError),
}

impl From<YamlError> for Retry {
    fn from(e: YamlError) -> Retry {
        Retry::Fail(e)
    }
}

/// saphyr-parser does not report collection styles: block collections start with an
/// empty span (or one covering only their anchor and tag), flow ones at `{` or `[`.
fn is_flow(text: &str, cursor: &mut quirks::CharCursor<'_>, span: Span) -> bool {
    span.end.index() > span.start.index()
        && quirks::opens_flow(text, cursor.byte_at(span.start.index()))
}

fn parse_once(text: &str, limit: usize) -> Result<Vec<Node>, Retry> {
    let check_slash = text.contains("\\/");
    let mut parser = Parser::new_from_str(text);
    let mut cursor = quirks::CharCursor::new(text);
    let mut docs = Vec::new();
    let mut b = Builder::new();
    while let Some(ev) = parser.next_event() {
        let (event, span) = match ev {
            Ok(x) => x,
            Err(e) if e.info().contains("unknown escape") => {
                return Err(Retry::Quote(scan_error(&e), e.marker().index()));
            }
            Err(e) if e.info().contains("':' must be followed") => {
                return Err(Retry::Tab(scan_error(&e), e.marker().index()));
            }
            Err(e) => return Err(scan_error(&e).into()),
        };
        if check_slash
            && matches!(event, Event::Scalar(_, ScalarStyle::DoubleQuoted, _, _))
            && quirks::has_slash_escape(text, cursor.byte_at(span.start.index()))
        {
            let msg = "found unknown escape character while parsing a quoted scalar";
            return Err(YamlError::new(span.start.line(), msg).into());
        }
        match event {
            Event::DocumentStart(_) => b = Builder::new(),
            Event::DocumentEnd => {
                if let Some(root) = b.root.take() {
                    docs.push(root);
                }
                if docs.len() >= limit {
                    break;
                }
            }
            Event::Scalar(v, style, anchor, tag) => {
                b.scalar(&v, style, anchor, tag.as_deref(), span)?
            }
            Event::SequenceStart(anchor, tag) => {
                let flow = is_flow(text, &mut cursor, span);
                b.start(true, flow, anchor, tag.as_deref(), span)?
            }
            Event::MappingStart(anchor, tag) => {
                let flow = is_flow(text, &mut cursor, span);
                b.start(false, flow, anchor, tag.as_deref(), span)?
            }
            Event::SequenceEnd | Event::MappingEnd => b.end()?,
            Event::Alias(id) => b.alias(id, span)?,
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(docs)
}

/// Parses the first document of `text` as go-yaml's `Decoder.Decode` does once;
/// `None` when the text holds no document at all.
pub fn parse_first(text: &str) -> Result<Option<Node>, YamlError> {
    Ok(parse_documents(text, 1)?.into_iter().next())
}

/// Parses every document of a YAML stream.
pub fn parse_all(text: &str) -> Result<Vec<Node>, YamlError> {
    parse_documents(text, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Node {
        match parse_first(src) {
            Ok(Some(n)) => n,
            other => panic!("parse {src:?}: {other:?}"),
        }
    }

    #[test]
    fn tags_are_resolved_like_go_yaml() {
        let n = one("a: 1\nb: '1'\nc: yes\nd: ~\ne: !!str 12\nf: !custom x\ng: |\n  x\n");
        let tag = |k: &str| n.get(k).map(|v| v.tag.clone()).unwrap_or_default();
        assert_eq!(tag("a"), "!!int");
        assert_eq!(tag("b"), "!!str");
        assert_eq!(tag("c"), "!!str");
        assert_eq!(tag("d"), "!!null");
        assert_eq!(tag("e"), "!!str");
        assert_eq!(tag("f"), "!custom");
        assert_eq!(n.get_str(&["g"]), Some("x\n"));
    }

    #[test]
    fn aliases_and_merge_keys_expand() {
        let n = one("base: &b {x: 1, y: 2}\nother: &o {z: 3}\nm:\n  <<: [*b, *o]\n  y: 9\nr: *b\n");
        assert_eq!(n.get_str(&["m", "x"]), Some("1"));
        assert_eq!(n.get_str(&["m", "y"]), Some("9"));
        assert_eq!(n.get_str(&["m", "z"]), Some("3"));
        assert!(n.get_path(&["m", "<<"]).is_none());
        assert_eq!(n.get_str(&["r", "y"]), Some("2"));
    }

    #[test]
    fn first_document_only_and_errors() {
        assert_eq!(
            parse_first("a: 1\n---\nb: [\n")
                .ok()
                .flatten()
                .and_then(|n| n.get_str(&["a"]).map(String::from)),
            Some("1".into())
        );
        assert!(parse_first("").ok().flatten().is_none());
        assert!(parse_first("# only a comment\n").ok().flatten().is_none());
        assert!(parse_first("a: [1, 2\n").is_err());
        assert!(parse_first("a: *nope\n").is_err());
        assert!(parse_first("m:\n  <<: 1\n").is_err());
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(
            parse_first(&deep).is_err(),
            "saphyr-parser or our bound refuses it"
        );
        let block: String = (0..=MAX_DEPTH)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let err = parse_first(&block).err().map(|e| e.message);
        assert_eq!(err.as_deref(), Some("exceeded max depth of 1000"));
        let ok = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        let node = parse_first(&ok).ok().flatten().expect("parses");
        assert!(crate::yaml::node_to_yaml(&node).is_ok());
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let err = parse_first(&src).err().map(|e| e.message);
        assert_eq!(err.as_deref(), Some("document contains excessive aliasing"));
    }
}
