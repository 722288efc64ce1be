//! libyaml's parser state machine over the scanner's tokens: the events of a YAML stream,
//! with tags resolved against the document's `%TAG` directives.

use fluxion_kustomize::yaml::Style;

use super::events::{Event, NodeEvent, NodeKind};
use super::scanner::{Kind, Scanner};
use super::{Failure, Mark, Res, Stage};

/// The tag handles every document knows, with their prefixes.
const DEFAULT_TAGS: [(&str, &str); 2] = [("!", "!"), ("!!", "tag:yaml.org,2002:")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

/// The next token's kind and position (its text stays in the queue until taken).
#[derive(Debug, Clone, Copy)]
struct Peeked {
    kind: Kind,
    start: Mark,
}

pub(super) struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    /// `%TAG` handles of the current document with their prefixes.
    tag_handles: Vec<(String, String)>,
}

fn parser_error(problem: &str, problem_mark: Mark, context_mark: Mark) -> Failure {
    Failure {
        stage: Stage::Parser,
        problem: problem.to_string(),
        problem_mark,
        context_mark,
    }
}

impl<'a> Parser<'a> {
    pub(super) fn new(text: &'a [u8]) -> Parser<'a> {
        Parser {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_handles: Vec::new(),
        }
    }

    fn peek(&mut self) -> Res<Peeked> {
        let t = self.scanner.peek()?;
        Ok(Peeked {
            kind: t.kind,
            start: t.start,
        })
    }

    fn skip(&mut self) {
        self.scanner.skip_token();
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    /// The next event (after the stream's end, `StreamEnd` again).
    pub(super) fn next(&mut self) -> Res<Event> {
        match self.state {
            State::StreamStart => {
                let t = self.peek()?;
                if t.kind != Kind::StreamStart {
                    return Err(parser_error(
                        "did not find expected <stream-start>",
                        t.start,
                        Mark::default(),
                    ));
                }
                self.state = State::ImplicitDocumentStart;
                self.skip();
                Ok(Event::StreamStart)
            }
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => {
                let t = self.peek()?;
                if matches!(
                    t.kind,
                    Kind::VersionDirective
                        | Kind::TagDirective
                        | Kind::DocumentStart
                        | Kind::DocumentEnd
                        | Kind::StreamEnd
                ) {
                    self.pop_state();
                    return Ok(Event::empty(t.start));
                }
                self.node(true, false)
            }
            State::DocumentEnd => {
                let t = self.peek()?;
                if t.kind == Kind::DocumentEnd {
                    self.skip();
                }
                self.tag_handles.clear();
                self.state = State::DocumentStart;
                Ok(Event::DocumentEnd)
            }
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => self.block_sequence_entry(true),
            State::BlockSequenceEntry => self.block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => {
                self.peek()?;
                self.state = State::FlowSequenceEntry;
                Ok(Event::CollectionEnd)
            }
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => Ok(Event::StreamEnd),
        }
    }

    fn document_start(&mut self, implicit: bool) -> Res<Event> {
        let mut t = self.peek()?;
        if !implicit {
            while t.kind == Kind::DocumentEnd {
                self.skip();
                t = self.peek()?;
            }
        }
        let explicit_kinds = matches!(
            t.kind,
            Kind::VersionDirective | Kind::TagDirective | Kind::DocumentStart | Kind::StreamEnd
        );
        if implicit && !explicit_kinds {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(Event::DocumentStart);
        }
        if t.kind == Kind::StreamEnd {
            self.state = State::End;
            self.skip();
            return Ok(Event::StreamEnd);
        }
        self.process_directives()?;
        let t = self.peek()?;
        if t.kind != Kind::DocumentStart {
            return Err(parser_error(
                "did not find expected <document start>",
                t.start,
                Mark::default(),
            ));
        }
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        self.skip();
        Ok(Event::DocumentStart)
    }

    fn process_directives(&mut self) -> Res<()> {
        let mut version_seen = false;
        let mut t = self.peek()?;
        while matches!(t.kind, Kind::VersionDirective | Kind::TagDirective) {
            let token = self.scanner.take_token();
            if t.kind == Kind::VersionDirective {
                if version_seen {
                    return Err(parser_error(
                        "found duplicate %YAML directive",
                        t.start,
                        Mark::default(),
                    ));
                }
                if token.version != (1, 1) {
                    return Err(parser_error(
                        "found incompatible YAML document",
                        t.start,
                        Mark::default(),
                    ));
                }
                version_seen = true;
            } else {
                if self.tag_handles.iter().any(|(h, _)| *h == token.value) {
                    return Err(parser_error(
                        "found duplicate %TAG directive",
                        t.start,
                        Mark::default(),
                    ));
                }
                self.tag_handles.push((token.value, token.suffix));
            }
            t = self.peek()?;
        }
        for (handle, prefix) in DEFAULT_TAGS {
            if !self.tag_handles.iter().any(|(h, _)| h == handle) {
                self.tag_handles
                    .push((handle.to_string(), prefix.to_string()));
            }
        }
        Ok(())
    }

    /// A node: alias, or optional anchor and tag then a scalar or collection start.
    fn node(&mut self, block: bool, indentless: bool) -> Res<Event> {
        let mut t = self.peek()?;
        if t.kind == Kind::Alias {
            self.pop_state();
            return Ok(Event::Alias(self.scanner.take_token().value, t.start));
        }
        let start = t.start;
        let mut anchor = None;
        let mut tag: Option<(String, String, Mark)> = None;
        for _ in 0..2 {
            if t.kind == Kind::Anchor && anchor.is_none() {
                anchor = Some(self.scanner.take_token().value);
            } else if t.kind == Kind::Tag && tag.is_none() {
                let token = self.scanner.take_token();
                tag = Some((token.value, token.suffix, t.start));
            } else {
                break;
            }
            t = self.peek()?;
        }
        let tag = match tag {
            Some((handle, suffix, tag_mark)) => {
                self.resolve_tag(handle, suffix, tag_mark, start)?
            }
            None => String::new(),
        };
        let mut event = NodeEvent {
            anchor,
            tag,
            mark: start,
            kind: NodeKind::Sequence { flow: false },
        };
        if indentless && t.kind == Kind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event::Node(event));
        }
        let (next, kind) = match t.kind {
            Kind::Scalar => {
                self.pop_state();
                let token = self.scanner.take_token();
                let implicit =
                    (event.tag.is_empty() && token.style == Style::Plain) || event.tag == "!";
                event.kind = NodeKind::Scalar {
                    value: token.value,
                    style: token.style,
                    implicit,
                };
                return Ok(Event::Node(event));
            }
            Kind::FlowSequenceStart => (
                State::FlowSequenceFirstEntry,
                NodeKind::Sequence { flow: true },
            ),
            Kind::FlowMappingStart => {
                (State::FlowMappingFirstKey, NodeKind::Mapping { flow: true })
            }
            Kind::BlockSequenceStart if block => (
                State::BlockSequenceFirstEntry,
                NodeKind::Sequence { flow: false },
            ),
            Kind::BlockMappingStart if block => (
                State::BlockMappingFirstKey,
                NodeKind::Mapping { flow: false },
            ),
            _ if event.anchor.is_some() || !event.tag.is_empty() => {
                self.pop_state();
                event.kind = NodeKind::Scalar {
                    value: String::new(),
                    style: Style::Plain,
                    implicit: event.tag.is_empty(),
                };
                return Ok(Event::Node(event));
            }
            _ => {
                return Err(parser_error(
                    "did not find expected node content",
                    t.start,
                    start,
                ));
            }
        };
        event.kind = kind;
        self.state = next;
        Ok(Event::Node(event))
    }

