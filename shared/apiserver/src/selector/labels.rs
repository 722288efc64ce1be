//! The label selector grammar of apimachinery's `labels.Parse`: its lexer, its parser and its
//! requirement checks, with the same error messages (a 400 of list and watch quotes them).

use super::{Op, SelectorError};
use crate::fieldmanager::go_quote;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Error,
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn token_of(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosedPar,
        "," => Tok::Comma,
        "!" => Tok::DoesNotExist,
        "==" => Tok::DoubleEquals,
        "=" => Tok::Equals,
        ">" => Tok::GreaterThan,
        "in" => Tok::In,
        "<" => Tok::LessThan,
        "!=" => Tok::NotEquals,
        "notin" => Tok::NotIn,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn special(c: u8) -> bool {
    b"=!(),><".contains(&c)
}

fn space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// The tokens of a selector, ending with [`Tok::End`].
fn lex(s: &str) -> Vec<(Tok, String)> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut out = Vec::new();
    loop {
        while pos < b.len() && space(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() {
            out.push((Tok::End, String::new()));
            return out;
        }
        let start = pos;
        if special(b[pos]) {
            let mut last: Option<(Tok, usize)> = None;
            while pos < b.len() && special(b[pos]) {
                match token_of(&s[start..=pos]) {
                    Some(t) => last = Some((t, pos + 1)),
                    None if last.is_some() => break,
                    None => {}
                }
                pos += 1;
            }
            match last {
                Some((t, end)) => {
                    pos = end;
                    out.push((t, s[start..end].to_string()));
                }
                None => out.push((
                    Tok::Error,
                    format!("error expected: keyword found '{}'", &s[start..pos]),
                )),
            }
        } else {
            while pos < b.len() && !special(b[pos]) && !space(b[pos]) {
                pos += 1;
            }
            let word = &s[start..pos];
            out.push((token_of(word).unwrap_or(Tok::Identifier), word.to_string()));
        }
    }
}

const QUALIFIED: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn qualified_chars(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

fn subdomain(s: &str) -> bool {
    s.split('.').all(|l| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    })
}

/// `validation.IsQualifiedName`.
fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                if prefix.len() > 253 {
                    errs.push("prefix part must be no more than 253 characters".to_string());
                }
                if !subdomain(prefix) {
                    errs.push(format!("prefix part {SUBDOMAIN}"));
                }
            }
            name
        }
        _ => {
            return vec![format!(
                "a qualified name {QUALIFIED} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !qualified_chars(name) {
        errs.push(format!("name part {QUALIFIED}"));
    }
    errs
}

/// `validation.IsValidLabelValue`.
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !qualified_chars(value) {
        errs.push(LABEL_VALUE.to_string());
    }
    errs
}

/// A field error's text: `path: Invalid value: "v": detail`.
fn invalid(path: &str, value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {}: {detail}", go_quote(value))
}

