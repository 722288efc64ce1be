//! The shape the metaschemas demand of each keyword's value (a string, an array, a number,
//! a non-negative integer, an object, a schema), with v6's failure for a value of the wrong
//! shape, and which 2019-09/2020-12 vocabulary (allOf member) checks it.

use serde_json::Value;

use super::error::{Kind, VErr};
use super::num::Dec;
use super::resources::Draft;
use super::validate::instance_type;

/// The metaschema's allOf members, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vocab {
    Core,
    Applicator,
    Validation,
    Format,
}

enum Shape {
    Str,
    Array,
    Number,
    Count,
    Object,
    Schema,
    Bool,
}

fn shape(keyword: &str) -> Option<(Shape, Vocab)> {
    use Shape::*;
    use Vocab::*;
    Some(match keyword {
        "$ref" | "$id" | "$anchor" | "$comment" | "$dynamicRef" | "$dynamicAnchor"
        | "$recursiveRef" => (Str, Core),
        "$defs" => (Object, Core),
        "format" => (Str, Format),
        "pattern" => (Str, Validation),
        "required" | "enum" => (Array, Validation),
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => (Array, Applicator),
        "minimum" | "maximum" | "multipleOf" => (Number, Validation),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
        | "minContains" | "maxContains" => (Count, Validation),
        "properties" | "patternProperties" | "dependentSchemas" => (Object, Applicator),
        "definitions" => (Object, Applicator),
        "dependentRequired" => (Object, Validation),
        "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedProperties"
        | "unevaluatedItems" => (Schema, Applicator),
        "uniqueItems" => (Bool, Validation),
        _ => return None,
    })
}

fn wrong(at: &[String], v: &Value, want: Vec<&'static str>) -> VErr {
    VErr::new(
        at,
        Kind::Type {
            got: instance_type(v),
            want,
        },
    )
}

/// The failure of one keyword's value, if its shape is wrong.
pub fn check(keyword: &str, v: &Value, at: &[String], draft: Draft) -> Option<(Vocab, VErr)> {
    let (shape, vocab) = shape(keyword)?;
    // Draft 4 spells schema-valued keywords differently (objects only, or anyOf forms).
    if draft == Draft::D4 && matches!(shape, Shape::Schema) {
        return None;
    }
    let err = match shape {
        Shape::Str if !v.is_string() => wrong(at, v, vec!["string"]),
        Shape::Array if !v.is_array() => wrong(at, v, vec!["array"]),
        Shape::Number if !v.is_number() => wrong(at, v, vec!["number"]),
        Shape::Object if !v.is_object() => wrong(at, v, vec!["object"]),
        Shape::Bool if !v.is_boolean() => wrong(at, v, vec!["boolean"]),
        Shape::Schema if !(v.is_object() || v.is_boolean()) => {
            wrong(at, v, vec!["boolean", "object"])
        }
        Shape::Count => count(v, at)?,
        Shape::Number if keyword == "multipleOf" => positive(v, at)?,
        Shape::Array if keyword == "required" => strings(v, at)?,
        _ => return None,
    };
    // Before 2019-09 these counts default to 0 through an allOf, which shows.
    let defaulted = matches!(keyword, "minLength" | "minItems" | "minProperties");
    if draft < Draft::D2019 && defaulted {
        let mut all = VErr::new(at, Kind::AllOf);
        all.causes = vec![err];
        return Some((vocab, all));
    }
    Some((vocab, err))
}

/// A non-negative integer.
fn count(v: &Value, at: &[String]) -> Option<VErr> {
    let Value::Number(n) = v else {
        return Some(wrong(at, v, vec!["integer"]));
    };
    let d = Dec::from_number(n)?;
    if !d.is_integer() {
        return Some(wrong(at, v, vec!["integer"]));
    }
    let f = d.to_f64();
    (f < 0.0).then(|| {
        VErr::new(
            at,
            Kind::Bound {
                keyword: "minimum",
                got: f,
                want: 0.0,
            },
        )
    })
}

/// `multipleOf` must be above zero.
fn positive(v: &Value, at: &[String]) -> Option<VErr> {
    let f = v.as_f64()?;
    (f <= 0.0).then(|| {
        VErr::new(
            at,
            Kind::Bound {
                keyword: "exclusiveMinimum",
                got: f,
                want: 0.0,
            },
        )
    })
}

/// `required` lists property names: each non-string item fails at its index.
fn strings(v: &Value, at: &[String]) -> Option<VErr> {
    let items = v.as_array()?;
    let mut errs: Vec<VErr> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| !item.is_string())
        .map(|(i, item)| {
            let mut item_at = at.to_vec();
            item_at.push(i.to_string());
            wrong(&item_at, item, vec!["string"])
        })
        .collect();
    match errs.len() {
        0 => None,
        1 => errs.pop(),
        _ => {
            let mut group = VErr::new(at, Kind::Group);
            group.causes = errs;
            Some(group)
        }
    }
}
