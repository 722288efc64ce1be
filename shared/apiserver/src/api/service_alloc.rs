//! Values the server assigns once the request's field ownership is recorded (upstream's
//! PrepareForCreate and BeginCreate/BeginUpdate hooks run after its field manager, so no
//! manager owns them): a Service's cluster IP and node ports, a new Job's selector. What other
//! Services hold is read from the stored ones, so deleting a Service or changing its type
//! frees its values at once.

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;

use super::Api;
use crate::error::{ApiError, FieldError};
use crate::meta::meta_str;
use crate::registry::ResourceType;
use crate::registry::services::{self, Cursor, Held, Refusal};

/// Where the next searches start: consecutive Services get different values even when their
/// writes race, as upstream's random picks do.
static NEXT_IP: AtomicU32 = AtomicU32::new(0);
static NEXT_PORT: AtomicU32 = AtomicU32::new(0);

/// `nodePort` on a ClusterIP Service (upstream's ValidateService).
fn node_ports_forbidden(spec: &Value) -> Vec<FieldError> {
    if spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        != "ClusterIP"
    {
        return Vec::new();
    }
    spec.get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, p)| p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) != 0)
        .map(|(i, _)| {
            FieldError::forbidden(
                format!("spec.ports[{i}].nodePort"),
                "may not be used when `type` is 'ClusterIP'",
            )
        })
        .collect()
}

impl Api {
    /// What the server assigns to `obj` (`old` stored on updates) after field tracking.
    pub(super) fn server_assigned(
        &self,
        rt: &ResourceType,
        obj: &mut Value,
        old: Option<&Value>,
    ) -> Result<(), ApiError> {
        if rt.crd.is_none() && rt.group == "batch" && rt.resource == "jobs" && old.is_none() {
            super::defaults::job_selector(obj);
        }
        self.allocate_service(rt, obj, old)
    }

    /// Gives a Service (`obj`, with `old` stored on updates) its cluster IP and node ports;
    /// other kinds pass untouched.
    fn allocate_service(
        &self,
        rt: &ResourceType,
        obj: &mut Value,
        old: Option<&Value>,
    ) -> Result<(), ApiError> {
        if rt.crd.is_some() || !rt.group.is_empty() || rt.resource != "services" {
            return Ok(());
        }
        let (ns, name) = (
            meta_str(obj, "namespace").to_string(),
            meta_str(obj, "name").to_string(),
        );
        let invalid = |errs| ApiError::invalid(&rt.group, &rt.kind, &name, errs);
        let Some(spec) = obj.get_mut("spec").filter(|s| s.is_object()) else {
            return Ok(());
        };
        let forbidden = node_ports_forbidden(spec);
        if !forbidden.is_empty() {
            return Err(invalid(forbidden));
        }
        let mut others = Held::default();
        let stored = self
            .store
            .list("", "services", None, None, None)
            .map(|l| l.items)
            .unwrap_or_default();
        for s in stored
            .iter()
            .filter(|s| meta_str(s, "namespace") != ns || meta_str(s, "name") != name)
        {
            if let Some(spec) = s.get("spec") {
                others.add(spec);
            }
        }
        let cursor = Cursor {
            ip: NEXT_IP.fetch_add(1, Ordering::Relaxed),
            port: NEXT_PORT.fetch_add(2, Ordering::Relaxed),
        };
        let old_spec = old.and_then(|o| o.get("spec"));
        services::allocate(spec, old_spec, &others, cursor).map_err(|r| match r {
            Refusal::Invalid(errs) => invalid(errs),
            Refusal::Internal(m) => ApiError::internal(format!("Internal error occurred: {m}")),
        })
    }
}
