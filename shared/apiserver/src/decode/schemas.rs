//! The OpenAPI schemas of the built-in kinds (the ones `/openapi/v3` serves, generated from
//! k8s-openapi), generated once per kind, and what each schema node means to Go's decoder.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{Map, Value};

/// A kind's schema and the definitions it refers to.
pub(super) struct KindSchema {
    pub root: Value,
    pub defs: BTreeMap<String, Value>,
    /// The definition name of the root (`io.k8s.api.apps.v1.Deployment`).
    pub name: String,
}

type Cache = Mutex<HashMap<(String, String, String), Option<Arc<KindSchema>>>>;

static CACHE: LazyLock<Cache> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The schema of a built-in kind, if the server knows its Go type.
pub(super) fn kind_schema(group: &str, version: &str, kind: &str) -> Option<Arc<KindSchema>> {
    let key = (group.to_string(), version.to_string(), kind.to_string());
    if let Ok(cache) = CACHE.lock()
        && let Some(hit) = cache.get(&key)
    {
        return hit.clone();
    }
    let built = build(group, version, kind).map(Arc::new);
    if let Ok(mut cache) = CACHE.lock() {
        cache.insert(key, built.clone());
    }
    built
}

fn build(group: &str, version: &str, kind: &str) -> Option<KindSchema> {
    let mut defs = BTreeMap::new();
    let root = crate::http::openapi::builtin::schemas(group, version, kind, &mut defs)?;
    let name = crate::http::openapi::builtin::definition_name(group, version, kind)?;
    Some(KindSchema { root, defs, name })
}

/// What a schema node decodes into.
pub(super) enum Node<'a> {
    /// Anything at all (RawExtension, FieldsV1, apiextensions JSON): kept as sent.
    Any,
    /// A Go struct (definition name, declared fields).
    Struct(&'a str, Option<&'a Map<String, Value>>),
    /// A Go map with string keys.
    Map(&'a Value),
    /// A Go slice.
    Slice(&'a Value),
    /// `intstr.IntOrString`.
    IntOrString,
    /// `resource.Quantity`.
    Quantity,
    /// `metav1.Time`, or `metav1.MicroTime` (`true`).
    Time(bool),
    /// A type with its own JSON decoding that takes a schema, or a list, or a bool
    /// (apiextensions' JSONSchemaPropsOr{Array,Bool,StringArray}); `oneOf` alternatives.
    Union(&'a [Value]),
    /// A string, number or bool: `type` and `format`.
    Scalar(&'a str, &'a str),
}

const ANY: &[&str] = &[
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
];

impl KindSchema {
    /// Follows `$ref` (alone or as the single `allOf` member): the definition name, if any,
    /// and the schema it names.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> (Option<&'a str>, &'a Value) {
        let reference = schema.get("$ref").or_else(|| {
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|s| s.get("$ref"))
        });
        let Some(name) = reference
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
        else {
            return (None, schema);
        };
        match self.defs.get_key_value(name) {
            Some((k, v)) => (Some(k.as_str()), v),
            None if name == self.name => (Some(self.name.as_str()), &self.root),
            None => (None, &Value::Null),
        }
    }

    /// What `schema` (after [`KindSchema::resolve`]) decodes into.
    pub fn node<'a>(&'a self, def: Option<&'a str>, schema: &'a Value) -> Node<'a> {
        let text = |k: &str| schema.get(k).and_then(Value::as_str).unwrap_or("");
        if let Some(d) = def {
            if ANY.contains(&d) {
                return Node::Any;
            }
            if d.ends_with("intstr.IntOrString") {
                return Node::IntOrString;
            }
            if d.ends_with("resource.Quantity") {
                return Node::Quantity;
            }
            if d.ends_with("meta.v1.Time") {
                return Node::Time(false);
            }
            if d.ends_with("meta.v1.MicroTime") {
                return Node::Time(true);
            }
        }
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            return Node::Union(alternatives);
        }
        let props = schema.get("properties").and_then(Value::as_object);
        match (text("type"), def) {
            (_, Some(d)) if props.is_some() || text("type") == "object" => Node::Struct(d, props),
            ("object", None) => match schema.get("additionalProperties") {
                Some(values) if values.is_object() => Node::Map(values),
                _ => Node::Any,
            },
            ("array", _) => match schema.get("items") {
                Some(items) => Node::Slice(items),
                None => Node::Any,
            },
            ("string" | "integer" | "number" | "boolean", _) => {
                Node::Scalar(text("type"), text("format"))
            }
            _ => Node::Any,
        }
    }

    /// The Go type a schema decodes into, as Go's JSON errors name it: `int32`,
    /// `v1.PodSpec`, `[]v1.Container`, `map[string]string`.
    pub fn go_type(&self, schema: &Value) -> String {
        let (def, s) = self.resolve(schema);
        match self.node(def, s) {
            Node::Any => "runtime.RawExtension".into(),
            Node::Struct(d, _) => go_struct_type(d),
            Node::Map(values) => format!("map[string]{}", self.go_type(values)),
            Node::Slice(items) => format!("[]{}", self.go_type(items)),
            Node::IntOrString => "intstr.IntOrString".into(),
            Node::Quantity => "resource.Quantity".into(),
            Node::Time(false) => "v1.Time".into(),
            Node::Time(true) => "v1.MicroTime".into(),
            Node::Union(_) => def.map(go_struct_type).unwrap_or_default(),
            Node::Scalar(ty, format) => scalar_type(ty, format).into(),
        }
    }
}

/// `v1.PodSpec` for `io.k8s.api.core.v1.PodSpec`: the package's name and the type's.
pub(super) fn go_struct_type(def: &str) -> String {
    let mut parts = def.rsplit('.');
    let name = parts.next().unwrap_or(def);
    match parts.next() {
        Some(pkg) => format!("{pkg}.{name}"),
        None => name.to_string(),
    }
}

/// The Go struct's own name (`PodSpec`), as Go's errors name the struct holding a field.
pub(super) fn go_struct_name(def: &str) -> &str {
    def.rsplit('.').next().unwrap_or(def)
}

pub(super) fn scalar_type(ty: &str, format: &str) -> &'static str {
    match (ty, format) {
        ("string", "byte") => "[]uint8",
        ("string", _) => "string",
        ("integer", "int32") => "int32",
        ("integer", _) => "int64",
        ("number", _) => "float64",
        _ => "bool",
    }
}
