//! The protobuf layout of the built-in kinds, read from `messages.txt` (generated from the Go
//! types by `tools/gen-protobuf-table.py`): per message, each field's number, JSON name, type,
//! and whether Go's JSON encoder keeps its zero value.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The type of a field (of one item, for repeated fields and maps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Ty {
    String,
    Int32,
    Int64,
    Bool,
    Double,
    Bytes,
    /// `metav1.Time`: `{seconds, nanos}`, RFC 3339 in JSON.
    Time,
    /// `metav1.MicroTime`: RFC 3339 with microseconds.
    MicroTime,
    /// `metav1.Duration`: nanoseconds, Go's duration string in JSON.
    Duration,
    /// RawExtension, FieldsV1: JSON bytes.
    RawJson,
    /// `resource.Quantity`: `{string}`.
    Quantity,
    /// `intstr.IntOrString`: `{type, intVal, strVal}`.
    IntOrString,
    /// A message holding only `repeated string items = 1` that JSON writes as the bare
    /// array (authorization's and authentication's `ExtraValue`).
    StringList,
    /// Another message of the table.
    Message(&'static str),
}

impl Ty {
    /// Whether values of this type are scalars Go's encoder omits when zero.
    pub fn scalar(self) -> bool {
        matches!(
            self,
            Ty::String | Ty::Int32 | Ty::Int64 | Ty::Bool | Ty::Double | Ty::Bytes
        )
    }
}

/// How many values a field holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Card {
    One,
    Repeated,
    /// A map with string keys (entries: key = 1, value = 2).
    Map,
}

/// One field of a message.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FieldDef {
    pub number: u64,
    /// The JSON name; `None` for an inline struct whose fields JSON flattens into the parent.
    pub name: Option<&'static str>,
    pub ty: Ty,
    pub card: Card,
    /// A zero value is kept (a pointer, or no `omitempty`).
    pub keep_zero: bool,
}

static TEXT: &str = include_str!("messages.txt");
/// The review kinds, which only the auth layer serves (written by hand, same format).
static REVIEWS: &str = include_str!("reviews.txt");

static TABLE: LazyLock<HashMap<&'static str, Vec<FieldDef>>> = LazyLock::new(|| {
    let mut table = parse(TEXT);
    table.extend(parse(REVIEWS));
    table
});

fn ty(name: &'static str) -> Ty {
    match name {
        "string" => Ty::String,
        "int32" => Ty::Int32,
        "int64" => Ty::Int64,
        "bool" => Ty::Bool,
        "double" => Ty::Double,
        "bytes" => Ty::Bytes,
        "time" => Ty::Time,
        "microtime" => Ty::MicroTime,
        "duration" => Ty::Duration,
        "rawjson" => Ty::RawJson,
        "quantity" => Ty::Quantity,
        "intorstring" => Ty::IntOrString,
        "stringlist" => Ty::StringList,
        other => Ty::Message(other),
    }
}

fn field(line: &'static str) -> Option<FieldDef> {
    let mut parts = line.split_whitespace();
    let number = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    let kind = parts.next()?;
    let keep_zero = parts.next() == Some("z");
    let (card, item) = if let Some(t) = kind.strip_prefix("[]") {
        (Card::Repeated, t)
    } else if let Some(t) = kind.strip_prefix("map:") {
        (Card::Map, t)
    } else {
        (Card::One, kind)
    };
    Some(FieldDef {
        number,
        name: (name != "-").then_some(name),
        ty: ty(item),
        card,
        keep_zero,
    })
}

fn parse(text: &'static str) -> HashMap<&'static str, Vec<FieldDef>> {
    let mut out: HashMap<&'static str, Vec<FieldDef>> = HashMap::new();
    let mut current = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            current = Some(line.trim());
            out.entry(line.trim()).or_default();
        } else if let (Some(m), Some(f)) = (current, field(line)) {
            out.entry(m).or_default().push(f);
        }
    }
    out
}

/// The fields of a message (`io.k8s.api.apps.v1.Deployment`), if the table has it.
pub(super) fn message(name: &str) -> Option<&'static [FieldDef]> {
    TABLE.get(name).map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_referenced_message_is_in_the_table() {
        let table = &*TABLE;
        assert!(table.len() > 300, "{}", table.len());
        for fields in table.values() {
            for f in fields {
                if let Ty::Message(m) = f.ty {
                    assert!(table.contains_key(m), "missing {m}");
                }
            }
        }
        let spec = message("io.k8s.api.apps.v1.DeploymentSpec").expect("DeploymentSpec");
        assert_eq!(
            spec[0],
            FieldDef {
                number: 1,
                name: Some("replicas"),
                ty: Ty::Int32,
                card: Card::One,
                keep_zero: true
            }
        );
        let volume = message("io.k8s.api.core.v1.Volume").expect("Volume");
        assert_eq!(volume[1].name, None, "VolumeSource is inline");
    }

    #[test]
    fn every_served_kind_but_crds_has_a_layout() {
        let registry = crate::registry::Registry::with_builtins();
        for rt in registry.all() {
            if rt.group == "apiextensions.k8s.io" {
                continue;
            }
            let def = super::super::definition(&rt.group, &rt.version, &rt.kind);
            assert!(def.is_some_and(|d| message(&d).is_some()), "{}", rt.kind);
        }
    }
}
