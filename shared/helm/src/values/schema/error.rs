//! Validation failures as a tree, worded and laid out as santhosh-tekuri/jsonschema v6 prints
//! them (`- at '<pointer>': <message>`, causes indented below, single-cause `$ref` levels
//! folded away), since Helm shows that text to users unchanged.

use serde_json::Value;

use super::num;

/// What went wrong at one place (jsonschema's `kind` package).
#[derive(Debug, Clone)]
pub enum Kind {
    Group,
    Not,
    AllOf,
    AnyOf,
    /// `None` when no subschema matched, else the first two that did.
    OneOf(Option<(usize, usize)>),
    FalseSchema,
    RefCycle {
        url: String,
        first: String,
        second: String,
    },
    Type {
        got: &'static str,
        want: Vec<&'static str>,
    },
    /// The allowed values as shown (JSON text of numbers kept), and whether any is an
    /// array or object (then v6 names no values).
    Enum {
        want: Vec<String>,
        composite: bool,
    },
    Const {
        want: String,
        composite: bool,
    },
    Format {
        got: String,
        want: String,
        err: String,
    },
    /// A `$ref`-like jump whose target failed.
    Reference,
    Count {
        keyword: &'static str,
        got: usize,
        want: usize,
    },
    AdditionalItems(usize),
    Required(Vec<String>),
    Dependency {
        prop: String,
        missing: Vec<String>,
    },
    AdditionalProperties(Vec<String>),
    PropertyNames(String),
    UniqueItems(usize, usize),
    Contains,
    MinContains {
        got: Vec<usize>,
        want: usize,
    },
    MaxContains {
        got: Vec<usize>,
        want: usize,
    },
    Pattern {
        got: String,
        want: String,
    },
    /// minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf.
    Bound {
        keyword: &'static str,
        got: f64,
        want: f64,
    },
    /// Ours: validation stopped because the schema asks for unbounded work.
    Budget(String),
}

/// jsonschema's `quote`: Go's `%q`, then `\"` made `"` and `'` made `\'`, inside single
/// quotes. Done literally, because the replacement also joins a trailing backslash with
/// the closing quote (`a\` shows as `'a\'`), and users see exactly that.
pub fn quote(s: &str) -> String {
    let q = crate::template::strconv::quote(s)
        .replace("\\\"", "\"")
        .replace('\'', "\\'");
    let inner = q.get(1..q.len().saturating_sub(1)).unwrap_or("");
    format!("'{inner}'")
}

fn join_quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| quote(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// jsonschema's `display` of a primitive value (schema numbers keep their JSON text).
pub fn display(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) | Value::Object(_) => "value".to_string(),
        other => other.to_string(),
    }
}

