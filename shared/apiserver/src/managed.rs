//! managedFields on writes: the merge shape of each resource type, and the field manager of
//! a create, update or non-apply patch recorded with `fieldmanager::update_with`.

use serde_json::Value;

use crate::api::WriteOptions;
use crate::fieldmanager::{self, Writer, manager_or_user_agent, reset_fields};
use crate::meta;
use crate::registry::ResourceType;
use crate::schema::{self, Shape};

/// The merge shape of a resource type: the built-in table, or the CRD's schema.
pub fn shape_for(rt: &ResourceType, for_apply: bool) -> Shape {
    match &rt.crd {
        Some(crd) => crd
            .schema
            .as_ref()
            .map(schema::custom_resource_shape)
            .unwrap_or_default(),
        None => schema::builtin_shape(&rt.group, &rt.kind, for_apply).unwrap_or_default(),
    }
}

/// The manager of a write: `fieldManager`, else derived from the User-Agent.
pub fn manager(opts: &WriteOptions) -> String {
    manager_or_user_agent(opts.field_manager.as_deref(), &opts.user_agent)
}

/// Records the fields a create or non-apply write set (`old` is `None` for creates).
pub fn track(
    rt: &ResourceType,
    old: Option<&Value>,
    new: &mut Value,
    subresource: Option<&str>,
    opts: &WriteOptions,
) {
    if opts.applied {
        return;
    }
    let reset = reset_fields(subresource, rt.has_status());
    let manager = manager(opts);
    let now = meta::now();
    let writer = Writer {
        manager: &manager,
        subresource,
        now: &now,
        reset: &reset,
    };
    *new = fieldmanager::update_with(old, new, &shape_for(rt, true), &writer);
}
