//! Server-side apply: managedFields (FieldsV1), field ownership, conflicts, and the merge of an applied configuration.
//!
//! This is Kubernetes' field management (sigs.k8s.io/structured-merge-diff and the apiserver's
//! fieldmanager) over `serde_json::Value`s, driven by a [`Shape`](crate::schema::Shape):
//!
//! - [`FieldSet`]: sets of field paths (`f:`, `k:`, `v:`, `i:` elements) with their FieldsV1
//!   encoding, byte for byte as a real server writes it.
//! - [`apply`] / [`apply_with`]: server-side apply with conflicts, force and pruning of fields
//!   an applier stops applying.
//! - [`update`] / [`update_with`]: ownership of fields changed by create, update and non-apply
//!   patches.
//!
//! Everything here is pure: no clock (the caller passes `now`), no global state, so a dry run
//! is just a call whose result is discarded. The caller stays responsible for what the
//! storage strategy does around it: resetting `status` (main resource) or everything but
//! `status` (status subresource), checking preconditions such as `resourceVersion`, and
//! converting the live object to the request's apiVersion.

mod apply;
mod compare;
mod error;
mod last_applied;
mod managed;
mod merge;
mod path;
mod set;
mod typed;
mod update;
mod writer;

#[cfg(test)]
mod tests;

pub use apply::{BEFORE_FIRST_APPLY, apply, apply_with};
pub use error::{ApplyError, Conflict, FieldsError};
pub use last_applied::LAST_APPLIED_ANNOTATION;
pub use managed::{
    DecodeError, Entry, MAX_UPDATE_MANAGERS, ManagerId, Managers, Operation, cap_update_managers,
    decode, decode_object, encode, is_reset, normalize_time, set_on_object,
};
pub use path::{Path, PathElement, path_string};
pub(crate) use path::{go_quote, write_go_json};
pub use set::FieldSet;
pub(crate) use typed::item_element;
pub use typed::{ShapeError, field_set, object_meta_shape};
pub use update::{update, update_with};
pub use writer::{
    FIELD_MANAGER_MAX_LENGTH, Writer, default_manager, manager_or_user_agent, reset_fields,
};
