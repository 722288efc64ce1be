//! `json.Marshal` (encoding/json: sorted keys, HTML escaping, Go's float form) and
//! `yaml.Marshal` of sigs.k8s.io/yaml (`JSONToYAML(json.Marshal(v))`, written by
//! fluxion-kustomize's go-yaml v2 emitter) for template values.

use fluxion_kustomize::yaml::gostr::{
    format_float_json, go_json_quote, parse_int_base0, parse_uint_base0,
};
use fluxion_kustomize::yaml::{Value as Data, json_string};

use super::Error;
use crate::sprig::b64_encode;
use crate::template::{Dict, List, Value};

/// The collections being walked, to refuse cycles as encoding/json does.
#[derive(Default)]
struct Path {
    dicts: Vec<Dict>,
    lists: Vec<List>,
}

impl Path {
    fn enter_dict(&mut self, d: &Dict) -> Result<(), Error> {
        if self.dicts.iter().any(|x| x.ptr_eq(d)) {
            return Err(cycle(&d.type_name()));
        }
        self.dicts.push(d.clone());
        Ok(())
    }

    fn enter_list(&mut self, l: &List) -> Result<(), Error> {
        if self.lists.iter().any(|x| x.ptr_eq(l)) {
            return Err(cycle(&Value::List(l.clone()).type_name()));
        }
        self.lists.push(l.clone());
        Ok(())
    }
}

fn cycle(type_name: &str) -> Error {
    Error::new(format!(
        "json: unsupported value: encountered a cycle via {type_name}"
    ))
}

/// What encoding/json sees of a value: objects by their JSON data.
fn json_view(v: &Value) -> Value {
    match v {
        Value::Object(o) => o.json_value().unwrap_or_else(|| Value::Dict(Dict::new())),
        // encoding/json writes a nil map as null, an empty one as {}.
        Value::Dict(d) if d.is_nil_map() => Value::Nil,
        other => other.clone(),
    }
}

fn float_text(f: f64) -> Result<String, Error> {
    if f.is_nan() {
        return Err(Error::new("json: unsupported value: NaN"));
    }
    if f.is_infinite() {
        let sign = if f > 0.0 { "+" } else { "-" };
        return Err(Error::new(format!("json: unsupported value: {sign}Inf")));
    }
    Ok(format_float_json(f))
}

/// Go's `json.Marshal`.
pub fn to_json(v: &Value) -> Result<String, Error> {
    to_json_indent(v, true, None)
}

/// An encoding/json Encoder: HTML escaping on or off, optionally indented (`MarshalIndent`).
pub fn to_json_indent(v: &Value, html: bool, indent: Option<&str>) -> Result<String, Error> {
    let mut out = String::new();
    let enc = Json { html, indent };
    enc.encode(&mut out, v, 0, &mut Path::default())?;
    Ok(out)
}

struct Json<'a> {
    html: bool,
    indent: Option<&'a str>,
}

impl Json<'_> {
    fn newline(&self, out: &mut String, depth: usize) {
        if let Some(ind) = self.indent {
            out.push('\n');
            out.push_str(&ind.repeat(depth));
        }
    }

    fn encode(
        &self,
        out: &mut String,
        v: &Value,
        depth: usize,
        path: &mut Path,
    ) -> Result<(), Error> {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            self.encode_inner(out, v, depth, path)
        })
    }

    fn encode_inner(
        &self,
        out: &mut String,
        v: &Value,
        depth: usize,
        path: &mut Path,
    ) -> Result<(), Error> {
        if let Value::Object(o) = v
            && let Some(fields) = o.json_struct()
        {
            return self.fields(out, &fields, depth, path);
        }
        match json_view(v) {
            Value::Nil => out.push_str("null"),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&float_text(f)?),
            Value::String(x) => go_json_quote(out, &x, self.html),
            Value::Bytes(b) => go_json_quote(out, &b64_encode(&b), self.html),
            Value::List(l) => {
                path.enter_list(&l)?;
                let items = l.snapshot();
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.newline(out, depth + 1);
                    self.encode(out, item, depth + 1, path)?;
                }
                if !items.is_empty() {
                    self.newline(out, depth);
                }
                out.push(']');
                path.lists.pop();
            }
            Value::Dict(d) => {
                path.enter_dict(&d)?;
                self.fields(out, &d.snapshot(), depth, path)?;
                path.dicts.pop();
            }
            Value::Object(_) => out.push_str("{}"),
        }
        Ok(())
    }
}

