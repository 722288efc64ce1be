//! A JSON Schema validator for the keywords charts use (draft 4 to 2020-12: type, enum,
//! const, numeric bounds, string length and pattern, array items and bounds, object
//! required, properties, patternProperties, additionalProperties, min/maxProperties,
//! allOf/anyOf/oneOf/not, local $ref), with jsonschema v6's messages.

use serde_json::{Map, Value};

/// Deepest schema nesting followed (guards against `$ref` cycles).
const MAX_DEPTH: usize = 64;

/// One failure: a leaf message, or a group of failures at one location.
pub enum Failure {
    Leaf { at: String, msg: String },
    Group { at: String, causes: Vec<Failure> },
}

impl Failure {
    pub fn render(&self, out: &mut String, indent: &str) {
        match self {
            Failure::Leaf { at, msg } => out.push_str(&format!("{indent}- at '{at}': {msg}\n")),
            Failure::Group { at, causes } => {
                out.push_str(&format!("{indent}- at '{at}': validation failed\n"));
                let deeper = format!("{indent}  ");
                for c in causes {
                    c.render(out, &deeper);
                }
            }
        }
    }
}

pub struct Validator<'a> {
    pub root: &'a Value,
}

fn leaf(at: &str, msg: String) -> Failure {
    Failure::Leaf {
        at: at.to_string(),
        msg,
    }
}

/// jsonschema's name for an instance's type.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_type(v: &Value, t: &str) -> bool {
    match t {
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        other => type_name(v) == other,
    }
}

/// Numbers as golang.org/x/text prints them: thousands separated by commas.
fn num(v: f64) -> String {
    let text = if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    };
    let (sign, rest) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A value as jsonschema quotes it in enum and const messages.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => format!("'{s}'"),
        Value::Number(n) => num(n.as_f64().unwrap_or(0.0)),
        other => other.to_string(),
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

