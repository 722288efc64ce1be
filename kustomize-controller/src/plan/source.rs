//! Which Kustomizations read which source: an index keyed by source, fed by the runs
//! themselves, that turns a watched source's new artifact revision into the Kustomizations
//! to reconcile (Flux's `.spec.sourceRef` index plus its revision-change predicate); and what
//! a source read again between download retries means for the download.

use std::collections::{BTreeSet, HashMap};

use fluxion_api::kustomize::{Kustomization, SourceKind};
use fluxion_api::meta::Artifact;
use fluxion_runtime::artifact::{ArtifactLocation, Refresh};
use kube::ResourceExt;

/// A source object: kind, namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceKey {
    pub kind: SourceKind,
    pub namespace: String,
    pub name: String,
}

impl SourceKey {
    /// The source a Kustomization reads.
    pub fn of(ks: &Kustomization) -> Self {
        Self {
            kind: ks.spec.source_ref.kind,
            namespace: ks.source_namespace(),
            name: ks.spec.source_ref.name.clone(),
        }
    }
}

impl std::fmt::Display for SourceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
    }
}

/// A Kustomization: namespace and name.
pub type KsKey = (String, String);

/// Sources to their readers, readers to their source, and the last revision seen per source.
#[derive(Debug, Default)]
pub struct SourceIndex {
    readers: HashMap<SourceKey, BTreeSet<KsKey>>,
    source_of: HashMap<KsKey, SourceKey>,
    revisions: HashMap<SourceKey, Option<String>>,
}

impl SourceIndex {
    /// Records (or moves) the source a Kustomization reads.
    pub fn record(&mut self, ks: &Kustomization) {
        let key = (ks.namespace().unwrap_or_default(), ks.name_any());
        let source = SourceKey::of(ks);
        if let Some(old) = self.source_of.insert(key.clone(), source.clone())
            && old != source
            && let Some(set) = self.readers.get_mut(&old)
        {
            set.remove(&key);
        }
        self.readers.entry(source).or_default().insert(key);
    }

    /// Forgets a deleted Kustomization.
    pub fn forget(&mut self, namespace: &str, name: &str) {
        let key = (namespace.to_string(), name.to_string());
        if let Some(source) = self.source_of.remove(&key)
            && let Some(set) = self.readers.get_mut(&source)
        {
            set.remove(&key);
            if set.is_empty() {
                self.readers.remove(&source);
            }
        }
    }

    /// A source was seen with this artifact revision: the readers to reconcile when the
    /// revision changed (or the artifact appeared), none when it is the one seen before.
    /// The first sighting only records it: the readers' own runs already used it.
    pub fn source_changed(&mut self, source: &SourceKey, revision: Option<&str>) -> Vec<KsKey> {
        let revision = revision.map(str::to_string);
        let changed = match self.revisions.insert(source.clone(), revision.clone()) {
            None => false,
            Some(old) => old != revision && revision.is_some(),
        };
        if !changed {
            return Vec::new();
        }
        self.readers
            .get(source)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The readers of a source.
    pub fn readers(&self, source: &SourceKey) -> Vec<KsKey> {
        self.readers
            .get(source)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// What a fresh read of the source means for a download retrying `started`: the same
/// artifact, the same revision somewhere else (source-controller restarted on a new storage
/// address rewrites its URLs), or something newer, which ends this attempt so the run starts
/// over with it. A source without an artifact any more ends it too: the next run reports why.
pub fn refresh_download(started: &Artifact, fresh: Option<&Artifact>) -> Refresh {
    let Some(fresh) = fresh else {
        return Refresh::Superseded(format!(
            "source artifact for revision '{}' is gone, retrying",
            started.revision
        ));
    };
    if fresh.revision != started.revision {
        return Refresh::Superseded(format!(
            "source revision changed from '{}' to '{}' while fetching the artifact, retrying",
            started.revision, fresh.revision
        ));
    }
    if fresh.url == started.url && fresh.digest == started.digest {
        return Refresh::Same;
    }
    Refresh::Moved(ArtifactLocation::new(&fresh.url, &fresh.digest))
}