impl Json<'_> {
    /// An object's members in the given order.
    fn fields(
        &self,
        out: &mut String,
        entries: &[(String, Value)],
        depth: usize,
        path: &mut Path,
    ) -> Result<(), Error> {
        out.push('{');
        for (i, (k, item)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.newline(out, depth + 1);
            go_json_quote(out, k, self.html);
            out.push(':');
            if self.indent.is_some() {
                out.push(' ');
            }
            self.encode(out, item, depth + 1, path)?;
        }
        if !entries.is_empty() {
            self.newline(out, depth);
        }
        out.push('}');
        Ok(())
    }
}

/// sigs.k8s.io/yaml's `Marshal`: the YAML text, ending in a newline (Helm's toYaml trims it).
pub fn to_yaml(v: &Value) -> Result<String, Error> {
    let data = to_kustomize_value(v)?;
    let mut text = fluxion_kustomize::yaml::to_yaml(&data);
    // The emitter ends an open-ended root scalar with a `...` marker; the go-yaml v2 fork
    // behind sigs.k8s.io/yaml never writes one.
    if text.ends_with("\n...\n") {
        text.truncate(text.len() - "...\n".len());
    }
    Ok(text)
}

/// The data that survives `json.Marshal` and go-yaml v2's re-reading of that JSON, ready for
/// the emitter: integral floats become ints, bytes base64 text, objects their JSON data.
pub fn to_kustomize_value(v: &Value) -> Result<Data, Error> {
    data(v, &mut Path::default()).map_err(|e| match e {
        DataError::Json(e) => Error::new(format!("error marshaling into JSON: {e}")),
        DataError::Yaml(e) => e,
    })
}

enum DataError {
    Json(Error),
    Yaml(Error),
}

/// A Go string after the JSON trip (see fluxion-kustomize's `json_string`).
fn json_text(s: &str) -> Result<String, DataError> {
    json_string(s.as_bytes()).map_err(|e| DataError::Yaml(Error::new(e.to_string())))
}

fn data(v: &Value, path: &mut Path) -> Result<Data, DataError> {
    stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || data_inner(v, path))
}

fn data_inner(v: &Value, path: &mut Path) -> Result<Data, DataError> {
    if let Value::Object(o) = v
        && let Some(fields) = o.json_struct()
    {
        let mut entries = Vec::with_capacity(fields.len());
        for (k, x) in fields {
            entries.push((json_text(&k)?, data(&x, path)?));
        }
        return Ok(Data::Map(entries));
    }
    Ok(match json_view(v) {
        Value::Nil => Data::Null,
        Value::Bool(b) => Data::Bool(b),
        Value::Int(i) | Value::Int64(i) => Data::Int(i),
        Value::Float(f) => {
            let text = float_text(f).map_err(DataError::Json)?;
            if let Some(i) = parse_int_base0(&text) {
                Data::Int(i)
            } else if let Some(u) = parse_uint_base0(&text) {
                Data::Uint(u)
            } else {
                Data::Float(f)
            }
        }
        Value::String(s) => Data::String(json_text(&s)?),
        Value::Bytes(b) => Data::String(b64_encode(&b)),
        Value::List(l) => {
            path.enter_list(&l).map_err(DataError::Json)?;
            let items = l
                .snapshot()
                .iter()
                .map(|x| data(x, path))
                .collect::<Result<Vec<_>, _>>()?;
            path.lists.pop();
            Data::Seq(items)
        }
        Value::Dict(d) => {
            path.enter_dict(&d).map_err(DataError::Json)?;
            let mut entries = Vec::with_capacity(d.len());
            for (k, x) in d.snapshot() {
                entries.push((json_text(&k)?, data(&x, path)?));
            }
            path.dicts.pop();
            Data::Map(entries)
        }
        Value::Object(_) => Data::Map(Vec::new()),
    })
}
