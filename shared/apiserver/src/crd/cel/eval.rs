//! Evaluating compiled rules over an object, with kube-apiserver's error shapes:
//! `<path>: Invalid value: "<schema type>": <message>` (or Forbidden/Required/Duplicate
//! per `reason`), `failed rule: <rule>` when there is no message, `<error> evaluating
//! rule: <rule>` when evaluation fails, and kube's cost-limit errors, after which no
//! further rule runs.
//!
//! Transition rules (those reading `oldSelf`) run only on update, where the node has a
//! correlated old value: object fields by name, map values by key, items of map-type
//! lists by their key fields. As kube-apiserver's validation ratcheting (on by default
//! since 1.30) does, a node whose value equals its old value does not fail again.

use cel::objects::Value as Cel;
use cel::{Context, ExecutionError};
use serde_json::{Value, json};

use super::cost::{self, RUNTIME_BUDGET};
use super::program::context;
use super::value::to_cel_at;
use super::{Rule, Rules};
use crate::error::FieldError;

/// The stack rules run on: the interpreter recurses once per level of a rule's syntax
/// tree, and a worker thread's default stack is too small for long `&&` chains.
const EVAL_STACK: usize = 64 << 20;

/// The CEL rule errors of `obj` (and, on update, its transition from `old`). Rules run
/// on a thread of their own, with a stack sized for the deepest rule that compiles; a
/// failure there (which would be a bug in the interpreter) is reported, never a crash.
pub fn validate(rules: &Rules, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let run = || {
        let mut w = Walker {
            errs: Vec::new(),
            remaining: RUNTIME_BUDGET,
            stopped: false,
        };
        w.walk(rules, obj, old, "");
        w.errs
    };
    let result = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("cel-eval".into())
            .stack_size(EVAL_STACK)
            .spawn_scoped(s, run)
            .map_err(|e| e.to_string())
            .and_then(|h| h.join().map_err(|_| "rule evaluation failed".to_string()))
    });
    result.unwrap_or_else(|e| {
        vec![FieldError::invalid(
            "<nil>",
            &json!("object"),
            &format!("validation rules could not be evaluated: {e}"),
        )]
    })
}

/// One object's validation: its errors, and the cost budget left for its rules.
struct Walker {
    errs: Vec<FieldError>,
    remaining: u64,
    /// Set once a cost limit is hit: kube runs no further rule on the object.
    stopped: bool,
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

impl Walker {
    fn walk(&mut self, rules: &Rules, v: &Value, old: Option<&Value>, path: &str) {
        let unchanged = old == Some(v);
        for rule in &rules.rules {
            if self.stopped {
                return;
            }
            if rule.transition && old.is_none() && !rule.optional_old_self {
                continue;
            }
            // Ratcheting spares an unchanged value, but never from a transition rule.
            if unchanged && !rule.transition {
                continue;
            }
            self.check(rule, rules, v, old, path);
        }
        if let Some(obj) = v.as_object() {
            for (k, sub) in &rules.properties {
                if let Some(cv) = obj.get(k) {
                    self.walk(sub, cv, old.and_then(|o| o.get(k)), &child(path, k));
                }
            }
            if let Some(add) = &rules.additional {
                for (k, cv) in obj
                    .iter()
                    .filter(|(k, _)| !rules.properties.contains_key(*k))
                {
                    let at = format!("{path}[{k}]");
                    self.walk(add, cv, old.and_then(|o| o.get(k)), &at);
                }
            }
        }
        if let (Some(items), Some(list)) = (&rules.items, v.as_array()) {
            for (i, item) in list.iter().enumerate() {
                let old_item = correlate(&rules.map_keys, item, old);
                self.walk(items, item, old_item, &format!("{path}[{i}]"));
            }
        }
    }

    /// Charges `spent` to the object's budget; false (and an error) once it runs out.
    fn spend(&mut self, spent: u64, at: &str, ty: &Value) -> bool {
        if spent > self.remaining {
            self.stop(FieldError::invalid(
                at,
                ty,
                "validation failed due to running out of cost budget, no further validation rules will be run",
            ));
            return false;
        }
        self.remaining -= spent;
        true
    }

    fn stop(&mut self, e: FieldError) {
        self.errs.push(e);
        self.stopped = true;
    }

    /// Runs one rule at one node, recording its error if it fails.
    fn check(&mut self, rule: &Rule, rules: &Rules, v: &Value, old: Option<&Value>, path: &str) {
        let mut ctx = context();
        ctx.add_variable_from_value("self", to_cel_at(v, &rules.schema));
        if rule.transition && rule.optional_old_self {
            ctx.add_variable_from_value("oldSelf", optional(old, &rules.schema));
        } else if let Some(o) = old.filter(|_| rule.transition) {
            ctx.add_variable_from_value("oldSelf", to_cel_at(o, &rules.schema));
        }
        let node = if path.is_empty() { "<nil>" } else { path };
        let ty = json!(rules.schema_type);
        let (result, spent) = rule.program.execute(&ctx);
        if !self.spend(spent, node, &ty) {
            return;
        }
        let shown = rule_error_string(rule);
        match result {
            Ok(Cel::Bool(true)) => {}
            Ok(Cel::Bool(false)) => {
                let at = error_path(path, &rule.field_path);
                let e = self.failure(rule, &ctx, &at, &ty);
                self.errs.push(e);
            }
            Ok(other) => self.errs.push(FieldError::invalid(
                node,
                &ty,
                &format!(
                    "rule compile error: rule returned {}, expected bool: {shown}",
                    other.type_of()
                ),
            )),
            Err(e) if cost::is_exceeded(&e) => self.stop(FieldError::invalid(
                node,
                &ty,
                &format!("'{}': no further validation rules will be run due to call cost exceeds limit for rule: {shown}", cost::EXCEEDED),
            )),
            Err(ExecutionError::NoSuchOverload(_)) => self.errs.push(FieldError::invalid(
                node,
                &ty,
                &format!("'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {shown}"),
            )),
            Err(e) => self.errs.push(FieldError::invalid(
                node,
                &ty,
                &format!("{} evaluating rule: {shown}", super::program::describe(&e)),
            )),
        }
    }

    fn failure(&mut self, rule: &Rule, ctx: &Context<'_, '_>, at: &str, ty: &Value) -> FieldError {
        let from_expression = rule.message_expression.as_ref().and_then(|p| {
            let (result, spent) = p.execute(ctx);
            self.remaining = self.remaining.saturating_sub(spent);
            match result {
                Ok(Cel::String(s)) if !s.trim().is_empty() && !s.contains('\n') => {
                    Some(s.trim().to_string())
                }
                _ => None,
            }
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
}

/// kube's `ruleErrorString`: the rule's message if it has one, else the rule.
fn rule_error_string(rule: &Rule) -> &str {
    match rule.message.trim() {
        "" => rule.source.trim(),
        m => m,
    }
}

/// `optional.of(old)` or `optional.none()`, made by CEL itself (the crate builds optional
/// values only through its own functions).
fn optional(old: Option<&Value>, schema: &Value) -> Cel {
    let mut ctx = context();
    let source = match old {
        Some(o) => {
            ctx.add_variable_from_value("old", to_cel_at(o, schema));
            "optional.of(old)"
        }
        None => "optional.none()",
    };
    super::program::Program::compile(source)
        .ok()
        .and_then(|p| p.execute(&ctx).0.ok())
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
