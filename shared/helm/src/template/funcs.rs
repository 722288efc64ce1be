//! The function registry: Go-typed signatures (so arguments convert and fail as in Go),
//! native functions added by other modules (Sprig, Helm), and the call context through which
//! functions such as `include` and `tpl` reach the template set and per-render state.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::builtins::Builtin;
use super::error::{Error, FuncError};
use super::set::Templates;
use super::value::Value;

/// The Go type of a function parameter; decides how arguments are converted and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// `interface{}`: anything; nil and missing values arrive as `Value::Nil`.
    Any,
    /// `reflect.Value`: the raw value, as Go's builtins receive it.
    Reflect,
    Bool,
    /// Go `int`.
    Int,
    Int64,
    Uint32,
    Float64,
    String,
    /// `[]interface{}`.
    List,
    /// `[]string`.
    StringList,
    /// `map[string]interface{}`.
    Dict,
    /// A host object type, by its Go name (`%T`).
    Object(Cow<'static, str>),
}

impl Param {
    /// The Go spelling of the type, as error messages print it.
    pub fn go_name(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Param::Any => "interface {}",
            Param::Reflect => "reflect.Value",
            Param::Bool => "bool",
            Param::Int => "int",
            Param::Int64 => "int64",
            Param::Uint32 => "uint32",
            Param::Float64 => "float64",
            Param::String => "string",
            Param::List => "[]interface {}",
            Param::StringList => "[]string",
            Param::Dict => "map[string]interface {}",
            Param::Object(name) => return Cow::Borrowed(name),
        })
    }

    /// Whether Go's untyped nil converts to this type.
    pub(crate) fn can_be_nil(&self) -> bool {
        match self {
            Param::Any | Param::Reflect | Param::List | Param::StringList | Param::Dict => true,
            Param::Object(name) => name.starts_with('*'),
            _ => false,
        }
    }
}

/// What a function returns: a concrete type, or `interface{}` (whose nil prints `<no value>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    Concrete,
    Interface,
}

/// A Go function type: fixed parameters, an optional variadic tail, and the result kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Param>,
    pub variadic: Option<Param>,
    pub returns: Returns,
}

impl Signature {
    /// Fixed parameters, concrete result.
    pub fn new(params: impl Into<Vec<Param>>) -> Self {
        Self {
            params: params.into(),
            variadic: None,
            returns: Returns::Concrete,
        }
    }

    /// Adds a variadic tail (`...T`).
    pub fn variadic(mut self, elem: Param) -> Self {
        self.variadic = Some(elem);
        self
    }

    /// Declares the result `interface{}`.
    pub fn returns_interface(mut self) -> Self {
        self.returns = Returns::Interface;
        self
    }
}

/// A native function body: converted arguments in, a value or an error out.
pub type NativeFn =
    dyn Fn(&mut CallContext<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync;

#[derive(Clone)]
pub(crate) enum Imp {
    Native(Arc<NativeFn>),
    Builtin(Builtin),
}

/// A function callable from templates.
#[derive(Clone)]
pub struct Function {
    pub(crate) sig: Signature,
    pub(crate) imp: Imp,
}

impl Function {
    pub fn new(
        sig: Signature,
        f: impl Fn(&mut CallContext<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            sig,
            imp: Imp::Native(Arc::new(f)),
        }
    }

    pub(crate) fn builtin(sig: Signature, b: Builtin) -> Self {
        Self {
            sig,
            imp: Imp::Builtin(b),
        }
    }

    pub fn signature(&self) -> &Signature {
        &self.sig
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Function")
            .field("sig", &self.sig)
            .finish_non_exhaustive()
    }
}

/// Named functions, as Go's `template.FuncMap`. Entries shadow the builtins of the same name.
#[derive(Clone, Default, Debug)]
pub struct FuncMap {
    map: HashMap<String, Function>,
}

impl FuncMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, f: Function) {
        self.map.insert(name.into(), f);
    }

    /// Shorthand for `insert(name, Function::new(sig, f))`.
    pub fn add(
        &mut self,
        name: &str,
        sig: Signature,
        f: impl Fn(&mut CallContext<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    ) {
        self.insert(name, Function::new(sig, f));
    }

    pub fn remove(&mut self, name: &str) -> Option<Function> {
        self.map.remove(name)
    }

    pub fn extend(&mut self, other: FuncMap) {
        self.map.extend(other.map);
    }

    pub fn get(&self, name: &str) -> Option<&Function> {
        self.map.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }
}

/// Per-execution state shared by every function call of one render, keyed by type: Helm's
/// include counters, the render's Kubernetes client, and so on.
#[derive(Default)]
pub struct Extensions {
    map: HashMap<TypeId, Box<dyn Any>>,
}

impl Extensions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert<T: 'static>(&mut self, value: T) {
        self.map.insert(TypeId::of::<T>(), Box::new(value));
    }

    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.map
            .get(&TypeId::of::<T>())
            .and_then(|b| b.downcast_ref())
    }

    pub fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.map
            .get_mut(&TypeId::of::<T>())
            .and_then(|b| b.downcast_mut())
    }

    pub fn get_or_default<T: Default + 'static>(&mut self) -> &mut T {
        let slot = self
            .map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        match slot.downcast_mut() {
            Some(v) => v,
            None => unreachable!("extensions are keyed by their TypeId"),
        }
    }
}

/// What a running function can reach: the template set it executes in and the per-render
/// extensions.
pub struct CallContext<'a> {
    pub(crate) set: &'a Templates,
    pub(crate) ext: &'a mut Extensions,
}

impl CallContext<'_> {
    /// The set the calling template belongs to.
    pub fn templates(&self) -> &Templates {
        self.set
    }

    pub fn extensions(&mut self) -> &mut Extensions {
        self.ext
    }

    /// Go's `ExecuteTemplate` on the calling set (Helm's `include`): a fresh execution, with
    /// the same extensions.
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        self.set.execute_with(name, data, self.ext)
    }

    /// Parses `text` as a new template called `name` in a copy of the calling set (its defines
    /// visible to nested calls), then executes it (Helm's `tpl`).
    pub fn execute_text(&mut self, name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let mut layer = self.set.layered();
        let tree = layer.parse_tree(name, text)?;
        layer.execute_tree(&tree, data, self.ext)
    }
}
