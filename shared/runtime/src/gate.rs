//! The entry gate of every reconcile, written once for all controllers: deletion (finalize or
//! ignore), then the finalizer, then `spec.suspend`, and only then the kind's own steps.
//!
//! Flux's reconcilers all open the same way (`reconcileDelete` when the deletion timestamp is
//! set, `AddFinalizer` then return, the suspend check); here [`plan`] decides that from the
//! object as a value and [`enter`] performs it, handing over to the kind's finalize or
//! reconcile future. Those futures are only polled when chosen, so building both is free.

use std::fmt::Debug;
use std::future::Future;
use std::hash::Hash;
use std::time::{Duration, Instant};

use fluxion_api::meta::FluxObject;
use kube::api::Api;
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use serde::de::DeserializeOwned;

use crate::backoff::Requeuer;
use crate::error::PatchError;
use crate::finalizer;
use crate::metrics::{ObjectLabels, ReconcileMetrics, ReconcileResult};
use crate::request::{RunAction, decide_for};

/// What the gate does before (or instead of) the kind's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing of ours to do (being deleted without our finalizer): wait for a change.
    Stop,
    /// Being deleted with our finalizer: run the kind's cleanup.
    Finalize,
    /// `spec.suspend`: log it, write nothing, wait for a change.
    Suspend,
    /// Add the finalizer and stop: the write's own watch event starts the real run, which then
    /// sees the object as it is now rather than a cached copy from before (as Flux).
    AddFinalizer,
    /// Run the kind's steps.
    Proceed,
}

/// The gate's decision: the step, and the `gotk_suspend_status` value to record, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub step: Step,
    pub suspend_metric: Option<bool>,
}

/// Maps the run decision to the gate's step. Deleted objects leave the suspend metric alone:
/// their series goes with the object.
pub fn plan(action: RunAction) -> Entry {
    let (step, suspend_metric) = match action {
        RunAction::Ignore => (Step::Stop, None),
        RunAction::Finalize { .. } => (Step::Finalize, None),
        RunAction::Suspended => (Step::Suspend, Some(true)),
        RunAction::Reconcile {
            add_finalizer: true,
        } => (Step::AddFinalizer, Some(false)),
        RunAction::Reconcile {
            add_finalizer: false,
        } => (Step::Proceed, Some(false)),
    };
    Entry {
        step,
        suspend_metric,
    }
}

/// Runs the gate for `obj`: `finalize` on deletion, `reconcile` when the object is to be
/// reconciled, the finalizer write or nothing otherwise.
pub async fn enter<K, E>(
    api: &Api<K>,
    metrics: &ReconcileMetrics,
    obj: &K,
    finalize: impl Future<Output = Result<Action, E>>,
    reconcile: impl Future<Output = Result<Action, E>>,
) -> Result<Action, E>
where
    K: FluxObject + DeserializeOwned + Debug,
    E: From<PatchError>,
{
    let entry = plan(decide_for(obj));
    if let Some(suspended) = entry.suspend_metric {
        metrics.record_suspend(&ObjectLabels::of(obj), suspended);
    }
    match entry.step {
        Step::Stop => Ok(Action::await_change()),
        Step::Finalize => finalize.await,
        Step::Suspend => {
            let meta = obj.meta();
            tracing::info!(name = ?meta.name, namespace = ?meta.namespace,
                "reconciliation is suspended for this object");
            Ok(Action::await_change())
        }
        Step::AddFinalizer => {
            finalizer::add_finalizer(api, obj).await?;
            Ok(Action::requeue(Duration::ZERO))
        }
        Step::Proceed => reconcile.await,
    }
}

/// The end of every finalize: our finalizer removed (an object already gone counts as
/// done), its backoff forgotten, the run recorded as a success; then wait for nothing more.
pub async fn release<K>(
    api: &Api<K>,
    obj: &K,
    requeuer: &Requeuer<ObjectRef<K>>,
    metrics: &ReconcileMetrics,
    controller: &str,
    started: Instant,
) -> Result<Action, PatchError>
where
    K: FluxObject + DeserializeOwned + Debug,
    ObjectRef<K>: Hash + Eq,
{
    match finalizer::remove_finalizer(api, obj).await {
        Err(e) if !e.is_not_found() => return Err(e),
        _ => {}
    }
    requeuer.forget(&ObjectRef::from_obj(obj));
    metrics.record_reconcile(controller, obj, ReconcileResult::Success, started.elapsed());
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_table() {
        let cases = [
            (RunAction::Ignore, Step::Stop, None),
            (
                RunAction::Finalize { suspended: false },
                Step::Finalize,
                None,
            ),
            (
                RunAction::Finalize { suspended: true },
                Step::Finalize,
                None,
            ),
            (RunAction::Suspended, Step::Suspend, Some(true)),
            (
                RunAction::Reconcile {
                    add_finalizer: true,
                },
                Step::AddFinalizer,
                Some(false),
            ),
            (
                RunAction::Reconcile {
                    add_finalizer: false,
                },
                Step::Proceed,
                Some(false),
            ),
        ];
        for (action, step, suspend_metric) in cases {
            assert_eq!(
                plan(action),
                Entry {
                    step,
                    suspend_metric
                },
                "{action:?}"
            );
        }
    }

    #[test]
    fn plan_follows_the_object() {
        use crate::status::test_object::demo;
        use fluxion_api::meta::FINALIZER;
        let mut obj = demo(&[], &[]);
        assert_eq!(plan(decide_for(&obj)).step, Step::AddFinalizer);
        obj.metadata.finalizers = Some(vec![FINALIZER.to_string()]);
        assert_eq!(plan(decide_for(&obj)).step, Step::Proceed);
        obj.suspend = true;
        assert_eq!(plan(decide_for(&obj)).step, Step::Suspend);
        obj.metadata.deletion_timestamp = Some(crate::conditions::now());
        assert_eq!(plan(decide_for(&obj)).step, Step::Finalize);
        obj.metadata.finalizers = None;
        assert_eq!(plan(decide_for(&obj)).step, Step::Stop);
    }
}
