//! Per-object exponential backoff (750 ms to 15 min) and interval jitter.
//!
//! Flux controllers retry a failed object through controller-runtime's per-item exponential
//! rate limiter, configured by `--min-retry-delay` (750ms) and `--max-retry-delay` (15m): the
//! n-th consecutive failure waits `min * 2^(n-1)`, capped, and any run that does not fail
//! (success, wait, stall) forgets the count. Successful runs requeue at `spec.interval`
//! jittered by `--interval-jitter-percentage` (fluxcd/pkg `runtime/jitter`: a factor drawn
//! uniformly from `1 ± p`). Both are here, with the requeue decision for a run's outcome.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use kube::runtime::controller::Action;

use crate::error::Disposition;
use crate::summarize::Outcome;

/// `--min-retry-delay`: the delay after the first failure.
pub const MIN_RETRY_DELAY: Duration = Duration::from_millis(750);
/// `--max-retry-delay`: the cap of the exponential backoff.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(15 * 60);
/// `--interval-jitter-percentage` default of the Flux controllers: fluxcd/pkg
/// `runtime/jitter`'s (5% since runtime v0.42; older copies of that file say 10).
pub const DEFAULT_INTERVAL_JITTER_PERCENTAGE: u8 = 5;

/// The delay after `failures` earlier consecutive failures: `min * 2^failures`, at most `max`.
pub(crate) fn backoff_delay(failures: u32, min: Duration, max: Duration) -> Duration {
    2u32.checked_pow(failures)
        .and_then(|factor| min.checked_mul(factor))
        .map_or(max, |d| d.min(max))
}

/// Consecutive failure counts per object key (kube's `ObjectRef`, or `namespace/name`).
#[derive(Debug)]
pub struct Backoff<K> {
    min: Duration,
    max: Duration,
    failures: Mutex<HashMap<K, u32>>,
}

impl<K: Hash + Eq + Clone> Default for Backoff<K> {
    fn default() -> Self {
        Self::new(MIN_RETRY_DELAY, MAX_RETRY_DELAY)
    }
}

impl<K: Hash + Eq + Clone> Backoff<K> {
    pub fn new(min: Duration, max: Duration) -> Self {
        Self {
            min,
            max,
            failures: Mutex::new(HashMap::new()),
        }
    }

    // A panic while holding the lock cannot leave a count half-written, so a poisoned map is
    // still sound to use.
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<K, u32>> {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a failure of `key` and returns how long to wait before retrying it.
    pub fn next_delay(&self, key: &K) -> Duration {
        let mut map = self.map();
        let count = map.entry(key.clone()).or_insert(0);
        let delay = backoff_delay(*count, self.min, self.max);
        *count = count.saturating_add(1);
        delay
    }

    /// Forgets the failures of `key` (after a run that did not fail, or a deleted object).
    pub fn reset(&self, key: &K) {
        self.map().remove(key);
    }

    /// The consecutive failures recorded for `key`.
    pub fn failures(&self, key: &K) -> u32 {
        self.map().get(key).copied().unwrap_or(0)
    }
}

/// `--interval-jitter-percentage` must be below 100.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the interval jitter percentage must be a non-negative value and less than 100, got {0}")]
pub struct InvalidJitter(pub u8);

/// A checked `--interval-jitter-percentage`: below 100, 0 turning jitter off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitterPercentage(u8);

impl JitterPercentage {
    pub const DEFAULT: Self = Self(DEFAULT_INTERVAL_JITTER_PERCENTAGE);

