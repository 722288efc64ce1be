//! Pure decisions of a Kustomization run: data in, data out; no async, no client, no
//! filesystem. The source index that maps artifact changes to Kustomizations ([`source`]),
//! dependency readiness ([`deps`]), and the inventory, prune set and history digest
//! ([`inventory`]).

pub mod configs;
pub mod deps;
pub mod inventory;
pub mod source;
pub mod trigger;

pub use configs::ConfigIndex;
pub use deps::{DependencyState, check_dependencies};
pub use inventory::{build_digest, history_metadata, stale_entries};
pub use source::{SourceIndex, SourceKey};

/// Flux's Ready message after a successful run.
pub fn applied_message(revision: &str) -> String {
    format!("Applied revision: {revision}")
}

/// Flux's event for a run blocked by dependencies.
pub fn dependency_retry_message(requeue: std::time::Duration) -> String {
    format!(
        "Dependencies do not meet ready condition, retrying in {}",
        fluxion_api::duration::format_duration(requeue)
    )
}

#[cfg(test)]
mod tests;
