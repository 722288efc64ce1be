//! End-to-end: fluxion-apiserver (or E2E_KUBECONFIG's cluster), source-controller,
//! kustomize-controller and the fluxion CLI as processes, a real git server, and a user's
//! GitOps loop: push, apply, prune, drift, failure and recovery, dependencies, suspend,
//! restarts. One module per story.

mod depends;
mod failures;
mod restart;
mod scenario;
mod sync;
