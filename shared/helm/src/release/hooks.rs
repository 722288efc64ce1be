//! Helm's `SortManifests`: each rendered document becomes a plain [`Manifest`] or, when its
//! `helm.sh/hook` annotation names known events, a [`Hook`] with weight and policies.

use std::collections::{BTreeMap, HashMap};

use super::prefetch::FileHeads;
use super::sort::{INSTALL_ORDER, sort_by_kind};
use super::split::split_manifests;
use super::{Head, Manifest};
use crate::template::Value;

pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";
pub const HOOK_OUTPUT_LOG_ANNOTATION: &str = "helm.sh/hook-output-log-policy";

/// When a hook runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    /// Helm's spelling (`pre-install`, `test`, ...); `test-success` reads as `test`.
    pub fn parse(s: &str) -> Option<HookEvent> {
        Some(match s {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

/// A hook document (Helm's `release.Hook`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    pub name: String,
    pub kind: String,
    /// The template path it came from.
    pub path: String,
    pub manifest: String,
    pub events: Vec<HookEvent>,
    pub weight: i32,
    /// `before-hook-creation`, `hook-succeeded`, `hook-failed`, lower-cased as given.
    pub delete_policies: Vec<String>,
    pub output_log_policies: Vec<String>,
}

impl Hook {
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// Splits rendered files (path → text) into hooks and manifests, each sorted by kind. Files
/// are taken in path order, partials (`_*`) and blank files skipped.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
) -> Result<(Vec<Hook>, Vec<Manifest>), String> {
    sort_prefetched(files, HashMap::new())
}

/// [`sort_manifests`] with the heads already decoded for some files (by path); the other
/// files are decoded here. Errors are those of the first bad document in path order.
pub fn sort_prefetched(
    files: &BTreeMap<String, String>,
    mut decoded: HashMap<String, FileHeads>,
) -> Result<(Vec<Hook>, Vec<Manifest>), String> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        let docs = decoded.remove(path).unwrap_or_else(|| decode_file(content));
        for (doc, head) in docs {
            let head = head.map_err(|e| format!("YAML parse error on {path}: {e}"))?;
            match hook_of(path, doc, head) {
                Sorted::Hook(h) => hooks.push(h),
                Sorted::Manifest(m) => generic.push(m),
                Sorted::Dropped => {}
            }
        }
    }
    sort_by_kind(&mut hooks, INSTALL_ORDER, |h| h.kind.as_str());
    sort_by_kind(&mut generic, INSTALL_ORDER, |m| m.head.kind.as_str());
    Ok((hooks, generic))
}

/// Each document of a rendered file with its head.
pub(super) fn decode_file(content: &str) -> FileHeads {
    split_manifests(content)
        .into_iter()
        .map(|doc| {
            let head = parse_head(&doc);
            (doc, head)
        })
        .collect()
}

enum Sorted {
    Hook(Hook),
    Manifest(Manifest),
    Dropped,
}

/// A document as a hook (by its `helm.sh/hook` annotation) or a plain manifest.
fn hook_of(path: &str, doc: String, head: Head) -> Sorted {
    let Some(hook_types) = head.annotations.get(HOOK_ANNOTATION).cloned() else {
        return Sorted::Manifest(Manifest {
            name: path.to_string(),
            content: doc,
            head,
        });
    };
    let events: Option<Vec<HookEvent>> = hook_types
        .split(',')
        .map(|t| HookEvent::parse(&t.trim().to_lowercase()))
        .collect();
    // Unknown hook types make Helm drop the document altogether.
    let Some(events) = events else {
        return Sorted::Dropped;
    };
    let weight = head
        .annotations
        .get(HOOK_WEIGHT_ANNOTATION)
        .and_then(|w| go_atoi(w))
        .unwrap_or(0);
    Sorted::Hook(Hook {
        name: head.name.clone().unwrap_or_default(),
        kind: head.kind.clone(),
        path: path.to_string(),
        manifest: doc,
        events,
        weight,
        delete_policies: policies(&head, HOOK_DELETE_ANNOTATION),
        output_log_policies: policies(&head, HOOK_OUTPUT_LOG_ANNOTATION),
    })
}

/// Go's `strconv.Atoi` (int is 64-bit; weights beyond i32 are clamped away as invalid).
fn go_atoi(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

fn policies(head: &Head, annotation: &str) -> Vec<String> {
    head.annotations
        .get(annotation)
        .map(|v| v.split(',').map(|p| p.trim().to_lowercase()).collect())
        .unwrap_or_default()
}

/// Reads apiVersion, kind, metadata.name and metadata.annotations as Helm's `SimpleHead`.
pub fn parse_head(doc: &str) -> Result<Head, String> {
    let v = crate::yaml::from_yaml(doc).map_err(|e| e.0)?;
    let mut head = Head::default();
    let Value::Dict(top) = v else {
        if matches!(v, Value::Nil) {
            return Ok(head);
        }
        return Err(unmarshal_error(&v, "", "util.SimpleHead"));
    };
    head.api_version = string_field(top.get("apiVersion"), "apiVersion")?;
    head.kind = string_field(top.get("kind"), "kind")?;
    match top.get("metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Dict(meta)) => {
            head.name = Some(string_field(meta.get("name"), "metadata.name")?);
            match meta.get("annotations") {
                None | Some(Value::Nil) => {}
                Some(Value::Dict(ann)) => {
                    for (k, v) in ann.borrow().iter() {
                        let s = string_field(Some(v.clone()), "metadata.annotations")?;
                        head.annotations.insert(k.clone(), s);
                    }
                }
                Some(other) => {
                    return Err(unmarshal_error(
                        &other,
                        "metadata.annotations",
                        "map[string]string",
                    ));
                }
            }
        }
        Some(other) => {
            return Err(unmarshal_error(
                &other,
                "metadata",
                "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
            ));
        }
    }
    Ok(head)
}

fn string_field(v: Option<Value>, field: &str) -> Result<String, String> {
    match v {
        None | Some(Value::Nil) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) => Err(unmarshal_error(&other, field, "string")),
    }
}

fn unmarshal_error(v: &Value, field: &str, target: &str) -> String {
    let kind = match v {
        Value::Dict(_) => "object",
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    };
    if field.is_empty() {
        return format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {target}"
        );
    }
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go struct field SimpleHead.{field} of type {target}"
    )
}
