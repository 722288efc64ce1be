//! `--post-renderer NAME`: in Helm v4 the name of a plugin of type `postrenderer/v1`, found
//! in `HELM_PLUGINS` (default `$HELM_DATA_HOME/plugins`) as `<dir>/*/plugin.yaml`. Helm
//! pipes the manifests through the plugin after re-serializing them with kyaml (comments
//! kept, sequences re-indented); that re-serialization is not reproduced yet, so a plugin
//! that exists is refused with a clear error instead of printing different bytes.

use std::path::{Path, PathBuf};

/// The directories Helm searches for plugins.
fn plugin_dirs() -> Vec<PathBuf> {
    if let Some(v) = std::env::var_os("HELM_PLUGINS").filter(|v| !v.is_empty()) {
        return std::env::split_paths(&v).collect();
    }
    let data = std::env::var_os("HELM_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_DATA_HOME").map(|x| Path::new(&x).join("helm")))
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share/helm")));
    data.map(|d| vec![d.join("plugins")]).unwrap_or_default()
}

/// A plugin.yaml's name and type (`cli/v1` for legacy plugins without an apiVersion).
fn plugin_identity(file: &Path) -> Option<(String, String)> {
    let text = std::fs::read_to_string(file).ok()?;
    let value = crate::yaml::from_yaml(&text).ok()?;
    let json: serde_json::Value = serde_json::from_str(&crate::yaml::to_json(&value).ok()?).ok()?;
    let s = |k: &str| {
        json.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let kind = if s("apiVersion").is_empty() {
        "cli/v1".to_string()
    } else {
        s("type")
    };
    Some((s("name"), kind))
}

/// Finds the post-renderer plugin as Helm's `FindPlugin`; the error is Helm's flag error.
pub fn find_post_renderer(name: &str) -> Result<PathBuf, String> {
    for dir in plugin_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut candidates: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        candidates.sort();
        for plugin in candidates {
            let found = plugin_identity(&plugin.join("plugin.yaml"));
            if found.is_some_and(|(n, t)| n == name && t == "postrenderer/v1") {
                return Ok(plugin);
            }
        }
    }
    Err(format!(
        "invalid argument {name:?} for \"--post-renderer\" flag: plugin: {{Name:{name} Type:postrenderer/v1}} not found"
    ))
}

/// `--post-renderer`: Helm's error when the plugin is missing, else a clear refusal.
pub fn check_post_renderer(name: &str) -> Result<(), String> {
    let dir = find_post_renderer(name)?;
    Err(format!(
        "post-renderer plugin {name:?} ({}) is not supported yet: Helm re-serializes manifests with kyaml around it, which fluxion-helm does not reproduce",
        dir.display()
    ))
}
