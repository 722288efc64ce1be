//! Arguments of calls, converted by Go's rules: `validateType` for computed values (with the
//! unboxing of interface values), and typed evaluation of literals (evalBool, evalString...).

use super::val::{Val, assignable, zero};
use super::{At, Result, State};
use crate::template::ast::Arg;
use crate::template::funcs::Param;
use crate::template::value::Value;

impl<'a> State<'a, '_> {
    /// Go's `validateType`: `value` must be assignable to `typ`, possibly after unboxing.
    pub(super) fn validate_type(&self, value: Val, typ: Option<&Param>) -> Result<Val> {
        let Some(typ) = typ else {
            return Ok(value);
        };
        if let Val::Invalid = value {
            if *typ == Param::Reflect {
                return Ok(Val::Invalid);
            }
            if typ.can_be_nil() {
                return Ok(zero(typ));
            }
            return Err(self.errorf(format!("invalid value; expected {}", typ.go_name())));
        }
        if assignable(&value, typ) {
            return Ok(value);
        }
        let value = match value {
            Val::Iface(v) if !v.is_nil() => Val::Concrete(v),
            other => other,
        };
        if assignable(&value, typ) {
            return Ok(value);
        }
        Err(self.errorf(format!(
            "wrong type for value; expected {}; got {}",
            typ.go_name(),
            value.type_name()
        )))
    }

    pub(super) fn eval_arg(&mut self, dot: &Val, typ: Option<&Param>, n: &'a Arg) -> Result<Val> {
        self.at = At::Arg(n);
        let value = match n {
            Arg::Dot { .. } => dot.clone(),
            Arg::Nil { .. } => {
                return match typ {
                    Some(t) if t.can_be_nil() => Ok(if *t == Param::Reflect {
                        Val::Invalid
                    } else {
                        zero(t)
                    }),
                    _ => Err(self.errorf(format!(
                        "cannot assign nil to {}",
                        typ.map(Param::go_name).unwrap_or_default()
                    ))),
                };
            }
            Arg::Field { idents, .. } => self.eval_field_chain_at(
                dot,
                dot.clone(),
                n,
                idents,
                std::slice::from_ref(n),
                None,
            )?,
            Arg::Variable(_) => self.eval_variable_node(dot, n, &[], None)?,
            Arg::Pipe(p) => self.eval_pipeline(dot, p)?,
            Arg::Identifier { .. } => self.eval_function(dot, n, At::Arg(n), &[], None)?,
            Arg::Chain { .. } => self.eval_chain_node(dot, n, &[], None)?,
            _ => return self.eval_literal(dot, typ, n),
        };
        self.validate_type(value, typ)
    }

    /// A literal operand converted to the parameter type, as Go's evalBool/evalString/...
    fn eval_literal(&mut self, dot: &Val, typ: Option<&Param>, n: &'a Arg) -> Result<Val> {
        let Some(typ) = typ else {
            return Err(self.errorf(format!("can't handle {n} for arg of type <nil>")));
        };
        let found = |s: &Self, what: &str| Err(s.errorf(format!("expected {what}; found {n}")));
        match (typ, n) {
            (Param::Any | Param::Reflect, _) => self.eval_empty_interface(dot, n),
            (Param::Bool, Arg::Bool { value, .. }) => Ok(Val::Concrete(Value::Bool(*value))),
            (Param::Bool, _) => found(self, "bool"),
            (Param::String, Arg::String { text, .. }) => {
                Ok(Val::Concrete(Value::from(text.as_str())))
            }
            (Param::String, _) => found(self, "string"),
            (Param::Int, Arg::Number(num)) if num.is_int => Ok(Val::Concrete(Value::Int(num.int))),
            (Param::Int64, Arg::Number(num)) if num.is_int => {
                Ok(Val::Concrete(Value::Int64(num.int)))
            }
            (Param::Int | Param::Int64, _) => found(self, "integer"),
            (Param::Uint32, Arg::Number(num)) if num.is_uint => {
                Ok(Val::Concrete(Value::Int(i64::from(num.uint as u32))))
            }
            (Param::Uint32, _) => found(self, "unsigned integer"),
            (Param::Float64, Arg::Number(num)) if num.is_float => {
                Ok(Val::Concrete(Value::Float(num.float)))
            }
            (Param::Float64, _) => found(self, "float"),
            _ => Err(self.errorf(format!(
                "can't handle {n} for arg of type {}",
                typ.go_name()
            ))),
        }
    }

    fn eval_empty_interface(&mut self, dot: &Val, n: &'a Arg) -> Result<Val> {
        self.at = At::Arg(n);
        match n {
            Arg::Bool { value, .. } => Ok(Val::Concrete(Value::Bool(*value))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Number(num) => self.ideal_constant(n, num),
            Arg::String { text, .. } => Ok(Val::Concrete(Value::from(text.as_str()))),
            Arg::Nil { .. } => Err(self.errorf("evalEmptyInterface: nil (can't happen)")),
            _ => Err(self.errorf(format!(
                "can't handle assignment of {n} to empty interface argument"
            ))),
        }
    }
}
