//! Helm's template functions (`pkg/engine/funcs.go` and `Engine.initFunMap` of Helm v4):
//! Sprig without env/expandenv, plus include, tpl, required, fail, lookup, getHostByName and
//! the YAML/JSON/TOML converters. [`helm_funcs`] builds the map a renderer hands to
//! `Templates::with_funcs`; include and tpl reach the set being rendered through their call
//! context, so one map serves every render.

mod data;
mod objects;
mod pretty;
mod render;

use std::sync::Arc;

use crate::template::FuncMap;

pub use objects::StaticObjects;
pub use render::{IncludeDepth, RECURSION_MAX};

/// Looks objects up in a cluster for Helm's `lookup`. `Ok(None)` means not found, which
/// templates see as an empty map (so `if not (lookup ...)` works).
pub trait Lookup: Send + Sync {
    /// `name` empty lists the kind (in `namespace`, or everywhere when it is empty), as
    /// Helm's lookup does; the result is the object or list as JSON.
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Option<serde_json::Value>, String>;
}

/// How Helm's engine is configured for a render.
#[derive(Clone, Default)]
pub struct HelmFuncOptions {
    /// A live cluster for `lookup`; `None` renders offline, where lookup returns an empty
    /// map as `helm template` does.
    pub lookup: Option<Arc<dyn Lookup>>,
    /// Helm's `--strict`: the renderer sets `missingkey=error` on the set; tpl inherits it.
    pub strict: bool,
    /// Helm's lint mode: `required` and `fail` yield "" instead of failing.
    pub lint: bool,
    /// Helm's `EnableDNS`: without it `getHostByName` returns "".
    pub enable_dns: bool,
}

impl std::fmt::Debug for HelmFuncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelmFuncOptions")
            .field("lookup", &self.lookup.is_some())
            .field("strict", &self.strict)
            .field("lint", &self.lint)
            .field("enable_dns", &self.enable_dns)
            .finish()
    }
}

/// Every function a Helm v4 template can call: Sprig's, overridden and extended by Helm's.
pub fn helm_funcs(opts: HelmFuncOptions) -> FuncMap {
    let mut map = crate::sprig::funcs();
    // Helm deletes these from Sprig's map: templates must not read the environment.
    map.remove("env");
    map.remove("expandenv");
    data::register(&mut map);
    render::register(&mut map, &opts);
    map
}

#[cfg(test)]
mod tests;
