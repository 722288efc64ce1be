//! What kube-apiserver's type checker rejects when a CRD is written, done here without
//! types: a call to a function the 1.33 environment does not declare (a typo, or a
//! library kube does not enable: `math.*`, `base64.*`, `sort()`, semver, ...) makes the
//! rule fail to compile, with cel-go's "undeclared reference" text.

use cel::common::ast::{Expr, IdedExpr, SourceInfo};

/// Functions called globally, namespaced ones with their namespace.
const GLOBAL: &[&str] = &[
    "size",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "duration",
    "timestamp",
    "type",
    "dyn",
    "matches",
    "optional.of",
    "optional.none",
    "optional.ofNonZeroValue",
    "strings.quote",
    "sets.contains",
    "sets.equivalent",
    "sets.intersects",
    "url",
    "isURL",
    "ip",
    "isIP",
    "ip.isCanonical",
    "cidr",
    "isCIDR",
    "quantity",
    "isQuantity",
    "sign",
    "format.named",
    "format.dns1123Label",
    "format.dns1123Subdomain",
    "format.dns1035Label",
    "format.qualifiedName",
    "format.dns1123LabelPrefix",
    "format.dns1123SubdomainPrefix",
    "format.dns1035LabelPrefix",
    "format.labelValue",
    "format.uri",
    "format.uuid",
    "format.byte",
    "format.date",
    "format.datetime",
];

/// Functions called on a receiver.
const MEMBER: &[&str] = &[
    // standard library
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getFullYear",
    "getHours",
    "getMilliseconds",
    "getMinutes",
    "getMonth",
    "getSeconds",
    // optional types
    "hasValue",
    "value",
    "or",
    "orValue",
    // strings extension, version 2
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "replace",
    "split",
    "substring",
    "trim",
    "join",
    "format",
    // Kubernetes lists and regex
    "isSorted",
    "sum",
    "min",
    "max",
    "find",
    "findAll",
    // URLs
    "getScheme",
    "getHost",
    "getHostname",
    "getPort",
    "getEscapedPath",
    "getQuery",
    // IP and CIDR
    "family",
    "isUnspecified",
    "isLoopback",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isGlobalUnicast",
    "containsIP",
    "containsCIDR",
    "ip",
    "prefixLength",
    "masked",
    // quantity
    "isGreaterThan",
    "isLessThan",
    "compareTo",
    "asApproximateFloat",
    "asInteger",
    "isInteger",
    "add",
    "sub",
    // format
    "validate",
];

/// The first call in `e` the environment does not declare, or the first list or map
/// literal mixing literal types (kube enables cel-go's homogeneous aggregate literals), as
/// cel-go reports it.
pub fn undeclared(e: &IdedExpr, info: &SourceInfo) -> Result<(), String> {
    let Some((id, problem)) = first_problem(e) else {
        return Ok(());
    };
    let (line, col) = position(info, id);
    // cel-go quotes the line and points at the column.
    let text = info.source.lines().nth(line - 1).unwrap_or("");
    let pointer = format!("{}^", ".".repeat(col - 1));
    Err(format!(
        "ERROR: <input>:{line}:{col}: {problem}\n | {text}\n | {pointer}"
    ))
}

/// The CEL type name of a literal.
fn literal_type(e: &IdedExpr) -> Option<&'static str> {
    use cel::common::ast::LiteralValue as L;
    match &e.expr {
        Expr::Literal(l) => Some(match l {
            L::Boolean(_) => "bool",
            L::Bytes(_) => "bytes",
            L::Double(_) => "double",
            L::Int(_) => "int",
            L::Null => "null_type",
            L::String(_) => "string",
            L::UInt(_) => "uint",
        }),
        _ => None,
    }
}

/// The first literal of `items` whose type differs from the first literal's.
fn mixed<'a>(items: impl Iterator<Item = &'a IdedExpr>) -> Option<(u64, String)> {
    let mut first = None;
    for item in items {
        let Some(t) = literal_type(item) else {
            continue;
        };
        match first {
            None => first = Some(t),
            Some(f) if f != t => {
                return Some((item.id, format!("expected type '{f}' but found '{t}'")));
            }
            Some(_) => {}
        }
    }
    None
}

fn first_problem(e: &IdedExpr) -> Option<(u64, String)> {
    problem_in(e, false)
}

