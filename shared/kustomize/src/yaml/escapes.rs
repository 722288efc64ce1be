//! Where go-yaml and saphyr-parser disagree on double-quoted escapes: go-yaml accepts
//! `\'` and refuses `\/`; saphyr-parser the other way round. These helpers look at the
//! raw text of a double-quoted scalar to make the parser behave as go-yaml.

/// Byte offset of the `n`th character.
fn byte_offset(text: &str, n: usize) -> Option<usize> {
    text.char_indices()
        .nth(n)
        .map(|(i, _)| i)
        .or((n == text.chars().count()).then_some(text.len()))
}

/// Escapes of the double-quoted scalar starting at (or after) byte `from`, as
/// (byte offset of the backslash, escaped char), up to the closing quote.
fn escapes(text: &str, from: usize) -> Vec<(usize, char)> {
    let Some(open) = text[from..].find('"').map(|i| from + i) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut it = text[open + 1..].char_indices();
    while let Some((i, c)) = it.next() {
        match c {
            '"' => break,
            '\\' => match it.next() {
                Some((_, e)) => out.push((open + 1 + i, e)),
                None => break,
            },
            _ => {}
        }
    }
    out
}

/// After saphyr refused an escape in the scalar starting at character `start`: the
/// text with go-yaml's extra `\'` escape rewritten as `\x27`, if that was the cause.
pub fn rewrite_quote_escape(text: &str, start: usize) -> Option<String> {
    let from = byte_offset(text, start)?;
    let (at, _) = escapes(text, from).into_iter().find(|(_, e)| *e == '\'')?;
    let mut fixed = String::with_capacity(text.len() + 2);
    fixed.push_str(&text[..at]);
    fixed.push_str("\\x27");
    fixed.push_str(&text[at + 2..]);
    Some(fixed)
}

/// Whether the double-quoted scalar starting at character `start` uses `\/`, which
/// go-yaml refuses.
pub fn has_slash_escape(text: &str, start: usize) -> bool {
    byte_offset(text, start).is_some_and(|from| escapes(text, from).iter().any(|(_, e)| *e == '/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_escapes_in_the_scalar_only() {
        let text = "a: \"x\\'y\\\\\" # \\'\nb: \"\\/\"\n";
        assert_eq!(
            rewrite_quote_escape(text, 0).as_deref(),
            Some("a: \"x\\x27y\\\\\" # \\'\nb: \"\\/\"\n")
        );
        assert!(!has_slash_escape(text, 0));
        let b = text.find("b:").unwrap_or(0);
        assert!(has_slash_escape(text, b));
    }
}
