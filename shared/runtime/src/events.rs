//! Kubernetes Events and Flux event JSON posted to --events-addr.
