//! `.helmignore` (Go package `helm.sh/helm/v4/pkg/ignore`): shell patterns matched on the
//! base name, or on the whole path when they hold a `/`; `!` negates; a trailing `/` matches
//! directories only. Helm always ignores hidden files under templates/.

use super::pathmatch;

/// The name of the ignore file at a chart's root.
pub const HELM_IGNORE: &str = ".helmignore";

#[derive(Debug, Clone)]
struct Pattern {
    rule: String,
    negate: bool,
    must_dir: bool,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rooted,
    Structural,
    BaseName,
}

/// A parsed .helmignore.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// Parses .helmignore text; Helm's errors for `**` and malformed patterns.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules::default();
        for line in text.lines() {
            rules.add(line)?;
        }
        Ok(rules)
    }

    /// Helm's defaults: hidden files under templates/.
    pub fn add_defaults(&mut self) {
        let _ = self.add("templates/.?*");
    }

    fn add(&mut self, line: &str) -> Result<(), String> {
        let mut rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".to_string());
        }
        pathmatch::matches(rule, "abc").map_err(|e| e.to_string())?;
        let negate = rule.starts_with('!');
        if negate {
            rule = &rule[1..];
        }
        let must_dir = rule.ends_with('/');
        if must_dir {
            rule = &rule[..rule.len() - 1];
        }
        let kind = if let Some(r) = rule.strip_prefix('/') {
            rule = r;
            Kind::Rooted
        } else if rule.contains('/') {
            Kind::Structural
        } else {
            Kind::BaseName
        };
        self.patterns.push(Pattern {
            rule: rule.to_string(),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    /// Whether `path` (relative, `/`-separated) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let target = match p.kind {
                Kind::BaseName => path.rsplit('/').next().unwrap_or(path),
                Kind::Rooted | Kind::Structural => path,
            };
            let hit = pathmatch::matches(&p.rule, target).unwrap_or(false);
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !hit {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if hit {
                return true;
            }
        }
        false
    }
}
