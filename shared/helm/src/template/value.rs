//! The values templates compute with, as Helm charts see them: Go's nil, bool, int, int64,
//! float64, string, []byte, shared mutable lists and maps, and host objects with methods.

use std::borrow::Cow;
use std::cell::{Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::error::FuncError;
use super::funcs::{CallContext, Signature};

/// A template value. Lists and dicts are shared: cloning a `Value` clones the handle, so a
/// mutation through one holder (Sprig's `set`) is seen by every other, as with Go maps.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's untyped nil (a nil `interface{}`).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int` (template integer literals, `len`).
    Int(i64),
    /// Go `int64` (Sprig's arithmetic).
    Int64(i64),
    /// Go `float64`; every number that comes from YAML or JSON values.
    Float(f64),
    String(Rc<str>),
    /// Go `[]byte`.
    Bytes(Rc<[u8]>),
    List(List),
    Dict(Dict),
    Object(Rc<dyn Object>),
}

/// The Go element type of a list or dict, for `%T` and assignability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ElemType {
    /// `interface{}`: elements are boxed, as in Helm's values.
    #[default]
    Any,
    String,
    Int,
    Int64,
    Float64,
    Bool,
    /// `map[string]interface {}` (BurntSushi/toml's arrays of tables).
    Map,
}

impl ElemType {
    /// The Go spelling of the type.
    pub fn go_name(self) -> &'static str {
        match self {
            ElemType::Any => "interface {}",
            ElemType::String => "string",
            ElemType::Int => "int",
            ElemType::Int64 => "int64",
            ElemType::Float64 => "float64",
            ElemType::Bool => "bool",
            ElemType::Map => "map[string]interface {}",
        }
    }

    /// The zero value of the type (`nil` for `interface{}`).
    pub fn zero(self) -> Value {
        match self {
            ElemType::Any => Value::Nil,
            ElemType::String => Value::from(""),
            ElemType::Int => Value::Int(0),
            ElemType::Int64 => Value::Int64(0),
            ElemType::Float64 => Value::Float(0.0),
            ElemType::Bool => Value::Bool(false),
            ElemType::Map => Value::Dict(Dict::nil_typed(ElemType::Any)),
        }
    }
}

struct ListData {
    elem: ElemType,
    items: RefCell<Vec<Value>>,
}

/// A shared, mutable Go slice (`[]interface{}` unless another element type is given).
#[derive(Clone)]
pub struct List(Rc<ListData>);

impl List {
    pub fn new(items: Vec<Value>) -> Self {
        Self::typed(ElemType::Any, items)
    }

    pub fn typed(elem: ElemType, items: Vec<Value>) -> Self {
        List(Rc::new(ListData {
            elem,
            items: RefCell::new(items),
        }))
    }

    pub fn elem_type(&self) -> ElemType {
        self.0.elem
    }

