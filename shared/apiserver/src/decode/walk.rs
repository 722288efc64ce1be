//! The walk of a JSON value against a kind's schema, doing what Go's strict JSON decoder
//! (sigs.k8s.io/json) does to it: unknown fields dropped and recorded, nulls of struct fields
//! dropped (they decode to zero values, which the encoder omits), and the first type error.

use serde_json::{Map, Value};

use super::schemas::{KindSchema, Node, go_struct_name, scalar_type};
use super::values;
use crate::fieldmanager::PathElement;
use crate::schema::{ListKind, Shape};

static UNKNOWN_SHAPE: Shape = Shape::Unknown;

/// A field the Go type does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownField {
    /// The strict decoder's path: `spec.template.spec.containers[0].imagePullPolicyy`.
    pub path: String,
    /// The typed path server-side apply reports: `.spec.template.spec.containers[name="app"].x`.
    pub typed_path: String,
}

/// A value Go cannot decode into its field.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeError {
    /// Go's words: `json: cannot unmarshal string into Go struct field ...`.
    pub message: String,
    /// The typed path server-side apply reports.
    pub typed_path: String,
    /// What server-side apply expected there: `string`, `numeric (int or float)`, ...
    pub expected: &'static str,
    /// The Go type of the value found, as server-side apply names it (`string`, `int64`).
    pub got: &'static str,
}

/// One step from the parent value to this one.
#[derive(Clone)]
enum Step<'a> {
    Root,
    /// A struct field.
    Field(&'a str),
    /// A map entry.
    Key(&'a str),
    /// A list item: its index, and the element naming it in typed paths.
    Item(usize, PathElement),
}

/// Where the walk is: a chain of steps back to the root, rendered into paths only when an
/// unknown field or an error is reported.
#[derive(Clone)]
struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
    /// The innermost Go struct holding the value (Go's errors name it).
    go_struct: &'a str,
    shape: &'a Shape,
    /// Inside a type with its own (non-strict) decoding: unknown fields go unreported.
    quiet: bool,
}

impl<'a> At<'a> {
    fn root(step: Step<'a>, go_struct: &'a str, shape: &'a Shape) -> Self {
        At {
            parent: None,
            step,
            go_struct,
            shape,
            quiet: false,
        }
    }

