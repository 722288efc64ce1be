//! Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), with the
//! semantics of k8s.io/apimachinery/pkg/util/strategicpatch on the server side: `null` deletes,
//! lists merge by the [`Shape`] of the field, and the directives `$patch`, `$retainKeys`,
//! `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>` steer the merge.
//!
//! Values the patch adds where the object had nothing come out clean: no `null` members and no
//! directives, as they would after the real server decodes the result into its Go types.

mod list;

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::PatchError;
use crate::schema::Shape;

/// `$patch: replace | delete | merge` on an object or a list item.
const DIRECTIVE: &str = "$patch";
/// `$retainKeys: [fields]`: drop every field of the object not listed.
const RETAIN_KEYS: &str = "$retainKeys";
/// `$setElementOrder/<field>: [items]`: the order of the merged list.
const SET_ORDER: &str = "$setElementOrder/";
/// `$deleteFromPrimitiveList/<field>: [values]`: remove these values from a list of scalars.
const DELETE_PRIMITIVES: &str = "$deleteFromPrimitiveList/";

type Object = Map<String, Value>;

/// Applies a strategic merge patch to `doc`, whose merge shape is `shape` (from
/// [`crate::schema::builtin_shape`] with `for_apply = false`). Both must be JSON objects.
pub fn strategic_merge_patch(
    doc: &Value,
    patch: &Value,
    shape: &Shape,
) -> Result<Value, PatchError> {
    let (Value::Object(doc), Value::Object(patch)) = (doc, patch) else {
        return Err(PatchError::NotAnObject);
    };
    let merged = merge_object(Some(doc), patch, shape, &Path::ROOT)?;
    Ok(Value::Object(merged.unwrap_or_default()))
}

/// The patched value of a field that was `orig`; `None` removes the field.
fn merge_value(
    orig: Option<&Value>,
    patch: &Value,
    shape: &Shape,
    path: &Path,
) -> Result<Option<Value>, PatchError> {
    match (orig, patch) {
        (_, Value::Null) => Ok(None),
        (Some(Value::Object(orig)), Value::Object(patch)) if *shape != Shape::Atomic => {
            let merged = merge_object(Some(orig), patch, shape, path)?;
            Ok(Some(Value::Object(merged.unwrap_or_default())))
        }
        (Some(Value::Array(orig)), Value::Array(patch)) => Ok(Some(Value::Array(
            list::merge_list(orig, patch, shape, path)?,
        ))),
        _ => new_value(patch, shape, path),
    }
}

/// A value the patch sets where there was nothing to merge with; `None` if it is a deletion.
fn new_value(patch: &Value, shape: &Shape, path: &Path) -> Result<Option<Value>, PatchError> {
    match patch {
        Value::Null => Ok(None),
        Value::Object(patch) => Ok(merge_object(None, patch, shape, path)?.map(Value::Object)),
        Value::Array(items) => Ok(Some(Value::Array(list::new_list(items, shape, path)?))),
        scalar => Ok(Some(scalar.clone())),
    }
}

/// Merges `patch` into the object `orig` (`None`: there was none). `None` comes back only for
/// `$patch: delete` on an absent object; on an existing one it leaves `{}`, as upstream does.
fn merge_object(
    orig: Option<&Object>,
    patch: &Object,
    shape: &Shape,
    path: &Path,
) -> Result<Option<Object>, PatchError> {
    let patch = match patch.get(DIRECTIVE) {
        None => Cow::Borrowed(patch),
        Some(directive) => match directive.as_str() {
            Some("delete") => return Ok(orig.map(|_| Map::new())),
            Some("replace") => return merge_object(None, &without_directive(patch), shape, path),
            Some("merge") => Cow::Owned(without_directive(patch)),
            _ => return Err(bad_patch_type(directive, path)),
        },
    };
    let keys = Keys::classify(&patch, path)?;
    let mut out = orig.cloned().unwrap_or_default();
    if let Some(retain) = keys.retain {
        retain_keys(&mut out, &patch, retain, path)?;
    }
    for &(field, order) in &keys.orders {
        list::set_element_order(
            &mut out,
            &patch,
            field,
            order,
            shape.field(field),
            &path.field(field),
        )?;
    }
    for &(field, value) in &keys.fields {
        if keys.orders.iter().any(|&(ordered, _)| ordered == field) {
            continue;
        }
        let child = path.field(field);
        match merge_value(out.get(field), value, shape.field(field), &child)? {
            Some(merged) => out.insert(field.to_string(), merged),
            None => out.remove(field),
        };
    }
    for &(field, values) in &keys.deletions {
        list::delete_primitives(&mut out, field, values, &path.field(field))?;
    }
    Ok(Some(out))
}

