//! fluxion-runtime: the reconcile scaffolding every Fluxion controller shares: conditions and
//! their kstatus summary, status writes, finalizers, reconcile requests, backoff, typed errors,
//! events, metrics, health, leader election, flags, logging, and artifact fetching.

pub mod artifact;
pub mod backoff;
pub mod conditions;
pub mod error;
pub mod events;
pub mod finalizer;
pub mod flags;
pub mod gate;
pub mod health;
pub mod leader;
pub mod metrics;
pub mod process;
pub mod redact;
pub mod request;
pub mod retry;
pub mod shutdown;
pub mod status;
pub mod summarize;
pub mod telemetry;
pub mod tls;

#[cfg(test)]
mod walkthrough;