fn indices(items: &[usize]) -> String {
    items
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Kind {
    /// The message text, in English as Helm prints it.
    pub fn message(&self) -> String {
        match self {
            Kind::Group | Kind::Reference => "validation failed".to_string(),
            Kind::Not => "'not' failed".to_string(),
            Kind::AllOf => "'allOf' failed".to_string(),
            Kind::AnyOf => "'anyOf' failed".to_string(),
            Kind::OneOf(None) => "'oneOf' failed, none matched".to_string(),
            Kind::OneOf(Some((a, b))) => {
                format!(
                    "'oneOf' failed, subschemas {}, {} matched",
                    num::int(*a),
                    num::int(*b)
                )
            }
            Kind::FalseSchema => "false schema".to_string(),
            Kind::RefCycle { url, first, second } => format!(
                "both {first} and {second} resolve to {} causing reference cycle",
                crate::template::strconv::quote(url)
            ),
            Kind::Type { got, want } => format!("got {got}, want {}", want.join(" or ")),
            Kind::Enum {
                composite: true, ..
            } => "'enum' failed".to_string(),
            Kind::Enum { want, .. } if want.len() == 1 => format!("value must be {}", want[0]),
            Kind::Enum { want, .. } => format!("value must be one of {}", want.join(", ")),
            Kind::Const {
                composite: true, ..
            } => "'const' failed".to_string(),
            Kind::Const { want, .. } => format!("value must be {want}"),
            Kind::Format { got, want, err } => format!("{got} is not valid {want}: {err}"),
            Kind::Count { keyword, got, want } => {
                format!(
                    "{keyword}: got {}, want {}",
                    num::int(*got),
                    num::int(*want)
                )
            }
            Kind::AdditionalItems(n) => {
                format!("last {} additionalItem(s) not allowed", num::int(*n))
            }
            Kind::Required(missing) if missing.len() == 1 => {
                format!("missing property {}", quote(&missing[0]))
            }
            Kind::Required(missing) => format!("missing properties {}", join_quoted(missing)),
            Kind::Dependency { prop, missing } => format!(
                "properties {} required, if {} exists",
                join_quoted(missing),
                quote(prop)
            ),
            Kind::AdditionalProperties(props) => {
                format!("additional properties {} not allowed", join_quoted(props))
            }
            Kind::PropertyNames(p) => format!("invalid propertyName {}", quote(p)),
            Kind::UniqueItems(i, j) => {
                format!("items at {} and {} are equal", num::int(*i), num::int(*j))
            }
            Kind::Contains => "no items match contains schema".to_string(),
            Kind::MinContains { got, want } if got.is_empty() => format!(
                "min {} items required to match contains schema, but none matched",
                num::int(*want)
            ),
            Kind::MinContains { got, want } => format!(
                "min {} items required to match contains schema, but matched {} items at {}",
                num::int(*want),
                num::int(got.len()),
                indices(got)
            ),
            Kind::MaxContains { got, want } => format!(
                "max {} items required to match contains schema, but matched {} items at {}",
                num::int(*want),
                num::int(got.len()),
                indices(got)
            ),
            Kind::Pattern { got, want } => {
                format!("{} does not match pattern {}", quote(got), quote(want))
            }
            Kind::Bound { keyword, got, want } => {
                format!(
                    "{keyword}: got {}, want {}",
                    num::float(*got),
                    num::float(*want)
                )
            }
            Kind::Budget(msg) => msg.clone(),
        }
    }
}

/// One failure with the instance location it is about and its causes.
#[derive(Debug, Clone)]
pub struct VErr {
    pub at: Vec<String>,
    pub kind: Box<Kind>,
    pub causes: Vec<VErr>,
}

fn pointer(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

impl VErr {
    /// A group's members, or the failure itself (how v6 lists a validation's result).
    pub fn into_members(self) -> Vec<VErr> {
        if matches!(*self.kind, Kind::Group) {
            self.causes
        } else {
            vec![self]
        }
    }

    pub fn new(at: &[String], kind: Kind) -> VErr {
        VErr {
            at: at.to_vec(),
            kind: Box::new(kind),
            causes: Vec::new(),
        }
    }

    /// Appends this failure as jsonschema's `display` does, each line after a newline.
    fn display(&self, out: &mut String, indent: usize) {
        let skip = matches!(*self.kind, Kind::Reference) && self.causes.len() == 1;
        let mut indent = indent;
        if !skip {
            out.push('\n');
            out.push_str(&"  ".repeat(indent));
            out.push_str("- at ");
            out.push_str(&quote(&pointer(&self.at)));
            out.push_str(": ");
            out.push_str(&self.kind.message());
            indent += 1;
        }
        for c in &self.causes {
            c.display(out, indent);
        }
    }
}

/// Failures each on a new line (after the caller's first line), as v6 lists causes.
pub fn render_causes(causes: &[VErr]) -> String {
    let mut out = String::new();
    for c in causes {
        c.display(&mut out, 0);
    }
    out
}

/// The text Helm shows for a failed validation: the top-level failures (a root group shown
/// as its members), one per line, and a final newline.
pub fn render_top(err: VErr) -> String {
    let top = err.into_members();
    let mut out = String::new();
    for e in &top {
        e.display(&mut out, 0);
    }
    let mut text = out.strip_prefix('\n').unwrap_or(&out).to_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_go() {
        let cases = [
            ("plain", "'plain'"),
            ("it's", "'it\\'s'"),
            ("say \"hi\"", "'say \"hi\"'"),
            ("a\nb\tc", "'a\\nb\\tc'"),
            ("\u{1}", "'\\x01'"),
            ("ünï", "'ünï'"),
            ("x\\y", "'x\\\\y'"),
            ("(\\", "'(\\'"),
        ];
        for (input, want) in cases {
            assert_eq!(quote(input), want);
        }
        assert_eq!(crate::template::strconv::quote("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn references_with_one_cause_fold_away() {
        let leaf = VErr::new(&["a".to_string()], Kind::FalseSchema);
        let reference = VErr {
            at: vec![],
            kind: Box::new(Kind::Reference),
            causes: vec![leaf.clone()],
        };
        assert_eq!(render_top(reference), "- at '/a': false schema\n");
        let group = VErr {
            at: vec![],
            kind: Box::new(Kind::AllOf),
            causes: vec![leaf.clone(), leaf],
        };
        assert_eq!(
            render_top(group),
            "- at '': 'allOf' failed\n  - at '/a': false schema\n  - at '/a': false schema\n"
        );
    }
}