/// The keys of a patch object, sorted into fields and directives.
struct Keys<'p> {
    fields: Vec<(&'p str, &'p Value)>,
    retain: Option<&'p Value>,
    orders: Vec<(&'p str, &'p Value)>,
    deletions: Vec<(&'p str, &'p Value)>,
}

impl<'p> Keys<'p> {
    fn classify(patch: &'p Object, path: &Path) -> Result<Self, PatchError> {
        let mut keys = Keys {
            fields: Vec::new(),
            retain: None,
            orders: Vec::new(),
            deletions: Vec::new(),
        };
        for (key, value) in patch {
            if !key.starts_with('$') {
                keys.fields.push((key, value));
            } else if key == RETAIN_KEYS {
                keys.retain = Some(value);
            } else if let Some(field) = directive_field(key, SET_ORDER) {
                let field = field.ok_or_else(|| PatchError::BadSetElementOrder {
                    path: path.render(),
                    reason: format!("{key:?} names no field"),
                })?;
                keys.orders.push((field, value));
            } else if let Some(field) = directive_field(key, DELETE_PRIMITIVES) {
                let field = field.ok_or_else(|| PatchError::BadPrimitiveList {
                    path: path.render(),
                })?;
                keys.deletions.push((field, value));
            } else {
                return Err(PatchError::UnknownDirective {
                    path: path.render(),
                    key: key.clone(),
                });
            }
        }
        Ok(keys)
    }
}

/// For a key with the directive's prefix (without its slash): `Some(Some(field))`, or
/// `Some(None)` when no field follows; `None` for keys of other directives.
fn directive_field<'k>(key: &'k str, prefix: &str) -> Option<Option<&'k str>> {
    let bare = prefix.trim_end_matches('/');
    let rest = key.strip_prefix(bare)?;
    match rest.strip_prefix('/') {
        Some(field) if !field.is_empty() => Some(Some(field)),
        _ => Some(None),
    }
}

/// `$retainKeys`: every field the patch sets must be listed; fields of `out` not listed go.
fn retain_keys(
    out: &mut Object,
    patch: &Object,
    retain: &Value,
    path: &Path,
) -> Result<(), PatchError> {
    let bad = || PatchError::BadRetainKeys {
        path: path.render(),
    };
    let listed: Vec<&str> = retain
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let unlisted = patch.iter().any(|(key, value)| {
        !key.starts_with('$') && !value.is_null() && !listed.contains(&key.as_str())
    });
    if unlisted {
        return Err(bad());
    }
    out.retain(|key, _| listed.contains(&key.as_str()));
    Ok(())
}

fn without_directive(patch: &Object) -> Object {
    let mut rest = patch.clone();
    rest.remove(DIRECTIVE);
    rest
}

fn bad_patch_type(directive: &Value, path: &Path) -> PatchError {
    PatchError::BadPatchType {
        path: path.render(),
        value: directive.to_string(),
    }
}

/// Where in the object the merge is, rendered only when an error needs it.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    const ROOT: Path<'static> = Path {
        parent: None,
        step: Step::Root,
    };

    fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Field(name),
        }
    }

    fn index(&'a self, at: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Index(at),
        }
    }

    /// `spec.template.spec.containers[1].env`, or `<root>`.
    fn render(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(path.step);
            at = path.parent;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Field(name) if out.is_empty() => out.push_str(name),
                Step::Field(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Step::Index(at) => out.push_str(&format!("[{at}]")),
            }
        }
        if out.is_empty() {
            "<root>".to_string()
        } else {
            out
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kinds;
#[cfg(test)]
mod tests_order;
