use serde_json::{Value, json};

use super::*;

fn decode(group: &str, kind: &str, obj: &mut Value) -> Decoded {
    let version = if group == "autoscaling" { "v2" } else { "v1" };
    let shape = crate::schema::builtin_shape(group, kind, true).unwrap_or_default();
    builtin(group, version, kind, obj, &shape).expect("known kind")
}

fn message(r: Decoded) -> String {
    r.err().map(|e| e.message).unwrap_or_default()
}

#[test]
fn unknown_fields_are_dropped_and_reported() {
    let mut d = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labelz": {"a": "b"}},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [
            {"name": "app", "image": "nginx", "imagePullPolicyy": "Always"}]}}},
        "extra": true
    });
    let unknown = decode("apps", "Deployment", &mut d).expect("decodes");
    let paths: Vec<&str> = unknown.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "extra",
            "metadata.labelz",
            "spec.template.spec.containers[0].imagePullPolicyy"
        ]
    );
    assert_eq!(
        unknown[2].typed_path,
        r#".spec.template.spec.containers[name="app"].imagePullPolicyy"#
    );
    assert!(d.get("extra").is_none());
    assert!(
        d.pointer("/spec/template/spec/containers/0/imagePullPolicyy")
            .is_none()
    );
    assert_eq!(
        d.pointer("/spec/template/spec/containers/0/image"),
        Some(&json!("nginx"))
    );
}

#[test]
fn type_errors_read_like_go() {
    let mut d = json!({"spec": {"replicas": "two"}});
    assert_eq!(
        message(decode("apps", "Deployment", &mut d)),
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
    );
    let mut d = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": true}]}]}}}});
    assert_eq!(
        message(decode("apps", "Deployment", &mut d)),
        "json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string"
    );
    let mut d = json!({"spec": {"replicas": 1.5}});
    assert_eq!(
        message(decode("apps", "Deployment", &mut d)),
        "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"
    );
    let mut d = json!({"spec": {"template": {"spec": {"containers": "x"}}}});
    assert_eq!(
        message(decode("apps", "Deployment", &mut d)),
        "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"
    );
    let mut cm = json!({"metadata": {"labels": {"a": 1}}});
    assert_eq!(
        message(decode("", "ConfigMap", &mut cm)),
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
    );
    let mut s = json!({"data": {"password": "hunter2"}});
    assert_eq!(
        message(decode("", "Secret", &mut s)),
        "illegal base64 data at input byte 4"
    );
    let mut svc = json!({"spec": {"ports": [{"port": 80, "targetPort": true}]}});
    assert_eq!(
        message(decode("", "Service", &mut svc)),
        "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32"
    );
    let mut q = json!({"spec": {"hard": {"cpu": "1 core"}}});
    assert!(message(decode("", "ResourceQuota", &mut q)).starts_with("quantities must match"));
}

#[test]
fn nulls_and_free_form_fields() {
    let mut d = json!({"metadata": {"creationTimestamp": null}, "spec": {"replicas": null}});
    assert!(
        decode("apps", "Deployment", &mut d)
            .expect("decodes")
            .is_empty()
    );
    assert_eq!(
        d,
        json!({"metadata": {"creationTimestamp": null}, "spec": {}})
    );
    let mut cr = json!({"data": {"any": {"thing": [1, 2]}}, "revision": 1});
    assert!(
        decode("apps", "ControllerRevision", &mut cr)
            .expect("decodes")
            .is_empty()
    );
    assert_eq!(cr["data"]["any"]["thing"][1], 2);
}

#[test]
fn crd_schemas_decode_quietly_inside_unions() {
    let mut crd = json!({"spec": {"group": "x", "versions": [{"name": "v1", "served": true, "storage": true,
        "schema": {"openAPIV3Schema": {"type": "object", "descripton": "typo", "properties": {
            "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                     "items": {"type": "string", "bogus": 1},
                     "additionalProperties": true}}}}}]}});
    let unknown =
        decode("apiextensions.k8s.io", "CustomResourceDefinition", &mut crd).expect("decodes");
    let paths: Vec<&str> = unknown.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(
        paths,
        ["spec.versions[0].schema.openAPIV3Schema.descripton"]
    );
    let spec = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
    assert_eq!(spec["additionalProperties"], true);
    assert!(spec["items"].get("bogus").is_none());
}

#[test]
fn custom_resource_metadata() {
    let mut cr = json!({"metadata": {"name": "a", "bogus": 1}, "spec": {"x": 1}});
    let unknown = custom_resource_meta(&mut cr).expect("decodes");
    assert_eq!(unknown[0].path, "metadata.bogus");
    let mut cr = json!({"metadata": {"labels": {"a": 1}}});
    assert_eq!(
        message(custom_resource_meta(&mut cr)),
        "json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string"
    );
}
