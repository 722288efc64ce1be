//! A lower bound of kube-apiserver's static cost estimate of a rule, checked when a CRD
//! is written: kube refuses a rule whose estimated cost exceeds the per-call limit (a
//! comprehension over a list with no `maxItems`, nested ones...). Only what kube surely
//! counts is counted here (variable reads, field selections, function calls, and each
//! comprehension's range size from `maxItems`/`maxProperties`, or a size smaller than
//! kube's estimate from the maximum request size), so a rule refused here is one kube
//! refuses too; kube's own estimate also prices strings, which this one does not.

use cel::common::ast::{Expr, IdedExpr, operators};
use serde_json::Value;

use super::cost::{PER_CALL_LIMIT, visit_children};
use super::value::escape;

/// kube's maximum request size: what an unbounded list or map can hold.
const MAX_REQUEST_BYTES: u64 = 3 * 1024 * 1024;
/// An element's serialized size assumed for an unbounded list or map: larger than kube's
/// per-type minimum, so the element count stays below kube's estimate.
const ELEMENT_BYTES: u64 = 8;

/// The error kube gives for a rule estimated over the limit, if this one is.
pub fn over_budget(e: &IdedExpr, schema: &Value) -> Option<String> {
    let cost = Estimator {
        vars: vec![("self".into(), Some(schema.clone()))],
    }
    .cost(e);
    (cost > PER_CALL_LIMIT).then(|| {
        format!(
            "estimated rule cost exceeds budget by factor of {:.1}x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
            cost as f64 / PER_CALL_LIMIT as f64
        )
    })
}

/// Operators kube prices at nothing beyond their operands.
const FREE: &[&str] = &[
    operators::LOGICAL_AND,
    operators::LOGICAL_OR,
    operators::LOGICAL_NOT,
    operators::CONDITIONAL,
    operators::NOT_STRICTLY_FALSE,
];

struct Estimator {
    /// Variables in scope, innermost last, with the schema of their value when known.
    vars: Vec<(String, Option<Value>)>,
}

impl Estimator {
    fn cost(&mut self, e: &IdedExpr) -> u64 {
        let own: u64 = match &e.expr {
            Expr::Ident(name) if !name.starts_with('@') => 1,
            Expr::Select(_) => 1,
            Expr::Call(c)
                if !FREE.contains(&c.func_name.as_str()) && !c.func_name.starts_with('@') =>
            {
                1
            }
            _ => 0,
        };
        let Expr::Comprehension(c) = &e.expr else {
            let mut total = own;
            visit_children(e, &mut |child| {
                total = total.saturating_add(self.cost(child))
            });
            return total;
        };
        let range = unwrap(&c.iter_range);
        let range_schema = self.schema_of(range);
        let count = match &range.expr {
            Expr::List(l) => l.elements.len() as u64,
            _ => range_schema.as_ref().map_or(0, range_size),
        };
        let element = range_schema.as_ref().and_then(element_schema);
        let fixed = self
            .cost(&c.iter_range)
            .saturating_add(self.cost(&c.accu_init));
        self.vars.push((c.accu_var.clone(), None));
        self.vars.push((c.iter_var.clone(), element));
        let per_item = self
            .cost(&c.loop_cond)
            .saturating_add(self.cost(&c.loop_step));
        let result = self.cost(&c.result);
        self.vars.truncate(self.vars.len() - 2);
        fixed
            .saturating_add(count.saturating_mul(per_item))
            .saturating_add(result)
    }

    /// The schema of the value `e` evaluates to, when it is a path from a variable.
    fn schema_of(&self, e: &IdedExpr) -> Option<Value> {
        match &e.expr {
            Expr::Ident(name) => self
                .vars
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(_, s)| s.clone()),
            Expr::Select(s) if !s.test => {
                let parent = self.schema_of(&s.operand)?;
                let props = parent.get("properties")?.as_object()?;
                props
                    .iter()
                    .find(|(k, _)| escape(k).as_deref() == Some(s.field.as_str()))
                    .map(|(_, v)| v.clone())
                    .or_else(|| {
                        parent
                            .get("additionalProperties")
                            .filter(|a| a.is_object())
                            .cloned()
                    })
            }
            Expr::Call(c) if c.func_name == operators::INDEX && c.args.len() == 2 => {
                self.schema_of(&c.args[0]).as_ref().and_then(element_schema)
            }
            _ => None,
        }
    }
}

/// The range of a comprehension without the metering and pairing calls wrapped around
/// it (which keep its size).
fn unwrap(e: &IdedExpr) -> &IdedExpr {
    match &e.expr {
        Expr::Call(c) if c.func_name.starts_with("@k8s_") && !c.args.is_empty() => {
            unwrap(&c.args[0])
        }
        _ => e,
    }
}

/// The schema of a list's items or a map's values.
fn element_schema(s: &Value) -> Option<Value> {
    s.get("items")
        .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()))
        .cloned()
}

/// How many elements a comprehension over a value of schema `s` visits at most.
fn range_size(s: &Value) -> u64 {
    let unbounded = MAX_REQUEST_BYTES / ELEMENT_BYTES;
    let bound = |k: &str| s.get(k).and_then(Value::as_u64);
    match s.get("type").and_then(Value::as_str) {
        Some("array") => bound("maxItems").unwrap_or(unbounded),
        Some("object") if s.get("additionalProperties").is_some_and(Value::is_object) => {
            bound("maxProperties").unwrap_or(unbounded)
        }
        Some("object") => s
            .get("properties")
            .and_then(Value::as_object)
            .map_or(0, |p| p.len() as u64),
        _ => 0,
    }
}
