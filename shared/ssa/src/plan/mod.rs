//! Pure decisions of the engine: data in, data out; no client, no async.

pub mod cleanup;
pub mod decide;
pub mod drift;
pub mod stages;
