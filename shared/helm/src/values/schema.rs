//! values.schema.json validation (Helm's `ValidateAgainstSchema`, which uses
//! santhosh-tekuri/jsonschema v6): each chart's schema checks that chart's coalesced values,
//! and failures are collected per chart in Helm's words.
//!
//! The pieces: `resources` (documents, drafts, `$id`s, anchors, `$ref` resolution),
//! `load` (file / http / urn documents), `meta` (the metaschema check), `compile`
//! (resolving every reference up front), `validate` with `applicators`, `object`, `array`
//! and `scalar` (the keywords), `format`, `num` (exact numbers, x/text printing) and
//! `error` (the failure tree and its text).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::chart::Chart;

mod applicators;
mod array;
mod compile;
mod datetime;
mod error;
mod format;
mod gojson;
mod goregex;
mod http;
mod load;
mod meta;
mod metakw;
mod num;
mod object;
mod refs;
mod resources;
mod scalar;
mod validate;

/// The URL Helm gives every chart's schema document.
const SCHEMA_URL: &str = "file:///values.schema.json";

/// Validates `values` against the schemas of `chart` and its subcharts; the error text lists
/// each failing chart as Helm prints it.
pub fn validate_chart(chart: &Chart, values: &Map<String, Value>) -> Result<(), String> {
    let mut out = String::new();
    if let Some(schema) = &chart.schema
        && let Err(e) = validate_single(values, schema)
    {
        out.push_str(&format!("{}:\n{e}", chart.name()));
    }
    for sub in &chart.dependencies {
        // Helm validates a subchart only when its values are present.
        match values.get(sub.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                if let Err(e) = validate_chart(sub, m) {
                    out.push_str(&e);
                }
            }
            Some(other) => out.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                go_type(other)
            )),
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// Go's `%T` of a decoded values entry.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Parses a schema document; a broken one is described as Go's decoder describes it.
/// Also returns its number literals as written.
pub(crate) fn parse_json(data: &[u8]) -> Result<(Value, HashMap<String, String>), String> {
    let scanned = gojson::scan(data)?;
    let value = if scanned.huge.is_empty() {
        serde_json::from_slice(data)
    } else {
        let text = String::from_utf8_lossy(data);
        serde_json::from_str(&gojson::clamp_huge(&text, &scanned.huge))
    };
    // Go accepted it; what serde still refuses (nesting past 128) is reported in its words.
    let value = value.map_err(|e| e.to_string())?;
    Ok((value, scanned.numbers))
}

/// Validates values against one schema document. A failed validation lists each failure as
/// `- at '<pointer>': <message>` lines ending in a newline; a schema that cannot be used
/// gives jsonschema's one-line reason.
pub fn validate_single(values: &Map<String, Value>, schema: &[u8]) -> Result<(), String> {
    validate_limited(values, schema, validate::MAX_STEPS)
}

/// [`validate_single`] with a given budget of schema evaluations.
fn validate_limited(
    values: &Map<String, Value>,
    schema: &[u8],
    max_steps: usize,
) -> Result<(), String> {
    let (schema, numbers) = parse_json(schema)?;
    let mut reg = resources::Registry::default();
    let doc = reg.add(SCHEMA_URL, schema, numbers)?;
    let root = resources::Loc {
        doc,
        ptr: String::new(),
    };
    let draft = reg.draft(&root);
    if let Some(e) = meta::check(SCHEMA_URL, &reg.docs[doc].root, draft) {
        return Err(e);
    }
    let refs = compile::compile(&mut reg, root.clone())?;
    let regexes = scalar::Regexes::default();
    let validator = validate::Validator {
        reg: &reg,
        refs: &refs,
        regexes: &regexes,
        steps: Cell::new(0),
        max_steps,
        budget_hit: RefCell::new(None),
    };
    let instance = Value::Object(values.clone());
    let result = validator.run(&instance, root);
    if let Some(msg) = validator.budget_hit.borrow().clone() {
        return Err(format!("unable to validate schema: {msg}"));
    }
    result.map_err(error::render_top)
}

#[cfg(test)]
mod tests;
