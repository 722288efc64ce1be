//! Defaults the real server sets on built-in workload kinds (apps/v1, batch/v1 and their pod
//! templates), so clients see and patch the same fields they would on a cluster.

use serde_json::{Value, json};

/// Sets `obj[key]` when it is missing.
fn or(obj: &mut Value, key: &str, value: Value) {
    if obj.is_object() && obj.get(key).is_none_or(Value::is_null) {
        obj[key] = value;
    }
}

fn image_pull_policy(image: &str) -> &'static str {
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = last.split_once(':').map(|(_, t)| t);
    if image.contains('@') {
        "IfNotPresent"
    } else if tag.is_none_or(|t| t == "latest") {
        "Always"
    } else {
        "IfNotPresent"
    }
}

fn container(c: &mut Value) {
    let image = c
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    or(c, "imagePullPolicy", json!(image_pull_policy(&image)));
    or(c, "terminationMessagePath", json!("/dev/termination-log"));
    or(c, "terminationMessagePolicy", json!("File"));
    or(c, "resources", json!({}));
    for p in c
        .get_mut("ports")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        or(p, "protocol", json!("TCP"));
    }
}

/// Defaults of a pod spec.
pub fn pod_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    or(spec, "restartPolicy", json!("Always"));
    or(spec, "dnsPolicy", json!("ClusterFirst"));
    or(spec, "schedulerName", json!("default-scheduler"));
    or(spec, "securityContext", json!({}));
    or(spec, "terminationGracePeriodSeconds", json!(30));
    for list in ["containers", "initContainers"] {
        for c in spec
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            container(c);
        }
    }
}

fn template(spec: &mut Value) {
    if let Some(ps) = spec.pointer_mut("/template/spec") {
        pod_spec(ps);
    }
}

fn job_spec(spec: &mut Value) {
    or(spec, "backoffLimit", json!(6));
    or(spec, "completionMode", json!("NonIndexed"));
    or(spec, "suspend", json!(false));
    or(spec, "parallelism", json!(1));
    or(spec, "completions", json!(1));
    template(spec);
}

/// Applies the defaults of a built-in kind, if it has any here.
pub fn apply(group: &str, kind: &str, obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").filter(|s| s.is_object()) else {
        return;
    };
    match (group, kind) {
        ("apps", "Deployment") => {
            or(spec, "replicas", json!(1));
            or(spec, "revisionHistoryLimit", json!(10));
            or(spec, "progressDeadlineSeconds", json!(600));
            or(
                spec,
                "strategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}),
            );
            template(spec);
        }
        ("apps", "StatefulSet") => {
            or(spec, "replicas", json!(1));
            or(spec, "revisionHistoryLimit", json!(10));
            or(spec, "podManagementPolicy", json!("OrderedReady"));
            or(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
            );
            or(
                spec,
                "persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
            );
            template(spec);
        }
        ("apps", "DaemonSet") => {
            or(spec, "revisionHistoryLimit", json!(10));
            or(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
            );
            template(spec);
        }
        ("apps", "ReplicaSet") => {
            or(spec, "replicas", json!(1));
            template(spec);
        }
        ("batch", "Job") => job_spec(spec),
        ("batch", "CronJob") => {
            or(spec, "concurrencyPolicy", json!("Allow"));
            or(spec, "suspend", json!(false));
            or(spec, "successfulJobsHistoryLimit", json!(3));
            or(spec, "failedJobsHistoryLimit", json!(1));
            if let Some(js) = spec.pointer_mut("/jobTemplate/spec") {
                job_spec(js);
            }
        }
        ("", "Pod") => pod_spec(spec),
        _ => {}
    }
}

/// A new Job without `manualSelector: true` gets the selector and pod labels upstream's Job
/// strategy generates (its `generateSelector`): the job name and the Job's uid, under both
/// the legacy and the `batch.kubernetes.io/` keys; labels the template sets stay.
pub fn job_selector(obj: &mut Value) {
    let uid = obj.pointer("/metadata/uid").cloned().unwrap_or(Value::Null);
    let name = obj
        .pointer("/metadata/name")
        .cloned()
        .unwrap_or(Value::Null);
    let Some(spec) = obj.get_mut("spec").filter(|s| s.is_object()) else {
        return;
    };
    if spec.get("manualSelector") == Some(&json!(true)) || !uid.is_string() {
        return;
    }
    or(spec, "template", json!({}));
    let template = &mut spec["template"];
    or(template, "metadata", json!({}));
    or(&mut template["metadata"], "labels", json!({}));
    let labels = &mut template["metadata"]["labels"];
    for (key, value) in [
        ("job-name", &name),
        ("batch.kubernetes.io/job-name", &name),
        ("controller-uid", &uid),
        ("batch.kubernetes.io/controller-uid", &uid),
    ] {
        or(labels, key, value.clone());
    }
    or(spec, "selector", json!({}));
    or(&mut spec["selector"], "matchLabels", json!({}));
    or(
        &mut spec["selector"]["matchLabels"],
        "batch.kubernetes.io/controller-uid",
        uid,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_defaults() {
        let mut d = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "nginx", "ports": [{"containerPort": 80}]},
            {"name": "b", "image": "reg:5000/x:1.2"}]}}}});
        apply("apps", "Deployment", &mut d);
        assert_eq!(d["spec"]["replicas"], 1);
        let cs = &d["spec"]["template"]["spec"]["containers"];
        assert_eq!(cs[0]["imagePullPolicy"], "Always");
        assert_eq!(cs[1]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(cs[0]["ports"][0]["protocol"], "TCP");
        assert_eq!(d["spec"]["template"]["spec"]["dnsPolicy"], "ClusterFirst");
    }

    #[test]
    fn job_selectors() {
        let cases = [
            (
                json!({"metadata": {"name": "j", "uid": "u"}, "spec": {"template": {"spec": {}}}}),
                json!({"metadata": {"name": "j", "uid": "u"}, "spec": {
                    "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}},
                    "template": {"metadata": {"labels": {"job-name": "j", "batch.kubernetes.io/job-name": "j",
                        "controller-uid": "u", "batch.kubernetes.io/controller-uid": "u"}}, "spec": {}}}}),
            ),
            (
                json!({"metadata": {"name": "j", "uid": "u"}, "spec": {"manualSelector": true,
                    "selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}}}}),
                json!({"metadata": {"name": "j", "uid": "u"}, "spec": {"manualSelector": true,
                    "selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}}}}),
            ),
            (
                json!({"metadata": {"name": "j", "uid": "u"}, "spec": {"template": {"metadata": {"labels": {"job-name": "x"}}}}}),
                json!({"metadata": {"name": "j", "uid": "u"}, "spec": {
                    "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}},
                    "template": {"metadata": {"labels": {"job-name": "x", "batch.kubernetes.io/job-name": "j",
                        "controller-uid": "u", "batch.kubernetes.io/controller-uid": "u"}}}}}),
            ),
        ];
        for (mut job, want) in cases {
            job_selector(&mut job);
            assert_eq!(job, want);
        }
    }
}