/// `exempt`: `e` is a literal list or map inside a `format()` call, which cel-go lets mix
/// types (`'%s: %d'.format([name, count])`).
fn problem_in(e: &IdedExpr, exempt: bool) -> Option<(u64, String)> {
    match &e.expr {
        Expr::Call(c) => {
            if let Err(name) = declared(c) {
                return Some((
                    e.id,
                    format!("undeclared reference to '{name}' (in container '')"),
                ));
            }
            if let Some(p) = invalid_literal(c) {
                return Some(p);
            }
        }
        Expr::List(l) if !exempt => {
            if let Some(p) = mixed(l.elements.iter()) {
                return Some(p);
            }
        }
        Expr::Map(m) if !exempt => {
            let entries = || {
                m.entries.iter().filter_map(|en| match &en.expr {
                    cel::common::ast::EntryExpr::MapEntry(me) => Some(me),
                    _ => None,
                })
            };
            if let Some(p) =
                mixed(entries().map(|me| &me.key)).or_else(|| mixed(entries().map(|me| &me.value)))
            {
                return Some(p);
            }
        }
        _ => {}
    }
    let in_format = matches!(&e.expr, Expr::Call(c) if c.func_name == "format");
    let aggregate = matches!(&e.expr, Expr::List(_) | Expr::Map(_));
    children(e).into_iter().find_map(|child| {
        let literal = matches!(child.expr, Expr::List(_) | Expr::Map(_));
        problem_in(child, literal && (in_format || (exempt && aggregate)))
    })
}

/// cel-go's literal validators: a constant regex for `matches`, a constant string for
/// `duration()` or `timestamp()`, that could never evaluate.
fn invalid_literal(c: &cel::common::ast::CallExpr) -> Option<(u64, String)> {
    use cel::common::ast::LiteralValue;
    let arg = c.args.first()?;
    let Expr::Literal(LiteralValue::String(s)) = &arg.expr else {
        return None;
    };
    let s = s.inner();
    let valid = match c.func_name.as_str() {
        "matches" => super::libs::compile_regex(s).is_ok(),
        "duration" if c.target.is_none() => super::value::go_duration(s).is_some(),
        "timestamp" if c.target.is_none() => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        _ => true,
    };
    (!valid).then(|| (arg.id, format!("invalid {} argument", c.func_name)))
}

fn position(info: &SourceInfo, id: u64) -> (usize, usize) {
    let Some((start, _)) = info.offset_for(id) else {
        return (1, 1);
    };
    let before: Vec<char> = info.source.chars().take(start as usize).collect();
    let line = before.iter().filter(|c| **c == '\n').count() + 1;
    let col = before.iter().rev().take_while(|c| **c != '\n').count() + 1;
    (line, col)
}

fn declared(call: &cel::common::ast::CallExpr) -> Result<(), String> {
    let name = call.func_name.as_str();
    // Operators and the interpreter's own helpers (`_+_`, `!_`, `@in`, ...).
    if name.starts_with(['_', '@', '!']) {
        return Ok(());
    }
    match &call.target {
        None if GLOBAL.contains(&name) => Ok(()),
        None => Err(name.to_string()),
        Some(t) => {
            // `ns.f(...)` is a namespaced global function unless `ns` is a variable.
            let qualified = match &t.expr {
                Expr::Ident(ns) if ns != "self" && ns != "oldSelf" => format!("{ns}.{name}"),
                _ => String::new(),
            };
            if MEMBER.contains(&name) || GLOBAL.contains(&qualified.as_str()) {
                Ok(())
            } else if qualified.is_empty() {
                Err(name.to_string())
            } else {
                Err(qualified)
            }
        }
    }
}

fn children(e: &IdedExpr) -> Vec<&IdedExpr> {
    match &e.expr {
        Expr::Call(c) => c
            .target
            .iter()
            .map(|t| t.as_ref())
            .chain(c.args.iter())
            .collect(),
        Expr::Comprehension(c) => {
            vec![
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ]
        }
        Expr::List(l) => l.elements.iter().collect(),
        Expr::Map(m) => m
            .entries
            .iter()
            .filter_map(|en| match &en.expr {
                cel::common::ast::EntryExpr::MapEntry(me) => Some([&me.key, &me.value]),
                _ => None,
            })
            .flatten()
            .collect(),
        Expr::Select(s) => vec![&s.operand],
        Expr::Struct(_) | Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => vec![],
    }
}
