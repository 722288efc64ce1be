//! `replacements`: copy a field of one object into fields of others (kustomize's
//! ReplacementTransformer and replacement filter, v5.5: ids selected by equality,
//! `[name=regex]` in target paths, `delimiter`/`index`/`create` options).

pub mod path;

use path::{Create, PathError};

use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{
    FieldOptions, Kustomization, ReplacementField, Selector, SourceSelector, TargetSelector,
};
use crate::patch::select::Compiled;
use crate::resid::{Gvk, ResId};
use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::transform::fieldspec;
use crate::yaml::{self, Content, Node};

const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// Why a replacement cannot be made; texts follow kustomize's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplaceError {
    #[error("replacements must specify a source and at least one target")]
    Incomplete,
    #[error("cannot specify both path and inline replacement")]
    PathAndInline,
    #[error("multiple matches for selector {0}")]
    Multiple(String),
    #[error("nothing selected by {0}")]
    Nothing(String),
    #[error("fieldPath `{0}` is missing for replacement source {1}")]
    MissingSource(String, String),
    #[error("delimiter option can only be used with scalar nodes")]
    DelimiterNotScalar,
    #[error("options.index {0} is out of bounds for value {1}")]
    IndexOutOfBounds(i64, String),
    #[error("target must specify resources to select")]
    NoSelect,
    #[error("unable to find field \"{0}\" in replacement target")]
    NoField(String),
    #[error("unable to find or create field \"{0}\" in replacement target")]
    NoFieldCreate(String),
    #[error("{0}: {1}")]
    Path(String, PathError),
    #[error("{0}")]
    Selector(String),
    #[error("unsupported replacement file: {0}")]
    File(String),
}

/// The `replacements` transformer.
pub struct Replacements;

impl Transformer for Replacements {
    fn field(&self) -> &'static str {
        "replacements"
    }
    fn applies(&self, k: &Kustomization) -> bool {
        !k.replacements.is_empty()
    }
    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let list = load(ctx, &ctx.kustomization.replacements)?;
        let to_build = |e: ReplaceError| BuildError::Invalid(e.to_string());
        for r in &list {
            apply(resources, r).map_err(to_build)?;
        }
        Ok(())
    }
}

fn load(
    ctx: &StepContext<'_>,
    fields: &[ReplacementField],
) -> Result<Vec<ReplacementField>, BuildError> {
    let mut out = Vec::new();
    for f in fields {
        if f.path.is_empty() {
            out.push(f.clone());
            continue;
        }
        if f.source.is_some() || !f.targets.is_empty() {
            return Err(BuildError::Invalid(ReplaceError::PathAndInline.to_string()));
        }
        let bytes = ctx.loader.load(ctx.fs, &f.path)?;
        let text = String::from_utf8_lossy(&bytes);
        let node = yaml::parse_first(&text)
            .map_err(|e| BuildError::Invalid(e.to_string()))?
            .unwrap_or_else(Node::null);
        let json = yaml::to_json_v2(&node).map_err(BuildError::Invalid)?;
        let items = match json {
            serde_json::Value::Array(a) => a,
            o @ serde_json::Value::Object(_) => vec![o],
            other => {
                return Err(BuildError::Invalid(
                    ReplaceError::File(other.to_string()).to_string(),
                ));
            }
        };
        for item in items {
            let r: ReplacementField = serde_json::from_value(item)
                .map_err(|e| BuildError::Invalid(format!("json: {e}")))?;
            out.push(r);
        }
    }
    Ok(out)
}

/// kustomize's `MakeResIds`: the current id (namespace as written) and previous ones.
fn ids(r: &Resource) -> Vec<ResId> {
    let mut v = vec![r.cur_id()];
    v.extend(r.previous_ids.iter().cloned());
    v
}

fn is_selected_by(id: &ResId, sel: &ResId) -> bool {
    (sel.name.is_empty() || sel.name == id.name)
        && (sel.namespace.is_empty() || sel.effective_namespace() == id.effective_namespace())
        && id.gvk.is_selected_by(&sel.gvk)
}

fn source_id(s: &SourceSelector) -> ResId {
    ResId::new(
        Gvk::new(&s.group, &s.version, &s.kind),
        &s.name,
        &s.namespace,
    )
}

fn selector_id(s: &Selector) -> ResId {
    ResId::new(
        Gvk::new(&s.group, &s.version, &s.kind),
        &s.name,
        &s.namespace,
    )
}

fn apply(resources: &mut ResMap, r: &ReplacementField) -> Result<(), ReplaceError> {
    let Some(source) = r.source.as_ref() else {
        return Err(ReplaceError::Incomplete);
    };
    if r.targets.is_empty() {
        return Err(ReplaceError::Incomplete);
    }
    let value = source_value(resources.resources(), source)?;
    for t in &r.targets {
        apply_target(resources, &value, t)?;
    }
    Ok(())
}

fn source_value(resources: &[Resource], s: &SourceSelector) -> Result<Node, ReplaceError> {
    let sel = source_id(s);
    let mut found = resources
        .iter()
        .filter(|r| ids(r).iter().any(|i| is_selected_by(i, &sel)));
    let shown = format!("{}", sel);
    let node = match (found.next(), found.next()) {
        (Some(r), None) => &r.node,
        (Some(_), Some(_)) => return Err(ReplaceError::Multiple(shown)),
        (None, _) => return Err(ReplaceError::Nothing(shown)),
    };
    let fp = if s.field_path.is_empty() {
        DEFAULT_FIELD_PATH
    } else {
        &s.field_path
    };
    let looked = path::lookup(node, &path::split(fp))
        .map_err(|e| ReplaceError::Path("error looking up replacement source".into(), e))?;
    let value = match looked {
        Some(n) if !n.is_null_or_empty() => n.clone(),
        _ => return Err(ReplaceError::MissingSource(fp.to_string(), shown)),
    };
    refine(s.options.as_ref(), value)
}

