//! JSON patch, JSON merge patch and strategic merge patch over serde_json values.
//!
//! Every function here is pure: the current object and the patch in, the patched object out.
//! The HTTP layer picks the function from the request's Content-Type:
//! `application/json-patch+json` → [`json_patch`], `application/merge-patch+json` →
//! [`merge_patch`], `application/strategic-merge-patch+json` → [`strategic_merge_patch`] (built-in
//! kinds only: a real server answers 415 Unsupported Media Type for custom resources).
//! [`PatchError::status_code`] gives the status to answer a failure with.

mod error;
mod json;
mod merge;
mod strategic;

pub use error::PatchError;
pub use json::{MAX_JSON_PATCH_OPERATIONS, json_patch};
pub use merge::merge_patch;
pub use strategic::strategic_merge_patch;

use serde_json::Value;

/// Deep equality where numbers compare by value (`1` equals `1.0`), as Go's decoded JSON does.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_eq_compares_numbers_by_value() {
        let cases = [
            (json!(1), json!(1.0), true),
            (json!(1), json!(2), false),
            (json!({"a": [1, "x"]}), json!({"a": [1.0, "x"]}), true),
            (json!({"a": 1}), json!({"a": 1, "b": 2}), false),
            (json!([1, 2]), json!([2, 1]), false),
            (json!(null), json!(null), true),
            (json!("1"), json!(1), false),
        ];
        for (a, b, want) in cases {
            assert_eq!(json_eq(&a, &b), want, "{a} vs {b}");
        }
    }
}
