//! The merge shapes of the built-in kinds the server serves, transcribed from the tags of the
//! Kubernetes Go types (k8s.io/api, apimachinery meta/v1, apiextensions v1).
//!
//! Two views: strategic merge patch reads `patchStrategy`/`patchMergeKey` (a list merges only
//! with `patchStrategy:"merge"`; every struct and map merges field by field); server-side apply
//! reads `+listType`/`+listMapKey`/`+mapType`/`+structType`. They differ in places: container
//! ports merge by `containerPort` in a patch but are keyed by `containerPort`+`protocol` in
//! apply, `nodeSelector` and a Service's `selector` are atomic maps in apply only, object
//! references and label selectors are atomic structs in apply only, Job conditions are keyed in a
//! patch but atomic in apply, CRD conditions the other way round. Fields not listed are
//! [`Shape::Unknown`]: they merge field by field and their lists are atomic, which is what both
//! views do for untagged fields.

use std::collections::BTreeMap;

use super::{ListKind, Shape};

/// `(group, kind)` of every built-in kind [`builtin_shape`] knows; the core group is `""`.
pub const BUILTIN_KINDS: &[(&str, &str)] = &[
    ("", "ConfigMap"),
    ("", "Secret"),
    ("", "Namespace"),
    ("", "ServiceAccount"),
    ("", "Service"),
    ("", "PersistentVolumeClaim"),
    ("", "Event"),
    ("", "Pod"),
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
    ("batch", "Job"),
    ("batch", "CronJob"),
    ("networking.k8s.io", "Ingress"),
    ("events.k8s.io", "Event"),
    ("coordination.k8s.io", "Lease"),
    ("rbac.authorization.k8s.io", "Role"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "RoleBinding"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
];

/// The merge shape of a built-in kind: for strategic merge patch (`for_apply = false`) or for
/// server-side apply (`for_apply = true`). `None` for a kind not in [`BUILTIN_KINDS`].
pub fn builtin_shape(group: &str, kind: &str, for_apply: bool) -> Option<Shape> {
    let v = View { apply: for_apply };
    let parts = match (group, kind) {
        ("", "ConfigMap") => vec![("data", string_map()), ("binaryData", string_map())],
        ("", "Secret") => vec![("data", string_map()), ("stringData", string_map())],
        ("", "Namespace") => vec![
            ("spec", Shape::fields([("finalizers", atomic())])),
            (
                "status",
                Shape::fields([("conditions", v.conditions(true, true))]),
            ),
        ],
        ("", "ServiceAccount") => vec![
            (
                "secrets",
                Shape::keyed_list(&["name"], v.atomic_struct(Shape::Unknown)),
            ),
            ("imagePullSecrets", atomic()),
        ],
        ("", "Service") => v.service(),
        ("", "PersistentVolumeClaim") => v.pvc(),
        ("", "Event") => vec![
            ("involvedObject", v.atomic_struct(Shape::Unknown)),
            ("related", v.atomic_struct(Shape::Unknown)),
        ],
        ("", "Pod") => vec![("spec", v.pod_spec()), ("status", v.pod_status())],
        ("apps", "Deployment" | "DaemonSet" | "ReplicaSet") => v.workload(vec![]),
        ("apps", "StatefulSet") => v.workload(vec![("volumeClaimTemplates", atomic())]),
        ("batch", "Job") => vec![("spec", v.job_spec()), ("status", v.job_status())],
        ("batch", "CronJob") => vec![
            (
                "spec",
                Shape::fields([(
                    "jobTemplate",
                    Shape::fields([("metadata", v.object_meta()), ("spec", v.job_spec())]),
                )]),
            ),
            ("status", Shape::fields([("active", atomic())])),
        ],
        ("networking.k8s.io", "Ingress") => v.ingress(),
        ("events.k8s.io", "Event") => vec![
            ("regarding", v.atomic_struct(Shape::Unknown)),
            ("related", v.atomic_struct(Shape::Unknown)),
        ],
        ("coordination.k8s.io", "Lease") => vec![],
        ("rbac.authorization.k8s.io", "Role") => vec![("rules", atomic())],
        ("rbac.authorization.k8s.io", "ClusterRole") => vec![
            ("rules", atomic()),
            (
                "aggregationRule",
                Shape::fields([("clusterRoleSelectors", atomic())]),
            ),
        ],
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
            vec![
                ("subjects", atomic()),
                ("roleRef", v.atomic_struct(Shape::Unknown)),
            ]
        }
        ("apiextensions.k8s.io", "CustomResourceDefinition") => v.crd(),
        _ => return None,
    };
    Some(v.object(parts))
}

/// The shape of `metadata` (ObjectMeta), the same for every kind, custom resources included.
pub fn object_meta_shape(for_apply: bool) -> Shape {
    View { apply: for_apply }.object_meta()
}

/// Which tags to read: apply's or strategic merge patch's.
#[derive(Clone, Copy)]
struct View {
    apply: bool,
}

impl View {
    /// `smp` for strategic merge patch, `ssa` for server-side apply.
    fn pick(self, smp: Shape, ssa: Shape) -> Shape {
        if self.apply { ssa } else { smp }
    }

