//! Server-side apply: merge an applied configuration into the live object, prune what the
//! applier stopped applying, detect conflicts with other owners, and record the Apply entry.

use serde_json::{Map, Value};

use super::error::ApplyError;
use super::last_applied;
use super::managed::{
    Entry, ManagerId, Managers, Operation, cap_update_managers, decode_object, normalize_time,
    set_on_object,
};
use super::merge::merge;
use super::set::FieldSet;
use super::typed::{ShapeError, field_set, remove_fields, root_shape, with_named_fields};
use super::update::{ChangeError, record_update, take_changes};
use super::writer::{
    Writer, api_version, empty_like, reset_fields, strip_meta, without_managed_fields,
};
use crate::schema::Shape;

/// The manager that takes ownership of an object's existing fields when it is first applied
/// to without any managedFields.
pub const BEFORE_FIRST_APPLY: &str = "before-first-apply";

/// Server-side apply of `config` by `manager` to the main resource (whose `status` is not
/// owned by appliers). `live` is `None` for a create. Returns the object to store with its
/// managedFields; unchanged fields keep the live values.
pub fn apply(
    live: Option<&Value>,
    config: &Value,
    manager: &str,
    force: bool,
    shape: &Shape,
    now: &str,
) -> Result<Value, ApplyError> {
    let reset = reset_fields(None, true);
    let writer = Writer {
        manager,
        subresource: None,
        now,
        reset: &reset,
    };
    apply_with(live, config, force, shape, &writer)
}

/// [`apply`] through any endpoint: `writer.subresource` is `Some("status")` for status applies,
/// and `writer.reset` the fields the endpoint resets ([`reset_fields`]).
pub fn apply_with(
    live: Option<&Value>,
    config: &Value,
    force: bool,
    shape: &Shape,
    writer: &Writer<'_>,
) -> Result<Value, ApplyError> {
    let outcome = apply_once(live, config, force, shape, writer);
    let manager = writer.manager_name();
    let outcome = match (outcome, live) {
        (Err(ApplyError::Conflicts(conflicts)), Some(l)) if manager == last_applied::KUBECTL => {
            let root = root_shape(shape);
            match last_applied::remaining_conflicts(&conflicts, l, config, &root) {
                Some(left) if left.is_empty() => apply_once(live, config, true, shape, writer),
                Some(left) => Err(ApplyError::Conflicts(left)),
                None => Err(ApplyError::Conflicts(conflicts)),
            }
        }
        (outcome, _) => outcome,
    };
    let mut object = outcome?;
    if manager == last_applied::KUBECTL
        && let Some(l) = live
    {
        last_applied::sync_annotation(&mut object, l, config);
    }
    Ok(object)
}

fn apply_once(
    live: Option<&Value>,
    config: &Value,
    force: bool,
    shape: &Shape,
    writer: &Writer<'_>,
) -> Result<Value, ApplyError> {
    check_config(config)?;
    let root = root_shape(shape);
    let mut managers = match live {
        Some(l) => decode_object(l).map_err(|e| ApplyError::ManagedFields(e.0))?,
        None => Managers::new(),
    };
    let live_obj = live.map_or_else(|| empty_like(config), without_managed_fields);
    let version = api_version(config, live);
    let subresource = writer.subresource_name();
    if managers.is_empty() {
        let id = ManagerId::new(BEFORE_FIRST_APPLY, Operation::Update, version, subresource);
        let before = Writer {
            manager: BEFORE_FIRST_APPLY,
            ..*writer
        };
        record_update(
            &empty_like(&live_obj),
            &live_obj,
            &mut managers,
            &id,
            &root,
            &before,
        )
        .map_err(invalid)?;
        cap_update_managers(&mut managers);
    }
    let applier = ManagerId::new(
        writer.manager_name(),
        Operation::Apply,
        version,
        subresource,
    );
    let step = ApplyStep {
        applier: &applier,
        version,
        force,
        shape: &root,
        reset: writer.reset,
    };
    let mut merged = step.run(&live_obj, live.is_some(), config, &mut managers)?;
    let changed = merged != live_obj;
    if changed {
        if let Some(entry) = managers.get_mut(&applier) {
            entry.time = Some(normalize_time(writer.now).unwrap_or_else(|| writer.now.to_string()));
        }
    } else {
        merged = live_obj;
    }
    set_on_object(&mut merged, &managers);
    Ok(merged)
}

