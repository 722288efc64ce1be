//! Sprig's `semver` and `semverCompare` over Masterminds/semver v3 semantics: lenient
//! version parsing (`v` prefix, missing minor and patch), constraint ranges with `||`, AND
//! lists, hyphen ranges, x-ranges, `~` and `^`, and the rule that a prerelease version only
//! satisfies constraints that name a prerelease.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;

use super::err;
use super::strings::s;
use crate::template::{CallContext, FuncError, FuncMap, Member, Object, Param, Signature, Value};

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

fn re(pattern: String) -> Regex {
    match Regex::new(&pattern) {
        Ok(r) => r,
        Err(e) => unreachable!("constant semver pattern: {e}"),
    }
}

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$".into())
});
static CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| re(format!(r"^\s*({OPS})\s*({CV})\s*$")));
static RANGE: LazyLock<Regex> = LazyLock::new(|| re(format!(r"\s*({CV})\s+-\s+({CV})\s*")));
static FIND: LazyLock<Regex> = LazyLock::new(|| re(format!(r"({OPS})\s*({CV})")));
static VALID: LazyLock<Regex> = LazyLock::new(|| {
    re(format!(
        r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
    ))
});

/// A parsed semantic version (Go's `*semver.Version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn num(part: Option<regex::Match<'_>>) -> Result<u64, FuncError> {
    match part {
        None => Ok(0),
        Some(m) => m
            .as_str()
            .trim_start_matches('.')
            .parse()
            .map_err(|_| err("invalid semantic version")),
    }
}

impl Version {
    /// Masterminds' `NewVersion`.
    pub fn parse(v: &str) -> Result<Version, FuncError> {
        let caps = VERSION
            .captures(v)
            .ok_or_else(|| err("invalid semantic version"))?;
        let pre = caps.get(5).map_or("", |m| m.as_str()).to_string();
        for part in pre.split('.').filter(|_| !pre.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("version segment starts with 0"));
            }
        }
        Ok(Version {
            major: num(caps.get(1))?,
            minor: num(caps.get(2))?,
            patch: num(caps.get(3))?,
            pre,
            metadata: caps.get(8).map_or("", |m| m.as_str()).to_string(),
            original: v.to_string(),
        })
    }

    fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| compare_pre(&self.pre, &o.pre))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        _ if a == b => Ordering::Equal,
        (true, _) => Ordering::Greater,
        (_, true) => Ordering::Less,
        _ => {
            let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
            for (x, y) in pa.iter().zip(pb.iter()) {
                let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    _ => x.cmp(y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            pa.len().cmp(&pb.len())
        }
    }
}

struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(x: &str) -> bool {
    matches!(x, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, FuncError> {
    let caps = CONSTRAINT
        .captures(c)
        .ok_or_else(|| err(format!("improper constraint: {c}")))?;
    let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let mut ver = g(2).to_string();
    if is_x(g(3)) || g(3).is_empty() {
        ver = format!("0.0.0{}", g(6));
        dirty = true;
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        (minor_dirty, dirty) = (true, true);
        ver = format!("{}.0.0{}", g(3), g(6));
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        (patch_dirty, dirty) = (true, true);
        ver = format!("{}{}.0{}", g(3), g(4), g(6));
    }
    let con = Version::parse(&ver).map_err(|_| err("constraint Parser Error"))?;
    Ok(Constraint {
        con,
        op: g(1).to_string(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

fn tilde(v: &Version, c: &Constraint) -> bool {
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    let zero = c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0;
    if zero && !c.minor_dirty && !c.patch_dirty {
        return true;
    }
    v.major == c.con.major && (v.minor == c.con.minor || c.minor_dirty)
}

fn caret(v: &Version, c: &Constraint) -> bool {
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    if c.con.major > 0 || c.minor_dirty {
        return v.major == c.con.major;
    }
    if v.major > 0 {
        return false;
    }
    if c.con.minor > 0 || c.patch_dirty {
        return v.minor == c.con.minor;
    }
    v.minor == 0 && c.con.patch == v.patch
}

fn not_equal(v: &Version, c: &Constraint) -> bool {
    if c.dirty {
        if c.con.major != v.major {
            return true;
        }
        if c.con.minor != v.minor && !c.minor_dirty {
            return true;
        } else if c.minor_dirty {
            return false;
        } else if c.con.patch != v.patch && !c.patch_dirty {
            return true;
        } else if c.patch_dirty {
            return compare_pre(&v.pre, &c.con.pre) != Ordering::Equal;
        }
    }
    v.compare(&c.con) != Ordering::Equal
}

fn check(v: &Version, c: &Constraint) -> bool {
    if !v.pre.is_empty() && c.con.pre.is_empty() {
        return false;
    }
    let ord = v.compare(&c.con);
    match c.op.as_str() {
        "" | "=" if c.dirty => tilde(v, c),
        "" | "=" => ord == Ordering::Equal,
        "!=" => not_equal(v, c),
        ">" if !c.dirty => ord == Ordering::Greater,
        ">" => {
            v.major > c.con.major
                || (v.major == c.con.major
                    && !c.minor_dirty
                    && if c.patch_dirty {
                        v.minor > c.con.minor
                    } else {
                        ord == Ordering::Greater
                    })
        }
        "<" => ord == Ordering::Less,
        ">=" | "=>" => ord != Ordering::Less,
        "<=" | "=<" if !c.dirty => ord != Ordering::Greater,
        "<=" | "=<" => {
            !(v.major > c.con.major
                || (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty))
        }
        "~" | "~>" => tilde(v, c),
        _ => caret(v, c),
    }
}

/// Masterminds' `NewConstraint(c).Check(v)`.
pub fn satisfies(constraint: &str, v: &Version) -> Result<bool, FuncError> {
    let mut text = constraint.to_string();
    for caps in RANGE.captures_iter(constraint) {
        let (whole, lo, hi) = (&caps[0], &caps[1], &caps[11]);
        text = text.replacen(whole, &format!(">= {lo}, <= {hi}"), 1);
    }
    let mut groups = Vec::new();
    for part in text.split("||") {
        if !VALID.is_match(part) {
            return Err(err(format!("improper constraint: {part}")));
        }
        let found: Vec<&str> = FIND.find_iter(part).map(|m| m.as_str()).collect();
        let found = if found.is_empty() { vec![part] } else { found };
        groups.push(
            found
                .into_iter()
                .map(parse_constraint)
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    Ok(groups.iter().any(|g| g.iter().all(|c| check(v, c))))
}

impl Object for Version {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("*semver.Version")
    }

    fn member(&self, name: &str) -> Option<Member> {
        matches!(
            name,
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String"
        )
        .then(|| Member::Method(Signature::new([])))
    }

    fn call(&self, _: &mut CallContext<'_>, name: &str, _: &[Value]) -> Result<Value, FuncError> {
        Ok(match name {
            "Major" => Value::Int64(self.major as i64),
            "Minor" => Value::Int64(self.minor as i64),
            "Patch" => Value::Int64(self.patch as i64),
            "Prerelease" => Value::from(self.pre.as_str()),
            "Metadata" => Value::from(self.metadata.as_str()),
            "Original" => Value::from(self.original.as_str()),
            "String" => Value::from(self.to_string()),
            other => return Err(err(format!("{other} is not a method"))),
        })
    }

    fn print(&self) -> String {
        self.to_string()
    }

    fn equals(&self, other: &dyn Object) -> bool {
        std::ptr::addr_eq(self as *const Self, other as *const dyn Object)
    }
}

pub(super) fn register(map: &mut FuncMap) {
    map.add("semver", Signature::new([Param::String]), |_, a| {
        Ok(Value::Object(Rc::new(Version::parse(s(a, 0))?)))
    });
    map.add(
        "semverCompare",
        Signature::new([Param::String, Param::String]),
        |_, a| {
            let v = Version::parse(s(a, 1));
            let c = satisfies(s(a, 0), &Version::parse("0.0.0")?);
            c?;
            Ok(Value::Bool(satisfies(s(a, 0), &v?)?))
        },
    );
}
