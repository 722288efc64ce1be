//! BurntSushi/toml's (v1.6) syntax errors, as Helm's `fromToml` puts them under `Error`: a
//! re-implementation of its lexer and parser that checks the text and builds no values
//! (the `toml` crate builds them), so the message and its line and key context read as
//! Helm's do.

mod lex;
mod parse;
mod values;

#[cfg(test)]
mod tests;

/// Checks `text` as BurntSushi/toml's `Decode` parses it; the error is its `Error()` text.
pub fn check(text: &str) -> Result<(), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let head = &text.as_bytes()[..text.len().min(6)];
    if head.contains(&0) {
        return Err("toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8".into());
    }
    let mut p = parse::Parser::new(text);
    p.run().map_err(|f| {
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
