//! Whether an event for a Kustomization is a reason to run, as Flux's predicates decide
//! (generation, annotations such as requestedAt, finalizers or deletion changed; a scheduled
//! requeue is due; or a watched source or config changed). Without this, the status the
//! run itself writes (history timestamps) would start the next run at once.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

use fluxion_api::kustomize::Kustomization;

/// What the last run of an object left behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Memo {
    /// [`trigger_hash`] of the object the run saw.
    pub hash: u64,
    /// When the next run is due; `None` for never (stalled).
    pub due: Option<Instant>,
}

/// The fields whose change starts a run.
pub fn trigger_hash(ks: &Kustomization) -> u64 {
    let mut h = DefaultHasher::new();
    ks.metadata.generation.hash(&mut h);
    ks.metadata.annotations.hash(&mut h);
    ks.metadata.finalizers.hash(&mut h);
    ks.metadata.deletion_timestamp.is_some().hash(&mut h);
    ks.metadata.uid.hash(&mut h);
    h.finish()
}

/// Run now, or wait this long (`None`: until something changes).
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Run,
    Skip(Option<Duration>),
}

/// Decides for an event: run unless the object is as the last run saw it, nothing forced a
/// run, and the requeue is not yet due.
pub fn decide(last: Option<&Memo>, hash: u64, forced: bool, now: Instant) -> Decision {
    match last {
        Some(memo) if memo.hash == hash && !forced => match memo.due {
            Some(due) if due <= now => Decision::Run,
            Some(due) => Decision::Skip(Some(due - now)),
            None => Decision::Skip(None),
        },
        _ => Decision::Run,
    }
}
