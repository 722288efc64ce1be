//! Comment lines of a YAML file placed where sops keeps them: go-yaml v3 attaches each comment
//! to a node and sops flattens them into the map or list holding it, before the item they
//! precede (a line comment goes before its own item) or after the last item.

use fluxion_kustomize::yaml::{Content, Node as YamlNode};

/// One comment of the source: its line and column (1-based) and text after the `#`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Comment {
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) text: String,
    /// Written after content on its line (a line comment).
    pub(super) trailing: bool,
}

/// Where comments go: per collection (numbered in pre-order), `(sort line, text)` pairs to be
/// merged with the collection's items by the items' lines.
pub(super) type Placement = Vec<Vec<(f64, String)>>;

/// Whether a line opens a block scalar (`key: |`, `- >-`, ...) whose content lines follow.
fn opens_block_scalar(code: &str) -> bool {
    let t = code.trim_end();
    let Some(at) = t.rfind([' ', '-', ':']) else {
        return matches!(t.chars().next(), Some('|' | '>'));
    };
    let head = &t[at + 1..];
    head.starts_with(['|', '>'])
        && head[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '+' || c == '-')
}

/// Splits a line into its code and a comment, ignoring `#` inside quotes.
fn split_comment(line: &str) -> (&str, Option<(usize, &str)>) {
    let (mut single, mut double, mut prev_blank) = (false, false, true);
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single && !line[..i].ends_with('\\') => double = !double,
            '#' if !single && !double && prev_blank => {
                return (&line[..i], Some((i, &line[i + 1..])));
            }
            _ => {}
        }
        prev_blank = c == ' ' || c == '\t';
    }
    (line, None)
}

/// Comments of every document, and the lines of `---` separators.
pub(super) fn scan(text: &str) -> (Vec<Comment>, Vec<u32>) {
    let mut comments = Vec::new();
    let mut separators = Vec::new();
    let mut block_parent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_parent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_parent = None;
        }
        if line.starts_with("---") || line.starts_with("...") {
            separators.push(n);
            continue;
        }
        let (code, comment) = split_comment(line);
        if let Some((at, body)) = comment {
            let trailing = !code.trim().is_empty();
            comments.push(Comment {
                line: n,
                column: at as u32 + 1,
                text: body.to_string(),
                trailing,
            });
        }
        if opens_block_scalar(code) {
            block_parent = Some(indent);
        }
    }
    (comments, separators)
}

/// An item of a collection: its position and the collection it is in.
struct Item {
    line: u32,
    column: u32,
    collection: usize,
}

/// Collections in pre-order with their parent, and every item in document order.
#[derive(Default)]
struct Layout {
    parents: Vec<Option<usize>>,
    /// The column of each collection's first item.
    columns: Vec<u32>,
    /// In document order, so by line: searched by bisection.
    items: Vec<Item>,
}

impl Layout {
    fn walk(&mut self, node: &YamlNode, parent: Option<usize>) {
        let id = self.parents.len();
        match &node.content {
            Content::Mapping(entries) => {
                self.parents.push(parent);
                self.columns
                    .push(entries.first().map_or(1, |(k, _)| k.column));
                for (k, v) in entries {
                    self.items.push(Item {
                        line: k.line,
                        column: k.column,
                        collection: id,
                    });
                    self.walk(v, Some(id));
                }
            }
            Content::Sequence(items) => {
                self.parents.push(parent);
                self.columns
                    .push(items.first().map_or(1, |v| v.column.saturating_sub(2)));
                for v in items {
                    // The item's `- ` stands two columns before its content.
                    self.items.push(Item {
                        line: v.line,
                        column: v.column.saturating_sub(2),
                        collection: id,
                    });
                    self.walk(v, Some(id));
                }
            }
            Content::Scalar(_) => {}
        }
    }

    /// The collection a comment belongs to and its sort line there.
    fn place(&self, c: &Comment) -> Option<(usize, f64)> {
        let after = self.items.partition_point(|i| i.line <= c.line);
        let before = self.items.partition_point(|i| i.line < c.line);
        if c.trailing {
            // Before the innermost item that starts on its line.
            let item = self.items[..after].last().filter(|i| i.line == c.line)?;
            return Some((item.collection, f64::from(item.line) - 0.5));
        }
        let next = self.items.get(after);
        if let Some(next) = next
            && next.column >= c.column
        {
            return Some((next.collection, f64::from(c.line)));
        }
        // After the previous item, in the deepest open collection indented no deeper.
        let prev = self.items[..before].last()?;
        let mut at = Some(prev.collection);
        while let Some(id) = at {
            if self.columns[id] <= c.column || self.parents[id].is_none() {
                return Some((id, f64::from(c.line)));
            }
            at = self.parents[id];
        }
        None
    }
}

/// Places the comments of one document (`root`) into its collections.
pub(super) fn place(root: &YamlNode, comments: &[Comment]) -> Placement {
    let mut layout = Layout::default();
    layout.walk(root, None);
    let mut out: Placement = vec![Vec::new(); layout.parents.len()];
    for c in comments {
        match layout.place(c) {
            Some((id, key)) => out[id].push((key, c.text.clone())),
            // A document with no collection: its comments go to the (empty) branch.
            None if !out.is_empty() => out[0].push((f64::from(c.line), c.text.clone())),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_skips_quotes_and_block_scalars() {
        let text =
            "a: 'x # not' # yes\nb: |\n  # content\n  more\n# after\nc: \"#no\"\n---\nd: 1 #t\n";
        let (comments, seps) = scan(text);
        let got: Vec<(u32, &str, bool)> = comments
            .iter()
            .map(|c| (c.line, c.text.as_str(), c.trailing))
            .collect();
        assert_eq!(
            got,
            [(1, " yes", true), (5, " after", false), (8, "t", true)]
        );
        assert_eq!(seps, [7]);
    }
}
