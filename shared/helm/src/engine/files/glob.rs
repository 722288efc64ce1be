//! gobwas/glob patterns as Helm's `.Files.Glob` compiles them with `/` as the separator:
//! `*` (no separator), `**` (anything), `?`, `[abc]`, `[a-z]`, `[!x]`, `{a,b}`, `\` escapes.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `*`: any run of non-separator characters.
    Star,
    /// `**`: any run of characters.
    Super,
    /// `?`: one non-separator character.
    Single,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Alt(Vec<Vec<Token>>),
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob(Vec<Token>);

const SEPARATOR: char = '/';

impl Glob {
    /// Compiles `pattern`; `None` when gobwas would reject it (an unclosed `[` or `{`).
    pub fn compile(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let tokens = parse_seq(&chars, &mut i, false)?;
        (i == chars.len()).then_some(Glob(tokens))
    }

    /// `**`, Helm's fallback for a pattern that does not compile.
    pub fn everything() -> Glob {
        Glob(vec![Token::Super])
    }

    pub fn matches(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        match_seq(&self.0, &chars, &mut 0)
    }
}

/// Parses until the end, or inside braces until `,` or `}` (left for the caller).
fn parse_seq(p: &[char], i: &mut usize, in_alt: bool) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    while *i < p.len() {
        let c = p[*i];
        match c {
            ',' | '}' if in_alt => return Some(out),
            '\\' => {
                *i += 1;
                out.push(Token::Char(*p.get(*i)?));
                *i += 1;
            }
            '*' if p.get(*i + 1) == Some(&'*') => {
                out.push(Token::Super);
                *i += 2;
            }
            '*' => {
                out.push(Token::Star);
                *i += 1;
            }
            '?' => {
                out.push(Token::Single);
                *i += 1;
            }
            '[' => out.push(parse_class(p, i)?),
            '{' => out.push(parse_alt(p, i)?),
            _ => {
                out.push(Token::Char(c));
                *i += 1;
            }
        }
    }
    (!in_alt).then_some(out)
}

fn parse_class(p: &[char], i: &mut usize) -> Option<Token> {
    *i += 1;
    let negated = p.get(*i) == Some(&'!');
    if negated {
        *i += 1;
    }
    let mut ranges = Vec::new();
    loop {
        let c = *p.get(*i)?;
        if c == ']' {
            *i += 1;
            return Some(Token::Class { negated, ranges });
        }
        if p.get(*i + 1) == Some(&'-') && p.get(*i + 2).is_some_and(|e| *e != ']') {
            ranges.push((c, p[*i + 2]));
            *i += 3;
        } else {
            ranges.push((c, c));
            *i += 1;
        }
    }
}

fn parse_alt(p: &[char], i: &mut usize) -> Option<Token> {
    *i += 1;
    let mut alts = Vec::new();
    loop {
        alts.push(parse_seq(p, i, true)?);
        match p.get(*i)? {
            ',' => *i += 1,
            _ => {
                *i += 1;
                return Some(Token::Alt(alts));
            }
        }
    }
}

/// Whether `pat` matches exactly `s[*at..]` (backtracking).
fn match_seq(pat: &[Token], s: &[char], at: &mut usize) -> bool {
    let Some((first, rest)) = pat.split_first() else {
        return *at == s.len();
    };
    let start = *at;
    let try_from = |pos: usize| match_seq(rest, s, &mut pos.clone());
    match first {
        Token::Char(c) => s.get(start) == Some(c) && try_from(start + 1),
        Token::Single => s.get(start).is_some_and(|c| *c != SEPARATOR) && try_from(start + 1),
        Token::Class { negated, ranges } => {
            s.get(start)
                .is_some_and(|c| ranges.iter().any(|(lo, hi)| lo <= c && c <= hi) != *negated)
                && try_from(start + 1)
        }
        Token::Star => {
            let mut end = start;
            loop {
                if try_from(end) {
                    return true;
                }
                if end >= s.len() || s[end] == SEPARATOR {
                    return false;
                }
                end += 1;
            }
        }
        Token::Super => (start..=s.len()).any(try_from),
        Token::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            match_seq(&joined, s, &mut start.clone())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_gobwas() {
        let cases = [
            ("files/*", "files/a.txt", true),
            ("files/*", "files/sub/c.txt", false),
            ("files/**", "files/sub/c.txt", true),
            ("**.txt", "files/sub/c.txt", true),
            ("*.txt", "files/a.txt", false),
            ("files/?.txt", "files/a.txt", true),
            ("files/[ab].*", "files/b.conf", true),
            ("files/[!ab].*", "files/b.conf", false),
            ("files/[a-c].txt", "files/c.txt", true),
            ("files/{a.txt,b.conf}", "files/b.conf", true),
            ("files/{*.txt,x}", "files/a.txt", true),
            ("files/\\*", "files/*", true),
            ("files/a.txt", "files/a.txt", true),
        ];
        for (pat, name, want) in cases {
            let g = Glob::compile(pat).unwrap();
            assert_eq!(g.matches(name), want, "{pat} ~ {name}");
        }
        assert!(Glob::compile("files/[ab").is_none());
        assert!(Glob::compile("{a,b").is_none());
    }
}
