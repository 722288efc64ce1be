//! Chart values (Helm's `chartutil` values code): reading YAML values, merging user values
//! (-f and --set*), coalescing them with chart and subchart defaults (scoping, `global`,
//! null deletes), dependency conditions, tags, aliases and import-values.

pub mod coalesce;
pub mod deps;
pub mod schema;
mod user;
pub mod yaml;

pub use coalesce::{CoalesceError, coalesce_values, merge_values};
pub use deps::process_dependencies;
pub use user::{UserValues, ValuesError};

#[cfg(test)]
mod tests;
