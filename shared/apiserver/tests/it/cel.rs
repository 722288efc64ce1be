//! CRD `x-kubernetes-validations` (CEL) through kubectl: every rule of Fluxion's own CRDs
//! accepts a valid object and rejects an invalid one with kube-apiserver's error shape;
//! transition rules, messageExpression, reasons and fieldPath; a CRD whose rule does not
//! compile is refused.

use std::path::Path;

use crate::support::{Kubectl, crd_yaml, server};

/// One rule exercised: a spec it accepts and one it rejects with `message`.
struct Case {
    api: &'static str,
    kind: &'static str,
    good: &'static str,
    bad: &'static str,
    path: &'static str,
    message: &'static str,
}

const HR: &str = "helm.toolkit.fluxcd.io/v2";
const KS: &str = "kustomize.toolkit.fluxcd.io/v1";
const BUCKET: &str = "source.toolkit.fluxcd.io/v1";
const RECEIVER: &str = "notification.toolkit.fluxcd.io/v1";
const KUBECONFIG_MSG: &str =
    "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified";

fn cases() -> Vec<Case> {
    let hr = |good, bad, path, message| Case {
        api: HR,
        kind: "HelmRelease",
        good,
        bad,
        path,
        message,
    };
    let bucket = |good, bad, message| Case {
        api: BUCKET,
        kind: "Bucket",
        good,
        bad,
        path: "spec",
        message,
    };
    let receiver = |good, bad, message| Case {
        api: RECEIVER,
        kind: "Receiver",
        good,
        bad,
        path: "spec",
        message,
    };
    vec![
        hr(
            "interval: 1m, chartRef: {kind: OCIRepository, name: podinfo}",
            "interval: 1m",
            "spec",
            "either chart or chartRef must be set",
        ),
        hr(
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, install: {strategy: {name: RetryOnFailure, retryInterval: 1m}}",
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, install: {strategy: {name: RemediateOnFailure, retryInterval: 1m}}",
            "spec.install.strategy",
            ".retryInterval cannot be set when .name is 'RemediateOnFailure'",
        ),
        hr(
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, upgrade: {strategy: {name: RetryOnFailure, retryInterval: 1m}}",
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, upgrade: {strategy: {name: RemediateOnFailure, retryInterval: 1m}}",
            "spec.upgrade.strategy",
            ".retryInterval can only be set when .name is 'RetryOnFailure'",
        ),
        hr(
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, kubeConfig: {secretRef: {name: kc}}",
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, kubeConfig: {}",
            "spec.kubeConfig",
            KUBECONFIG_MSG,
        ),
        hr(
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, kubeConfig: {configMapRef: {name: kc}}",
            "interval: 1m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}, kubeConfig: {configMapRef: {name: kc}, secretRef: {name: kc}}",
            "spec.kubeConfig",
            KUBECONFIG_MSG,
        ),
        Case {
            api: KS,
            kind: "Kustomization",
            good: "interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: repo}, kubeConfig: {secretRef: {name: kc}}",
            bad: "interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: repo}, kubeConfig: {}",
            path: "spec.kubeConfig",
            message: KUBECONFIG_MSG,
        },
        Case {
            api: KS,
            kind: "Kustomization",
            good: "interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: repo}, kubeConfig: {configMapRef: {name: kc}}",
            bad: "interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: repo}, kubeConfig: {configMapRef: {name: kc}, secretRef: {name: kc}}",
            path: "spec.kubeConfig",
            message: KUBECONFIG_MSG,
        },
        Case {
            api: "image.toolkit.fluxcd.io/v1",
            kind: "ImagePolicy",
            good: "imageRepositoryRef: {name: r}, policy: {semver: {range: 1.x}}, digestReflectionPolicy: Always, interval: 1m",
            bad: "imageRepositoryRef: {name: r}, policy: {semver: {range: 1.x}}, interval: 1m",
            path: "spec",
            message: "spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'",
        },
        Case {
            api: "image.toolkit.fluxcd.io/v1",
            kind: "ImagePolicy",
            good: "imageRepositoryRef: {name: r}, policy: {semver: {range: 1.x}}, digestReflectionPolicy: IfNotPresent",
            bad: "imageRepositoryRef: {name: r}, policy: {semver: {range: 1.x}}, digestReflectionPolicy: Always",
            path: "spec",
            message: "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'",
        },
        Case {
            api: "notification.toolkit.fluxcd.io/v1beta3",
            kind: "Provider",
            good: "type: github, commitStatusExpr: \"'x'\"",
            bad: "type: slack, commitStatusExpr: \"'x'\"",
            path: "spec",
            message: "spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types",
        },
        receiver(
            "type: generic-oidc, resources: [{kind: GitRepository, name: r}], oidcProviders: [{issuerURL: 'https://issuer.example.com', validations: [{expression: 'true', message: m}]}]",
            "type: generic-oidc, resources: [{kind: GitRepository, name: r}]",
            "generic-oidc receivers must define at least one oidcProvider",
        ),
        receiver(
            "type: generic, resources: [{kind: GitRepository, name: r}], secretRef: {name: s}",
            "type: generic, resources: [{kind: GitRepository, name: r}], secretRef: {name: s}, oidcProviders: [{issuerURL: 'https://issuer.example.com', validations: [{expression: 'true', message: m}]}]",
            "oidcProviders can only be set when type is generic-oidc",
        ),
        receiver(
            "type: generic-oidc, resources: [{kind: GitRepository, name: r}], oidcProviders: [{issuerURL: 'https://i.example.com', validations: [{expression: 'true', message: m}]}]",
            "type: generic-oidc, resources: [{kind: GitRepository, name: r}], secretRef: {name: s}, oidcProviders: [{issuerURL: 'https://i.example.com', validations: [{expression: 'true', message: m}]}]",
            "secretRef cannot be set when type is generic-oidc",
        ),
        receiver(
            "type: github, resources: [{kind: GitRepository, name: r}], secretRef: {name: s}",
            "type: github, resources: [{kind: GitRepository, name: r}]",
            "secretRef is required when type is not generic-oidc",
        ),
        bucket(
            "bucketName: b, endpoint: e, interval: 1m, provider: aws, sts: {provider: aws, endpoint: 'https://sts'}",
            "bucketName: b, endpoint: e, interval: 1m, provider: gcp, sts: {provider: aws, endpoint: 'https://sts'}",
            "STS configuration is only supported for the 'aws' and 'generic' Bucket providers",
        ),
        bucket(
            "bucketName: b, endpoint: e, interval: 1m, provider: aws",
            "bucketName: b, endpoint: e, interval: 1m, provider: aws, sts: {provider: ldap, endpoint: 'https://sts'}",
            "'aws' is the only supported STS provider for the 'aws' Bucket provider",
        ),
        bucket(
            "bucketName: b, endpoint: e, interval: 1m, provider: generic, sts: {provider: ldap, endpoint: 'https://sts'}",
            "bucketName: b, endpoint: e, interval: 1m, provider: generic, sts: {provider: aws, endpoint: 'https://sts'}",
            "'ldap' is the only supported STS provider for the 'generic' Bucket provider",
        ),
        bucket(
            "bucketName: b, endpoint: e, interval: 1m, provider: generic, sts: {provider: ldap, endpoint: 'https://sts', secretRef: {name: s}}",
            "bucketName: b, endpoint: e, interval: 1m, provider: aws, sts: {provider: aws, endpoint: 'https://sts', secretRef: {name: s}}",
            "spec.sts.secretRef is not required for the 'aws' STS provider",
        ),
        bucket(
            "bucketName: b, endpoint: e, interval: 1m, provider: generic, sts: {provider: ldap, endpoint: 'https://sts', certSecretRef: {name: s}}",
            "bucketName: b, endpoint: e, interval: 1m, provider: aws, sts: {provider: aws, endpoint: 'https://sts', certSecretRef: {name: s}}",
            "spec.sts.certSecretRef is not required for the 'aws' STS provider",
        ),
        bucket(
            "bucketName: b, endpoint: e, interval: 1m, provider: aws, serviceAccountName: sa",
            "bucketName: b, endpoint: e, interval: 1m, provider: generic, serviceAccountName: sa",
            "ServiceAccountName is not supported for the 'generic' Bucket provider",
        ),
        Case {
            api: "source.toolkit.fluxcd.io/v1",
            kind: "GitRepository",
            good: "interval: 1m, url: 'https://example.com/r', provider: azure, serviceAccountName: sa",
            bad: "interval: 1m, url: 'https://example.com/r', serviceAccountName: sa",
            path: "spec",
            message: "serviceAccountName can only be set when provider is 'azure' or 'aws'",
        },
        Case {
            api: "source.toolkit.fluxcd.io/v1",
            kind: "HelmChart",
            good: "interval: 1m, chart: c, sourceRef: {kind: HelmRepository, name: r}, verify: {provider: cosign}",
            bad: "interval: 1m, chart: c, sourceRef: {kind: GitRepository, name: r}, verify: {provider: cosign}",
            path: "spec",
            message: "spec.verify is only supported when spec.sourceRef.kind is 'HelmRepository'",
        },
    ]
}

