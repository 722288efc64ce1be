//! Per-object exponential backoff (750 ms to 15 min) and interval jitter.
