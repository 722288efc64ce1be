//! go-yaml v2 (libyaml) reading YAML: a faithful re-implementation of its reader, scanner,
//! parser and composer, giving the first document's node tree with go-yaml's values and,
//! for text that is not valid YAML, go-yaml's error text and line.
//!
//! Helm reads every YAML it sees (values files, Chart.yaml, rendered manifests, `fromYaml`)
//! with `sigs.k8s.io/yaml`, which decodes with go-yaml v2. Users compare error messages with
//! Helm's (and CI logs are grepped for them), so when the text is not valid YAML this module
//! says what go-yaml v2 says, with the same line number: libyaml reports a problem only
//! where its lookahead discovers it, which can be lines after the mistake.

mod compose;
mod events;
mod flow;
mod parser;
mod reader;
mod scalars;
mod scanner;

#[cfg(test)]
mod tests;

use fluxion_kustomize::yaml::Node;

/// A position in the text as libyaml counts it: characters and 0-based lines and columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mark {
    index: usize,
    /// Byte offset in the text.
    byte: usize,
    line: usize,
    column: usize,
}

/// Which stage of libyaml failed; it decides how go-yaml numbers the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Reader,
    Scanner,
    Parser,
    /// go-yaml's own composer (decode.go), which prints no line.
    Composer,
}

/// A libyaml failure with the marks go-yaml turns into `line N: `.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    stage: Stage,
    problem: String,
    problem_mark: Mark,
    context_mark: Mark,
}

impl Failure {
    /// go-yaml v2's `parser.fail`: the problem line (one more for scanner errors, which
    /// have not counted the current line yet), else the context line, else none.
    fn message(&self) -> String {
        let line = if self.problem_mark.line != 0 {
            self.problem_mark.line + usize::from(self.stage == Stage::Scanner)
        } else {
            self.context_mark.line
        };
        if line != 0 && self.stage != Stage::Composer && self.stage != Stage::Reader {
            format!("line {line}: {}", self.problem)
        } else {
            self.problem.clone()
        }
    }
}

type Res<T> = Result<T, Failure>;

/// The first YAML document of a stream as go-yaml v2 reads it.
#[derive(Debug)]
pub struct Document {
    /// `None` when the stream holds no document.
    pub root: Option<Node>,
    /// The error go-yaml's decoder met in the document's structure (an anchor that
    /// contains itself, a merge value that is not a map, excessive aliasing); `root` then
    /// holds what was decoded before it, where an earlier value error may still be found.
    pub deferred: Option<String>,
}

/// The first YAML document of `text` as go-yaml v2's `Unmarshal` reads it; on a syntax
/// error, go-yaml's message (what follows `yaml: `).
pub fn first_document(text: &str) -> Result<Document, String> {
    first_document_bytes(text.as_bytes())
}

/// [`first_document`] of raw bytes, which may not be UTF-8 (go-yaml's reader says why not).
pub fn first_document_bytes(text: &[u8]) -> Result<Document, String> {
    // go-yaml reads an empty input as a single line break.
    let src: &[u8] = if text.is_empty() { b"\n" } else { text };
    compose::first_document(src).map_err(|f| f.message())
}

/// Checks the first YAML document of `text`.
#[cfg(test)]
pub fn check(text: &str) -> Result<(), String> {
    first_document(text).map(|_| ())
}
