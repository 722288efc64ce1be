//! Go's text/template, the language Helm charts are written in: lexer, parser, executor,
//! builtins and Go's value formatting, matching Go's output and error messages.
//!
//! A [`Templates`] set parses texts (each may `define` more templates) and executes them on
//! a [`Value`]. Functions beyond the builtins come in a [`FuncMap`]: Sprig and Helm's own
//! functions are separate modules that add to one. Each function declares a Go
//! [`Signature`], so arguments convert and fail exactly as they do in Go. Functions that
//! render templates (`include`, `tpl`) reach the set through their [`CallContext`], and keep
//! per-render state (such as recursion counters) in its [`Extensions`].
//!
//! ```
//! use fluxion_helm::template::{MissingKey, Templates, Value};
//!
//! let mut set = Templates::new("gotpl");
//! set.set_missing_key(MissingKey::Zero);
//! set.parse("x.yaml", "replicas: {{ .replicas }}").unwrap();
//! let values = Value::from_json(&serde_json::json!({"replicas": 3}));
//! assert_eq!(set.execute("x.yaml", &values).unwrap(), "replicas: 3");
//! ```

mod ast;
mod builtins;
mod error;
mod exec;
pub mod fmt;
mod funcs;
mod lex;
pub mod limits;
mod parse;
mod set;
pub(crate) mod strconv;
mod value;

pub use ast::Tree;
pub use error::{BoxError, Error, ExecError, FuncError, ParseError};
pub use funcs::{CallContext, Extensions, FuncMap, Function, NativeFn, Param, Returns, Signature};
pub use set::{MissingKey, Options, Templates};
pub use strconv::quote;
pub use value::{Dict, ElemType, List, Member, Object, Value};
