//! Update: entries for create/update/patch, subresources, resets, caps and fallbacks.

use serde_json::json;

use super::*;
use crate::fieldmanager::{Writer, apply, reset_fields, update, update_with};

#[test]
fn create_owns_every_field_with_parent_markers() {
    let mut obj = cm(json!({"key": "v"}));
    obj["metadata"]["labels"] = json!({"app": "web"});
    let out = update(None, &obj, "kubectl-create", None, &cm_shape(), T0);
    assert_eq!(
        entries(&out),
        vec![json!({
            "manager": "kubectl-create", "operation": "Update", "apiVersion": "v1", "time": T0,
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {".": {}, "f:key": {}}, "f:metadata": {"f:labels": {".": {}, "f:app": {}}}}
        })]
    );
    assert_eq!(
        fields_of(&out, "kubectl-create"),
        r#"{"f:data":{".":{},"f:key":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}"#
    );
}

#[test]
fn an_update_that_changes_nothing_keeps_entries() {
    let shape = cm_shape();
    let live = stored(update(
        None,
        &cm(json!({"key": "v"})),
        "a",
        None,
        &shape,
        T0,
    ));
    let out = update(Some(&live), &live, "b", None, &shape, T1);
    assert_eq!(out, live);
}

#[test]
fn removed_fields_leave_every_owner() {
    let shape = cm_shape();
    let live = stored(
        apply(
            None,
            &cm(json!({"x": "1", "y": "2"})),
            "a",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let mut new = live.clone();
    new["data"] = json!({"y": "2"});
    let out = update(Some(&live), &new, "editor", None, &shape, T1);
    assert_eq!(fields_of(&out, "a"), r#"{"f:data":{"f:y":{}}}"#);
    assert_eq!(owners(&out), ["a/Apply"]);
    new["data"] = json!({});
    let emptied = update(Some(&live), &new, "editor", None, &shape, T1);
    assert_eq!(owners(&emptied), Vec::<String>::new());
    assert_eq!(emptied["metadata"].get("managedFields"), None);
}

#[test]
fn one_entry_per_manager_and_api_version() {
    let shape = cm_shape();
    let live = stored(update(None, &cm(json!({"a": "1"})), "m", None, &shape, T0));
    let mut new = live.clone();
    new["data"]["b"] = json!("2");
    let same = update(Some(&live), &new, "m", None, &shape, T1);
    assert_eq!(owners(&same), ["m/Update"]);
    assert_eq!(
        fields_of(&same, "m"),
        r#"{"f:data":{".":{},"f:a":{},"f:b":{}}}"#
    );
    assert_eq!(time_of(&same, "m").as_deref(), Some(T1));
    let mut other_version = new.clone();
    other_version["apiVersion"] = json!("v2");
    let two = update(Some(&live), &other_version, "m", None, &shape, T1);
    let versions: Vec<Value> = entries(&two)
        .iter()
        .map(|e| e["apiVersion"].clone())
        .collect();
    assert_eq!(versions, [json!("v1"), json!("v2")]);
}

#[test]
fn status_writes_get_a_status_entry_and_never_own_spec() {
    let shape = deploy_shape();
    let live = stored(
        apply(
            None,
            &deploy(json!({"replicas": 1})),
            "flux",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let mut new = live.clone();
    new["status"] = json!({"ready": 1});
    new["spec"]["replicas"] = json!(9);
    // A subresource write cannot rewrite managedFields.
    new["metadata"]["managedFields"] = json!([]);
    let out = update(
        Some(&live),
        &new,
        "gotk-helm-controller",
        Some("status"),
        &shape,
        T1,
    );
    assert_eq!(
        owners(&out),
        ["flux/Apply", "gotk-helm-controller/Update/status"]
    );
    assert_eq!(
        fields_of(&out, "gotk-helm-controller"),
        r#"{"f:status":{".":{},"f:ready":{}}}"#
    );
    assert_eq!(entries(&out)[1]["subresource"], "status");
    assert_eq!(fields_of(&out, "flux"), r#"{"f:spec":{"f:replicas":{}}}"#);
}

#[test]
fn main_resource_updates_do_not_own_status() {
    let mut obj = deploy(json!({"replicas": 1}));
    obj["status"] = json!({"ready": 0});
    let out = update(None, &obj, "creator", None, &deploy_shape(), T0);
    assert_eq!(
        fields_of(&out, "creator"),
        r#"{"f:spec":{".":{},"f:replicas":{}}}"#
    );
    let reset = crate::fieldmanager::FieldSet::new();
    let writer = Writer {
        manager: "creator",
        subresource: None,
        now: T0,
        reset: &reset,
    };
    let tracked = update_with(None, &obj, &deploy_shape(), &writer);
    assert!(fields_of(&tracked, "creator").contains("f:status"));
}

#[test]
fn clearing_managed_fields_stops_tracking_until_the_next_apply() {
    let shape = cm_shape();
    let live = stored(apply(None, &cm(json!({"a": "1"})), "flux", false, &shape, T0).unwrap());
    for reset in [json!([]), json!([{}])] {
        let mut new = live.clone();
        new["metadata"]["managedFields"] = reset;
        new["data"]["b"] = json!("2");
        let out = stored(update(Some(&live), &new, "kubectl-edit", None, &shape, T1));
        assert_eq!(out["metadata"].get("managedFields"), None, "{out}");
        let next = update(Some(&out), &out, "someone", None, &shape, T1);
        assert_eq!(next["metadata"].get("managedFields"), None);
        let applied = apply(
            Some(&out),
            &cm(json!({"a": "1"})),
            "flux",
            false,
            &shape,
            T2,
        )
        .unwrap();
        assert_eq!(
            owners(&applied),
            ["flux/Apply", "before-first-apply/Update"]
        );
    }
}

#[test]
fn managed_fields_sent_by_the_client_are_the_base() {
    let shape = cm_shape();
    let live = stored(apply(None, &cm(json!({"a": "1"})), "flux", false, &shape, T0).unwrap());
    let mut new = live.clone();
    new["metadata"]["managedFields"][0]["manager"] = json!("renamed");
    let out = update(Some(&live), &new, "kubectl-edit", None, &shape, T1);
    assert_eq!(owners(&out), ["renamed/Apply"]);
    // Unreadable entries fall back to the stored ones.
    new["metadata"]["managedFields"] = json!([{"operation": "Bogus"}]);
    let out = update(Some(&live), &new, "kubectl-edit", None, &shape, T1);
    assert_eq!(owners(&out), ["flux/Apply"]);
}

#[test]
fn objects_that_do_not_fit_the_shape_keep_the_old_entries() {
    let shape = deploy_shape();
    let live = stored(
        apply(
            None,
            &deploy(json!({"replicas": 1})),
            "flux",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let mut bad = live.clone();
    bad["spec"]["containers"] = json!([{"image": "no-name"}]);
    let out = update(Some(&live), &bad, "x", None, &shape, T1);
    assert_eq!(
        out["metadata"]["managedFields"],
        live["metadata"]["managedFields"]
    );
    assert_eq!(out["spec"]["containers"], bad["spec"]["containers"]);
}

#[test]
fn at_most_ten_update_entries() {
    let shape = cm_shape();
    let mut live = stored(cm(json!({})));
    live = update(None, &live, "creator", None, &shape, T0);
    for i in 0..12 {
        let mut new = live.clone();
        new["data"][format!("k{i}")] = json!("v");
        let now = format!("2024-01-01T01:00:{i:02}Z");
        live = update(Some(&live), &new, &format!("m{i:02}"), None, &shape, &now);
    }
    let names = owners(&live);
    assert_eq!(names.len(), 10, "{names:?}");
    assert_eq!(names[0], "ancient-changes/Update");
    assert_eq!(
        fields_of(&live, "ancient-changes"),
        r#"{"f:data":{".":{},"f:k0":{},"f:k1":{},"f:k2":{}}}"#
    );
}

#[test]
fn unnamed_managers_and_odd_times_are_normalized() {
    let reset = reset_fields(None, true);
    let writer = Writer {
        manager: "",
        subresource: None,
        now: "2024-01-01T01:00:00+01:00",
        reset: &reset,
    };
    let out = update_with(None, &cm(json!({"k": "v"})), &cm_shape(), &writer);
    assert_eq!(owners(&out), ["unknown/Update"]);
    assert_eq!(time_of(&out, "unknown").as_deref(), Some(T0));
}
