//! The result of an apply or delete run: one entry per object with the action taken, printed
//! as Flux's events print it (`Deployment/default/podinfo configured`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use fluxion_api::kustomize::inventory::ResourceInventory;

use crate::objmeta::ObjMetadata;

/// What the engine did to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Created,
    Configured,
    Unchanged,
    Deleted,
    Skipped,
    Unknown,
}

impl Action {
    /// Flux's word for this action.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Configured => "configured",
            Action::Unchanged => "unchanged",
            Action::Deleted => "deleted",
            Action::Skipped => "skipped",
            Action::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The action taken on one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeSetEntry {
    pub obj: ObjMetadata,
    /// `group/version` (or `version` for the core group) the object was applied with.
    pub group_version: String,
    /// `Kind/namespace/name`.
    pub subject: String,
    pub action: Action,
}

impl ChangeSetEntry {
    pub fn new(obj: ObjMetadata, group_version: &str, action: Action) -> Self {
        Self {
            subject: obj.to_string(),
            obj,
            group_version: group_version.to_string(),
            action,
        }
    }

    /// The version part of [`ChangeSetEntry::group_version`], as the inventory records it.
    pub fn version(&self) -> &str {
        crate::objmeta::version_of(&self.group_version)
    }
}

impl fmt::Display for ChangeSetEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.action)
    }
}

/// The entries of a run, in the order the objects were handled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub entries: Vec<ChangeSetEntry>,
}

impl ChangeSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, e: ChangeSetEntry) {
        self.entries.push(e);
    }

    pub fn append(&mut self, other: ChangeSet) {
        self.entries.extend(other.entries);
    }

    /// Subject → action.
    pub fn to_map(&self) -> BTreeMap<String, Action> {
        self.entries
            .iter()
            .map(|e| (e.subject.clone(), e.action))
            .collect()
    }

    /// The identities of every entry.
    pub fn to_objmetadata_set(&self) -> BTreeSet<ObjMetadata> {
        self.entries.iter().map(|e| e.obj.clone()).collect()
    }

    /// Whether any entry is other than unchanged or skipped: what makes Flux emit an event.
    pub fn has_changes(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !matches!(e.action, Action::Unchanged | Action::Skipped))
    }

    /// The Kustomization inventory of this change set: one entry per object with the version
    /// it was applied at, in change-set order (Flux's `inventory.AddChangeSet`).
    pub fn to_inventory(&self) -> ResourceInventory {
        ResourceInventory {
            entries: self
                .entries
                .iter()
                .map(|e| e.obj.to_resource_ref(e.version()))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One line per entry, no trailing newline, as Flux's event messages.
impl fmt::Display for ChangeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_flux_events() {
        let mut cs = ChangeSet::new();
        cs.add(ChangeSetEntry::new(
            ObjMetadata::new("", "Namespace", "", "apps"),
            "v1",
            Action::Created,
        ));
        cs.add(ChangeSetEntry::new(
            ObjMetadata::new("apps", "Deployment", "apps", "web"),
            "apps/v1",
            Action::Configured,
        ));
        assert_eq!(
            cs.to_string(),
            "Namespace/apps created\nDeployment/apps/web configured"
        );
        assert_eq!(cs.to_map()["Deployment/apps/web"], Action::Configured);
        assert_eq!(cs.to_objmetadata_set().len(), 2);
        assert_eq!(cs.entries[1].version(), "v1");
        assert!(cs.has_changes());
        let inv = cs.to_inventory();
        let ids: Vec<(&str, &str)> = inv
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.v.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("_apps__Namespace", "v1"),
                ("apps_web_apps_Deployment", "v1")
            ]
        );
    }

    #[test]
    fn action_words() {
        let words: Vec<String> = [
            Action::Created,
            Action::Configured,
            Action::Unchanged,
            Action::Deleted,
            Action::Skipped,
            Action::Unknown,
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        assert_eq!(
            words,
            [
                "created",
                "configured",
                "unchanged",
                "deleted",
                "skipped",
                "unknown"
            ]
        );
    }
}
