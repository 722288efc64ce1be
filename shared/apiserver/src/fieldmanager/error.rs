//! Errors of field management: unreadable FieldsV1, and apply failures with the apiserver's
//! wording, HTTP code and `Status` body (409 Conflict with one cause per conflicting field).

use serde_json::{Value, json};

use super::managed::ManagerId;
use super::path::{Path, path_string};

/// FieldsV1 that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldsError {
    /// Not JSON, or not an object where one is needed.
    #[error("{0}")]
    Json(String),
    /// A key that is not a valid path element.
    #[error("parsing key as path element {key:?}: {reason}")]
    BadKey { key: String, reason: String },
}

/// A field another manager owns with a different value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The owner.
    pub manager: ManagerId,
    /// The field.
    pub path: Path,
}

impl Conflict {
    /// The field as upstream prints it: `.spec.containers[name="app"].image`.
    pub fn field(&self) -> String {
        path_string(&self.path)
    }
}

/// Why an apply was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// Fields owned by other managers would change; retry with force to take them.
    #[error("{}", conflict_message(.0))]
    Conflicts(Vec<Conflict>),
    /// The request itself is malformed (not an object, managedFields set...).
    #[error("{0}")]
    BadRequest(String),
    /// The configuration or the live object does not fit the type's shape.
    #[error("{0}")]
    Invalid(String),
    /// The live object's managedFields cannot be read.
    #[error("failed to decode managed fields: {0}")]
    ManagedFields(String),
}

impl ApplyError {
    /// The HTTP status code the apiserver answers with.
    pub fn code(&self) -> u16 {
        match self {
            ApplyError::Conflicts(_) => 409,
            ApplyError::BadRequest(_) => 400,
            ApplyError::Invalid(_) => 422,
            ApplyError::ManagedFields(_) => 500,
        }
    }

    /// The `reason` of the Status.
    pub fn reason(&self) -> &'static str {
        match self {
            ApplyError::Conflicts(_) => "Conflict",
            ApplyError::BadRequest(_) => "BadRequest",
            ApplyError::Invalid(_) => "Invalid",
            ApplyError::ManagedFields(_) => "InternalError",
        }
    }

    /// The whole `metav1.Status` body, with a `FieldManagerConflict` cause per conflict.
    pub fn to_status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.to_string(),
            "reason": self.reason(),
            "code": self.code(),
        });
        if let ApplyError::Conflicts(conflicts) = self {
            let causes: Vec<Value> = conflicts
                .iter()
                .map(|c| {
                    json!({
                        "reason": "FieldManagerConflict",
                        "message": format!("conflict with {}", c.manager),
                        "field": c.field(),
                    })
                })
                .collect();
            status["details"] = json!({ "causes": causes });
        }
        status
    }
}

/// Upstream's message: the single form names manager and field on one line; the plural form
/// groups fields under each manager, managers sorted.
fn conflict_message(conflicts: &[Conflict]) -> String {
    if let [only] = conflicts {
        return format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            only.manager,
            only.field()
        );
    }
    let mut managers: Vec<&ManagerId> = conflicts.iter().map(|c| &c.manager).collect();
    managers.sort();
    managers.dedup();
    let mut lines = Vec::new();
    for m in managers {
        lines.push(format!("conflicts with {m}:"));
        for c in conflicts.iter().filter(|c| &c.manager == m) {
            lines.push(format!("- {}", c.field()));
        }
    }
    format!(
        "Apply failed with {} conflicts: {}",
        conflicts.len(),
        lines.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::super::managed::Operation;
    use super::super::path::PathElement;
    use super::*;

    fn conflict(manager: &str, op: Operation, path: &str) -> Conflict {
        let path = path
            .split('.')
            .filter(|s| !s.is_empty())
            .map(PathElement::field)
            .collect();
        Conflict {
            manager: ManagerId::new(manager, op, "v1", ""),
            path,
        }
    }

    #[test]
    fn messages_match_upstream() {
        let one = ApplyError::Conflicts(vec![conflict(
            "kubectl-client-side-apply",
            Operation::Update,
            ".data.key",
        )]);
        assert_eq!(
            one.to_string(),
            r#"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key"#
        );
        let many = ApplyError::Conflicts(vec![
            conflict("zed", Operation::Apply, ".spec.replicas"),
            conflict("kubectl", Operation::Update, ".data.a"),
            conflict("kubectl", Operation::Update, ".data.b"),
        ]);
        assert_eq!(
            many.to_string(),
            "Apply failed with 3 conflicts: conflicts with \"kubectl\" using v1:\n- .data.a\n- .data.b\n\
             conflicts with \"zed\":\n- .spec.replicas"
        );
    }

    #[test]
    fn status_body_has_causes() {
        let err = ApplyError::Conflicts(vec![conflict("helm", Operation::Update, ".spec.x")]);
        let status = err.to_status();
        assert_eq!(status["code"], 409);
        assert_eq!(status["reason"], "Conflict");
        assert_eq!(
            status["details"]["causes"][0]["reason"],
            "FieldManagerConflict"
        );
        assert_eq!(
            status["details"]["causes"][0]["message"],
            r#"conflict with "helm" using v1"#
        );
        assert_eq!(status["details"]["causes"][0]["field"], ".spec.x");
        assert_eq!(ApplyError::BadRequest("x".into()).code(), 400);
    }
}
