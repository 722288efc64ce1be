//! The accept loop the testkit's in-process servers share: a listener on 127.0.0.1:0, a
//! thread of its own running a current-thread runtime (so the server works whatever
//! runtime, if any, the test uses), one task per connection, and a clean stop on drop.

use std::future::Future;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// A running server; dropping it stops the accept loop and joins its thread.
#[derive(Debug)]
pub(crate) struct LoopbackServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Binds 127.0.0.1:0 and serves every accepted connection with `handle` on a thread
    /// called `name`.
    pub(crate) fn start<F, Fut>(name: &str, handle: F) -> Result<Self>
    where
        F: Fn(TcpStream) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .map_err(Error::io(format!("binding {name}")))?;
        listener
            .set_nonblocking(true)
            .map_err(Error::io("setting non-blocking"))?;
        let addr = listener.local_addr().map_err(Error::io("local address"))?;
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || accept_loop(listener, handle, rx))
            .map_err(Error::io(format!("spawning {name} thread")))?;
        Ok(Self {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop<F, Fut>(listener: std::net::TcpListener, handle: F, shutdown: oneshot::Receiver<()>)
where
    F: Fn(TcpStream) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    rt.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            return;
        };
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => return,
                accepted = listener.accept() => if let Ok((stream, _)) = accepted {
                    tokio::spawn(handle(stream));
                },
            }
        }
    });
}
