//! Evaluation of pipelines, commands and their operands: fields and map keys, variables,
//! function and method calls with Go's argument conversion rules, and literal constants.

use std::rc::Rc;

use super::val::{Val, assignable, zero};
use super::{At, Failure, Result, State};
use crate::template::ast::{Arg, Command, Number, Pipe};
use crate::template::builtins::{self, Builtin};
use crate::template::funcs::{CallContext, Imp, Param, Returns, Signature};
use crate::template::set::MissingKey;
use crate::template::strconv::quote;
use crate::template::value::{Member, Object, Value};

/// What is being called: a function of the set, or a method of a host object.
enum Callee<'f> {
    Func(&'f Imp),
    Method(Rc<dyn Object>),
}

impl<'a> State<'a, '_> {
    pub(super) fn eval_pipeline(&mut self, dot: &Val, pipe: &'a Pipe) -> Result<Val> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            let v = stacker::maybe_grow(super::RED_ZONE, super::STACK_GROWTH, || {
                self.eval_command(dot, cmd, value.take())
            })?;
            value = Some(v.unwrap_iface());
        }
        let value = value.unwrap_or(Val::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.idents[0], value.clone())?;
            } else {
                self.vars.push((&var.idents[0], value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], last: &Option<Val>) -> Result<()> {
        if args.len() > 1 || last.is_some() {
            return Err(self.errorf(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, cmd: &'a Command, last: Option<Val>) -> Result<Val> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                return self.eval_field_chain_at(dot, dot.clone(), first, idents, &cmd.args, last);
            }
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, &cmd.args, last),
            Arg::Identifier { .. } => {
                return self.eval_function(dot, first, At::Cmd(cmd), &cmd.args, last);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &last)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(_) => return self.eval_variable_node(dot, first, &cmd.args, last),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, &last)?;
        match first {
            Arg::Bool { value, .. } => Ok(Val::Concrete(Value::Bool(*value))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Err(self.errorf("nil is not a command")),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String { text, .. } => Ok(Val::Concrete(Value::from(text.as_str()))),
            _ => Err(self.errorf(format!(
                "can't evaluate command {}",
                quote(&first.to_string())
            ))),
        }
    }

    /// A number in a context with no type: its syntax decides between int and float64.
    fn ideal_constant(&mut self, node: &'a Arg, n: &Number) -> Result<Val> {
        self.at = At::Arg(node);
        let hex_int = n.text.len() > 2
            && n.text.starts_with("0")
            && n.text[1..].starts_with(['x', 'X'])
            && !n.text.contains(['p', 'P']);
        let rune_int = n.text.starts_with('\'');
        if n.is_float && !hex_int && !rune_int && n.text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Val::Concrete(Value::Float(n.float)));
        }
        if n.is_int {
            return Ok(Val::Concrete(Value::Int(n.int)));
        }
        if n.is_uint {
            return Err(self.errorf(format!("{} overflows int", n.text)));
        }
        Ok(Val::Invalid)
    }

    fn eval_field_chain_at(
        &mut self,
        dot: &Val,
        receiver: Val,
        node: &'a Arg,
        idents: &[String],
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        self.at = At::Arg(node);
        self.eval_field_chain(dot, receiver, node, idents, args, last)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Val,
        chain: &'a Arg,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        self.at = At::Arg(chain);
        let Arg::Chain { node, fields, .. } = chain else {
            return Err(self.errorf("internal error: not a chain"));
        };
        if fields.is_empty() {
            return Err(self.errorf("internal error: no fields in evalChainNode"));
        }
        if matches!(**node, Arg::Nil { .. }) {
            return Err(self.errorf(format!("indirection through explicit nil in {chain}")));
        }
        let pipe = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, pipe, chain, fields, args, last)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Val,
        node: &'a Arg,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        self.at = At::Arg(node);
        let Arg::Variable(v) = node else {
            return Err(self.errorf("internal error: not a variable"));
        };
        let value = self.var_value(&v.idents[0])?;
        if v.idents.len() == 1 {
            self.not_a_function(args, &last)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, node, &v.idents[1..], args, last)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Val,
        mut receiver: Val,
        node: &'a Arg,
        idents: &[String],
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            receiver = self.eval_field(dot, ident, node, &[], None, receiver)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, last, receiver)
    }

    /// `.Name` on `receiver`: a method or field of a host object, or a map key.
    fn eval_field(
        &mut self,
        dot: &Val,
        name: &str,
        node: &'a Arg,
        args: &'a [Arg],
        last: Option<Val>,
        receiver: Val,
    ) -> Result<Val> {
        let missing_key = self.set.options().missing_key;
        let inner = match &receiver {
            Val::Invalid => {
                if missing_key == MissingKey::Error {
                    return Err(self.errorf(format!("nil data; no entry for key {}", quote(name))));
                }
                return Ok(Val::Invalid);
            }
            Val::Iface(Value::Nil) => {
                return Err(self.errorf(format!("nil pointer evaluating interface {{}}.{name}")));
            }
            Val::Iface(v) | Val::Concrete(v) => v,
        };
        let has_args = args.len() > 1 || last.is_some();
        match inner {
            Value::Object(o) => match o.member(name) {
                Some(Member::Method(sig)) => {
                    let callee = Callee::Method(o.clone());
                    return self.eval_call(dot, &callee, &sig, At::Arg(node), name, args, last);
                }
                Some(Member::Field { value, interface }) => {
                    if has_args {
                        return Err(self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        )));
                    }
                    return Ok(if interface {
                        Val::Iface(value)
                    } else {
                        Val::Concrete(value)
                    });
                }
                None => {}
            },
            Value::Dict(d) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                return match d.get(name) {
                    Some(v) => Ok(Val::elem(d.elem_type(), v)),
                    None => match missing_key {
                        MissingKey::Default => Ok(Val::Invalid),
                        MissingKey::Zero => Ok(Val::elem(d.elem_type(), d.elem_type().zero())),
                        MissingKey::Error => {
                            Err(self.errorf(format!("map has no entry for key {}", quote(name))))
                        }
                    },
                };
            }
            _ => {}
        }
        Err(self.errorf(format!(
            "can't evaluate field {name} in type {}",
            receiver.type_name()
        )))
    }

    fn eval_function(
        &mut self,
        dot: &Val,
        node: &'a Arg,
        site: At<'a>,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        self.at = At::Arg(node);
        let Arg::Identifier { name, .. } = node else {
            return Err(self.errorf("internal error: not an identifier"));
        };
        let set = self.set;
        let Some(function) = set.find_function(name) else {
            return Err(self.errorf(format!("{} is not a defined function", quote(name))));
        };
        self.eval_call(
            dot,
            &Callee::Func(&function.imp),
            &function.sig,
            site,
            name,
            args,
            last,
        )
    }

    /// Calls a function or method: checks the argument count, converts each argument to its
    /// parameter type, runs it, and wraps its error as `error calling NAME: ...`.
    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Val,
        callee: &Callee<'_>,
        sig: &Signature,
        site: At<'a>,
        name: &str,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        let args = args.get(1..).unwrap_or(&[]);
        let num_in = args.len() + usize::from(last.is_some());
        let num_fixed = if sig.variadic.is_some() {
            sig.params.len()
        } else {
            args.len()
        };
        if sig.variadic.is_some() {
            if num_in < num_fixed {
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    sig.params.len(),
                    args.len()
                )));
            }
        } else if num_in != sig.params.len() {
            return Err(self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                sig.params.len()
            )));
        }
        let builtin = match callee {
            Callee::Func(Imp::Builtin(b)) => Some(*b),
            _ => None,
        };
        if let Some(b @ (Builtin::And | Builtin::Or)) = builtin {
            return self.eval_and_or(dot, b == Builtin::Or, args, last);
        }
        let param_at = |i: usize| {
            if i < num_fixed {
                sig.params.get(i)
            } else {
                sig.variadic.as_ref()
            }
        };
        let mut argv = Vec::with_capacity(num_in);
        for (i, arg) in args.iter().enumerate() {
            argv.push(self.eval_arg(dot, param_at(i), arg)?);
        }
        if let Some(last) = last {
            let t = match &sig.variadic {
                Some(v) if num_in > num_fixed => Some(v),
                Some(_) => sig.params.get(num_in - 1),
                None => sig.params.last(),
            };
            argv.push(self.validate_type(last, t)?);
        }
        let result = match (callee, builtin) {
            (_, Some(b)) => {
                let callee_name = args.first().map_or_else(
                    || argv.last().map(Val::describe).unwrap_or_default(),
                    |a| a.to_string(),
                );
                builtins::call(b, &callee_name, argv)
            }
            (Callee::Func(Imp::Native(f)), None) => {
                let values: Vec<Value> = argv.iter().map(Val::to_value).collect();
                let mut ctx = CallContext {
                    set: self.set,
                    ext: &mut *self.ext,
                };
                f(&mut ctx, &values).map(|v| returned(sig, v))
            }
            (Callee::Method(o), None) => {
                let values: Vec<Value> = argv.iter().map(Val::to_value).collect();
                let mut ctx = CallContext {
                    set: self.set,
                    ext: &mut *self.ext,
                };
                o.call(&mut ctx, name, &values).map(|v| returned(sig, v))
            }
            (Callee::Func(Imp::Builtin(_)), None) => unreachable!("builtins are matched above"),
        };
        result.map_err(|e| {
            self.at = site;
            self.error_with(format!("error calling {name}: {e}"), Some(Box::new(e)))
        })
    }

    /// `and` and `or` evaluate their arguments lazily and return one of them.
    fn eval_and_or(
        &mut self,
        dot: &Val,
        is_or: bool,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        let mut v = Val::Invalid;
        for arg in args {
            v = self.eval_arg(dot, Some(&Param::Reflect), arg)?;
            if v.truth() == is_or {
                return Ok(v);
            }
        }
        if let Some(last) = last {
            v = self.validate_type(last, Some(&Param::Reflect))?;
        }
        Ok(v)
    }

    /// Go's `validateType`: `value` must be assignable to `typ`, possibly after unboxing.
    fn validate_type(&self, value: Val, typ: Option<&Param>) -> Result<Val> {
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

/// A native result as the evaluator sees it: functions declared to return `interface{}`
/// give a boxed value (nil becomes `<no value>` after the pipeline).
fn returned(sig: &Signature, v: Value) -> Val {
    match sig.returns {
        Returns::Interface => Val::Iface(v),
        Returns::Concrete => Val::Concrete(v),
    }
}

impl From<crate::template::error::ExecError> for Failure {
    fn from(e: crate::template::error::ExecError) -> Self {
        Failure::Exec(e)
    }
}
