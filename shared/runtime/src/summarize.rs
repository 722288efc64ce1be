//! Summarizes a run's conditions into Ready, Reconciling and Stalled with kstatus semantics.
//!
//! Called once at the end of a run with its [`Outcome`]; the rules follow Flux's
//! `runtime/reconcile` (`ResultFinalizer`, `ProgressiveStatus`, `AddPatchOptions`) and the
//! controllers' `finalizeStatus`:
//!
//! | outcome            | Ready                 | Reconciling                      | Stalled  |
//! |--------------------|-----------------------|----------------------------------|----------|
//! | success            | True (reason/message) | removed                          | removed  |
//! | error, Retry       | False (error)         | True, `ProgressingWithRetry` [1] | removed  |
//! | error, Wait        | False (error)         | if present: `ProgressingWithRetry` | removed |
//! | error, Stall       | False (error)         | removed                          | True     |
//! | in progress        | Unknown               | True (reason/message)            | removed  |
//!
//! [1] Flux only renames an existing Reconciling; adding it when missing keeps kstatus from
//! reading a retrying object as Current.
//!
//! `status.observedGeneration` is set to `metadata.generation` only when the result is final,
//! that is when the object ends Ready (Flux `IsReady`) or Stalled (Flux `IsStalled`), exactly
//! the rule of Flux's `AddPatchOptions`; a retry, a wait or work in progress leaves it behind so
//! kstatus keeps reading the object as in progress.

use std::borrow::Cow;
use std::time::Duration;

use fluxion_api::conditions::{
    PROGRESSING_WITH_RETRY_REASON, READY, RECONCILING, STALLED, SUCCEEDED_REASON, status,
};
use fluxion_api::meta::{Condition, FluxStatus, Time};

use crate::conditions::{self as cond};
use crate::error::{Disposition, ReconcileError};
use crate::request;

/// How a reconcile run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The desired state was reached; Ready=True with this reason and message.
    Success {
        reason: Cow<'static, str>,
        message: String,
    },
    /// The run failed (or must wait); Ready=False with the error's reason and message.
    Failed(ReconcileError),
    /// Work continues in a later run (e.g. waiting for a rollout); Ready=Unknown and
    /// Reconciling=True with this reason and message, requeued after `requeue_after`.
    InProgress {
        reason: Cow<'static, str>,
        message: String,
        requeue_after: Duration,
    },
}

impl Outcome {
    /// Success with Flux's generic `Succeeded` reason.
    pub fn success(message: impl Into<String>) -> Self {
        Self::success_with(SUCCEEDED_REASON, message)
    }

    /// Success with a kind-specific reason such as `ReconciliationSucceeded`.
    pub fn success_with(reason: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::Success {
            reason: reason.into(),
            message: message.into(),
        }
    }

    pub fn in_progress(
        reason: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        requeue_after: Duration,
    ) -> Self {
        Self::InProgress {
            reason: reason.into(),
            message: message.into(),
            requeue_after,
        }
    }
}

impl From<ReconcileError> for Outcome {
    fn from(err: ReconcileError) -> Self {
        Self::Failed(err)
    }
}

/// The outcome of a run's steps: what they returned, or the failure of the first that failed
/// (any controller error implementing [`crate::error::FluxError`] converts).
impl<E: Into<ReconcileError>> From<Result<Outcome, E>> for Outcome {
    fn from(result: Result<Outcome, E>) -> Self {
        result.unwrap_or_else(|err| Self::Failed(err.into()))
    }
}

/// Flux's negative-polarity rule (`ResultFinalizer` summarizing Ready over `NegativePolarity`
/// conditions): a run that succeeded while one of `types` is still True (source-controller's
/// `FetchFailed`, `ArtifactOutdated`, ...) did not succeed. It becomes a retried failure with
/// that condition's reason and message; the first True type in `types` wins, so list them by
/// priority. Other outcomes are returned as they are.
//
// The runtime takes Ready from the run's outcome rather than merging conditions as Flux's
// summarize helper does; this is the one case where the merge gives another answer.
pub fn apply_negative_polarity(
    outcome: Outcome,
    conditions: &[Condition],
    types: &[&str],
) -> Outcome {
    if !matches!(outcome, Outcome::Success { .. }) {
        return outcome;
    }
    let lingering = types
        .iter()
        .find_map(|t| cond::get(conditions, t).filter(|c| c.status == status::TRUE));
    match lingering {
        Some(c) => ReconcileError::retry(c.reason.clone(), c.message.clone()).into(),
        None => outcome,
    }
}

