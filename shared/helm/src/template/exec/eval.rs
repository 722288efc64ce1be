//! Evaluation of pipelines, commands and their operands: fields and map keys, variables,
//! function and method calls with Go's argument conversion rules, and literal constants.

use std::rc::Rc;

use super::val::Val;
use super::{At, Failure, Result, State};
use crate::template::ast::{Arg, Command, Number, Pipe};
use crate::template::builtins::{self, Builtin};
use crate::template::funcs::{CallContext, Imp, Param, Returns, Signature};
use crate::template::set::MissingKey;
use crate::template::strconv::quote;
use crate::template::value::{Dict, Member, Object, Value};
use crate::template::{FuncError, limits};

/// What is being called: a function of the set, or a method of a host object.
enum Callee<'f> {
    Func(&'f Imp),
    Method(Rc<dyn Object>),
}

/// A call: the callee, its Go signature, its name, and the node errors are reported at.
struct Call<'f, 'a> {
    callee: Callee<'f>,
    sig: &'f Signature,
    name: &'f str,
    site: At<'a>,
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
    pub(super) fn ideal_constant(&mut self, node: &'a Arg, n: &Number) -> Result<Val> {
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

    pub(super) fn eval_field_chain_at(
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

    pub(super) fn eval_chain_node(
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

    pub(super) fn eval_variable_node(
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
        let inner = match &receiver {
            Val::Invalid => {
                if self.set.options().missing_key == MissingKey::Error {
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
            Value::Object(o) => {
                let o = o.clone();
                if let Some(member) = o.member(name) {
                    return self.eval_member(dot, o, member, name, node, args, last);
                }
                if let Some(Value::Dict(d)) = o.underlying() {
                    return self.map_key(&d, name, has_args);
                }
            }
            Value::Dict(d) => return self.map_key(d, name, has_args),
            _ => {}
        }
        Err(self.errorf(format!(
            "can't evaluate field {name} in type {}",
            receiver.type_name()
        )))
    }

    /// `.name` on a map: the key's value, or per `missingkey` when it is absent.
    fn map_key(&self, d: &Dict, name: &str, has_args: bool) -> Result<Val> {
        if has_args {
            return Err(self.errorf(format!("{name} is not a method but has arguments")));
        }
        let missing_key = self.set.options().missing_key;
        let elem = d.elem_type();
        match (d.get(name), missing_key) {
            (Some(v), _) => Ok(Val::elem(elem, v)),
            (None, MissingKey::Default) => Ok(Val::Invalid),
            (None, MissingKey::Zero) => Ok(Val::elem(elem, elem.zero())),
            (None, MissingKey::Error) => {
                Err(self.errorf(format!("map has no entry for key {}", quote(name))))
            }
        }
    }

    /// A method call or field read on a host object.
    #[allow(clippy::too_many_arguments)]
    fn eval_member(
        &mut self,
        dot: &Val,
        o: Rc<dyn Object>,
        member: Member,
        name: &str,
        node: &'a Arg,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        match member {
            Member::Method(sig) => {
                let call = Call {
                    callee: Callee::Method(o),
                    sig: &sig,
                    name,
                    site: At::Arg(node),
                };
                self.eval_call(dot, &call, args, last)
            }
            Member::Field { value, interface } => {
                if args.len() > 1 || last.is_some() {
                    return Err(self.errorf(format!(
                        "{name} has arguments but cannot be invoked as function"
                    )));
                }
                Ok(if interface {
                    Val::Iface(value)
                } else {
                    Val::Concrete(value)
                })
            }
        }
    }

    pub(super) fn eval_function(
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
        let call = Call {
            callee: Callee::Func(&function.imp),
            sig: &function.sig,
            name,
            site,
        };
        self.eval_call(dot, &call, args, last)
    }

    /// Calls a function or method: checks the argument count, converts each argument to its
    /// parameter type, runs it, and wraps its error as `error calling NAME: ...`.
    fn eval_call(
        &mut self,
        dot: &Val,
        call: &Call<'_, 'a>,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Val> {
        let args = args.get(1..).unwrap_or(&[]);
        self.check_arg_count(call, args.len(), last.is_some())?;
        let builtin = match call.callee {
            Callee::Func(Imp::Builtin(b)) => Some(*b),
            _ => None,
        };
        if let Some(b @ (Builtin::And | Builtin::Or)) = builtin {
            return self.eval_and_or(dot, b == Builtin::Or, args, last);
        }
        let argv = self.eval_call_args(dot, call.sig, args, last)?;
        let result = match (&call.callee, builtin) {
            (_, Some(b)) => {
                // `call` names its callee by the node, or by the piped value.
                let callee = args.first().map_or_else(
                    || argv.last().map(Val::describe).unwrap_or_default(),
                    |a| a.to_string(),
                );
                builtins::call(b, &callee, argv).and_then(|v| match &v {
                    Val::Iface(x) | Val::Concrete(x) => bounded(x).map(|()| v),
                    Val::Invalid => Ok(v),
                })
            }
            (Callee::Func(Imp::Native(f)), None) => {
                let values: Vec<Value> = argv.iter().map(Val::to_value).collect();
                let mut ctx = CallContext {
                    set: self.set,
                    ext: &mut *self.ext,
                };
                f(&mut ctx, &values)
                    .and_then(|v| bounded(&v).map(|()| v))
                    .map(|v| returned(call.sig, v))
            }
            (Callee::Method(o), None) => {
                let values: Vec<Value> = argv.iter().map(Val::to_value).collect();
                let mut ctx = CallContext {
                    set: self.set,
                    ext: &mut *self.ext,
                };
                o.call(&mut ctx, call.name, &values)
                    .map(|v| returned(call.sig, v))
            }
            (Callee::Func(Imp::Builtin(_)), None) => unreachable!("builtins are matched above"),
        };
        result.map_err(|e| {
            self.at = call.site;
            self.error_with(
                format!("error calling {}: {e}", call.name),
                Some(Box::new(e)),
            )
        })
    }

    fn check_arg_count(&self, call: &Call<'_, 'a>, args: usize, piped: bool) -> Result<()> {
        let (sig, name) = (call.sig, call.name);
        let num_in = args + usize::from(piped);
        if sig.variadic.is_some() {
            if num_in < sig.params.len() {
                let want = sig.params.len();
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {want} got {args}"
                )));
            }
        } else if num_in != sig.params.len() {
            let want = sig.params.len();
            return Err(self.errorf(format!(
                "wrong number of args for {name}: want {want} got {num_in}"
            )));
        }
        Ok(())
    }

    /// The arguments converted to the signature, the piped value last.
    fn eval_call_args(
        &mut self,
        dot: &Val,
        sig: &Signature,
        args: &'a [Arg],
        last: Option<Val>,
    ) -> Result<Vec<Val>> {
        let num_in = args.len() + usize::from(last.is_some());
        let num_fixed = if sig.variadic.is_some() {
            sig.params.len()
        } else {
            args.len()
        };
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
        Ok(argv)
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

/// A function's result within the size limits (concatenating functions such as printf can
/// double a string per call).
fn bounded(v: &Value) -> std::result::Result<(), FuncError> {
    match v {
        Value::String(s) => limits::check_string(s.len() as u128),
        Value::List(l) => limits::check_list(l.len() as u128),
        _ => Ok(()),
    }
}