    /// A struct tagged `+structType=atomic`.
    fn atomic_struct(self, fields: Shape) -> Shape {
        self.pick(fields, Shape::Atomic)
    }

    /// A `map[string]string` tagged `+mapType=atomic`.
    fn atomic_map(self) -> Shape {
        self.pick(string_map(), Shape::Atomic)
    }

    /// A list keyed by `smp` in a patch and by `ssa` in apply.
    fn keyed(self, smp: &[&str], ssa: &[&str], items: Shape) -> Shape {
        Shape::keyed_list(if self.apply { ssa } else { smp }, items)
    }

    /// `conditions` keyed by `type` where the view's tag says so, atomic otherwise.
    fn conditions(self, smp_keyed: bool, ssa_keyed: bool) -> Shape {
        if (self.apply && ssa_keyed) || (!self.apply && smp_keyed) {
            Shape::keyed_list(&["type"], Shape::Unknown)
        } else {
            atomic()
        }
    }

    fn object(self, parts: Vec<(&str, Shape)>) -> Shape {
        let mut fields: BTreeMap<String, Shape> =
            parts.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        fields.insert("apiVersion".to_string(), Shape::Scalar);
        fields.insert("kind".to_string(), Shape::Scalar);
        fields.insert("metadata".to_string(), self.object_meta());
        Shape::Struct(fields)
    }

    fn object_meta(self) -> Shape {
        Shape::fields([
            ("labels", string_map()),
            ("annotations", string_map()),
            ("finalizers", Shape::set()),
            (
                "ownerReferences",
                Shape::keyed_list(&["uid"], self.atomic_struct(Shape::Unknown)),
            ),
            ("managedFields", atomic()),
        ])
    }

    fn label_selector(self) -> Shape {
        self.atomic_struct(Shape::fields([
            ("matchLabels", string_map()),
            ("matchExpressions", atomic()),
        ]))
    }