    pub fn borrow(&self) -> Ref<'_, Vec<Value>> {
        self.0.items.borrow()
    }

    pub fn borrow_mut(&self) -> RefMut<'_, Vec<Value>> {
        self.0.items.borrow_mut()
    }

    pub fn len(&self) -> usize {
        self.0.items.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<Value> {
        self.0.items.borrow().get(i).cloned()
    }

    /// A copy of the elements, safe to iterate while the list is mutated.
    pub fn snapshot(&self) -> Vec<Value> {
        self.0.items.borrow().clone()
    }

    pub fn ptr_eq(&self, other: &List) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

struct DictData {
    elem: ElemType,
    name: Option<Rc<str>>,
    /// A Go nil map: empty like any other, but JSON `null` and `%#v` `T(nil)`.
    nil: bool,
    entries: RefCell<BTreeMap<String, Value>>,
}

/// A shared, mutable Go map with string keys, iterated in sorted key order as Go's template
/// and fmt packages do (`map[string]interface {}` unless typed otherwise).
#[derive(Clone)]
pub struct Dict(Rc<DictData>);

impl Dict {
    pub fn new() -> Self {
        Self::from_map(BTreeMap::new())
    }

    pub fn from_map(entries: BTreeMap<String, Value>) -> Self {
        Self::typed(ElemType::Any, entries)
    }

    pub fn typed(elem: ElemType, entries: BTreeMap<String, Value>) -> Self {
        Dict(Rc::new(DictData {
            elem,
            name: None,
            nil: false,
            entries: RefCell::new(entries),
        }))
    }

    /// A nil Go map of the element type, such as a `map[string]string` field of a Go struct
    /// that its YAML never set (Helm's `.Chart.Annotations`). Nothing inserts into it: Sprig's
    /// mutating functions only take `map[string]interface {}`.
    pub fn nil_typed(elem: ElemType) -> Self {
        Dict(Rc::new(DictData {
            elem,
            name: None,
            nil: true,
            entries: RefCell::new(BTreeMap::new()),
        }))
    }

    /// Whether this is a nil Go map (see [`Dict::nil_typed`]).
    pub fn is_nil_map(&self) -> bool {
        self.0.nil && self.0.entries.borrow().is_empty()
    }

    /// A `map[string]interface{}` with a Go type name of its own (Helm's `common.Values`).
    pub fn named(name: &str, entries: BTreeMap<String, Value>) -> Self {
        Dict(Rc::new(DictData {
            elem: ElemType::Any,
            name: Some(name.into()),
            nil: false,
            entries: RefCell::new(entries),
        }))
    }

    pub fn elem_type(&self) -> ElemType {
        self.0.elem
    }

    /// The Go type: its name if it has one, else `map[string]<elem>`.
    pub fn type_name(&self) -> Cow<'static, str> {
        match &self.0.name {
            Some(n) => Cow::Owned(n.to_string()),
            None => Cow::Owned(format!("map[string]{}", self.0.elem.go_name())),
        }
    }

    pub fn borrow(&self) -> Ref<'_, BTreeMap<String, Value>> {
        self.0.entries.borrow()
    }

    pub fn borrow_mut(&self) -> RefMut<'_, BTreeMap<String, Value>> {
        self.0.entries.borrow_mut()
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.0.entries.borrow().get(key).cloned()
    }

    pub fn insert(&self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.0.entries.borrow_mut().insert(key.into(), value)
    }

    pub fn remove(&self, key: &str) -> Option<Value> {
        self.0.entries.borrow_mut().remove(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.entries.borrow().contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.0.entries.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries in key order, safe to iterate while the dict is mutated.
    pub fn snapshot(&self) -> Vec<(String, Value)> {
        self.0
            .entries
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn ptr_eq(&self, other: &Dict) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Dict {
    fn default() -> Self {
        Self::new()
    }
}

/// What `.Name` finds on a host object: Go looks for a method first, then a field.
pub enum Member {
    /// A method; `Object::call` runs it with arguments converted to the signature.
    Method(Signature),
    /// A field. `interface` says the field's static type is `interface{}`.
    Field { value: Value, interface: bool },
}

/// A host object with fields and methods, such as Helm's `.Files`, `.Capabilities` or
/// `.Release`. Methods receive their arguments converted by Go's rules for the signature
/// `member` returns.
pub trait Object {
    /// The Go type, as `%T` prints it (`*chart.Files`).
    fn type_name(&self) -> Cow<'_, str>;
    /// The method or field called `name`, if any.
    fn member(&self, name: &str) -> Option<Member>;
    /// Runs the method `name` found through `member`.
    fn call(
        &self,
        ctx: &mut CallContext<'_>,
        name: &str,
        args: &[Value],
    ) -> Result<Value, FuncError> {
        let _ = (ctx, args);
        Err(FuncError::new(format!("{name} is not a method")))
    }
    /// For a named Go map or slice type with methods (Helm's `common.Values` with `AsMap`,
    /// `VersionSet` with `Has`): the map or slice itself. Fields that are not methods read its
    /// keys, and range, index, len and printing see it.
    fn underlying(&self) -> Option<Value> {
        None
    }
    /// What encoding/json marshals for the object (Go structs: their exported fields), for
    /// toJson and toYaml; by default the underlying map or slice, else an empty object.
    fn json_value(&self) -> Option<Value> {
        self.underlying()
    }
    /// For a Go struct: its JSON fields in declaration order (encoding/json keeps struct
    /// order, unlike map keys, which it sorts). Takes precedence over `json_value`.
    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        None
    }
    /// What `{{ . }}` prints (Go's `String()` when the type is a Stringer); by default the
    /// underlying map or slice, else `{TypeName}`.
    fn print(&self) -> String {
        match self.underlying() {
            Some(v) => v.to_string(),
            None => format!("{{{}}}", self.type_name()),
        }
    }
    /// What fmt's `%v` prints (`%+v` when `plus`).
    fn format_v(&self, plus: bool) -> String {
        let _ = plus;
        self.print()
    }
    /// Truth in `if`: the underlying map or slice's, else true (Go structs and non-nil
    /// pointers are true).
    fn truthy(&self) -> bool {
        self.underlying().is_none_or(|v| v.is_true())
    }
    /// Go's `==` between two objects of this type (pointer identity by default).
    fn equals(&self, other: &dyn Object) -> bool {
        std::ptr::addr_eq(self as *const Self, other as *const dyn Object)
    }
}

impl Value {
    /// Go's `%T` of the value.
    pub fn type_name(&self) -> Cow<'_, str> {
        match self {
            Value::Nil => Cow::Borrowed("<nil>"),
            Value::Bool(_) => Cow::Borrowed("bool"),
            Value::Int(_) => Cow::Borrowed("int"),
            Value::Int64(_) => Cow::Borrowed("int64"),
            Value::Float(_) => Cow::Borrowed("float64"),
            Value::String(_) => Cow::Borrowed("string"),
            Value::Bytes(_) => Cow::Borrowed("[]uint8"),
            Value::List(l) => Cow::Owned(format!("[]{}", l.elem_type().go_name())),
            Value::Dict(d) => d.type_name(),
            Value::Object(o) => Cow::Owned(o.type_name().into_owned()),
        }
    }

    /// Go template truth: false for nil, false, 0, and empty strings, lists and maps.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Object(o) => o.truthy(),
        }
    }

    /// The value itself, or for an object standing for a named map or slice, that map or
    /// slice (see [`Object::underlying`]).
    pub fn deref_object(&self) -> Value {
        match self {
            Value::Object(o) => o.underlying().unwrap_or_else(|| self.clone()),
            other => other.clone(),
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A list of `interface{}` elements.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }

    /// A `map[string]interface{}`.
    pub fn dict(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        Value::Dict(Dict::from_map(entries.into_iter().collect()))
    }

    /// Converts JSON the way Helm sees values: every number becomes a float64.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::from(s.as_str()),
            serde_json::Value::Array(items) => {
                Value::list(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => {
                Value::dict(map.iter().map(|(k, v)| (k.clone(), Value::from_json(v))))
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(Rc::from(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Rc::from(s))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}({})",
            self.type_name(),
            super::fmt::sprint(std::slice::from_ref(self))
        )
    }
}

impl fmt::Debug for Dict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Value::Dict(self.clone()), f)
    }
}

