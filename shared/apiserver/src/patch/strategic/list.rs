//! Lists in a strategic merge patch: keyed merges, set unions, list-level directives, and the
//! order of the merged items, which follows upstream exactly: items the patch names in the
//! patch's order (or `$setElementOrder`'s), items only the server has in their old order, the
//! two interleaved so that neither order breaks.

use std::borrow::Cow;

use serde_json::Value;

use super::{DIRECTIVE, Object, Path, bad_patch_type, merge_object, new_value, without_directive};
use crate::patch::{PatchError, json_eq};
use crate::schema::{ListKind, Shape};

/// Merges the patch list `patch` into the list `orig` of a field shaped `shape`.
pub(super) fn merge_list(
    orig: &[Value],
    patch: &[Value],
    shape: &Shape,
    path: &Path,
) -> Result<Vec<Value>, PatchError> {
    match shape.list_kind() {
        ListKind::Atomic => new_list(patch, shape, path),
        ListKind::Set => merge_set(orig, patch, path),
        ListKind::Map(keys) => merge_keyed(orig, patch, &keys, shape.items(), path),
    }
}

/// A list the patch sets where there was none (or an atomic one): items that are directives
/// (`{"$patch": ...}`) drop out, the others come out clean.
pub(super) fn new_list(
    items: &[Value],
    shape: &Shape,
    path: &Path,
) -> Result<Vec<Value>, PatchError> {
    let mut out = Vec::with_capacity(items.len());
    for (at, item) in items.iter().enumerate() {
        if let Some(directive) = item.get(DIRECTIVE) {
            if !matches!(directive.as_str(), Some("replace" | "delete" | "merge")) {
                return Err(bad_patch_type(directive, &path.index(at)));
            }
            continue;
        }
        match new_value(item, shape.items(), &path.index(at))? {
            Some(value) => out.push(value),
            None => out.push(Value::Null),
        }
    }
    Ok(out)
}

/// A set of scalars: the union, each value once.
fn merge_set(orig: &[Value], patch: &[Value], path: &Path) -> Result<Vec<Value>, PatchError> {
    if item_kind(&[orig, patch], path)? == Some(Kind::Object) {
        return Err(bad_items(
            path,
            "cannot merge lists of objects without a merge key",
        ));
    }
    let mut merged: Vec<Value> = Vec::with_capacity(orig.len() + patch.len());
    for item in orig.iter().chain(patch) {
        if !merged.iter().any(|seen| json_eq(seen, item)) {
            merged.push(item.clone());
        }
    }
    let position = |list: &[Value], item: &Value| list.iter().position(|x| json_eq(x, item));
    Ok(normalize(
        merged,
        |item| position(patch, item),
        |item| position(orig, item),
    ))
}

/// A list of objects merged by `keys`: `$patch: delete` items remove every match,
/// a `$patch: replace` item makes the other patch items the whole list, the rest merge into
/// the item with the same key or join the list.
fn merge_keyed(
    orig: &[Value],
    patch: &[Value],
    keys: &[String],
    items: &Shape,
    path: &Path,
) -> Result<Vec<Value>, PatchError> {
    if orig.is_empty() && patch.is_empty() {
        return Ok(Vec::new());
    }
    if item_kind(&[orig, patch], path)? != Some(Kind::Object) {
        return Err(bad_items(
            path,
            "items of a list merged by key must be objects",
        ));
    }
    let (base, plain) = split_directives(orig, patch, keys, items, path)?;
    let mut merged = base.clone();
    for (at, item) in &plain {
        let key = required_key(item, keys, &path.index(*at))?;
        let found = merged.iter().position(|x| same_key(&key_of(x, keys), &key));
        match found {
            Some(i) => {
                let current = merged[i].as_object();
                let item_path = path.index(i);
                let value = merge_object(current, item, items, &item_path)?.unwrap_or_default();
                merged[i] = Value::Object(value);
            }
            None => {
                if let Some(value) = merge_object(None, item, items, &path.index(*at))? {
                    merged.push(Value::Object(value));
                }
            }
        }
    }
    let patch_keys: Vec<_> = plain
        .iter()
        .map(|(_, item)| key_of_object(item, keys))
        .collect();
    let base_keys: Vec<_> = base.iter().map(|item| key_of(item, keys)).collect();
    let position = |list: &[Vec<Option<&Value>>], item: &Value| {
        let key = key_of(item, keys);
        list.iter().position(|k| same_key(k, &key))
    };
    Ok(normalize(
        merged,
        |item| position(&patch_keys, item),
        |item| position(&base_keys, item),
    ))
}

