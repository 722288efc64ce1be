//! `x-kubernetes-validations`: CEL rules of a CRD schema, compiled once when the CRD is
//! stored and evaluated on every write of its objects, as kube-apiserver does.
//!
//! [`Rules`] mirrors the schema tree, keeping only the nodes that carry rules or lead to
//! some. [`eval`] walks an object (and, on update, the old object correlated with it)
//! through that tree; [`value`] converts JSON values into CEL values; [`libs`] is the
//! environment (kube's libraries), [`check`] what its type checker would refuse, [`cost`]
//! the runtime cost limits, [`program`] a compiled rule.

mod check;
mod cost;
mod estimate;
mod eval;
mod libs;
mod program;
mod value;

use std::collections::BTreeMap;

use serde_json::Value;

use program::Program;

pub use eval::validate;

/// One compiled `x-kubernetes-validations` entry.
pub struct Rule {
    source: String,
    program: Program,
    message: String,
    message_expression: Option<Program>,
    /// `FieldValueInvalid` (default), `FieldValueForbidden`, `FieldValueRequired` or
    /// `FieldValueDuplicate`.
    reason: String,
    /// A relative path (`.spec.x`) the error is reported at instead of the node's path.
    field_path: String,
    /// Whether the rule reads `oldSelf`: evaluated only on update, with an old value.
    transition: bool,
    /// `optionalOldSelf`: the transition rule also runs without an old value, `oldSelf`
    /// then being `optional.none()` (and `optional.of(old)` otherwise).
    optional_old_self: bool,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({:?})", self.source)
    }
}

/// The rules of one schema node and of the nodes below it.
#[derive(Debug, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    /// The node's `type`, shown as the value in `Invalid value: "object": ...`.
    schema_type: String,
    properties: BTreeMap<String, Rules>,
    items: Option<Box<Rules>>,
    additional: Option<Box<Rules>>,
    /// `x-kubernetes-list-map-keys` of a map-type list: how old items are found again.
    map_keys: Vec<String>,
    /// The node's schema, kept where rules are: it says which object keys are declared
    /// properties (escaped for CEL) and which are map keys (left as they are).
    schema: Value,
}

/// A rule that does not compile, with where it sits in the CRD.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    pub field: String,
    /// The `x-kubernetes-validations` entry as written.
    pub rule: Value,
    pub message: String,
    pub kind: CompileErrorKind,
}

/// kube's field error type for a rule it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// The rule is wrong (`Invalid value: <rule>: ...`).
    Invalid,
    /// The rule is too expensive (`Forbidden: estimated rule cost ...`).
    Forbidden,
    /// The rule is empty (`Required value: rule is not specified`).
    Required,
}

const REASONS: &[&str] = &[
    "FieldValueInvalid",
    "FieldValueForbidden",
    "FieldValueRequired",
    "FieldValueDuplicate",
];

/// What kube refuses in a rule that parses: a cost estimate over budget, and, at the
/// root, reading `self.metadata` beyond `name` and `generateName`.
fn vet(program: &Program, schema: &Value, root: bool) -> Option<(String, CompileErrorKind)> {
    if let Some(e) = program.over_budget(schema) {
        return Some((e, CompileErrorKind::Forbidden));
    }
    let f = program
        .metadata_fields()
        .into_iter()
        .find(|f| root && f != "name" && f != "generateName")?;
    Some((
        format!("compilation failed: ERROR: <input>:1:1: undefined field '{f}'"),
        CompileErrorKind::Invalid,
    ))
}

