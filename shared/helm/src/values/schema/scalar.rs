//! String and number keywords (min/maxLength in characters, pattern, the numeric bounds and
//! multipleOf compared exactly), `format` (asserted for drafts 4 to 7 only, as v6 does
//! without AssertFormat), and the compiled-regex cache (Go syntax through `goregex`).

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;
use serde_json::{Number, Value};

use super::error::{Kind, quote};
use super::format;
use super::num::Dec;
use super::resources::Draft;
use super::validate::Vd;

/// Largest compiled pattern (a hostile schema cannot ask for unbounded memory).
const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// Patterns compiled once per validation.
#[derive(Default)]
pub struct Regexes {
    cache: RefCell<HashMap<String, Option<Regex>>>,
}

/// Compiles a pattern the way Go's regexp accepts it (None when it does not compile).
pub fn compile(pattern: &str) -> Option<Regex> {
    let translated = super::goregex::translate(pattern).ok()?;
    regex::RegexBuilder::new(&translated)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .ok()
}

impl Regexes {
    pub fn is_match(&self, pattern: &str, text: &str) -> bool {
        let mut cache = self.cache.borrow_mut();
        if let Some(re) = cache.get(pattern) {
            return re.as_ref().is_some_and(|re| re.is_match(text));
        }
        let re = compile(pattern);
        let matched = re.as_ref().is_some_and(|re| re.is_match(text));
        cache.insert(pattern.to_string(), re);
        matched
    }
}

fn count(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_f64).map(|f| f.max(0.0) as usize)
}

impl Vd<'_, '_> {
    pub fn string(&mut self, text: &str) {
        let len = text.chars().count();
        if let Some(min) = count(self.kw("minLength"))
            && len < min
        {
            self.add(Kind::Count {
                keyword: "minLength",
                got: len,
                want: min,
            });
        }
        if let Some(max) = count(self.kw("maxLength"))
            && len > max
        {
            self.add(Kind::Count {
                keyword: "maxLength",
                got: len,
                want: max,
            });
        }
        if let Some(Value::String(p)) = self.kw("pattern")
            && !self.vr.regexes.is_match(p, text)
        {
            self.add(Kind::Pattern {
                got: text.to_string(),
                want: p.clone(),
            });
        }
    }

    /// A numeric keyword's value, exactly as written in the schema (beyond float64 too).
    fn bound(&self, kw: &str) -> Option<Dec> {
        let Some(Value::Number(n)) = self.kw(kw) else {
            return None;
        };
        let written = self.vr.reg.docs.get(self.loc.doc).and_then(|d| {
            d.numbers
                .get(&format!("{}/{kw}", self.loc.ptr))
                .and_then(|t| Dec::parse(t))
        });
        written.or_else(|| Dec::from_number(n))
    }

    /// The numeric bounds; draft 4's boolean exclusiveMinimum/Maximum turn minimum/maximum
    /// into exclusive bounds (and are reported under the exclusive keyword's name).
    pub fn number(&mut self, n: &Number) {
        let Some(got) = Dec::from_number(n) else {
            return;
        };
        let flag = |k: &str| self.kw(k) == Some(&Value::Bool(true));
        let (mut min, mut max) = (self.bound("minimum"), self.bound("maximum"));
        let mut xmin = self.bound("exclusiveMinimum");
        let mut xmax = self.bound("exclusiveMaximum");
        if flag("exclusiveMaximum") {
            xmax = max.take();
        }
        if flag("exclusiveMinimum") {
            xmin = min.take();
        }
        let fail = |keyword, want: &Dec| Kind::Bound {
            keyword,
            got: got.to_f64(),
            want: want.to_f64(),
        };
        let mut found = Vec::new();
        if let Some(b) = &min
            && got < *b
        {
            found.push(fail("minimum", b));
        }
        if let Some(b) = &max
            && got > *b
        {
            found.push(fail("maximum", b));
        }
        if let Some(b) = &xmin
            && got <= *b
        {
            found.push(fail("exclusiveMinimum", b));
        }
        if let Some(b) = &xmax
            && got >= *b
        {
            found.push(fail("exclusiveMaximum", b));
        }
        if let Some(b) = self.bound("multipleOf")
            && !b.is_zero()
            && !got.is_multiple_of(&b)
        {
            found.push(fail("multipleOf", &b));
        }
        for k in found {
            self.add(k);
        }
    }

    /// `format`, checked only on strings and only where v6 asserts it (drafts 4, 6, 7).
    pub fn format(&self) -> Option<Kind> {
        if self.draft >= Draft::D2019 {
            return None;
        }
        let (Some(Value::String(name)), Value::String(text)) = (self.kw("format"), self.v) else {
            return None;
        };
        let err = format::check(name, text)?;
        let got = quote(text);
        Some(Kind::Format {
            got,
            want: name.clone(),
            err,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_are_ascii_like_go() {
        let cases = [
            (r"^\d+$", "123", true),
            (r"^\d+$", "١٢٣", false),
            (r"^\w+$", "héllo", false),
            (r"^[\d.]+$", "1.2", true),
            (r"\\d", r"\d", true),
            (r"^\s$", "\u{a0}", false),
        ];
        for (p, text, want) in cases {
            let re = compile(p).expect("pattern");
            assert_eq!(re.is_match(text), want, "{p} on {text:?}");
        }
    }
}
