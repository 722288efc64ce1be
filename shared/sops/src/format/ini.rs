//! INI files: `[section]` headers and `key = value` lines; each section is a map (the path of a
//! value is section:key), the metadata is the `[sops]` section with flattened keys.

use super::flat;
use crate::tree::Node;

const DEFAULT_SECTION: &str = "DEFAULT";

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push((name.trim().to_string(), Vec::new()));
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("invalid INI input at line {}", i + 1))?;
        if sections.is_empty() {
            sections.push((DEFAULT_SECTION.to_string(), Vec::new()));
        }
        if let Some((_, entries)) = sections.last_mut() {
            entries.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    let mut sops = None;
    let mut branch = Vec::new();
    for (name, entries) in sections {
        if name == "sops" {
            sops = Some(flat::unflatten(entries)?);
        } else {
            let map = entries
                .into_iter()
                .map(|(k, v)| (k, Node::Str(v)))
                .collect();
            branch.push((name, Node::Map(map)));
        }
    }
    Ok((sops, vec![Node::Map(branch)]))
}

pub(super) fn emit(branches: &[Node]) -> Result<Vec<u8>, String> {
    let mut out = String::new();
    for branch in branches {
        let Node::Map(sections) = branch else {
            return Err("an INI document must be a mapping of sections".into());
        };
        for (name, section) in sections {
            let Node::Map(entries) = section else {
                return Err(format!("INI section '{name}' must be a mapping"));
            };
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("[{name}]\n"));
            for (key, value) in entries.iter().filter(|(_, v)| !v.is_comment()) {
                let bytes = value
                    .mac_bytes()
                    .ok_or_else(|| format!("cannot use complex value in INI file (key '{key}')"))?;
                out.push_str(&format!("{key} = {}\n", String::from_utf8_lossy(&bytes)));
            }
        }
    }
    Ok(out.into_bytes())
}
