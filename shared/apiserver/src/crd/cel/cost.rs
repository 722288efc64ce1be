//! Runtime cost, as kube-apiserver limits it: every comprehension is charged, before it
//! runs, its range's size times the size of its loop body (a stand-in for cel-go's
//! per-node costs), so a rule stops with kube's "actual cost limit exceeded" error within
//! a bounded amount of work instead of running for as long as a huge nested comprehension
//! would. The charge is kept per thread, as one rule evaluates on one thread.

use std::cell::Cell;

use cel::common::ast::{CallExpr, Expr, IdedExpr, LiteralValue};
use cel::common::types::{CelInt, DYN_TYPE, INT_TYPE};
use cel::common::value::CowVal;
use cel::{DeclarationError, Env, ExecutionError};

use super::libs::fail;

/// kube's `celconfig.PerCallLimit`: the most one evaluation of a rule may cost.
pub const PER_CALL_LIMIT: u64 = 1_000_000;
/// kube's `celconfig.RuntimeCELCostBudget`: the most all rules may cost on one object.
pub const RUNTIME_BUDGET: u64 = 10_000_000;
/// cel-go's error when the per-call limit is hit.
pub const EXCEEDED: &str = "operation cancelled: actual cost limit exceeded";

/// The metering function wrapped around each comprehension's range; `@` keeps it out of
/// reach of rules, whose identifiers cannot start with it.
const METER: &str = "@k8s_cost";

thread_local! {
    static SPENT: Cell<u64> = const { Cell::new(0) };
}

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload(METER, "k8s_cost_dyn_int", vec![DYN_TYPE, INT_TYPE], meter)
}

/// Starts metering one evaluation.
pub fn reset() {
    SPENT.with(|c| c.set(0));
}

/// What the current evaluation has cost so far.
pub fn spent() -> u64 {
    SPENT.with(Cell::get)
}

/// Adds `n` to the current evaluation's cost; fails once it is over the per-call limit.
pub fn charge(n: u64) -> Result<(), ExecutionError> {
    // Capped just over the limit: what follows an exceeded limit is not work done.
    let total = SPENT.with(|c| {
        let t = c.get().saturating_add(n).min(PER_CALL_LIMIT + 1);
        c.set(t);
        t
    });
    if total > PER_CALL_LIMIT {
        return Err(exceeded());
    }
    Ok(())
}

/// Whether the current evaluation went over the per-call limit, even if the error was
/// then absorbed (`error || true` is `true` in CEL): kube cancels the evaluation outright.
pub fn over_limit() -> bool {
    spent() > PER_CALL_LIMIT
}

pub fn exceeded() -> ExecutionError {
    fail(METER, EXCEEDED)
}

/// Whether `e` is the error [`charge`] raises.
pub fn is_exceeded(e: &ExecutionError) -> bool {
    matches!(e, ExecutionError::FunctionError { function, .. } if function == METER)
}

fn meter<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let mut args = args.into_iter();
    let (Some(range), Some(weight)) = (args.next(), args.next()) else {
        return Err(ExecutionError::invalid_argument_count(2, 0));
    };
    let size = range.as_sizer().map_or(0, |s| *s.size().inner());
    let weight = weight.downcast_ref::<CelInt>().map_or(1, |w| *w.inner());
    charge(u64::try_from(size.saturating_mul(weight)).unwrap_or(u64::MAX))?;
    Ok(range)
}

/// The number of nodes of `e`: what one evaluation of it is charged.
pub fn size(e: &IdedExpr) -> u64 {
    let mut n = 1u64;
    visit_children(e, &mut |c| n = n.saturating_add(size(c)));
    n
}

pub fn visit_children(e: &IdedExpr, f: &mut dyn FnMut(&IdedExpr)) {
    match &e.expr {
        Expr::Call(c) => {
            c.target.iter().for_each(|t| f(t));
            c.args.iter().for_each(&mut *f);
        }
        Expr::Comprehension(c) => {
            for x in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                f(x);
            }
        }
        Expr::List(l) => l.elements.iter().for_each(&mut *f),
        Expr::Map(m) => m.entries.iter().for_each(|en| {
            if let cel::common::ast::EntryExpr::MapEntry(me) = &en.expr {
                f(&me.key);
                f(&me.value);
            }
        }),
        Expr::Select(s) => f(&s.operand),
        Expr::Struct(s) => s.entries.iter().for_each(|en| {
            if let cel::common::ast::EntryExpr::StructField(sf) = &en.expr {
                f(&sf.value);
            }
        }),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// `e` with every comprehension's range wrapped in the metering call.
pub fn instrument(mut e: IdedExpr) -> IdedExpr {
    instrument_in_place(&mut e);
    e
}

fn instrument_in_place(e: &mut IdedExpr) {
    match &mut e.expr {
        Expr::Call(c) => {
            if let Some(t) = c.target.as_mut() {
                instrument_in_place(t);
            }
            c.args.iter_mut().for_each(instrument_in_place);
        }
        Expr::Comprehension(c) => {
            for x in [
                &mut c.accu_init,
                &mut c.loop_cond,
                &mut c.loop_step,
                &mut c.result,
            ] {
                instrument_in_place(x);
            }
            let weight = (size(&c.loop_cond) + size(&c.loop_step)).max(1);
            let mut range = std::mem::take(&mut c.iter_range);
            instrument_in_place(&mut range);
            let id = range.id;
            let weight = IdedExpr {
                id,
                expr: Expr::Literal(LiteralValue::Int(CelInt::from(
                    i64::try_from(weight).unwrap_or(i64::MAX),
                ))),
            };
            c.iter_range = IdedExpr {
                id,
                expr: Expr::Call(CallExpr {
                    func_name: METER.to_string(),
                    target: None,
                    args: vec![range, weight],
                }),
            };
        }
        Expr::List(l) => l.elements.iter_mut().for_each(instrument_in_place),
        Expr::Map(m) => m.entries.iter_mut().for_each(|en| {
            if let cel::common::ast::EntryExpr::MapEntry(me) = &mut en.expr {
                instrument_in_place(&mut me.key);
                instrument_in_place(&mut me.value);
            }
        }),
        Expr::Select(s) => instrument_in_place(&mut s.operand),
        Expr::Struct(s) => s.entries.iter_mut().for_each(|en| {
            if let cel::common::ast::EntryExpr::StructField(sf) = &mut en.expr {
                instrument_in_place(&mut sf.value);
            }
        }),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}
