//! Apply: entries written, merging, pruning, errors, status, first apply, kubectl migration.

use serde_json::json;

use super::*;
use crate::fieldmanager::{
    ApplyError, LAST_APPLIED_ANNOTATION, Writer, apply, apply_with, reset_fields,
};

#[test]
fn create_writes_one_apply_entry() {
    let config = cm(json!({"key": "v"}));
    let obj = apply(None, &config, "flux", false, &cm_shape(), T0).unwrap();
    assert_eq!(
        entries(&obj),
        vec![json!({
            "manager": "flux", "operation": "Apply", "apiVersion": "v1", "time": T0,
            "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:key": {}}}
        })]
    );
    assert_eq!(obj["data"], json!({"key": "v"}));
}

#[test]
fn labels_and_keyed_items_are_tracked_like_a_real_server() {
    let mut config = deploy(json!({"replicas": 2, "containers": [
        {"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]}
    ]}));
    config["metadata"]["labels"] = json!({"app": "web"});
    let obj = apply(
        None,
        &config,
        "kustomize-controller",
        false,
        &deploy_shape(),
        T0,
    )
    .unwrap();
    assert_eq!(
        fields_of(&obj, "kustomize-controller"),
        r#"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}},"f:replicas":{}}}"#
    );
}

#[test]
fn reapplying_the_same_configuration_changes_nothing() {
    let shape = cm_shape();
    let config = cm(json!({"key": "v"}));
    let first = stored(apply(None, &config, "flux", false, &shape, T0).unwrap());
    let second = apply(Some(&first), &config, "flux", false, &shape, T1).unwrap();
    assert_eq!(second, first);
    let third = apply(
        Some(&first),
        &cm(json!({"key": "w"})),
        "flux",
        false,
        &shape,
        T2,
    )
    .unwrap();
    assert_eq!(time_of(&third, "flux").as_deref(), Some(T2));
    assert_eq!(third["metadata"]["uid"], "0000-uid");
}

#[test]
fn merges_into_fields_the_configuration_does_not_mention() {
    let shape = deploy_shape();
    let live = stored(deploy(json!({"replicas": 1, "paused": true})));
    let obj = apply(
        Some(&live),
        &deploy(json!({"replicas": 3})),
        "a",
        true,
        &shape,
        T1,
    )
    .unwrap();
    assert_eq!(obj["spec"], json!({"replicas": 3, "paused": true}));
}

#[test]
fn stops_applying_a_field_removes_it() {
    let shape = cm_shape();
    let first = stored(
        apply(
            None,
            &cm(json!({"a": "1", "b": "2"})),
            "flux",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let obj = apply(
        Some(&first),
        &cm(json!({"a": "1"})),
        "flux",
        false,
        &shape,
        T1,
    )
    .unwrap();
    assert_eq!(obj["data"], json!({"a": "1"}));
    assert_eq!(fields_of(&obj, "flux"), r#"{"f:data":{"f:a":{}}}"#);
}

#[test]
fn removing_the_last_label_removes_the_map_it_owned() {
    let shape = cm_shape();
    let mut config = cm(json!({"a": "1"}));
    config["metadata"]["labels"] = json!({"team": "x"});
    let first = stored(apply(None, &config, "flux", false, &shape, T0).unwrap());
    let obj = apply(
        Some(&first),
        &cm(json!({"a": "1"})),
        "flux",
        false,
        &shape,
        T1,
    )
    .unwrap();
    assert_eq!(obj["metadata"].get("labels"), None);
    assert_eq!(obj["metadata"]["name"], "x");
}

#[test]
fn list_items_no_longer_applied_are_removed() {
    let shape = deploy_shape();
    let two =
        deploy(json!({"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}));
    let first = stored(apply(None, &two, "flux", false, &shape, T0).unwrap());
    let one = deploy(json!({"containers": [{"name": "a", "image": "x"}]}));
    let obj = apply(Some(&first), &one, "flux", false, &shape, T1).unwrap();
    assert_eq!(
        obj["spec"]["containers"],
        json!([{"name": "a", "image": "x"}])
    );
}

#[test]
fn set_items_are_merged_and_pruned_by_value() {
    let shape = deploy_shape();
    let a = stored(
        apply(
            None,
            &deploy(json!({"tags": ["x"]})),
            "a",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let ab = apply(
        Some(&a),
        &deploy(json!({"tags": ["y"]})),
        "b",
        false,
        &shape,
        T1,
    )
    .unwrap();
    assert_eq!(ab["spec"]["tags"], json!(["x", "y"]));
    assert_eq!(
        fields_of(&ab, "b"),
        r#"{"f:spec":{"f:tags":{"v:\"y\"":{}}}}"#
    );
    let pruned = apply(Some(&ab), &deploy(json!({})), "a", false, &shape, T2).unwrap();
    assert_eq!(pruned["spec"]["tags"], json!(["y"]));
}

#[test]
fn atomic_lists_are_replaced_and_owned_whole() {
    let shape = deploy_shape();
    let config = |args: Value| deploy(json!({"containers": [{"name": "a", "args": args}]}));
    let first = stored(apply(None, &config(json!(["1", "2"])), "a", false, &shape, T0).unwrap());
    assert_eq!(
        fields_of(&first, "a"),
        r#"{"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:args":{},"f:name":{}}}}}"#
    );
    let err = apply(Some(&first), &config(json!(["3"])), "b", false, &shape, T1).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"Apply failed with 1 conflict: conflict with "a": .spec.containers[name="a"].args"#
    );
    let forced = apply(Some(&first), &config(json!(["3"])), "b", true, &shape, T1).unwrap();
    assert_eq!(forced["spec"]["containers"][0]["args"], json!(["3"]));
}

#[test]
fn status_is_not_owned_through_the_main_resource() {
    let shape = deploy_shape();
    let mut config = deploy(json!({"replicas": 1}));
    config["status"] = json!({"ready": 1});
    let obj = apply(None, &config, "a", false, &shape, T0).unwrap();
    assert_eq!(fields_of(&obj, "a"), r#"{"f:spec":{"f:replicas":{}}}"#);
    let mut other = deploy(json!({}));
    other["status"] = json!({"ready": 2});
    assert!(apply(Some(&stored(obj)), &other, "b", false, &shape, T1).is_ok());
}

#[test]
fn status_applies_record_a_status_entry_and_ignore_spec() {
    let shape = deploy_shape();
    let live = stored(
        apply(
            None,
            &deploy(json!({"replicas": 1})),
            "kustomize-controller",
            false,
            &shape,
            T0,
        )
        .unwrap(),
    );
    let reset = reset_fields(Some("status"), true);
    let writer = Writer {
        manager: "gotk-kustomize-controller",
        subresource: Some("status"),
        now: T1,
        reset: &reset,
    };
    let mut config = deploy(json!({"replicas": 5}));
    config["status"] = json!({"phase": "Ready"});
    let obj = apply_with(Some(&live), &config, false, &shape, &writer).unwrap();
    assert_eq!(
        owners(&obj),
        [
            "kustomize-controller/Apply",
            "gotk-kustomize-controller/Apply/status"
        ]
    );
    assert_eq!(
        fields_of(&obj, "gotk-kustomize-controller"),
        r#"{"f:status":{"f:phase":{}}}"#
    );
    assert_eq!(
        fields_of(&obj, "kustomize-controller"),
        r#"{"f:spec":{"f:replicas":{}}}"#
    );
}

#[test]
fn first_apply_to_an_untracked_object_credits_existing_fields() {
    let shape = cm_shape();
    let live = stored(cm(json!({"a": "1", "b": "2"})));
    let obj = apply(
        Some(&live),
        &cm(json!({"a": "1"})),
        "flux",
        false,
        &shape,
        T1,
    )
    .unwrap();
    assert_eq!(owners(&obj), ["flux/Apply", "before-first-apply/Update"]);
    assert_eq!(
        fields_of(&obj, "before-first-apply"),
        r#"{"f:data":{".":{},"f:a":{},"f:b":{}}}"#
    );
    let err = apply(
        Some(&live),
        &cm(json!({"a": "9"})),
        "flux",
        false,
        &shape,
        T1,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a"#
    );
}

#[test]
fn bad_requests_are_refused() {
    let shape = deploy_shape();
    let mut with_fields = cm(json!({}));
    with_fields["metadata"]["managedFields"] = json!([]);
    let cases = [
        (json!("text"), 400),
        (with_fields, 400),
        (
            deploy(json!({"containers": [{"name": "a"}, {"name": "a"}]})),
            422,
        ),
        (deploy(json!({"containers": [{"image": "x"}]})), 422),
        (deploy(json!({"tags": [{"x": 1}]})), 422),
    ];
    for (config, code) in cases {
        let err = apply(None, &config, "flux", false, &shape, T0).unwrap_err();
        assert_eq!(err.code(), code, "{config}: {err}");
    }
    let mut broken = stored(cm(json!({})));
    broken["metadata"]["managedFields"] = json!([{"operation": "Sideways"}]);
    let err = apply(Some(&broken), &cm(json!({})), "flux", false, &shape, T0).unwrap_err();
    assert!(matches!(err, ApplyError::ManagedFields(_)), "{err}");
}

#[test]
fn null_server_metadata_in_the_configuration_is_ignored() {
    let shape = cm_shape();
    let live = stored(apply(None, &cm(json!({"a": "1"})), "flux", false, &shape, T0).unwrap());
    let mut config = cm(json!({"a": "1"}));
    config["metadata"]["creationTimestamp"] = json!(null);
    let obj = apply(Some(&live), &config, "flux", false, &shape, T1).unwrap();
    assert_eq!(obj, live);
}

#[test]
fn kubectl_takes_over_fields_it_applied_client_side() {
    let shape = cm_shape();
    let mut csa = cm(json!({"key": "v"}));
    let annotation = r#"{"apiVersion":"v1","data":{"key":"v"},"kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}"#;
    csa["metadata"]["annotations"] = json!({ LAST_APPLIED_ANNOTATION: annotation });
    let live = stored(crate::fieldmanager::update(
        None,
        &csa,
        "kubectl-client-side-apply",
        None,
        &shape,
        T0,
    ));
    let config = cm(json!({"key": "w"}));
    let err = apply(Some(&live), &config, "other", false, &shape, T1).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key"#
    );
    let obj = apply(Some(&live), &config, "kubectl", false, &shape, T1).unwrap();
    assert_eq!(obj["data"]["key"], "w");
    assert_eq!(fields_of(&obj, "kubectl"), r#"{"f:data":{"f:key":{}}}"#);
    // A value edited since the last client-side apply still conflicts.
    let mut edited = live.clone();
    edited["data"]["key"] = json!("edited");
    let edited = stored(crate::fieldmanager::update(
        Some(&live),
        &edited,
        "kubectl-edit",
        None,
        &shape,
        T1,
    ));
    let err = apply(Some(&edited), &config, "kubectl", false, &shape, T2).unwrap_err();
    assert!(
        err.to_string()
            .contains(r#""kubectl-edit" using v1: .data.key"#),
        "{err}"
    );
    assert_eq!(
        obj["metadata"]["annotations"][LAST_APPLIED_ANNOTATION],
        "{\"apiVersion\":\"v1\",\"data\":{\"key\":\"w\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"}}\n"
    );
}

#[test]
fn one_applier_has_one_entry_per_endpoint_and_follows_its_api_version() {
    let shape = deploy_shape();
    let first = stored(
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
    let mut v2 = deploy(json!({"replicas": 2}));
    v2["apiVersion"] = json!("apps/v2");
    let obj = stored(apply(Some(&first), &v2, "flux", false, &shape, T1).unwrap());
    assert_eq!(owners(&obj), ["flux/Apply"]);
    assert_eq!(entries(&obj)[0]["apiVersion"], "apps/v2");
    let reset = reset_fields(Some("status"), true);
    let writer = Writer {
        manager: "flux",
        subresource: Some("status"),
        now: T2,
        reset: &reset,
    };
    let mut status = deploy(json!({}));
    status["status"] = json!({"ready": 1});
    let both = apply_with(Some(&obj), &status, false, &shape, &writer).unwrap();
    assert_eq!(owners(&both), ["flux/Apply", "flux/Apply/status"]);
}
