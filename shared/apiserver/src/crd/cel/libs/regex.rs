//! Kubernetes' regex library: `<string>.find(<re>)`, `<string>.findAll(<re>[, <limit>])`,
//! with RE2 semantics (Rust's `regex` is RE2-like, as Go's `regexp` is).

use cel::common::types::{CelInt, CelList, CelString};
use cel::{DeclarationError, Env, ExecutionError};

use super::fail;

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_member_overload!(env, fn find: (CelString, CelString) -> Result<CelString>,
        id = "string_find_string")?;
    cel::add_member_overload!(env, fn find_all: (CelString, CelString) -> Result<CelList>,
        id = "string_find_all_string")?;
    cel::add_member_overload!(env, fn find_all_n: (CelString, CelString, CelInt) -> Result<CelList>,
        name = "findAll", id = "string_find_all_string_int")?;
    Ok(())
}

/// Compiles `pattern`, with the error kube-apiserver reports for a bad one.
pub fn compile(pattern: &str) -> Result<::regex::Regex, String> {
    ::regex::Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().last().unwrap_or("").trim();
        let last = last.strip_prefix("error: ").unwrap_or(last);
        format!("error parsing regexp: {last}: `{pattern}`")
    })
}

fn regex(function: &str, pattern: &str) -> Result<::regex::Regex, ExecutionError> {
    compile(pattern).map_err(|e| fail(function, format!("Illegal regex: {e}")))
}

fn find(s: &CelString<'_>, re: &CelString<'_>) -> Result<CelString<'static>, ExecutionError> {
    let re = regex("find", re.inner())?;
    Ok(re
        .find(s.inner())
        .map(|m| m.as_str().to_string())
        .unwrap_or_default()
        .into())
}

fn find_all(s: &CelString<'_>, re: &CelString<'_>) -> Result<CelList<'static>, ExecutionError> {
    find_all_n(s, re, &CelInt::from(-1))
}

fn find_all_n(
    s: &CelString<'_>,
    re: &CelString<'_>,
    n: &CelInt,
) -> Result<CelList<'static>, ExecutionError> {
    let re = regex("findAll", re.inner())?;
    // Go's FindAllString: a negative limit means all matches, zero means none.
    let limit = usize::try_from(*n.inner()).unwrap_or(usize::MAX);
    let found: Vec<Box<dyn cel::common::value::Val>> = re
        .find_iter(s.inner())
        .take(limit)
        .map(|m| {
            Box::new(CelString::from(m.as_str().to_string())) as Box<dyn cel::common::value::Val>
        })
        .collect();
    Ok(CelList::from(found))
}
