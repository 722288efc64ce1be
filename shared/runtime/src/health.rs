//! /healthz and /readyz on --health-addr.
//!
//! As controller-runtime's probe server: 200 `ok` when the check passes, 500 otherwise, with the
//! check also under `/healthz/ping` and `/readyz/ping` (Flux registers one "ping" check for
//! each, fluxcd/pkg `runtime/probes`). Liveness passes while the process serves; readiness
//! follows a shared [`Readiness`] flag. This module also owns [`ServerHandle`], the small axum
//! server the metrics endpoint reuses.
//
// Flux's readiness is that bare ping: it passes on the leader and on standbys alike. A binary
// sets the flag once it serves and must not tie it to leadership: a standby that stays unready
// stalls the rolling update of a one-replica Deployment, whose new pod would wait for the
// Lease the old pod only releases when the rollout removes it.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::flags::ListenAddr;

/// The shared readiness flag: clones see the same value.
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_ready(&self, ready: bool) {
        self.0.store(ready, Ordering::SeqCst);
    }

    pub fn is_ready(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Mirrors a watch channel into this flag until the sender drops (not the leader
    /// elector's: standbys must stay ready, see the module notes).
    pub fn follow(&self, mut rx: tokio::sync::watch::Receiver<bool>) -> JoinHandle<()> {
        let flag = self.clone();
        tokio::spawn(async move {
            loop {
                flag.set_ready(*rx.borrow_and_update());
                if rx.changed().await.is_err() {
                    return;
                }
            }
        })
    }
}

/// The probe routes: `/healthz`, `/healthz/ping`, `/readyz`, `/readyz/ping`.
pub fn router(readiness: Readiness) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/healthz/ping", get(healthz))
        .route("/readyz", get(readyz))
        .route("/readyz/ping", get(readyz))
        .with_state(readiness)
}

async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

async fn readyz(State(readiness): State<Readiness>) -> (StatusCode, &'static str) {
    match readiness.is_ready() {
        true => (StatusCode::OK, "ok"),
        false => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "[-]ping failed: not ready\nreadyz check failed\n",
        ),
    }
}

/// Binds `addr` and serves the probes on it.
pub async fn serve(addr: &ListenAddr, readiness: Readiness) -> io::Result<ServerHandle> {
    Ok(ServerHandle::start(addr.bind().await?, router(readiness)))
}

/// A running axum server; [`ServerHandle::stop`] shuts it down gracefully, and dropping the
/// handle aborts it.
pub struct ServerHandle {
    local_addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl ServerHandle {
    /// Serves `router` on an already bound listener.
    pub fn start(listener: TcpListener, router: Router) -> Self {
        let local_addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
        });
        Self {
            local_addr,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server to end.
    pub async fn stop(mut self) -> io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(client: &reqwest::Client, addr: SocketAddr, path: &str) -> (u16, String) {
        let resp = client
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    }

    fn loopback() -> ListenAddr {
        ListenAddr::parse("127.0.0.1:0")
            .expect("parse")
            .expect("enabled")
    }

    #[tokio::test]
    async fn healthz_passes_and_readyz_follows_the_flag() {
        let readiness = Readiness::new();
        let server = serve(&loopback(), readiness.clone()).await.expect("serve");
        let client = crate::tls::http_client_builder().build().expect("client");
        let addr = server.local_addr();

        assert_eq!(
            get(&client, addr, "/healthz").await,
            (200, "ok".to_string())
        );
        assert_eq!(get(&client, addr, "/healthz/ping").await.0, 200);
        assert_eq!(get(&client, addr, "/readyz").await.0, 500);
        readiness.set_ready(true);
        assert_eq!(get(&client, addr, "/readyz").await, (200, "ok".to_string()));
        assert_eq!(get(&client, addr, "/readyz/ping").await.0, 200);
        readiness.set_ready(false);
        assert_eq!(get(&client, addr, "/readyz").await.0, 500);
        assert_eq!(get(&client, addr, "/metrics").await.0, 404);

        server.stop().await.expect("stop");
        assert!(
            client
                .get(format!("http://{addr}/healthz"))
                .send()
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn readiness_follows_a_watch_channel() {
        let readiness = Readiness::new();
        let (tx, rx) = tokio::sync::watch::channel(false);
        let task = readiness.follow(rx);
        tx.send_replace(true);
        for _ in 0..100 {
            if readiness.is_ready() {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(readiness.is_ready());
        drop(tx);
        task.await.expect("follower ends with the sender");
    }
}
