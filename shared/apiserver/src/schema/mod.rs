//! What the server knows of an object's structure: the [`Shape`] of each field, which decides
//! how patches merge lists and maps and how server-side apply tracks field ownership.

mod shape;

pub use shape::*;