/// What the summary decided beyond the conditions themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Whether `status.observedGeneration` must be set to `metadata.generation`.
    pub observe_generation: bool,
}

/// Rewrites Ready, Reconciling and Stalled in `conditions` for the run's outcome.
pub fn summarize(
    conditions: &mut Vec<Condition>,
    outcome: &Outcome,
    generation: i64,
    now: &Time,
) -> Summary {
    match outcome {
        Outcome::Success { reason, message } => {
            cond::delete(conditions, STALLED);
            cond::delete(conditions, RECONCILING);
            cond::mark_true(
                conditions,
                READY,
                reason.as_ref(),
                message.as_str(),
                generation,
                now,
            );
        }
        Outcome::Failed(err) => failed(conditions, err, generation, now),
        Outcome::InProgress {
            reason, message, ..
        } => {
            cond::mark_reconciling(
                conditions,
                reason.as_ref(),
                message.as_str(),
                generation,
                now,
            );
            cond::mark_unknown(
                conditions,
                READY,
                reason.as_ref(),
                message.as_str(),
                generation,
                now,
            );
        }
    }
    Summary {
        observe_generation: cond::is_ready(conditions) || cond::is_stalled(conditions),
    }
}

fn failed(conditions: &mut Vec<Condition>, err: &ReconcileError, generation: i64, now: &Time) {
    cond::mark_false(
        conditions,
        READY,
        err.reason(),
        err.message(),
        generation,
        now,
    );
    match err.disposition() {
        Disposition::Stall => {
            cond::mark_stalled(conditions, err.reason(), err.message(), generation, now);
        }
        Disposition::Retry => {
            cond::delete(conditions, STALLED);
            // A retrying object is still in progress for kstatus, so Reconciling must be
            // there even when the run failed before it marked itself reconciling.
            let message = match cond::get(conditions, RECONCILING) {
                Some(existing) => existing.message.clone(),
                None => err.message().to_owned(),
            };
            let retry = cond::condition(
                RECONCILING,
                status::TRUE,
                PROGRESSING_WITH_RETRY_REASON,
                message,
            );
            cond::set(conditions, retry, generation, now);
        }
        Disposition::Wait(_) => {
            cond::delete(conditions, STALLED);
            // As Flux: waiting is not progress of its own, so only an existing Reconciling
            // (left by a failed run) is marked as retrying.
            if let Some(existing) = cond::get(conditions, RECONCILING) {
                let mut retry = existing.clone();
                retry.reason = PROGRESSING_WITH_RETRY_REASON.to_owned();
                cond::set(conditions, retry, generation, now);
            }
        }
    }
}

/// Flux's `ProgressiveStatus`, for a status written while a run is under way: Reconciling=True
/// with the reason and message, and Ready=Unknown with them when Ready is absent or unknown, or
/// when `drift` says the last Ready no longer holds.
pub fn progressive_status(
    conditions: &mut Vec<Condition>,
    drift: bool,
    reason: &str,
    message: &str,
    generation: i64,
    now: &Time,
) {
    cond::mark_reconciling(conditions, reason, message, generation, now);
    if drift || cond::is_unknown(conditions, READY) {
        cond::mark_unknown(conditions, READY, reason, message, generation, now);
    }
}

