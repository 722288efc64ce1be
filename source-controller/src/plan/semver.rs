//! Tag selection by a semver range with Masterminds/semver's constraint syntax, as Flux's
//! `ref.semver`: `||` between alternatives; within one, comparators separated by spaces or
//! commas; `!=`; hyphen ranges `1.2 - 1.4`; `~`, `^`, `x`/`*` wildcards; tags parsed leniently
//! (`v1.2.3`, `1.2` as 1.2.0). The highest matching version wins.

use semver::{Version, VersionReq};

/// One alternative: all of `reqs` hold and the version is none of `excluded`.
struct Alternative {
    reqs: Vec<VersionReq>,
    excluded: Vec<Version>,
}

/// A parsed range.
pub struct Range(Vec<Alternative>);

impl Range {
    pub fn parse(range: &str) -> Result<Self, String> {
        let invalid = |e: &dyn std::fmt::Display| format!("semver parse error: {range}: {e}");
        let mut alternatives = Vec::new();
        for group in range.split("||") {
            let mut alt = Alternative {
                reqs: Vec::new(),
                excluded: Vec::new(),
            };
            let mut kept = Vec::new();
            for comparator in comparators(group) {
                match comparator.strip_prefix("!=") {
                    Some(v) => alt
                        .excluded
                        .push(lenient(v.trim()).ok_or_else(|| invalid(&"bad version"))?),
                    None => kept.push(comparator),
                }
            }
            // One requirement per alternative, so a prerelease in any comparator lets
            // prereleases of that version match the whole alternative.
            if !kept.is_empty() {
                let req = VersionReq::parse(&kept.join(", ")).map_err(|e| invalid(&e))?;
                alt.reqs.push(req);
            }
            if alt.reqs.is_empty() && alt.excluded.is_empty() {
                return Err(invalid(&"empty constraint"));
            }
            alternatives.push(alt);
        }
        Ok(Self(alternatives))
    }

    pub fn matches(&self, v: &Version) -> bool {
        self.0.iter().any(|alt| {
            alt.reqs.iter().all(|r| r.matches(v))
                && !alt.excluded.contains(v)
                // `!=` alone allows any release, as Masterminds does, but no prerelease.
                && (!alt.reqs.is_empty() || v.pre.is_empty())
        })
    }
}

/// Splits one alternative into comparators, joining an operator written apart from its
/// version (`>= 1.2`) and turning `a - b` into `>=a` and `<=b`.
fn comparators(group: &str) -> Vec<String> {
    let tokens: Vec<&str> = group
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if tokens.get(i + 1) == Some(&"-") && i + 2 < tokens.len() {
            out.push(format!(">={}", strip_v(t)));
            out.push(format!("<={}", strip_v(tokens[i + 2])));
            i += 3;
        } else if t.chars().all(|c| "=!<>~^".contains(c)) && i + 1 < tokens.len() {
            out.push(format!("{t}{}", strip_v(tokens[i + 1])));
            i += 2;
        } else {
            let op_len = t.find(|c: char| !"=!<>~^".contains(c)).unwrap_or(t.len());
            out.push(format!("{}{}", &t[..op_len], strip_v(&t[op_len..])));
            i += 1;
        }
    }
    out
}

fn strip_v(v: &str) -> &str {
    v.strip_prefix('v').unwrap_or(v)
}

/// Masterminds' `NewVersion`: an optional `v`, then one to three numbers, then optional
/// prerelease and build parts.
pub fn lenient(tag: &str) -> Option<Version> {
    let s = strip_v(tag);
    if let Ok(v) = Version::parse(s) {
        return Some(v);
    }
    let split = s.find(['-', '+']).unwrap_or(s.len());
    let (core, rest) = s.split_at(split);
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut full: Vec<&str> = parts;
    full.resize(3, "0");
    Version::parse(&format!("{}{rest}", full.join("."))).ok()
}

/// The tag with the highest version that `range` accepts.
pub fn latest_matching<'a>(
    range: &str,
    tags: impl IntoIterator<Item = &'a str>,
) -> Result<Option<&'a str>, String> {
    let range = Range::parse(range)?;
    Ok(tags
        .into_iter()
        .filter_map(|t| lenient(t).map(|v| (v, t)))
        .filter(|(v, _)| range.matches(v))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, t)| t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAGS: &[&str] = &[
        "v0.9.0",
        "v1.0.0",
        "v1.1.0",
        "1.2.0",
        "v1.2.1-rc.1",
        "v2.0.0",
        "latest",
        "v3",
    ];

    #[test]
    fn picks_the_highest_match() {
        let cases = [
            ("*", Some("v3")),
            (">=1.0.0 <2.0.0", Some("1.2.0")),
            (">= 1.0.0, < 2.0.0", Some("1.2.0")),
            ("~1.1", Some("v1.1.0")),
            ("^1", Some("1.2.0")),
            ("1.x", Some("1.2.0")),
            ("1.0.0 - 1.1.0", Some("v1.1.0")),
            ("<1.0.0 || >=2.0.0 <3", Some("v2.0.0")),
            (">=1.0.0 <2.0.0 != 1.2.0", Some("v1.1.0")),
            (">=1.2.1-rc.0 <1.3.0", Some("v1.2.1-rc.1")),
            (">=5.0.0", None),
        ];
        for (range, want) in cases {
            assert_eq!(
                latest_matching(range, TAGS.iter().copied()),
                Ok(want),
                "{range}"
            );
        }
    }

    #[test]
    fn bad_ranges_and_lenient_versions() {
        assert!(latest_matching(">=x.y", TAGS.iter().copied()).is_err());
        assert!(latest_matching("", TAGS.iter().copied()).is_err());
        assert_eq!(lenient("v1.2").map(|v| v.to_string()), Some("1.2.0".into()));
        assert_eq!(lenient("1").map(|v| v.to_string()), Some("1.0.0".into()));
        assert_eq!(lenient("release"), None);
    }
}
