//! Sprig's case conversions, ported from huandu/xstrings (v1.5): camelcase (ToCamelCase),
//! snakecase (ToSnakeCase) and kebabcase (ToKebabCase), with its word splitting rules for
//! acronyms and numbers ("HTTPServer" → "http_server", "Bld4Floor3rd" → "bld4_floor_3rd").

use super::strings::s;
use crate::template::{FuncMap, Param, Signature, Value};

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// Go's `unicode.IsPunct` (category P), for ASCII; other scripts count as no punctuation.
fn is_punct(c: char) -> bool {
    c.is_ascii() && "!\"#%&'()*,-./:;?@[\\]_{}".contains(c)
}

/// xstrings' `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    c.is_alphabetic()
        && !matches!(c, '\u{4E00}'..='\u{9FCC}' | '\u{3400}'..='\u{4D85}' | '\u{20000}'..='\u{2B81D}')
}

/// xstrings' `ToCamelCase`.
fn camel(x: &str) -> String {
    let mut out = String::new();
    let mut it = x.chars();
    let mut r0 = None;
    for c in it.by_ref() {
        if !is_connector(c) {
            r0 = Some(c.to_uppercase().next().unwrap_or(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = r0 else {
        // Go writes the last connector once more when there is nothing else.
        out.extend(x.chars().next_back());
        return out;
    };
    for c in it {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            r0 = r0.to_uppercase().next().unwrap_or(r0);
        } else {
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextWord`: the kind and text of the first word of `x`, and the rest.
fn next_word(x: &str) -> (Word, &str, &str) {
    let Some(first) = x.chars().next() else {
        return (Word::Invalid, "", "");
    };
    let take = |skip: usize, pred: &dyn Fn(char) -> bool| -> usize {
        x[skip..]
            .chars()
            .take_while(|&c| pred(c))
            .map(char::len_utf8)
            .sum::<usize>()
            + skip
    };
    let n = first.len_utf8();
    let (kind, end) = if is_connector(first) {
        (Word::Connector, take(n, &is_connector))
    } else if is_punct(first) {
        (Word::Punct, take(n, &is_punct))
    } else if first.is_uppercase() {
        match x[n..].chars().next() {
            Some(c) if c.is_uppercase() => {
                let end = take(n, &|c: char| c.is_uppercase());
                let last = x[..end].chars().next_back().map_or(0, char::len_utf8);
                match x[end..].chars().next() {
                    Some(c) if is_alphabet(c) => (Word::Upper, end - last),
                    _ => (Word::Upper, end),
                }
            }
            Some(c) if is_alphabet(c) => (
                Word::Upper,
                take(n, &|c: char| is_alphabet(c) && !c.is_uppercase()),
            ),
            _ => (Word::Upper, n),
        }
    } else if is_alphabet(first) {
        (
            Word::Alphabet,
            take(n, &|c: char| is_alphabet(c) && !c.is_uppercase()),
        )
    } else if first.is_numeric() {
        (Word::Number, take(n, &char::is_numeric))
    } else {
        let other = |c: char| !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c));
        (Word::Other, take(n, &other))
    };
    (kind, &x[..end], &x[end..])
}

fn to_lower(out: &mut String, kind: Word, word: &str, conn: char) {
    if kind != Word::Upper && kind != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(conn);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// xstrings' `camelCaseToLowerCase`.
fn lower_case(x: &str, conn: char) -> String {
    let mut out = String::new();
    let (mut wt, mut word, mut rem) = next_word(x);
    while !rem.is_empty() {
        if wt != Word::Connector {
            to_lower(&mut out, wt, word, conn);
        }
        let (prev, last) = (wt, word);
        (wt, word, rem) = next_word(rem);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower(&mut out, wt, word, conn);
                    (wt, word, rem) = next_word(rem);
                }
                if !matches!(wt, Word::Invalid | Word::Punct | Word::Connector) {
                    out.push(conn);
                }
            }
            Word::Connector => to_lower(&mut out, prev, last, conn),
            Word::Punct => {}
            _ => after_word(&mut out, conn, &mut wt, &mut word, &mut rem),
        }
    }
    to_lower(&mut out, wt, word, conn);
    out
}

/// The `default` branch of `camelCaseToLowerCase`: a word followed by a number.
fn after_word<'a>(
    out: &mut String,
    conn: char,
    wt: &mut Word,
    word: &mut &'a str,
    rem: &mut &'a str,
) {
    if *wt != Word::Number {
        if *wt != Word::Connector && *wt != Word::Punct {
            out.push(conn);
        }
        return;
    }
    if rem.is_empty() {
        return;
    }
    let last = *word;
    (*wt, *word, *rem) = next_word(rem);
    if *wt != Word::Alphabet {
        to_lower(out, Word::Number, last, conn);
        if *wt != Word::Connector && *wt != Word::Punct {
            out.push(conn);
        }
        return;
    }
    out.push(conn);
    to_lower(out, Word::Number, last, conn);
    while *wt == Word::Alphabet || *wt == Word::Number {
        to_lower(out, *wt, word, conn);
        (*wt, *word, *rem) = next_word(rem);
    }
    if !matches!(*wt, Word::Invalid | Word::Connector | Word::Punct) {
        out.push(conn);
    }
}

pub(super) fn register(map: &mut FuncMap) {
    map.add("camelcase", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(camel(s(a, 0))))
    });
    map.add("snakecase", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(lower_case(s(a, 0), '_')))
    });
    map.add("kebabcase", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(lower_case(s(a, 0), '-')))
    });
}
