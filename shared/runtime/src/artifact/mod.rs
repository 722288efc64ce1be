//! Artifact download with retries, digest verification and safe extraction.