/// Finalizes a status at the end of a run: the summary of [`summarize`], observedGeneration
/// when the result is final, and lastHandledReconcileAt from the request annotation (set
/// whatever the outcome, as Flux does).
pub fn finalize_status<S: FluxStatus>(
    status: &mut S,
    outcome: &Outcome,
    generation: i64,
    requested_at: Option<&str>,
    now: &Time,
) -> Summary {
    let summary = summarize(status.conditions_mut(), outcome, generation, now);
    if summary.observe_generation {
        status.set_observed_generation(generation);
    }
    request::record_handled(status, requested_at);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluxion_api::conditions::{
        ARTIFACT_FAILED_REASON, DEPENDENCY_NOT_READY_REASON, PROGRESSING_REASON,
        RECONCILIATION_SUCCEEDED_REASON,
    };
    use k8s_openapi::jiff::Timestamp;

    fn at(secs: i64) -> Time {
        Time(Timestamp::from_second(secs).expect("valid"))
    }

    /// (type, status, reason) triples, sorted as set() sorts them.
    type Row = (&'static str, &'static str, &'static str);

    fn build(rows: &[Row]) -> Vec<Condition> {
        let mut c = Vec::new();
        for (t, s, r) in rows {
            cond::set(&mut c, cond::condition(t, s, *r, "before"), 1, &at(1));
        }
        c
    }

    fn rows(c: &[Condition]) -> Vec<(String, String, String)> {
        c.iter()
            .map(|c| (c.type_.clone(), c.status.clone(), c.reason.clone()))
            .collect()
    }

    fn own(rows: &[Row]) -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(t, s, r)| (t.to_string(), s.to_string(), r.to_string()))
            .collect()
    }

    const RECONCILING_PROGRESS: Row = (RECONCILING, status::TRUE, PROGRESSING_REASON);
    const RECONCILING_RETRY: Row = (RECONCILING, status::TRUE, PROGRESSING_WITH_RETRY_REASON);
    const STALLED_OLD: Row = (STALLED, status::TRUE, "InvalidPath");
    const READY_OK: Row = (READY, status::TRUE, SUCCEEDED_REASON);

    #[test]
    fn table() {
        let wait =
            ReconcileError::wait(DEPENDENCY_NOT_READY_REASON, "dep", Duration::from_secs(30));
        // (name, before, outcome, after, observe_generation)
        type Case = (&'static str, Vec<Row>, Outcome, Vec<Row>, bool);
        let cases: Vec<Case> = vec![
            (
                "success from scratch",
                vec![],
                Outcome::success("ok"),
                vec![READY_OK],
                true,
            ),
            (
                "success clears reconciling and stalled",
                vec![
                    STALLED_OLD,
                    RECONCILING_PROGRESS,
                    (READY, status::FALSE, "Failed"),
                ],
                Outcome::success_with(RECONCILIATION_SUCCEEDED_REASON, "Applied revision: x"),
                vec![(READY, status::TRUE, RECONCILIATION_SUCCEEDED_REASON)],
                true,
            ),
            (
                "retry keeps reconciling with retry reason",
                vec![RECONCILING_PROGRESS, READY_OK],
                ReconcileError::retry(ARTIFACT_FAILED_REASON, "fetch").into(),
                vec![
                    RECONCILING_RETRY,
                    (READY, status::FALSE, ARTIFACT_FAILED_REASON),
                ],
                false,
            ),
            (
                "retry adds reconciling and clears stalled",
                vec![STALLED_OLD],
                ReconcileError::retry(ARTIFACT_FAILED_REASON, "fetch").into(),
                vec![
                    RECONCILING_RETRY,
                    (READY, status::FALSE, ARTIFACT_FAILED_REASON),
                ],
                false,
            ),
            (
                "wait without reconciling leaves it out",
                vec![READY_OK, STALLED_OLD],
                wait.clone().into(),
                vec![(READY, status::FALSE, DEPENDENCY_NOT_READY_REASON)],
                false,
            ),
            (
                "wait marks an existing reconciling as retrying",
                vec![RECONCILING_PROGRESS],
                wait.into(),
                vec![
                    RECONCILING_RETRY,
                    (READY, status::FALSE, DEPENDENCY_NOT_READY_REASON),
                ],
                false,
            ),
            (
                "stall is final",
                vec![RECONCILING_PROGRESS, READY_OK],
                ReconcileError::stall("InvalidPath", "bad").into(),
                vec![STALLED_OLD, (READY, status::FALSE, "InvalidPath")],
                true,
            ),
            (
                "in progress is Ready=Unknown with Reconciling",
                vec![STALLED_OLD, READY_OK],
                Outcome::in_progress(PROGRESSING_REASON, "rolling out", Duration::ZERO),
                vec![
                    RECONCILING_PROGRESS,
                    (READY, status::UNKNOWN, PROGRESSING_REASON),
                ],
                false,
            ),
        ];
        for (name, before, outcome, after, observe) in cases {
            let mut c = build(&before);
            let summary = summarize(&mut c, &outcome, 2, &at(50));
            assert_eq!(rows(&c), own(&after), "{name}");
            assert_eq!(summary.observe_generation, observe, "{name}");
            assert!(c.iter().all(|c| c.observed_generation == Some(2)), "{name}");
        }
    }

    #[test]
    fn step_results_become_outcomes() {
        #[derive(Debug, thiserror::Error)]
        #[error("bad path")]
        struct BadPath;
        impl crate::error::FluxError for BadPath {
            fn reason(&self) -> Cow<'static, str> {
                "InvalidPath".into()
            }
            fn disposition(&self) -> Disposition {
                Disposition::Stall
            }
        }
        let ok: Result<Outcome, BadPath> = Ok(Outcome::success("done"));
        assert_eq!(Outcome::from(ok), Outcome::success("done"));
        let failed = Outcome::from(Err::<Outcome, _>(BadPath));
        assert_eq!(
            failed,
            Outcome::Failed(ReconcileError::stall("InvalidPath", "bad path"))
        );
    }

    #[test]
    fn messages_come_from_the_outcome_and_reconciling_keeps_its_own() {
        let mut c = build(&[RECONCILING_PROGRESS]);
        let err = ReconcileError::retry(ARTIFACT_FAILED_REASON, "fetch failed");
        summarize(&mut c, &err.into(), 1, &at(9));
        assert_eq!(cond::message(&c, READY), "fetch failed");
        assert_eq!(cond::message(&c, RECONCILING), "before");
        assert_eq!(
            cond::get(&c, RECONCILING).expect("r").last_transition_time,
            at(9)
        );
    }

    #[test]
    fn repeated_success_keeps_transition_time() {
        let mut c = Vec::new();
        summarize(&mut c, &Outcome::success("ok"), 1, &at(10));
        summarize(&mut c, &Outcome::success("ok"), 1, &at(20));
        assert_eq!(
            cond::get(&c, READY).expect("ready").last_transition_time,
            at(10)
        );
    }

    #[test]
    fn progressive_status_keeps_known_ready_without_drift() {
        let cases: [(Vec<Row>, bool, &str); 4] = [
            (vec![READY_OK], false, status::TRUE),
            (vec![READY_OK], true, status::UNKNOWN),
            (vec![], false, status::UNKNOWN),
            (
                vec![(READY, status::FALSE, "Failed"), STALLED_OLD],
                false,
                status::FALSE,
            ),
        ];
        for (before, drift, ready) in cases {
            let mut c = build(&before);
            progressive_status(&mut c, drift, PROGRESSING_REASON, "working", 1, &at(2));
            assert!(cond::is_reconciling(&c) && !cond::has(&c, STALLED));
            assert_eq!(cond::get(&c, READY).expect("ready").status, ready);
        }
    }

    #[test]
    fn lingering_negative_polarity_conditions_fail_a_success() {
        const FETCH_FAILED: &str = "FetchFailed";
        const OUTDATED: &str = "ArtifactOutdated";
        let types = [FETCH_FAILED, OUTDATED];
        let c = build(&[
            (OUTDATED, status::TRUE, "NewRevision"),
            (FETCH_FAILED, status::TRUE, "GitOperationFailed"),
        ]);
        let got = apply_negative_polarity(Outcome::success("ok"), &c, &types);
        let Outcome::Failed(err) = got else {
            panic!("a lingering FetchFailed is a failure: {got:?}");
        };
        assert_eq!(err.reason(), "GitOperationFailed", "first type listed wins");
        assert_eq!(err.message(), "before");
        assert_eq!(err.disposition(), Disposition::Retry);

        let cleared = build(&[(FETCH_FAILED, status::FALSE, "x"), READY_OK]);
        let ok = Outcome::success("ok");
        assert_eq!(apply_negative_polarity(ok.clone(), &cleared, &types), ok);
        let stall: Outcome = ReconcileError::stall("InvalidURL", "bad").into();
        assert_eq!(apply_negative_polarity(stall.clone(), &c, &types), stall);
    }

    #[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
    struct DemoStatus {
        conditions: Vec<Condition>,
        observed_generation: Option<i64>,
        last_handled_reconcile_at: Option<String>,
    }
    fluxion_api::impl_flux_status!(DemoStatus);

    #[test]
    fn finalize_status_sets_generation_only_when_final() {
        let cases = [
            (Outcome::success("ok"), Some(7)),
            (ReconcileError::stall("InvalidPath", "bad").into(), Some(7)),
            (ReconcileError::retry("Failed", "x").into(), Some(3)),
            (
                Outcome::in_progress(PROGRESSING_REASON, "x", Duration::ZERO),
                Some(3),
            ),
        ];
        for (outcome, generation) in cases {
            let mut s = DemoStatus {
                observed_generation: Some(3),
                ..Default::default()
            };
            finalize_status(&mut s, &outcome, 7, Some("2024-01-01T00:00:00Z"), &at(1));
            assert_eq!(s.observed_generation, generation, "{outcome:?}");
            assert_eq!(
                s.last_handled_reconcile_at.as_deref(),
                Some("2024-01-01T00:00:00Z")
            );
        }
    }
}