    /// Deployment, StatefulSet, DaemonSet, ReplicaSet: a selector, a pod template, conditions.
    fn workload(self, mut spec: Vec<(&'static str, Shape)>) -> Vec<(&'static str, Shape)> {
        spec.push(("selector", self.label_selector()));
        spec.push(("template", self.pod_template()));
        vec![
            ("spec", struct_of(spec)),
            (
                "status",
                Shape::fields([("conditions", self.conditions(true, true))]),
            ),
        ]
    }

    fn pod_template(self) -> Shape {
        Shape::fields([("metadata", self.object_meta()), ("spec", self.pod_spec())])
    }

    fn pod_spec(self) -> Shape {
        let by_name = |items: Shape| Shape::keyed_list(&["name"], items);
        Shape::fields([
            ("volumes", by_name(Shape::Unknown)),
            ("initContainers", by_name(self.container())),
            ("containers", by_name(self.container())),
            ("ephemeralContainers", by_name(self.container())),
            (
                "imagePullSecrets",
                by_name(self.atomic_struct(Shape::Unknown)),
            ),
            (
                "hostAliases",
                Shape::keyed_list(&["ip"], Shape::fields([("hostnames", atomic())])),
            ),
            ("topologySpreadConstraints", self.topology_spread()),
            ("schedulingGates", by_name(Shape::Unknown)),
            ("resourceClaims", by_name(Shape::Unknown)),
            ("tolerations", atomic()),
            ("readinessGates", atomic()),
            ("nodeSelector", self.atomic_map()),
            ("overhead", string_map()),
            ("affinity", self.affinity()),
            (
                "securityContext",
                Shape::fields([("supplementalGroups", atomic()), ("sysctls", atomic())]),
            ),
            (
                "dnsConfig",
                Shape::fields([
                    ("nameservers", atomic()),
                    ("searches", atomic()),
                    ("options", atomic()),
                ]),
            ),
        ])
    }

    fn container(self) -> Shape {
        let key_ref = self.atomic_struct(Shape::Unknown);
        let value_from = Shape::fields([
            ("fieldRef", key_ref.clone()),
            ("resourceFieldRef", key_ref.clone()),
            ("configMapKeyRef", key_ref.clone()),
            ("secretKeyRef", key_ref),
        ]);
        let resources = Shape::fields([
            ("limits", string_map()),
            ("requests", string_map()),
            (
                "claims",
                self.pick(atomic(), Shape::keyed_list(&["name"], Shape::Unknown)),
            ),
        ]);
        Shape::fields([
            (
                "ports",
                self.keyed(
                    &["containerPort"],
                    &["containerPort", "protocol"],
                    Shape::Unknown,
                ),
            ),
            (
                "env",
                Shape::keyed_list(&["name"], Shape::fields([("valueFrom", value_from)])),
            ),
            ("envFrom", atomic()),
            (
                "volumeMounts",
                Shape::keyed_list(&["mountPath"], Shape::Unknown),
            ),
            (
                "volumeDevices",
                Shape::keyed_list(&["devicePath"], Shape::Unknown),
            ),
            ("command", atomic()),
            ("args", atomic()),
            ("resizePolicy", atomic()),
            ("resources", resources),
            (
                "securityContext",
                Shape::fields([(
                    "capabilities",
                    Shape::fields([("add", atomic()), ("drop", atomic())]),
                )]),
            ),
        ])
    }

    fn topology_spread(self) -> Shape {
        let item = Shape::fields([
            ("labelSelector", self.label_selector()),
            ("matchLabelKeys", atomic()),
        ]);
        self.keyed(
            &["topologyKey"],
            &["topologyKey", "whenUnsatisfiable"],
            item,
        )
    }

    fn affinity(self) -> Shape {
        let pod_affinity = || {
            Shape::fields([
                ("requiredDuringSchedulingIgnoredDuringExecution", atomic()),
                ("preferredDuringSchedulingIgnoredDuringExecution", atomic()),
            ])
        };
        let node_selector = self.atomic_struct(Shape::fields([("nodeSelectorTerms", atomic())]));
        Shape::fields([
            (
                "nodeAffinity",
                Shape::fields([
                    (
                        "requiredDuringSchedulingIgnoredDuringExecution",
                        node_selector,
                    ),
                    ("preferredDuringSchedulingIgnoredDuringExecution", atomic()),
                ]),
            ),
            ("podAffinity", pod_affinity()),
            ("podAntiAffinity", pod_affinity()),
        ])
    }

    fn pod_status(self) -> Shape {
        Shape::fields([
            ("conditions", self.conditions(true, true)),
            ("podIPs", Shape::keyed_list(&["ip"], Shape::Unknown)),
            (
                "hostIPs",
                self.pick(Shape::keyed_list(&["ip"], Shape::Unknown), atomic()),
            ),
            ("initContainerStatuses", atomic()),
            ("containerStatuses", atomic()),
            ("ephemeralContainerStatuses", atomic()),
        ])
    }

    fn service(self) -> Vec<(&'static str, Shape)> {
        let spec = Shape::fields([
            (
                "ports",
                self.keyed(&["port"], &["port", "protocol"], Shape::Unknown),
            ),
            ("selector", self.atomic_map()),
            ("clusterIPs", atomic()),
            ("externalIPs", atomic()),
            ("loadBalancerSourceRanges", atomic()),
            ("ipFamilies", atomic()),
        ]);
        let status = Shape::fields([
            ("loadBalancer", Shape::fields([("ingress", atomic())])),
            ("conditions", self.conditions(true, true)),
        ]);
        vec![("spec", spec), ("status", status)]
    }

    fn pvc(self) -> Vec<(&'static str, Shape)> {
        let resources = Shape::fields([("limits", string_map()), ("requests", string_map())]);
        let spec = Shape::fields([
            ("accessModes", atomic()),
            ("selector", self.label_selector()),
            ("dataSource", self.atomic_struct(Shape::Unknown)),
            ("resources", resources),
        ]);
        let status = Shape::fields([
            ("accessModes", atomic()),
            ("conditions", self.conditions(true, true)),
            ("capacity", string_map()),
            ("allocatedResources", string_map()),
            ("allocatedResourceStatuses", string_map()),
        ]);
        vec![("spec", spec), ("status", status)]
    }

    fn job_spec(self) -> Shape {
        Shape::fields([
            ("selector", self.label_selector()),
            ("template", self.pod_template()),
            ("podFailurePolicy", Shape::fields([("rules", atomic())])),
            ("successPolicy", Shape::fields([("rules", atomic())])),
        ])
    }

    fn job_status(self) -> Shape {
        let uids = || self.pick(atomic(), Shape::set());
        Shape::fields([
            ("conditions", self.conditions(true, false)),
            (
                "uncountedTerminatedPods",
                Shape::fields([("succeeded", uids()), ("failed", uids())]),
            ),
        ])
    }

    fn ingress(self) -> Vec<(&'static str, Shape)> {
        let backend = Shape::fields([(
            "service",
            Shape::fields([("port", self.atomic_struct(Shape::Unknown))]),
        )]);
        let spec = Shape::fields([
            ("rules", atomic()),
            ("tls", atomic()),
            ("defaultBackend", backend),
        ]);
        let status = Shape::fields([("loadBalancer", Shape::fields([("ingress", atomic())]))]);
        vec![("spec", spec), ("status", status)]
    }

    fn crd(self) -> Vec<(&'static str, Shape)> {
        let names = || Shape::fields([("shortNames", atomic()), ("categories", atomic())]);
        let spec = Shape::fields([("versions", atomic()), ("names", names())]);
        let status = Shape::fields([
            ("conditions", self.conditions(false, true)),
            ("acceptedNames", names()),
            ("storedVersions", atomic()),
        ]);
        vec![("spec", spec), ("status", status)]
    }
}

fn string_map() -> Shape {
    Shape::Map(Box::new(Shape::Scalar))
}

fn atomic() -> Shape {
    Shape::List {
        kind: ListKind::Atomic,
        items: Box::new(Shape::Unknown),
    }
}

fn struct_of(parts: Vec<(&str, Shape)>) -> Shape {
    Shape::Struct(parts.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

#[cfg(test)]
#[path = "builtin_tests.rs"]
mod tests;