impl<'a> Validator<'a> {
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let path = reference.strip_prefix('#')?;
        let mut cur = self.root;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let key = part.replace("~1", "/").replace("~0", "~");
            cur = match cur {
                Value::Object(m) => m.get(&key)?,
                Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Checks `v` (at pointer `at`) against `schema`; one failure or a group of them.
    pub fn check(&self, schema: &Value, v: &Value, at: &str, depth: usize) -> Option<Failure> {
        let s = match schema {
            Value::Bool(true) => return None,
            Value::Bool(false) => return Some(leaf(at, "false schema".to_string())),
            Value::Object(s) => s,
            _ => return None,
        };
        if depth > MAX_DEPTH {
            return None;
        }
        let mut errs = Vec::new();
        if let Some(Value::String(r)) = s.get("$ref")
            && let Some(target) = self.resolve(r)
            && let Some(f) = self.check(target, v, at, depth + 1)
        {
            errs.push(f);
        }
        if let Some(f) = self.check_type(s, v, at) {
            return Some(f);
        }
        self.check_values(s, v, at, &mut errs);
        match v {
            Value::Number(n) => self.check_number(s, n.as_f64().unwrap_or(0.0), at, &mut errs),
            Value::String(text) => self.check_string(s, text, at, &mut errs),
            Value::Array(items) => self.check_array(s, items, at, depth, &mut errs),
            Value::Object(m) => self.check_object(s, m, at, depth, &mut errs),
            _ => {}
        }
        self.check_combinators(s, v, at, depth, &mut errs);
        match errs.len() {
            0 => None,
            1 => errs.pop(),
            _ => Some(Failure::Group {
                at: at.to_string(),
                causes: errs,
            }),
        }
    }

    fn check_type(&self, s: &Map<String, Value>, v: &Value, at: &str) -> Option<Failure> {
        let mut want: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        if want.iter().any(|t| is_type(v, t)) {
            return None;
        }
        want.sort_unstable();
        Some(leaf(
            at,
            format!("got {}, want {}", type_name(v), want.join(" or ")),
        ))
    }

    fn check_values(&self, s: &Map<String, Value>, v: &Value, at: &str, errs: &mut Vec<Failure>) {
        if let Some(Value::Array(options)) = s.get("enum")
            && !options.iter().any(|o| json_eq(o, v))
        {
            let shown: Vec<String> = options.iter().map(show).collect();
            errs.push(leaf(
                at,
                format!("value must be one of {}", shown.join(", ")),
            ));
        }
        if let Some(c) = s.get("const")
            && !json_eq(c, v)
        {
            errs.push(leaf(at, format!("value must be {}", show(c))));
        }
    }

    fn check_number(&self, s: &Map<String, Value>, n: f64, at: &str, errs: &mut Vec<Failure>) {
        let get = |k: &str| s.get(k).and_then(Value::as_f64);
        let flag = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
        if let Some(m) = get("multipleOf")
            && m > 0.0
            && ((n / m) - (n / m).round()).abs() > 1e-9
        {
            errs.push(leaf(
                at,
                format!("multipleOf: got {}, want {}", num(n), num(m)),
            ));
        }
        type Bound = (&'static str, Option<f64>, fn(f64, f64) -> bool);
        let checks: [Bound; 4] = [
            ("minimum", get("minimum"), |n, m| n >= m),
            ("maximum", get("maximum"), |n, m| n <= m),
            ("exclusiveMinimum", get("exclusiveMinimum"), |n, m| n > m),
            ("exclusiveMaximum", get("exclusiveMaximum"), |n, m| n < m),
        ];
        for (name, bound, ok) in checks {
            let Some(b) = bound else { continue };
            // Draft 4 spells exclusive bounds as booleans beside minimum/maximum.
            let exclusive = match name {
                "minimum" if flag("exclusiveMinimum") => n > b,
                "maximum" if flag("exclusiveMaximum") => n < b,
                _ => ok(n, b),
            };
            if !exclusive {
                errs.push(leaf(at, format!("{name}: got {}, want {}", num(n), num(b))));
            }
        }
    }

    fn check_string(&self, s: &Map<String, Value>, text: &str, at: &str, errs: &mut Vec<Failure>) {
        let len = text.chars().count() as f64;
        if let Some(min) = s.get("minLength").and_then(Value::as_f64)
            && len < min
        {
            errs.push(leaf(
                at,
                format!("minLength: got {}, want {}", num(len), num(min)),
            ));
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_f64)
            && len > max
        {
            errs.push(leaf(
                at,
                format!("maxLength: got {}, want {}", num(len), num(max)),
            ));
        }
        if let Some(Value::String(p)) = s.get("pattern")
            && let Ok(re) = regex::Regex::new(p)
            && !re.is_match(text)
        {
            errs.push(leaf(at, format!("'{text}' does not match pattern '{p}'")));
        }
    }

    fn check_array(
        &self,
        s: &Map<String, Value>,
        items: &[Value],
        at: &str,
        depth: usize,
        errs: &mut Vec<Failure>,
    ) {
        let len = items.len() as f64;
        if let Some(min) = s.get("minItems").and_then(Value::as_f64)
            && len < min
        {
            errs.push(leaf(
                at,
                format!("minItems: got {}, want {}", num(len), num(min)),
            ));
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_f64)
            && len > max
        {
            errs.push(leaf(
                at,
                format!("maxItems: got {}, want {}", num(len), num(max)),
            ));
        }
        if s.get("uniqueItems")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            'outer: for i in 0..items.len() {
                for j in i + 1..items.len() {
                    if json_eq(&items[i], &items[j]) {
                        errs.push(leaf(at, format!("items at {i} and {j} are equal")));
                        break 'outer;
                    }
                }
            }
        }
        let (prefix, rest) = match (s.get("prefixItems"), s.get("items")) {
            (Some(Value::Array(p)), rest) => (p.as_slice(), rest),
            (None, Some(Value::Array(p))) => (p.as_slice(), s.get("additionalItems")),
            (_, rest) => (&[][..], rest),
        };
        for (i, item) in items.iter().enumerate() {
            let sub = prefix
                .get(i)
                .or(if i >= prefix.len() { rest } else { None });
            if let Some(sub) = sub
                && let Some(f) = self.check(sub, item, &format!("{at}/{i}"), depth + 1)
            {
                errs.push(f);
            }
        }
    }