    /// A tag's full text: a verbatim tag as written, else its handle's prefix then suffix.
    fn resolve_tag(&self, handle: String, suffix: String, at: Mark, start: Mark) -> Res<String> {
        if handle.is_empty() {
            return Ok(suffix);
        }
        match self.tag_handles.iter().find(|(h, _)| *h == handle) {
            Some((_, prefix)) => Ok(format!("{prefix}{suffix}")),
            None => Err(parser_error("found undefined tag handle", at, start)),
        }
    }

    /// Consumes a collection's opening token and remembers where it started.
    fn open(&mut self) -> Res<()> {
        let t = self.peek()?;
        self.marks.push(t.start);
        self.skip();
        Ok(())
    }

    fn close(&mut self) -> Event {
        self.pop_state();
        self.marks.pop();
        self.skip();
        Event::CollectionEnd
    }

    fn collection_error(&mut self, problem: &str, at: Mark) -> Failure {
        let context = self.marks.pop().unwrap_or_default();
        parser_error(problem, at, context)
    }

    fn block_sequence_entry(&mut self, first: bool) -> Res<Event> {
        if first {
            self.open()?;
        }
        let t = self.peek()?;
        match t.kind {
            Kind::BlockEntry => {
                self.skip();
                let t = self.peek()?;
                if !matches!(t.kind, Kind::BlockEntry | Kind::BlockEnd) {
                    self.states.push(State::BlockSequenceEntry);
                    return self.node(true, false);
                }
                self.state = State::BlockSequenceEntry;
                Ok(Event::empty(t.start))
            }
            Kind::BlockEnd => Ok(self.close()),
            _ => Err(self.collection_error("did not find expected '-' indicator", t.start)),
        }
    }

