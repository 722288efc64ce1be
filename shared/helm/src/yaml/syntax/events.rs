//! The parser's events: what libyaml reports of a YAML stream, as the composer needs it.

use fluxion_kustomize::yaml::Style;

use super::Mark;

/// A parser event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    /// A scalar or the start of a collection.
    Node(NodeEvent),
    Alias(String, Mark),
    CollectionEnd,
}

/// A scalar or collection start: its anchor, its resolved tag (empty when none was
/// written) and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NodeEvent {
    pub anchor: Option<String>,
    pub tag: String,
    pub mark: Mark,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NodeKind {
    /// `implicit` is libyaml's `plain_implicit`: the value may be resolved (an untagged
    /// plain scalar, or one tagged with the non-specific `!`).
    Scalar {
        value: String,
        style: Style,
        implicit: bool,
    },
    Sequence {
        flow: bool,
    },
    Mapping {
        flow: bool,
    },
}

impl Event {
    /// libyaml's empty scalar: a null where a node was left out.
    pub(super) fn empty(mark: Mark) -> Event {
        Event::Node(NodeEvent {
            anchor: None,
            tag: String::new(),
            mark,
            kind: NodeKind::Scalar {
                value: String::new(),
                style: Style::Plain,
                implicit: true,
            },
        })
    }
}
