//! Schema pieces that schemars cannot derive on its own: int-or-string, Go int,
//! preserve-unknown-fields, and the Go duration and timeout patterns, used through
//! `#[schemars(schema_with = ...)]` on fields.

use schemars::{Schema, SchemaGenerator, json_schema};

/// `x-kubernetes-int-or-string`, as on `intstr.IntOrString` fields.
pub fn int_or_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] })
}

/// Arbitrary JSON kept as is (`apiextensionsv1.JSON` with preserve-unknown-fields), e.g. HelmRelease values.
pub fn preserve_unknown_object(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true })
}

/// Any JSON value kept as is (`apiextensionsv1.JSON` of any type).
pub fn preserve_unknown_any(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "x-kubernetes-preserve-unknown-fields": true })
}

/// A required `metav1.Duration` string with Flux's pattern.
pub fn duration(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": crate::duration::DURATION_PATTERN })
}

/// An optional `metav1.Duration` string with Flux's pattern.
pub fn optional_duration(generator: &mut SchemaGenerator) -> Schema {
    duration(generator)
}

/// An optional timeout `metav1.Duration` string, whose pattern Flux limits to ms, s and m units.
pub fn timeout(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": crate::duration::TIMEOUT_PATTERN })
}

/// A Go `int`: `type: integer` without a format, as controller-gen renders it.
pub fn go_int(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer" })
}

/// A `metav1.Time` as the API server stores it (RFC 3339).
pub fn date_time(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "format": "date-time" })
}

/// `[]metav1.Condition` with the validation the real type carries (the derived schema of
/// k8s-openapi's `Condition` has none).
pub fn conditions(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "description": "Conditions holds the conditions for the object.",
        "items": {
            "type": "object",
            "description": "Condition contains details for one aspect of the current state of this API Resource.",
            "required": ["lastTransitionTime", "message", "reason", "status", "type"],
            "properties": {
                "lastTransitionTime": {
                    "type": "string", "format": "date-time",
                    "description": "lastTransitionTime is the last time the condition transitioned from one status to another."
                },
                "message": {
                    "type": "string", "maxLength": 32768,
                    "description": "message is a human readable message indicating details about the transition."
                },
                "observedGeneration": {
                    "type": "integer", "format": "int64", "minimum": 0,
                    "description": "observedGeneration represents the .metadata.generation that the condition was set based upon."
                },
                "reason": {
                    "type": "string", "maxLength": 1024, "minLength": 1,
                    "pattern": "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                    "description": "reason contains a programmatic identifier indicating the reason for the condition's last transition."
                },
                "status": {
                    "type": "string", "enum": ["True", "False", "Unknown"],
                    "description": "status of the condition, one of True, False, Unknown."
                },
                "type": {
                    "type": "string", "maxLength": 316,
                    "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                    "description": "type of condition in CamelCase or in foo.example.com/CamelCase."
                }
            }
        }
    })
}
