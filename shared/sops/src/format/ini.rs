//! INI files as sops reads and writes them with go-ini: `[section]` maps (a value's path is
//! section:key), the keys before any header in `DEFAULT`, comments kept (a section's before
//! its header, a key's before the key), aligned `key = value` lines; the metadata is the
//! `[sops]` section with flattened keys.

use super::flat;
use crate::tree::Node;

const DEFAULT_SECTION: &str = "DEFAULT";

/// go-ini's comment text: the leading `;`/`#` and spaces removed (sops' `stripCommentChar`).
fn strip_comment(line: &str) -> &str {
    line.trim_start_matches([';', '#', ' '])
}

/// go-ini unquotes values written in `"`, `` ` `` or `"""`.
fn unquote(v: &str) -> &str {
    for q in ["\"\"\"", "`", "\""] {
        if v.len() >= 2 * q.len()
            && let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q))
        {
            return inner;
        }
    }
    v
}

type Section = (String, Vec<(String, Node)>);

fn parse(text: &str) -> Result<Vec<Section>, String> {
    let mut sections: Vec<Section> = vec![(DEFAULT_SECTION.to_string(), Vec::new())];
    let mut pending: Vec<&str> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with(';') || line.starts_with('#') {
            pending.push(strip_comment(line));
            continue;
        }
        let comment = (!pending.is_empty()).then(|| Node::Comment(pending.join("\n")));
        pending.clear();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let entries = comment
                .map(|c| vec![(String::new(), c)])
                .unwrap_or_default();
            sections.push((name.trim().to_string(), entries));
            continue;
        }
        let at = line
            .find(['=', ':'])
            .ok_or_else(|| format!("invalid INI input at line {}", i + 1))?;
        let (key, value) = (line[..at].trim(), unquote(line[at + 1..].trim()));
        if let Some((_, entries)) = sections.last_mut() {
            entries.push((key.to_string(), Node::Str(value.to_string())));
            entries.extend(comment.map(|c| (String::new(), c)));
        }
    }
    Ok(sections)
}

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let mut sops = None;
    let mut branch = Vec::new();
    for (name, entries) in parse(text)? {
        if name == "sops" {
            let pairs = entries
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Node::Str(s) => Some((k, s)),
                    _ => None,
                })
                .collect();
            sops = Some(flat::unflatten(pairs)?);
        } else if !(name == DEFAULT_SECTION && entries.is_empty()) {
            branch.push((name, Node::Map(entries)));
        }
    }
    Ok((sops, vec![Node::Map(branch)]))
}

fn write_comment(out: &mut String, text: &str) {
    for line in text.lines() {
        if line.starts_with([';', '#']) {
            out.push_str(line);
        } else {
            out.push_str("; ");
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn section(out: &mut String, name: &str, entries: &[(String, Node)]) -> Result<(), String> {
    let mut rest = entries;
    if let Some(((_, Node::Comment(c)), tail)) = rest.split_first() {
        write_comment(out, c);
        rest = tail;
    }
    if name != DEFAULT_SECTION {
        out.push_str(&format!("[{name}]\n"));
    }
    let width = rest
        .iter()
        .filter(|(_, v)| !v.is_comment())
        .map(|(k, _)| k.chars().count())
        .max();
    for (i, (key, value)) in rest.iter().enumerate() {
        if value.is_comment() {
            continue;
        }
        if let Some((_, Node::Comment(c))) = rest.get(i + 1) {
            write_comment(out, c);
        }
        let bytes = value
            .mac_bytes()
            .ok_or_else(|| format!("cannot use complex value in INI file (key '{key}')"))?;
        let value = String::from_utf8_lossy(&bytes);
        let pad = width.unwrap_or(0).saturating_sub(key.chars().count());
        out.push_str(&format!("{key}{} = {}\n", " ".repeat(pad), quote(&value)));
    }
    Ok(())
}

/// go-ini quotes values that would not read back as they are.
fn quote(v: &str) -> String {
    if v.contains(['\n', '`']) {
        format!("\"\"\"{v}\"\"\"")
    } else if v.contains(['#', ';']) {
        format!("`{v}`")
    } else if v.trim() != v {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

pub(super) fn emit(branches: &[Node]) -> Result<Vec<u8>, String> {
    let mut out = String::new();
    for branch in branches {
        let Node::Map(sections) = branch else {
            return Err("an INI document must be a mapping of sections".into());
        };
        for (name, value) in sections.iter().filter(|(_, v)| !v.is_comment()) {
            let Node::Map(entries) = value else {
                return Err(format!("INI section '{name}' must be a mapping"));
            };
            if !out.is_empty() {
                out.push('\n');
            }
            section(&mut out, name, entries)?;
        }
    }
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_comments_and_aligns() {
        let text = "top = 1\n; c1\n[database]\n# c2\nuser = admin\npassword = s3cr3t\n\n[cache]\nttl = 30\nq = \"quoted\"\n";
        let (sops, branches) = load(text).unwrap();
        assert!(sops.is_none());
        let out = String::from_utf8(emit(&branches).unwrap()).unwrap();
        assert_eq!(
            out,
            "top = 1\n\n; c1\n[database]\n; c2\nuser     = admin\npassword = s3cr3t\n\n[cache]\nttl = 30\nq   = quoted\n"
        );
    }
}
