//! Transformers: the shared field-spec walker and the transformers built on it.
//!
//! Implemented here: [`annotations::CommonAnnotations`], [`namespace::Namespace`],
//! [`labels::Labels`], [`images::Images`], [`replicas::Replicas`], and the transformer
//! configuration ([`config`], with `configurations` files and [`crds`]). Every other
//! transformer is a `Pending` entry in `build::steps` until its module exists.

pub mod annotations;
pub mod config;
pub mod crds;
pub mod defaults;
pub mod fieldspec;
pub mod images;
pub mod labels;
pub mod namespace;
pub mod replicas;
