//! The ordered set of resources a build accumulates (kustomize's `ResMap`).

use crate::resid::ResId;
use crate::resource::Resource;

/// Adding a resource whose id is already present.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("may not add resource with an already registered id: {0}")]
pub struct DuplicateId(pub ResId);

/// Resources in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResMap {
    resources: Vec<Resource>,
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
        &mut self.resources
    }

    /// Takes the resources out (to reorder or filter them) leaving the map empty.
    pub fn take(&mut self) -> Vec<Resource> {
        std::mem::take(&mut self.resources)
    }

    /// The resource whose current id names the same object as `id`.
    pub fn get_by_current_id(&self, id: &ResId) -> Option<&Resource> {
        self.resources.iter().find(|r| r.cur_id().same_object(id))
    }

    /// Appends, refusing a resource whose current id is already present.
    pub fn append(&mut self, res: Resource) -> Result<(), DuplicateId> {
        let id = res.cur_id();
        if self.get_by_current_id(&id).is_some() {
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
