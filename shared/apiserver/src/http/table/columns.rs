//! The columns of each kind: upstream's printers for the common built-ins, CRD printer
//! columns, and Name/Age for everything else.

use serde_json::{Value, json};

use super::{Cell, Column};

const NAME_DESC: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESC: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.";

fn col(name: &str, type_: &str, priority: i64, cell: Cell) -> Column {
    Column {
        name: name.to_string(),
        type_: type_.to_string(),
        format: if matches!(cell, Cell::Name) {
            "name".into()
        } else {
            String::new()
        },
        description: match cell {
            Cell::Name => NAME_DESC.to_string(),
            Cell::Age => AGE_DESC.to_string(),
            _ => String::new(),
        },
        priority,
        cell,
    }
}

fn name() -> Column {
    col("Name", "string", 0, Cell::Name)
}

fn age() -> Column {
    col("Age", "string", 0, Cell::Age)
}

fn f(name: &str, type_: &str, func: fn(&Value) -> Value) -> Column {
    col(name, type_, 0, Cell::Func(func))
}

fn wide(name: &str, func: fn(&Value) -> Value) -> Column {
    col(name, "string", 1, Cell::Func(func))
}

fn s(v: &Value, ptr: &str) -> String {
    v.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn n(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

fn count(v: &Value, ptrs: &[&str]) -> Value {
    let c: usize = ptrs
        .iter()
        .map(|p| match v.pointer(p) {
            Some(Value::Object(m)) => m.len(),
            Some(Value::Array(a)) => a.len(),
            _ => 0,
        })
        .sum();
    json!(c)
}

fn or_none(s: String) -> Value {
    json!(if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    })
}

fn ready(v: &Value) -> Value {
    let want = v
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    json!(format!("{}/{}", n(v, "/status/readyReplicas"), want))
}

fn service_ports(v: &Value) -> Value {
    let ports: Vec<String> = v
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64) {
                Some(np) => format!("{}:{np}/{proto}", p["port"]),
                None => format!("{}/{proto}", p["port"]),
            }
        })
        .collect();
    or_none(ports.join(","))
}

fn selector(v: &Value) -> Value {
    let sel: Vec<String> = v
        .pointer("/spec/selector")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, x)| format!("{k}={}", x.as_str().unwrap_or("")))
        .collect();
    or_none(sel.join(","))
}

fn event_object(v: &Value) -> Value {
    json!(format!(
        "{}/{}",
        s(v, "/involvedObject/kind").to_lowercase(),
        s(v, "/involvedObject/name")
    ))
}

fn event_last_seen(v: &Value) -> Value {
    let ts = [
        s(v, "/lastTimestamp"),
        s(v, "/eventTime"),
        s(v, "/metadata/creationTimestamp"),
    ]
    .into_iter()
    .find(|t| !t.is_empty())
    .unwrap_or_default();
    json!(super::age(&ts))
}

/// Columns of the built-in kinds.
pub fn builtin_columns(group: &str, resource: &str) -> Vec<Column> {
    match (group, resource) {
        ("", "configmaps") => vec![
            name(),
            f("Data", "integer", |v| count(v, &["/data", "/binaryData"])),
            age(),
        ],
        ("", "secrets") => vec![
            name(),
            f("Type", "string", |v| json!(s(v, "/type"))),
            f("Data", "integer", |v| count(v, &["/data"])),
            age(),
        ],
        ("", "namespaces") => vec![
            name(),
            f("Status", "string", |v| json!(s(v, "/status/phase"))),
            age(),
        ],
        ("", "serviceaccounts") => vec![
            name(),
            f("Secrets", "integer", |v| count(v, &["/secrets"])),
            age(),
        ],
        ("", "services") => vec![
            name(),
            f("Type", "string", |v| json!(s(v, "/spec/type"))),
            f("Cluster-IP", "string", |v| or_none(s(v, "/spec/clusterIP"))),
            f("External-IP", "string", |v| {
                or_none(s(v, "/spec/externalName"))
            }),
            f("Port(s)", "string", service_ports),
            age(),
            wide("Selector", selector),
        ],
        ("apps", "deployments") => vec![
            name(),
            f("Ready", "string", ready),
            f("Up-to-date", "integer", |v| {
                json!(n(v, "/status/updatedReplicas"))
            }),
            f("Available", "integer", |v| {
                json!(n(v, "/status/availableReplicas"))
            }),
            age(),
        ],
        ("apps", "statefulsets") | ("apps", "replicasets") => {
            vec![name(), f("Ready", "string", ready), age()]
        }
        ("apps", "daemonsets") => vec![
            name(),
            f("Desired", "integer", |v| {
                json!(n(v, "/status/desiredNumberScheduled"))
            }),
            f("Current", "integer", |v| {
                json!(n(v, "/status/currentNumberScheduled"))
            }),
            f("Ready", "integer", |v| json!(n(v, "/status/numberReady"))),
            age(),
        ],
        ("batch", "jobs") => vec![
            name(),
            f("Completions", "string", |v| {
                let want = v
                    .pointer("/spec/completions")
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                json!(format!("{}/{want}", n(v, "/status/succeeded")))
            }),
            age(),
        ],
        ("batch", "cronjobs") => vec![
            name(),
            f("Schedule", "string", |v| json!(s(v, "/spec/schedule"))),
            f("Suspend", "boolean", |v| {
                json!(
                    v.pointer("/spec/suspend")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                )
            }),
            f("Active", "integer", |v| count(v, &["/status/active"])),
            age(),
        ],
        ("", "persistentvolumeclaims") => vec![
            name(),
            f("Status", "string", |v| json!(s(v, "/status/phase"))),
            f("Volume", "string", |v| json!(s(v, "/spec/volumeName"))),
            age(),
        ],
        ("", "events") => vec![
            f("Last Seen", "string", event_last_seen),
            f("Type", "string", |v| json!(s(v, "/type"))),
            f("Reason", "string", |v| json!(s(v, "/reason"))),
            f("Object", "string", event_object),
            f("Message", "string", |v| json!(s(v, "/message"))),
            wide("Name", |v| json!(s(v, "/metadata/name"))),
        ],
        ("coordination.k8s.io", "leases") => vec![
            name(),
            f("Holder", "string", |v| json!(s(v, "/spec/holderIdentity"))),
            age(),
        ],
        ("apiextensions.k8s.io", _) | ("rbac.authorization.k8s.io", "roles" | "clusterroles") => {
            vec![
                name(),
                f("Created At", "date", |v| {
                    json!(s(v, "/metadata/creationTimestamp"))
                }),
            ]
        }
        _ => vec![name(), age()],
    }
}

/// Name, then the CRD's additionalPrinterColumns (Age when it declares none).
pub fn crd_columns(printer_columns: &[Value]) -> Vec<Column> {
    let mut cols = vec![name()];
    if printer_columns.is_empty() {
        cols.push(col(
            "Age",
            "date",
            0,
            Cell::Path(".metadata.creationTimestamp".into()),
        ));
        return cols;
    }
    for pc in printer_columns {
        let text = |k: &str| pc.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let mut c = col(
            &text("name"),
            &text("type"),
            pc.get("priority").and_then(Value::as_i64).unwrap_or(0),
            Cell::Path(text("jsonPath")),
        );
        c.format = text("format");
        c.description = text("description");
        cols.push(c);
    }
    cols
}
