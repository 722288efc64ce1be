//! Server-side printing for `kubectl get`: meta.k8s.io Table responses with the columns of the
//! built-in kinds and the additionalPrinterColumns of CRDs (a JSONPath subset).

use serde_json::{Value, json};

use crate::registry::ResourceType;

mod columns;
mod jsonpath;

pub use jsonpath::find;

/// `includeObject` of a Table request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Include {
    None,
    Metadata,
    Object,
}

impl Include {
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("None") => Include::None,
            Some("Object") => Include::Object,
            _ => Include::Metadata,
        }
    }
}

/// A column: its definition, and how a cell is computed from an object.
pub struct Column {
    pub name: String,
    pub type_: String,
    pub format: String,
    pub description: String,
    pub priority: i64,
    pub cell: Cell,
}

/// How a cell is computed.
pub enum Cell {
    Name,
    Age,
    Path(String),
    Func(fn(&Value) -> Value),
}

/// The metadata-only view of an object (`PartialObjectMetadata`).
pub fn partial_metadata(obj: &Value, api_version: &str) -> Value {
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": api_version,
        "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}

/// The columns of a resource type.
pub fn columns_of(rt: &ResourceType) -> Vec<Column> {
    match &rt.crd {
        Some(crd) => columns::crd_columns(&crd.printer_columns),
        None => columns::builtin_columns(&rt.group, &rt.resource),
    }
}

/// Kubernetes' short human durations: `45s`, `5m12s`, `3h5m`, `20h`, `3d5h`, `45d`, `3y45d`.
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (m, h, d) = (s / 60, s / 3600, s / 86400);
    if s < 120 {
        format!("{s}s")
    } else if m < 10 {
        match s % 60 {
            0 => format!("{m}m"),
            r => format!("{m}m{r}s"),
        }
    } else if h < 3 {
        format!("{m}m")
    } else if h < 8 {
        match m % 60 {
            0 => format!("{h}h"),
            r => format!("{h}h{r}m"),
        }
    } else if h < 48 {
        format!("{h}h")
    } else if h < 24 * 8 {
        match h % 24 {
            0 => format!("{d}d"),
            r => format!("{d}d{r}h"),
        }
    } else if d < 365 * 2 {
        format!("{d}d")
    } else if d < 365 * 8 {
        match d % 365 {
            0 => format!("{}y", d / 365),
            r => format!("{}y{r}d", d / 365),
        }
    } else {
        format!("{}y", d / 365)
    }
}

/// The age of an RFC 3339 timestamp, or `<unknown>`.
pub fn age(ts: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(ts) {
        Ok(t) => human_duration((chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_seconds()),
        Err(_) => "<unknown>".to_string(),
    }
}

fn cell_value(col: &Column, obj: &Value) -> Value {
    match &col.cell {
        Cell::Name => obj.pointer("/metadata/name").cloned().unwrap_or(json!("")),
        Cell::Age => json!(age(obj
            .pointer("/metadata/creationTimestamp")
            .and_then(Value::as_str)
            .unwrap_or(""))),
        Cell::Func(f) => f(obj),
        Cell::Path(p) => {
            let found = find(obj, p);
            if found.is_empty() {
                return Value::Null;
            }
            match col.type_.as_str() {
                "date" => found[0]
                    .as_str()
                    .map(|s| json!(age(s)))
                    .unwrap_or(Value::Null),
                "integer" | "number" | "boolean" if found.len() == 1 => found[0].clone(),
                _ => {
                    let parts: Vec<String> = found
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    json!(parts.join(","))
                }
            }
        }
    }
}

/// A Table of `objects` (served at `rt`), with the request's meta.k8s.io version.
pub fn table(
    rt: &ResourceType,
    objects: &[Value],
    meta: Value,
    include: Include,
    table_version: &str,
    with_columns: bool,
) -> Value {
    let cols = columns_of(rt);
    let defs: Vec<Value> = cols
        .iter()
        .map(|c| {
            json!({
                "name": c.name, "type": c.type_, "format": c.format,
                "description": c.description, "priority": c.priority,
            })
        })
        .collect();
    let api_version = format!("meta.k8s.io/{table_version}");
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let cells: Vec<Value> = cols.iter().map(|c| cell_value(c, o)).collect();
            let mut row = json!({"cells": cells});
            match include {
                Include::None => {}
                Include::Metadata => row["object"] = partial_metadata(o, &api_version),
                Include::Object => row["object"] = o.clone(),
            }
            row
        })
        .collect();
    let mut t = json!({
        "kind": "Table",
        "apiVersion": api_version,
        "metadata": meta,
        "rows": rows,
    });
    if with_columns {
        t["columnDefinitions"] = Value::Array(defs);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_kubectl() {
        assert_eq!(human_duration(5), "5s");
        assert_eq!(human_duration(150), "2m30s");
        assert_eq!(human_duration(60 * 45), "45m");
        assert_eq!(human_duration(3600 * 5 + 60 * 3), "5h3m");
        assert_eq!(human_duration(3600 * 20), "20h");
        assert_eq!(human_duration(86400 * 3 + 3600), "3d1h");
        assert_eq!(human_duration(86400 * 40), "40d");
    }
}
