//! Leader election with a coordination.k8s.io/v1 Lease.
//!
//! Same protocol as client-go's `leaderelection` package behind controller-runtime: a candidate
//! takes a Lease that does not exist, was released (empty holder), or whose holder has not
//! renewed it for `leaseDurationSeconds` as measured on the candidate's own clock since it last
//! saw the record change; the leader renews every retry period and steps down if it cannot
//! renew within the renew deadline. Every write is an update guarded by resourceVersion.
//! `decide` is the pure decision; [`LeaderElector`] is the loop around it.

mod elector;

use std::time::Duration;

use k8s_openapi::api::coordination::v1::LeaseSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

pub use elector::LeaderElector;

/// client-go's jitter factor for the retry period of candidates.
pub(crate) const JITTER_FACTOR: f64 = 1.2;

/// The three timings of an election, with Flux's defaults (35s, 30s, 5s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElectionTiming {
    /// How long a candidate waits, from its last sight of a change, before taking the Lease over.
    pub lease_duration: Duration,
    /// How long the leader keeps trying to renew before it gives up leadership.
    pub renew_deadline: Duration,
    /// The wait between two attempts.
    pub retry_period: Duration,
}

impl Default for ElectionTiming {
    fn default() -> Self {
        Self {
            lease_duration: Duration::from_secs(35),
            renew_deadline: Duration::from_secs(30),
            retry_period: Duration::from_secs(5),
        }
    }
}

/// The leader election settings from the flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeaderElectionConfig {
    pub enabled: bool,
    /// Release the Lease on shutdown, so the next leader need not wait for it to expire.
    pub release_on_cancel: bool,
    pub timing: ElectionTiming,
}

/// Errors of the election.
#[derive(Debug, thiserror::Error)]
pub enum LeaderError {
    #[error("leaseDuration must be greater than renewDeadline")]
    LeaseNotLongerThanDeadline,
    #[error("renewDeadline must be greater than retryPeriod*JitterFactor")]
    DeadlineTooShort,
    #[error("retryPeriod must be greater than zero")]
    ZeroRetryPeriod,
    #[error("leaseDuration must be at least one second")]
    LeaseTooShort,
    #[error("leader election lost: the Lease was not renewed within the renew deadline")]
    Lost,
    #[error("Lease request failed: {0}")]
    Kube(#[from] kube::Error),
}

impl ElectionTiming {
    /// The checks client-go makes before it runs an election.
    pub fn validate(&self) -> Result<(), LeaderError> {
        if self.lease_duration <= self.renew_deadline {
            return Err(LeaderError::LeaseNotLongerThanDeadline);
        }
        if self.renew_deadline.as_secs_f64() <= JITTER_FACTOR * self.retry_period.as_secs_f64() {
            return Err(LeaderError::DeadlineTooShort);
        }
        if self.retry_period.is_zero() {
            return Err(LeaderError::ZeroRetryPeriod);
        }
        if self.lease_duration < Duration::from_secs(1) {
            return Err(LeaderError::LeaseTooShort);
        }
        Ok(())
    }

    fn lease_seconds(&self) -> i32 {
        i32::try_from(self.lease_duration.as_secs()).unwrap_or(i32::MAX)
    }
}

/// The Lease name of a controller: `<controller>-leader-election`, suffixed as Flux's
/// `leaderelection.GenerateID` does with a short hash of the watch label selector when set,
/// so that shards elect separately.
pub fn election_id(controller: &str, label_selector: Option<&str>) -> String {
    let base = format!("{controller}-leader-election");
    match label_selector.filter(|s| !s.is_empty()) {
        Some(selector) => {
            let digest = hex::encode(Sha256::digest(selector.as_bytes()));
            format!("{base}-{}", &digest[..8])
        }
        None => base,
    }
}

/// A candidate identity as controller-runtime makes it: `<hostname>_<uuid>`.
pub fn new_identity(hostname: &str) -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex::encode(bytes);
    format!(
        "{hostname}_{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// The Lease record as last seen, and when it was first seen in that state (local clock).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Observation {
    pub spec: LeaseSpec,
    pub observed_at: Timestamp,
}

/// Records a fresh read of the Lease: the observation time moves only when the record changed.
pub(crate) fn observe(
    previous: Option<Observation>,
    current: LeaseSpec,
    now: Timestamp,
) -> Observation {
    match previous {
        Some(prev) if prev.spec == current => prev,
        _ => Observation {
            spec: current,
            observed_at: now,
        },
    }
}

/// What to do with the Lease on this attempt.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    /// No Lease exists: create it with this spec.
    Create(LeaseSpec),
    /// Take the Lease over (released or expired): update it to this spec.
    Acquire(LeaseSpec),
    /// We hold the Lease: update it to this spec.
    Renew(LeaseSpec),
    /// Someone else holds a valid Lease.
    StandBy {
        holder: String,
        expires_at: Timestamp,
    },
}

/// Timestamps on a Lease carry microseconds; truncating keeps our own writes equal to what
/// the API server gives back.
fn micro(now: Timestamp) -> MicroTime {
    MicroTime(Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now))
}

/// Decides the next step from the observed Lease (`None`: it does not exist).
pub(crate) fn decide(
    observed: Option<&Observation>,
    identity: &str,
    now: Timestamp,
    timing: &ElectionTiming,
) -> Action {
    let fresh = |transitions: i32, acquired: Option<MicroTime>| LeaseSpec {
        holder_identity: Some(identity.to_string()),
        lease_duration_seconds: Some(timing.lease_seconds()),
        acquire_time: acquired.or_else(|| Some(micro(now))),
        renew_time: Some(micro(now)),
        lease_transitions: Some(transitions),
        ..LeaseSpec::default()
    };
    let Some(obs) = observed else {
        return Action::Create(fresh(0, None));
    };
    let holder = obs.spec.holder_identity.as_deref().unwrap_or_default();
    let transitions = obs.spec.lease_transitions.unwrap_or(0);
    if holder == identity {
        return Action::Renew(fresh(transitions, obs.spec.acquire_time.clone()));
    }
    let seconds = obs
        .spec
        .lease_duration_seconds
        .unwrap_or(timing.lease_seconds());
    let expires_at = obs
        .observed_at
        .saturating_add(SignedDuration::from_secs(i64::from(seconds)))
        .unwrap_or(Timestamp::MAX);
    if !holder.is_empty() && expires_at > now {
        return Action::StandBy {
            holder: holder.to_string(),
            expires_at,
        };
    }
    Action::Acquire(fresh(transitions.saturating_add(1), None))
}

/// The spec that releases a Lease we hold, as client-go writes it on shutdown: empty holder,
/// one-second duration, transitions kept.
pub(crate) fn release_spec(current: &LeaseSpec, now: Timestamp) -> LeaseSpec {
    LeaseSpec {
        holder_identity: Some(String::new()),
        lease_duration_seconds: Some(1),
        acquire_time: Some(micro(now)),
        renew_time: Some(micro(now)),
        lease_transitions: current.lease_transitions,
        ..LeaseSpec::default()
    }
}

/// A candidate's wait between attempts: the retry period plus up to `JITTER_FACTOR` times it,
/// `r` being a uniform sample in [0, 1).
pub(crate) fn jittered(retry_period: Duration, r: f64) -> Duration {
    retry_period.mul_f64(1.0 + JITTER_FACTOR * r.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests;
