//! dotenv files: `KEY=value` lines in order, `#` comments kept (decrypted) in place; the metadata is the `sops_`-prefixed
//! keys, flattened.

use super::flat;
use crate::tree::Node;

const SOPS_PREFIX: &str = "sops_";

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let mut entries = Vec::new();
    let mut meta = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            entries.push((String::new(), Node::Comment(comment.to_string())));
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("invalid dotenv input at line {}", i + 1))?;
        match key.strip_prefix(SOPS_PREFIX) {
            Some(meta_key) => meta.push((meta_key.to_string(), value.to_string())),
            None => entries.push((key.to_string(), Node::Str(value.to_string()))),
        }
    }
    let sops = if meta.is_empty() {
        None
    } else {
        Some(flat::unflatten(meta)?)
    };
    Ok((sops, vec![Node::Map(entries)]))
}

pub(super) fn emit(branches: &[Node]) -> Result<Vec<u8>, String> {
    let mut out = String::new();
    for branch in branches {
        let Node::Map(entries) = branch else {
            return Err("a dotenv document must be a flat mapping".into());
        };
        for (key, value) in entries {
            if let Node::Comment(text) = value {
                out.push('#');
                out.push_str(text);
                out.push('\n');
                continue;
            }
            let bytes = match value {
                Node::Seq(_) | Node::Map(_) => {
                    return Err(format!(
                        "cannot use complex value in dotenv file (key '{key}')"
                    ));
                }
                other => other.mac_bytes().unwrap_or_default(),
            };
            out.push_str(key);
            out.push('=');
            out.push_str(&String::from_utf8_lossy(&bytes));
            out.push('\n');
        }
    }
    Ok(out.into_bytes())
}
