//! Summarizes a run's conditions into Ready, Reconciling and Stalled with kstatus semantics.
//!
//! Called once at the end of a run with its [`Outcome`]; the rules follow Flux's
//! `runtime/reconcile` (`ResultFinalizer`, `ProgressiveStatus`, `AddPatchOptions`) and the
//! controllers' `finalizeStatus`:
//!
//! | outcome            | Ready                 | Reconciling                      | Stalled  |
//! |--------------------|-----------------------|----------------------------------|----------|
//! | success            | True (reason/message) | removed                          | removed  |
//! | error, Retry       | False (error)         | True, `ProgressingWithRetry` (1) | removed  |
//! | error, Wait        | False (error)         | if present: `ProgressingWithRetry` | removed |
//! | error, Stall       | False (error)         | removed                          | True     |
//! | in progress        | Unknown               | True (reason/message)            | removed  |
//!
//! (1) Flux only renames an existing Reconciling; adding it when missing keeps kstatus from
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
mod tests;