fn refine(options: Option<&FieldOptions>, mut value: Node) -> Result<Node, ReplaceError> {
    let Some(o) = options.filter(|o| !o.delimiter.is_empty()) else {
        return Ok(value);
    };
    let Content::Scalar(text) = &mut value.content else {
        return Err(ReplaceError::DelimiterNotScalar);
    };
    let parts: Vec<&str> = text.split(o.delimiter.as_str()).collect();
    let part = usize::try_from(o.index)
        .ok()
        .and_then(|i| parts.get(i))
        .ok_or_else(|| ReplaceError::IndexOutOfBounds(o.index, text.clone()))?
        .to_string();
    *text = part;
    Ok(value)
}

fn label_match(r: &Resource, s: &Selector) -> Result<bool, ReplaceError> {
    let only = Selector {
        label_selector: s.label_selector.clone(),
        annotation_selector: s.annotation_selector.clone(),
        ..Selector::default()
    };
    let c = Compiled::new(&only).map_err(|e| ReplaceError::Selector(e.to_string()))?;
    Ok(c.matches_metadata(r))
}

fn is_target(r: &Resource, t: &TargetSelector, select: &Selector) -> Result<bool, ReplaceError> {
    if !label_match(r, select)? {
        return Ok(false);
    }
    for rej in &t.reject {
        if (!rej.annotation_selector.is_empty() || !rej.label_selector.is_empty())
            && label_match(r, rej)?
        {
            return Ok(false);
        }
    }
    let ids = ids(r);
    let rejected = t.reject.iter().any(|rej| {
        let rid = selector_id(rej);
        rid != ResId::default() && ids.iter().any(|i| is_selected_by(i, &rid))
    });
    let sel = selector_id(select);
    Ok(!rejected && ids.iter().any(|i| is_selected_by(i, &sel)))
}

fn apply_target(
    resources: &mut ResMap,
    value: &Node,
    t: &TargetSelector,
) -> Result<(), ReplaceError> {
    let select = t.select.as_ref().ok_or(ReplaceError::NoSelect)?;
    let default = [DEFAULT_FIELD_PATH.to_string()];
    let paths: &[String] = if t.field_paths.is_empty() {
        &default
    } else {
        &t.field_paths
    };
    for r in resources.resources_mut() {
        if !is_target(r, t, select)? {
            continue;
        }
        for fp in paths {
            copy_to(&mut r.node, value, fp, t.options.as_ref())?;
        }
    }
    Ok(())
}

fn copy_to(
    node: &mut Node,
    value: &Node,
    fp: &str,
    options: Option<&FieldOptions>,
) -> Result<(), ReplaceError> {
    let create = options.filter(|o| o.create).map(|_| Create::of(value));
    let wrap = |e| {
        let what = if create.is_some() {
            ReplaceError::NoFieldCreate(fp.to_string())
        } else {
            ReplaceError::NoField(fp.to_string())
        };
        ReplaceError::Path(what.to_string(), e)
    };
    let mut failure = None;
    let mut updates = Vec::new();
    let mut set = |target: &mut Node| match set_value(options, target, value) {
        Err(e) => {
            failure.get_or_insert(e);
        }
        Ok(()) if target.share_id != 0 => updates.push(target.clone()),
        Ok(()) => {}
    };
    let n = path::for_each_match(node, &path::split(fp), create, &mut set).map_err(wrap)?;
    if let Some(e) = failure {
        return Err(e);
    }
    // The target is written in place: a go-yaml node shared with other places (label
    // values) changes there too.
    fieldspec::propagate(node, &updates);
    if n == 0 {
        return Err(if create.is_some() {
            ReplaceError::NoFieldCreate(fp.to_string())
        } else {
            ReplaceError::NoField(fp.to_string())
        });
    }
    Ok(())
}

/// kustomize's `setFieldValue`: a scalar target keeps its tag and style and takes the
/// text; any other target becomes the value.
fn set_value(
    options: Option<&FieldOptions>,
    target: &mut Node,
    value: &Node,
) -> Result<(), ReplaceError> {
    let mut value = value.clone();
    if let Some(o) = options.filter(|o| !o.delimiter.is_empty()) {
        let Content::Scalar(cur) = &target.content else {
            return Err(ReplaceError::DelimiterNotScalar);
        };
        let mut parts: Vec<String> = cur
            .split(o.delimiter.as_str())
            .map(str::to_string)
            .collect();
        let v = if value.is_null() {
            String::new()
        } else {
            value.scalar().unwrap_or_default().to_string()
        };
        match usize::try_from(o.index) {
            Err(_) => parts.insert(0, v),
            Ok(i) if i >= parts.len() => parts.push(v),
            Ok(i) => parts[i] = v,
        }
        value.content = Content::Scalar(parts.join(&o.delimiter));
    }
    match (&mut target.content, &value.content) {
        (Content::Scalar(t), Content::Scalar(v)) => *t = v.clone(),
        (Content::Scalar(t), _) => t.clear(),
        _ => {
            value.share_id = target.share_id;
            *target = value;
        }
    }
    Ok(())
}
