//! go-yaml v2's composer over the parser's events, then the part of its decoder that shapes
//! the data: aliases expanded, merge keys applied the way v2 applies them, and v2's
//! decode-time errors (an anchor that contains itself, a merge value that is not a map,
//! excessive aliasing).
//!
//! Composing shares anchored subtrees instead of copying them, so nested anchors cost
//! nothing extra, and builds subtrees with nothing to expand as final nodes; the
//! expansion then walks the document in v2's decode order, counting as
//! v2 counts for its alias-ratio guard. When it meets one of those errors it stops, and
//! the tree built so far is exactly what v2 had decoded by then: an error the value
//! decoder finds in it comes first, as in v2.

use std::collections::HashMap;
use std::rc::Rc;

use fluxion_kustomize::yaml::resolve::short_tag;
use fluxion_kustomize::yaml::{Content, Node, Style};

use super::events::{Event, NodeEvent, NodeKind};
use super::parser::Parser;
use super::{Document, Failure, Mark, Res, Stage};

const MERGE_TAG: &str = "tag:yaml.org,2002:merge";
const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";

/// A composed node; collections hold their children apart from the node itself. Only
/// anchored nodes are shared (with the aliases that name them).
#[derive(Clone)]
enum Tree {
    /// A subtree with nothing to expand (no anchor, alias or merge key in it), as the
    /// decoder will see it, and how many nodes it holds.
    Plain(Node, usize),
    /// The merge key `<<`.
    MergeKey(Node),
    Sequence(Node, Vec<Tree>),
    Mapping(Node, Vec<(Tree, Tree)>),
    Anchored(Rc<Tree>),
    /// An alias and the node it names; `None` while that node is still open (an alias
    /// inside its own anchor), with whether that node is a mapping.
    Alias {
        name: String,
        target: Option<Rc<Tree>>,
        open_mapping: bool,
    },
}

impl Tree {
    fn is_mapping(&self) -> bool {
        match self {
            Tree::Mapping(..) => true,
            Tree::Plain(n, _) => n.is_mapping(),
            Tree::Anchored(t)
            | Tree::Alias {
                target: Some(t), ..
            } => t.is_mapping(),
            Tree::Alias { open_mapping, .. } => *open_mapping,
            Tree::MergeKey(..) | Tree::Sequence(..) => false,
        }
    }
}

/// What an anchor name refers to now: go-yaml v2 registers an anchor when its node
/// starts, so an alias inside the node itself finds it still open.
enum Anchor {
    Open { id: u64, mapping: bool },
    Done(Rc<Tree>),
}

/// A collection being built: while its children are all plain they go straight into
/// `node`'s content, else into `items`/`entries`.
struct Frame {
    node: Node,
    anchor: Option<(String, u64)>,
    plain: bool,
    /// Nodes in the plain children.
    size: usize,
    items: Vec<Tree>,
    /// A mapping's key waiting for its value.
    key: Option<Tree>,
    entries: Vec<(Tree, Tree)>,
}

#[derive(Default)]
struct Composer {
    frames: Vec<Frame>,
    anchors: HashMap<String, Anchor>,
    next_id: u64,
    root: Option<Tree>,
}

/// The first document of `text` as go-yaml v2 composes and expands it.
pub(super) fn first_document(text: &[u8]) -> Res<Document> {
    let mut parser = Parser::new(text);
    let mut c = Composer::default();
    loop {
        match parser.next()? {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::StreamStart | Event::DocumentStart => {}
            Event::Node(ev) => c.node(ev),
            Event::Alias(name, _) => c.alias(name)?,
            Event::CollectionEnd => c.end(),
        }
    }
    let Some(root) = c.root else {
        return Ok(Document {
            root: None,
            deferred: None,
        });
    };
    // Composing is done: the anchors' own references go, so unshared nodes move.
    drop(c.anchors);
    let mut x = Expander {
        // v2 counts the document node too.
        decoded: 1,
        ..Expander::default()
    };
    let (root, error) = match x.expand(root) {
        Ok(node) => (node, None),
        Err(partial) => (partial, x.error),
    };
    Ok(Document {
        root: Some(root),
        deferred: error,
    })
}

