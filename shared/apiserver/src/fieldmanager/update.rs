//! Tracking of non-apply writes (create, update, patch): the fields a write changes move to the
//! writer's Update entry and out of everyone else's, as upstream's field manager does.

use serde_json::Value;

use super::compare::{Comparison, compare};
use super::error::Conflict;
use super::managed::{
    Entry, ManagerId, Managers, Operation, cap_update_managers, decode_object, is_reset,
    set_on_object,
};
use super::set::FieldSet;
use super::typed::{ShapeError, root_shape};
use super::writer::{
    Writer, api_version, empty_like, reset_fields, strip_meta, without_managed_fields,
};
use crate::schema::Shape;

/// `new` with its managedFields updated for a create (`old` is `None`), update or non-apply
/// patch by `manager`. `subresource` is `Some("status")` for status writes; the main resource
/// is assumed to have a status subresource (its `status` is not tracked). Never fails: when
/// the objects do not fit the shape, the old managedFields are kept, as upstream does.
pub fn update(
    old: Option<&Value>,
    new: &Value,
    manager: &str,
    subresource: Option<&str>,
    shape: &Shape,
    now: &str,
) -> Value {
    let reset = reset_fields(subresource, true);
    let writer = Writer {
        manager,
        subresource,
        now,
        reset: &reset,
    };
    update_with(old, new, shape, &writer)
}

/// [`update`] with the endpoint's reset fields given by the caller.
pub fn update_with(old: Option<&Value>, new: &Value, shape: &Shape, writer: &Writer<'_>) -> Value {
    let mut out = without_managed_fields(new);
    match track_update(old, &out, new, shape, writer) {
        Ok(managers) => set_on_object(&mut out, &managers),
        Err(_) => {
            let kept = old
                .and_then(|o| o.pointer("/metadata/managedFields"))
                .cloned();
            let meta = out.get_mut("metadata").and_then(Value::as_object_mut);
            if let (Some(list), Some(meta)) = (kept, meta) {
                meta.insert("managedFields".to_string(), list);
            }
        }
    }
    out
}

fn track_update(
    old: Option<&Value>,
    new: &Value,
    request: &Value,
    shape: &Shape,
    writer: &Writer<'_>,
) -> Result<Managers, ShapeError> {
    let mut managers = base_managers(old, request, writer.subresource.is_some());
    let existing = old.is_some_and(|o| {
        o.pointer("/metadata/uid")
            .and_then(Value::as_str)
            .is_some_and(|u| !u.is_empty())
    });
    if managers.is_empty() && existing {
        // Tracking was reset (or never started): an update does not start it again.
        return Ok(managers);
    }
    let old_obj = old.map_or_else(|| empty_like(new), without_managed_fields);
    let version = api_version(new, old);
    let id = ManagerId::new(
        writer.manager_name(),
        Operation::Update,
        version,
        writer.subresource_name(),
    );
    let root = root_shape(shape);
    record_update(&old_obj, new, &mut managers, &id, &root, writer)?;
    cap_update_managers(&mut managers);
    Ok(managers)
}

/// The entries to start from: a subresource write keeps the stored ones; otherwise the
/// request's own (so clients can edit them) unless it resets them with `[]` or `[{}]`, falling
/// back to the stored ones when the request has none or unreadable ones.
fn base_managers(old: Option<&Value>, request: &Value, subresource: bool) -> Managers {
    let stored = || old.and_then(|o| decode_object(o).ok()).unwrap_or_default();
    if subresource {
        return stored();
    }
    if is_reset(request) {
        return Managers::new();
    }
    match decode_object(request) {
        Ok(m) if !m.is_empty() => m,
        _ => stored(),
    }
}

/// Records that `id` changed `old` into `new`: changed fields leave every entry and join the
/// writer's, stamped `now`. Nothing is stamped when nothing changed.
pub(crate) fn record_update(
    old: &Value,
    new: &Value,
    managers: &mut Managers,
    id: &ManagerId,
    shape: &Shape,
    writer: &Writer<'_>,
) -> Result<(), ShapeError> {
    let cmp = match take_changes(old, new, managers, None, true, shape, writer.reset) {
        Ok(cmp) => cmp,
        Err(ChangeError::Shape(e)) => return Err(e),
        Err(ChangeError::Conflicts(_)) => return Ok(()),
    };
    let fields = strip_meta(&cmp.changed());
    if fields.is_empty() {
        return Ok(());
    }
    let version = id.api_version.clone();
    let entry = managers.entry(id.clone()).or_insert_with(|| Entry {
        api_version: version.clone(),
        time: None,
        fields: FieldSet::new(),
    });
    entry.fields = fields.union(&entry.fields);
    entry.api_version = version;
    entry.time =
        Some(super::managed::normalize_time(writer.now).unwrap_or_else(|| writer.now.to_string()));
    Ok(())
}

/// Why changes could not be taken.
pub(crate) enum ChangeError {
    Shape(ShapeError),
    Conflicts(Vec<Conflict>),
}

impl From<ShapeError> for ChangeError {
    fn from(e: ShapeError) -> Self {
        ChangeError::Shape(e)
    }
}

/// Upstream's core step: compares `old` and `new` (minus reset fields); fields that are new or
/// have a new value conflict with their other owners unless `force`, in which case the owners
/// lose them; removed fields leave every owner; empty entries go. `skip` is the writer itself.
pub(crate) fn take_changes(
    old: &Value,
    new: &Value,
    managers: &mut Managers,
    skip: Option<&ManagerId>,
    force: bool,
    shape: &Shape,
    reset: &FieldSet,
) -> Result<Comparison, ChangeError> {
    let cmp = compare(Some(old), Some(new), shape)?.excluding(reset);
    let changed = cmp.changed();
    let mut conflicts = Vec::new();
    let mut taken = Vec::new();
    for (id, entry) in managers.iter().filter(|(id, _)| Some(*id) != skip) {
        let owned = entry.fields.intersection(&changed);
        if owned.is_empty() {
            continue;
        }
        for p in owned.paths() {
            conflicts.push(Conflict {
                manager: id.clone(),
                path: p,
            });
        }
        taken.push((id.clone(), owned));
    }
    if !force && !conflicts.is_empty() {
        return Err(ChangeError::Conflicts(conflicts));
    }
    for (id, owned) in taken {
        if let Some(entry) = managers.get_mut(&id) {
            entry.fields = entry.fields.difference(&owned);
        }
    }
    if !cmp.removed.is_empty() {
        for (_, entry) in managers.iter_mut().filter(|(id, _)| Some(*id) != skip) {
            entry.fields = entry.fields.difference(&cmp.removed);
        }
    }
    managers.retain(|_, e| !e.fields.is_empty());
    Ok(cmp)
}
