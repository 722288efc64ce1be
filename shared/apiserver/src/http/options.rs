//! Query options of writes validated as upstream's `ValidateCreateOptions`,
//! `ValidateUpdateOptions`, `ValidatePatchOptions` and `ValidateDeleteOptions` do: a 422 on
//! `CreateOptions.meta.k8s.io` (and so on) listing every bad parameter.

use axum::http::HeaderMap;

use super::body::Query;
use crate::api::WriteOptions;
use crate::error::{ApiError, FieldError, render_value};

/// Which verb's options these are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verb {
    Create,
    Update,
    /// A patch; `true` for server-side apply.
    Patch(bool),
}

impl Verb {
    fn kind(self) -> &'static str {
        match self {
            Verb::Create => "CreateOptions",
            Verb::Update => "UpdateOptions",
            Verb::Patch(_) => "PatchOptions",
        }
    }
}

fn not_supported(field: &str, shown: String, allowed: &[&str]) -> FieldError {
    let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
    FieldError {
        reason: "FieldValueNotSupported",
        field: field.into(),
        message: format!(
            "Unsupported value: {shown}: supported values: {}",
            list.join(", ")
        ),
    }
}

/// `dryRun`: only `All`; the value shows as the `[]string` it decodes to.
fn dry_run(q: &Query, errs: &mut Vec<FieldError>) -> bool {
    match q.get("dryRun").map(String::as_str) {
        None => false,
        Some("All") => true,
        Some(other) => {
            let shown = format!("[]string{{{}}}", crate::fieldmanager::go_quote(other));
            errs.push(not_supported("dryRun", shown, &["All"]));
            false
        }
    }
}

/// `fieldManager`: at most 128 bytes, printable characters only.
fn field_manager(manager: &str, errs: &mut Vec<FieldError>) {
    if manager.len() > crate::fieldmanager::FIELD_MANAGER_MAX_LENGTH {
        errs.push(FieldError::too_long(
            "fieldManager",
            crate::fieldmanager::FIELD_MANAGER_MAX_LENGTH as u64,
        ));
    }
    for (i, c) in manager.char_indices() {
        if c.is_control() {
            errs.push(FieldError::invalid(
                "fieldManager",
                &serde_json::json!(manager),
                &format!("invalid character U+{:04X} (at position {i})", c as u32),
            ));
        }
    }
}

fn invalid(kind: &str, errs: Vec<FieldError>) -> Result<(), ApiError> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("meta.k8s.io", kind, "", errs))
    }
}

/// The options of a create, update or patch, validated.
pub fn write_options(q: &Query, headers: &HeaderMap, verb: Verb) -> Result<WriteOptions, ApiError> {
    let mut errs = Vec::new();
    let manager = q.get("fieldManager").cloned().unwrap_or_default();
    match verb {
        Verb::Patch(true) if manager.is_empty() => errs.push(FieldError::required(
            "fieldManager",
            "is required for apply patch",
        )),
        Verb::Patch(false) if q.contains_key("force") => errs.push(FieldError::forbidden(
            "force",
            "may not be specified for non-apply patch",
        )),
        _ => {}
    }
    field_manager(&manager, &mut errs);
    let dry_run = dry_run(q, &mut errs);
    let validation = q.get("fieldValidation").cloned();
    if let Some(v) = validation.as_deref()
        && !matches!(v, "Strict" | "Warn" | "Ignore" | "")
    {
        let shown = render_value(&serde_json::json!(v));
        errs.push(not_supported(
            "fieldValidation",
            shown,
            &["", "Ignore", "Strict", "Warn"],
        ));
    }
    invalid(verb.kind(), errs)?;
    Ok(WriteOptions {
        dry_run,
        field_manager: (!manager.is_empty()).then_some(manager),
        field_validation: validation,
        user_agent: headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        applied: false,
        strict_errors: Vec::new(),
    })
}

/// The checks of DeleteOptions: `propagationPolicy` and `dryRun` (from the query or body).
pub fn check_delete(
    q: &Query,
    policy: Option<&str>,
    body_dry_run: &[String],
) -> Result<bool, ApiError> {
    let mut errs = Vec::new();
    if let Some(p) = policy
        && !matches!(p, "Foreground" | "Background" | "Orphan")
    {
        errs.push(not_supported(
            "propagationPolicy",
            render_value(&serde_json::json!(p)),
            &["Foreground", "Background", "Orphan", "nil"],
        ));
    }
    let mut dry = dry_run(q, &mut errs);
    for d in body_dry_run {
        if d == "All" {
            dry = true;
        } else {
            let shown = format!("[]string{{{}}}", crate::fieldmanager::go_quote(d));
            errs.push(not_supported("dryRun", shown, &["All"]));
        }
    }
    invalid("DeleteOptions", errs)?;
    Ok(dry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Query {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn message(r: Result<WriteOptions, ApiError>) -> String {
        r.err().map(|e| e.message).unwrap_or_default()
    }

    #[test]
    fn invalid_options_are_422_on_the_options_kind() {
        let h = HeaderMap::new();
        assert_eq!(
            message(write_options(
                &q(&[("fieldValidation", "Foo")]),
                &h,
                Verb::Create
            )),
            r#"CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Foo": supported values: "", "Ignore", "Strict", "Warn""#
        );
        assert_eq!(
            message(write_options(&q(&[("dryRun", "x")]), &h, Verb::Update)),
            r#"UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"x"}: supported values: "All""#
        );
        assert_eq!(
            message(write_options(&q(&[]), &h, Verb::Patch(true))),
            r#"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#
        );
        assert_eq!(
            message(write_options(
                &q(&[("force", "false")]),
                &h,
                Verb::Patch(false)
            )),
            r#"PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch"#
        );
        let ok = write_options(
            &q(&[("dryRun", "All"), ("fieldManager", "m")]),
            &h,
            Verb::Patch(true),
        )
        .expect("valid");
        assert!(ok.dry_run);
        let e = check_delete(&q(&[]), Some("Sideways"), &[])
            .err()
            .map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some(
                r#"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil""#
            )
        );
    }
}
