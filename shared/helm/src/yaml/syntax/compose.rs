//! go-yaml v2's composer over the parser's events, with the parts of its decoder that shape
//! the data: the first document as a node tree, aliases expanded, merge keys applied the
//! way v2 applies them, and v2's decode-time errors (an anchor that contains itself, a merge
//! value that is not a map, excessive aliasing), reported once the document has parsed,
//! as v2 decodes only then.

use std::collections::HashMap;

use fluxion_kustomize::yaml::resolve::short_tag;
use fluxion_kustomize::yaml::{Content, Node, Style};

use super::events::{Event, NodeEvent, NodeKind};
use super::parser::Parser;
use super::{Deferred, Document, Failure, Mark, Res, Stage};

const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// What an anchor name refers to now: go-yaml v2 registers an anchor when its node
/// starts, so an alias inside the node itself finds it still open.
enum Anchor {
    Open(u64),
    Done(Node, usize),
}

/// A collection being built.
struct Frame {
    node: Node,
    anchor: Option<(String, u64)>,
    /// A mapping's key waiting for its value, and whether it is the merge key `<<`.
    key: Option<(Node, bool)>,
}

struct Composer {
    frames: Vec<Frame>,
    anchors: HashMap<String, Anchor>,
    next_id: u64,
    root: Option<Node>,
    /// The first of v2's decode-time errors, for after a clean parse.
    deferred: Option<Deferred>,
    /// v2's decoder counters for its alias-ratio guard.
    decoded: usize,
    aliased: usize,
}

/// The first document of `text` as go-yaml v2 composes it.
pub(super) fn first_document(text: &[u8]) -> Res<Document> {
    let mut parser = Parser::new(text);
    let mut c = Composer {
        frames: Vec::new(),
        anchors: HashMap::new(),
        next_id: 0,
        root: None,
        deferred: None,
        decoded: 0,
        aliased: 0,
    };
    loop {
        match parser.next()? {
            Event::StreamEnd | Event::DocumentEnd => return Ok(c.finish()),
            Event::StreamStart | Event::DocumentStart => {}
            Event::Node(ev) => c.node(ev),
            Event::Alias(name, mark) => c.alias(&name, mark)?,
            Event::CollectionEnd => c.end(),
        }
    }
}

fn composer_error(problem: String) -> Failure {
    Failure {
        stage: Stage::Composer,
        problem,
        problem_mark: Mark::default(),
        context_mark: Mark::default(),
    }
}

/// go-yaml v2's `allowedAliasRatio`: 99% of decoded nodes may come from aliases in small
/// documents, falling to 10% between 400,000 and 4,000,000 decoded nodes.
fn allowed_alias_ratio(decoded: usize) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let d = decoded as f64;
    if d <= LOW {
        0.99
    } else if d >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((d - LOW) / (HIGH - LOW))
    }
}

