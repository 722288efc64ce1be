//! `fluxion tree kustomization NAME`: the objects a Kustomization applied, from its inventory,
//! descending into the Kustomizations it applied, drawn as flux draws it.

use std::collections::BTreeSet;

use fluxion_api::kustomize::{ObjectId, ResourceInventory};
use kube::api::DynamicObject;

use crate::args::{GlobalArgs, TreeArgs};
use crate::commands::reconcile::api;
use crate::error::CliError;
use crate::kinds::{FluxKind, parse_named};
use crate::kube as kubeclient;

const KUSTOMIZE_GROUP: &str = "kustomize.toolkit.fluxcd.io";

/// One object and what it applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: ObjectId,
    pub children: Vec<Node>,
}

pub async fn run(global: &GlobalArgs, args: &TreeArgs) -> Result<(), CliError> {
    let (kind, name) = parse_named(&args.words)?;
    if kind != FluxKind::Kustomization {
        return Err(CliError::usage("tree supports kustomization only"));
    }
    let client = kubeclient::client(global).await?;
    let root = ObjectId::new(&global.namespace, &name, KUSTOMIZE_GROUP, "Kustomization");
    let mut seen = BTreeSet::new();
    let tree = build(&client, root, &mut seen, true).await?;
    crate::output::emit(&render(&tree))?;
    Ok(())
}

/// Reads the Kustomization's inventory and, recursively, its child Kustomizations'.
async fn build(
    client: &kube::Client,
    id: ObjectId,
    seen: &mut BTreeSet<ObjectId>,
    root: bool,
) -> Result<Node, CliError> {
    let is_ks = id.group == KUSTOMIZE_GROUP && id.kind == "Kustomization";
    if !is_ks || !seen.insert(id.clone()) {
        return Ok(Node {
            id,
            children: vec![],
        });
    }
    let found = api(client, FluxKind::Kustomization, &id.namespace)
        .get_opt(&id.name)
        .await?;
    let Some(obj) = found else {
        return match root {
            true => Err(CliError::NotFound {
                kind: "Kustomization".into(),
                name: id.name,
                namespace: id.namespace,
            }),
            false => Ok(Node {
                id,
                children: vec![],
            }),
        };
    };
    let mut children = Vec::new();
    for child in inventory(&obj)? {
        children.push(Box::pin(build(client, child, seen, false)).await?);
    }
    Ok(Node { id, children })
}

fn inventory(obj: &DynamicObject) -> Result<Vec<ObjectId>, CliError> {
    let Some(value) = obj.data.pointer("/status/inventory") else {
        return Ok(vec![]);
    };
    let inv: ResourceInventory =
        serde_json::from_value(value.clone()).map_err(|e| CliError::Build(e.to_string()))?;
    inv.entries
        .iter()
        .map(|e| e.object_id().map_err(|e| CliError::Build(e.to_string())))
        .collect()
}

/// `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects (ssa's FmtObjMetadata).
pub fn subject(id: &ObjectId) -> String {
    if id.namespace.is_empty() {
        format!("{}/{}", id.kind, id.name)
    } else {
        format!("{}/{}/{}", id.kind, id.namespace, id.name)
    }
}

/// The tree in flux's box-drawing format.
pub fn render(tree: &Node) -> String {
    let mut out = format!("{}\n", subject(&tree.id));
    render_items(&tree.children, "", &mut out);
    out
}

fn render_items(items: &[Node], prefix: &str, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let (indicator, continuation) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        out.push_str(&format!("{prefix}{indicator}{}\n", subject(&item.id)));
        render_items(&item.children, &format!("{prefix}{continuation}"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(ns: &str, name: &str, group: &str, kind: &str) -> Node {
        Node {
            id: ObjectId::new(ns, name, group, kind),
            children: vec![],
        }
    }

    #[test]
    fn draws_like_flux() {
        let mut apps = leaf("flux-system", "apps", KUSTOMIZE_GROUP, "Kustomization");
        apps.children = vec![
            leaf("default", "web", "apps", "Deployment"),
            leaf("default", "web", "", "Service"),
        ];
        let root = Node {
            id: ObjectId::new(
                "flux-system",
                "flux-system",
                KUSTOMIZE_GROUP,
                "Kustomization",
            ),
            children: vec![
                leaf("", "apps", "", "Namespace"),
                apps,
                leaf("flux-system", "x", "", "ConfigMap"),
            ],
        };
        assert_eq!(
            render(&root),
            "Kustomization/flux-system/flux-system\n\
             ├── Namespace/apps\n\
             ├── Kustomization/flux-system/apps\n\
             │   ├── Deployment/default/web\n\
             │   └── Service/default/web\n\
             └── ConfigMap/flux-system/x\n"
        );
    }
}
