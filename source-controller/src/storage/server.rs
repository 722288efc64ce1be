//! The artifact HTTP server on --storage-addr: GET of files under the storage root, nothing else.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fluxion_runtime::flags::ListenAddr;
use fluxion_runtime::health::ServerHandle;

use super::Storage;

/// The routes of the storage server.
pub fn router(storage: Arc<Storage>) -> Router {
    Router::new()
        .route("/{*path}", axum::routing::get(file))
        .with_state(storage)
}

/// Binds `addr` and serves the storage until the handle is stopped.
pub async fn serve(addr: &ListenAddr, storage: Arc<Storage>) -> std::io::Result<ServerHandle> {
    Ok(ServerHandle::start(addr.bind().await?, router(storage)))
}

async fn file(State(storage): State<Arc<Storage>>, UrlPath(path): UrlPath<String>) -> Response {
    // Only plain components: `..`, absolute paths and the like never reach the filesystem.
    let Some(abs) = storage.resolve(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let file = match tokio::fs::File::open(&abs).await {
        Ok(f) => f,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    match file.metadata().await {
        Ok(meta) if meta.is_file() => {
            let stream = chunks(file);
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                    (header::CONTENT_LENGTH, meta.len().to_string()),
                ],
                Body::from_stream(stream),
            )
                .into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file as a stream of chunks, so large artifacts are never held in memory whole.
fn chunks(file: tokio::fs::File) -> impl futures::Stream<Item = std::io::Result<Vec<u8>>> {
    use tokio::io::AsyncReadExt;
    futures::stream::unfold(Some(file), |state| async move {
        let mut file = state?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(buf), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}