fn count_nodes(n: &Node) -> usize {
    match &n.content {
        Content::Scalar(_) => 1,
        Content::Sequence(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Content::Mapping(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
    }
}

/// A node as the decoder sees it: the tag short (`!!str`) and marked as written, or
/// empty; source positions 1-based.
fn new_node(ev: &NodeEvent, content: Content, style: Style, flow: bool) -> Node {
    Node {
        content,
        tag: if ev.tag.is_empty() {
            String::new()
        } else {
            short_tag(&ev.tag)
        },
        style,
        tagged: !ev.tag.is_empty(),
        flow,
        line: ev.mark.line as u32 + 1,
        column: ev.mark.column as u32 + 1,
        share_id: 0,
    }
}

impl Composer {
    fn finish(self) -> Document {
        Document {
            root: self.root,
            deferred: self.deferred,
        }
    }

    /// Keeps the decode-time error that comes first in the document (go-yaml decodes in
    /// document order; a merge error is found at its `<<` key, before the merged value).
    fn defer(&mut self, message: &str, line: u32, column: u32) {
        if self
            .deferred
            .as_ref()
            .is_some_and(|d| (d.line, d.column) <= (line, column))
        {
            return;
        }
        self.deferred = Some(Deferred {
            line,
            column,
            message: message.to_string(),
        });
    }

    fn node(&mut self, mut ev: NodeEvent) {
        self.decoded += 1;
        let anchor = ev.anchor.take().map(|name| {
            self.next_id += 1;
            self.anchors
                .insert(name.clone(), Anchor::Open(self.next_id));
            (name, self.next_id)
        });
        let kind = std::mem::replace(&mut ev.kind, NodeKind::Sequence { flow: false });
        match kind {
            NodeKind::Scalar {
                value,
                style,
                implicit,
            } => {
                let merge = value == "<<" && (implicit || ev.tag == MERGE_TAG);
                let node = new_node(&ev, Content::Scalar(value), style, false);
                self.complete(node, anchor, merge);
            }
            NodeKind::Sequence { flow } => {
                let node = new_node(&ev, Content::Sequence(Vec::new()), Style::Plain, flow);
                self.open(node, anchor);
            }
            NodeKind::Mapping { flow } => {
                let node = new_node(&ev, Content::Mapping(Vec::new()), Style::Plain, flow);
                self.open(node, anchor);
            }
        }
    }

    fn open(&mut self, node: Node, anchor: Option<(String, u64)>) {
        self.frames.push(Frame {
            node,
            anchor,
            key: None,
        });
    }

    fn end(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.complete(frame.node, frame.anchor, false);
        }
    }

    fn alias(&mut self, name: &str, mark: Mark) -> Res<()> {
        let (line, column) = (mark.line as u32 + 1, mark.column as u32 + 1);
        let expanded = match self.anchors.get(name) {
            None => {
                return Err(composer_error(format!(
                    "unknown anchor '{name}' referenced"
                )));
            }
            Some(Anchor::Open(_)) => {
                self.defer(
                    &format!("anchor '{name}' value contains itself"),
                    line,
                    column,
                );
                None
            }
            Some(Anchor::Done(node, size)) => Some((node, *size)),
        };
        let node = match expanded {
            Some((node, size)) if self.alias_allowed(size) => {
                let mut node = node.clone();
                restamp(&mut node, line, column);
                self.decoded += size;
                self.aliased += size;
                node
            }
            Some(_) => {
                self.defer("document contains excessive aliasing", line, column);
                Node::null()
            }
            None => Node::null(),
        };
        self.complete(node, None, false);
        Ok(())
    }

    /// go-yaml v2's guard against alias bombs, checked before a copy is made.
    fn alias_allowed(&self, size: usize) -> bool {
        let decoded = self.decoded + size;
        let aliased = self.aliased + size;
        !(aliased > 100
            && decoded > 1000
            && aliased as f64 / decoded as f64 > allowed_alias_ratio(decoded))
    }

    /// Hangs a finished node on its parent (or makes it the root) and records its anchor.
    fn complete(&mut self, node: Node, anchor: Option<(String, u64)>, merge: bool) {
        if let Some((name, id)) = anchor
            && matches!(self.anchors.get(&name), Some(Anchor::Open(open)) if *open == id)
        {
            let size = count_nodes(&node);
            self.anchors.insert(name, Anchor::Done(node.clone(), size));
        }
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut frame.node.content {
            Content::Sequence(items) => items.push(node),
            Content::Mapping(entries) => match frame.key.take() {
                None => frame.key = Some((node, merge)),
                Some((key, false)) => entries.push((key, node)),
                Some((key, true)) => {
                    // v2 merges a sequence's maps last to first and fails at the first
                    // item that is not a map, once the maps after it are decoded.
                    let (line, column) = match &node.content {
                        Content::Sequence(_) => last_position(&node),
                        _ => (key.line, key.column),
                    };
                    if let Err(problem) = merge_into(entries, node) {
                        self.defer(problem, line, column + 1);
                    }
                }
            },
            Content::Scalar(_) => {}
        }
    }
}

/// Places an alias's copy where the alias stands: what the decoder meets there comes
/// after everything before the alias.
fn restamp(node: &mut Node, line: u32, column: u32) {
    node.line = line;
    node.column = column;
    match &mut node.content {
        Content::Scalar(_) => {}
        Content::Sequence(items) => items.iter_mut().for_each(|n| restamp(n, line, column)),
        Content::Mapping(entries) => entries.iter_mut().for_each(|(k, v)| {
            restamp(k, line, column);
            restamp(v, line, column);
        }),
    }
}

/// The position of the last node that starts within `node`.
fn last_position(node: &Node) -> (u32, u32) {
    let last = match &node.content {
        Content::Scalar(_) => None,
        Content::Sequence(items) => items.last().map(last_position),
        Content::Mapping(entries) => entries.last().map(|(_, v)| last_position(v)),
    };
    last.unwrap_or((node.line, node.column))
}

/// go-yaml v2's merge: the merged map's entries are set where `<<` stands, so keys
/// before it are overwritten and keys after it win; of a sequence of maps, earlier maps
/// win (v2 applies them last to first). Entries are appended; later duplicates win when
/// the mapping is decoded.
fn merge_into(entries: &mut Vec<(Node, Node)>, value: Node) -> Result<(), &'static str> {
    const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";
    match value.content {
        Content::Mapping(merged) => entries.extend(merged),
        Content::Sequence(items) => {
            for item in items.into_iter().rev() {
                match item.content {
                    Content::Mapping(merged) => entries.extend(merged),
                    _ => return Err(WANT_MAP),
                }
            }
        }
        Content::Scalar(_) => return Err(WANT_MAP),
    }
    Ok(())
}
