//! Reconcile requests and suspend: reconcile.fluxcd.io/requestedAt handling.
//!
//! `flux reconcile` writes a new value (a timestamp) to the `reconcile.fluxcd.io/requestedAt`
//! annotation; the change wakes the controller, and the run copies the value to
//! `status.lastHandledReconcileAt`, which the CLI waits for. `spec.suspend` stops runs before
//! anything is written, so a suspended object sees no status churn.

use std::collections::BTreeMap;

use fluxion_api::meta::{FluxObject, FluxStatus, RECONCILE_REQUEST_ANNOTATION};

/// The value of the request annotation, when present (Flux `ReconcileAnnotationValue`).
pub fn requested_at(annotations: Option<&BTreeMap<String, String>>) -> Option<&str> {
    annotations?
        .get(RECONCILE_REQUEST_ANNOTATION)
        .map(String::as_str)
}

/// A request is pending when the annotation holds a value the status has not handled yet.
pub fn is_pending(requested: Option<&str>, last_handled: Option<&str>) -> bool {
    requested.is_some_and(|r| Some(r) != last_handled)
}

/// The request value of an object, if one is pending.
pub fn pending_request<K: FluxObject>(obj: &K) -> Option<&str> {
    let requested = requested_at(obj.meta().annotations.as_ref());
    let handled = obj
        .flux_status()
        .and_then(FluxStatus::last_handled_reconcile_at);
    requested.filter(|_| is_pending(requested, handled))
}

/// Records the request value as handled; a missing annotation leaves the status alone, as in
/// Flux, so the last handled value survives the annotation being removed.
pub fn record_handled<S: FluxStatus>(status: &mut S, requested: Option<&str>) {
    if let Some(value) = requested
        && status.last_handled_reconcile_at() != Some(value)
    {
        status.set_last_handled_reconcile_at(Some(value.to_owned()));
    }
}

/// What a run does with an object, decided before any work (Flux's order: deletion first, then
/// the finalizer, then suspend).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunAction {
    /// Being deleted and ours to clean up: run the cleanup, then remove the finalizer
    /// (a suspended object only gets its finalizer removed, its cleanup is the caller's call).
    Finalize { suspended: bool },
    /// Being deleted without our finalizer: nothing to do.
    Ignore,
    /// `spec.suspend` is set: skip the run, write nothing, do not requeue.
    Suspended,
    /// Reconcile, adding the finalizer first when it is missing.
    Reconcile { add_finalizer: bool },
}

/// Decides the run from deletion, finalizer presence and `spec.suspend`.
pub fn decide(deleting: bool, has_finalizer: bool, suspended: bool) -> RunAction {
    match (deleting, has_finalizer, suspended) {
        (true, true, suspended) => RunAction::Finalize { suspended },
        (true, false, _) => RunAction::Ignore,
        (false, _, true) => RunAction::Suspended,
        (false, has, false) => RunAction::Reconcile {
            add_finalizer: !has,
        },
    }
}

/// [`decide`] for an object.
pub fn decide_for<K: FluxObject>(obj: &K) -> RunAction {
    decide(
        obj.meta().deletion_timestamp.is_some(),
        crate::finalizer::has_finalizer(obj),
        obj.suspended(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_the_annotation() {
        let a = annotations(&[(RECONCILE_REQUEST_ANNOTATION, "t1"), ("other", "x")]);
        assert_eq!(requested_at(Some(&a)), Some("t1"));
        assert_eq!(requested_at(Some(&annotations(&[("other", "x")]))), None);
        assert_eq!(requested_at(None), None);
    }

    #[test]
    fn pending_table() {
        let cases = [
            (None, None, false),
            (None, Some("t1"), false),
            (Some("t1"), None, true),
            (Some("t1"), Some("t1"), false),
            (Some("t2"), Some("t1"), true),
            (Some(""), None, true),
        ];
        for (requested, handled, pending) in cases {
            assert_eq!(
                is_pending(requested, handled),
                pending,
                "{requested:?} {handled:?}"
            );
        }
    }

    #[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
    struct DemoStatus {
        conditions: Vec<fluxion_api::meta::Condition>,
        observed_generation: Option<i64>,
        last_handled_reconcile_at: Option<String>,
    }
    fluxion_api::impl_flux_status!(DemoStatus);

    #[test]
    fn record_handled_copies_only_present_values() {
        let mut s = DemoStatus::default();
        record_handled(&mut s, Some("t1"));
        assert_eq!(s.last_handled_reconcile_at.as_deref(), Some("t1"));
        record_handled(&mut s, None);
        assert_eq!(s.last_handled_reconcile_at.as_deref(), Some("t1"));
        record_handled(&mut s, Some("t2"));
        assert_eq!(s.last_handled_reconcile_at.as_deref(), Some("t2"));
    }

    #[test]
    fn decide_table() {
        use RunAction::*;
        let cases = [
            ((true, true, false), Finalize { suspended: false }),
            ((true, true, true), Finalize { suspended: true }),
            ((true, false, false), Ignore),
            ((true, false, true), Ignore),
            ((false, true, true), Suspended),
            ((false, false, true), Suspended),
            (
                (false, true, false),
                Reconcile {
                    add_finalizer: false,
                },
            ),
            (
                (false, false, false),
                Reconcile {
                    add_finalizer: true,
                },
            ),
        ];
        for ((deleting, has, suspended), action) in cases {
            assert_eq!(
                decide(deleting, has, suspended),
                action,
                "{deleting} {has} {suspended}"
            );
        }
    }

    #[test]
    fn object_level_helpers() {
        use crate::status::test_object::{DemoStatus, demo};
        use fluxion_api::meta::FINALIZER;
        let mut obj = demo(&[(RECONCILE_REQUEST_ANNOTATION, "t2")], &[FINALIZER]);
        assert_eq!(pending_request(&obj), Some("t2"));
        obj.status = Some(DemoStatus {
            last_handled_reconcile_at: Some("t2".into()),
            ..Default::default()
        });
        assert_eq!(pending_request(&obj), None);
        assert_eq!(
            decide_for(&obj),
            RunAction::Reconcile {
                add_finalizer: false
            }
        );
        obj.suspend = true;
        assert_eq!(decide_for(&obj), RunAction::Suspended);
        obj.metadata.deletion_timestamp = Some(crate::conditions::now());
        assert_eq!(decide_for(&obj), RunAction::Finalize { suspended: true });
        assert_eq!(
            decide_for(&demo(&[], &[])),
            RunAction::Reconcile {
                add_finalizer: true
            }
        );
    }
}
