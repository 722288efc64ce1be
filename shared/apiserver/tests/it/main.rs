//! Integration tests of fluxion-apiserver: real kubectl and kube-rs as clients, raw HTTP for
//! error answers. Each test starts its own server and namespace.

mod auth;
mod auth_certs;
mod auth_tokens;
mod bad_requests;
mod cel;
mod errors;
mod events;
mod immutable;
mod kubectl_crd;
mod kubectl_objects;
mod kubectl_patch;
mod lifecycle;
mod lists;
mod persistence;
mod persistence_kill;
mod protobuf;
mod rbac;
mod services;
mod support;
mod validation;
mod watches;
mod writes;
