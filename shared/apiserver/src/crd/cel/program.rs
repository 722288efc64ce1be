//! A rule compiled for the Kubernetes environment: parsed with its macros, checked for
//! undeclared functions, and instrumented for cost, then evaluated against a context.

use cel::common::ast::IdedExpr;
use cel::{Context, ExecutionError, Value};

use super::{check, cost, libs};

/// cel-go's limit on the size of an expression.
const MAX_CODE_POINTS: usize = 100_000;
/// The parser's own recursion limit: deeper brackets are refused before parsing, as
/// the parser would otherwise recurse through all of them first.
const MAX_NESTING: usize = 96;
/// The deepest syntax tree (macros expanded) a rule may have: what [`super::eval`]'s
/// stack is sized for.
const MAX_DEPTH: usize = 500;
const COMPILE_STACK: usize = 256 << 20;

/// The column where brackets (outside string literals) nest deeper than allowed.
fn too_deep(source: &str) -> Option<usize> {
    let (mut depth, mut quote, mut escaped) = (0usize, None::<char>, false);
    for (i, c) in source.chars().enumerate() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(i + 1);
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    None
}

fn metadata_fields(e: &IdedExpr, out: &mut Vec<String>) {
    use cel::common::ast::Expr;
    if let Expr::Select(outer) = &e.expr
        && let Expr::Select(inner) = &outer.operand.expr
        && inner.field == "metadata"
        && matches!(&inner.operand.expr, Expr::Ident(i) if i == "self")
    {
        out.push(outer.field.clone());
    }
    cost::visit_children(e, &mut |c| metadata_fields(c, out));
}

/// The depth of a syntax tree.
fn depth(e: &IdedExpr) -> usize {
    let mut deepest = 0;
    cost::visit_children(e, &mut |c| deepest = deepest.max(depth(c)));
    deepest + 1
}

fn compile_here(source: &str) -> Result<Program, String> {
    let (expr, info) = libs::env()
        .parser()
        .parse_with_source_info(source)
        .map_err(|e| e.to_string())?;
    if depth(&expr) > MAX_DEPTH {
        return Err("ERROR: <input>:1:1: expression recursion limit exceeded".into());
    }
    check::undeclared(&expr, &info)?;
    let uses_old_self = expr.references().has_variable("oldSelf");
    Ok(Program {
        expr: cost::instrument(expr),
        uses_old_self,
    })
}

pub struct Program {
    expr: IdedExpr,
    uses_old_self: bool,
}

impl Program {
    /// Compiles `source`; the error is cel-go-shaped text. Parsing and the passes over
    /// the tree recurse per level, so they run on a thread with a large stack, after
    /// cel-go's size limit and a nesting check keep the input within its reach.
    pub fn compile(source: &str) -> Result<Program, String> {
        let size = source.chars().count();
        if size > MAX_CODE_POINTS {
            return Err(format!(
                "expression code point size exceeds limit: size: {size}, limit {MAX_CODE_POINTS}"
            ));
        }
        if let Some(at) = too_deep(source) {
            return Err(format!(
                "ERROR: <input>:1:{at}: Syntax error: expression recursion limit exceeded"
            ));
        }
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("cel-compile".into())
                .stack_size(COMPILE_STACK)
                .spawn_scoped(s, || compile_here(source))
                .map_err(|e| e.to_string())
                .and_then(|h| h.join().map_err(|_| "rule compilation failed".to_string()))
        })?
    }

    /// kube's error if its cost estimate of this rule on a node of `schema` is over the
    /// per-call limit.
    pub fn over_budget(&self, schema: &serde_json::Value) -> Option<String> {
        super::estimate::over_budget(&self.expr, schema)
    }

    /// The fields read as `self.metadata.<field>`.
    pub fn metadata_fields(&self) -> Vec<String> {
        let mut out = Vec::new();
        metadata_fields(&self.expr, &mut out);
        out
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
