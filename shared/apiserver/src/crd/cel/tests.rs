//! Rule compilation and evaluation against kube-apiserver's error shapes.

use serde_json::{Value, json};

use super::{CompileErrorKind, Rules, validate};

fn schema(rules: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "x-kubernetes-validations": rules,
                "properties": {
                    "provider": {"type": "string"},
                    "replicas": {"type": "integer"},
                    "items": {
                        "type": "array",
                        "maxItems": 100,
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {
                            "type": "object",
                            "x-kubernetes-validations": [
                                {"rule": "self.value.startsWith('v')", "message": "must start with v"}
                            ]
                        }
                    }
                }
            }
        }
    })
}

fn errors(rules: Value, obj: Value, old: Option<Value>) -> Vec<String> {
    lines(&compiled(&schema(rules)), &obj, old.as_ref())
}

/// The rules of a schema that must compile cleanly.
fn compiled(schema: &Value) -> Rules {
    let mut compile = Vec::new();
    let rules = Rules::compile(schema, "", &mut compile).expect("has rules");
    assert!(compile.is_empty(), "{compile:?}");
    rules
}

/// The validation errors of an object, as kube-apiserver's field error lines.
fn lines(rules: &Rules, obj: &Value, old: Option<&Value>) -> Vec<String> {
    validate(rules, obj, old).iter().map(|e| e.line()).collect()
}

#[test]
fn rules_report_like_kube_apiserver() {
    let guard =
        json!([{"rule": "!has(self.provider) || self.provider == 'aws'", "message": "only aws"}]);
    let mut cases: Vec<(Value, Value, Option<Value>, Vec<&str>)> = vec![
        (
            guard.clone(),
            json!({"spec": {"provider": "aws"}}),
            None,
            vec![],
        ),
        (guard.clone(), json!({"spec": {}}), None, vec![]),
        (
            guard.clone(),
            json!({"spec": {"provider": "gcp"}}),
            None,
            vec!["spec: Invalid value: \"object\": only aws"],
        ),
        // Unchanged values are ratcheted on update.
        (
            guard,
            json!({"spec": {"provider": "gcp"}}),
            Some(json!({"spec": {"provider": "gcp"}})),
            vec![],
        ),
        (
            json!([{"rule": "self.replicas >= 1"}]),
            json!({"spec": {"replicas": 0}}),
            None,
            vec!["spec: Invalid value: \"object\": failed rule: self.replicas >= 1"],
        ),
        (
            json!([{"rule": "self.replicas < 10", "messageExpression": "'too many: ' + string(self.replicas)", "reason": "FieldValueForbidden", "fieldPath": ".replicas"}]),
            json!({"spec": {"replicas": 12}}),
            None,
            vec!["spec.replicas: Forbidden: too many: 12"],
        ),
        // Transition rules need an old value.
        (
            json!([{"rule": "self.replicas >= oldSelf.replicas", "message": "may not shrink"}]),
            json!({"spec": {"replicas": 1}}),
            None,
            vec![],
        ),
        (
            json!([{"rule": "self.replicas >= oldSelf.replicas", "message": "may not shrink"}]),
            json!({"spec": {"replicas": 1}}),
            Some(json!({"spec": {"replicas": 3}})),
            vec!["spec: Invalid value: \"object\": may not shrink"],
        ),
        (
            json!([]),
            json!({"spec": {"items": [{"name": "a", "value": "v1"}, {"name": "b", "value": "x"}]}}),
            None,
            vec!["spec.items[1]: Invalid value: \"object\": must start with v"],
        ),
        (
            json!([{"rule": "self.items.all(i, i.name.size() < 3) && self.items.exists(i, i.name == 'a')"}]),
            json!({"spec": {"items": [{"name": "a", "value": "v"}, {"name": "bcd", "value": "v"}]}}),
            None,
            vec![
                "spec: Invalid value: \"object\": failed rule: self.items.all(i, i.name.size() < 3) && self.items.exists(i, i.name == 'a')",
            ],
        ),
    ];
    let optional = json!([{"rule": "!oldSelf.hasValue() || self.replicas >= oldSelf.value().replicas", "optionalOldSelf": true, "message": "may not shrink"},
        {"rule": "oldSelf.hasValue() || self.replicas == 1", "optionalOldSelf": true, "message": "start with one"}]);
    cases.extend([
        (
            optional.clone(),
            json!({"spec": {"replicas": 1}}),
            None,
            vec![],
        ),
        (
            optional.clone(),
            json!({"spec": {"replicas": 2}}),
            None,
            vec!["spec: Invalid value: \"object\": start with one"],
        ),
        (
            optional,
            json!({"spec": {"replicas": 2}}),
            Some(json!({"spec": {"replicas": 3}})),
            vec!["spec: Invalid value: \"object\": may not shrink"],
        ),
    ]);
    // Extension functions kube-apiserver also offers.
    cases.push((
        json!([{"rule": "self.provider.lowerAscii().split('-')[0] == 'aws' && self.provider.find('[a-z]+') == 'east' && self.provider.indexOf('-') == 3 && [1, 2].isSorted() && ![2, 1].isSorted() && [1, 2, 3].sum() == 6"}]),
        json!({"spec": {"provider": "AWS-east"}}),
        None,
        vec![],
    ));
    for (rules, obj, old, want) in cases {
        assert_eq!(
            errors(rules.clone(), obj.clone(), old),
            want,
            "{rules} on {obj}"
        );
    }
}

