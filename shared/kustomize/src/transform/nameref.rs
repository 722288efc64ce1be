//! Name reference fixing (kustomize's nameReferenceTransformer and nameref filter):
//! after renames, every field that names a renamed object is given its new name.
//!
//! Candidates for a reference are the objects that once had the referenced name
//! (`previous_ids`), of the right kind, reachable from the referrer's namespace; ties
//! are broken by the prefixes and suffixes both sides received.

use super::config::NameBackReference;
use super::fieldspec;
use super::prefix::replace_scalar;
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{FieldSpec, Kustomization};
use crate::resid::{Gvk, ResId};
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::yaml::{Content, Node};

/// What the filter needs to know of a possible referral target.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub name: String,
    pub namespace: String,
    pub kind: String,
    pub cur_id: ResId,
    pub orig_id: ResId,
    pub previous_ids: Vec<ResId>,
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
    /// Cached: cluster-scoped, and the effective current and original namespaces.
    pub cluster: bool,
    pub eff_ns: String,
    pub orig_eff_ns: String,
}

impl Candidate {
    pub fn of(r: &Resource) -> Candidate {
        let cur_id = r.cur_id();
        let orig_id = r.orig_id();
        Candidate {
            cluster: cur_id.gvk.is_cluster_scoped(),
            eff_ns: cur_id.effective_namespace().to_string(),
            orig_eff_ns: orig_id.effective_namespace().to_string(),
            name: r.name(),
            namespace: r.namespace(),
            kind: r.kind(),
            cur_id,
            orig_id,
            previous_ids: r.previous_ids.clone(),
            prefixes: r.prefixes.clone(),
            suffixes: r.suffixes.clone(),
        }
    }
}

/// kustomize's `SameEndingSubSlice`.
pub fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() > b.len() { (b, a) } else { (a, b) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

fn affixes_equal(a: &Candidate, b: &Candidate, allow_empty: bool) -> bool {
    let pre_empty = a.prefixes.is_empty() || b.prefixes.is_empty();
    let suf_empty = a.suffixes.is_empty() || b.suffixes.is_empty();
    let pre = same_ending(&a.prefixes, &b.prefixes);
    let suf = same_ending(&a.suffixes, &b.suffixes);
    if allow_empty {
        (pre_empty || pre) && (suf_empty || suf)
    } else {
        pre && suf
    }
}

/// One reference field of one referrer, and the objects it may name.
pub struct RefFilter<'a> {
    pub referrer: &'a Candidate,
    /// The referrer's roleRef group and kind, when it has both.
    pub role_ref: Option<Gvk>,
    pub spec: &'a FieldSpec,
    pub target: &'a Gvk,
    pub candidates: &'a [&'a Candidate],
}

fn identical_names(c: &[&Candidate]) -> bool {
    c.iter().all(|x| x.name == c[0].name)
}

fn identical_names_and_namespaces(c: &[&Candidate]) -> bool {
    c.iter()
        .all(|x| x.name == c[0].name && x.namespace == c[0].namespace)
}