fn check_config(config: &Value) -> Result<(), ApplyError> {
    if !config.is_object() {
        return Err(ApplyError::BadRequest(
            "the apply configuration must be an object".to_string(),
        ));
    }
    match config.pointer("/metadata/managedFields") {
        None | Some(Value::Null) => Ok(()),
        Some(_) => Err(ApplyError::BadRequest(
            "metadata.managedFields must be nil".to_string(),
        )),
    }
}

fn invalid(e: ShapeError) -> ApplyError {
    ApplyError::Invalid(e.to_string())
}

/// One apply by one applier, as upstream's `Updater.Apply`.
struct ApplyStep<'a> {
    applier: &'a ManagerId,
    version: &'a str,
    force: bool,
    shape: &'a Shape,
    reset: &'a FieldSet,
}

impl ApplyStep<'_> {
    /// Merges, records the applier's new field set, prunes, and settles ownership.
    fn run(
        &self,
        live: &Value,
        existed: bool,
        config: &Value,
        managers: &mut Managers,
    ) -> Result<Value, ApplyError> {
        let mut merged = merge(Some(live), Some(config), self.shape)
            .map_err(invalid)?
            .unwrap_or_else(|| Value::Object(Map::new()));
        if existed {
            keep_server_metadata(&mut merged, live);
        }
        let fields = field_set(config, self.shape)
            .map_err(invalid)?
            .recursive_difference(self.reset);
        let previous = managers.get(self.applier).cloned();
        managers.insert(
            self.applier.clone(),
            Entry {
                api_version: self.version.to_string(),
                time: previous.as_ref().and_then(|e| e.time.clone()),
                fields,
            },
        );
        if let Some(last) = previous.filter(|e| !e.fields.is_empty()) {
            merged = self.prune(&merged, managers, &last.fields);
        }
        match take_changes(
            live,
            &merged,
            managers,
            Some(self.applier),
            self.force,
            self.shape,
            self.reset,
        ) {
            Ok(_) => {}
            Err(ChangeError::Conflicts(c)) => return Err(ApplyError::Conflicts(c)),
            Err(ChangeError::Shape(e)) => return Err(invalid(e)),
        }
        if let Some(entry) = managers.get_mut(self.applier) {
            entry.fields = strip_meta(&entry.fields);
            if entry.fields.is_empty() {
                managers.remove(self.applier);
            }
        }
        Ok(merged)
    }

    /// Removes what the applier applied last time and no longer does, unless some manager
    /// (the applier's new configuration included) still owns it.
    fn prune(&self, merged: &Value, managers: &Managers, last: &FieldSet) -> Value {
        let owned = managers
            .values()
            .fold(FieldSet::new(), |acc, e| acc.union(&e.fields));
        let gone =
            with_named_fields(last, self.shape).difference(&with_named_fields(&owned, self.shape));
        if gone.is_empty() {
            return merged.clone();
        }
        remove_fields(merged, &gone, self.shape).unwrap_or_else(|| Value::Object(Map::new()))
    }
}

/// Metadata the server sets: a configuration that drops it (`creationTimestamp: null`, common
/// in generated manifests) does not remove it from the live object.
fn keep_server_metadata(merged: &mut Value, live: &Value) {
    const SERVER_SET: [&str; 7] = [
        "uid",
        "creationTimestamp",
        "resourceVersion",
        "generation",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "selfLink",
    ];
    let Some(live_meta) = live.get("metadata").and_then(Value::as_object) else {
        return;
    };
    let Some(obj) = merged.as_object_mut() else {
        return;
    };
    let meta = obj
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    for key in SERVER_SET {
        if let (Some(v), false) = (live_meta.get(key), meta.contains_key(key)) {
            meta.insert(key.to_string(), v.clone());
        }
    }
}
