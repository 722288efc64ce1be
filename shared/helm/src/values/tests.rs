//! Values coalescing, dependency enabling and import-values, case by case.

use serde_json::{Map, Value, json};

use super::coalesce::{coalesce_values, merge_values, path_value};
use super::yaml::{load_values, merge_maps};
use super::{UserValues, process_dependencies};
use crate::chart::{Chart, Dependency, Metadata};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn chart(name: &str, values: Value, deps: Vec<Chart>) -> Chart {
    Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: name.into(),
            version: "1.0.0".into(),
            ..Default::default()
        },
        values: obj(values),
        dependencies: deps,
        ..Default::default()
    }
}

fn dep(name: &str, alias: &str, condition: &str, tags: &[&str]) -> Dependency {
    Dependency {
        name: name.into(),
        version: "1.0.0".into(),
        alias: alias.into(),
        condition: condition.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn user_values_win_and_null_deletes() {
    let c = chart(
        "c",
        json!({"a": 1.0, "b": {"x": 1.0, "y": 2.0}, "keep": "k", "gone": "g"}),
        vec![],
    );
    let got = coalesce_values(
        &c,
        obj(json!({"a": 5, "b": {"y": null, "z": 3}, "gone": null})),
    )
    .unwrap();
    assert_eq!(
        Value::Object(got),
        json!({"a": 5, "b": {"x": 1.0, "z": 3}, "keep": "k"})
    );
    let merged = merge_values(&c, obj(json!({"gone": null}))).unwrap();
    assert_eq!(
        merged.get("gone"),
        Some(&Value::Null),
        "merging keeps nulls"
    );
}

#[test]
fn subcharts_get_their_scope_and_globals() {
    let sub = chart(
        "sub",
        json!({"port": 80.0, "global": {"env": "dev", "only": "sub"}}),
        vec![],
    );
    let c = chart(
        "c",
        json!({"global": {"env": "prod"}, "sub": {"port": 8080.0}}),
        vec![sub],
    );
    let got = coalesce_values(&c, obj(json!({"sub": {"extra": true}}))).unwrap();
    assert_eq!(
        Value::Object(got),
        json!({
            "global": {"env": "prod"},
            "sub": {"port": 8080.0, "extra": true, "global": {"env": "prod", "only": "sub"}}
        })
    );
    let e = coalesce_values(&c, obj(json!({"sub": "flat"}))).unwrap_err();
    assert_eq!(e.0, "type mismatch on sub: %!t(string=flat)");
}

#[test]
fn tags_and_conditions_enable_subcharts() {
    let base = || {
        let mut c = chart(
            "c",
            json!({}),
            vec![chart("a", json!({}), vec![]), chart("b", json!({}), vec![])],
        );
        c.metadata.dependencies = vec![
            dep("a", "", "a.enabled", &["front"]),
            dep("b", "", "b.enabled,global.b", &["back", "front"]),
        ];
        c
    };
    let cases = [
        (json!({}), vec!["a", "b"]),
        (json!({"tags": {"front": false}}), vec![]),
        (json!({"tags": {"front": false, "back": true}}), vec!["b"]),
        (
            json!({"tags": {"front": false}, "a": {"enabled": true}}),
            vec!["a"],
        ),
        (
            json!({"a": {"enabled": false}, "b": {"enabled": "yes"}, "global": {"b": false}}),
            vec![],
        ),
        (
            json!({"b": {"enabled": true}, "global": {"b": false}}),
            vec!["a", "b"],
        ),
    ];
    for (vals, want) in cases {
        let mut c = base();
        process_dependencies(&mut c, &obj(vals.clone())).unwrap();
        let names: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
        assert_eq!(names, want, "values {vals}");
    }
}

#[test]
fn aliases_copy_the_chart_and_import_values_pull_up() {
    let sub = chart(
        "backend",
        json!({"exports": {"data": {"shared": 1.0}}, "info": {"tier": "gold"}}),
        vec![],
    );
    let mut c = chart("c", json!({"imported": {"tier": "parent"}}), vec![sub]);
    let mut api = dep("backend", "api", "", &[]);
    api.import_values = vec![
        json!("data"),
        json!({"child": "info", "parent": "imported"}),
    ];
    c.metadata.dependencies = vec![api, dep("backend", "worker", "", &[])];
    process_dependencies(&mut c, &Map::new()).unwrap();
    let names: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
    assert_eq!(names, ["api", "worker"]);
    assert_eq!(c.values.get("shared"), Some(&json!(1.0)));
    assert_eq!(
        c.values.get("imported"),
        Some(&json!({"tier": "parent"})),
        "the parent wins"
    );
    assert_eq!(
        c.metadata.dependencies[0].import_values,
        [
            json!({"child": "exports.data", "parent": "."}),
            json!({"child": "info", "parent": "imported"})
        ]
    );
}

#[test]
fn path_values_follow_tables() {
    let v = obj(json!({"a": {"b": {"c": true}}, "x": 1}));
    assert_eq!(path_value(&v, "a.b.c"), Some(&json!(true)));
    assert_eq!(path_value(&v, "x"), Some(&json!(1)));
    assert_eq!(path_value(&v, "x.y"), None);
    assert_eq!(path_value(&v, "a.missing"), None);
}

#[test]
fn values_files_merge_documents_and_reject_non_maps() {
    // YAML 1.1: `yes`, `on` and `n` are booleans, and keys become their JSON text.
    let v = load_values("a: 1\nl: [1]\nyes: on\n---\nl: [2]\nm: {n: x}\n").unwrap();
    assert_eq!(
        Value::Object(v),
        json!({"a": 1.0, "l": [2.0], "true": true, "m": {"false": "x"}})
    );
    assert!(load_values("").unwrap().is_empty());
    let e = load_values("- a\n").unwrap_err();
    assert!(
        e.ends_with("cannot unmarshal array into Go value of type map[string]interface {}"),
        "{e}"
    );
    let merged = merge_maps(
        obj(json!({"a": {"x": 1}, "b": 1})),
        obj(json!({"a": {"y": 2}, "b": {"c": 3}})),
    );
    assert_eq!(
        Value::Object(merged),
        json!({"a": {"x": 1, "y": 2}, "b": {"c": 3}})
    );
}

#[test]
fn user_values_apply_in_helms_order() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("v.yaml");
    std::fs::write(
        &f,
        "a: from-file\nb: from-file\nc: from-file\nd: from-file\n",
    )
    .unwrap();
    let txt = dir.path().join("t.txt");
    std::fs::write(&txt, "text").unwrap();
    let u = UserValues {
        value_files: vec![f],
        json_values: vec!["a=1".into(), r#"{"e": [1]}"#.into()],
        values: vec!["b=2,a=3".into()],
        string_values: vec!["c=4".into()],
        file_values: vec![format!("d={}", txt.display())],
    };
    assert_eq!(
        Value::Object(u.merge().unwrap()),
        json!({"a": 3, "b": 2, "c": "4", "d": "text", "e": [1.0]})
    );
    let bad = UserValues {
        values: vec!["a[".into()],
        ..Default::default()
    };
    assert_eq!(
        bad.merge().unwrap_err().0,
        "failed parsing --set data: error parsing index: EOF"
    );
}
