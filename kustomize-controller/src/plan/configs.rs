//! Which Kustomizations read which ConfigMaps and Secrets through
//! `spec.postBuild.substituteFrom`: a watched (labelled `reconcile.fluxcd.io/watch: Enabled`)
//! ConfigMap or Secret that changes reconciles its readers, as Flux's config watches do.

use std::collections::{BTreeSet, HashMap};

use fluxion_api::kustomize::{Kustomization, SubstituteKind};
use kube::ResourceExt;

use super::source::KsKey;

/// A ConfigMap or Secret: kind (`ConfigMap` or `Secret`), namespace and name.
pub type ConfigKey = (&'static str, String, String);

/// The kind name of a substituteFrom reference.
pub fn kind_name(kind: SubstituteKind) -> &'static str {
    match kind {
        SubstituteKind::ConfigMap => "ConfigMap",
        SubstituteKind::Secret => "Secret",
    }
}

/// Configs to their readers, readers to their configs, and the last version seen per config.
#[derive(Debug, Default)]
pub struct ConfigIndex {
    readers: HashMap<ConfigKey, BTreeSet<KsKey>>,
    refs_of: HashMap<KsKey, Vec<ConfigKey>>,
    versions: HashMap<ConfigKey, String>,
}

impl ConfigIndex {
    /// Records (or replaces) the configs a Kustomization reads.
    pub fn record(&mut self, ks: &Kustomization) {
        let namespace = ks.namespace().unwrap_or_default();
        let key = (namespace.clone(), ks.name_any());
        self.forget(&key.0, &key.1);
        let refs: Vec<ConfigKey> = ks
            .spec
            .post_build
            .iter()
            .flat_map(|p| &p.substitute_from)
            .map(|r| (kind_name(r.kind), namespace.clone(), r.name.clone()))
            .collect();
        for r in &refs {
            self.readers
                .entry(r.clone())
                .or_default()
                .insert(key.clone());
        }
        if !refs.is_empty() {
            self.refs_of.insert(key, refs);
        }
    }

    /// Forgets a deleted Kustomization.
    pub fn forget(&mut self, namespace: &str, name: &str) {
        let key = (namespace.to_string(), name.to_string());
        for r in self.refs_of.remove(&key).unwrap_or_default() {
            if let Some(set) = self.readers.get_mut(&r) {
                set.remove(&key);
                if set.is_empty() {
                    self.readers.remove(&r);
                }
            }
        }
    }

    /// A config was seen at `version` (its resourceVersion): its readers when it changed
    /// since the last sighting; none on the first sighting or an unchanged relist.
    pub fn config_changed(&mut self, config: &ConfigKey, version: &str) -> Vec<KsKey> {
        let changed = self
            .versions
            .insert(config.clone(), version.to_string())
            .is_some_and(|old| old != version);
        if !changed {
            return Vec::new();
        }
        self.readers
            .get(config)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    }
}
