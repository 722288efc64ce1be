//! Health checks in progress, per Kustomization, with the revision they check: a source
//! event with another revision cancels the wait so the new revision is applied at once.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

type Cancel = Box<dyn Fn() + Send + Sync>;

/// The registry of waits in progress.
#[derive(Default)]
pub struct Waits {
    inner: Mutex<HashMap<(String, String), (String, Cancel)>>,
}

/// Unregisters its wait when dropped, however the wait ends.
pub struct WaitGuard<'a> {
    waits: &'a Waits,
    key: (String, String),
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        self.waits.lock().remove(&self.key);
    }
}

impl Waits {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), (String, Cancel)>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers the wait of `namespace/name` on `revision`; `cancel` stops it.
    pub fn register(
        &self,
        namespace: &str,
        name: &str,
        revision: &str,
        cancel: impl Fn() + Send + Sync + 'static,
    ) -> WaitGuard<'_> {
        let key = (namespace.to_string(), name.to_string());
        self.lock()
            .insert(key.clone(), (revision.to_string(), Box::new(cancel)));
        WaitGuard { waits: self, key }
    }

    /// Cancels the wait of `namespace/name` when it checks another revision than `revision`;
    /// true when one was cancelled.
    pub fn cancel_if_stale(&self, namespace: &str, name: &str, revision: &str) -> bool {
        let key = (namespace.to_string(), name.to_string());
        let waits = self.lock();
        match waits.get(&key) {
            Some((waiting_on, cancel)) if waiting_on != revision => {
                cancel();
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn cancels_only_waits_on_another_revision() {
        let waits = Waits::default();
        let cancelled = Arc::new(AtomicBool::new(false));
        let flag = cancelled.clone();
        let guard = waits.register("ns", "app", "main@sha1:1", move || {
            flag.store(true, Ordering::SeqCst)
        });
        assert!(!waits.cancel_if_stale("ns", "app", "main@sha1:1"));
        assert!(!waits.cancel_if_stale("ns", "other", "main@sha1:2"));
        assert!(!cancelled.load(Ordering::SeqCst));
        assert!(waits.cancel_if_stale("ns", "app", "main@sha1:2"));
        assert!(cancelled.load(Ordering::SeqCst));
        drop(guard);
        assert!(!waits.cancel_if_stale("ns", "app", "main@sha1:3"));
    }
}
