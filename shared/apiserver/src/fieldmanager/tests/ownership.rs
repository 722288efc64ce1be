//! Ownership between managers: sharing, conflicts, force, and what pruning leaves to others.

use serde_json::json;

use super::*;
use crate::fieldmanager::{ApplyError, apply, update};

/// A ConfigMap applied by `a` with the given data, as stored.
fn applied_by_a(data: Value) -> Value {
    stored(apply(None, &cm(data), "a", false, &cm_shape(), T0).unwrap())
}

#[test]
fn same_value_is_shared_without_conflict() {
    let live = applied_by_a(json!({"key": "v"}));
    let obj = apply(
        Some(&live),
        &cm(json!({"key": "v"})),
        "b",
        false,
        &cm_shape(),
        T1,
    )
    .unwrap();
    assert_eq!(fields_of(&obj, "a"), r#"{"f:data":{"f:key":{}}}"#);
    assert_eq!(fields_of(&obj, "b"), r#"{"f:data":{"f:key":{}}}"#);
    // Nothing changed, so b's entry carries no time, as upstream.
    assert_eq!(time_of(&obj, "b"), None);
    assert_eq!(owners(&obj), ["b/Apply", "a/Apply"]);
}

#[test]
fn different_value_conflicts_unless_forced() {
    let shape = cm_shape();
    let live = applied_by_a(json!({"key": "v", "other": "o"}));
    let config = cm(json!({"key": "w"}));
    let err = apply(Some(&live), &config, "b", false, &shape, T1).unwrap_err();
    let ApplyError::Conflicts(conflicts) = &err else {
        panic!("{err}")
    };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field(), ".data.key");
    assert_eq!(conflicts[0].manager.manager, "a");
    assert_eq!(err.code(), 409);
    assert_eq!(
        err.to_string(),
        r#"Apply failed with 1 conflict: conflict with "a": .data.key"#
    );

    let obj = apply(Some(&live), &config, "b", true, &shape, T1).unwrap();
    assert_eq!(obj["data"], json!({"key": "w", "other": "o"}));
    assert_eq!(fields_of(&obj, "a"), r#"{"f:data":{"f:other":{}}}"#);
    assert_eq!(fields_of(&obj, "b"), r#"{"f:data":{"f:key":{}}}"#);
}

#[test]
fn forcing_every_field_drops_the_empty_entry() {
    let live = applied_by_a(json!({"key": "v"}));
    let obj = apply(
        Some(&live),
        &cm(json!({"key": "w"})),
        "b",
        true,
        &cm_shape(),
        T1,
    )
    .unwrap();
    assert_eq!(owners(&obj), ["b/Apply"]);
}

#[test]
fn conflicts_with_several_managers_are_grouped() {
    let shape = cm_shape();
    let a = applied_by_a(json!({"x": "1", "y": "1"}));
    let ab = apply(Some(&a), &cm(json!({"z": "1"})), "b", false, &shape, T1).unwrap();
    let err = apply(
        Some(&ab),
        &cm(json!({"x": "2", "y": "2", "z": "2"})),
        "c",
        false,
        &shape,
        T2,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Apply failed with 3 conflicts: conflicts with \"a\":\n- .data.x\n- .data.y\n\
         conflicts with \"b\":\n- .data.z"
    );
    let status = err.to_status();
    assert_eq!(status["details"]["causes"].as_array().unwrap().len(), 3);
}

#[test]
fn pruning_keeps_fields_another_applier_owns() {
    let shape = cm_shape();
    let a = applied_by_a(json!({"shared": "s", "mine": "m"}));
    let ab = stored(
        apply(
            Some(&a),
            &cm(json!({"shared": "s"})),
            "b",
            false,
            &shape,
            T1,
        )
        .unwrap(),
    );
    let obj = apply(Some(&ab), &cm(json!({})), "a", false, &shape, T2).unwrap();
    assert_eq!(obj["data"], json!({"shared": "s"}));
    // An empty map in a configuration is owned as a whole, as upstream.
    assert_eq!(fields_of(&obj, "a"), r#"{"f:data":{}}"#);
}

#[test]
fn pruning_keeps_fields_an_updater_took_over() {
    let shape = cm_shape();
    let a = applied_by_a(json!({"key": "v", "keep": "k"}));
    let mut edited = a.clone();
    edited["data"]["key"] = json!("edited");
    let e = stored(update(Some(&a), &edited, "kubectl-edit", None, &shape, T1));
    assert_eq!(fields_of(&e, "kubectl-edit"), r#"{"f:data":{"f:key":{}}}"#);
    assert_eq!(fields_of(&e, "a"), r#"{"f:data":{"f:keep":{}}}"#);
    let obj = apply(Some(&e), &cm(json!({"keep": "k"})), "a", false, &shape, T2).unwrap();
    assert_eq!(obj["data"], json!({"key": "edited", "keep": "k"}));
}

#[test]
fn keyed_items_owned_by_another_applier_survive() {
    let shape = deploy_shape();
    let both =
        deploy(json!({"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}));
    let first = stored(apply(None, &both, "one", false, &shape, T0).unwrap());
    let b_only = deploy(json!({"containers": [{"name": "b", "image": "y"}]}));
    let second = stored(apply(Some(&first), &b_only, "two", false, &shape, T1).unwrap());
    let obj = apply(Some(&second), &deploy(json!({})), "one", false, &shape, T2).unwrap();
    assert_eq!(
        obj["spec"]["containers"],
        json!([{"name": "b", "image": "y"}])
    );
    assert_eq!(fields_of(&obj, "one"), r#"{"f:spec":{}}"#);
}

#[test]
fn an_applier_conflicts_with_its_own_update_entry() {
    let shape = cm_shape();
    let live = stored(update(
        None,
        &cm(json!({"key": "v"})),
        "flux",
        None,
        &shape,
        T0,
    ));
    let err = apply(
        Some(&live),
        &cm(json!({"key": "w"})),
        "flux",
        false,
        &shape,
        T1,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"Apply failed with 1 conflict: conflict with "flux" using v1: .data.key"#
    );
}

#[test]
fn updates_take_fields_from_appliers_without_conflict() {
    let shape = deploy_shape();
    let live = stored(
        apply(
            None,
            &deploy(json!({"replicas": 1, "paused": false})),
            "a",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let mut scaled = live.clone();
    scaled["spec"]["replicas"] = json!(4);
    let obj = update(Some(&live), &scaled, "hpa", None, &shape, T1);
    assert_eq!(fields_of(&obj, "a"), r#"{"f:spec":{"f:paused":{}}}"#);
    assert_eq!(fields_of(&obj, "hpa"), r#"{"f:spec":{"f:replicas":{}}}"#);
    assert_eq!(time_of(&obj, "hpa").as_deref(), Some(T1));
}
