//! The functions bound to the render (Helm's `initFunMap`): include with its recursion
//! limit, tpl, required, fail, lookup and getHostByName.

use std::collections::HashMap;
use std::sync::Arc;

use super::{HelmFuncOptions, Lookup};
use crate::engine::errors::warn_wrap;
use crate::engine::strip_no_value;
use crate::template::{CallContext, Dict, FuncError, FuncMap, List, Param, Signature, Value};

/// How often one template name may be on the include stack (Helm's `recursionMaxNums`).
pub const RECURSION_MAX: usize = 1000;

/// Per-render include counters by template name, shared by include and tpl (Helm's
/// `includedNames`); kept in the call context's extensions.
#[derive(Debug, Default)]
pub struct IncludeDepth(pub HashMap<String, usize>);

fn s(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

fn include(ctx: &mut CallContext<'_>, a: &[Value]) -> Result<Value, FuncError> {
    let name = s(a, 0).to_string();
    let data = a.get(1).cloned().unwrap_or_default();
    let counts = &mut ctx.extensions().get_or_default::<IncludeDepth>().0;
    let count = counts.entry(name.clone()).or_default();
    if *count > RECURSION_MAX {
        return Err(FuncError::new(format!(
            "rendering template has a nested reference name: {name}: unable to execute template"
        )));
    }
    *count += 1;
    let out = ctx.execute_template(&name, &data);
    if let Some(c) = ctx
        .extensions()
        .get_or_default::<IncludeDepth>()
        .0
        .get_mut(&name)
    {
        *c = c.saturating_sub(1);
    }
    out.map(Value::from).map_err(FuncError::from_cause)
}

/// Helm parses tpl's text as a template named after the set (`gotpl`) in a clone of the set.
fn tpl(ctx: &mut CallContext<'_>, a: &[Value]) -> Result<Value, FuncError> {
    let text = s(a, 0).to_string();
    let data = a.get(1).cloned().unwrap_or_default();
    let name = ctx.templates().name().to_string();
    match ctx.execute_text(&name, &text, &data) {
        Ok(out) => Ok(Value::from(strip_no_value(&out))),
        Err(e @ crate::template::Error::Parse(_)) => Err(FuncError::wrap(
            format!("cannot parse template {}", crate::template::quote(&text)),
            e,
        )),
        Err(e) => Err(FuncError::wrap(
            format!(
                "error during tpl function execution for {}",
                crate::template::quote(&text)
            ),
            e,
        )),
    }
}

fn required(lint: bool, a: &[Value]) -> Result<Value, FuncError> {
    let val = a.get(1).cloned().unwrap_or_default();
    let missing = match &val {
        Value::Nil => true,
        Value::String(x) => x.is_empty(),
        _ => false,
    };
    if !missing {
        return Ok(val);
    }
    if lint {
        return Ok(Value::from(""));
    }
    Err(FuncError::new(warn_wrap(s(a, 0))))
}

fn lookup(l: Option<&Arc<dyn Lookup>>, a: &[Value]) -> Result<Value, FuncError> {
    let Some(l) = l else {
        return Ok(Value::Dict(Dict::new()));
    };
    match l.lookup(s(a, 0), s(a, 1), s(a, 2), s(a, 3)) {
        Ok(Some(json)) => Ok(match unstructured(&json) {
            Value::Dict(d) => Value::Dict(d),
            _ => Value::Dict(Dict::new()),
        }),
        Ok(None) => Ok(Value::Dict(Dict::new())),
        Err(e) => Err(FuncError::new(e)),
    }
}

/// Objects from the API as client-go's unstructured decoding sees them: integers int64.
pub(crate) fn unstructured(json: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int64(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::Array(items) => Value::List(List::new(items.iter().map(unstructured).collect())),
        J::Object(m) => Value::dict(m.iter().map(|(k, v)| (k.clone(), unstructured(v)))),
        other => Value::from_json(other),
    }
}

fn host_by_name(enabled: bool, a: &[Value]) -> Value {
    use std::net::ToSocketAddrs;
    if !enabled {
        return Value::from("");
    }
    let first = (s(a, 0), 0)
        .to_socket_addrs()
        .ok()
        .and_then(|mut it| it.next())
        .map(|addr| addr.ip().to_string());
    Value::from(first.unwrap_or_default())
}

pub(super) fn register(map: &mut FuncMap, opts: &HelmFuncOptions) {
    let any2 = || Signature::new([Param::String, Param::Any]);
    map.add("include", any2(), include);
    map.add("tpl", any2(), tpl);
    let lint = opts.lint;
    map.add("required", any2().returns_interface(), move |_, a| {
        required(lint, a)
    });
    map.add("fail", Signature::new([Param::String]), move |_, a| {
        if lint {
            return Ok(Value::from(""));
        }
        Err(FuncError::new(warn_wrap(s(a, 0))))
    });
    let client = opts.lookup.clone();
    map.add(
        "lookup",
        Signature::new([const { Param::String }; 4]),
        move |_, a| lookup(client.as_ref(), a),
    );
    let dns = opts.enable_dns;
    map.add(
        "getHostByName",
        Signature::new([Param::String]),
        move |_, a| Ok(host_by_name(dns, a)),
    );
}
