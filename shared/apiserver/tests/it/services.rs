//! Service allocation through kubectl as kube-apiserver does it: node ports from 30000-32767
//! (requested ones checked for range and for another Service holding them, freed on delete
//! and on a type change), cluster IPs from the service CIDR (checked the same way), headless
//! Services, health check node ports of `externalTrafficPolicy: Local` LoadBalancers.

use serde_json::Value;

use crate::support::{Kubectl, server};

fn in_node_port_range(v: &Value) -> i64 {
    let n = v.as_i64().unwrap_or_else(|| panic!("a node port: {v}"));
    assert!((30000..=32767).contains(&n), "{n}");
    n
}

fn service(name: &str, ty: &str, node_port: Option<i64>) -> String {
    let np = node_port
        .map(|n| format!("\n    nodePort: {n}"))
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: {ty}\n  selector: {{app: {name}}}\n  ports:\n  - name: web\n    port: 80{np}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_ports_are_allocated_checked_and_freed() {
    let s = server().await;
    let k = Kubectl::new(&s, "svc-np").await;
    k.run(&["create", "service", "nodeport", "a", "--tcp=80:8080"])
        .await
        .out();
    let a = k.run(&["get", "svc", "a", "-o", "json"]).await.json();
    let port = in_node_port_range(&a["spec"]["ports"][0]["nodePort"]);
    assert_eq!(a["spec"]["externalTrafficPolicy"], "Cluster");
    let ip = a["spec"]["clusterIP"].as_str().expect("cluster IP");
    assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{ip}");
    assert_eq!(a["spec"]["clusterIPs"], serde_json::json!([ip]));

    let taken = k
        .run_stdin(&["apply", "-f", "-"], &service("b", "NodePort", Some(port)))
        .await;
    assert!(!taken.ok, "{taken:?}");
    assert!(
        taken.stderr.contains(&format!(
            "The Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: {port}: provided port is already allocated"
        )),
        "{}",
        taken.stderr
    );
    let low = k
        .run_stdin(&["apply", "-f", "-"], &service("b", "NodePort", Some(80)))
        .await;
    assert!(
        low.stderr.contains(
            "The Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
        ),
        "{}",
        low.stderr
    );

    // Deleting a frees its port for b.
    k.run(&["delete", "svc", "a"]).await.out();
    k.run_stdin(&["apply", "-f", "-"], &service("b", "NodePort", Some(port)))
        .await
        .out();
    // A client-side apply without the node port keeps the allocated one.
    k.run_stdin(&["apply", "-f", "-"], &service("b", "NodePort", None))
        .await
        .out();
    let b = k.run(&["get", "svc", "b", "-o", "json"]).await.json();
    assert_eq!(b["spec"]["ports"][0]["nodePort"], port, "{b}");

    // b leaving NodePort frees it again, for c.
    k.run_stdin(&["apply", "-f", "-"], &service("b", "ClusterIP", None))
        .await
        .out();
    let b = k.run(&["get", "svc", "b", "-o", "json"]).await.json();
    assert!(b["spec"]["ports"][0].get("nodePort").is_none(), "{b}");
    assert!(b["spec"].get("externalTrafficPolicy").is_none(), "{b}");
    k.run_stdin(&["apply", "-f", "-"], &service("c", "NodePort", Some(port)))
        .await
        .out();
    let kept = k
        .run(&[
            "patch",
            "svc",
            "b",
            "--type",
            "merge",
            "-p",
            &format!(r#"{{"spec":{{"ports":[{{"name":"web","port":80,"nodePort":{port}}}]}}}}"#),
        ])
        .await;
    assert!(
        kept.stderr.contains(
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        ),
        "{}",
        kept.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_ips_headless_and_health_check_ports() {
    let s = server().await;
    let k = Kubectl::new(&s, "svc-ip").await;
    k.run(&["create", "service", "clusterip", "d", "--tcp=80"])
        .await
        .out();
    let d = k.run(&["get", "svc", "d", "-o", "json"]).await.json();
    let ip = d["spec"]["clusterIP"].as_str().expect("ip").to_string();
    let same = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: e}}\nspec:\n  clusterIP: {ip}\n  ports: [{{port: 80}}]\n"
    );
    let taken = k.run_stdin(&["apply", "-f", "-"], &same).await;
    assert!(
        taken.stderr.contains(&format!(
            "The Service \"e\" is invalid: spec.clusterIPs: Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: provided IP is already allocated"
        )),
        "{}",
        taken.stderr
    );
    let outside = k
        .run_stdin(&["apply", "-f", "-"], &same.replace(&ip, "1.2.3.4"))
        .await;
    assert!(
        outside.stderr.contains(
            "spec.clusterIPs: Invalid value: []string{\"1.2.3.4\"}: failed to allocate IP 1.2.3.4: the provided IP (1.2.3.4) is not in the valid range. The range of valid IPs is "
        ),
        "{}",
        outside.stderr
    );

    k.run(&["create", "service", "clusterip", "h", "--clusterip=None"])
        .await
        .out();
    let h = k.run(&["get", "svc", "h", "-o", "json"]).await.json();
    assert_eq!(h["spec"]["clusterIP"], "None");
    assert_eq!(h["spec"]["clusterIPs"], serde_json::json!(["None"]));
    assert_eq!(h["spec"]["ipFamilyPolicy"], "SingleStack");

    let lb = "apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  ports: [{port: 443}]\n";
    k.run_stdin(&["apply", "-f", "-"], lb).await.out();
    let got = k.run(&["get", "svc", "lb", "-o", "json"]).await.json();
    let hc = in_node_port_range(&got["spec"]["healthCheckNodePort"]);
    let np = in_node_port_range(&got["spec"]["ports"][0]["nodePort"]);
    assert_ne!(hc, np);
    assert_eq!(got["spec"]["allocateLoadBalancerNodePorts"], true);
    // Back to the Cluster policy: the health check port goes.
    k.run(&[
        "patch",
        "svc",
        "lb",
        "--type",
        "merge",
        "-p",
        r#"{"spec":{"externalTrafficPolicy":"Cluster"}}"#,
    ])
    .await
    .out();
    let got = k.run(&["get", "svc", "lb", "-o", "json"]).await.json();
    assert!(got["spec"].get("healthCheckNodePort").is_none(), "{got}");
    assert_eq!(got["spec"]["ports"][0]["nodePort"], np);
}