    fn indentless_sequence_entry(&mut self) -> Res<Event> {
        let t = self.peek()?;
        if t.kind != Kind::BlockEntry {
            self.pop_state();
            return Ok(Event::CollectionEnd);
        }
        self.skip();
        let t = self.peek()?;
        if !matches!(
            t.kind,
            Kind::BlockEntry | Kind::Key | Kind::Value | Kind::BlockEnd
        ) {
            self.states.push(State::IndentlessSequenceEntry);
            return self.node(true, false);
        }
        self.state = State::IndentlessSequenceEntry;
        Ok(Event::empty(t.start))
    }

    fn block_mapping_key(&mut self, first: bool) -> Res<Event> {
        if first {
            self.open()?;
        }
        let t = self.peek()?;
        match t.kind {
            Kind::Key => {
                self.skip();
                let t = self.peek()?;
                if !matches!(t.kind, Kind::Key | Kind::Value | Kind::BlockEnd) {
                    self.states.push(State::BlockMappingValue);
                    return self.node(true, true);
                }
                self.state = State::BlockMappingValue;
                Ok(Event::empty(t.start))
            }
            Kind::BlockEnd => Ok(self.close()),
            _ => Err(self.collection_error("did not find expected key", t.start)),
        }
    }

    fn block_mapping_value(&mut self) -> Res<Event> {
        let t = self.peek()?;
        if t.kind == Kind::Value {
            self.skip();
            let t = self.peek()?;
            if !matches!(t.kind, Kind::Key | Kind::Value | Kind::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.node(true, true);
            }
        }
        self.state = State::BlockMappingKey;
        Ok(Event::empty(t.start))
    }

    fn flow_sequence_entry(&mut self, first: bool) -> Res<Event> {
        if first {
            self.open()?;
        }
        let mut t = self.peek()?;
        if t.kind != Kind::FlowSequenceEnd {
            if !first {
                if t.kind != Kind::FlowEntry {
                    return Err(self.collection_error("did not find expected ',' or ']'", t.start));
                }
                self.skip();
                t = self.peek()?;
            }
            if t.kind == Kind::Key {
                // `[a: b]`: a single-pair mapping opens without a token of its own.
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(Event::Node(NodeEvent {
                    anchor: None,
                    tag: String::new(),
                    mark: t.start,
                    kind: NodeKind::Mapping { flow: true },
                }));
            }
            if t.kind != Kind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.node(false, false);
            }
        }
        Ok(self.close())
    }

    fn flow_sequence_entry_mapping_key(&mut self) -> Res<Event> {
        let t = self.peek()?;
        if !matches!(
            t.kind,
            Kind::Value | Kind::FlowEntry | Kind::FlowSequenceEnd
        ) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.node(false, false);
        }
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(Event::empty(t.start))
    }

    fn flow_sequence_entry_mapping_value(&mut self) -> Res<Event> {
        let t = self.peek()?;
        if t.kind == Kind::Value {
            self.skip();
            let t = self.peek()?;
            if !matches!(t.kind, Kind::FlowEntry | Kind::FlowSequenceEnd) {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(Event::empty(t.start))
    }

    fn flow_mapping_key(&mut self, first: bool) -> Res<Event> {
        if first {
            self.open()?;
        }
        let mut t = self.peek()?;
        if t.kind != Kind::FlowMappingEnd {
            if !first {
                if t.kind != Kind::FlowEntry {
                    return Err(self.collection_error("did not find expected ',' or '}'", t.start));
                }
                self.skip();
                t = self.peek()?;
            }
            if t.kind == Kind::Key {
                self.skip();
                let t = self.peek()?;
                if !matches!(t.kind, Kind::Value | Kind::FlowEntry | Kind::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(Event::empty(t.start));
            }
            if t.kind != Kind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.node(false, false);
            }
        }
        Ok(self.close())
    }

    fn flow_mapping_value(&mut self, empty: bool) -> Res<Event> {
        let t = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(Event::empty(t.start));
        }
        if t.kind == Kind::Value {
            self.skip();
            let t = self.peek()?;
            if !matches!(t.kind, Kind::FlowEntry | Kind::FlowMappingEnd) {
                self.states.push(State::FlowMappingKey);
                return self.node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(Event::empty(t.start))
    }
}