    pub fn new(percentage: u8) -> Result<Self, InvalidJitter> {
        match percentage {
            0..100 => Ok(Self(percentage)),
            _ => Err(InvalidJitter(percentage)),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    fn fraction(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl Default for JitterPercentage {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// `d` scaled by `1 + fraction * (2 * unit - 1)`, where `unit` is a random draw from [0, 1):
/// a uniform jitter of ±`fraction`. Out-of-range inputs leave `d` unchanged.
pub(crate) fn jittered(d: Duration, fraction: f64, unit: f64) -> Duration {
    if !(fraction > 0.0 && fraction < 1.0) {
        return d;
    }
    let unit = unit.clamp(0.0, 1.0);
    let factor = 1.0 + fraction * (2.0 * unit - 1.0);
    Duration::try_from_secs_f64(d.as_secs_f64() * factor).unwrap_or(d)
}

/// A source of uniform random numbers in [0, 1), injectable for tests.
pub type UnitSource = Box<dyn FnMut() -> f64 + Send>;

/// Applies the configured interval jitter.
pub struct IntervalJitter {
    fraction: f64,
    source: Mutex<UnitSource>,
}

impl std::fmt::Debug for IntervalJitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntervalJitter")
            .field("fraction", &self.fraction)
            .finish_non_exhaustive()
    }
}

impl IntervalJitter {
    /// Jitter of ±`percentage`% drawn from the thread-local random generator; 0 disables it.
    pub fn new(percentage: JitterPercentage) -> Self {
        Self::with_source(percentage, Box::new(rand::random::<f64>))
    }

    /// Jitter of ±`percentage`% drawn from `source`.
    pub fn with_source(percentage: JitterPercentage, source: UnitSource) -> Self {
        Self {
            fraction: percentage.fraction(),
            source: Mutex::new(source),
        }
    }

    /// `d` with jitter applied.
    pub fn apply(&self, d: Duration) -> Duration {
        if self.fraction == 0.0 {
            return d;
        }
        let unit = (self.source.lock().unwrap_or_else(PoisonError::into_inner))();
        jittered(d, self.fraction, unit)
    }
}

/// When to run an object again, before jitter and backoff are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RequeuePlan {
    /// The run succeeded: again after the (jittered) interval.
    Interval(Duration),
    /// The run failed and is retried with backoff.
    Backoff,
    /// Again after exactly this delay (a wait, or work in progress).
    After(Duration),
    /// Not until the object changes (stalled).
    Never,
}

/// The requeue plan for a run's outcome and the object's interval.
pub(crate) fn plan(outcome: &Outcome, interval: Duration) -> RequeuePlan {
    match outcome {
        Outcome::Success { .. } => RequeuePlan::Interval(interval),
        Outcome::InProgress { requeue_after, .. } => RequeuePlan::After(*requeue_after),
        Outcome::Failed(err) => match err.disposition() {
            Disposition::Retry => RequeuePlan::Backoff,
            Disposition::Wait(after) => RequeuePlan::After(after),
            Disposition::Stall => RequeuePlan::Never,
        },
    }
}

/// Turns outcomes into requeue delays: owns the per-object backoff and the interval jitter.
#[derive(Debug)]
pub struct Requeuer<K> {
    backoff: Backoff<K>,
    jitter: IntervalJitter,
}

impl<K: Hash + Eq + Clone> Requeuer<K> {
    pub fn new(backoff: Backoff<K>, jitter: IntervalJitter) -> Self {
        Self { backoff, jitter }
    }

    /// Forgets the failures of `key`, e.g. once the object is gone.
    pub fn forget(&self, key: &K) {
        self.backoff.reset(key);
    }

    /// The consecutive failures recorded for `key`.
    pub fn failures(&self, key: &K) -> u32 {
        self.backoff.failures(key)
    }

    /// The delay before `key` runs again, `None` for never. Only a retry counts as a failure;
    /// every other outcome resets the object's backoff.
    pub fn requeue_after(
        &self,
        key: &K,
        outcome: &Outcome,
        interval: Duration,
    ) -> Option<Duration> {
        let plan = plan(outcome, interval);
        if plan != RequeuePlan::Backoff {
            self.backoff.reset(key);
        }
        match plan {
            RequeuePlan::Interval(d) => Some(self.jitter.apply(d)),
            RequeuePlan::Backoff => Some(self.backoff.next_delay(key)),
            RequeuePlan::After(d) => Some(d),
            RequeuePlan::Never => None,
        }
    }
}

/// The kube-runtime action for a requeue delay.
pub fn action(after: Option<Duration>) -> Action {
    match after {
        Some(d) => Action::requeue(d),
        None => Action::await_change(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ReconcileError;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn delay_table() {
        let cases = [
            (0, MS(750)),
            (1, MS(1500)),
            (2, MS(3000)),
            (10, MS(768_000)),
            (11, MAX_RETRY_DELAY),
            (40, MAX_RETRY_DELAY),
            (u32::MAX, MAX_RETRY_DELAY),
        ];
        for (failures, want) in cases {
            assert_eq!(
                backoff_delay(failures, MIN_RETRY_DELAY, MAX_RETRY_DELAY),
                want,
                "{failures}"
            );
        }
    }

    #[test]
    fn backoff_is_per_key_and_resets() {
        let b: Backoff<String> = Backoff::default();
        let (a, other) = ("ns/a".to_string(), "ns/b".to_string());
        assert_eq!(b.next_delay(&a), MS(750));
        assert_eq!(b.next_delay(&a), MS(1500));
        assert_eq!(b.next_delay(&other), MS(750));
        assert_eq!(b.next_delay(&a), MS(3000));
        assert_eq!(b.failures(&a), 3);
        b.reset(&a);
        assert_eq!(b.failures(&a), 0);
        assert_eq!(b.next_delay(&a), MS(750));
        assert_eq!(b.failures(&other), 1);
    }

    #[test]
    fn object_refs_are_keys() {
        use crate::status::test_object::demo;
        use kube::runtime::reflector::ObjectRef;
        let b: Backoff<ObjectRef<crate::status::test_object::Demo>> = Backoff::default();
        let key = ObjectRef::from(&demo(&[], &[]));
        b.next_delay(&key);
        assert_eq!(b.failures(&ObjectRef::new("app").within("flux-system")), 1);
        assert_eq!(b.failures(&ObjectRef::new("app").within("other")), 0);
    }

    #[test]
    fn jitter_table() {
        let d = Duration::from_secs(600);
        let cases = [
            (0.05, 0.0, Duration::from_secs(570)),
            (0.05, 0.5, d),
            (0.05, 1.0, Duration::from_secs(630)),
            (0.10, 0.25, Duration::from_secs(570)),
            (0.0, 0.0, d),
            (1.0, 0.0, d),
            (0.05, 7.0, Duration::from_secs(630)),
        ];
        for (fraction, unit, want) in cases {
            let got = jittered(d, fraction, unit);
            assert!(got.abs_diff(want) < MS(1), "{fraction} {unit}: {got:?}");
        }
    }

    fn pct(percentage: u8) -> JitterPercentage {
        JitterPercentage::new(percentage).expect("valid")
    }

    #[test]
    fn interval_jitter_validates_and_uses_its_source() {
        assert_eq!(JitterPercentage::new(100), Err(InvalidJitter(100)));
        assert_eq!(JitterPercentage::new(255), Err(InvalidJitter(255)));
        assert_eq!(pct(99).get(), 99);
        assert_eq!(JitterPercentage::default().get(), 5);
        let mut draws = vec![0.0, 1.0].into_iter();
        let j = IntervalJitter::with_source(pct(5), Box::new(move || draws.next().unwrap_or(0.5)));
        let d = Duration::from_secs(100);
        assert_eq!(j.apply(d), Duration::from_secs(95));
        assert_eq!(j.apply(d), Duration::from_secs(105));
        assert_eq!(j.apply(d), d);
        let none = IntervalJitter::with_source(pct(0), Box::new(|| 0.0));
        assert_eq!(none.apply(d), d);
        let real = IntervalJitter::new(JitterPercentage::DEFAULT);
        for _ in 0..100 {
            let got = real.apply(d);
            assert!(
                got >= Duration::from_secs(95) && got <= Duration::from_secs(105),
                "{got:?}"
            );
        }
    }

    #[test]
    fn plan_table() {
        let interval = Duration::from_secs(300);
        let cases = [
            (Outcome::success("ok"), RequeuePlan::Interval(interval)),
            (
                ReconcileError::retry("Failed", "x").into(),
                RequeuePlan::Backoff,
            ),
            (
                ReconcileError::wait("DependencyNotReady", "x", Duration::from_secs(30)).into(),
                RequeuePlan::After(Duration::from_secs(30)),
            ),
            (
                ReconcileError::stall("InvalidPath", "x").into(),
                RequeuePlan::Never,
            ),
            (
                Outcome::in_progress("Progressing", "x", Duration::from_secs(5)),
                RequeuePlan::After(Duration::from_secs(5)),
            ),
        ];
        for (outcome, want) in cases {
            assert_eq!(plan(&outcome, interval), want, "{outcome:?}");
        }
    }

    #[test]
    fn requeuer_counts_only_retries() {
        let jitter = IntervalJitter::with_source(pct(10), Box::new(|| 1.0));
        let r = Requeuer::new(Backoff::default(), jitter);
        let key = "ns/app".to_string();
        let interval = Duration::from_secs(100);
        let retry: Outcome = ReconcileError::retry("Failed", "x").into();
        let wait: Outcome = ReconcileError::wait("DependencyNotReady", "x", MS(30)).into();
        let stall: Outcome = ReconcileError::stall("InvalidPath", "x").into();
        assert_eq!(r.requeue_after(&key, &retry, interval), Some(MS(750)));
        assert_eq!(r.requeue_after(&key, &retry, interval), Some(MS(1500)));
        assert_eq!(r.requeue_after(&key, &wait, interval), Some(MS(30)));
        assert_eq!(r.requeue_after(&key, &retry, interval), Some(MS(750)));
        assert_eq!(r.requeue_after(&key, &stall, interval), None);
        assert_eq!(r.failures(&key), 0);
        let ok = Outcome::success("ok");
        assert_eq!(
            r.requeue_after(&key, &ok, interval),
            Some(Duration::from_secs(110))
        );
        r.requeue_after(&key, &retry, interval);
        assert_eq!(r.failures(&key), 1);
        r.forget(&key);
        assert_eq!(r.failures(&key), 0);
    }

    #[test]
    fn actions() {
        assert_eq!(action(Some(MS(5))), Action::requeue(MS(5)));
        assert_eq!(action(None), Action::await_change());
    }
}
