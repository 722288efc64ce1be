//! Tables as the flux CLI prints them (olekukonko/tablewriter with Flux's settings: no
//! borders, upper-case headers, cells padded to the column width and separated by a tab).

use std::sync::OnceLock;

use kube::core::DynamicObject;
use regex::Regex;
use serde_json::Value;

/// Renders `rows` under `header` (empty header: rows only, as `--no-header` and watches do).
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; columns];
    let header: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    for row in std::iter::once(&header).chain(rows) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    if !header.is_empty() {
        for (i, h) in header.iter().enumerate() {
            out.push_str(&pad(h, widths[i]));
            out.push(if i + 1 == columns { ' ' } else { '\t' });
        }
        out.push('\n');
    }
    for row in rows {
        for (i, width) in widths.iter().enumerate() {
            out.push_str(&pad(row.get(i).map_or("", String::as_str), *width));
            out.push('\t');
        }
        out.push('\n');
    }
    out
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

/// Flux's `TruncateHex`: every 40–128 character hex run (a SHA-1 … SHA-512) cut to 8.
pub fn truncate_hex(s: &str) -> String {
    static HEX: OnceLock<Option<Regex>> = OnceLock::new();
    let re = HEX.get_or_init(|| Regex::new(r"\b[a-f0-9]{40,128}\b").ok());
    match re {
        Some(re) => re
            .replace_all(s, |c: &regex::Captures| c[0][..8].to_string())
            .into_owned(),
        None => s.to_string(),
    }
}

/// The Ready condition's status and message, or Flux's "waiting to be reconciled".
pub fn ready(obj: &DynamicObject) -> (String, String) {
    condition(obj, "Ready").map_or_else(
        || ("False".to_string(), "waiting to be reconciled".to_string()),
        |c| (str_of(c, "status"), str_of(c, "message")),
    )
}

/// A status condition by type (case-insensitive, as `--status-selector` matches).
pub fn condition<'a>(obj: &'a DynamicObject, type_: &str) -> Option<&'a Value> {
    obj.data
        .pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .rev()
        .find(|c| {
            c.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case(type_))
        })
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `True`/`False` as Go's `strings.Title(strconv.FormatBool(spec.suspend))`.
pub fn suspended(obj: &DynamicObject) -> String {
    let s = obj.data.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true);
    if s { "True" } else { "False" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_flux() {
        let rows = vec![
            vec![
                "flux-system".into(),
                "main@sha1:5902d505".into(),
                "False".into(),
            ],
            vec!["apps".into(), "".into(), "True".into()],
        ];
        let out = render(&["Name", "Revision", "Suspended"], &rows);
        assert_eq!(
            out,
            "NAME       \tREVISION          \tSUSPENDED \n\
             flux-system\tmain@sha1:5902d505\tFalse    \t\n\
             apps       \t                  \tTrue     \t\n"
        );
        assert_eq!(render(&[], &rows[1..]), "apps\t\tTrue\t\n");
    }

    #[test]
    fn truncates_hashes_like_flux() {
        let sha = "5902d505b5b5e0c8d8d6e0b8cbd4c5d0b1a1f2e3";
        assert_eq!(
            truncate_hex(&format!("main@sha1:{sha}")),
            "main@sha1:5902d505"
        );
        assert_eq!(
            truncate_hex(&format!("stored artifact for revision 'main@sha1:{sha}'")),
            "stored artifact for revision 'main@sha1:5902d505'"
        );
        assert_eq!(truncate_hex("v1.0.0"), "v1.0.0");
        assert_eq!(truncate_hex("abc123"), "abc123");
    }
}