/// `errors.Aggregate`'s text of several messages.
fn aggregate(mut errs: Vec<String>) -> String {
    errs.dedup();
    match errs.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

/// A requirement: key, operator, values (sorted and unique, as a string set lists them).
type Requirement = (String, Op);

impl Parser {
    /// The next token; `values` reads `in`/`notin` as identifiers.
    fn peek(&self, values: bool) -> (Tok, String) {
        let (t, l) = self
            .items
            .get(self.pos)
            .cloned()
            .unwrap_or((Tok::End, String::new()));
        match t {
            Tok::In | Tok::NotIn if values => (Tok::Identifier, l),
            _ => (t, l),
        }
    }

    fn next(&mut self, values: bool) -> (Tok, String) {
        let item = self.peek(values);
        self.pos += 1;
        item
    }

    fn selector(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (t, lit) = self.peek(true);
            match t {
                Tok::Identifier | Tok::DoesNotExist => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    let (t, lit) = self.next(true);
                    match t {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let (t2, l2) = self.peek(true);
                            if t2 != Tok::Identifier && t2 != Tok::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => {
                            return Err(format!("found '{lit}', expected: ',' or 'end of string'"));
                        }
                    }
                }
                Tok::End => return Ok(reqs),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (mut t, mut key) = self.next(true);
        let not = t == Tok::DoesNotExist;
        if not {
            (t, key) = self.next(true);
        }
        if t != Tok::Identifier {
            return Err(format!("found '{key}', expected: identifier"));
        }
        let errs = qualified_name_errors(&key);
        if !errs.is_empty() {
            return Err(invalid("<nil>", &key, &errs.join("; ")));
        }
        let (next, _) = self.peek(true);
        if not || next == Tok::End || next == Tok::Comma {
            let op = if not { Op::NotExists } else { Op::Exists };
            return Ok((key, op));
        }
        let (op, lit) = self.next(false);
        let values = match op {
            Tok::In | Tok::NotIn => self.values()?,
            Tok::Equals | Tok::DoubleEquals | Tok::NotEquals | Tok::GreaterThan | Tok::LessThan => {
                self.exact_value()?
            }
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ));
            }
        };
        requirement(key, op, values)
    }

    fn values(&mut self) -> Result<Vec<String>, String> {
        let (t, lit) = self.next(true);
        if t != Tok::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (t, lit) = self.peek(true);
        match t {
            Tok::Identifier | Tok::Comma => {
                let set = self.identifiers()?;
                if self.next(true).0 != Tok::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.next(true);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn identifiers(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        let insert = |set: &mut Vec<String>, v: String| {
            if !set.contains(&v) {
                set.push(v);
            }
        };
        loop {
            let (t, lit) = self.next(true);
            match t {
                Tok::Identifier => {
                    insert(&mut set, lit);
                    let (t2, l2) = self.peek(true);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        insert(&mut set, String::new());
                    }
                    match self.peek(true).0 {
                        Tok::ClosedPar => {
                            insert(&mut set, String::new());
                            return Ok(set);
                        }
                        Tok::Comma => {
                            self.next(true);
                            insert(&mut set, String::new());
                        }
                        _ => {}
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        let (t, _) = self.peek(true);
        if t == Tok::End || t == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (t, lit) = self.next(true);
        if t == Tok::Identifier {
            return Ok(vec![lit]);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

/// `labels.NewRequirement`: the values' checks, then the requirement.
fn requirement(key: String, op: Tok, mut values: Vec<String>) -> Result<Requirement, String> {
    values.sort();
    let mut errs = Vec::new();
    if matches!(op, Tok::GreaterThan | Tok::LessThan) {
        for (i, v) in values.iter().enumerate() {
            if v.parse::<i64>().is_err() {
                errs.push(invalid(
                    &format!("values[{i}]"),
                    v,
                    "for 'Gt', 'Lt' operators, the value must be an integer",
                ));
            }
        }
    }
    for (i, v) in values.iter().enumerate() {
        let e = label_value_errors(v);
        if !e.is_empty() {
            errs.push(invalid(&format!("values[{i}][{key}]"), v, &e.join("; ")));
        }
    }
    if !errs.is_empty() {
        return Err(aggregate(errs));
    }
    let first = values.first().cloned().unwrap_or_default();
    let op = match op {
        Tok::In => Op::In(values),
        Tok::NotIn => Op::NotIn(values),
        Tok::NotEquals => Op::NotEq(first),
        Tok::GreaterThan => Op::Gt(first.parse().unwrap_or_default()),
        Tok::LessThan => Op::Lt(first.parse().unwrap_or_default()),
        _ => Op::Eq(first),
    };
    Ok((key, op))
}

/// Parses a label selector as `labels.Parse` does.
pub(super) fn parse(s: &str) -> Result<Vec<Requirement>, SelectorError> {
    let mut p = Parser {
        items: lex(s),
        pos: 0,
    };
    p.selector().map_err(SelectorError)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse(s).err().map(|e| e.0).unwrap_or_default()
    }

    #[test]
    fn parses_what_labels_parse_accepts() {
        let reqs = parse("app=web, tier in (a,b), !gone, env!=prod, n>3, has").expect("parses");
        assert_eq!(reqs.len(), 6);
        assert_eq!(
            reqs[1],
            ("tier".into(), Op::In(vec!["a".into(), "b".into()]))
        );
        assert_eq!(reqs[2], ("gone".into(), Op::NotExists));
        assert_eq!(parse("").expect("empty"), vec![]);
        assert_eq!(
            parse("a=").expect("empty value")[0].1,
            Op::Eq(String::new())
        );
    }

    #[test]
    fn errors_read_like_upstream() {
        assert_eq!(
            err("a in (b"),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            err("a in b"),
            "unable to parse requirement: found 'b' expected: '('"
        );
        assert_eq!(err("a,"), "found '', expected: identifier after ','");
        assert_eq!(
            err("a b"),
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            err("=a"),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            err("a>b"),
            "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"
        );
        assert!(
            err("-bad=1").starts_with(
                "unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of"
            ),
            "{}",
            err("-bad=1")
        );
        assert!(
            err("a=b$").starts_with(
                "unable to parse requirement: values[0][a]: Invalid value: \"b$\": a valid label must be"
            ),
            "{}",
            err("a=b$")
        );
        assert_eq!(err("a=b=c"), "found '=', expected: ',' or 'end of string'");
    }
}
