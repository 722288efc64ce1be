//! kyaml's field paths: `a.b[name=x].c`, `0`, `-`, `*`, `[=value]`: split, looked up
//! (`Lookup`, for replacement sources) and matched (`PathMatcher`, for targets, with
//! regex element matching and optional creation).

use regex::Regex;

use crate::yaml::{Content, Node};

/// Why a path cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("list path element must contain fieldName=fieldValue for element to match")]
    NoEquals,
    #[error("index {0} specified but only {1} elements found")]
    Index(usize, usize),
    #[error("wrong node kind: expected {0}")]
    Kind(&'static str),
    #[error("{0}")]
    Regex(String),
    #[error("wildcard is not supported in PathGetter")]
    Wildcard,
}

/// kyaml's `SmarterPathSplitter` with `.`: dots inside `[...]` do not split.
pub fn split(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let elem = parts[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut joined = vec![elem];
            while i < parts.len() - 1 {
                i += 1;
                joined.push(parts[i]);
                if parts[i].ends_with(']') {
                    break;
                }
            }
            let s = joined.join(".");
            if s.contains('=') {
                out.push(s);
            } else {
                out.push(s.trim_matches(|c| c == '[' || c == ']').to_string());
            }
        } else {
            out.push(elem.to_string());
        }
        i += 1;
    }
    out
}

fn is_list_index(p: &str) -> bool {
    p.starts_with('[') && p.ends_with(']')
}

fn idx_number(p: &str) -> Option<usize> {
    p.parse::<i64>()
        .ok()
        .filter(|i| *i >= 0)
        .and_then(|i| usize::try_from(i).ok())
}

fn split_index(p: &str) -> Result<(String, String), PathError> {
    let inner = p.strip_suffix(']').unwrap_or(p);
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    inner
        .split_once('=')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .ok_or(PathError::NoEquals)
}

/// kyaml's `Lookup`: the node at a path, or `None`.
pub fn lookup<'a>(node: &'a Node, path: &[String]) -> Result<Option<&'a Node>, PathError> {
    let mut cur = node;
    for part in path.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let next = if let Ok(i) = part.parse::<i64>() {
            if i < 0 {
                return Ok(None);
            }
            usize::try_from(i).ok().and_then(|i| cur.items().get(i))
        } else if part == "-" {
            cur.items().last()
        } else if part == "*" {
            return Err(PathError::Wildcard);
        } else if is_list_index(part) {
            let (name, value) = split_index(part)?;
            cur.items().iter().find(|e| {
                if name.is_empty() {
                    e.scalar() == Some(value.as_str())
                } else {
                    e.get(&name).and_then(Node::scalar) == Some(value.as_str())
                }
            })
        } else {
            cur.get(part)
        };
        match next {
            Some(n) if !n.is_null() => cur = n,
            _ => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// The kind of node to create where a path is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    Scalar,
    Sequence,
    Mapping,
}

impl Create {
    pub fn of(n: &Node) -> Create {
        match n.content {
            Content::Scalar(_) => Create::Scalar,
            Content::Sequence(_) => Create::Sequence,
            Content::Mapping(_) => Create::Mapping,
        }
    }

    fn node(self) -> Node {
        match self {
            Create::Sequence => Node::sequence(),
            Create::Mapping => Node::mapping(),
            Create::Scalar => {
                let mut n = Node::plain("");
                n.tag = String::new();
                n
            }
        }
    }
}

fn part_kind(next: Option<&String>, default: Create) -> Create {
    match next {
        Some(n) if is_list_index(n) || idx_number(n).is_some() => Create::Sequence,
        None => default,
        Some(_) => Create::Mapping,
    }
}

/// kyaml's `PathMatcher`: calls `f` on every node the path matches, creating missing
/// parts when `create` is set. Returns how many nodes matched.
pub fn for_each_match(
    node: &mut Node,
    path: &[String],
    create: Option<Create>,
    f: &mut dyn FnMut(&mut Node),
) -> Result<usize, PathError> {
    let Some(part) = path.first() else {
        f(node);
        return Ok(1);
    };
    let rest = &path[1..];
    if let Some(idx) = idx_number(part) {
        let Content::Sequence(items) = &mut node.content else {
            return Err(PathError::Kind("SequenceNode"));
        };
        if let Some(c) = create.filter(|_| items.len() == idx) {
            items.push(part_kind(rest.first(), c).node());
        }
        let len = items.len();
        let elem = items.get_mut(idx).ok_or(PathError::Index(idx, len))?;
        return for_each_match(elem, rest, create, f);
    }
    if is_list_index(part) {
        return match_elements(node, part, rest, create, f, true);
    }
    if part == "*" {
        let Content::Sequence(items) = &mut node.content else {
            return Err(PathError::Kind("SequenceNode"));
        };
        let mut n = 0;
        for e in items {
            n += for_each_match(e, rest, create, f)?;
        }
        return Ok(n);
    }
    match_field(node, part, rest, create, f)
}

