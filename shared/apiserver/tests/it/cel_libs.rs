//! Kubernetes' CEL libraries through kubectl: a CRD whose rules use the quantity, URL, IP,
//! CIDR, format, lists, sets and regex libraries accepts a valid object and rejects each
//! invalid one with kube-apiserver's message; an evaluation error is reported on the
//! object as kube does; a rule calling a function kube 1.33 does not declare for new
//! CRD rules (semver) is refused when the CRD is written, and so is a rule kube estimates
//! over its cost budget.

use crate::support::{Kubectl, crd_yaml, server};

const WIDGET_SCHEMA: &str = r#"
type: object
properties:
  spec:
    type: object
    x-kubernetes-validations:
    - rule: quantity(self.request).compareTo(quantity(self.limit)) <= 0
      messageExpression: "'request ' + self.request + ' exceeds limit ' + self.limit"
    properties:
      request:
        type: string
        maxLength: 32
        x-kubernetes-validations:
        - rule: sign(quantity(self)) >= 0
      limit:
        type: string
        maxLength: 32
        x-kubernetes-validations:
        - rule: isQuantity(self) && quantity(self).isLessThan(quantity('2Gi'))
          message: limit must be a quantity below 2Gi
      endpoint:
        type: string
        maxLength: 256
        x-kubernetes-validations:
        - rule: isURL(self) && url(self).getScheme() == 'https' && url(self).getPort() != '80'
          message: endpoint must be an https URL, not on port 80
      address:
        type: string
        maxLength: 64
        x-kubernetes-validations:
        - rule: isIP(self) && ip(self).family() == 4 && !ip(self).isLoopback()
          message: address must be a non-loopback IPv4 address
      network:
        type: string
        maxLength: 64
        x-kubernetes-validations:
        - rule: cidr(self).containsIP('10.0.0.1')
          message: network must contain 10.0.0.1
      name:
        type: string
        maxLength: 64
        x-kubernetes-validations:
        - rule: "!format.dns1123Label().validate(self).hasValue()"
          messageExpression: format.dns1123Label().validate(self).value().join(', ')
      ports:
        type: array
        maxItems: 8
        items: {type: integer}
        x-kubernetes-validations:
        - rule: self.isSorted() && self.max() < 65536
          message: ports must be sorted and below 65536
        - rule: sets.contains([80, 443, 8080, 8443], self)
          message: only web ports
      tag:
        type: string
        maxLength: 32
        x-kubernetes-validations:
        - rule: self.find('^v[0-9]+$') != ''
          message: tag must look like v1
"#;

/// A valid spec, field by field.
const GOOD: [(&str, &str); 8] = [
    ("request", "500Mi"),
    ("limit", "1Gi"),
    ("endpoint", "'https://example.com:8443/api'"),
    ("address", "192.168.1.10"),
    ("network", "10.0.0.0/8"),
    ("name", "my-widget"),
    ("ports", "[443, 8443]"),
    ("tag", "v2"),
];

fn widgets_crd(group: &str) -> String {
    crd_yaml(group, "Widget", false, WIDGET_SCHEMA)
}

fn widget(group: &str, name: &str, spec: &str) -> String {
    format!("apiVersion: {group}/v1\nkind: Widget\nmetadata: {{name: {name}}}\nspec: {{{spec}}}\n")
}