fn composer_error(problem: String) -> Failure {
    Failure {
        stage: Stage::Composer,
        problem,
        problem_mark: Mark::default(),
        context_mark: Mark::default(),
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
    fn node(&mut self, mut ev: NodeEvent) {
        let mapping = matches!(ev.kind, NodeKind::Mapping { .. });
        let anchor = ev.anchor.take().map(|name| {
            self.next_id += 1;
            let open = Anchor::Open {
                id: self.next_id,
                mapping,
            };
            self.anchors.insert(name.clone(), open);
            (name, self.next_id)
        });
        let kind = std::mem::replace(&mut ev.kind, NodeKind::Sequence { flow: false });
        let (node, scalar) = match kind {
            NodeKind::Scalar {
                value,
                style,
                implicit,
            } => {
                let merge = value == "<<" && (implicit || ev.tag == MERGE_TAG);
                let node = new_node(&ev, Content::Scalar(value), style, false);
                (node, Some(merge))
            }
            NodeKind::Sequence { flow } => (
                new_node(&ev, Content::Sequence(Vec::new()), Style::Plain, flow),
                None,
            ),
            NodeKind::Mapping { flow } => (
                new_node(&ev, Content::Mapping(Vec::new()), Style::Plain, flow),
                None,
            ),
        };
        match scalar {
            Some(true) => self.complete(Tree::MergeKey(node), anchor),
            Some(false) => self.complete(Tree::Plain(node, 1), anchor),
            None => self.frames.push(Frame {
                node,
                anchor,
                plain: true,
                size: 0,
                items: Vec::new(),
                key: None,
                entries: Vec::new(),
            }),
        }
    }

    fn end(&mut self) {
        let Some(f) = self.frames.pop() else {
            return;
        };
        let tree = match f.node.content {
            _ if f.plain && f.key.is_none() => Tree::Plain(f.node, f.size + 1),
            Content::Mapping(_) => Tree::Mapping(f.node, f.entries),
            _ => Tree::Sequence(f.node, f.items),
        };
        self.complete(tree, f.anchor);
    }

    fn alias(&mut self, name: String) -> Res<()> {
        let tree = match self.anchors.get(&name) {
            None => {
                return Err(composer_error(format!(
                    "unknown anchor '{name}' referenced"
                )));
            }
            Some(Anchor::Open { mapping, .. }) => Tree::Alias {
                open_mapping: *mapping,
                target: None,
                name,
            },
            Some(Anchor::Done(t)) => Tree::Alias {
                target: Some(Rc::clone(t)),
                open_mapping: false,
                name,
            },
        };
        self.complete(tree, None);
        Ok(())
    }

    /// Hangs a finished node on its parent (or makes it the root) and records its anchor.
    fn complete(&mut self, tree: Tree, anchor: Option<(String, u64)>) {
        let tree = match anchor {
            Some((name, id)) => {
                let shared = Rc::new(tree);
                if matches!(self.anchors.get(&name), Some(Anchor::Open { id: open, .. }) if *open == id)
                {
                    self.anchors.insert(name, Anchor::Done(Rc::clone(&shared)));
                }
                Tree::Anchored(shared)
            }
            None => tree,
        };
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(tree);
            return;
        };
        frame.add(tree);
    }
}

impl Frame {
    fn add(&mut self, tree: Tree) {
        let mapping = matches!(self.node.content, Content::Mapping(_));
        if mapping && self.key.is_none() {
            if !matches!(tree, Tree::Plain(..)) {
                self.unplain();
            }
            self.key = Some(tree);
            return;
        }
        if !matches!(tree, Tree::Plain(..)) {
            self.unplain();
        }
        match (&mut self.node.content, tree, self.key.take()) {
            (Content::Sequence(nodes), Tree::Plain(n, size), _) if self.plain => {
                nodes.push(n);
                self.size += size;
            }
            (Content::Mapping(pairs), Tree::Plain(v, vs), Some(Tree::Plain(k, ks)))
                if self.plain =>
            {
                pairs.push((k, v));
                self.size += ks + vs;
            }
            (Content::Mapping(_), value, Some(key)) => self.entries.push((key, value)),
            (_, item, _) => self.items.push(item),
        }
    }

    /// Moves the plain children out of the node: a child that needs expanding came.
    fn unplain(&mut self) {
        if !self.plain {
            return;
        }
        self.plain = false;
        match &mut self.node.content {
            Content::Sequence(nodes) => self.items = nodes.drain(..).map(plain).collect(),
            Content::Mapping(pairs) => {
                self.entries = pairs.drain(..).map(|(k, v)| (plain(k), plain(v))).collect();
            }
            Content::Scalar(_) => {}
        }
    }
}

