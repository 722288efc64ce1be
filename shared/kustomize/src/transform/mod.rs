//! Transformers: the shared field-spec walker and the transformers built on it.
//!
//! Implemented here: [`annotations::CommonAnnotations`], [`namespace::Namespace`],
//! [`labels::Labels`], [`images::Images`], [`replicas::Replicas`]; the ConfigMap and
//! Secret [`generators`] (pairs from [`kv`], generated-resource [`behavior`]); [`prefix`]
//! (namePrefix/nameSuffix); the final steps [`hash::HashSuffix`] and
//! [`nameref::NameReference`] (default table in [`nameref_config`]); and the transformer
//! configuration ([`config`], with `configurations` files and [`crds`]) they all read
//! their field specs from. Patches, replacements and vars have their own modules.

pub mod annotations;
pub mod behavior;
pub mod config;
pub mod crds;
pub mod defaults;
pub mod fieldspec;
pub mod generators;
pub mod hash;
pub mod images;
pub mod kv;
pub mod labels;
pub mod nameref;
pub mod nameref_config;
pub mod namespace;
pub mod prefix;
pub mod replicas;
