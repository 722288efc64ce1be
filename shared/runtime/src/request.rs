//! Reconcile requests and suspend: reconcile.fluxcd.io/requestedAt handling.
