//! Transformers: the shared field-spec walker and the transformers built on it.
//!
//! Implemented here: [`annotations::CommonAnnotations`]. Every other transformer is a
//! `Pending` entry in `build::steps` until its module exists.

pub mod annotations;
pub mod behavior;
pub mod defaults;
pub mod fieldspec;
pub mod generators;
pub mod hash;
pub mod kv;
pub mod nameref;
pub mod nameref_config;
pub mod prefix;
