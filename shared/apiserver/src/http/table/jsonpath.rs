//! The JSONPath subset printer columns use: `.a.b`, `['a']`, `[0]`, `[*]`, and filters
//! `[?(@.type=="Ready")]` (with `==` or `!=`), optionally wrapped in `{}`.

use serde_json::Value;

#[derive(Debug, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    All,
    Filter {
        path: Vec<String>,
        eq: bool,
        value: String,
    },
}

fn parse(path: &str) -> Option<Vec<Step>> {
    let p = path.trim();
    let p = p
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(p);
    let p = p.strip_prefix('$').unwrap_or(p);
    let mut steps = Vec::new();
    let mut rest = p;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                steps.push(Step::Field(r[..end].to_string()));
            }
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = bracket_end(r)?;
            steps.push(parse_bracket(r[..end].trim())?);
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The index of the `]` closing a bracket, skipping quoted text.
fn bracket_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ']') => return Some(i),
            _ => {}
        }
    }
    None
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(|c| c == '"' || c == '\'').to_string()
}

fn parse_bracket(b: &str) -> Option<Step> {
    if b == "*" {
        return Some(Step::All);
    }
    if let Ok(i) = b.parse::<i64>() {
        return Some(Step::Index(i));
    }
    if b.starts_with('\'') || b.starts_with('"') {
        return Some(Step::Field(unquote(b)));
    }
    let inner = b.strip_prefix("?(")?.strip_suffix(')')?.trim();
    let (lhs, eq, rhs) = if let Some((l, r)) = inner.split_once("!=") {
        (l, false, r)
    } else {
        let (l, r) = inner.split_once("==")?;
        (l, true, r)
    };
    let path = lhs.trim().strip_prefix("@.")?;
    Some(Step::Filter {
        path: path.split('.').map(str::to_string).collect(),
        eq,
        value: unquote(rhs),
    })
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every value the path selects in `obj` (nothing for an unsupported path).
pub fn find(obj: &Value, path: &str) -> Vec<Value> {
    let Some(steps) = parse(path) else {
        return Vec::new();
    };
    let mut cur: Vec<&Value> = vec![obj];
    for step in &steps {
        let mut next = Vec::new();
        for v in cur {
            match step {
                Step::Field(f) => next.extend(v.get(f)),
                Step::Index(i) => {
                    if let Some(a) = v.as_array() {
                        let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                        next.extend(usize::try_from(idx).ok().and_then(|i| a.get(i)));
                    }
                }
                Step::All => match v {
                    Value::Array(a) => next.extend(a.iter()),
                    Value::Object(m) => next.extend(m.values()),
                    _ => {}
                },
                Step::Filter { path, eq, value } => {
                    for item in v.as_array().into_iter().flatten() {
                        let got = path.iter().try_fold(item, |acc, f| acc.get(f));
                        if got.is_some_and(|g| (scalar_text(g) == *value) == *eq) {
                            next.push(item);
                        }
                    }
                }
            }
        }
        cur = next;
    }
    cur.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_printer_column_paths() {
        let o = json!({"spec": {"url": "u", "items": [{"n": 1}, {"n": 2}]},
            "status": {"conditions": [{"type": "Ready", "status": "True", "message": "ok"}, {"type": "X", "status": "False"}]}});
        assert_eq!(find(&o, ".spec.url"), [json!("u")]);
        assert_eq!(find(&o, "{.spec.items[1].n}"), [json!(2)]);
        assert_eq!(find(&o, ".spec.items[*].n"), [json!(1), json!(2)]);
        assert_eq!(
            find(&o, ".status.conditions[?(@.type==\"Ready\")].status"),
            [json!("True")]
        );
        assert_eq!(
            find(&o, ".status.conditions[?(@.type=='Ready')].message"),
            [json!("ok")]
        );
        assert_eq!(find(&o, ".spec['url']"), [json!("u")]);
        assert!(find(&o, ".spec.missing").is_empty());
    }
}
