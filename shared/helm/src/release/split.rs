//! Helm's `SplitManifests`: a rendered file cut into documents at `---` separators.

use std::sync::LazyLock;

use regex::Regex;

static SEP: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:^|\s*\n)---\s*").ok());

/// The documents of a rendered file, in order, each trimmed of surrounding whitespace (Helm
/// 4.1); empty pieces are dropped.
pub fn split_manifests(big: &str) -> Vec<String> {
    let trimmed = big.trim();
    let pieces: Vec<&str> = match SEP.as_ref() {
        Some(re) => re.split(trimmed).collect(),
        None => vec![trimmed],
    };
    pieces
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(|d| d.trim().to_string())
        .collect()
}
