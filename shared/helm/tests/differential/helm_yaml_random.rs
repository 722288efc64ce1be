//! Randomly composed YAML documents, decoded by `fromYaml` in helm and in fluxion-helm: the
//! pieces are the shapes where go-yaml v2 is particular (folding, escapes, block scalars,
//! tags, anchors, merge keys, odd keys, flow collections, NaN and infinities, syntax
//! errors), nested and combined the way no hand-written case list would. Seeds are fixed,
//! so a failure is reproducible; each seed's documents go through one helm run.

use crate::helm_harness::{HCase, run_helm, run_ours};

/// Scalars and small values, each written to sit after `key: ` or `- `.
const ATOMS: &[&str] = &[
    "a",
    "b c",
    "x: y",
    "'q''s'",
    "\"d\\tq\\u00e9\\x41\"",
    "1",
    "0x1F",
    "yes",
    "~",
    "null",
    "1.5",
    "-0",
    "+12",
    "1_000",
    "2024-01-02",
    "0o17",
    "0b101",
    "190:20:30",
    "1e3",
    "\"\\N\\_\\L\\P\"",
    "'multi\n  line\n\n  next'",
    "\"esc\\\n   ap\"",
    "&A v1",
    "*A",
    "!!str 12",
    "!!int \"7\"",
    "!!float 3",
    "!!bool yes",
    "!!null \"\"",
    "!!binary aGVsbG8=",
    "!!timestamp 2001-12-14",
    "!<tag:yaml.org,2002:str> 5",
    "! 5",
    "!custom z",
    "!!merge <<",
    "[1, 2,  b c]",
    "{k: v, k2: [x]}",
    "{a, b: c}",
    "[a: b, c]",
    "{? [x] : y}",
    "\"\"",
    "''",
    "|\n  lit\n   more\n\n",
    "|-\n  s\n\n",
    "|+\n  k\n\n",
    ">\n  f1\n  f2\n\n   ind\n  f3\n",
    ">-\n  a\n  b\n",
    "|2\n   two\n",
    "plain\n  cont\n\n  more",
    "t\tab",
    "#notcomment",
    "a #c",
    "\u{e9}\u{2028}x",
    "x\u{85}y",
];

/// Atoms that make the document fail (decode errors, JSON errors, syntax errors); rarer,
/// so that most documents decode and a failing one has one cause.
const BAD_ATOMS: &[&str] = &[
    ".inf",
    "-.inf",
    ".nan",
    "&S [*S]",
    "*Nope",
    "!!int x",
    "!!binary \"!!!\"",
    "a: b: c",
    "'open",
    "- - n",
];

/// Keys, each written before `: ` (repeats are fine: go-yaml v2 keeps the last).
const KEYS: &[&str] = &[
    "k", "\"qk\"", "'sk'", "1", "true", "!!int 5", "x y", "1.5", "*A",
];

/// Keys that make the document fail unless a merge value is a map: rarer, as bad atoms.
const BAD_KEYS: &[&str] = &["~", "!!int z", "? [q]\n", "<<"];

/// xorshift64*: small, and the same sequence on every machine.
struct Rng {
    state: u64,
    /// A document gets at most one rare piece: with two failures in different maps,
    /// sigs.k8s.io/yaml reports whichever Go's random map order meets first.
    rare_used: bool,
}

impl Rng {
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Mostly one of `usual`, now and then one of `rare`.
    fn mostly<'a>(&mut self, usual: &[&'a str], rare: &[&'a str]) -> &'a str {
        if self.below(25) == 0 && !self.rare_used {
            self.rare_used = true;
            self.pick(rare)
        } else {
            self.pick(usual)
        }
    }
}

/// `text` placed at `depth`: continuation lines indented one level deeper.
fn indent(text: &str, depth: usize) -> String {
    if text.starts_with('\n') {
        return text.to_string();
    }
    text.replace('\n', &format!("\n{}", "  ".repeat(depth + 1)))
}

fn value(rng: &mut Rng, depth: usize) -> String {
    let pad = "  ".repeat(depth + 1);
    match rng.below(8) {
        _ if depth > 2 => rng.mostly(ATOMS, BAD_ATOMS).to_string(),
        0..=3 => rng.mostly(ATOMS, BAD_ATOMS).to_string(),
        4..=5 => (0..=rng.below(3))
            .map(|_| {
                let v = value(rng, depth + 1);
                format!(
                    "\n{pad}{}: {}",
                    rng.mostly(KEYS, BAD_KEYS),
                    indent(&v, depth + 1)
                )
            })
            .collect(),
        _ => (0..=rng.below(3))
            .map(|_| {
                let v = value(rng, depth + 1);
                format!("\n{pad}- {}", indent(&v, depth + 1))
            })
            .collect(),
    }
}

fn document(rng: &mut Rng) -> String {
    rng.rare_used = false;
    let mut doc = String::from("A: &A anchored\n");
    for _ in 0..=rng.below(4) {
        let v = value(rng, 0);
        doc.push_str(&format!(
            "{}: {}\n",
            rng.mostly(KEYS, BAD_KEYS),
            indent(&v, 0)
        ));
    }
    if rng.below(5) == 0 {
        doc = doc.replace('\n', "\r\n");
    }
    doc
}

/// A Go string literal holding `s` (escapes for everything but printable ASCII).
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// What one seed's documents gave.
pub struct Outcome {
    /// Documents whose results differ, with both results.
    pub differences: Vec<String>,
    /// Documents helm decoded, and those it refused (both must occur for the run to mean
    /// something).
    pub decoded: usize,
    pub refused: usize,
}

/// Decodes `count` documents made from `seed` with helm and with fluxion-helm.
pub fn run(seed: u64, count: usize) -> Outcome {
    let mut rng = Rng {
        state: seed.max(1),
        rare_used: false,
    };
    let docs: Vec<String> = (0..count).map(|_| document(&mut rng)).collect();
    let template: String = docs
        .iter()
        .map(|d| format!("{{{{ fromYaml {} | toJson }}}}\n", go_quote(d)))
        .collect();
    let case = HCase {
        name: "random",
        template: Box::leak(template.into_boxed_str()),
        values: "",
        args: &[],
    };
    let (theirs, ours) = match (run_helm(&case), run_ours(&case)) {
        (Ok(t), Ok(o)) => (t, o),
        (t, o) => {
            return Outcome {
                differences: vec![format!("seed {seed}: helm {t:?}\nours {o:?}")],
                decoded: 0,
                refused: 0,
            };
        }
    };
    // One line per document, then the harness's closing marker on a line of its own.
    let lines: Vec<(&str, &str)> = theirs.lines().zip(ours.lines()).take(count).collect();
    let refused = lines
        .iter()
        .filter(|(t, _)| t.contains("\"Error\":"))
        .count();
    let mut differences: Vec<String> = docs
        .iter()
        .zip(&lines)
        .filter(|(_, (t, o))| t != o)
        .map(|(d, (t, o))| format!("seed {seed}, document {d:?}\n  helm: {t}\n  ours: {o}"))
        .collect();
    if lines.len() != count || theirs.lines().count() != ours.lines().count() {
        differences.push(format!(
            "seed {seed}: {} result lines for {count} documents",
            lines.len()
        ));
    }
    Outcome {
        differences,
        decoded: lines.len() - refused,
        refused,
    }
}
