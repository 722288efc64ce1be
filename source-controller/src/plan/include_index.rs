//! Which GitRepositories include which: an index fed by the watch of GitRepositories, so a
//! new artifact of an included repository requeues exactly its includers (no polling, no scan
//! of every object per event).

use std::collections::{BTreeSet, HashMap};

/// A GitRepository by namespace and name.
pub type Key = (String, String);

/// What the index knows of one GitRepository as last seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Seen {
    /// The names it includes (same namespace).
    includes: Vec<String>,
    /// Its artifact's digest and revision, None without an artifact.
    artifact: Option<(String, String)>,
}

/// The include relation of every watched GitRepository.
#[derive(Debug, Default)]
pub struct IncludeIndex {
    seen: HashMap<Key, Seen>,
    /// Included repository -> the names of the repositories including it.
    includers: HashMap<Key, BTreeSet<String>>,
}

impl IncludeIndex {
    /// Records a GitRepository as the watch shows it (or its removal, `present` false) and
    /// returns the includers to reconcile: those of this repository when its artifact changed
    /// since last seen (appeared, changed, or went away). The first sighting of a repository
    /// requeues nobody: its includers are being reconciled by the initial listing anyway.
    pub fn observe(
        &mut self,
        key: &Key,
        includes: Vec<String>,
        artifact: Option<(String, String)>,
        present: bool,
    ) -> Vec<String> {
        let old = self.seen.remove(key);
        let new = Seen { includes, artifact };
        let previous_includes = old.as_ref().map(|s| s.includes.clone()).unwrap_or_default();
        self.relink(
            key,
            &previous_includes,
            if present { &new.includes } else { &[] },
        );
        let changed = match &old {
            Some(old) => old.artifact != new.artifact || !present,
            None => false,
        };
        if present {
            self.seen.insert(key.clone(), new);
        }
        match changed {
            true => self
                .includers
                .get(key)
                .map(|names| names.iter().cloned().collect())
                .unwrap_or_default(),
            false => Vec::new(),
        }
    }

    fn relink(&mut self, key: &Key, old: &[String], new: &[String]) {
        let (ns, name) = key;
        for included in old.iter().filter(|i| !new.contains(i)) {
            let target = (ns.clone(), included.clone());
            if let Some(set) = self.includers.get_mut(&target) {
                set.remove(name);
                if set.is_empty() {
                    self.includers.remove(&target);
                }
            }
        }
        for included in new {
            let target = (ns.clone(), included.clone());
            self.includers
                .entry(target)
                .or_default()
                .insert(name.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Key {
        ("ns".to_string(), name.to_string())
    }

    fn art(digest: &str) -> Option<(String, String)> {
        Some((digest.to_string(), format!("main@{digest}")))
    }

    #[test]
    fn artifact_changes_requeue_includers() {
        let mut index = IncludeIndex::default();
        let lib = key("lib");
        // (object, includes, artifact, present, expected requeues)
        type Step<'a> = (
            &'a str,
            &'a [&'a str],
            Option<(String, String)>,
            bool,
            &'a [&'a str],
        );
        let steps: Vec<Step> = vec![
            ("lib", &[], None, true, &[]),
            ("app", &["lib"], None, true, &[]),
            ("web", &["lib", "other"], None, true, &[]),
            ("lib", &[], art("d1"), true, &["app", "web"]),
            ("lib", &[], art("d1"), true, &[]),
            ("web", &[], None, true, &[]),
            ("lib", &[], art("d2"), true, &["app"]),
            ("app", &["lib"], None, false, &[]),
            ("lib", &[], art("d3"), true, &[]),
            ("lib", &[], art("d3"), false, &[]),
        ];
        for (i, (name, includes, artifact, present, want)) in steps.into_iter().enumerate() {
            let includes = includes.iter().map(|s| s.to_string()).collect();
            let got = index.observe(&key(name), includes, artifact, present);
            assert_eq!(got, want, "step {i}");
        }
        assert!(!index.includers.contains_key(&lib));
        assert!(index.seen.is_empty() || !index.seen.contains_key(&lib));
    }

    #[test]
    fn namespaces_are_separate() {
        let mut index = IncludeIndex::default();
        let other = ("other".to_string(), "lib".to_string());
        index.observe(&key("app"), vec!["lib".into()], None, true);
        index.observe(&other, vec![], None, true);
        assert!(index.observe(&other, vec![], art("d"), true).is_empty());
        index.observe(&key("lib"), vec![], None, true);
        assert_eq!(index.observe(&key("lib"), vec![], art("d"), true), ["app"]);
    }
}
