//! The CEL environment of kube-apiserver 1.33 for CRD rules: CEL's standard library, the
//! strings extension (version 2), optional types, and Kubernetes' own libraries (lists,
//! regex, URLs, IP and CIDR, quantity, format) plus cel-go's sets extension.
//!
//! Which library is on follows kube-apiserver's base environment at the compatibility
//! version new CRD rules are compiled against (1.32 for a 1.33 server): semver and image
//! (1.33) are not, and neither are cel-go's math, lists and encoders extensions, which kube
//! never enables. [`super::check`] rejects calls to anything not declared here, as kube's
//! type checker does.

mod format;
mod gourl;
mod ip;
mod lists;
mod opaque;
mod quantity;
mod regex;
mod two_var;
mod url;

use std::sync::{Arc, OnceLock};

use cel::common::value::Val;
use cel::{Env, ExecutionError};

/// The shared environment, built once.
pub fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // Each registration only fails on a name clash, which the unit tests would show;
        // a clash must not take the API server down, so what registered is kept.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(lists::extension);
        let _ = env.add_extension(regex::extension);
        let _ = env.add_extension(url::extension);
        let _ = env.add_extension(ip::extension);
        let _ = env.add_extension(quantity::extension);
        let _ = env.add_extension(format::extension);
        let _ = env.add_extension(two_var::extension);
        let _ = env.add_extension(super::cost::extension);
        Arc::new(env)
    })
    .clone()
}

/// Compiles a regular expression as the regex library does.
pub fn compile_regex(pattern: &str) -> Result<::regex::Regex, String> {
    regex::compile(pattern)
}

/// An error raised by a library function with cel-go's text: reported on the object as
/// `<text> evaluating rule: <rule>`.
pub fn fail(function: &str, message: impl Into<String>) -> ExecutionError {
    ExecutionError::FunctionError {
        function: function.to_string(),
        message: message.into(),
    }
}

/// The elements of a list (or the keys of a map), borrowed.
pub fn elements<'b, 'v>(
    function: &str,
    list: &'b (dyn Val + 'v),
) -> Result<Vec<&'b (dyn Val + 'v)>, ExecutionError> {
    let iterable = list.as_iterable().ok_or_else(|| {
        ExecutionError::no_such_overload(function, vec![list.get_type().name().to_string()])
    })?;
    let mut it = iterable.iter();
    let mut out = Vec::new();
    while let Some(v) = it.next() {
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
pub mod tests;
