//! Helm's dependency processing (`ProcessDependenciesWithMerge`): aliases, `condition` and
//! `tags` enabling or removing subcharts, then `import-values` pulling child values up.

use serde_json::{Map, Value};

use super::coalesce::{self, CoalesceError, path_value, table};
use crate::chart::{Chart, Dependency};
use crate::sprig::semver;

/// Helm's `IsCompatibleRange`.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Ok(v) = semver::Version::parse(version) else {
        return false;
    };
    semver::satisfies(constraint, &v).unwrap_or(false)
}

/// Enables and disables subcharts for `vals`, then imports values, as `helm install` does.
pub fn process_dependencies(
    chart: &mut Chart,
    vals: &Map<String, Value>,
) -> Result<(), CoalesceError> {
    process_enabled(chart, vals, "")?;
    process_imports(chart)
}

/// A copy of `c` named by the dependency's alias (Helm's `getAliasDependency`).
fn alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    let c = charts
        .iter()
        .find(|c| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version))?;
    let mut out = c.clone();
    if !dep.alias.is_empty() {
        out.metadata.name = dep.alias.clone();
    }
    Some(out)
}

fn process_enabled(c: &mut Chart, v: &Map<String, Value>, path: &str) -> Result<(), CoalesceError> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    // Subcharts Chart.yaml does not list stay; listed ones are (re)added under their alias.
    let mut deps: Vec<Chart> = c
        .dependencies
        .iter()
        .filter(|existing| {
            !c.metadata.dependencies.iter().any(|req| {
                existing.name() == req.name
                    && is_compatible_range(&req.version, &existing.metadata.version)
            })
        })
        .cloned()
        .collect();
    for req in &mut c.metadata.dependencies {
        if let Some(d) = alias_dependency(&c.dependencies, req) {
            deps.push(d);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
        req.enabled = true;
    }
    c.dependencies = deps;
    let cvals = coalesce::coalesce_values(c, v.clone())?;
    process_tags(&mut c.metadata.dependencies, &cvals);
    process_conditions(&mut c.metadata.dependencies, &cvals, path);
    let removed: Vec<String> = c
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    c.dependencies
        .retain(|d| !removed.iter().any(|n| n == d.name()));
    c.metadata
        .dependencies
        .retain(|r| !removed.contains(&r.name));
    for sub in &mut c.dependencies {
        let subpath = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &subpath)?;
    }
    Ok(())
}

/// Helm's `processDependencyTags`: any true tag enables, only false tags disable.
fn process_tags(reqs: &mut [Dependency], cvals: &Map<String, Value>) {
    let Some(Value::Object(tags)) = cvals.get("tags") else {
        return;
    };
    for r in reqs {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match tags.get(k) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                _ => {}
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

/// Helm's `processDependencyConditions`: the first condition path holding a bool decides.
fn process_conditions(reqs: &mut [Dependency], cvals: &Map<String, Value>, path: &str) {
    for r in reqs {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            if let Some(Value::Bool(b)) = path_value(cvals, &format!("{path}{cond}")) {
                r.enabled = *b;
                break;
            }
        }
    }
}

fn process_imports(c: &mut Chart) -> Result<(), CoalesceError> {
    for d in &mut c.dependencies {
        process_imports(d)?;
    }
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = coalesce::merge_values(c, Map::new())?;
    let mut imported = Map::new();
    for r in &mut c.metadata.dependencies {
        let mut normalized = Vec::new();
        for iv in &r.import_values {
            let (child, parent) = match iv {
                Value::Object(m) => (go_sprint(m.get("child")), go_sprint(m.get("parent"))),
                Value::String(s) => (format!("exports.{s}"), ".".to_string()),
                _ => continue,
            };
            normalized.push(serde_json::json!({"child": child, "parent": parent}));
            let Some(vv) = table(&cvals, &format!("{}.{child}", r.name)) else {
                continue;
            };
            coalesce::merge_tables(&mut imported, path_to_map(&parent, vv.clone()));
        }
        r.import_values = normalized;
    }
    let mut merged = cvals;
    coalesce::merge_tables(&mut merged, imported);
    c.values = merged;
    Ok(())
}

/// Go's `fmt.Sprintf("%v", x)` for the strings import-values hold.
fn go_sprint(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Helm's `pathToMap`: nests `data` under a dotted path (`.` is the top).
fn path_to_map(path: &str, data: Map<String, Value>) -> Map<String, Value> {
    if path == "." {
        return data;
    }
    let mut out = Value::Object(data);
    for part in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(part.to_string(), out);
        out = Value::Object(m);
    }
    match out {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
