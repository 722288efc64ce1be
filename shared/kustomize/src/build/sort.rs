//! Output order: kustomize's `sortOptions` (`legacy` by kind priority, or `fifo`).

use super::BuildError;
use crate::kustomization::SortOptions;
use crate::resid::{Gvk, ResId};
use crate::resource::Resource;

/// The kinds kustomize's legacy order puts first, in order.
pub const DEFAULT_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// The kinds kustomize's legacy order puts last, in order.
pub const DEFAULT_ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

fn gvk_sort_string(g: &Gvk) -> String {
    let or = |s: &str, d: &'static str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}_{}_{}",
        or(&g.group, "~G"),
        or(&g.version, "~V"),
        or(&g.kind, "~K")
    )
}

fn id_sort_string(id: &ResId) -> String {
    let ns = if id.namespace.is_empty() {
        "~X"
    } else {
        &id.namespace
    };
    let name = if id.name.is_empty() { "~N" } else { &id.name };
    format!("{}|{ns}|{name}", id.gvk)
}

struct LegacyOrder {
    first: Vec<String>,
    last: Vec<String>,
}

impl LegacyOrder {
    fn rank(&self, kind: &str) -> i64 {
        if let Some(i) = self.last.iter().rposition(|k| k == kind) {
            return 1 + i as i64;
        }
        match self.first.iter().rposition(|k| k == kind) {
            Some(i) => i as i64 - self.first.len() as i64,
            None => 0,
        }
    }

    fn less(&self, a: &ResId, b: &ResId) -> bool {
        if a.gvk != b.gvk {
            let (ra, rb) = (self.rank(&a.gvk.kind), self.rank(&b.gvk.kind));
            if ra != rb {
                return ra < rb;
            }
            let both_ns = a.gvk.kind == "Namespace" && b.gvk.kind == "Namespace";
            if both_ns && (a.gvk.group.is_empty() || b.gvk.group.is_empty()) {
                return gvk_sort_string(&a.gvk) > gvk_sort_string(&b.gvk);
            }
            return gvk_sort_string(&a.gvk) < gvk_sort_string(&b.gvk);
        }
        id_sort_string(a) < id_sort_string(b)
    }
}

/// Orders resources as kustomize's `SortOrderTransformer` with these options; `None`
/// (no `sortOptions` in the kustomization) is the legacy order.
pub fn sort(
    resources: Vec<Resource>,
    options: Option<&SortOptions>,
) -> Result<Vec<Resource>, BuildError> {
    let order = match options {
        None => "legacy",
        Some(o) => o.order.as_str(),
    };
    if order != "fifo" && order != "legacy" {
        return Err(BuildError::Invalid(
            "the field 'sortOptions.order' must be one of [fifo, legacy]".into(),
        ));
    }
    let legacy_opts = options.and_then(|o| o.legacy_sort_options.as_ref());
    if order == "fifo" {
        if legacy_opts.is_some() {
            return Err(BuildError::Invalid(
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'".into(),
            ));
        }
        return Ok(resources);
    }
    let lo = match legacy_opts {
        Some(o) => LegacyOrder {
            first: o.order_first.clone(),
            last: o.order_last.clone(),
        },
        None => LegacyOrder {
            first: DEFAULT_ORDER_FIRST.iter().map(|s| s.to_string()).collect(),
            last: DEFAULT_ORDER_LAST.iter().map(|s| s.to_string()).collect(),
        },
    };
    let mut keyed: Vec<(ResId, Resource)> =
        resources.into_iter().map(|r| (r.cur_id(), r)).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        if lo.less(a, b) {
            std::cmp::Ordering::Less
        } else if lo.less(b, a) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    Ok(keyed.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::from_bytes;

    fn res(api: &str, kind: &str, name: &str) -> Resource {
        from_bytes(&format!(
            "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n"
        ))
        .expect("reads")
        .remove(0)
    }

    fn order(rs: Vec<Resource>, o: Option<&SortOptions>) -> Vec<String> {
        sort(rs, o)
            .expect("sorts")
            .iter()
            .map(|r| format!("{}/{}", r.kind(), r.name()))
            .collect()
    }

    #[test]
    fn legacy_order_by_kind_then_gvk_then_name() {
        let rs = vec![
            res(
                "admissionregistration.k8s.io/v1",
                "ValidatingWebhookConfiguration",
                "v",
            ),
            res("apps/v1", "Deployment", "b"),
            res("v1", "Service", "s"),
            res("example.com/v1", "Widget", "w"),
            res("apps/v1", "Deployment", "a"),
            res("v1", "Namespace", "n"),
            res("v1", "ConfigMap", "c"),
            res("batch/v1", "Job", "j"),
        ];
        assert_eq!(
            order(rs, None),
            [
                "Namespace/n",
                "ConfigMap/c",
                "Service/s",
                "Deployment/a",
                "Deployment/b",
                "Job/j",
                "Widget/w",
                "ValidatingWebhookConfiguration/v"
            ]
        );
    }

    #[test]
    fn fifo_keeps_order_and_options_are_checked() {
        let rs = vec![res("v1", "Service", "s"), res("v1", "Namespace", "n")];
        let fifo = SortOptions {
            order: "fifo".into(),
            legacy_sort_options: None,
        };
        assert_eq!(order(rs.clone(), Some(&fifo)), ["Service/s", "Namespace/n"]);
        let bad = SortOptions {
            order: "random".into(),
            legacy_sort_options: None,
        };
        assert!(sort(rs, Some(&bad)).is_err());
    }
}
