//! The inventory of applied objects, what pruning deletes, and the history digest, as Flux's
//! kustomize-controller computes them.

use std::collections::{BTreeMap, HashSet};

use fluxion_api::kustomize::{ResourceInventory, ResourceRef};
use sha2::{Digest, Sha256};

/// Entries of `old` that `new` no longer has and that were not skipped by this run (an
/// object annotated `ssa: Ignore` stays where it is): what pruning deletes, in `old`'s order.
pub fn stale_entries(
    old: Option<&ResourceInventory>,
    new: &ResourceInventory,
    skipped: &HashSet<String>,
) -> Vec<ResourceRef> {
    let Some(old) = old else {
        return Vec::new();
    };
    old.diff(new)
        .into_iter()
        .filter(|e| !skipped.contains(&e.id))
        .cloned()
        .collect()
}

/// `sha256:<hex>` of the built manifests: the digest of a history snapshot.
pub fn build_digest(manifests: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(manifests)))
}

/// Flux's history metadata: the revision, and the origin revision when the artifact has one.
pub fn history_metadata(revision: &str, origin: Option<&str>) -> BTreeMap<String, String> {
    let mut meta = BTreeMap::from([("revision".to_string(), revision.to_string())]);
    if let Some(origin) = origin.filter(|o| !o.is_empty()) {
        meta.insert("originRevision".to_string(), origin.to_string());
    }
    meta
}
