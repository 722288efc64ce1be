//! Decoding rendered documents' heads (apiVersion, kind, name, annotations) while the
//! templates are still being rendered: that YAML work is most of what `helm template` does
//! after executing templates, and each file's documents are independent of the rest. The
//! renderer hands over each file as soon as it is executed; a helper thread decodes them,
//! and once rendering ends the rendering thread joins in until none are left.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::Head;
use super::hooks::decode_file;

/// Each document of a file with its decoded head (or the decoding error).
pub type FileHeads = Vec<(String, Result<Head, String>)>;

/// The YAML check recurses as deep as a document nests: the main thread's stack size.
const STACK_BYTES: usize = 8 << 20;

#[derive(Default)]
struct State {
    jobs: VecDeque<(String, String)>,
    closed: bool,
    done: HashMap<String, FileHeads>,
}

/// Files waiting to be decoded and the heads decoded so far.
#[derive(Default)]
pub struct Prefetch {
    state: Mutex<State>,
    ready: Condvar,
}

impl Prefetch {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Decoding cannot leave the state half-changed, so a poisoned lock is still sound.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a rendered file.
    pub fn push(&self, path: &str, text: &str) {
        self.lock()
            .jobs
            .push_back((path.to_string(), text.to_string()));
        self.ready.notify_one();
    }

    /// No more files will come: workers stop once the queue is empty.
    pub fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Decodes queued files until the queue is closed and empty.
    pub fn work(&self) {
        while let Some((path, text)) = self.next_job() {
            let heads = decode_file(&text);
            self.lock().done.insert(path, heads);
        }
    }

    fn next_job(&self) -> Option<(String, String)> {
        let mut state = self.lock();
        loop {
            if let Some(job) = state.jobs.pop_front() {
                return Some(job);
            }
            if state.closed {
                return None;
            }
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The decoded heads by file path.
    pub fn into_heads(self) -> HashMap<String, FileHeads> {
        self.state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .done
    }
}

/// Closes the queue when dropped, so a helper never waits forever, even if rendering fails
/// or panics.
struct CloseOnDrop<'a>(&'a Prefetch);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Runs `render` (which pushes files into the prefetch) with a helper thread decoding
/// beside it when there is a second core; returns its result and the decoded heads.
pub fn render_with_prefetch<T>(
    render: impl FnOnce(&Prefetch) -> T,
) -> (T, HashMap<String, FileHeads>) {
    let prefetch = Prefetch::default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let out = std::thread::scope(|scope| {
        let helper = (cores > 1).then(|| {
            std::thread::Builder::new()
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, || prefetch.work())
        });
        let out = {
            let _close = CloseOnDrop(&prefetch);
            render(&prefetch)
        };
        prefetch.work();
        if let Some(Ok(helper)) = helper {
            // A helper that panicked leaves its file undecoded; sort_manifests decodes it.
            let _ = helper.join();
        }
        out
    });
    (out, prefetch.into_heads())
}
