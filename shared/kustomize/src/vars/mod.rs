//! Legacy `vars`: `$(NAME)` in the var-reference fields replaced by a field of an
//! object, as kustomize does after names are final (`ResolveVars`).
//!
//! Each kustomization's vars are merged when its accumulation ends ([`merge_vars`]:
//! the object a var refers to is found then, by any of its ids); the top build then
//! reads every value and expands the references ([`resolve`]).

mod expand;

use std::collections::BTreeMap;

pub use expand::{Mapping, VarValue, expand};

use crate::kustomization::{FieldSpec, Var};
use crate::resid::{Gvk, ResId};
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::transform::fieldspec;
use crate::yaml::resolve::{BOOL_TAG, FLOAT_TAG, INT_TAG, STR_TAG};
use crate::yaml::{Content, Node};

/// Why vars cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VarError {
    #[error("var '{0}' already encountered")]
    Duplicate(String),
    #[error("found {1} resId matches for var {0} (unable to disambiguate)")]
    Ambiguous(String, usize),
    #[error("var '{0}' cannot be mapped to a field in the set of known resources")]
    Unmapped(String),
    #[error("field specified in var '{0}' not found in corresponding resource")]
    NoField(String),
    #[error("{0}")]
    Field(String),
}

/// A var and the object it was bound to when its kustomization was accumulated.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundVar {
    pub var: Var,
    pub target: Option<ResId>,
}

fn objref_gvk(v: &Var) -> Gvk {
    let o = &v.objref;
    if o.api_version.is_empty() {
        Gvk::new(&o.group, &o.version, &o.kind)
    } else {
        Gvk::from_api_version(&o.api_version, &o.kind)
    }
}

fn all_ids(r: &Resource) -> impl Iterator<Item = ResId> + '_ {
    r.previous_ids
        .iter()
        .cloned()
        .chain(std::iter::once(r.cur_id()))
}

/// kustomize's `MergeVars`: binds each var to the one object it names (by gvk and
/// name, and namespace when given), then adds it to `set`, refusing a name twice.
pub fn merge_vars(
    set: &mut Vec<BoundVar>,
    resources: &ResMap,
    vars: &[Var],
) -> Result<(), VarError> {
    let mut bound = Vec::new();
    for v in vars {
        let id = ResId::new(objref_gvk(v), &v.objref.name, &v.objref.namespace);
        let exact = !id.namespace.is_empty() || id.gvk.is_cluster_scoped();
        let matches = |other: &ResId| {
            other.gvk == id.gvk && other.name == id.name && (!exact || other.same_object(&id))
        };
        let found: Vec<&Resource> = resources
            .resources()
            .iter()
            .filter(|r| all_ids(r).any(|i| matches(&i)))
            .collect();
        if found.len() > 1 {
            return Err(VarError::Ambiguous(v.name.clone(), found.len()));
        }
        bound.push(BoundVar {
            var: v.clone(),
            target: found.first().map(|r| r.cur_id()),
        });
    }
    merge_set(set, bound)
}

/// Adds vars of a nested kustomization, refusing a name twice.
pub fn merge_set(set: &mut Vec<BoundVar>, incoming: Vec<BoundVar>) -> Result<(), VarError> {
    for b in incoming {
        if set.iter().any(|s| s.var.name == b.var.name) {
            return Err(VarError::Duplicate(b.var.name));
        }
        set.push(b);
    }
    Ok(())
}

/// kyaml's `GetFieldValue` path: dots, with `name[0]` read as `name`, `0`.
fn field_path(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        if let Some((name, idx)) = part
            .strip_suffix(']')
            .and_then(|p| p.rsplit_once('['))
            .filter(|(_, i)| !i.is_empty() && i.chars().all(|c| c.is_ascii_digit()))
        {
            if !name.is_empty() {
                out.push(name.to_string());
            }
            out.push(idx.to_string());
        } else {
            out.push(part.to_string());
        }
    }
    out
}

fn field_value(node: &Node, path: &str) -> Option<VarValue> {
    let parts = field_path(path);
    let found = crate::replace::path::lookup(node, &parts).ok().flatten()?;
    let text = match &found.content {
        Content::Scalar(s) => s.as_str(),
        _ => return Some(VarValue::Other),
    };
    let tag = if found.is_indicated_string() {
        STR_TAG
    } else {
        found.tag.as_str()
    };
    Some(match tag {
        INT_TAG => VarValue::Int(text.parse().ok()?),
        FLOAT_TAG => VarValue::Float(text.parse().ok()?),
        BOOL_TAG => VarValue::Bool(match text {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
            "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
            _ => return None,
        }),
        _ => VarValue::Str(text.to_string()),
    })
}

fn values(resources: &ResMap, set: &[BoundVar]) -> Result<BTreeMap<String, VarValue>, VarError> {
    let mut out = BTreeMap::new();
    let mut sorted: Vec<&BoundVar> = set.iter().collect();
    sorted.sort_by(|a, b| a.var.name.cmp(&b.var.name));
    for b in sorted {
        let name = &b.var.name;
        let target = b.target.as_ref().and_then(|t| {
            resources
                .resources()
                .iter()
                .find(|r| all_ids(r).any(|i| i.same_object(t)))
        });
        let r = target.ok_or_else(|| VarError::Unmapped(name.clone()))?;
        let path = if b.var.fieldref.field_path.is_empty() {
            "metadata.name"
        } else {
            &b.var.fieldref.field_path
        };
        let v = field_value(&r.node, path).ok_or_else(|| VarError::NoField(name.clone()))?;
        out.insert(name.clone(), v);
    }
    Ok(out)
}

