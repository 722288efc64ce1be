//! Errors of parsing and executing templates, worded exactly as Go's text/template words them,
//! with Go's wrapping kept as `source()` chains so Helm's error reformatting can walk them.

use std::error::Error as StdError;

/// A boxed error that can cross threads, as function errors and their causes are.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A parse error: `template: NAME:LINE: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template: {name}:{line}: {message}")]
pub struct ParseError {
    /// The name of the template being parsed (the file name in Helm).
    pub name: String,
    /// The 1-based line of the offending token.
    pub line: usize,
    /// What went wrong, without the location prefix.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(name: &str, line: usize, message: String) -> Self {
        Self {
            name: name.to_string(),
            line,
            message,
        }
    }
}

/// An execution error: `template: FILE:LINE:COL: executing "NAME" at <CONTEXT>: message`
/// (or `template: NAME: message` when no node is being evaluated).
#[derive(Debug, thiserror::Error)]
pub struct ExecError {
    /// The template that was executing.
    pub name: String,
    /// `file:line:col` of the node being evaluated, when there was one.
    pub location: Option<String>,
    /// Go's rendering of that node.
    pub context: Option<String>,
    /// The message after the prefix.
    pub message: String,
    #[source]
    source: Option<BoxError>,
}

impl ExecError {
    pub(crate) fn new(
        name: &str,
        at: Option<(String, String)>,
        message: String,
        source: Option<BoxError>,
    ) -> Self {
        let (location, context) = at.map_or((None, None), |(l, c)| (Some(l), Some(c)));
        Self {
            name: name.to_string(),
            location,
            context,
            message,
            source,
        }
    }
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.location, &self.context) {
            (Some(location), Some(context)) => write!(
                f,
                "template: {location}: executing {} at <{context}>: {}",
                super::strconv::quote(&self.name),
                self.message
            ),
            _ => write!(f, "template: {}: {}", self.name, self.message),
        }
    }
}

/// The error a template function returns. `wrap` keeps Go's `%w` chain: the message includes
/// the cause's text and `source()` returns the cause.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct FuncError {
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl FuncError {
    /// A plain error, as Go's `errors.New(message)`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// Go's `fmt.Errorf("<prefix>: %w", cause)`.
    pub fn wrap(prefix: impl std::fmt::Display, cause: impl Into<BoxError>) -> Self {
        let cause = cause.into();
        Self {
            message: format!("{prefix}: {cause}"),
            source: Some(cause),
        }
    }

    /// An error whose text is exactly the cause's (Go returning the cause itself).
    pub fn from_cause(cause: impl Into<BoxError>) -> Self {
        let cause = cause.into();
        Self {
            message: cause.to_string(),
            source: Some(cause),
        }
    }
}

impl From<String> for FuncError {
    fn from(message: String) -> Self {
        Self::new(message)
    }
}

impl From<&str> for FuncError {
    fn from(message: &str) -> Self {
        Self::new(message)
    }
}

/// Any error of the template engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Execution failed.
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// `ExecuteTemplate` of a name that is not in the set.
    #[error("template: no template {} associated with template {}", super::strconv::quote(.name), super::strconv::quote(.set))]
    NoTemplate {
        /// The name that was asked for.
        name: String,
        /// The name of the template set.
        set: String,
    },
    /// The output grew past the configured limit.
    #[error("template: {name}: output exceeds the limit of {limit} bytes")]
    OutputLimit {
        /// The template that was executing.
        name: String,
        /// The limit.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_go() {
        let p = ParseError::new("x.yaml", 3, "missing value for if".into());
        assert_eq!(p.to_string(), "template: x.yaml:3: missing value for if");
        let e = ExecError::new(
            "x.yaml",
            Some(("x.yaml:1:6".into(), ".a.b".into())),
            "nil pointer evaluating interface {}.b".into(),
            None,
        );
        assert_eq!(
            e.to_string(),
            "template: x.yaml:1:6: executing \"x.yaml\" at <.a.b>: nil pointer evaluating interface {}.b"
        );
        let n = Error::NoTemplate {
            name: "a".into(),
            set: "gotpl".into(),
        };
        assert_eq!(
            n.to_string(),
            "template: no template \"a\" associated with template \"gotpl\""
        );
        let w = FuncError::wrap(
            "error during tpl function execution for \"x\"",
            FuncError::new("boom"),
        );
        assert_eq!(
            w.to_string(),
            "error during tpl function execution for \"x\": boom"
        );
        assert!(w.source().is_some());
    }
}
