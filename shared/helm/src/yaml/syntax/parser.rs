//! libyaml's parser state machine over the scanner's tokens, driven as go-yaml v2's
//! `Unmarshal` drives it: events of the first document only, with its composer's check
//! that every alias names an anchor defined before it.

use std::collections::HashSet;

use super::scanner::{Kind, Scanner, Token};
use super::{Failure, Mark, Res, Stage};

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

/// What the composer needs to know of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    /// A scalar or the start of a collection, with its anchor.
    Node(Option<String>),
    Alias(String),
    CollectionEnd,
}

struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_handles: Vec<String>,
    doc_end: usize,
}

fn parser_error(problem: &str, problem_mark: Mark, context_mark: Mark) -> Failure {
    Failure {
        stage: Stage::Parser,
        problem: problem.to_string(),
        problem_mark,
        context_mark,
    }
}

/// Parses the stream's first document as go-yaml v2's decoder consumes it; returns the byte
/// offset of the first token after it.
pub(super) fn first_document(text: &[u8]) -> Res<usize> {
    let mut p = Parser {
        scanner: Scanner::new(text),
        state: State::StreamStart,
        states: Vec::new(),
        marks: Vec::new(),
        tag_handles: Vec::new(),
        doc_end: text.len(),
    };
    let mut anchors: HashSet<String> = HashSet::new();
    loop {
        match p.next()? {
            Event::StreamEnd => return Ok(text.len()),
            Event::DocumentEnd => return Ok(p.doc_end),
            Event::Node(Some(anchor)) => {
                anchors.insert(anchor);
            }
            Event::Alias(name) if !anchors.contains(&name) => {
                return Err(Failure {
                    stage: Stage::Composer,
                    problem: format!("unknown anchor '{name}' referenced"),
                    problem_mark: Mark::default(),
                    context_mark: Mark::default(),
                });
            }
            _ => {}
        }
    }
}

impl Parser<'_> {
    fn peek(&mut self) -> Res<Token> {
        self.scanner.peek().cloned()
    }

    fn skip(&mut self) {
        self.scanner.skip_token();
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn next(&mut self) -> Res<Event> {
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
                    return Ok(Event::Node(None));
                }
                self.node(true, false)
            }
            State::DocumentEnd => {
                let t = self.peek()?;
                self.doc_end = t.start.byte;
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
            if t.kind == Kind::VersionDirective {
                if version_seen {
                    return Err(parser_error(
                        "found duplicate %YAML directive",
                        t.start,
                        Mark::default(),
                    ));
                }
                if t.version != (1, 1) {
                    return Err(parser_error(
                        "found incompatible YAML document",
                        t.start,
                        Mark::default(),
                    ));
                }
                version_seen = true;
            } else {
                if self.tag_handles.contains(&t.value) {
                    return Err(parser_error(
                        "found duplicate %TAG directive",
                        t.start,
                        Mark::default(),
                    ));
                }
                self.tag_handles.push(t.value.clone());
            }
            self.skip();
            t = self.peek()?;
        }
        for default in ["!", "!!"] {
            if !self.tag_handles.iter().any(|h| h == default) {
                self.tag_handles.push(default.to_string());
            }
        }
        Ok(())
    }

    /// A node: alias, or optional anchor and tag then a scalar or collection start.
    fn node(&mut self, block: bool, indentless: bool) -> Res<Event> {
        let mut t = self.peek()?;
        if t.kind == Kind::Alias {
            self.pop_state();
            self.skip();
            return Ok(Event::Alias(t.value));
        }
        let start = t.start;
        let mut anchor = None;
        let mut tag: Option<(String, Mark)> = None;
        for _ in 0..2 {
            if t.kind == Kind::Anchor && anchor.is_none() {
                anchor = Some(t.value.clone());
            } else if t.kind == Kind::Tag && tag.is_none() {
                tag = Some((t.value.clone(), t.start));
            } else {
                break;
            }
            self.skip();
            t = self.peek()?;
        }
        if let Some((handle, tag_mark)) = &tag
            && !handle.is_empty()
            && !self.tag_handles.contains(handle)
        {
            return Err(parser_error("found undefined tag handle", *tag_mark, start));
        }
        let event = Event::Node(anchor.clone());
        if indentless && t.kind == Kind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(event);
        }
        let next = match t.kind {
            Kind::Scalar => {
                self.pop_state();
                self.skip();
                return Ok(event);
            }
            Kind::FlowSequenceStart => State::FlowSequenceFirstEntry,
            Kind::FlowMappingStart => State::FlowMappingFirstKey,
            Kind::BlockSequenceStart if block => State::BlockSequenceFirstEntry,
            Kind::BlockMappingStart if block => State::BlockMappingFirstKey,
            _ if anchor.is_some() || tag.is_some() => {
                self.pop_state();
                return Ok(event);
            }
            _ => {
                return Err(parser_error(
                    "did not find expected node content",
                    t.start,
                    start,
                ));
            }
        };
        self.state = next;
        Ok(event)
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
                Ok(Event::Node(None))
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
        Ok(Event::Node(None))
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
                Ok(Event::Node(None))
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
        Ok(Event::Node(None))
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
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(Event::Node(None));
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
        Ok(Event::Node(None))
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
        Ok(Event::Node(None))
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
                return Ok(Event::Node(None));
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
            return Ok(Event::Node(None));
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
        Ok(Event::Node(None))
    }
}
