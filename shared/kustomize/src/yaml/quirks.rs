//! Where go-yaml and saphyr-parser disagree, and how the raw text is adjusted or checked
//! so that parsing behaves as go-yaml: go-yaml accepts `\'` in double-quoted scalars
//! and refuses `\/` (saphyr-parser the other way round), and go-yaml accepts a tab as
//! the only separator after `key:` (saphyr-parser refuses it before some values).

/// Maps saphyr-parser's character positions to byte offsets, cheaply for positions
/// that mostly increase.
pub struct CharCursor<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> CharCursor<'a> {
        CharCursor {
            text,
            chars: 0,
            bytes: 0,
        }
    }

    /// Byte offset of character `n` (the text length past the end).
    pub fn byte_at(&mut self, n: usize) -> usize {
        if self.text.is_ascii() {
            return n.min(self.text.len());
        }
        if n < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars == n {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

/// Whether the collection whose event starts at byte `at` is written in flow style:
/// past any anchor and tag, it opens with `{` or `[`.
pub fn opens_flow(text: &str, at: usize) -> bool {
    let mut rest = text.get(at..).unwrap_or_default();
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        if rest.starts_with('&') || rest.starts_with('!') {
            let end = rest
                .find([' ', '\t', '\n', '\r', '{', '['])
                .unwrap_or(rest.len());
            let (token, after) = rest.split_at(end);
            if token.contains(['{', '[']) {
                return true;
            }
            rest = after;
            continue;
        }
        return rest.starts_with('{') || rest.starts_with('[');
    }
}

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

/// After saphyr refused tabs after a `:` (error at character `at`, where the value
/// starts): the text with those separating tabs turned into spaces.
pub fn rewrite_tab_separator(text: &str, at: usize) -> Option<String> {
    let end = byte_offset(text, at)?;
    let head = &text[..end];
    let sep_len = head.len() - head.trim_end_matches([' ', '\t']).len();
    let start = end - sep_len;
    if sep_len == 0 || !head[..start].ends_with(':') {
        return None;
    }
    let mut fixed = String::with_capacity(text.len());
    fixed.push_str(&text[..start]);
    fixed.push_str(&head[start..].replace('\t', " "));
    fixed.push_str(&text[end..]);
    Some(fixed)
}

/// Whether the double-quoted scalar starting at byte `from` uses `\/`, which go-yaml
/// refuses.
pub fn has_slash_escape(text: &str, from: usize) -> bool {
    escapes(text, from).iter().any(|(_, e)| *e == '/')
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
        let mut c = CharCursor::new("é: [x]");
        assert_eq!(c.byte_at(3), 4);
        assert!(opens_flow("a: &x !t [1]", 3));
        assert!(!opens_flow("a: b", 3));
        let b = text.find("b:").unwrap_or(0);
        assert!(has_slash_escape(text, b));
    }

    #[test]
    fn tab_separators_become_spaces() {
        let text = "a:\t\tvalue\n";
        assert_eq!(
            rewrite_tab_separator(text, 4).as_deref(),
            Some("a:  value\n")
        );
        assert_eq!(rewrite_tab_separator("ab", 1), None);
    }
}
