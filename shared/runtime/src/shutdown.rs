//! The signals that stop a controller: SIGTERM (what the kubelet sends a pod) and SIGINT
//! (Ctrl-C), as controller-runtime's signal handler listens for both.

/// Completes on the first SIGTERM or SIGINT. If the SIGTERM handler cannot be installed,
/// waits for SIGINT alone.
pub async fn signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
