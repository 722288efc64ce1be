//! What the server knows of an object's structure: the [`Shape`] of each field, which decides
//! how patches merge lists and maps and how server-side apply tracks field ownership.

mod builtin;
mod openapi;
mod shape;

pub use builtin::{BUILTIN_KINDS, builtin_shape, object_meta_shape};
pub use openapi::{custom_resource_shape, shape_from_openapi};
pub use shape::*;
