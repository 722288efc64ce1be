//! Logging with tracing-subscriber: JSON or console, Flux's --log-level and --log-encoding.