/// kustomize's `ResolveVars`: expands `$(NAME)` in every var-reference field.
pub fn resolve(
    resources: &mut ResMap,
    set: &[BoundVar],
    specs: &[FieldSpec],
) -> Result<(), VarError> {
    let values = values(resources, set)?;
    if values.is_empty() {
        return Ok(());
    }
    let mut mapping = Mapping {
        values: &values,
        counts: BTreeMap::new(),
    };
    for r in resources.resources_mut() {
        for spec in specs {
            let mut set = |n: &mut Node| set_node(n, &mut mapping);
            fieldspec::apply(&mut r.node, spec, None, &mut set)
                .map_err(|e| VarError::Field(e.to_string()))?;
        }
    }
    Ok(())
}

fn is_string(n: &Node) -> bool {
    matches!(n.content, Content::Scalar(_)) && (n.tag == STR_TAG || n.is_indicated_string())
}

/// refvar's `updateNodeValue`.
fn update(n: &mut Node, v: VarValue) {
    let (text, tag) = match v {
        VarValue::Int(i) => (i.to_string(), INT_TAG),
        VarValue::Bool(b) => (b.to_string(), BOOL_TAG),
        VarValue::Float(f) => (format!("{f}"), FLOAT_TAG),
        VarValue::Str(s) => (s, STR_TAG),
        VarValue::Other => return,
    };
    n.content = Content::Scalar(text);
    n.tag = tag.to_string();
    n.style = crate::yaml::Style::Plain;
    n.tagged = false;
}

fn set_node(n: &mut Node, m: &mut Mapping<'_>) -> Result<(), String> {
    if n.is_null() {
        return Ok(());
    }
    if let Content::Scalar(s) = &n.content {
        if is_string(n) {
            let v = expand(&s.clone(), m);
            update(n, v);
        }
        return Ok(());
    }
    match &mut n.content {
        Content::Scalar(_) => Ok(()),
        Content::Mapping(entries) => {
            for (k, v) in entries {
                if !is_string(k) {
                    return Err(format!(
                        "invalid map key: value='{}', tag='{}'",
                        k.scalar().unwrap_or_default(),
                        k.tag
                    ));
                }
                if is_string(v) {
                    let text = v.scalar().unwrap_or_default().to_string();
                    update(v, expand(&text, m));
                }
            }
            Ok(())
        }
        Content::Sequence(items) => {
            for item in items {
                if !is_string(item) {
                    return Err("invalid value type expect a string".into());
                }
                let text = item.scalar().unwrap_or_default().to_string();
                update(item, expand(&text, m));
            }
            Ok(())
        }
    }
}

fn spec(kind: &str, path: &str) -> FieldSpec {
    FieldSpec {
        group: String::new(),
        version: String::new(),
        kind: kind.into(),
        path: path.into(),
        create_if_not_present: false,
    }
}

/// kustomize's default `varReference` field specs.
pub fn default_var_reference() -> Vec<FieldSpec> {
    let pod = |prefix: &str, kind: &str, out: &mut Vec<FieldSpec>| {
        for c in ["containers", "initContainers"] {
            for f in ["args", "command", "env/value", "volumeMounts/mountPath"] {
                out.push(spec(kind, &format!("{prefix}/{c}/{f}")));
            }
        }
    };
    let mut out = Vec::new();
    pod("spec/jobTemplate/spec/template/spec", "CronJob", &mut out);
    out.push(spec(
        "CronJob",
        "spec/jobTemplate/spec/template/volumes/nfs/server",
    ));
    for kind in ["DaemonSet", "Deployment"] {
        pod("spec/template/spec", kind, &mut out);
        out.push(spec(kind, "spec/template/spec/volumes/nfs/server"));
    }
    out.push(spec("Deployment", "spec/template/metadata/annotations"));
    out.push(spec("Ingress", "spec/rules/host"));
    out.push(spec("Ingress", "spec/tls/hosts"));
    out.push(spec("Ingress", "spec/tls/secretName"));
    pod("spec/template/spec", "Job", &mut out);
    out.push(spec("Job", "spec/template/spec/volumes/nfs/server"));
    pod("spec", "Pod", &mut out);
    out.push(spec("Pod", "spec/volumes/nfs/server"));
    pod("spec/template/spec", "ReplicaSet", &mut out);
    out.push(spec("ReplicaSet", "spec/template/spec/volumes/nfs/server"));
    out.push(spec("Service", "spec/ports/port"));
    out.push(spec("Service", "spec/ports/targetPort"));
    pod("spec/template/spec", "StatefulSet", &mut out);
    out.push(spec(
        "StatefulSet",
        "spec/volumeClaimTemplates/spec/nfs/server",
    ));
    out.push(spec("PersistentVolume", "spec/nfs/server"));
    out.push(spec("", "metadata/labels"));
    out.push(spec("", "metadata/annotations"));
    out
}
