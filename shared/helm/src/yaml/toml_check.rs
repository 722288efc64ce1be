//! BurntSushi/toml (v1.6) as Helm's `fromToml` runs it: a re-implementation of its lexer
//! and parser, so that what it accepts (including the redefinitions TOML forbids but it
//! lets through), the values it builds, and its error texts with their line and key
//! context all read as Helm's do.

mod lex;
mod parse;
mod times;
mod tree;
mod values;

#[cfg(test)]
mod tests;

/// Checks `text` as BurntSushi/toml's `Decode` parses it; the error is its `Error()` text.
#[cfg(test)]
pub fn check(text: &str) -> Result<(), String> {
    decode(text).map(|_| ())
}

/// `toml.Unmarshal` into a `map[string]interface{}`; the error is its `Error()` text.
pub fn decode(text: &str) -> Result<crate::template::Dict, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let head = &text.as_bytes()[..text.len().min(6)];
    if head.contains(&0) {
        return Err("toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8".into());
    }
    let mut p = parse::Parser::new(text);
    p.run().map(|()| tree::to_dict(p.mapping())).map_err(|f| {
        if f.last_key.is_empty() {
            format!("toml: line {}: {}", f.line, f.message)
        } else {
            format!(
                "toml: line {} (last key {}): {}",
                f.line,
                crate::template::strconv::quote(&f.last_key),
                f.message
            )
        }
    })
}
