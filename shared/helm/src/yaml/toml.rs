//! TOML as Helm's toToml and fromToml see it (BurntSushi/toml v1.6): the encoder's layout
//! (plain keys first, then tables and arrays of tables, keys sorted, two-space indentation
//! per table level, `g`-formatted floats with `.0` added) and decoding into Go values
//! (int64 integers, float64 floats, time.Time for datetimes).

use super::Error;
use crate::template::{Dict, List, Value};

const INDENT: &str = "  ";

/// What the encoder sees of a value: objects by their data.
fn view(v: &Value) -> Value {
    match v {
        // A datetime is a value of its own, written by `element`.
        Value::Object(o) if o.type_name() == "time.Time" => v.clone(),
        Value::Object(o) => match o.json_struct() {
            Some(fields) => Value::dict(fields),
            None => o.underlying().unwrap_or_else(|| Value::Dict(Dict::new())),
        },
        // BurntSushi skips nil map entries as it skips nil values.
        Value::Dict(d) if d.is_nil_map() => Value::Nil,
        Value::Bytes(b) => Value::List(List::new(
            b.iter().map(|x| Value::Int(i64::from(*x))).collect(),
        )),
        other => other.clone(),
    }
}

fn is_table(v: &Value) -> bool {
    matches!(view(v), Value::Dict(_))
}

/// BurntSushi's `isTableArray`: a non-empty list of maps; a nil element anywhere fails.
fn is_table_array(items: &[Value]) -> Result<bool, Error> {
    if items.iter().any(Value::is_nil) {
        return Err(Error::new("toml: cannot encode array with nil element"));
    }
    Ok(!items.is_empty() && items.iter().all(is_table))
}

