//! Transformers: the shared field-spec walker and the transformers built on it.
//!
//! Implemented here: [`annotations::CommonAnnotations`]; the ConfigMap and Secret
//! [`generators`] (pairs from [`kv`], generated-resource [`behavior`]); [`prefix`]
//! (namePrefix/nameSuffix); and the final steps [`hash::HashSuffix`] and
//! [`nameref::NameReference`] (table in [`nameref_config`]). Every other transformer
//! is a `Pending` entry in `build::steps` until its module exists.

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
