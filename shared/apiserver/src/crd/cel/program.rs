//! A rule compiled for the Kubernetes environment: parsed with its macros, checked for
//! undeclared functions, and instrumented for cost, then evaluated against a context.

use cel::common::ast::IdedExpr;
use cel::{Context, ExecutionError, Value};

use super::{check, cost, libs};

pub struct Program {
    expr: IdedExpr,
    uses_old_self: bool,
}

impl Program {
    /// Compiles `source`; the error is cel-go-shaped text.
    pub fn compile(source: &str) -> Result<Program, String> {
        let (expr, info) = libs::env()
            .parser()
            .parse_with_source_info(source)
            .map_err(|e| e.to_string())?;
        check::undeclared(&expr, &info)?;
        let uses_old_self = expr.references().has_variable("oldSelf");
        Ok(Program {
            expr: cost::instrument(expr),
            uses_old_self,
        })
    }

    pub fn uses_old_self(&self) -> bool {
        self.uses_old_self
    }

    /// Evaluates the program, with what it cost.
    pub fn execute(&self, ctx: &Context<'_, '_>) -> (Result<Value, ExecutionError>, u64) {
        cost::reset();
        let base = cost::charge(cost::size(&self.expr));
        let result = base.and_then(|()| Value::resolve(&self.expr, ctx));
        let result = if cost::over_limit() {
            Err(cost::exceeded())
        } else {
            result
        };
        (result, cost::spent())
    }
}

/// An evaluation error as cel-go words it.
pub fn describe(e: &ExecutionError) -> String {
    match e {
        ExecutionError::FunctionError { message, .. } => message.clone(),
        ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
        ExecutionError::DivisionByZero(_) => "division by zero".into(),
        ExecutionError::RemainderByZero(_) => "modulus by zero".into(),
        ExecutionError::Overflow(..) => "integer overflow".into(),
        other => other.to_string(),
    }
}

/// A context over the Kubernetes environment.
pub fn context() -> Context<'static, 'static> {
    Context::with_env(libs::env())
}
