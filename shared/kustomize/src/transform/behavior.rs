//! How a generated resource meets the resources accumulated so far (kustomize's
//! `AbsorbAll`): `create` adds it, `merge` and `replace` take the place of the one
//! object with its id, keeping that object's name, namespace and rename history.

use std::collections::BTreeMap;

use crate::build::BuildError;
use crate::resmap::ResMap;
use crate::resource::{Behavior, Resource};
use crate::yaml::{Node, Style};

/// Absorbs generated resources one by one.
pub fn absorb(ra: &mut ResMap, made: Vec<Resource>) -> Result<(), BuildError> {
    made.into_iter().try_for_each(|r| absorb_one(ra, r))
}

fn absorb_one(ra: &mut ResMap, mut res: Resource) -> Result<(), BuildError> {
    let id = res.cur_id();
    let matches: Vec<usize> = ra
        .resources()
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.previous_ids
                .iter()
                .chain(std::iter::once(&r.cur_id()))
                .any(|x| x.same_object(&id))
        })
        .map(|(i, _)| i)
        .collect();
    match (matches.as_slice(), res.behavior) {
        ([], Behavior::Create) => Ok(ra.append(res)?),
        ([], _) => Err(BuildError::Invalid(format!(
            "id {id} does not exist; cannot merge or replace"
        ))),
        ([_], Behavior::Create) => Err(BuildError::Invalid(format!(
            "id {id} exists; behavior must be merge or replace"
        ))),
        ([i], behavior) => {
            let old = &ra.resources()[*i];
            copy_merge_meta(&mut res, old);
            if behavior == Behavior::Merge {
                for field in ["data", "binaryData"] {
                    let mut merged = string_map(&old.node, field);
                    merged.extend(string_map(&res.node, field));
                    set_data(&mut res.node, field, &merged);
                }
            }
            ra.resources_mut()[*i] = res;
            Ok(())
        }
        (_, _) => Err(BuildError::Invalid(format!(
            "found multiple objects that could accept merge of {id}"
        ))),
    }
}

/// A map field as kyaml's `GetDataMap` reads it: scalar texts, "" for the rest.
fn string_map(node: &Node, field: &str) -> BTreeMap<String, String> {
    node.get(field)
        .map(|m| {
            m.entries()
                .iter()
                .map(|(k, v)| {
                    let text = if v.is_null() {
                        ""
                    } else {
                        v.scalar().unwrap_or_default()
                    };
                    (k.scalar().unwrap_or_default().to_string(), text.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// kyaml's `SetDataMap`: the field dropped, then written again when not empty.
fn set_data(node: &mut Node, field: &str, m: &BTreeMap<String, String>) {
    node.remove(field);
    if m.is_empty() {
        return;
    }
    let mut map = Node::mapping();
    for (k, v) in m {
        let mut n = Node::string(v.clone());
        if v.contains('\n') {
            n.style = Style::Literal;
        }
        map.set(k, n);
    }
    node.set(field, map);
}

/// Writes a metadata string map as kyaml's `setMapInMetadata`: dropped when empty.
fn set_meta_map(node: &mut Node, field: &str, m: &BTreeMap<String, String>) {
    if let Some(meta) = node.get_mut("metadata") {
        meta.remove(field);
    }
    if m.is_empty() {
        return;
    }
    if let Some(target) = node.ensure_mapping(&["metadata", field]) {
        for (k, v) in m {
            target.set(k, Node::string(v.clone()));
        }
    }
}

/// kustomize's `CopyMergeMetaDataFieldsFrom`: labels and annotations merged (the new
/// ones win), name and namespace and build bookkeeping taken from the old object.
fn copy_merge_meta(res: &mut Resource, old: &Resource) {
    let mut labels: BTreeMap<String, String> = old.labels().into_iter().collect();
    labels.extend(res.labels());
    set_meta_map(&mut res.node, "labels", &labels);
    let mut ann: BTreeMap<String, String> = old.annotations().into_iter().collect();
    ann.extend(res.annotations());
    set_meta_map(&mut res.node, "annotations", &ann);
    res.set_name(&old.name());
    let ns = old.namespace();
    if ns.is_empty() {
        if let Some(meta) = res.node.get_mut("metadata") {
            meta.remove("namespace");
        }
    } else if let Some(meta) = res.node.ensure_mapping(&["metadata"]) {
        meta.set("namespace", Node::plain(ns));
    }
    res.needs_hash = res.needs_hash && old.needs_hash;
    res.behavior = old.behavior;
    res.previous_ids = old.previous_ids.clone();
    res.prefixes = old.prefixes.clone();
    res.suffixes = old.suffixes.clone();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::from_bytes;

    fn res(yaml: &str, behavior: Behavior, needs_hash: bool) -> Resource {
        let mut r = from_bytes(yaml).expect("reads").remove(0);
        r.behavior = behavior;
        r.needs_hash = needs_hash;
        r
    }

    const OLD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ns\n  labels: {a: old, b: old}\ndata: {x: '1', y: '2'}\n";
    const NEW: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ns\n  labels: {b: new}\ndata: {y: '20', z: '3'}\n";

    type Pairs = Vec<(String, String)>;

    fn data(r: &Resource) -> Pairs {
        r.node.get("data").map(Node::string_map).unwrap_or_default()
    }

    #[test]
    fn behaviors() {
        let pairs = |v: &[(&str, &str)]| -> Pairs {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let cases: &[(Behavior, bool, Result<Pairs, &str>)] = &[
            (
                Behavior::Merge,
                true,
                Ok(pairs(&[("x", "1"), ("y", "20"), ("z", "3")])),
            ),
            (
                Behavior::Replace,
                true,
                Ok(pairs(&[("y", "20"), ("z", "3")])),
            ),
            (
                Behavior::Create,
                true,
                Err("behavior must be merge or replace"),
            ),
            (Behavior::Merge, false, Err("does not exist")),
        ];
        for (behavior, with_old, want) in cases {
            let mut ra = ResMap::new();
            if *with_old {
                ra.append(res(OLD, Behavior::Create, false))
                    .expect("appends");
            }
            let got = absorb(&mut ra, vec![res(NEW, *behavior, true)]);
            match (got, want) {
                (Ok(()), Ok(d)) => {
                    let r = &ra.resources()[0];
                    assert_eq!(&data(r), d, "{behavior:?}");
                    assert_eq!(r.labels(), pairs(&[("a", "old"), ("b", "new")]));
                    assert!(!r.needs_hash, "a plain old object keeps its name");
                    assert_eq!(ra.len(), 1);
                }
                (Err(e), Err(w)) => assert!(e.to_string().contains(w), "{e}"),
                (got, _) => panic!("{behavior:?}: {got:?}"),
            }
        }
    }
}
