//! Unit tests of name reference fixing: each case renames some objects the way
//! prefixes, suffixes or hashes do and checks what the referrers end up naming.

use super::*;
use crate::resource::from_bytes;
use crate::transform::nameref_config::default_back_refs;

/// Renames `r` to `new`, recording the rename as the transformers do.
fn rename(r: &mut Resource, new: &str, prefix: Option<&str>) {
    r.store_previous_id();
    if let Some(p) = prefix {
        r.prefixes.push(p.to_string());
    }
    r.set_name(new);
}

/// Builds a resmap from YAML documents; `renames` are (index, new name, prefix).
fn run(docs: &str, renames: &[(usize, &str, Option<&str>)]) -> Result<Vec<Resource>, String> {
    let mut m = ResMap::new();
    for r in from_bytes(docs).map_err(|e| e.to_string())? {
        m.append(r).map_err(|e| e.to_string())?;
    }
    for (i, new, prefix) in renames {
        rename(&mut m.resources_mut()[*i], new, *prefix);
    }
    fix_references(&mut m, &default_back_refs()).map_err(|e| e.to_string())?;
    Ok(m.take())
}

fn at<'a>(r: &'a Resource, path: &[&str]) -> &'a str {
    r.node.get_str(path).unwrap_or("<missing>")
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";

#[test]
fn scalar_references_follow_renames() {
    let deploy = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      volumes:\n      - name: v\n        configMap:\n          name: cm\n      - name: w\n        configMap:\n          name: other\n";
    let out = run(&format!("{CM}{deploy}"), &[(0, "cm-abc", None)]).expect("fixes");
    let vols = out[1]
        .node
        .get_path(&["spec", "template", "spec", "volumes"])
        .expect("volumes")
        .items();
    assert_eq!(vols[0].get_str(&["configMap", "name"]), Some("cm-abc"));
    assert_eq!(vols[1].get_str(&["configMap", "name"]), Some("other"));
}

#[test]
fn references_need_a_previous_name_and_kind() {
    // A Secret named cm is not what a configMap volume names.
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cm\n";
    let pod = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - configMap:\n      name: cm\n";
    let out = run(&format!("{secret}{pod}"), &[(0, "x-cm", Some("x-"))]).expect("runs");
    let vols = out[1].node.get_path(&["spec", "volumes"]).expect("volumes");
    assert_eq!(vols.items()[0].get_str(&["configMap", "name"]), Some("cm"));
}

#[test]
fn namespaces_separate_candidates() {
    let docs = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: b\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: b\nspec:\n  volumes:\n  - configMap:\n      name: cm\n";
    let out = run(docs, &[(0, "cm-a", None), (1, "cm-b", None)]).expect("fixes");
    let vols = out[2].node.get_path(&["spec", "volumes"]).expect("volumes");
    assert_eq!(
        vols.items()[0].get_str(&["configMap", "name"]),
        Some("cm-b")
    );
}

#[test]
fn ambiguous_references_fail() {
    let docs = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: b\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n- resourceNames: [cm]\n";
    let err = run(docs, &[(0, "cm-a", None), (1, "cm-b", None)]).err();
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("found multiple possible referrals")),
        "{err:?}"
    );
}

#[test]
fn prefixes_break_ties() {
    let docs = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: b\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n- resourceNames: [cm]\n";
    let mut m = ResMap::new();
    for r in from_bytes(docs).expect("reads") {
        m.append(r).expect("appends");
    }
    let rs = m.resources_mut();
    rename(&mut rs[0], "p-cm", Some("p-"));
    rename(&mut rs[1], "q-cm", Some("q-"));
    rename(&mut rs[2], "q-r", Some("q-"));
    fix_references(&mut m, &default_back_refs()).expect("fixes");
    let rules = m.resources()[2].node.get("rules").expect("rules");
    assert_eq!(
        rules.items()[0]
            .get("resourceNames")
            .map(|n| n.items()[0].scalar()),
        Some(Some("q-cm"))
    );
}

#[test]
fn subjects_get_name_and_namespace() {
    let docs = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: ns\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: other\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: role\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: ns\n";
    let out = run(docs, &[(0, "p-sa", Some("p-"))]).expect("fixes");
    let subject = &out[1].node.get("subjects").expect("subjects").items()[0];
    assert_eq!(subject.get_str(&["name"]), Some("p-sa"));
    assert_eq!(subject.get_str(&["namespace"]), Some("ns"));
}

#[test]
fn role_refs_check_kind() {
    let docs = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r\n";
    let out = run(docs, &[(0, "role-r", None), (1, "cluster-r", None)]).expect("fixes");
    assert_eq!(at(&out[2], &["roleRef", "name"]), "cluster-r");
}

#[test]
fn tie_rules() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases: &[(&[&str], &[&str], bool)] = &[
        (&[], &[], true),
        (&["a"], &[], false),
        (&["a", "b"], &["b"], true),
        (&["a", "b"], &["a"], false),
    ];
    for (a, b, want) in cases {
        assert_eq!(same_ending(&s(a), &s(b)), *want, "{a:?} {b:?}");
    }
}

#[test]
fn bad_paths_fail_like_kustomize() {
    // A ServiceAccount whose imagePullSecrets holds strings cannot be walked.
    let docs =
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\nimagePullSecrets: [a]\n";
    assert!(run(docs, &[]).is_err());
    // A subjects entry without a name is a configuration error.
    let rb = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nsubjects:\n- kind: User\n";
    assert!(run(rb, &[]).is_err());
}
