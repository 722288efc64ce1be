//! values.schema.json validation (Helm's `ValidateAgainstSchema`): each chart's schema
//! checks that chart's coalesced values; messages are collected per chart.

use serde_json::{Map, Value};

use crate::chart::Chart;

mod validate;

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
        let empty = Map::new();
        let sub_values = match values.get(sub.name()) {
            Some(Value::Object(m)) => m,
            _ => &empty,
        };
        if let Err(e) = validate_chart(sub, sub_values) {
            out.push_str(&e);
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// Validates values against one schema document; the error lists each failure as Helm 4
/// (santhosh-tekuri/jsonschema v6) prints it, one `- at '<pointer>': <message>` per line.
pub fn validate_single(values: &Map<String, Value>, schema: &[u8]) -> Result<(), String> {
    let schema: Value = serde_json::from_slice(schema)
        .map_err(|e| format!("unable to parse the values schema: {e}\n"))?;
    let instance = Value::Object(values.clone());
    let v = validate::Validator { root: &schema };
    match v.check(&schema, &instance, "", 0) {
        None => Ok(()),
        Some(err) => {
            let mut out = String::new();
            // The root's single group is shown as its members, as Helm prints it.
            let top = match err {
                validate::Failure::Group { causes, .. } => causes,
                other => vec![other],
            };
            for f in &top {
                f.render(&mut out, "");
            }
            Err(out)
        }
    }
}
