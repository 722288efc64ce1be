//! Sprig's regular expression functions over Go's RE2 syntax (the `regex` crate speaks the
//! same dialect): regexMatch, regexFind, regexFindAll, regexReplaceAll(Literal), regexSplit,
//! regexQuoteMeta, and their must* forms, which return the compile error instead of
//! panicking with it.

use regex::Regex;

use super::strings::{n, s};
use super::{err, string_list};
use crate::template::{FuncError, FuncMap, Param, Signature, Value};

fn compile(re: &str) -> Result<Regex, FuncError> {
    Regex::new(re).map_err(|e| {
        let msg = e.to_string();
        let last = msg.lines().last().unwrap_or("").trim();
        let detail = last.strip_prefix("error: ").unwrap_or(last);
        let go = match detail {
            "unclosed group" => "missing closing )",
            "unopened group" => "unexpected )",
            "unclosed character class" => "missing closing ]",
            "repetition operator missing expression" => "missing argument to repetition operator",
            "incomplete escape sequence, reached end of pattern prematurely" => {
                "trailing backslash at end of expression"
            }
            other => other,
        };
        err(format!("error parsing regexp: {go}: `{re}`"))
    })
}

/// Go's `(*Regexp).FindAllString(s, n)`.
fn find_all(re: &Regex, x: &str, n: i64) -> Vec<String> {
    let it = re.find_iter(x).map(|m| m.as_str().to_string());
    if n < 0 {
        it.collect()
    } else {
        it.take(n as usize).collect()
    }
}

/// Go's `(*Regexp).Split(s, n)`.
fn split(re: &Regex, x: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !re.as_str().is_empty() && x.is_empty() {
        return vec![String::new()];
    }
    let matches: Vec<(usize, usize)> = {
        let it = re.find_iter(x).map(|m| (m.start(), m.end()));
        if n < 0 {
            it.collect()
        } else {
            it.take(n as usize).collect()
        }
    };
    let mut out = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    for (ms, me) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = ms;
        if me != 0 {
            out.push(x[beg..end].to_string());
        }
        beg = me;
    }
    if end != x.len() {
        out.push(x[beg..].to_string());
    }
    out
}

type Op = fn(&Regex, &[Value]) -> Value;

fn both(map: &mut FuncMap, name: &str, params: Vec<Param>, op: Op, lenient_match: bool) {
    let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    map.add(&must, Signature::new(params.clone()), move |_, a| {
        Ok(op(&compile(s(a, 0))?, a))
    });
    map.add(name, Signature::new(params), move |_, a| {
        match compile(s(a, 0)) {
            Ok(re) => Ok(op(&re, a)),
            Err(_) if lenient_match => Ok(Value::Bool(false)),
            Err(e) => Err(err(format!(
                "regexp: Compile({}): {e}",
                go_backquote(s(a, 0))
            ))),
        }
    });
}

fn go_backquote(s: &str) -> String {
    if s.contains('`') {
        crate::template::quote(s)
    } else {
        format!("`{s}`")
    }
}

pub(super) fn register(map: &mut FuncMap) {
    use Param::{Int, String as S};
    both(
        map,
        "regexMatch",
        vec![S, S],
        |re, a| Value::Bool(re.is_match(s(a, 1))),
        true,
    );
    both(
        map,
        "regexFind",
        vec![S, S],
        |re, a| Value::from(re.find(s(a, 1)).map_or("", |m| m.as_str())),
        false,
    );
    both(
        map,
        "regexFindAll",
        vec![S, S, Int],
        |re, a| string_list(find_all(re, s(a, 1), n(a, 2))),
        false,
    );
    both(
        map,
        "regexReplaceAll",
        vec![S, S, S],
        |re, a| Value::from(re.replace_all(s(a, 1), s(a, 2)).into_owned()),
        false,
    );
    both(
        map,
        "regexReplaceAllLiteral",
        vec![S, S, S],
        |re, a| {
            Value::from(
                re.replace_all(s(a, 1), regex::NoExpand(s(a, 2)))
                    .into_owned(),
            )
        },
        false,
    );
    both(
        map,
        "regexSplit",
        vec![S, S, Int],
        |re, a| string_list(split(re, s(a, 1), n(a, 2))),
        false,
    );
    map.add("regexQuoteMeta", Signature::new([S]), |_, a| {
        Ok(Value::from(regex::escape(s(a, 0))))
    });
}
