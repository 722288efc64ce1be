//! API errors as a real server reports them: an HTTP code, a reason and a message, rendered as a
//! metav1.Status body with the same wording kube-apiserver uses.

use serde_json::{Value, json};

/// One field error of an Invalid (422) response, as in `details.causes`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, ...
    pub reason: &'static str,
    /// The path in the object, like `spec.containers[0].name`.
    pub field: String,
    /// The message after the path, like `Required value` or `Invalid value: "x": ...`.
    pub message: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: &str) -> Self {
        let message = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        FieldError {
            reason: "FieldValueRequired",
            field: field.into(),
            message,
        }
    }

    pub fn invalid(field: impl Into<String>, value: &Value, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueInvalid",
            field: field.into(),
            message: format!("Invalid value: {}: {detail}", render_value(value)),
        }
    }

    pub fn not_supported(field: impl Into<String>, value: &Value, allowed: &[Value]) -> Self {
        let list: Vec<String> = allowed.iter().map(render_value).collect();
        FieldError {
            reason: "FieldValueNotSupported",
            field: field.into(),
            message: format!(
                "Unsupported value: {}: supported values: {}",
                render_value(value),
                list.join(", ")
            ),
        }
    }

    pub fn too_long(field: impl Into<String>, max: u64) -> Self {
        FieldError {
            reason: "FieldValueTooLong",
            field: field.into(),
            message: format!("Too long: may not be more than {max} bytes"),
        }
    }

    pub fn too_many(field: impl Into<String>, actual: usize, max: u64) -> Self {
        FieldError {
            reason: "FieldValueTooMany",
            field: field.into(),
            message: format!("Too many: {actual}: must have at most {max} items"),
        }
    }

    pub fn forbidden(field: impl Into<String>, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueForbidden",
            field: field.into(),
            message: format!("Forbidden: {detail}"),
        }
    }

    /// `field: message`, as the errors are joined into the Status message.
    pub fn line(&self) -> String {
        format!("{}: {}", self.field, self.message)
    }
}

/// How a value is quoted in field error messages (Go's `%#v`-like rendering).
pub fn render_value(value: &Value) -> String {
    match value {
        Value::String(s) => crate::fieldmanager::go_quote(s),
        Value::Null => "null".to_string(),
        Value::Object(_) => "\"object\"".to_string(),
        Value::Array(_) => "\"array\"".to_string(),
        other => other.to_string(),
    }
}

/// An error answer of the API: becomes a metav1.Status with this code and reason.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code} {reason}: {message}")]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

/// What names a resource in messages: `configmaps` or `deployments.apps`.
pub fn qualified(group: &str, resource: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

/// StatusDetails: empty fields are omitted, as upstream's `omitempty` does.
fn details(group: &str, kind: &str, name: &str) -> Value {
    let mut d = json!({});
    for (k, v) in [("name", name), ("group", group), ("kind", kind)] {
        if !v.is_empty() {
            d[k] = json!(v);
        }
    }
    d
}

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    pub fn not_found(group: &str, resource: &str, name: &str) -> Self {
        ApiError {
            details: Some(details(group, resource, name)),
            ..Self::new(
                404,
                "NotFound",
                format!("{} \"{name}\" not found", qualified(group, resource)),
            )
        }
    }

    /// The answer for a path that names no resource the server knows.
    pub fn no_resource() -> Self {
        ApiError {
            details: Some(json!({})),
            ..Self::new(
                404,
                "NotFound",
                "the server could not find the requested resource",
            )
        }
    }

    pub fn already_exists(group: &str, resource: &str, name: &str) -> Self {
        ApiError {
            details: Some(details(group, resource, name)),
            ..Self::new(
                409,
                "AlreadyExists",
                format!("{} \"{name}\" already exists", qualified(group, resource)),
            )
        }
    }

    pub fn conflict(group: &str, resource: &str, name: &str, why: &str) -> Self {
        ApiError {
            details: Some(details(group, resource, name)),
            ..Self::new(
                409,
                "Conflict",
                format!(
                    "Operation cannot be fulfilled on {} \"{name}\": {why}",
                    qualified(group, resource)
                ),
            )
        }
    }

    /// The 409 of an update whose resourceVersion is not the stored one.
    pub fn modified(group: &str, resource: &str, name: &str) -> Self {
        Self::conflict(
            group,
            resource,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// 422 Invalid, with the errors joined the way the real server joins them.
    pub fn invalid(group: &str, kind: &str, name: &str, errors: Vec<FieldError>) -> Self {
        let qualified_kind = qualified(group, kind);
        let list = match errors.as_slice() {
            [one] => one.line(),
            many => format!(
                "[{}]",
                many.iter()
                    .map(FieldError::line)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let causes: Vec<Value> = errors
            .iter()
            .map(|e| json!({ "reason": e.reason, "message": e.message, "field": e.field }))
            .collect();
        let mut d = details(group, kind, name);
        d["causes"] = Value::Array(causes);
        ApiError {
            details: Some(d),
            ..Self::new(
                422,
                "Invalid",
                format!("{qualified_kind} \"{name}\" is invalid: {list}"),
            )
        }
    }

    /// An error that is no metav1.Status upstream (a plain Go error): no reason.
    pub fn unknown(code: u16, message: impl Into<String>) -> Self {
        Self::new(code, "", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
    }

    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: {}",
                accepted.join(", ")
            ),
        )
    }

    /// 410 for a resourceVersion the history no longer covers.
    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "Forbidden", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }

    /// The metav1.Status body of this error.
    pub fn status(&self) -> Value {
        let mut s = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if self.reason.is_empty()
            && let Some(m) = s.as_object_mut()
        {
            m.remove("reason");
        }
        if let Some(d) = &self.details {
            s["details"] = d.clone();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_upstream() {
        let e = ApiError::not_found("apps", "deployments", "web");
        assert_eq!(e.message, "deployments.apps \"web\" not found");
        assert_eq!(e.status()["details"]["group"], "apps");
        let e = ApiError::modified("", "configmaps", "a");
        assert!(e.message.starts_with(
            "Operation cannot be fulfilled on configmaps \"a\": the object has been modified"
        ));
        let e = ApiError::invalid(
            "example.com",
            "Foo",
            "x",
            vec![
                FieldError::required("spec.url", ""),
                FieldError::invalid(
                    "spec.n",
                    &json!("a"),
                    "spec.n in body must be of type integer: \"string\"",
                ),
            ],
        );
        assert_eq!(
            e.message,
            "Foo.example.com \"x\" is invalid: [spec.url: Required value, spec.n: Invalid value: \"a\": spec.n in body must be of type integer: \"string\"]"
        );
        assert_eq!(e.status()["details"]["causes"][0]["field"], "spec.url");
    }
}
