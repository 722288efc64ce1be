//! The reconcile error: a Flux reason, a message and a disposition (retry, wait, stall).
