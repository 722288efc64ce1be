//! get and list: selectors, limit/continue with consistent snapshots, resourceVersion
//! semantics (`""`, `"0"`, `NotOlderThan`, `Exact`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::{Api, Target};
use crate::error::ApiError;
use crate::selector::{FieldSelector, LabelSelector};
use crate::store::StoreError;

/// Query options of list (and the selector part of watch).
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    pub limit: Option<usize>,
    pub continue_token: Option<String>,
    pub resource_version: Option<String>,
    pub resource_version_match: Option<String>,
}

/// Parsed selectors of a request.
pub struct Selectors {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Selectors {
    pub fn parse(t: &Target, label: Option<&str>, field: Option<&str>) -> Result<Self, ApiError> {
        let labels =
            LabelSelector::parse(label.unwrap_or("")).map_err(|e| ApiError::bad_request(e.0))?;
        let view = super::events::is_events_view(&t.rt);
        let field = field.map(|f| {
            if view {
                super::events::core_field_selector(f)
            } else {
                f.to_string()
            }
        });
        let builtin =
            t.rt.crd
                .is_none()
                .then_some((t.rt.storage_group.as_str(), t.rt.resource.as_str()));
        let fields = FieldSelector::parse(field.as_deref().unwrap_or(""), builtin)
            .map_err(|e| ApiError::bad_request(e.0))?;
        Ok(Selectors { labels, fields })
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.labels.matches_object(obj) && self.fields.matches(obj)
    }
}

struct ContinueToken {
    rv: u64,
    namespace: String,
    name: String,
}

fn encode_continue(rv: u64, namespace: &str, name: &str) -> String {
    let start = if namespace.is_empty() {
        format!("{name}\u{0}")
    } else {
        format!("{namespace}/{name}\u{0}")
    };
    B64.encode(json!({"v": "meta.k8s.io/v1", "rv": rv, "start": start}).to_string())
}

fn decode_continue(token: &str) -> Result<ContinueToken, ApiError> {
    let bad = |why: &str| ApiError::bad_request(format!("continue key is not valid: {why}"));
    let raw = B64.decode(token).map_err(|_| bad("illegal base64 data"))?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| bad("invalid JSON"))?;
    if v["v"] != "meta.k8s.io/v1" {
        return Err(bad(
            "incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        ));
    }
    let rv = v["rv"].as_u64().ok_or_else(|| bad("no resourceVersion"))?;
    let start = v["start"].as_str().ok_or_else(|| bad("no start key"))?;
    let start = start.trim_end_matches('\u{0}');
    let (namespace, name) = match start.split_once('/') {
        Some((ns, n)) => (ns.to_string(), n.to_string()),
        None => (String::new(), start.to_string()),
    };
    Ok(ContinueToken {
        rv,
        namespace,
        name,
    })
}

fn parse_rv(s: &str) -> Result<u64, ApiError> {
    s.parse()
        .map_err(|_| ApiError::bad_request(format!("invalid resource version: {s:?}")))
}

/// The resourceVersion a list reads at: a continue token's, or an `Exact` one.
fn snapshot_version(
    token: Option<&ContinueToken>,
    opts: &ListOptions,
) -> Result<Option<u64>, ApiError> {
    Ok(
        match (
            token,
            opts.resource_version.as_deref(),
            opts.resource_version_match.as_deref(),
        ) {
            (Some(tok), _, _) => Some(tok.rv),
            (None, Some(rv), Some("Exact")) => Some(parse_rv(rv)?),
            (None, Some(rv), _) if !rv.is_empty() => {
                parse_rv(rv)?;
                None
            }
            _ => None,
        },
    )
}

impl Api {
    /// One page of matching objects and the list metadata (continue, remainingItemCount).
    fn page(
        &self,
        t: &Target,
        listing: &crate::store::Listing,
        sel: &Selectors,
        limit: Option<usize>,
        counted: bool,
    ) -> (Vec<Value>, Value) {
        let mut items = Vec::new();
        let mut meta = json!({"resourceVersion": listing.rv.to_string()});
        let limit = limit.filter(|l| *l > 0).unwrap_or(usize::MAX);
        let mut matching = listing.items.iter().filter(|o| sel.matches(o));
        for obj in matching.by_ref() {
            items.push(self.present(&t.rt, obj));
            if items.len() == limit {
                break;
            }
        }
        let remaining = matching.count();
        if remaining > 0
            && let Some(last) = items.last()
        {
            let field = |f: &str| last.pointer(f).and_then(Value::as_str).unwrap_or("");
            meta["continue"] = json!(encode_continue(
                listing.rv,
                field("/metadata/namespace"),
                field("/metadata/name")
            ));
            if counted {
                meta["remainingItemCount"] = json!(remaining);
            }
        }
        (items, meta)
    }

    /// get: the object, as served at the target's version.
    pub fn get(&self, t: &Target) -> Result<Value, ApiError> {
        let name = t.name();
        let obj = self
            .store
            .get(&t.key(name))
            .ok_or_else(|| t.not_found(name))?;
        Ok(self.present(&t.rt, &obj))
    }

    /// list: a `<Kind>List` of the matching objects.
    pub fn list(&self, t: &Target, opts: &ListOptions) -> Result<Value, ApiError> {
        let sel = Selectors::parse(
            t,
            opts.label_selector.as_deref(),
            opts.field_selector.as_deref(),
        )?;
        let token = match opts.continue_token.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(decode_continue(c)?),
            None => None,
        };
        let at = snapshot_version(token.as_ref(), opts)?;
        let namespace = if t.rt.namespaced {
            t.namespace.as_deref()
        } else {
            None
        };
        let after = token
            .as_ref()
            .map(|tok| (tok.namespace.as_str(), tok.name.as_str()));
        let listing = self
            .store
            .list(&t.rt.storage_group, &t.rt.resource, namespace, after, at)
            .map_err(|e| match e {
                StoreError::Expired { .. } if token.is_some() => ApiError::expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                ),
                StoreError::Expired { requested, oldest } => ApiError::expired(format!(
                    "too old resource version: {requested} ({oldest})"
                )),
                other => ApiError::internal(other.to_string()),
            })?;
        let counted =
            sel.labels.is_empty() && opts.field_selector.as_deref().unwrap_or("").is_empty();
        let (items, meta) = self.page(t, &listing, &sel, opts.limit, counted);
        Ok(json!({
            "kind": t.rt.list_kind(),
            "apiVersion": t.rt.api_version(),
            "metadata": meta,
            "items": items,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip() {
        let t = encode_continue(42, "ns", "a.b");
        let d = decode_continue(&t).expect("decode");
        assert_eq!(
            (d.rv, d.namespace.as_str(), d.name.as_str()),
            (42, "ns", "a.b")
        );
        let c = decode_continue(&encode_continue(7, "", "x")).expect("cluster");
        assert_eq!((c.namespace.as_str(), c.name.as_str()), ("", "x"));
        assert_eq!(decode_continue("!!").err().map(|e| e.code), Some(400));
    }
}
