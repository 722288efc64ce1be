//! Helm's rewording of template errors (`cleanupParseError`, `reformatExecErrorMsg` of Helm
//! v4): `parse error at (FILE:LINE): msg`, `execution error at (FILE:LINE:COL): msg` for
//! `fail`/`required`, and the multi-line trace of nested template calls.

use std::error::Error as StdError;

use crate::template::{Error, ParseError};

/// Delimiters Helm's `fail` and `required` put around their message.
pub const WARN_START: &str = "HELM_ERR_START";
pub const WARN_END: &str = "HELM_ERR_END";

/// Wraps a message as Helm's `fail` and `required` do.
pub fn warn_wrap(message: &str) -> String {
    format!("{WARN_START}{message}{WARN_END}")
}

/// Helm's `cleanupParseError`.
pub fn parse_error(filename: &str, err: &ParseError) -> String {
    let text = err.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {text}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// One step of a template error trace (Helm's `TraceableError`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Traceable {
    location: String,
    message: String,
    executed: String,
}

impl Traceable {
    fn render(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executed.is_empty() {
            out.push_str(&self.executed);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

fn cut_chained(msg: &str) -> &str {
    msg.find(" template:").map_or(msg, |i| &msg[..i])
}

/// Helm's `parseTemplateExecErrorString`.
fn parse_trace(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            message: s.to_string(),
            ..Default::default()
        });
    }
    if let Some(t) = parse_executing(remainder) {
        return Some(t);
    }
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_string(),
        message: cut_chained(&remainder[sep + 2..]).to_string(),
        executed: String::new(),
    })
}

/// `<name>: executing "<function>" at <<location>>: <message>`.
fn parse_executing(remainder: &str) -> Option<Traceable> {
    let idx = remainder.find(": executing ")?;
    let after = remainder[idx + ": executing ".len()..].strip_prefix('"')?;
    let end_quote = after.find('"')?;
    let function = &after[..end_quote];
    let after_at = after[end_quote + 1..].strip_prefix(" at <")?;
    let end_loc = after_at.find(">: ")?;
    Some(Traceable {
        location: remainder[..idx].to_string(),
        message: cut_chained(&after_at[end_loc + 3..]).to_string(),
        executed: format!("executing \"{function}\" at <{}>:", &after_at[..end_loc]),
    })
}

/// Helm's `reformatExecErrorMsg`: what `helm template` prints for an execution error.
pub fn exec_error(filename: &str, err: &Error) -> String {
    let text = err.to_string();
    if !matches!(err, Error::Exec(_)) {
        return text;
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    if let Some(start) = tokens[2].find(WARN_START)
        && let Some(end) = tokens[2].rfind(WARN_END)
        && end >= start + WARN_START.len()
    {
        return format!(
            "execution error at ({}): {}",
            tokens[1],
            &tokens[2][start + WARN_START.len()..end]
        );
    }
    let mut trace: Vec<Traceable> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        let Some(t) = parse_trace(&e.to_string()) else {
            return text;
        };
        if trace.last() != Some(&t) {
            trace.push(t);
        }
        current = e.source();
    }
    let mut out = String::new();
    for t in &trace {
        t.render(&mut out);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{FuncError, FuncMap, MissingKey, Param, Signature, Templates, Value};
    use std::sync::Arc;

    fn render_error(tpl: &str) -> String {
        let mut funcs = FuncMap::new();
        funcs.add("fail", Signature::new([Param::String]), |_, a| {
            Err(FuncError::new(warn_wrap(a[0].as_str().unwrap_or_default())))
        });
        funcs.add(
            "include",
            Signature::new([Param::String, Param::Any]),
            |ctx, a| {
                let name = a[0].as_str().unwrap_or_default().to_string();
                ctx.execute_template(&name, &a[1])
                    .map(Value::from)
                    .map_err(FuncError::from_cause)
            },
        );
        let mut set = Templates::with_funcs("gotpl", Arc::new(funcs));
        set.set_missing_key(MissingKey::Zero);
        let file = "c/templates/x.yaml";
        if let Err(e) = set.parse(file, tpl) {
            return parse_error(file, &e);
        }
        match set.execute(file, &Value::dict([])) {
            Ok(out) => out,
            Err(e) => exec_error(file, &e),
        }
    }

    #[test]
    fn errors_are_reworded_as_helm_does() {
        let cases = [
            (
                "line1\n{{ if }}",
                "parse error at (c/templates/x.yaml:2): missing value for if",
            ),
            (
                "a: {{ fail \"boom\" }}",
                "execution error at (c/templates/x.yaml:1:6): boom",
            ),
            (
                "{{ .a.b }}",
                "c/templates/x.yaml:1:5\n  executing \"c/templates/x.yaml\" at <.a.b>:\n    nil pointer evaluating interface {}.b",
            ),
            (
                "{{ template \"nope\" }}",
                "c/templates/x.yaml:1:12\n  executing \"c/templates/x.yaml\" at <{{template \"nope\"}}>:\n    template \"nope\" not defined",
            ),
            (
                "{{ include \"x\" . }}",
                "c/templates/x.yaml:1:3\n  executing \"c/templates/x.yaml\" at <include \"x\" .>:\n    error calling include:\ntemplate: no template \"x\" associated with template \"gotpl\"",
            ),
            (
                "{{ define \"x\" }}{{ .q.r }}{{ end }}{{ include \"x\" 1 }}",
                "c/templates/x.yaml:1:38\n  executing \"c/templates/x.yaml\" at <include \"x\" 1>:\n    error calling include:\nc/templates/x.yaml:1:21\n  executing \"x\" at <.q.r>:\n    can't evaluate field q in type int",
            ),
        ];
        for (tpl, want) in cases {
            assert_eq!(render_error(tpl), want, "template {tpl:?}");
        }
    }
}