fn match_field(
    node: &mut Node,
    name: &str,
    rest: &[String],
    create: Option<Create>,
    f: &mut dyn FnMut(&mut Node),
) -> Result<usize, PathError> {
    if node.is_null() {
        if create.is_none() {
            return Ok(0);
        }
        *node = Node::mapping();
    }
    if !node.is_mapping() {
        return Err(PathError::Kind("MappingNode"));
    }
    if node.get(name).is_none() {
        let Some(c) = create else {
            return Ok(0);
        };
        node.set(name, part_kind(rest.first(), c).node());
    }
    match node.get_mut(name) {
        Some(field) => for_each_match(field, rest, create, f),
        None => Ok(0),
    }
}

fn match_elements(
    node: &mut Node,
    part: &str,
    rest: &[String],
    create: Option<Create>,
    f: &mut dyn FnMut(&mut Node),
    may_add: bool,
) -> Result<usize, PathError> {
    let (name, pattern) = split_index(part)?;
    let re = Regex::new(&pattern).map_err(|e| PathError::Regex(e.to_string()))?;
    let Content::Sequence(items) = &mut node.content else {
        return Err(PathError::Kind("SequenceNode"));
    };
    let mut n = 0;
    for e in items.iter_mut() {
        if name.is_empty() {
            if e.scalar().is_some_and(|s| re.is_match(s.trim())) {
                f(e);
                n += 1;
            }
            continue;
        }
        let text = e.get(&name).and_then(Node::scalar).map(str::trim);
        if text.is_some_and(|s| re.is_match(s)) {
            n += for_each_match(e, rest, create, f)?;
        }
    }
    if n > 0 || create.is_none() || !may_add {
        return Ok(n);
    }
    let mut value = Node::plain(pattern.clone());
    value.tag = String::new();
    let elem = if name.is_empty() {
        value
    } else {
        let mut m = Node::mapping();
        m.set(&name, value);
        m
    };
    items.push(elem);
    match_elements(node, part, rest, create, f, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_first;

    #[test]
    fn splitting() {
        // Only a part that starts with `[` is kept whole, as in kyaml.
        assert_eq!(split("a.b[name=x.y].c"), vec!["a", "b[name=x", "y]", "c"]);
        assert_eq!(split("a.[name=x.y].c"), vec!["a", "[name=x.y]", "c"]);
        assert_eq!(split("a.[x.y].c"), vec!["a", "x.y", "c"]);
    }

    #[test]
    fn lookups_and_matches() {
        let n = parse_first("l:\n- {name: app, v: 1}\n- {name: web, v: 2}\ns: [a, b]\n")
            .expect("parses")
            .expect("doc");
        let get = |p: &str| {
            lookup(&n, &split(p))
                .expect("ok")
                .and_then(Node::scalar)
                .map(str::to_string)
        };
        assert_eq!(get("l.[name=web].v").as_deref(), Some("2"));
        assert_eq!(get("l.0.v").as_deref(), Some("1"));
        assert_eq!(get("l.-.name").as_deref(), Some("web"));
        assert_eq!(get("s.[=b]").as_deref(), Some("b"));
        assert_eq!(get("l.[name=zzz].v"), None);
        assert!(lookup(&n, &split("l.*.v")).is_err());
        let mut m = n.clone();
        let mut seen = Vec::new();
        let count = for_each_match(
            &mut m,
            &split("l.[name=.*p.*].v"),
            None,
            &mut |x: &mut Node| seen.push(x.scalar().unwrap_or_default().to_string()),
        )
        .expect("matches");
        assert_eq!((count, seen), (1, vec!["1".to_string()]));
        let count = for_each_match(&mut m, &split("l.*.new"), Some(Create::Scalar), &mut |_| {})
            .expect("creates");
        assert_eq!(count, 2);
        assert!(for_each_match(&mut m, &split("l.5.v"), None, &mut |_| {}).is_err());
    }
}
