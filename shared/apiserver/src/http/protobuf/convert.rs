//! Protobuf messages of the table into the JSON Go's encoder would write for them: field
//! names from the JSON tags, inline structs flattened, zero scalars omitted where Go omits
//! them, and Time, Quantity, IntOrString and raw JSON in their JSON forms.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value, json};

use super::ProtoError;
use super::table::{self, Card, FieldDef, Ty};
use super::wire::{self, Wire};

fn malformed(what: &'static str) -> ProtoError {
    ProtoError::Malformed(what)
}

fn bytes(w: Wire<'_>) -> Result<&[u8], ProtoError> {
    match w {
        Wire::Bytes(b) => Ok(b),
        _ => Err(malformed("expected a length-delimited field")),
    }
}

fn varint(w: Wire<'_>) -> Result<u64, ProtoError> {
    match w {
        Wire::Varint(v) => Ok(v),
        _ => Err(malformed("expected a varint field")),
    }
}

fn text(b: &[u8]) -> Result<String, ProtoError> {
    String::from_utf8(b.to_vec()).map_err(|_| malformed("invalid UTF-8"))
}

/// The varint, and the bytes, fields of a small message, by number.
type Small<'a> = (Vec<(u64, u64)>, Vec<(u64, &'a [u8])>);

fn small(b: &[u8]) -> Result<Small<'_>, ProtoError> {
    let mut ints = Vec::new();
    let mut raw = Vec::new();
    for (n, w) in wire::fields(b)? {
        match w {
            Wire::Varint(v) => ints.push((n, v)),
            Wire::Bytes(x) => raw.push((n, x)),
            _ => {}
        }
    }
    Ok((ints, raw))
}

fn time(b: &[u8], micro: bool) -> Result<Value, ProtoError> {
    let (ints, _) = small(b)?;
    let get = |n| ints.iter().find(|(k, _)| *k == n).map_or(0, |(_, v)| *v);
    let (secs, nanos) = (get(1) as i64, get(2) as i64 as i32);
    if secs == 0 && nanos == 0 {
        return Ok(Value::Null);
    }
    let t = chrono::DateTime::from_timestamp(secs, u32::try_from(nanos).unwrap_or(0))
        .ok_or(malformed("time out of range"))?;
    let format = if micro {
        "%Y-%m-%dT%H:%M:%S%.6fZ"
    } else {
        "%Y-%m-%dT%H:%M:%SZ"
    };
    Ok(json!(t.format(format).to_string()))
}

/// Go's `time.Duration.String()`.
fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let u = u128::from(ns.unsigned_abs());
    let frac = |v: u128, digits: u32| {
        let unit = 10u128.pow(digits);
        let f = v % unit;
        let whole = v / unit;
        if f == 0 {
            whole.to_string()
        } else {
            let s = format!("{f:0width$}", width = digits as usize);
            format!("{whole}.{}", s.trim_end_matches('0'))
        }
    };
    let body = if u < 1_000 {
        format!("{u}ns")
    } else if u < 1_000_000 {
        format!("{}µs", frac(u, 3))
    } else if u < 1_000_000_000 {
        format!("{}ms", frac(u, 6))
    } else {
        let secs = u / 1_000_000_000;
        let s = frac(u % 60_000_000_000, 9);
        match (secs / 3600, (secs / 60) % 60) {
            (0, 0) => format!("{s}s"),
            (0, m) => format!("{m}m{s}s"),
            (h, m) => format!("{h}h{m}m{s}s"),
        }
    };
    format!("{sign}{body}")
}

fn special(ty: Ty, b: &[u8]) -> Result<Value, ProtoError> {
    let (ints, raw) = small(b)?;
    let int = |n| ints.iter().find(|(k, _)| *k == n).map_or(0, |(_, v)| *v);
    let bytes = |n| raw.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
    Ok(match ty {
        Ty::Time => time(b, false)?,
        Ty::MicroTime => time(b, true)?,
        Ty::Duration => json!(go_duration(int(1) as i64)),
        Ty::Quantity => json!(text(bytes(1).unwrap_or_default())?),
        Ty::IntOrString if int(1) == 1 => json!(text(bytes(3).unwrap_or_default())?),
        Ty::IntOrString => json!(int(2) as i64 as i32),
        _ => match bytes(1) {
            Some(raw) if !raw.is_empty() => {
                serde_json::from_slice(raw).map_err(|_| malformed("raw JSON"))?
            }
            _ => Value::Null,
        },
    })
}