/// The plain patch items (with their index in the patch) and the server's list after the
/// list-level directives.
type Split<'p> = (Vec<Value>, Vec<(usize, Cow<'p, Object>)>);

fn split_directives<'p>(
    orig: &[Value],
    patch: &'p [Value],
    keys: &[String],
    items: &Shape,
    path: &Path,
) -> Result<Split<'p>, PatchError> {
    let mut base = orig.to_vec();
    let mut plain = Vec::with_capacity(patch.len());
    let mut replace = false;
    for (at, item) in patch.iter().enumerate() {
        let Some(object) = item.as_object() else {
            return Err(bad_items(
                path,
                "items of a list merged by key must be objects",
            ));
        };
        let Some(directive) = object.get(DIRECTIVE) else {
            plain.push((at, Cow::Borrowed(object)));
            continue;
        };
        match directive.as_str() {
            Some("delete") => {
                let key = required_key(object, keys, &path.index(at))?;
                base.retain(|x| !same_key(&key_of(x, keys), &key));
            }
            Some("replace") => replace = true,
            // Explicit default: the item merges like any other (upstream refuses it).
            Some("merge") if key_of_object(object, keys)[0].is_some() => {
                plain.push((at, Cow::Owned(without_directive(object))));
            }
            Some("merge") => {}
            _ => return Err(bad_patch_type(directive, &path.index(at))),
        }
    }
    if replace {
        let mut fresh = Vec::with_capacity(plain.len());
        for (at, item) in &plain {
            if let Some(value) = merge_object(None, item, items, &path.index(*at))? {
                fresh.push(Value::Object(value));
            }
        }
        return Ok((fresh, Vec::new()));
    }
    Ok((base, plain))
}

/// `$setElementOrder/<field>`: merges the patch's list for `field` (if any) and then orders
/// the result: the items `order` names as it names them, the server's other items kept in
/// their old places relative to them.
pub(super) fn set_element_order(
    out: &mut Object,
    patch: &Object,
    field: &str,
    order: &Value,
    shape: &Shape,
    path: &Path,
) -> Result<(), PatchError> {
    let bad = |reason: &str| PatchError::BadSetElementOrder {
        path: path.render(),
        reason: reason.to_string(),
    };
    let order = order.as_array().ok_or_else(|| bad("not a list"))?;
    let orig = match out.get(field) {
        None => None,
        Some(Value::Array(items)) => Some(items.clone()),
        Some(_) => return Err(bad("the field is not a list")),
    };
    let listed = match patch.get(field) {
        None => None,
        Some(Value::Array(items)) => Some(items.as_slice()),
        Some(_) => return Err(bad("the patch value is not a list")),
    };
    let keys = match shape.list_kind() {
        ListKind::Map(keys) => Some(keys),
        _ => None,
    };
    check_order(listed.unwrap_or_default(), order, keys.as_deref(), path)?;
    let merged = match (&orig, listed) {
        (Some(orig), None) => orig.clone(),
        (None, Some(listed)) => new_list(listed, shape, path)?,
        (Some(orig), Some(listed)) => merge_list(orig, listed, shape, path)?,
        (None, None) => return Ok(()),
    };
    let base = orig.unwrap_or_default();
    let position = |list: &[Value], item: &Value| match &keys {
        Some(keys) => {
            let key = key_of(item, keys);
            list.iter().position(|x| same_key(&key_of(x, keys), &key))
        }
        None => list.iter().position(|x| json_eq(x, item)),
    };
    let ordered = normalize(
        merged,
        |item| position(order, item),
        |item| position(&base, item),
    );
    out.insert(field.to_string(), Value::Array(ordered));
    Ok(())
}

