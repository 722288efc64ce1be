//! Resolving every reference before validating, as jsonschema v6 compiles a schema: a
//! `$ref` to a missing pointer or anchor, or a document that cannot be loaded, fails the
//! chart even when no value reaches it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::resources::{Draft, Loc, Registry, children};
use super::validate::keyword;

/// Schemas compiled per values document (bounds a schema that loads document after document).
const MAX_SCHEMAS: usize = 100_000;

/// Every reference keyword's target, by the schema it is written in.
pub type Refs = HashMap<(Loc, &'static str), Loc>;

/// Walks the schemas reachable from `root`, resolving (and loading) what they reference.
pub fn compile(reg: &mut Registry, root: Loc) -> Result<Refs, String> {
    let mut refs = Refs::new();
    let mut seen = HashSet::new();
    let mut queue = vec![root];
    while let Some(loc) = queue.pop() {
        if !seen.insert(loc.clone()) {
            continue;
        }
        if seen.len() > MAX_SCHEMAS {
            return Err(format!("schema has more than {MAX_SCHEMAS} subschemas"));
        }
        let Some(Value::Object(obj)) = reg.value(&loc).cloned() else {
            continue;
        };
        let draft = reg.draft(&loc);
        for kw in ["$ref", "$recursiveRef", "$dynamicRef"] {
            let applies = match kw {
                "$ref" => true,
                "$recursiveRef" => draft == Draft::D2019 || draft == Draft::D2020,
                _ => draft == Draft::D2020,
            };
            if !applies {
                continue;
            }
            if let Some(Value::String(r)) = keyword(&obj, draft, kw) {
                let target = reg.resolve(&loc, r)?;
                queue.push(target.clone());
                refs.insert((loc.clone(), kw), target);
            }
        }
        if draft < Draft::D2019 && obj.contains_key("$ref") {
            continue;
        }
        // Definitions are compiled only when something references them.
        let mut kids: Vec<String> = children(&obj)
            .into_iter()
            .filter(|(suffix, _)| {
                !suffix.starts_with("/definitions/") && !suffix.starts_with("/$defs/")
            })
            .map(|(suffix, _)| suffix)
            .collect();
        kids.reverse();
        for suffix in kids {
            queue.push(Loc {
                doc: loc.doc,
                ptr: format!("{}{suffix}", loc.ptr),
            });
        }
    }
    Ok(refs)
}