/// One value of type `ty` from the wire.
fn value(ty: Ty, w: Wire<'_>) -> Result<Value, ProtoError> {
    Ok(match ty {
        Ty::String => json!(text(bytes(w)?)?),
        Ty::Int32 => json!(varint(w)? as i64 as i32),
        Ty::Int64 => json!(varint(w)? as i64),
        Ty::Bool => json!(varint(w)? != 0),
        Ty::Double => match w {
            Wire::Fixed64(bits) => json!(f64::from_bits(bits)),
            _ => return Err(malformed("expected a fixed64 field")),
        },
        Ty::Bytes => json!(B64.encode(bytes(w)?)),
        Ty::Message(m) => {
            let mut out = Map::new();
            message(m, bytes(w)?, &mut out)?;
            Value::Object(out)
        }
        Ty::StringList => {
            let mut items = Vec::new();
            for (n, item) in wire::fields(bytes(w)?)? {
                if n == 1 {
                    items.push(json!(text(bytes(item)?)?));
                }
            }
            Value::Array(items)
        }
        special_ty => special(special_ty, bytes(w)?)?,
    })
}

/// The values of one occurrence of a repeated field (packed scalars hold several).
fn repeated(ty: Ty, w: Wire<'_>) -> Result<Vec<Value>, ProtoError> {
    match (ty, w) {
        (Ty::Int32 | Ty::Int64 | Ty::Bool, Wire::Bytes(b)) => {
            let mut pos = 0;
            let mut out = Vec::new();
            while pos < b.len() {
                out.push(value(ty, Wire::Varint(wire::varint(b, &mut pos)?))?);
            }
            Ok(out)
        }
        _ => Ok(vec![value(ty, w)?]),
    }
}

/// A map entry: key = 1, value = 2 (absent parts are zero values).
fn entry(ty: Ty, b: &[u8]) -> Result<(String, Value), ProtoError> {
    let mut key = String::new();
    let mut val = None;
    for (n, w) in wire::fields(b)? {
        match n {
            1 => key = text(bytes(w)?)?,
            2 => val = Some(value(ty, w)?),
            _ => {}
        }
    }
    let val = match (val, ty) {
        (Some(v), _) => v,
        (None, Ty::String | Ty::Bytes | Ty::Quantity) => json!(""),
        (None, Ty::Message(_)) => json!({}),
        (None, Ty::StringList) => json!([]),
        (None, _) => Value::Null,
    };
    Ok((key, val))
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

fn add(
    out: &mut Map<String, Value>,
    def: &FieldDef,
    name: &str,
    w: Wire<'_>,
) -> Result<(), ProtoError> {
    match def.card {
        Card::One => {
            out.insert(name.to_string(), value(def.ty, w)?);
        }
        Card::Repeated => {
            let items = repeated(def.ty, w)?;
            if let Some(a) = out.entry(name).or_insert_with(|| json!([])).as_array_mut() {
                a.extend(items);
            }
        }
        Card::Map => {
            let (k, v) = entry(def.ty, bytes(w)?)?;
            if let Some(m) = out.entry(name).or_insert_with(|| json!({})).as_object_mut() {
                m.insert(k, v);
            }
        }
    }
    Ok(())
}

/// Decodes message `name` into `out` (inline structs add their fields to it).
pub(super) fn message(
    name: &str,
    buf: &[u8],
    out: &mut Map<String, Value>,
) -> Result<(), ProtoError> {
    let defs = table::message(name).ok_or_else(|| ProtoError::Unsupported(name.to_string()))?;
    for (number, w) in wire::fields(buf)? {
        // Unknown field numbers are skipped, as Go's generated unmarshalers do.
        let Some(def) = defs.iter().find(|d| d.number == number) else {
            continue;
        };
        match (def.name, def.ty) {
            (Some(n), _) => add(out, def, n, w)?,
            (None, Ty::Message(inline)) => message(inline, bytes(w)?, out)?,
            (None, _) => return Err(malformed("inline field of a scalar type")),
        }
    }
    for def in defs {
        if let (Some(n), Card::One, true, false) =
            (def.name, def.card, def.ty.scalar(), def.keep_zero)
            && out.get(n).is_some_and(is_zero)
        {
            out.remove(n);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_go_prints_them() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(1_000_000), "1ms");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_duration(-2_000_000_000), "-2s");
    }
}