fn is_bare(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_text(k: &str) -> String {
    if is_bare(k) { k.to_string() } else { quoted(k) }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.into();
    }
    let s = fluxion_kustomize::yaml::gostr::format_float_g(f);
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// Deepest nesting encoded; a cyclic map (built with `set`) would otherwise never end.
const MAX_DEPTH: usize = 1000;

struct Encoder {
    out: String,
    written: bool,
    depth: usize,
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.written = true;
    }

    fn newline(&mut self) {
        if self.written {
            self.out.push('\n');
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new("toml: value nested too deeply (a cycle?)"));
        }
        Ok(())
    }

    fn element(&mut self, v: &Value) -> Result<(), Error> {
        self.enter()?;
        let result = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.element_inner(v));
        self.depth -= 1;
        result
    }

    fn element_inner(&mut self, v: &Value) -> Result<(), Error> {
        match view(v) {
            Value::Nil => return Err(Error::new("toml: cannot encode a nil value")),
            Value::Bool(b) => self.write(if b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.write(&i.to_string()),
            Value::Float(f) => self.write(&float_text(f)),
            Value::String(s) => self.write(&quoted(&s)),
            Value::List(l) => {
                let items = l.snapshot();
                is_table_array(&items)?;
                self.write("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.write(", ");
                    }
                    self.element(item)?;
                }
                self.write("]");
            }
            Value::Dict(d) => self.table_body(&[], &d, true)?,
            Value::Object(o) if o.type_name() == "time.Time" => {
                self.write(&datetime_text(&o.print()));
            }
            Value::Bytes(_) | Value::Object(_) => self.write("{}"),
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), Error> {
        let Some(last) = key.last() else {
            return self.element(v);
        };
        let indent = if inline { 0 } else { key.len() - 1 };
        self.write(&format!("{}{} = ", INDENT.repeat(indent), key_text(last)));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), Error> {
        match view(v) {
            Value::Nil => Ok(()),
            Value::Dict(d) => self.table(key, &d),
            Value::List(l) if is_table_array(&l.snapshot())? => {
                self.array_of_tables(key, &l.snapshot())
            }
            other => self.key_value(key, &other, false),
        }
    }

    fn header(key: &[String]) -> String {
        key.iter()
            .map(|k| key_text(k))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn table(&mut self, key: &[String], d: &Dict) -> Result<(), Error> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            let line = format!("{}[{}]", INDENT.repeat(key.len() - 1), Self::header(key));
            self.write(&line);
            self.newline();
        }
        self.table_body(key, d, false)
    }

    fn array_of_tables(&mut self, key: &[String], items: &[Value]) -> Result<(), Error> {
        for item in items {
            let Value::Dict(d) = view(item) else { continue };
            self.newline();
            let indent = INDENT.repeat(key.len().saturating_sub(1));
            self.write(&format!("{indent}[[{}]]", Self::header(key)));
            self.newline();
            self.table_body(key, &d, false)?;
        }
        Ok(())
    }

    /// BurntSushi's `eMapOrStruct`: values first, then tables; nil entries skipped.
    fn table_body(&mut self, key: &[String], d: &Dict, inline: bool) -> Result<(), Error> {
        self.enter()?;
        let result = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.table_body_inner(key, d, inline)
        });
        self.depth -= 1;
        result
    }

    fn table_body_inner(&mut self, key: &[String], d: &Dict, inline: bool) -> Result<(), Error> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in d.snapshot() {
            match view(&v) {
                // Nil entries are skipped when written, but count for the inline commas.
                Value::Nil => direct.push((k, v)),
                Value::Dict(_) => sub.push((k, v)),
                Value::List(l) if is_table_array(&l.snapshot())? => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        if inline {
            self.write("{");
        }
        let has_sub = !sub.is_empty();
        for (group, trailing) in [(direct, has_sub), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if view(&v).is_nil() {
                    continue;
                }
                let mut path = key.to_vec();
                path.push(k);
                if inline {
                    self.key_value(&path, &v, true)?;
                    if trailing || i + 1 != n {
                        self.write(", ");
                    }
                } else {
                    self.encode(&path, &v)?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }
}

/// BurntSushi's layout for a `time.Time`, from its Go `String()` form
/// (`2006-01-02 15:04:05.999999999 -0700 MST`): RFC 3339 with nanoseconds, except that its
/// own local zones (from decoding local datetimes, dates and times) print in UTC without
/// an offset, in their own layouts.
fn datetime_text(printed: &str) -> String {
    let parts: Vec<&str> = printed.split(' ').collect();
    let [date, clock, offset, zone] = parts[..] else {
        return printed.to_string();
    };
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = offset.trim_start_matches(['+', '-']);
    let (hh, mm) = (
        digits
            .get(..2)
            .and_then(|h| h.parse::<i64>().ok())
            .unwrap_or(0),
        digits
            .get(2..4)
            .and_then(|m| m.parse::<i64>().ok())
            .unwrap_or(0),
    );
    let seconds = sign * (hh * 3600 + mm * 60);
    let local = matches!(zone, "datetime-local" | "date-local" | "time-local");
    if !local {
        let z = if seconds == 0 {
            "Z".to_string()
        } else {
            format!("{}:{}", &offset[..3], &offset[3..])
        };
        return format!("{date}T{clock}{z}");
    }
    let Ok(wall) =
        chrono::NaiveDateTime::parse_from_str(&format!("{date} {clock}"), "%Y-%m-%d %H:%M:%S%.f")
    else {
        return printed.to_string();
    };
    let utc = wall - chrono::TimeDelta::seconds(seconds);
    let frac = clock.find('.').map_or("", |i| &clock[i..]);
    match zone {
        "date-local" => utc.format("%Y-%m-%d").to_string(),
        "time-local" => format!("{}{frac}", utc.format("%H:%M:%S")),
        _ => format!("{}{frac}", utc.format("%Y-%m-%dT%H:%M:%S")),
    }
}

/// `toml.NewEncoder(w).Encode(v)` of BurntSushi/toml.
pub fn to_toml(v: &Value) -> Result<String, Error> {
    if v.is_nil() {
        // Go reflects on the nil interface and panics.
        return Err(Error::new(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    if let Value::List(l) = v
        && is_table_array(&l.snapshot())?
    {
        // A table array needs a key, and the document has none.
        return Err(Error::new(
            "toml: top-level values must be Go maps or structs",
        ));
    }
    let mut enc = Encoder {
        out: String::new(),
        written: false,
        depth: 0,
    };
    enc.encode(&[], v)?;
    Ok(enc.out)
}

/// `toml.Unmarshal` into `map[string]interface{}` (BurntSushi's parser, re-implemented in
/// `toml_check`, decides what is accepted, what it holds, and how errors read).
pub fn from_toml(text: &str) -> Result<Dict, Error> {
    super::toml_check::decode(text).map_err(Error)
}
