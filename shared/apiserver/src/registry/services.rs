//! Service allocation as kube-apiserver's Service storage does it (its `alloc.go` and
//! `patchAllocatedValues`): cluster IPs from the service CIDR, node ports and health check
//! node ports from 30000-32767, values the request left out kept from the stored Service, and
//! requested values checked for range and for another Service holding them. Pure: the spec,
//! the stored spec and what other Services hold in; the spec with its values, or the refusal.
//! What a Service no longer holds (deleted, or changed type) is free again at once, because
//! what is taken is read from the stored Services.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use serde_json::{Value, json};

use crate::error::FieldError;

/// The service CIDR (kubeadm's default `--service-cluster-ip-range`).
pub const SERVICE_CIDR: (Ipv4Addr, u32) = (Ipv4Addr::new(10, 96, 0, 0), 12);
/// kube-apiserver's default `--service-node-port-range`.
pub const NODE_PORTS: (i64, i64) = (30000, 32767);

/// Cluster IPs and node ports other Services hold.
#[derive(Debug, Default, Clone)]
pub struct Held {
    pub ips: BTreeSet<Ipv4Addr>,
    pub ports: BTreeSet<i64>,
}

impl Held {
    /// Adds what the stored Service `spec` holds.
    pub fn add(&mut self, spec: &Value) {
        for ip in cluster_ips(spec) {
            if let Ok(ip) = ip.parse() {
                self.ips.insert(ip);
            }
        }
        self.ports
            .extend(node_ports(spec).into_iter().map(|(_, p)| p));
        if let Some(hc) = spec.get("healthCheckNodePort").and_then(Value::as_i64) {
            self.ports.insert(hc);
        }
    }
}

/// Why a Service's values cannot be allocated: field errors (422 Invalid) or, as upstream
/// answers for a health check node port, an internal error (500).
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    Invalid(Vec<FieldError>),
    Internal(String),
}

/// Where searches for a free value start (callers rotate them, as upstream picks at random).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursor {
    pub ip: u32,
    pub port: u32,
}

fn ty(spec: &Value) -> &str {
    spec.get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
}

/// NodePort, or LoadBalancer unless `allocateLoadBalancerNodePorts` is false.
pub fn needs_node_ports(spec: &Value) -> bool {
    match ty(spec) {
        "NodePort" => true,
        "LoadBalancer" => spec.get("allocateLoadBalancerNodePorts") != Some(&json!(false)),
        _ => false,
    }
}

/// A LoadBalancer with `externalTrafficPolicy: Local`.
pub fn needs_health_check(spec: &Value) -> bool {
    ty(spec) == "LoadBalancer"
        && spec.get("externalTrafficPolicy").and_then(Value::as_str) == Some("Local")
}

fn cluster_ips(spec: &Value) -> Vec<String> {
    let mut ips = crate::meta::strings_at(spec, "/clusterIPs");
    if let Some(ip) = spec.get("clusterIP").and_then(Value::as_str)
        && !ips.iter().any(|i| i == ip)
    {
        ips.push(ip.to_string());
    }
    ips.retain(|ip| !ip.is_empty() && ip != "None");
    ips
}

