//! core/v1 and events.k8s.io/v1 Events are one resource on a real server: stored in the core
//! form, events.k8s.io/v1 is a view with renamed fields. These convert between the two.

use serde_json::{Map, Value, json};

use crate::registry::ResourceType;

/// (events.k8s.io/v1 name, core/v1 name) of the renamed top-level fields.
const RENAMES: &[(&str, &str)] = &[
    ("regarding", "involvedObject"),
    ("note", "message"),
    ("deprecatedSource", "source"),
    ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"),
    ("deprecatedCount", "count"),
    ("reportingController", "reportingComponent"),
];

/// Whether objects of this type are events.k8s.io Events stored as core Events.
pub fn is_events_view(rt: &ResourceType) -> bool {
    rt.crd.is_none() && rt.group == "events.k8s.io" && rt.resource == "events"
}

fn rename(obj: &mut Value, to_core: bool) {
    let Some(map) = obj.as_object_mut() else {
        return;
    };
    let mut out = Map::new();
    for (k, v) in std::mem::take(map) {
        let renamed = RENAMES.iter().find_map(|(new, core)| {
            let (from, to) = if to_core { (new, core) } else { (core, new) };
            (k == *from).then(|| to.to_string())
        });
        out.insert(renamed.unwrap_or(k), v);
    }
    *map = out;
}

/// An events.k8s.io/v1 Event in its stored core/v1 form.
pub fn to_core(obj: &mut Value) {
    rename(obj, true);
    if let Some(m) = obj.as_object_mut() {
        m.insert("apiVersion".into(), json!("v1"));
    }
}

/// A stored core/v1 Event as events.k8s.io/v1 shows it.
pub fn from_core(obj: &mut Value) {
    rename(obj, false);
}

/// A field selector of the events.k8s.io view in core field names.
pub fn core_field_selector(s: &str) -> String {
    s.replace("regarding.", "involvedObject.")
        .replace("reportingController", "reportingComponent")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let view = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "regarding": {"name": "x"}, "note": "hi", "reportingController": "c", "reason": "R"});
        let mut core = view.clone();
        to_core(&mut core);
        assert_eq!(core["involvedObject"]["name"], "x");
        assert_eq!(core["message"], "hi");
        assert_eq!(core["reportingComponent"], "c");
        let mut back = core.clone();
        from_core(&mut back);
        back["apiVersion"] = json!("events.k8s.io/v1");
        assert_eq!(back, view);
        assert_eq!(
            core_field_selector("regarding.name=x"),
            "involvedObject.name=x"
        );
    }
}
