//! The ordered set of resources a build accumulates (kustomize's `ResMap`).

use std::collections::HashSet;

use crate::resid::{Gvk, ResId};
use crate::resource::Resource;
use crate::transform::config::TransformConfig;

/// Adding a resource whose id is already present.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("may not add resource with an already registered id: {0}")]
pub struct DuplicateId(pub ResId);

/// What makes two ids the same object: gvk, name, effective namespace.
type IdKey = (Gvk, String, String);

fn key(id: &ResId) -> IdKey {
    (
        id.gvk.clone(),
        id.name.clone(),
        id.effective_namespace().to_string(),
    )
}

/// Resources in the order they were added, with an index of their current ids that is
/// rebuilt after the resources were handed out for changes.
#[derive(Debug, Clone, Default)]
pub struct ResMap {
    resources: Vec<Resource>,
    index: HashSet<IdKey>,
    stale: bool,
    /// The transformer configuration accumulated with the resources (kustomize keeps it
    /// in its `ResAccumulator`).
    pub config: TransformConfig,
}

impl PartialEq for ResMap {
    fn eq(&self, other: &ResMap) -> bool {
        self.resources == other.resources
    }
}

impl ResMap {
    pub fn new() -> ResMap {
        ResMap::default()
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    pub fn resources_mut(&mut self) -> &mut [Resource] {
        self.stale = true;
        &mut self.resources
    }

    /// Takes the resources out (to reorder or filter them) leaving the map empty.
    pub fn take(&mut self) -> Vec<Resource> {
        self.index.clear();
        self.stale = false;
        std::mem::take(&mut self.resources)
    }

    fn refresh(&mut self) {
        if self.stale {
            self.index = self.resources.iter().map(|r| key(&r.cur_id())).collect();
            self.stale = false;
        }
    }

    /// The resource whose current id names the same object as `id`.
    pub fn get_by_current_id(&self, id: &ResId) -> Option<&Resource> {
        self.resources.iter().find(|r| r.cur_id().same_object(id))
    }

    /// Appends, refusing a resource whose current id is already present.
    pub fn append(&mut self, res: Resource) -> Result<(), DuplicateId> {
        self.refresh();
        let id = res.cur_id();
        if !self.index.insert(key(&id)) {
            return Err(DuplicateId(id));
        }
        self.resources.push(res);
        Ok(())
    }

    /// Appends every resource of `other`, in order, with the same check.
    pub fn append_all(&mut self, other: ResMap) -> Result<(), DuplicateId> {
        other.resources.into_iter().try_for_each(|r| self.append(r))
    }

    /// Appends without checking ids (for callers that rebuild the map in a new order).
    pub fn push_unchecked(&mut self, res: Resource) {
        self.resources.push(res);
        self.stale = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::from_bytes;

    #[test]
    fn duplicate_ids_are_refused() {
        let mut m = ResMap::new();
        let cm = |ns: &str| {
            from_bytes(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: {ns}\n"
            ))
            .expect("reads")
            .remove(0)
        };
        assert!(m.append(cm("default")).is_ok());
        assert!(m.append(cm("other")).is_ok());
        let err = m.append(cm("''")).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "may not add resource with an already registered id: ConfigMap.v1.[noGrp]/a.[noNs]"
            )
        );
        assert_eq!(m.len(), 2);
    }
}