fn plain(node: Node) -> Tree {
    let size = count_nodes(&node);
    Tree::Plain(node, size)
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

/// The walk in go-yaml v2's decode order that turns shared trees into plain nodes.
#[derive(Default)]
struct Expander {
    /// v2's decoder counters for its alias-ratio guard.
    decoded: usize,
    aliased: usize,
    alias_depth: usize,
    /// The error that stopped the walk.
    error: Option<String>,
}

/// A node, or the part of it built before the walk stopped.
type Expanded = Result<Node, Node>;

/// A shared tree's contents: moved out when this is the last reference, else copied.
fn take(tree: Rc<Tree>) -> Tree {
    Rc::try_unwrap(tree).unwrap_or_else(|shared| (*shared).clone())
}

impl Expander {
    /// v2's `unmarshal` bookkeeping for `nodes` nodes (a plain subtree at once: within
    /// an alias the ratio only grows, outside one it only falls, so one check at the end
    /// decides as v2's check at every node does); false once aliases dominate.
    fn count(&mut self, nodes: usize) -> bool {
        self.decoded += nodes;
        if self.alias_depth > 0 {
            self.aliased += nodes;
        }
        let excessive = self.aliased > 100
            && self.decoded > 1000
            && self.aliased as f64 / self.decoded as f64 > allowed_alias_ratio(self.decoded);
        if excessive {
            self.stop("document contains excessive aliasing");
        }
        !excessive
    }

    fn stop(&mut self, message: &str) {
        self.error.get_or_insert_with(|| message.to_string());
    }

    fn expand(&mut self, tree: Tree) -> Expanded {
        // Documents nest up to the scanner's 10,000 levels.
        // The anchored node itself is what v2 counts.
        let tree = match tree {
            Tree::Anchored(shared) => take(shared),
            other => other,
        };
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let nodes = match &tree {
                Tree::Plain(_, size) => *size,
                _ => 1,
            };
            if !self.count(nodes) {
                return Err(Node::null());
            }
            self.expand_here(tree)
        })
    }

    /// A node after it was counted.
    fn expand_here(&mut self, tree: Tree) -> Expanded {
        match tree {
            Tree::Plain(node, _) => Ok(node),
            Tree::Anchored(shared) => self.expand(take(shared)),
            Tree::MergeKey(node) => Ok(node),
            Tree::Alias {
                target: None, name, ..
            } => {
                self.stop(&format!("anchor '{name}' value contains itself"));
                Err(Node::null())
            }
            Tree::Alias {
                target: Some(t), ..
            } => {
                self.alias_depth += 1;
                let out = self.expand(take(t));
                self.alias_depth -= 1;
                out
            }
            Tree::Sequence(mut node, items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut failed = false;
                for item in items {
                    match self.expand(item) {
                        Ok(n) => out.push(n),
                        Err(n) => {
                            out.push(n);
                            failed = true;
                            break;
                        }
                    }
                }
                node.content = Content::Sequence(out);
                if failed { Err(node) } else { Ok(node) }
            }
            Tree::Mapping(mut node, entries) => {
                let mut out = Vec::with_capacity(entries.len());
                let done = self.entries(entries, &mut out);
                node.content = Content::Mapping(out);
                if done { Ok(node) } else { Err(node) }
            }
        }
    }

    /// A mapping's entries in decode order, merges applied in place; false if stopped.
    fn entries(&mut self, entries: Vec<(Tree, Tree)>, out: &mut Vec<(Node, Node)>) -> bool {
        for (key, value) in entries {
            if matches!(key, Tree::MergeKey(_)) {
                if !self.merge(value, out) {
                    return false;
                }
                continue;
            }
            let k = match self.expand(key) {
                Ok(k) => k,
                Err(k) => {
                    out.push((k, Node::null()));
                    return false;
                }
            };
            match self.expand(value) {
                Ok(v) => out.push((k, v)),
                Err(v) => {
                    out.push((k, v));
                    return false;
                }
            }
        }
        true
    }

    /// go-yaml v2's merge: the merged map's entries are set where `<<` stands (keys before
    /// it are overwritten, keys after it win); a sequence's maps are applied last to first,
    /// so earlier ones win. Entries are appended; later duplicates win when decoded.
    fn merge(&mut self, value: Tree, out: &mut Vec<(Node, Node)>) -> bool {
        if value.is_mapping() {
            return self.merge_map(value, out);
        }
        let items = match value {
            Tree::Sequence(_, items) => items,
            Tree::Plain(node, _) if matches!(node.content, Content::Sequence(_)) => {
                match node.content {
                    Content::Sequence(nodes) => nodes.into_iter().map(plain).collect(),
                    _ => Vec::new(),
                }
            }
            Tree::Anchored(shared) if matches!(*shared, Tree::Sequence(..)) => match take(shared) {
                Tree::Sequence(_, items) => items,
                _ => Vec::new(),
            },
            _ => {
                self.stop(WANT_MAP);
                return false;
            }
        };
        for item in items.into_iter().rev() {
            if !item.is_mapping() {
                self.stop(WANT_MAP);
                return false;
            }
            if !self.merge_map(item, out) {
                return false;
            }
        }
        true
    }

    fn merge_map(&mut self, map: Tree, out: &mut Vec<(Node, Node)>) -> bool {
        let (node, ok) = match self.expand(map) {
            Ok(n) => (n, true),
            Err(n) => (n, false),
        };
        if let Content::Mapping(entries) = node.content {
            out.extend(entries);
        }
        ok
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
