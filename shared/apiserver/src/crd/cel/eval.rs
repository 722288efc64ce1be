//! Evaluating compiled rules over an object, with kube-apiserver's error shapes:
//! `<path>: Invalid value: "<schema type>": <message>` (or Forbidden/Required/Duplicate
//! per `reason`), `failed rule: <rule>` when there is no message.
//!
//! Transition rules (those reading `oldSelf`) run only on update, where the node has a
//! correlated old value: object fields by name, map values by key, items of map-type
//! lists by their key fields. As kube-apiserver's validation ratcheting (on by default
//! since 1.30) does, a node whose value equals its old value does not fail again.

use std::sync::{Arc, OnceLock};

use cel::objects::Value as Cel;
use cel::{Context, Env};
use serde_json::{Value, json};

use super::value::to_cel;
use super::{Rule, Rules};
use crate::error::FieldError;

/// The standard library plus the strings, lists and math extensions kube-apiserver's CEL
/// environment also offers (`lowerAscii`, `split`, `indexOf`, `sort`, `math.abs`, ...),
/// built once.
fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // A failure only means an extension clashes with the stdlib: keep what registered.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::lists);
        let _ = env.add_extension(cel::extensions::math);
        Arc::new(env)
    })
    .clone()
}

/// A context over the shared environment with the Kubernetes list functions the CEL
/// extensions lack: `isSorted()` and `sum()`.
fn context() -> Context<'static, 'static> {
    use cel::extractors::This;
    let mut ctx = Context::with_env(env());
    let _ = ctx.add_function("isSorted", |This(list): This<Arc<Vec<Cel>>>| {
        list.windows(2).all(|w| w[0] <= w[1])
    });
    let _ = ctx.add_function("sum", |This(list): This<Arc<Vec<Cel>>>| {
        let ints: Option<i64> = list.iter().try_fold(0i64, |acc, v| match v {
            Cel::Int(i) => acc.checked_add(*i),
            _ => None,
        });
        match ints {
            Some(total) => Cel::Int(total),
            None => Cel::Float(
                list.iter()
                    .map(|v| match v {
                        Cel::Int(i) => *i as f64,
                        Cel::UInt(u) => *u as f64,
                        Cel::Float(f) => *f,
                        _ => 0.0,
                    })
                    .sum(),
            ),
        }
    });
    ctx
}

/// The CEL rule errors of `obj` (and, on update, its transition from `old`).
pub fn validate(rules: &Rules, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    walk(rules, obj, old, "", &mut errs);
    errs
}

fn child(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// The old list item with the same map-key values as `item`.
fn correlate<'a>(keys: &[String], item: &Value, old: Option<&'a Value>) -> Option<&'a Value> {
    if keys.is_empty() {
        return None;
    }
    old?.as_array()?
        .iter()
        .find(|o| keys.iter().all(|k| o.get(k) == item.get(k)))
}

fn walk(rules: &Rules, v: &Value, old: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    if old != Some(v) {
        for rule in &rules.rules {
            if rule.transition && old.is_none() && !rule.optional_old_self {
                continue;
            }
            if let Some(e) = check(rule, rules, v, old, path) {
                errs.push(e);
            }
        }
    }
    if let Some(obj) = v.as_object() {
        for (k, sub) in &rules.properties {
            if let Some(cv) = obj.get(k) {
                walk(sub, cv, old.and_then(|o| o.get(k)), &child(path, k), errs);
            }
        }
        if let Some(add) = &rules.additional {
            for (k, cv) in obj
                .iter()
                .filter(|(k, _)| !rules.properties.contains_key(*k))
            {
                walk(
                    add,
                    cv,
                    old.and_then(|o| o.get(k)),
                    &format!("{path}[{k}]"),
                    errs,
                );
            }
        }
    }
    if let (Some(items), Some(list)) = (&rules.items, v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            let old_item = correlate(&rules.map_keys, item, old);
            walk(items, item, old_item, &format!("{path}[{i}]"), errs);
        }
    }
}

/// The error of one rule at one node, if it fails.
fn check(
    rule: &Rule,
    rules: &Rules,
    v: &Value,
    old: Option<&Value>,
    path: &str,
) -> Option<FieldError> {
    let mut ctx = context();
    ctx.add_variable_from_value("self", to_cel(v));
    if rule.transition && rule.optional_old_self {
        ctx.add_variable_from_value("oldSelf", optional(old));
    } else if let Some(o) = old.filter(|_| rule.transition) {
        ctx.add_variable_from_value("oldSelf", to_cel(o));
    }
    let at = error_path(path, &rule.field_path);
    let ty = json!(rules.schema_type);
    match rule.program.execute(&ctx) {
        Ok(Cel::Bool(true)) => None,
        Ok(Cel::Bool(false)) => Some(failure(rule, &ctx, &at, &ty)),
        Ok(other) => Some(FieldError::invalid(
            &at,
            &ty,
            &format!(
                "rule compile error: rule returned {:?}, expected bool: {}",
                other.type_of(),
                rule.source.trim()
            ),
        )),
        Err(e) => Some(FieldError::invalid(
            &at,
            &ty,
            &format!("{e} evaluating rule: {}", rule.source.trim()),
        )),
    }
}

/// `optional.of(old)` or `optional.none()`, made by CEL itself (the crate builds optional
/// values only through its own functions).
fn optional(old: Option<&Value>) -> Cel {
    let mut ctx = Context::with_env(env());
    let source = match old {
        Some(o) => {
            ctx.add_variable_from_value("old", to_cel(o));
            "optional.of(old)"
        }
        None => "optional.none()",
    };
    cel::Program::compile(source)
        .ok()
        .and_then(|p| p.execute(&ctx).ok())
        .unwrap_or(Cel::Null)
}

/// Where the error is reported: the node, or the rule's `fieldPath` below it.
fn error_path(path: &str, field_path: &str) -> String {
    let at = match field_path.strip_prefix('.') {
        Some(rel) => child(path, rel),
        None => format!("{path}{field_path}"),
    };
    if at.is_empty() {
        "<nil>".to_string()
    } else {
        at
    }
}

fn failure(rule: &Rule, ctx: &Context<'_, '_>, at: &str, ty: &Value) -> FieldError {
    let from_expression = rule
        .message_expression
        .as_ref()
        .and_then(|p| match p.execute(ctx) {
            Ok(Cel::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        });
    let detail = from_expression.unwrap_or_else(|| match rule.message.trim() {
        "" => format!("failed rule: {}", rule.source.trim()),
        m => m.to_string(),
    });
    match rule.reason.as_str() {
        "FieldValueForbidden" => FieldError::forbidden(at, &detail),
        "FieldValueRequired" => FieldError::required(at, &detail),
        "FieldValueDuplicate" => FieldError {
            reason: "FieldValueDuplicate",
            field: at.to_string(),
            message: format!("Duplicate value: {}", crate::error::render_value(ty)),
        },
        _ => FieldError::invalid(at, ty, &detail),
    }
}
