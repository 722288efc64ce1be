//! Splitting, hook separation and kind ordering, case by case.

use std::collections::BTreeMap;

use super::*;

#[test]
fn split_drops_empty_documents_and_leading_space() {
    let cases: &[(&str, &[&str])] = &[
        ("a: 1\n---\nb: 2\n", &["a: 1", "b: 2"]),
        ("---\na: 1", &["a: 1"]),
        // The separator swallows the blank lines after it, so a second `---` stays in the text.
        ("\n\n  a: 1\n---   \n\n---\nb: 2", &["a: 1", "---\nb: 2"]),
        ("a: 1\n---apiVersion: v1", &["a: 1", "apiVersion: v1"]),
        ("   \n", &[]),
        ("a: |\n  x---y\n", &["a: |\n  x---y"]),
    ];
    for (input, want) in cases {
        assert_eq!(split_manifests(input), *want, "input {input:?}");
    }
}

#[test]
fn kinds_sort_in_install_order_unknown_last_alphabetically() {
    let mut kinds = vec![
        "Zeta",
        "Deployment",
        "Alpha",
        "Service",
        "Namespace",
        "Deployment",
        "ConfigMap",
    ];
    sort_by_kind(&mut kinds, INSTALL_ORDER, |k| k);
    assert_eq!(
        kinds,
        [
            "Namespace",
            "ConfigMap",
            "Service",
            "Deployment",
            "Deployment",
            "Alpha",
            "Zeta"
        ]
    );
}

fn doc(kind: &str, name: &str, annotations: &str) -> String {
    format!(
        "apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n{annotations}"
    )
}

#[test]
fn hooks_are_separated_with_weights_and_policies() {
    let mut files = BTreeMap::new();
    files.insert(
        "c/templates/a.yaml".to_string(),
        format!(
            "{}\n---\n{}\n---\n{}",
            doc("Job", "migrate", "    helm.sh/hook: pre-install, Pre-Upgrade\n    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n"),
            doc("Pod", "test", "    helm.sh/hook: test\n    helm.sh/hook-weight: x\n"),
            doc("ConfigMap", "odd", "    helm.sh/hook: nonsense\n"),
        ),
    );
    files.insert(
        "c/templates/b.yaml".to_string(),
        doc("Service", "svc", "    a: b\n"),
    );
    files.insert("c/templates/_p.tpl".to_string(), "kind: Secret".to_string());
    files.insert("c/templates/empty.yaml".to_string(), " \n".to_string());
    let (hooks, manifests) = sort_manifests(&files).unwrap();
    assert_eq!(manifests.len(), 1);
    assert_eq!(manifests[0].head.kind, "Service");
    assert_eq!(hooks.len(), 2, "the unknown hook type is dropped");
    assert_eq!(hooks[0].kind, "Pod");
    assert!(hooks[0].is_test());
    assert_eq!(hooks[0].weight, 0);
    assert_eq!(hooks[1].name, "migrate");
    assert_eq!(
        hooks[1].events,
        [HookEvent::PreInstall, HookEvent::PreUpgrade]
    );
    assert_eq!(hooks[1].weight, -5);
    assert_eq!(
        hooks[1].delete_policies,
        ["before-hook-creation", "hook-succeeded"]
    );
}

#[test]
fn unparsable_documents_name_the_file() {
    let mut files = BTreeMap::new();
    files.insert("c/templates/x.yaml".to_string(), "kind: [a\n".to_string());
    let e = sort_manifests(&files).unwrap_err();
    assert!(
        e.starts_with("YAML parse error on c/templates/x.yaml: "),
        "{e}"
    );
    files.insert("c/templates/x.yaml".to_string(), "kind: 5\n".to_string());
    let e = sort_manifests(&files).unwrap_err();
    assert!(
        e.contains("cannot unmarshal number into Go struct field SimpleHead.kind of type string"),
        "{e}"
    );
}

/// Heads decoded beside rendering give what decoding afterwards gives, the first bad
/// document in path order included, and a render that fails still ends the helper.
#[test]
fn prefetched_heads_match_decoding_afterwards() {
    let mut files = BTreeMap::new();
    for i in 0..200 {
        let text = match i {
            70 => "kind: [a\n".to_string(),
            150 => "kind: 5\n".to_string(),
            _ => format!("kind: ConfigMap\nmetadata:\n  name: c{i}\n---\nkind: Service\n"),
        };
        files.insert(format!("c/templates/f{i:03}.yaml"), text);
    }
    let (pushed, decoded) = render_with_prefetch(|p| {
        for (path, text) in files.iter().rev() {
            p.push(path, text);
        }
        files.len()
    });
    assert_eq!(pushed, 200);
    assert_eq!(decoded.len(), 200);
    let want = sort_manifests(&files).unwrap_err();
    assert!(
        want.starts_with("YAML parse error on c/templates/f070.yaml: "),
        "{want}"
    );
    assert_eq!(sort_prefetched(&files, decoded).unwrap_err(), want);
    files.remove("c/templates/f070.yaml");
    files.remove("c/templates/f150.yaml");
    let (_, decoded) = render_with_prefetch(|p| {
        for (path, text) in &files {
            p.push(path, text);
        }
    });
    let (_, plain) = sort_manifests(&files).unwrap();
    let (_, fetched) = sort_prefetched(&files, decoded).unwrap();
    assert_eq!(plain.len(), 396);
    assert_eq!(plain, fetched);
    // A render that stops early (or panics) closes the queue, so this returns.
    let (out, decoded) = render_with_prefetch(|p| {
        p.push("c/templates/a.yaml", "kind: A\n");
        Err::<(), _>("template failed")
    });
    assert_eq!(out, Err("template failed"));
    assert!(decoded.len() <= 1);
}
