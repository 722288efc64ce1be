//! Condition types and reasons of source-controller (fluxcd/source-controller api/v1).
