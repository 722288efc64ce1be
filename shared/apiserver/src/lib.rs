//! fluxion-apiserver: an embedded Kubernetes API server (HTTP, in-process or as a binary) that
//! real kubectl and kube-rs use: discovery, built-in kinds, CRDs, every verb including watch,
//! patches and server-side apply, with optional persistence, TLS, tokens and RBAC.

pub mod api;
pub mod auth;
pub mod crd;
pub mod decode;
pub mod error;
pub mod fieldmanager;
pub mod http;
pub mod managed;
pub mod meta;
pub mod patch;
pub mod persist;
pub mod rbac;
pub mod registry;
pub mod schema;
pub mod selector;
pub mod server;
pub mod store;

pub use auth::{AuthConfig, UserInfo};
pub use server::{ApiServer, ServerConfig, ServerError, TestServer};