#[test]
fn property_names_are_escaped_as_kube_does() {
    let schema = json!({
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.__namespace__ == 'ns' && self.x__dash__y == 1 && self.a__dot__b__slash__c == 2 && self.p__underscores__q == 3"},
            {"rule": "self.labels['app.kubernetes.io/name'] == 'web' && !('1bad' in self)"}
        ],
        "properties": {
            "namespace": {"type": "string"},
            "x-y": {"type": "integer"},
            "a.b/c": {"type": "integer"},
            "p__q": {"type": "integer"},
            "1bad": {"type": "integer"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}}
        }
    });
    let obj = json!({"namespace": "ns", "x-y": 1, "a.b/c": 2, "p__q": 3, "1bad": 4,
        "labels": {"app.kubernetes.io/name": "web"}});
    let errs = lines(&compiled(&schema), &obj, None);
    assert!(errs.is_empty(), "{errs:?}");
}

/// A rule as deep as compiles evaluates on the object's validation thread, however
/// small the caller's stack.
#[test]
fn deep_rules_evaluate_on_a_small_stack() {
    let rule = format!("{} == 400", vec!["self.replicas"; 400].join(" + "));
    let schema = schema(json!([{"rule": rule}]));
    let rules = compiled(&schema);
    let errs = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || lines(&rules, &json!({"spec": {"replicas": 1}}), None))
        .expect("spawn")
        .join()
        .expect("no overflow");
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn formats_and_numbers_get_kubes_cel_types() {
    let schema = json!({
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.ratio + 0.5 == 1.5 && self.count + 1 == 2"},
            {"rule": "self.expires > timestamp('2020-01-01T00:00:00Z') && self.day < self.expires"},
            {"rule": "self.timeout == duration('1h30m') && self.timeout > duration('90s')"},
            {"rule": "self.data == b'hello' && size(self.data) == 5"},
            {"rule": "self.note == 'plain'"}
        ],
        "properties": {
            "ratio": {"type": "number"},
            "count": {"type": "integer"},
            "expires": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "timeout": {"type": "string", "format": "duration"},
            "data": {"type": "string", "format": "byte"},
            "note": {"type": "string"}
        }
    });
    let obj = json!({"ratio": 1, "count": 1, "expires": "2030-05-01T10:00:00Z",
        "day": "2030-05-01", "timeout": "1h30m", "data": "aGVsbG8=", "note": "plain"});
    let errs = lines(&compiled(&schema), &obj, None);
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn root_rules_see_only_name_and_generate_name_of_metadata() {
    let schema = |rule: &str| {
        json!({"type": "object", "x-kubernetes-validations": [{"rule": rule}],
            "properties": {"metadata": {"type": "object"}, "spec": {"type": "object"}}})
    };
    let mut errs = Vec::new();
    let ok = Rules::compile(
        &schema("self.metadata.name.startsWith('a') && !has(self.metadata.labels)"),
        "s",
        &mut errs,
    );
    assert!(
        errs.len() == 1 && errs[0].message.ends_with("undefined field 'labels'"),
        "{errs:?}"
    );
    assert!(ok.is_none());
    let mut errs = Vec::new();
    let rules = Rules::compile(
        &schema("self.metadata.name.startsWith('a') && size(self.metadata) == 1"),
        "s",
        &mut errs,
    )
    .expect("has rules");
    assert!(errs.is_empty(), "{errs:?}");
    let obj = json!({"metadata": {"name": "abc", "labels": {"x": "y"}}, "spec": {}});
    assert!(validate(&rules, &obj, None).is_empty());
}

