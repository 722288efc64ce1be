//! The metaschema check jsonschema v6 runs on a chart's schema before using it, for the
//! mistakes chart authors make: a schema that is neither object nor boolean, an unknown
//! `type` name, a `pattern` (or patternProperties name) Go cannot compile. Failures are
//! laid out as v6 prints its metaschema's verdict for each draft.

use std::collections::HashMap;

use serde_json::Value;

use super::error::{Kind, VErr, quote, render_causes};
use super::format;
use super::metakw::{self, Vocab};
use super::resources::{Draft, children};
use crate::template::strconv::quote as go_quote;

const TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

fn draft_url(d: Draft) -> &'static str {
    match d {
        Draft::D4 => "http://json-schema.org/draft-04/schema#",
        Draft::D6 => "http://json-schema.org/draft-06/schema#",
        Draft::D7 => "http://json-schema.org/draft-07/schema#",
        Draft::D2019 => "https://json-schema.org/draft/2019-09/schema#",
        Draft::D2020 => "https://json-schema.org/draft/2020-12/schema#",
    }
}

fn tokens(ptr: &str) -> Vec<String> {
    ptr.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The metaschema verdict on the document at `url`, or None when it passes these checks.
pub fn check(url: &str, root: &Value, draft: Draft) -> Option<String> {
    let causes = match root {
        Value::Object(_) | Value::Bool(_) => {
            let e = level(root, "", draft, 0, &mut Seen::new())?;
            // Only the root's own group is unwrapped; a nested one stays a level.
            if e.at.is_empty() {
                e.into_members()
            } else {
                vec![e]
            }
        }
        other => vec![VErr::new(
            &[],
            Kind::Type {
                got: super::validate::instance_type(other),
                want: vec!["boolean", "object"],
            },
        )],
    };
    Some(format!(
        "{} is not valid against metaschema: jsonschema validation failed with {}{}",
        go_quote(&format!("{url}#")),
        quote(draft_url(draft)),
        render_causes(&causes)
    ))
}

/// Several failures of one metaschema part at `at` show as a group; one shows as itself.
fn grouped(at: &[String], mut errs: Vec<VErr>) -> Option<VErr> {
    match errs.len() {
        0 => None,
        1 => errs.pop(),
        _ => {
            let mut e = VErr::new(at, Kind::Group);
            e.causes = errs;
            Some(e)
        }
    }
}

/// Patterns already compiled by this check (charts repeat the same few many times).
type Seen = HashMap<String, Result<(), String>>;

fn regex_verdict(pattern: &str, seen: &mut Seen) -> Result<(), String> {
    if let Some(r) = seen.get(pattern) {
        return r.clone();
    }
    let r = format::regex(pattern);
    seen.insert(pattern.to_string(), r.clone());
    r
}

/// The failures of one schema object and everything below it.
fn level(v: &Value, ptr: &str, draft: Draft, depth: usize, seen: &mut Seen) -> Option<VErr> {
    let Value::Object(obj) = v else {
        return None;
    };
    if depth > 256 {
        return None;
    }
    let at = tokens(ptr);
    let mut found: Vec<(Vocab, VErr)> = Vec::new();
    for (kw, value) in obj {
        let kw_at = tokens(&format!(
            "{ptr}/{}",
            kw.replace('~', "~0").replace('/', "~1")
        ));
        found.extend(metakw::check(kw, value, &kw_at, draft));
    }
    if let Some(t) = obj.get("type") {
        found.extend(bad_type(t, &format!("{ptr}/type")).map(|e| (Vocab::Validation, e)));
    }
    if let Some(Value::String(p)) = obj.get("pattern")
        && let Err(e) = regex_verdict(p, seen)
    {
        let at = tokens(&format!("{ptr}/pattern"));
        let kind = Kind::Format {
            got: quote(p),
            want: "regex".into(),
            err: e,
        };
        found.push((Vocab::Validation, VErr::new(&at, kind)));
    }
    if let Some(Value::Object(pp)) = obj.get("patternProperties") {
        for name in pp.keys() {
            if let Err(e) = regex_verdict(name, seen) {
                // propertyNames failures carry no location in v6.
                let mut err = VErr::new(&[], Kind::PropertyNames(name.clone()));
                let kind = Kind::Format {
                    got: quote(name),
                    want: "regex".into(),
                    err: e,
                };
                err.causes = vec![VErr::new(&[], kind)];
                found.push((Vocab::Applicator, err));
            }
        }
    }
    for (suffix, child) in children(obj) {
        if let Some(e) = level(child, &format!("{ptr}{suffix}"), draft, depth + 1, seen) {
            found.push((Vocab::Applicator, either(e, child, ptr, &suffix, draft)));
        }
    }
    if draft < Draft::D2019 {
        return grouped(&at, found.into_iter().map(|(_, e)| e).collect());
    }
    // 2019-09 and 2020-12 metaschemas are an allOf of vocabularies, in a fixed order: every
    // level says so, with each vocabulary's failures grouped.
    found.sort_by_key(|(vocab, _)| *vocab);
    let mut parts = Vec::new();
    for vocab in [
        Vocab::Core,
        Vocab::Applicator,
        Vocab::Validation,
        Vocab::Format,
    ] {
        let errs: Vec<VErr> = found
            .iter()
            .filter(|(v, _)| *v == vocab)
            .map(|(_, e)| e.clone())
            .collect();
        parts.extend(grouped(&at, errs));
    }
    if parts.is_empty() {
        return None;
    }
    let mut e = VErr::new(&at, Kind::AllOf);
    e.causes = parts;
    Some(e)
}

/// Before 2020-12, `items` and `dependencies` values are "a schema or an array": a failing
/// schema there shows under an anyOf with the array alternative.
fn either(e: VErr, child: &Value, ptr: &str, suffix: &str, draft: Draft) -> VErr {
    let applies = draft < Draft::D2020
        && child.is_object()
        && (suffix == "/items" || suffix.starts_with("/dependencies/"));
    if !applies {
        return e;
    }
    let at = tokens(&format!("{ptr}{suffix}"));
    let mut any = VErr::new(&at, Kind::AnyOf);
    let not_list = Kind::Type {
        got: "object",
        want: vec!["array"],
    };
    any.causes = vec![e, VErr::new(&at, not_list)];
    any
}

/// `type` must be one of the seven names, or a list of them.
fn bad_type(t: &Value, ptr: &str) -> Option<VErr> {
    let at = tokens(ptr);
    let listed = || Kind::Enum {
        want: TYPES.iter().map(|s| quote(s)).collect(),
        composite: false,
    };
    let known = |v: &Value| v.as_str().is_some_and(|s| TYPES.contains(&s));
    let second = match t {
        _ if known(t) => return None,
        Value::Array(items) => {
            let mut bad: Vec<VErr> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| !known(item))
                .map(|(i, _)| VErr::new(&tokens(&format!("{ptr}/{i}")), listed()))
                .collect();
            match bad.len() {
                0 => return None,
                1 => bad.remove(0),
                _ => {
                    let mut group = VErr::new(&at, Kind::Group);
                    group.causes = bad;
                    group
                }
            }
        }
        other => VErr::new(
            &at,
            Kind::Type {
                got: super::validate::instance_type(other),
                want: vec!["array"],
            },
        ),
    };
    let mut e = VErr::new(&at, Kind::AnyOf);
    e.causes = vec![VErr::new(&at, listed()), second];
    Some(e)
}
