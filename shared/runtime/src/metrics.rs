//! Prometheus metrics (gotk_reconcile_duration_seconds, reconcile counters) served on --metrics-addr.