#[test]
fn rules_kube_estimates_over_budget_do_not_compile() {
    let node = |list: Value, rule: &str| {
        json!({"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"tags": list},
            "x-kubernetes-validations": [{"rule": rule}]}}})
    };
    let strings = json!({"type": "array", "items": {"type": "string", "maxLength": 8}});
    let bounded =
        json!({"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 8}});
    let nested = "self.tags.all(a, self.tags.all(b, a == b || a != b))";
    let cases = [
        (strings.clone(), nested, true),
        (bounded.clone(), nested, false),
        // kube prices an unbounded list at about a million elements.
        (strings.clone(), "self.tags.all(a, a.size() < 8)", true),
        (
            strings,
            "self.tags.all(a, self.tags.exists(b, b == a))",
            true,
        ),
        (bounded, "self.tags.size() < 8", false),
    ];
    for (list, rule, refused) in cases {
        let mut errs = Vec::new();
        Rules::compile(&node(list.clone(), rule), "s", &mut errs);
        let over = errs.iter().any(|e| {
            e.kind == CompileErrorKind::Forbidden
                && e.message.starts_with("estimated rule cost exceeds budget by factor of ")
                && e.message.ends_with("(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)")
        });
        assert_eq!(over, refused, "{rule} on {list}: {errs:?}");
    }
}

#[test]
fn transition_rules_are_not_ratcheted() {
    let rules = json!([{"rule": "self.replicas >= oldSelf.replicas && self.replicas < 5", "message": "at most 4"},
        {"rule": "self.replicas < 5", "message": "plain"}]);
    let obj = json!({"spec": {"replicas": 7}});
    assert_eq!(
        errors(rules, obj.clone(), Some(obj)),
        ["spec: Invalid value: \"object\": at most 4"]
    );
}

#[test]
fn broken_rules_do_not_compile() {
    let mut errs = Vec::new();
    let s = schema(
        json!([{"rule": "self.provider =="}, {"rule": "true", "reason": "Nope"},
        {"rule": "  "}]),
    );
    Rules::compile(&s, "schema", &mut errs);
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "schema.properties[spec].x-kubernetes-validations[0].rule",
            "schema.properties[spec].x-kubernetes-validations[1].rule",
            "schema.properties[spec].x-kubernetes-validations[2].rule"
        ]
    );
    let kinds: Vec<CompileErrorKind> = errs.iter().map(|e| e.kind).collect();
    use CompileErrorKind::{Invalid, Required};
    assert_eq!(kinds, [Invalid, Invalid, Required]);
    assert_eq!(errs[2].message, "rule is not specified");
    assert!(
        errs[0].message.starts_with("compilation failed"),
        "{:?}",
        errs[0]
    );
}

#[test]
fn schemas_without_rules_compile_to_nothing() {
    let s = json!({"type": "object", "properties": {"spec": {"type": "object"}}});
    assert!(Rules::compile(&s, "", &mut Vec::new()).is_none());
}

#[test]
fn evaluation_errors_report_like_kube_apiserver() {
    let cases: Vec<(Value, Value, Vec<&str>)> = vec![
        (
            json!([{"rule": "quantity(self.provider).isInteger()"}]),
            json!({"spec": {"provider": "lots"}}),
            vec![
                "spec: Invalid value: \"object\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: quantity(self.provider).isInteger()",
            ],
        ),
        // With a message, kube names the rule by its message.
        (
            json!([{"rule": "self.replicas > 0", "message": "needs replicas"}]),
            json!({"spec": {}}),
            vec![
                "spec: Invalid value: \"object\": no such key: replicas evaluating rule: needs replicas",
            ],
        ),
        (
            json!([{"rule": "self.provider > 1"}]),
            json!({"spec": {"provider": "x"}}),
            vec![
                "spec: Invalid value: \"object\": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: self.provider > 1",
            ],
        ),
    ];
    for (rules, obj, want) in cases {
        assert_eq!(
            errors(rules.clone(), obj.clone(), None),
            want,
            "{rules} on {obj}"
        );
    }
}

#[test]
fn a_rule_over_its_cost_limit_stops_validation() {
    // A list of unknown shape: no estimate when the CRD is written, so only the runtime
    // limit can stop the rule.
    let rule = "self.items.all(a, self.items.all(b, a.name != b.name || a == b))";
    let schema = json!({"type": "object", "properties": {"spec": {"type": "object",
        "x-kubernetes-validations": [{"rule": rule}, {"rule": "self.replicas > 0"}],
        "properties": {"replicas": {"type": "integer"},
            "items": {"x-kubernetes-preserve-unknown-fields": true}}}}});
    let rules = compiled(&schema);
    let items: Vec<Value> = (0..2000)
        .map(|i| json!({"name": format!("n{i}"), "value": "v"}))
        .collect();
    let obj = json!({"spec": {"items": items, "replicas": 0}});
    let started = std::time::Instant::now();
    let got = lines(&rules, &obj, None);
    assert_eq!(
        got,
        [format!(
            "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: {rule}"
        )]
    );
    // 4 million comparisons would take much longer: the limit stops it early.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
