//! Polling helpers for tests: wait until a condition holds or a deadline passes.

use std::future::Future;
use std::time::{Duration, Instant};

/// Polls `check` every `interval` until it yields `Some`, or returns `None` after `timeout`.
pub async fn wait_for<T, F, Fut>(timeout: Duration, interval: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if start.elapsed() >= timeout {
            return None;
        }
        tokio::time::sleep(interval).await;
    }
}

/// The blocking form of [`wait_for`], for sync tests.
pub fn wait_for_blocking<T>(
    timeout: Duration,
    interval: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if start.elapsed() >= timeout {
            return None;
        }
        std::thread::sleep(interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_first_some_or_none_after_timeout() {
        let mut n = 0;
        let got = wait_for(Duration::from_secs(1), Duration::from_millis(1), || {
            n += 1;
            let v = (n >= 3).then_some(n);
            async move { v }
        })
        .await;
        assert_eq!(got, Some(3));
        let none: Option<()> =
            wait_for_blocking(Duration::from_millis(20), Duration::from_millis(5), || None);
        assert_eq!(none, None);
    }
}