    fn child(&'a self, step: Step<'a>, shape: &'a Shape) -> At<'a> {
        At {
            parent: Some(self),
            step,
            shape,
            ..self.clone()
        }
    }

    fn field(&'a self, name: &'a str, go_struct: &'a str) -> At<'a> {
        At {
            go_struct,
            ..self.child(Step::Field(name), self.shape.field(name))
        }
    }

    fn key(&'a self, name: &'a str) -> At<'a> {
        self.child(Step::Key(name), self.shape.field(name))
    }

    fn index(&'a self, i: usize, item: &Value) -> At<'a> {
        let kind = self.shape.list_kind();
        let element = match kind {
            ListKind::Atomic => PathElement::Index(i),
            _ => {
                crate::fieldmanager::item_element(&kind, item, &[]).unwrap_or(PathElement::Index(i))
            }
        };
        self.child(Step::Item(i, element), self.shape.items())
    }

    fn steps(&self) -> Vec<&Step<'a>> {
        let mut out = vec![&self.step];
        let mut at = self.parent;
        while let Some(a) = at {
            out.push(&a.step);
            at = a.parent;
        }
        out.reverse();
        out
    }

    /// The strict decoder's path: `spec.containers[0].name`, map keys included.
    fn path(&self) -> String {
        let mut out = String::new();
        for step in self.steps() {
            match step {
                Step::Root => {}
                Step::Field(n) | Step::Key(n) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(n);
                }
                Step::Item(i, _) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// Go's error context: the struct fields only (`spec.containers.name`).
    fn go_path(&self) -> String {
        let names: Vec<&str> = self
            .steps()
            .into_iter()
            .filter_map(|s| match s {
                Step::Field(n) => Some(*n),
                _ => None,
            })
            .collect();
        names.join(".")
    }

    /// Server-side apply's path: `.spec.containers[name="app"].name`.
    fn typed(&self) -> String {
        let mut out = Vec::new();
        for step in self.steps() {
            match step {
                Step::Root => {}
                Step::Field(n) | Step::Key(n) => out.push(PathElement::field(n)),
                Step::Item(_, e) => out.push(e.clone()),
            }
        }
        crate::fieldmanager::path_string(&out)
    }
}

/// The walk's findings.
pub(super) struct Walker<'k> {
    ks: &'k KindSchema,
    /// The Go type of the value being checked.
    got: &'static str,
    pub unknown: Vec<UnknownField>,
    pub error: Option<TypeError>,
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

impl<'k> Walker<'k> {
    pub fn new(ks: &'k KindSchema) -> Self {
        Walker {
            ks,
            got: "",
            unknown: Vec::new(),
            error: None,
        }
    }

    /// Walks a whole object of the kind; `shape` is its apply shape (for typed paths).
    pub fn object(&mut self, obj: &mut Value, shape: &Shape) {
        let ks = self.ks;
        let at = At::root(Step::Root, go_struct_name(&ks.name), shape);
        self.walk(obj, &ks.root, Some(&ks.name), &at);
    }

    /// Walks a custom resource's metadata as ObjectMeta on its own: Go field paths start at
    /// ObjectMeta, strict paths at `metadata`.
    pub fn object_meta(&mut self, meta: &mut Value) {
        const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
        let ks = self.ks;
        let Some((name, schema)) = ks.defs.get_key_value(META) else {
            return;
        };
        let at = At::root(Step::Key("metadata"), "ObjectMeta", &UNKNOWN_SHAPE);
        self.walk(meta, schema, Some(name.as_str()), &at);
    }

    fn fail(&mut self, at: &At, what: String, go_type: &str, expected: &'static str) {
        if self.error.is_some() {
            return;
        }
        let go_path = at.go_path();
        let message = if go_path.is_empty() {
            format!("json: cannot unmarshal {what} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {what} into Go struct field {}.{go_path} of type {go_type}",
                at.go_struct
            )
        };
        self.fail_with(at, message, expected);
    }

    fn fail_with(&mut self, at: &At, message: String, expected: &'static str) {
        if self.error.is_none() {
            self.error = Some(TypeError {
                message,
                typed_path: at.typed(),
                expected,
                got: self.got,
            });
        }
    }

    fn walk(&mut self, v: &mut Value, schema: &'k Value, def: Option<&'k str>, at: &At) {
        if self.error.is_some() || v.is_null() {
            return;
        }
        self.got = go_value_type(v);
        let ks = self.ks;
        let (def, schema) = match def {
            Some(d) => (Some(d), schema),
            None => ks.resolve(schema),
        };
        match ks.node(def, schema) {
            Node::Any => {}
            Node::Struct(d, props) => match v {
                Value::Object(map) => self.fields(map, d, props, at),
                other => {
                    let ty = super::schemas::go_struct_type(d);
                    self.fail(at, json_kind(other).into(), &ty, "map");
                }
            },
            Node::Map(values) => match v {
                Value::Object(map) => {
                    for (k, item) in map.iter_mut() {
                        self.walk(item, values, None, &at.key(k));
                    }
                }
                other => {
                    let ty = ks.go_type(schema);
                    self.fail(at, json_kind(other).into(), &ty, "map");
                }
            },
            Node::Slice(items) => match v {
                Value::Array(list) => {
                    for (i, item) in list.iter_mut().enumerate() {
                        let child = at.index(i, item);
                        self.walk(item, items, None, &child);
                    }
                }
                other => {
                    let ty = ks.go_type(schema);
                    self.fail(at, json_kind(other).into(), &ty, "list");
                }
            },
            Node::Union(alternatives) => self.union(v, alternatives, at),
            node => self.scalar(v, &node, at),
        }
    }

    fn fields(
        &mut self,
        map: &mut Map<String, Value>,
        def: &'k str,
        props: Option<&'k Map<String, Value>>,
        at: &At,
    ) {
        let keys: Vec<String> = map.keys().cloned().collect();
        for k in keys {
            match props.and_then(|p| p.get(&k)) {
                Some(sub) => {
                    let Some(item) = map.get_mut(&k) else {
                        continue;
                    };
                    if item.is_null() {
                        // A zero Time encodes as null again; other zero values are omitted
                        // (or defaulted), which is what dropping the null gives.
                        let (d, schema) = self.ks.resolve(sub);
                        if !matches!(self.ks.node(d, schema), Node::Time(_)) {
                            map.remove(&k);
                        }
                        continue;
                    }
                    self.walk(item, sub, None, &at.field(&k, go_struct_name(def)));
                }
                None => {
                    map.remove(&k);
                    if !at.quiet {
                        let child = at.field(&k, "");
                        self.unknown.push(UnknownField {
                            path: child.path(),
                            typed_path: child.typed(),
                        });
                    }
                }
            }
        }
    }

    /// apiextensions' schema-or-bool and schema-or-array types: an object is a schema, a
    /// list holds schemas (or strings), a bool is a bool; decoded without strictness.
    fn union(&mut self, v: &mut Value, alternatives: &'k [Value], at: &At) {
        let quiet = At {
            quiet: true,
            ..at.clone()
        };
        let ks = self.ks;
        let pick = |ty: &str| {
            alternatives.iter().find(|a| {
                let (d, s) = ks.resolve(a);
                match ty {
                    "object" => matches!(ks.node(d, s), Node::Struct(..)),
                    t => s.get("type").and_then(Value::as_str) == Some(t),
                }
            })
        };
        let chosen = match v {
            Value::Object(_) => pick("object"),
            Value::Array(_) => pick("array"),
            Value::Bool(_) => pick("boolean"),
            _ => None,
        };
        match chosen {
            Some(schema) => self.walk(v, schema, None, &quiet),
            None => {
                let what = json_kind(v).to_string();
                self.fail(at, what, "v1.JSONSchemaProps", "map");
            }
        }
    }

    fn scalar(&mut self, v: &Value, node: &Node, at: &At) {
        match (node, v) {
            (Node::IntOrString, Value::String(_)) => {}
            (Node::IntOrString, Value::Number(n)) if fits(n, "int32") => {}
            (Node::IntOrString, Value::Number(n)) => {
                self.fail(at, format!("number {n}"), "int32", "numeric (int or float)")
            }
            (Node::IntOrString, other) => self.fail(
                at,
                json_kind(other).into(),
                "int32",
                "numeric (int or float)",
            ),
            (Node::Quantity, other) => {
                let text = match other {
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                if let Err(e) = values::quantity(&text) {
                    self.fail_with(at, e.to_string(), "string");
                }
            }
            (Node::Time(micro), Value::String(s)) => {
                if let Err(e) = values::rfc3339(s, *micro) {
                    self.fail_with(at, e, "string");
                }
            }
            (Node::Time(_), other) => self.fail(at, json_kind(other).into(), "string", "string"),
            (Node::Scalar(ty, format), v) => self.typed_scalar(v, ty, format, at),
            _ => {}
        }
    }

    fn typed_scalar(&mut self, v: &Value, ty: &str, format: &str, at: &At) {
        let go = scalar_type(ty, format);
        let expected = match ty {
            "string" => "string",
            "boolean" => "boolean",
            _ => "numeric (int or float)",
        };
        match (ty, v) {
            ("string", Value::String(s)) if format == "byte" => {
                if let Err(e) = values::base64(s) {
                    self.fail_with(at, e, expected);
                }
            }
            ("string", Value::String(_)) | ("boolean", Value::Bool(_)) => {}
            ("number", Value::Number(_)) => {}
            ("integer", Value::Number(n)) if fits(n, go) => {}
            ("integer", Value::Number(n)) => self.fail(at, format!("number {n}"), go, expected),
            (_, other) => self.fail(at, json_kind(other).into(), go, expected),
        }
    }
}

/// The Go type of a decoded JSON value (`%T` of an unstructured value).
fn go_value_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
        Value::Null => "<nil>",
    }
}

/// Whether a JSON number is an integer Go can store in `go` (`int32` or `int64`).
fn fits(n: &serde_json::Number, go: &str) -> bool {
    let Some(i) = n.as_i64() else {
        return false;
    };
    go != "int32" || i32::try_from(i).is_ok()
}