fn object(c: &Case, name: &str, spec: &str) -> String {
    format!(
        "apiVersion: {}\nkind: {}\nmetadata: {{name: {name}}}\nspec: {{{spec}}}\n",
        c.api, c.kind
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: installs Flux's CRDs, which a real cluster may hold at other versions"
)]
async fn every_rule_of_fluxions_crds_is_enforced() {
    let s = server().await;
    let k = Kubectl::new(&s, "cel-flux").await;
    let crds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../manifests/crds");
    let crds = crds.to_string_lossy().into_owned();
    k.run(&["apply", "-k", &crds]).await.out();
    for (i, c) in cases().iter().enumerate() {
        let good = k
            .run_stdin(
                &["apply", "-f", "-"],
                &object(c, &format!("good{i}"), c.good),
            )
            .await;
        assert!(
            good.ok,
            "case {i} ({}) valid object refused: {}",
            c.kind, good.stderr
        );
        let bad = k
            .run_stdin(&["apply", "-f", "-"], &object(c, &format!("bad{i}"), c.bad))
            .await;
        let want = format!(
            "The {} \"bad{i}\" is invalid: {}: Invalid value: \"object\": {}",
            c.kind, c.path, c.message
        );
        assert!(
            !bad.ok && bad.stderr.contains(&want),
            "case {i}: want {want}\ngot {}",
            bad.stderr
        );
    }
}