impl fmt::Debug for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Value::List(self.clone()), f)
    }
}

impl fmt::Display for Value {
    /// fmt's `%v`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::fmt::sprint(std::slice::from_ref(self)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_and_truth_follow_go() {
        let cases: Vec<(Value, &str, bool)> = vec![
            (Value::Nil, "<nil>", false),
            (Value::Bool(true), "bool", true),
            (Value::Int(0), "int", false),
            (Value::Int64(2), "int64", true),
            (Value::Float(0.5), "float64", true),
            (Value::from(""), "string", false),
            (Value::list(vec![]), "[]interface {}", false),
            (
                Value::List(List::typed(ElemType::String, vec![Value::from("a")])),
                "[]string",
                true,
            ),
            (
                Value::dict([("a".to_string(), Value::Nil)]),
                "map[string]interface {}",
                true,
            ),
            (
                Value::Dict(Dict::named("common.Values", BTreeMap::new())),
                "common.Values",
                false,
            ),
        ];
        for (v, ty, truth) in cases {
            assert_eq!(v.type_name(), ty);
            assert_eq!(v.is_true(), truth, "{v:?}");
        }
    }

    #[test]
    fn dicts_are_shared_between_holders() {
        let d = Dict::new();
        let held = Value::Dict(d.clone());
        d.insert("k", Value::from("v"));
        let Value::Dict(seen) = held else {
            panic!("not a dict")
        };
        assert_eq!(
            seen.get("k").and_then(|v| v.as_str().map(str::to_string)),
            Some("v".into())
        );
    }

    #[test]
    fn json_numbers_become_floats() {
        let json = serde_json::json!({"n": 3, "l": [true, null]});
        let v = Value::from_json(&json);
        assert_eq!(v.to_string(), "map[l:[true <nil>] n:3]");
        let Value::Dict(d) = v else {
            panic!("not a dict")
        };
        assert!(matches!(d.get("n"), Some(Value::Float(f)) if f == 3.0));
    }
}