    fn check_object(
        &self,
        s: &Map<String, Value>,
        m: &Map<String, Value>,
        at: &str,
        depth: usize,
        errs: &mut Vec<Failure>,
    ) {
        let len = m.len() as f64;
        if let Some(min) = s.get("minProperties").and_then(Value::as_f64)
            && len < min
        {
            errs.push(leaf(
                at,
                format!("minProperties: got {}, want {}", num(len), num(min)),
            ));
        }
        if let Some(max) = s.get("maxProperties").and_then(Value::as_f64)
            && len > max
        {
            errs.push(leaf(
                at,
                format!("maxProperties: got {}, want {}", num(len), num(max)),
            ));
        }
        if let Some(Value::Array(req)) = s.get("required") {
            let missing: Vec<String> = req
                .iter()
                .filter_map(Value::as_str)
                .filter(|k| !m.contains_key(*k))
                .map(str::to_string)
                .collect();
            match missing.len() {
                0 => {}
                1 => errs.push(leaf(
                    at,
                    format!("missing property {}", quoted_list(&missing)),
                )),
                _ => errs.push(leaf(
                    at,
                    format!("missing properties {}", quoted_list(&missing)),
                )),
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        let patterns: Vec<(regex::Regex, &Value)> = s
            .get("patternProperties")
            .and_then(Value::as_object)
            .map(|pp| {
                pp.iter()
                    .filter_map(|(p, sub)| regex::Regex::new(p).ok().map(|re| (re, sub)))
                    .collect()
            })
            .unwrap_or_default();
        let mut additional = Vec::new();
        for (k, val) in m {
            let child_at = format!("{at}/{}", pointer_escape(k));
            let mut known = false;
            if let Some(sub) = props.and_then(|p| p.get(k)) {
                known = true;
                if let Some(f) = self.check(sub, val, &child_at, depth + 1) {
                    errs.push(f);
                }
            }
            for (re, sub) in &patterns {
                if re.is_match(k) {
                    known = true;
                    if let Some(f) = self.check(sub, val, &child_at, depth + 1) {
                        errs.push(f);
                    }
                }
            }
            if known {
                continue;
            }
            match s.get("additionalProperties") {
                Some(Value::Bool(false)) => additional.push(k.clone()),
                Some(sub @ Value::Object(_)) => {
                    if let Some(f) = self.check(sub, val, &child_at, depth + 1) {
                        errs.push(f);
                    }
                }
                _ => {}
            }
        }
        if !additional.is_empty() {
            errs.push(leaf(
                at,
                format!(
                    "additional properties {} not allowed",
                    quoted_list(&additional)
                ),
            ));
        }
    }

    fn check_combinators(
        &self,
        s: &Map<String, Value>,
        v: &Value,
        at: &str,
        depth: usize,
        errs: &mut Vec<Failure>,
    ) {
        let subs = |k: &str| {
            s.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for sub in subs("allOf") {
            if let Some(f) = self.check(&sub, v, at, depth + 1) {
                errs.push(f);
            }
        }
        let any = subs("anyOf");
        if !any.is_empty()
            && any
                .iter()
                .all(|sub| self.check(sub, v, at, depth + 1).is_some())
        {
            errs.push(leaf(at, "anyOf failed".to_string()));
        }
        let one = subs("oneOf");
        if !one.is_empty() {
            let matched = one
                .iter()
                .filter(|sub| self.check(sub, v, at, depth + 1).is_none())
                .count();
            if matched == 0 {
                errs.push(leaf(at, "oneOf failed, none matched".to_string()));
            } else if matched > 1 {
                errs.push(leaf(at, "oneOf failed, more than one matched".to_string()));
            }
        }
        if let Some(not) = s.get("not")
            && self.check(not, v, at, depth + 1).is_none()
        {
            errs.push(leaf(at, "'not' failed".to_string()));
        }
    }
}
