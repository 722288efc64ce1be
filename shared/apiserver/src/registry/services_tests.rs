//! Table tests of Service allocation.

use serde_json::{Value, json};

use super::{Cursor, Held, Refusal, allocate, drop_type_dependent};

fn held(specs: &[Value]) -> Held {
    let mut h = Held::default();
    for s in specs {
        h.add(s);
    }
    h
}

/// The refusal's text: field lines, or the internal message.
fn refusal(r: Refusal) -> String {
    match r {
        Refusal::Invalid(errs) => errs.iter().map(|e| e.line()).collect::<Vec<_>>().join("; "),
        Refusal::Internal(m) => format!("internal: {m}"),
    }
}

#[test]
fn allocations() {
    let other = json!({"type": "NodePort", "clusterIP": "10.96.0.2", "ports": [{"port": 80, "nodePort": 30000}]});
    // (spec, old, want spec or refusal)
    let cases: Vec<(Value, Option<Value>, Result<Value, &str>)> = vec![
        (
            json!({"type": "ClusterIP", "ports": [{"port": 80}]}),
            None,
            Ok(
                json!({"type": "ClusterIP", "clusterIP": "10.96.0.3", "clusterIPs": ["10.96.0.3"], "ports": [{"port": 80}]}),
            ),
        ),
        (
            json!({"type": "ClusterIP", "clusterIP": "None"}),
            None,
            Ok(json!({"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]})),
        ),
        (
            json!({"type": "ExternalName", "externalName": "db.example.com"}),
            None,
            Ok(json!({"type": "ExternalName", "externalName": "db.example.com"})),
        ),
        (
            json!({"type": "NodePort", "clusterIP": "10.96.0.9", "ports": [{"port": 80}, {"port": 81, "nodePort": 30001}]}),
            None,
            Ok(
                json!({"type": "NodePort", "clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.9"],
                "ports": [{"port": 80, "nodePort": 30002}, {"port": 81, "nodePort": 30001}]}),
            ),
        ),
        (
            json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]}),
            None,
            Err(
                "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
            ),
        ),
        (
            json!({"type": "NodePort", "ports": [{"port": 80}, {"port": 81, "nodePort": 30000}]}),
            None,
            Err("spec.ports[1].nodePort: Invalid value: 30000: provided port is already allocated"),
        ),
        (
            json!({"type": "ClusterIP", "clusterIP": "10.0.0.5"}),
            None,
            Err(
                "spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            ),
        ),
        (
            json!({"type": "ClusterIP", "clusterIP": "10.96.0.2"}),
            None,
            Err(
                "spec.clusterIPs: Invalid value: []string{\"10.96.0.2\"}: failed to allocate IP 10.96.0.2: provided IP is already allocated",
            ),
        ),
        // An update keeps what the stored Service holds, by port name.
        (
            json!({"type": "NodePort", "ports": [{"name": "web", "port": 8080}]}),
            Some(
                json!({"type": "NodePort", "clusterIP": "10.96.0.7", "ports": [{"name": "web", "port": 80, "nodePort": 31000}]}),
            ),
            Ok(
                json!({"type": "NodePort", "clusterIP": "10.96.0.7", "clusterIPs": ["10.96.0.7"],
                "ports": [{"name": "web", "port": 8080, "nodePort": 31000}]}),
            ),
        ),
        // Leaving LoadBalancer node ports unallocated.
        (
            json!({"type": "LoadBalancer", "clusterIP": "10.96.0.9", "allocateLoadBalancerNodePorts": false, "ports": [{"port": 80}]}),
            None,
            Ok(
                json!({"type": "LoadBalancer", "clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.9"],
                "allocateLoadBalancerNodePorts": false, "ports": [{"port": 80}]}),
            ),
        ),
        (
            json!({"type": "LoadBalancer", "clusterIP": "10.96.0.9", "externalTrafficPolicy": "Local", "ports": [{"port": 80}]}),
            None,
            Ok(
                json!({"type": "LoadBalancer", "clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.9"],
                "externalTrafficPolicy": "Local", "healthCheckNodePort": 30002, "ports": [{"port": 80, "nodePort": 30001}]}),
            ),
        ),
        (
            json!({"type": "LoadBalancer", "externalTrafficPolicy": "Local", "healthCheckNodePort": 30000, "ports": [{"port": 80}]}),
            None,
            Err(
                "internal: failed to allocate requested HealthCheck NodePort 30000: provided port is already allocated",
            ),
        ),
    ];
    let others = held(&[other]);
    for (mut spec, old, want) in cases {
        let before = spec.clone();
        let got = allocate(&mut spec, old.as_ref(), &others, Cursor { ip: 0, port: 0 });
        match (got, want) {
            (Ok(()), Ok(want)) => {
                // Every Service with a cluster IP (or None) gets its IP family; the table
                // leaves them out.
                let families = spec["type"] != "ExternalName";
                assert_eq!(spec.get("ipFamilies").is_some(), families, "{before}");
                if let Some(m) = spec.as_object_mut() {
                    m.remove("ipFamilies");
                    m.remove("ipFamilyPolicy");
                }
                assert_eq!(spec, want, "{before}");
            }
            (Err(r), Err(want)) => assert_eq!(refusal(r), want, "{before}"),
            (got, want) => panic!("{before}: got {got:?} ({spec}), want {want:?}"),
        }
    }
}

#[test]
fn cursors_spread_and_skip_what_is_taken() {
    let others = held(&[
        json!({"clusterIP": "10.96.0.5", "type": "NodePort", "ports": [{"nodePort": 30010}]}),
    ]);
    let mut spec = json!({"type": "NodePort", "ports": [{"port": 1}]});
    allocate(&mut spec, None, &others, Cursor { ip: 3, port: 10 }).expect("allocates");
    assert_eq!(spec["clusterIP"], "10.96.0.6");
    assert_eq!(spec["ports"][0]["nodePort"], 30011);
}

#[test]
fn type_changes_drop_what_no_longer_applies() {
    let lb = json!({"type": "LoadBalancer", "externalTrafficPolicy": "Local", "healthCheckNodePort": 30005,
        "allocateLoadBalancerNodePorts": true, "loadBalancerClass": "x"});
    let cases: Vec<(Value, Value, Value)> = vec![
        (
            lb.clone(),
            json!({"type": "ClusterIP", "externalTrafficPolicy": "Local", "healthCheckNodePort": 30005,
                "allocateLoadBalancerNodePorts": true, "loadBalancerClass": "x"}),
            json!({"type": "ClusterIP"}),
        ),
        (
            lb.clone(),
            json!({"type": "NodePort", "externalTrafficPolicy": "Local", "healthCheckNodePort": 30005,
                "allocateLoadBalancerNodePorts": true, "loadBalancerClass": "x"}),
            json!({"type": "NodePort", "externalTrafficPolicy": "Local"}),
        ),
        (
            lb.clone(),
            json!({"type": "LoadBalancer", "externalTrafficPolicy": "Cluster", "healthCheckNodePort": 30005}),
            json!({"type": "LoadBalancer", "externalTrafficPolicy": "Cluster"}),
        ),
        // What the request changed stays (and validation has its say).
        (
            lb,
            json!({"type": "ClusterIP", "externalTrafficPolicy": "Cluster", "healthCheckNodePort": 30006}),
            json!({"type": "ClusterIP", "externalTrafficPolicy": "Cluster", "healthCheckNodePort": 30006}),
        ),
    ];
    for (old, mut new, want) in cases {
        drop_type_dependent(&mut new, &old);
        assert_eq!(new, want, "{old}");
    }
}