/// `GOOD` with one field replaced.
fn with(field: &str, value: &str) -> String {
    GOOD.iter()
        .map(|(f, v)| format!("{f}: {}", if *f == field { value } else { v }))
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_using_kubernetes_libraries() {
    let s = server().await;
    let k = Kubectl::new(&s, "cel-libs").await;
    let group = s.group("example.com");
    k.install_crd(&widgets_crd(&group), &format!("widgets.{group}"))
        .await;
    k.run_stdin(
        &["apply", "-f", "-"],
        &widget(&group, "good", &with("", "")),
    )
    .await
    .out();
    let cases = [
        (
            with("limit", "3Gi"),
            "spec.limit: Invalid value: \"string\": limit must be a quantity below 2Gi",
        ),
        (
            with("request", "2Gi"),
            "spec: Invalid value: \"object\": request 2Gi exceeds limit 1Gi",
        ),
        (
            with("endpoint", "'http://example.com/'"),
            "spec.endpoint: Invalid value: \"string\": endpoint must be an https URL, not on port 80",
        ),
        (
            with("endpoint", "'https://example.com:80/'"),
            "spec.endpoint: Invalid value: \"string\": endpoint must be an https URL, not on port 80",
        ),
        (
            with("address", "'::1'"),
            "spec.address: Invalid value: \"string\": address must be a non-loopback IPv4 address",
        ),
        (
            with("address", "127.0.0.1"),
            "spec.address: Invalid value: \"string\": address must be a non-loopback IPv4 address",
        ),
        (
            with("network", "192.168.0.0/16"),
            "spec.network: Invalid value: \"string\": network must contain 10.0.0.1",
        ),
        (
            with("name", "My_Widget"),
            "spec.name: Invalid value: \"string\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
        (
            with("ports", "[8443, 443]"),
            "spec.ports: Invalid value: \"array\": ports must be sorted and below 65536",
        ),
        (
            with("ports", "[443, 444]"),
            "spec.ports: Invalid value: \"array\": only web ports",
        ),
        (
            with("tag", "latest"),
            "spec.tag: Invalid value: \"string\": tag must look like v1",
        ),
        // Evaluation errors are reported on the field with the rule.
        (
            with("network", "nonsense"),
            "spec.network: Invalid value: \"string\": network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"nonsense\"): no '/' evaluating rule: network must contain 10.0.0.1",
        ),
        (
            with("request", "lots"),
            "spec.request: Invalid value: \"string\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: sign(quantity(self)) >= 0",
        ),
    ];
    for (i, (spec, want)) in cases.iter().enumerate() {
        let r = k
            .run_stdin(
                &["apply", "-f", "-"],
                &widget(&group, &format!("bad{i}"), spec),
            )
            .await;
        assert!(
            !r.ok && r.stderr.contains(want),
            "case {i} ({spec}): want {want}\ngot {}",
            r.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_calling_an_undeclared_function_is_refused() {
    let s = server().await;
    let k = Kubectl::new(&s, "cel-undeclared").await;
    let crd = widgets_crd(&s.group("example.com"))
        .replace("rule: self.find('^v[0-9]+$') != ''", "rule: isSemver(self)");
    k.apply_refused(
        &crd,
        &[
            "spec.validation.openAPIV3Schema.properties[spec].properties[tag].x-kubernetes-validations[0].rule: Invalid value: ",
            "compilation failed: ERROR: <input>:1:",
            "undeclared reference to 'isSemver' (in container '')",
        ],
    )
    .await;
}

const PORTSET_SCHEMA: &str = r#"
type: object
properties:
  spec:
    type: object
    properties:
      ports:
        type: array
        MAX_ITEMS
        items: {type: integer}
        x-kubernetes-validations:
        - rule: self.all(p, p > 0 && p < 65536)
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_over_the_estimated_cost_budget_is_refused() {
    let s = server().await;
    let k = Kubectl::new(&s, "cel-estimate").await;
    let group = s.group("example.com");
    let ports = crd_yaml(&group, "PortSet", false, PORTSET_SCHEMA);
    // Without maxItems kube prices the list at its largest possible size.
    k.apply_refused(
        &ports.replace("MAX_ITEMS", ""),
        &[
            "spec.validation.openAPIV3Schema.properties[spec].properties[ports].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of ",
            "(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
        ],
    )
    .await;
    // Bounded, the same rule is accepted and enforced.
    k.install_crd(
        &ports.replace("MAX_ITEMS", "maxItems: 64"),
        &format!("portsets.{group}"),
    )
    .await;
    let bad = format!(
        "apiVersion: {group}/v1\nkind: PortSet\nmetadata: {{name: p}}\nspec: {{ports: [80, 0]}}\n"
    );
    let r = k.run_stdin(&["apply", "-f", "-"], &bad).await;
    assert!(
        r.stderr.contains(
            "spec.ports: Invalid value: \"array\": failed rule: self.all(p, p > 0 && p < 65536)"
        ),
        "{}",
        r.stderr
    );
}
