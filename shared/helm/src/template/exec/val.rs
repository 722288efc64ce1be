//! The evaluator's stand-in for Go's `reflect.Value`: a value, whether it sits in an
//! `interface{}` (map and slice elements of Helm values), or no value at all.

use std::borrow::Cow;

use crate::template::funcs::Param;
use crate::template::value::{Dict, ElemType, List, Value};

/// A value during evaluation. The distinctions matter where Go's do: `<no value>` versus
/// `<nil>`, "nil pointer evaluating interface {}.x" versus a silent zero, and error wording.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// The invalid `reflect.Value`: a missing map key, an unset `$`, ...
    Invalid,
    /// A value of static type `interface{}` (possibly nil), as map and slice elements are.
    Iface(Value),
    /// A value of its own concrete type.
    Concrete(Value),
}

impl Val {
    /// Boxes an element read from a container of the given element type.
    pub fn elem(elem: ElemType, v: Value) -> Val {
        if elem == ElemType::Any {
            Val::Iface(v)
        } else {
            Val::Concrete(v)
        }
    }

    /// Go's unwrapping at the end of each pipeline command: an `interface{}` is replaced by
    /// what it holds, and a nil one becomes no value.
    pub fn unwrap_iface(self) -> Val {
        match self {
            Val::Iface(Value::Nil) | Val::Invalid => Val::Invalid,
            Val::Iface(v) | Val::Concrete(v) => Val::Concrete(v),
        }
    }

    /// Go's `indirectInterface`: the concrete value, or None for no value and nil.
    pub fn concrete(&self) -> Option<&Value> {
        match self {
            Val::Invalid | Val::Iface(Value::Nil) | Val::Concrete(Value::Nil) => None,
            Val::Iface(v) | Val::Concrete(v) => Some(v),
        }
    }

    /// The value as a function parameter of type `interface{}` receives it.
    pub fn to_value(&self) -> Value {
        self.concrete().cloned().unwrap_or(Value::Nil)
    }

    /// The static Go type (`interface {}` for boxed values).
    pub fn type_name(&self) -> Cow<'_, str> {
        match self {
            Val::Invalid => Cow::Borrowed("<invalid reflect.Value>"),
            Val::Iface(_) => Cow::Borrowed("interface {}"),
            Val::Concrete(v) => v.type_name(),
        }
    }

    /// Template truth (Go's `isTrue` of the indirected value).
    pub fn truth(&self) -> bool {
        self.concrete().is_some_and(Value::is_true)
    }

    /// fmt's `%v` of the reflect.Value, as Go error messages print it.
    pub fn describe(&self) -> String {
        match self {
            Val::Invalid => "<invalid reflect.Value>".into(),
            Val::Iface(v) | Val::Concrete(v) => v.to_string(),
        }
    }
}

/// Go's `AssignableTo` for the value's type and a parameter type.
pub(crate) fn assignable(v: &Val, param: &Param) -> bool {
    if matches!(param, Param::Any | Param::Reflect) {
        return true;
    }
    let Val::Concrete(v) = v else {
        return false;
    };
    match (param, v) {
        (Param::Bool, Value::Bool(_))
        | (Param::Int, Value::Int(_))
        | (Param::Int64, Value::Int64(_))
        | (Param::Float64, Value::Float(_))
        | (Param::String, Value::String(_)) => true,
        (Param::List, Value::List(l)) => l.elem_type() == ElemType::Any,
        (Param::StringList, Value::List(l)) => l.elem_type() == ElemType::String,
        (Param::Dict, Value::Dict(d)) => d.elem_type() == ElemType::Any,
        (Param::Object(name), Value::Object(o)) => o.type_name() == *name,
        _ => false,
    }
}

/// `reflect.Zero` of a nillable parameter type.
pub(crate) fn zero(param: &Param) -> Val {
    match param {
        Param::Any => Val::Iface(Value::Nil),
        Param::List => Val::Concrete(Value::List(List::new(Vec::new()))),
        Param::StringList => Val::Concrete(Value::List(List::typed(ElemType::String, Vec::new()))),
        Param::Dict => Val::Concrete(Value::Dict(Dict::new())),
        _ => Val::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwrapping_and_assignability_follow_go() {
        assert!(matches!(
            Val::Iface(Value::Nil).unwrap_iface(),
            Val::Invalid
        ));
        assert!(matches!(
            Val::Iface(Value::Int(1)).unwrap_iface(),
            Val::Concrete(Value::Int(1))
        ));
        assert!(assignable(&Val::Iface(Value::from("a")), &Param::Any));
        assert!(!assignable(&Val::Iface(Value::from("a")), &Param::String));
        assert!(assignable(&Val::Concrete(Value::from("a")), &Param::String));
        assert!(!assignable(&Val::Concrete(Value::Int(1)), &Param::Int64));
        let strings = Value::List(List::typed(ElemType::String, vec![]));
        assert!(!assignable(&Val::Concrete(strings.clone()), &Param::List));
        assert!(assignable(&Val::Concrete(strings), &Param::StringList));
        assert_eq!(Val::Iface(Value::Int(1)).type_name(), "interface {}");
    }
}