/// (index, nodePort) of the ports that have one.
fn node_ports(spec: &Value) -> Vec<(usize, i64)> {
    spec.get("ports")
        .and_then(Value::as_array)
        .map(|ports| {
            ports
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let n = p.get("nodePort").and_then(Value::as_i64)?;
                    (n != 0).then_some((i, n))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Allocates what `spec` needs; `old` is the stored spec on updates.
pub fn allocate(
    spec: &mut Value,
    old: Option<&Value>,
    others: &Held,
    cursor: Cursor,
) -> Result<(), Refusal> {
    if let Some(old) = old {
        keep_allocated(spec, old);
    }
    cluster_ip(spec, old, others, cursor.ip)?;
    let mut taken = others.ports.clone();
    node_port_values(spec, old, &mut taken, cursor.port)?;
    health_check(spec, old, &mut taken, cursor.port)
}

/// Values an update left out are the stored ones (upstream's `patchAllocatedValues`): node
/// ports by port name unless another port now asks for them, the health check node port.
fn keep_allocated(spec: &mut Value, old: &Value) {
    if needs_node_ports(old) && needs_node_ports(spec) {
        let asked: BTreeSet<i64> = node_ports(spec).into_iter().map(|(_, p)| p).collect();
        let old_ports = old.get("ports").and_then(Value::as_array).cloned();
        let by_name = |name: &Value| -> Option<i64> {
            old_ports
                .iter()
                .flatten()
                .find(|p| p.get("name").unwrap_or(&Value::Null) == name)
                .and_then(|p| p.get("nodePort").and_then(Value::as_i64))
        };
        for p in spec
            .get_mut("ports")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let unset = p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) == 0;
            let name = p.get("name").cloned().unwrap_or(Value::Null);
            if unset
                && let Some(n) = by_name(&name).filter(|n| !asked.contains(n))
                && p.is_object()
            {
                p["nodePort"] = json!(n);
            }
        }
    }
    if needs_health_check(old)
        && needs_health_check(spec)
        && spec
            .get("healthCheckNodePort")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            == 0
        && let Some(hc) = old.get("healthCheckNodePort").cloned()
    {
        spec["healthCheckNodePort"] = hc;
    }
}

fn in_cidr(ip: Ipv4Addr) -> bool {
    let (net, bits) = SERVICE_CIDR;
    let mask = u32::MAX << (32 - bits);
    u32::from(ip) & mask == u32::from(net)
}

/// The cluster IP: "None" (headless) stays, a missing one is the stored one or a free one, a
/// requested one must be in the CIDR and free.
fn cluster_ip(
    spec: &mut Value,
    old: Option<&Value>,
    others: &Held,
    start: u32,
) -> Result<(), Refusal> {
    if ty(spec) == "ExternalName" {
        return Ok(());
    }
    let asked = spec
        .get("clusterIP")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let stored = old
        .filter(|o| ty(o) != "ExternalName")
        .and_then(|o| o.get("clusterIP").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(String::from);
    let ip = match (asked, stored) {
        (Some(ip), _) if ip == "None" => ip,
        (Some(ip), Some(stored)) if ip == stored => ip,
        (None, Some(stored)) => stored,
        (Some(ip), _) => {
            check_ip(spec, &ip, others)?;
            ip
        }
        (None, None) => free_ip(others, start)
            .ok_or_else(|| {
                Refusal::Internal("failed to allocate a serviceIP: range is full".into())
            })?
            .to_string(),
    };
    let ips = spec.get("clusterIPs").and_then(Value::as_array);
    if ips.is_none_or(|a| a.is_empty() || a[0] != ip.as_str()) {
        spec["clusterIPs"] = json!([ip]);
    }
    spec["clusterIP"] = json!(ip);
    // Single-stack IPv4 is all this server serves (upstream's initIPFamilyFields).
    for (key, value) in [
        ("ipFamilies", json!(["IPv4"])),
        ("ipFamilyPolicy", json!("SingleStack")),
    ] {
        if spec.get(key).is_none_or(Value::is_null) {
            spec[key] = value;
        }
    }
    Ok(())
}

fn check_ip(spec: &Value, ip: &str, others: &Held) -> Result<(), Refusal> {
    let value = spec
        .get("clusterIPs")
        .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
        .cloned()
        .unwrap_or_else(|| json!([ip]));
    let refuse = |why: String| {
        Refusal::Invalid(vec![FieldError {
            reason: "FieldValueInvalid",
            field: "spec.clusterIPs".into(),
            message: format!(
                "Invalid value: {}: failed to allocate IP {ip}: {why}",
                go_strings(&value)
            ),
        }])
    };
    let Ok(parsed) = ip.parse::<Ipv4Addr>() else {
        return Err(Refusal::Invalid(vec![FieldError::invalid(
            "spec.clusterIPs[0]",
            &json!(ip),
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        )]));
    };
    if !in_cidr(parsed) {
        let (net, bits) = SERVICE_CIDR;
        return Err(refuse(format!(
            "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {net}/{bits}"
        )));
    }
    if others.ips.contains(&parsed) {
        return Err(refuse("provided IP is already allocated".into()));
    }
    Ok(())
}

/// `[]string{"a", "b"}`, Go's `%#v` of a string slice as upstream's 1.33 messages print it.
fn go_strings(v: &Value) -> String {
    let items: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| crate::fieldmanager::go_quote(s.as_str().unwrap_or_default()))
        .collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// A free address of the CIDR, searching from `start` (the network address and the first
/// one, the `kubernetes` Service's on a real cluster, are never handed out).
fn free_ip(others: &Held, start: u32) -> Option<Ipv4Addr> {
    let (net, bits) = SERVICE_CIDR;
    let size = 1u32 << (32 - bits);
    let usable = size - 3;
    (0..usable)
        .map(|k| Ipv4Addr::from(u32::from(net) + 2 + (start.wrapping_add(k) % usable)))
        .find(|ip| !others.ips.contains(ip))
}

fn free_port(taken: &BTreeSet<i64>, start: u32) -> Option<i64> {
    let (lo, hi) = NODE_PORTS;
    let size = (hi - lo + 1) as u32;
    (0..size)
        .map(|k| lo + i64::from(start.wrapping_add(k) % size))
        .find(|p| !taken.contains(p))
}

/// Why a requested node port cannot be had, in upstream's words.
fn port_refusal(port: i64, taken: &BTreeSet<i64>) -> Option<String> {
    let (lo, hi) = NODE_PORTS;
    if !(lo..=hi).contains(&port) {
        Some(format!(
            "provided port is not in the valid range. The range of valid ports is {lo}-{hi}"
        ))
    } else if taken.contains(&port) {
        Some("provided port is already allocated".into())
    } else {
        None
    }
}

/// Node ports: requested ones checked (unless the stored Service has them already), missing
/// ones allocated; `taken` grows by what this Service holds.
fn node_port_values(
    spec: &mut Value,
    old: Option<&Value>,
    taken: &mut BTreeSet<i64>,
    start: u32,
) -> Result<(), Refusal> {
    if !needs_node_ports(spec) {
        // LoadBalancers without node port allocation keep the ones they ask for.
        taken.extend(node_ports(spec).into_iter().map(|(_, p)| p));
        return Ok(());
    }
    let mine: BTreeSet<i64> = old
        .filter(|o| needs_node_ports(o))
        .map(|o| node_ports(o).into_iter().map(|(_, p)| p).collect())
        .unwrap_or_default();
    let mut this = BTreeSet::new();
    for (i, port) in node_ports(spec) {
        if mine.contains(&port) || this.contains(&port) {
            this.insert(port);
            continue;
        }
        if let Some(why) = port_refusal(port, taken) {
            return Err(Refusal::Invalid(vec![FieldError::invalid(
                format!("spec.ports[{i}].nodePort"),
                &json!(port),
                &why,
            )]));
        }
        this.insert(port);
    }
    taken.extend(this.iter().copied());
    taken.extend(mine.iter().copied());
    let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for p in ports.iter_mut().filter(|p| p.is_object()) {
        if p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) == 0 {
            let n = free_port(taken, start).ok_or_else(|| {
                Refusal::Internal("failed to allocate a nodePort: range is full".into())
            })?;
            taken.insert(n);
            p["nodePort"] = json!(n);
        }
    }
    Ok(())
}

/// The health check node port of a LoadBalancer with `externalTrafficPolicy: Local`.
fn health_check(
    spec: &mut Value,
    old: Option<&Value>,
    taken: &mut BTreeSet<i64>,
    start: u32,
) -> Result<(), Refusal> {
    if !needs_health_check(spec) {
        return Ok(());
    }
    let asked = spec
        .get("healthCheckNodePort")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let stored = old
        .filter(|o| needs_health_check(o))
        .and_then(|o| o.get("healthCheckNodePort").and_then(Value::as_i64));
    if asked != 0 {
        if Some(asked) != stored
            && let Some(why) = port_refusal(asked, taken)
        {
            return Err(Refusal::Internal(format!(
                "failed to allocate requested HealthCheck NodePort {asked}: {why}"
            )));
        }
        taken.insert(asked);
        return Ok(());
    }
    let n = free_port(taken, start.wrapping_add(1)).ok_or_else(|| {
        Refusal::Internal("failed to allocate a HealthCheck NodePort 0: range is full".into())
    })?;
    taken.insert(n);
    spec["healthCheckNodePort"] = json!(n);
    Ok(())
}

/// Externally reachable: NodePort, LoadBalancer, or ClusterIP with external IPs.
fn reachable(spec: &Value) -> bool {
    match ty(spec) {
        "NodePort" | "LoadBalancer" => true,
        "ClusterIP" => spec
            .get("externalIPs")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty()),
        _ => false,
    }
}

/// The fields of an updated Service (`spec`, stored `old`) its new type makes meaningless,
/// wiped when the request left them as they were (the health check node port, LoadBalancer
/// options and the external traffic policy part of upstream's `dropTypeDependentFields`).
pub fn drop_type_dependent(spec: &mut Value, old: &Value) {
    let drop_hc = needs_health_check(old) && !needs_health_check(spec);
    let left_lb = ty(old) == "LoadBalancer" && ty(spec) != "LoadBalancer";
    let drop_etp = reachable(old) && !reachable(spec);
    let Some(m) = spec.as_object_mut() else {
        return;
    };
    let mut wipe = |f: &str| {
        if m.get(f) == old.get(f) {
            m.remove(f);
        }
    };
    if drop_hc {
        wipe("healthCheckNodePort");
    }
    if left_lb {
        wipe("allocateLoadBalancerNodePorts");
        wipe("loadBalancerClass");
    }
    if drop_etp {
        wipe("externalTrafficPolicy");
    }
}

#[cfg(test)]
#[path = "services_tests.rs"]
mod tests;
