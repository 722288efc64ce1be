//! Helm's values coalescing (`coalesce.go`): user values over chart defaults, recursively
//! through subcharts (each scoped under its name), `global` copied down, and `null` deleting
//! a key when coalescing (kept when merging, as import-values does).

use serde_json::{Map, Value};

use crate::chart::Chart;

/// The key whose table every subchart inherits.
pub const GLOBAL_KEY: &str = "global";

/// A values shape Helm refuses while coalescing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CoalesceError(pub String);

/// Helm's `CoalesceValues`: `vals` (user values) over the chart's defaults; nulls delete.
pub fn coalesce_values(
    chart: &Chart,
    vals: Map<String, Value>,
) -> Result<Map<String, Value>, CoalesceError> {
    coalesce(chart, vals, false)
}

/// Helm's `MergeValues`: like [`coalesce_values`] but nulls are kept.
pub fn merge_values(
    chart: &Chart,
    vals: Map<String, Value>,
) -> Result<Map<String, Value>, CoalesceError> {
    coalesce(chart, vals, true)
}

/// Helm's `CoalesceTables`: `dst` over `src`, nulls in `dst` delete.
pub fn coalesce_tables(dst: &mut Map<String, Value>, src: Map<String, Value>) {
    tables(dst, src, false);
}

/// Helm's `MergeTables`: `dst` over `src`, nulls kept.
pub fn merge_tables(dst: &mut Map<String, Value>, src: Map<String, Value>) {
    tables(dst, src, true);
}

fn coalesce(
    chart: &Chart,
    mut dest: Map<String, Value>,
    merge: bool,
) -> Result<Map<String, Value>, CoalesceError> {
    chart_values(chart, &mut dest, merge);
    deps(chart, &mut dest, merge)?;
    Ok(dest)
}

fn deps(chart: &Chart, dest: &mut Map<String, Value>, merge: bool) -> Result<(), CoalesceError> {
    for sub in &chart.dependencies {
        let name = sub.name();
        let current = match dest.remove(name) {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                let shown = go_bad_bool(&other);
                dest.insert(name.to_string(), other);
                return Err(CoalesceError(format!("type mismatch on {name}: {shown}")));
            }
        };
        let mut dv = current;
        globals(&mut dv, dest);
        let out = coalesce(sub, dv, merge)?;
        dest.insert(name.to_string(), Value::Object(out));
    }
    Ok(())
}

/// Go's `%t` of a non-bool value.
fn go_bad_bool(v: &Value) -> String {
    match v {
        Value::String(s) => format!("%!t(string={s})"),
        Value::Number(n) if n.is_i64() => format!("%!t(int64={n})"),
        Value::Number(n) => format!("%!t(float64={})", n.as_f64().unwrap_or(0.0)),
        Value::Array(_) => "[]".to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "%!t(<nil>)".to_string(),
    }
}

/// Helm's `coalesceGlobals`: the parent's globals win over the child's own.
fn globals(dest: &mut Map<String, Value>, src: &Map<String, Value>) {
    let mut dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return,
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return,
    };
    for (key, val) in sg {
        match val {
            Value::Object(vv) => match dg.remove(&key) {
                None => {
                    dg.insert(key, Value::Object(vv));
                }
                Some(Value::Object(child)) => {
                    let mut vv = vv;
                    tables(&mut vv, child, true);
                    dg.insert(key, Value::Object(vv));
                }
                Some(other) => {
                    dg.insert(key, other);
                }
            },
            val => {
                if !matches!(dg.get(&key), Some(Value::Object(_))) {
                    dg.insert(key, val);
                }
            }
        }
    }
    dest.insert(GLOBAL_KEY.to_string(), Value::Object(dg));
}

/// Helm's `coalesceValues`: the chart's defaults under `v`.
fn chart_values(chart: &Chart, v: &mut Map<String, Value>, merge: bool) {
    for (key, val) in chart.values.clone() {
        match v.get_mut(&key) {
            Some(Value::Null) if !merge => {
                v.remove(&key);
            }
            Some(Value::Object(dest)) => {
                if let Value::Object(src) = val {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                    tables(dest, src, merge);
                }
            }
            Some(_) => {}
            None => {
                v.insert(key, val);
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `dst` is authoritative.
fn tables(dst: &mut Map<String, Value>, src: Map<String, Value>, merge: bool) {
    for (key, val) in src {
        match dst.get_mut(&key) {
            Some(Value::Null) => {
                if !merge {
                    dst.remove(&key);
                }
            }
            None => {
                dst.insert(key, val);
            }
            Some(Value::Object(dv)) => {
                if let Value::Object(sv) = val {
                    tables(dv, sv, merge);
                }
            }
            Some(_) => {}
        }
    }
}

/// Helm's `Values.Table`: the map at a dotted path.
pub fn table<'a>(values: &'a Map<String, Value>, path: &str) -> Option<&'a Map<String, Value>> {
    let mut cur = values;
    for part in path.split('.') {
        match cur.get(part) {
            Some(Value::Object(m)) => cur = m,
            _ => return None,
        }
    }
    Some(cur)
}

/// Helm's `Values.PathValue`: the value at a dotted path, whose last step must exist.
pub fn path_value<'a>(values: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.rsplit_once('.') {
        None => values.get(path),
        Some((parent, key)) => table(values, parent)?.get(key),
    }
}