const GADGET_SCHEMA: &str = r#"
type: object
properties:
  spec:
    type: object
    x-kubernetes-validations:
    - rule: self.replicas <= self.maxReplicas
      messageExpression: "'replicas ' + string(self.replicas) + ' exceed ' + string(self.maxReplicas)"
    - rule: self.name.matches('^[a-z]+$')
      reason: FieldValueForbidden
      fieldPath: .name
      message: lowercase letters only
    - rule: self.maxReplicas >= oldSelf.maxReplicas
      message: maxReplicas may not shrink
    properties:
      name: {type: string}
      replicas: {type: integer}
      maxReplicas: {type: integer}
      tags:
        type: array
        maxItems: 16
        items: {type: string, maxLength: 32}
        x-kubernetes-validations:
        - rule: self.all(t, t.startsWith('t-'))
  status:
    type: object
    properties:
      phase:
        type: string
        x-kubernetes-validations:
        - rule: self in ['Pending', 'Ready']
          message: unknown phase
"#;

fn gadgets_crd(group: &str) -> String {
    crd_yaml(group, "Gadget", true, GADGET_SCHEMA)
}

fn gadget(group: &str, name: &str, spec: &str) -> String {
    format!("apiVersion: {group}/v1\nkind: Gadget\nmetadata: {{name: {name}}}\nspec: {{{spec}}}\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_messages_reasons_and_transitions() {
    let s = server().await;
    let k = Kubectl::new(&s, "cel-rules").await;
    let group = s.group("example.com");
    let resource = format!("gadgets.{group}");
    k.install_crd(&gadgets_crd(&group), &resource).await;
    let g = group.as_str();
    let kr = &k;
    let apply = |yaml: String| async move { kr.run_stdin(&["apply", "-f", "-"], &yaml).await };
    let r = apply(gadget(g, "g", "name: abc, replicas: 5, maxReplicas: 3")).await;
    assert!(
        r.stderr.contains(
            r#"The Gadget "g" is invalid: spec: Invalid value: "object": replicas 5 exceed 3"#
        ),
        "{}",
        r.stderr
    );
    let r = apply(gadget(g, "g", "name: Abc, replicas: 1, maxReplicas: 3")).await;
    assert!(
        r.stderr
            .contains(r#"The Gadget "g" is invalid: spec.name: Forbidden: lowercase letters only"#),
        "{}",
        r.stderr
    );
    let r = apply(gadget(
        g,
        "g",
        "name: abc, replicas: 1, maxReplicas: 3, tags: [t-a, b]",
    ))
    .await;
    assert!(
        r.stderr.contains(
            r#"spec.tags: Invalid value: "array": failed rule: self.all(t, t.startsWith('t-'))"#
        ),
        "{}",
        r.stderr
    );
    // Transition rules run on update only.
    apply(gadget(g, "g", "name: abc, replicas: 1, maxReplicas: 3"))
        .await
        .out();
    let r = apply(gadget(g, "g", "name: abc, replicas: 1, maxReplicas: 2")).await;
    assert!(
        r.stderr
            .contains(r#"spec: Invalid value: "object": maxReplicas may not shrink"#),
        "{}",
        r.stderr
    );
    apply(gadget(g, "g", "name: abc, replicas: 1, maxReplicas: 4"))
        .await
        .out();
    // Rules under status apply to status writes.
    let bad = k
        .run(&[
            "patch",
            &resource,
            "g",
            "--subresource=status",
            "--type=merge",
            "-p",
            r#"{"status":{"phase":"Lost"}}"#,
        ])
        .await;
    assert!(
        bad.stderr
            .contains(r#"status.phase: Invalid value: "string": unknown phase"#),
        "{}",
        bad.stderr
    );
    k.run(&[
        "patch",
        &resource,
        "g",
        "--subresource=status",
        "--type=merge",
        "-p",
        r#"{"status":{"phase":"Ready"}}"#,
    ])
    .await
    .out();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crd_whose_rule_does_not_compile_is_refused() {
    let s = server().await;
    let k = Kubectl::new(&s, "cel-broken").await;
    let group = s.group("example.com");
    let broken = gadgets_crd(&group).replace(
        "rule: self.replicas <= self.maxReplicas",
        "rule: self.replicas <=",
    );
    let invalid = format!(
        "The CustomResourceDefinition \"gadgets.{group}\" is invalid: spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "
    );
    k.apply_refused(&broken, &[&invalid, "compilation failed"])
        .await;
}

// The libraries kube-apiserver adds to CEL, in a file of their own.
#[path = "cel_libs.rs"]
mod libs;