impl<'a> RefFilter<'a> {
    /// kustomize's `selectReferral`: the one object `old` names, `None` when none,
    /// an error when several different ones could be meant.
    pub fn select(
        &self,
        old: &str,
        pool: Vec<&'a Candidate>,
        identical: fn(&[&Candidate]) -> bool,
    ) -> Result<Option<&'a Candidate>, String> {
        let mut c: Vec<&Candidate> = pool
            .into_iter()
            .filter(|c| c.previous_ids.iter().any(|id| id.name == old))
            .filter(|c| {
                c.previous_ids
                    .iter()
                    .any(|id| id.gvk.is_selected_by(self.target))
            })
            .collect();
        if self.spec.path.ends_with("roleRef/name")
            && let Some(g) = &self.role_ref
        {
            c.retain(|c| c.previous_ids.iter().any(|id| id.gvk.is_selected_by(g)));
        }
        let referrer = self.referrer;
        if !referrer.cluster {
            c.retain(|c| c.cluster || c.kind == "ServiceAccount" || c.eff_ns == referrer.eff_ns);
        }
        if c.len() == 1 {
            return Ok(Some(c[0]));
        }
        c.retain(|c| affixes_equal(c, self.referrer, true));
        if c.len() > 1 {
            c.retain(|c| affixes_equal(c, self.referrer, false));
        }
        match c.len() {
            0 => Ok(None),
            1 => Ok(Some(c[0])),
            _ if identical(&c) => Ok(Some(c[0])),
            _ => {
                let ids: Vec<String> = c.iter().map(|c| c.cur_id.to_string()).collect();
                Err(format!(
                    "found multiple possible referrals: {}",
                    ids.join(", ")
                ))
            }
        }
    }

    fn set(&self, node: &mut Node) -> Result<(), String> {
        if node.is_null() {
            return Ok(());
        }
        match &mut node.content {
            Content::Scalar(_) => self.set_scalar(node),
            Content::Mapping(_) => self.set_mapping(node),
            Content::Sequence(items) => {
                for item in items.iter_mut() {
                    if item.is_null() {
                        continue;
                    }
                    match item.content {
                        Content::Scalar(_) => self.set_scalar(item)?,
                        Content::Mapping(_) => self.set_mapping(item)?,
                        Content::Sequence(_) => {
                            return Err("expected to be either a string or a map of string".into());
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn set_scalar(&self, node: &mut Node) -> Result<(), String> {
        let old = node.scalar().unwrap_or_default().to_string();
        let pool = self.candidates.to_vec();
        match self.select(&old, pool, identical_names)? {
            Some(r) if r.name != old => replace_scalar(node, &r.name),
            _ => Ok(()),
        }
    }

    /// Candidates for a `{name, namespace}` map: those of the namespace it names, by
    /// original namespace first, then by current one.
    fn by_namespace(&self, ns: &str) -> Vec<&'a Candidate> {
        let of = |f: fn(&Candidate) -> &str| -> Vec<&'a Candidate> {
            self.candidates
                .iter()
                .copied()
                .filter(|c| !c.cluster && f(c) == ns)
                .collect()
        };
        let orig = of(|c| &c.orig_eff_ns);
        if !orig.is_empty() {
            return orig;
        }
        of(|c| &c.eff_ns)
    }

    fn set_mapping(&self, node: &mut Node) -> Result<(), String> {
        let Some(name_node) = node.get("name") else {
            return Err("path config error; no 'name' field in node".into());
        };
        let old = name_node.scalar().unwrap_or_default().to_string();
        let pool = match node.get("namespace") {
            None => self.candidates.to_vec(),
            Some(ns) => self.by_namespace(ns.scalar().unwrap_or_default()),
        };
        let Some(r) = self.select(&old, pool, identical_names_and_namespaces)? else {
            return Ok(());
        };
        if r.name == old && r.namespace.is_empty() {
            return Ok(());
        }
        node.set("name", Node::plain(r.name.clone()));
        if !r.namespace.is_empty() {
            node.set("namespace", Node::plain(r.namespace.clone()));
        }
        Ok(())
    }
}

/// The namespaces of ServiceAccount subjects of a RoleBinding.
fn role_binding_namespaces(r: &Resource) -> Vec<String> {
    if r.kind() != "RoleBinding" {
        return Vec::new();
    }
    let Some(subjects) = r.node.get("subjects") else {
        return Vec::new();
    };
    subjects
        .items()
        .iter()
        .filter(|s| s.get_str(&["kind"]) == Some("ServiceAccount"))
        .filter_map(|s| s.get_str(&["namespace"]).map(str::to_string))
        .collect()
}

/// kustomize's `SubsetThatCouldBeReferencedByResource`.
fn reachable<'a>(r: &Resource, me: &Candidate, all: &'a [Candidate]) -> Vec<&'a Candidate> {
    if me.cluster {
        return all.iter().collect();
    }
    let rb = role_binding_namespaces(r);
    all.iter()
        .filter(|c| c.cluster || c.eff_ns == me.eff_ns || rb.contains(&c.namespace))
        .collect()
}

fn role_ref_gvk(node: &Node) -> Option<Gvk> {
    let rr = node.get("roleRef")?;
    let group = rr.get("apiGroup")?.scalar()?;
    let kind = rr.get("kind")?.scalar()?;
    Some(Gvk::new(group, "", kind))
}

/// Fixes every reference in `resources` using the back references `table`.
pub fn fix_references(
    resources: &mut ResMap,
    table: &[NameBackReference],
) -> Result<(), BuildError> {
    let all: Vec<Candidate> = resources.resources().iter().map(Candidate::of).collect();
    let targets: Vec<(Gvk, &[FieldSpec])> = table
        .iter()
        .map(|b| (b.gvk(), b.referrers.as_slice()))
        .collect();
    for (i, r) in resources.resources_mut().iter_mut().enumerate() {
        let org = all[i].orig_id.gvk.clone();
        let pairs: Vec<(&FieldSpec, &Gvk)> = targets
            .iter()
            .flat_map(|(gvk, referrers)| referrers.iter().map(move |s| (s, gvk)))
            .filter(|(s, _)| org.is_selected_by(&Gvk::new(&s.group, &s.version, &s.kind)))
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let candidates = reachable(r, &all[i], &all);
        let role_ref = role_ref_gvk(&r.node);
        for (spec, target) in pairs {
            let f = RefFilter {
                referrer: &all[i],
                role_ref: role_ref.clone(),
                spec,
                target,
                candidates: &candidates,
            };
            // The spec's own gvk is replaced by the referrer's, so it always applies.
            let any = FieldSpec {
                path: spec.path.clone(),
                ..FieldSpec::default()
            };
            let mut set = |n: &mut Node| f.set(n);
            fieldspec::apply(&mut r.node, &any, None, &mut set).map_err(|e| {
                BuildError::Invalid(format!(
                    "updating name reference in '{}' field of '{}': {e}",
                    spec.path, all[i].cur_id
                ))
            })?;
        }
    }
    Ok(())
}

/// The final step that fixes name references with the accumulated configuration's
/// `nameReference` table (kustomize's defaults plus `configurations` and `crds`).
pub struct NameReference;

impl Transformer for NameReference {
    fn field(&self) -> &'static str {
        "nameReference"
    }

    fn applies(&self, _: &Kustomization) -> bool {
        true
    }

    fn transform(&self, _: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let table = resources.config.name_reference.clone();
        fix_references(resources, &table)
    }
}

#[cfg(test)]
#[path = "nameref_tests.rs"]
mod tests;