/// The patch list's items (bar deletions and directives) must appear in `order`, in the same
/// relative order.
fn check_order(
    listed: &[Value],
    order: &[Value],
    keys: Option<&[String]>,
    path: &Path,
) -> Result<(), PatchError> {
    if order.is_empty() {
        return Ok(());
    }
    let mut wanted = order.iter();
    for (at, item) in listed.iter().enumerate() {
        if item.get(DIRECTIVE).is_some() {
            continue;
        }
        let found = match keys {
            None => wanted.any(|candidate| json_eq(candidate, item)),
            Some(keys) => {
                let object = item.as_object().ok_or_else(|| {
                    bad_items(path, "items of a list merged by key must be objects")
                })?;
                let key = required_key(object, keys, &path.index(at))?;
                wanted.any(|candidate| same_key(&key_of(candidate, keys), &key))
            }
        };
        if !found {
            return Err(PatchError::BadSetElementOrder {
                path: path.render(),
                reason: "the order of the patch list does not match it".to_string(),
            });
        }
    }
    Ok(())
}

/// `$deleteFromPrimitiveList/<field>`: removes every item equal to one listed.
pub(super) fn delete_primitives(
    out: &mut Object,
    field: &str,
    values: &Value,
    path: &Path,
) -> Result<(), PatchError> {
    let values = values
        .as_array()
        .ok_or_else(|| PatchError::BadPrimitiveList {
            path: path.render(),
        })?;
    if let Some(Value::Array(items)) = out.get_mut(field) {
        items.retain(|item| !values.iter().any(|v| json_eq(v, item)));
    }
    Ok(())
}

/// Orders `merged` as upstream does: items with an `order_pos` sorted by it, the others by
/// `server_pos`; then both interleaved, an item only the server has going first when the server
/// had it before the next ordered item.
fn normalize(
    merged: Vec<Value>,
    order_pos: impl Fn(&Value) -> Option<usize>,
    server_pos: impl Fn(&Value) -> Option<usize>,
) -> Vec<Value> {
    let (mut ordered, mut server_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|item| order_pos(item).is_some());
    ordered.sort_by_key(|item| order_pos(item));
    server_only.sort_by_key(|item| server_pos(item).unwrap_or(usize::MAX));
    let mut out = Vec::with_capacity(ordered.len() + server_only.len());
    let mut ordered = ordered.into_iter().peekable();
    let mut server_only = server_only.into_iter().peekable();
    loop {
        let take_server = match (server_only.peek(), ordered.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(left), Some(right)) => match (server_pos(left), server_pos(right)) {
                (Some(l), Some(r)) => l < r,
                _ => false,
            },
        };
        let next = if take_server {
            server_only.next()
        } else {
            ordered.next()
        };
        out.extend(next);
    }
    out
}

/// The values of the merge keys of a list item (`None` for a key it lacks).
fn key_of<'v>(item: &'v Value, keys: &[String]) -> Vec<Option<&'v Value>> {
    match item.as_object() {
        Some(object) => key_of_object(object, keys),
        None => vec![None; keys.len()],
    }
}

fn key_of_object<'v>(object: &'v Object, keys: &[String]) -> Vec<Option<&'v Value>> {
    keys.iter().map(|key| object.get(key)).collect()
}

/// The item's key; its first merge key must be present (the others may default).
fn required_key<'v>(
    object: &'v Object,
    keys: &[String],
    path: &Path,
) -> Result<Vec<Option<&'v Value>>, PatchError> {
    let key = key_of_object(object, keys);
    if key.first().is_some_and(Option::is_some) {
        Ok(key)
    } else {
        Err(PatchError::MissingMergeKey {
            path: path.render(),
            key: keys.join(","),
        })
    }
}

fn same_key(a: &[Option<&Value>], b: &[Option<&Value>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => json_eq(x, y),
            (None, None) => true,
            _ => false,
        })
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Kind {
    Object,
    String,
    Number,
    Bool,
    Null,
}

/// The one kind of item all `lists` hold (`None` if they are empty).
fn item_kind(lists: &[&[Value]], path: &Path) -> Result<Option<Kind>, PatchError> {
    let mut seen = None;
    for item in lists.iter().flat_map(|list| list.iter()) {
        let kind = match item {
            Value::Object(_) => Kind::Object,
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number,
            Value::Bool(_) => Kind::Bool,
            Value::Null => Kind::Null,
            Value::Array(_) => return Err(bad_items(path, "lists of lists are not supported")),
        };
        match seen {
            None => seen = Some(kind),
            Some(previous) if previous != kind => {
                return Err(bad_items(path, "list element types are not identical"));
            }
            Some(_) => {}
        }
    }
    Ok(seen)
}

fn bad_items(path: &Path, reason: &'static str) -> PatchError {
    PatchError::BadListItems {
        path: path.render(),
        reason,
    }
}