fn compile_rule(
    v: &Value,
    schema: &Value,
    field: &str,
    root: bool,
    errs: &mut Vec<CompileError>,
) -> Option<Rule> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let source = text("rule");
    let fail_as = |kind: CompileErrorKind, message: String, errs: &mut Vec<CompileError>| {
        errs.push(CompileError {
            field: field.to_string(),
            rule: v.clone(),
            message,
            kind,
        });
    };
    let fail = |message: String, errs: &mut Vec<CompileError>| {
        fail_as(CompileErrorKind::Invalid, message, errs);
    };
    if source.trim().is_empty() {
        fail_as(
            CompileErrorKind::Required,
            "rule is not specified".into(),
            errs,
        );
        return None;
    }
    let program = match Program::compile(source.trim()) {
        Ok(p) => p,
        Err(e) => {
            fail(format!("compilation failed: {e}"), errs);
            return None;
        }
    };
    if let Some((e, kind)) = vet(&program, schema, root) {
        fail_as(kind, e, errs);
        return None;
    }
    let message_expression = match text("messageExpression") {
        m if m.trim().is_empty() => None,
        m => match Program::compile(m.trim()) {
            Ok(p) => Some(p),
            Err(e) => {
                fail(format!("messageExpression compilation failed: {e}"), errs);
                return None;
            }
        },
    };
    let reason = match text("reason") {
        r if r.is_empty() => "FieldValueInvalid".to_string(),
        r if REASONS.contains(&r.as_str()) => r,
        r => {
            fail(format!("unsupported reason {r:?}"), errs);
            return None;
        }
    };
    let transition = program.uses_old_self();
    let optional_old_self = v.get("optionalOldSelf").and_then(Value::as_bool) == Some(true);
    Some(Rule {
        optional_old_self,
        message: text("message"),
        field_path: text("fieldPath"),
        source,
        program,
        message_expression,
        reason,
        transition,
    })
}

impl Rules {
    /// Compiles the rules of `schema` (a CRD version's `openAPIV3Schema`); `field` names
    /// the schema in compile errors. `None` when no node has rules.
    pub fn compile(schema: &Value, field: &str, errs: &mut Vec<CompileError>) -> Option<Rules> {
        let mut root = schema.clone();
        if let Some(props) = root.get_mut("properties").and_then(Value::as_object_mut) {
            // What rules see of a resource's metadata (kube's `WithTypeAndObjectMeta`).
            props.insert(
                "metadata".into(),
                serde_json::json!({"type": "object", "properties": {
                    "name": {"type": "string"}, "generateName": {"type": "string"}}}),
            );
        }
        Rules::compile_node(&root, field, true, errs)
    }

    fn compile_node(
        schema: &Value,
        field: &str,
        root: bool,
        errs: &mut Vec<CompileError>,
    ) -> Option<Rules> {
        let mut r = Rules {
            schema_type: schema
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            ..Rules::default()
        };
        if let Some(list) = schema
            .get("x-kubernetes-validations")
            .and_then(Value::as_array)
        {
            for (i, v) in list.iter().enumerate() {
                let at = format!("{field}.x-kubernetes-validations[{i}].rule");
                r.rules.extend(compile_rule(v, schema, &at, root, errs));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, sub) in props {
                if let Some(s) =
                    Rules::compile_node(sub, &format!("{field}.properties[{k}]"), false, errs)
                {
                    r.properties.insert(k.clone(), s);
                }
            }
        }
        if let Some(items) = schema.get("items") {
            r.items =
                Rules::compile_node(items, &format!("{field}.items"), false, errs).map(Box::new);
        }
        if let Some(add) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            r.additional =
                Rules::compile_node(add, &format!("{field}.additionalProperties"), false, errs)
                    .map(Box::new);
        }
        if schema.get("x-kubernetes-list-type").and_then(Value::as_str) == Some("map") {
            r.map_keys = crate::meta::strings_at(schema, "/x-kubernetes-list-map-keys");
        }
        if !r.rules.is_empty() {
            r.schema = schema.clone();
        }
        let empty = r.rules.is_empty()
            && r.properties.is_empty()
            && r.items.is_none()
            && r.additional.is_none();
        (!empty).then_some(r)
    }
}

#[cfg(test)]
mod tests;
