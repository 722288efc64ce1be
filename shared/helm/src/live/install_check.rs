//! What Helm's install does with the rendered manifest before a server dry run ends: build
//! every object against the server's REST mappings (`KubeClient.Build`), then refuse objects
//! that already exist without this release's ownership metadata (`existingResourceConflict`).

use std::collections::{BTreeMap, HashMap};

use super::LiveError;
use super::client::Cluster;
use super::discovery::{ApiResource, GroupVersionKind, Mapping, find_mapping, server_resources};
use super::lookup::resource_path;

/// The identity of one manifest document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestObject {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `metadata.namespace` as written ("" when absent).
    pub namespace: String,
}

impl ManifestObject {
    /// Reads a document's identity; a document that is not a map has none.
    pub fn parse(doc: &str) -> ManifestObject {
        let json = crate::yaml::from_yaml(doc)
            .ok()
            .and_then(|v| crate::yaml::to_json(&v).ok())
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .unwrap_or_default();
        let s = |p: &str| {
            json.pointer(p)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        ManifestObject {
            api_version: s("/apiVersion"),
            kind: s("/kind"),
            name: s("/metadata/name"),
            namespace: s("/metadata/namespace"),
        }
    }

    /// kubectl's validation of the type fields, as Helm prints it.
    pub fn type_error(&self) -> Option<String> {
        let mut missing = Vec::new();
        if self.api_version.is_empty() {
            missing.push("apiVersion not set");
        }
        if self.kind.is_empty() {
            missing.push("kind not set");
        }
        let list = match missing.as_slice() {
            [] => return None,
            [one] => one.to_string(),
            many => format!("[{}]", many.join(", ")),
        };
        Some(format!(
            "error validating \"\": error validating data: {list}"
        ))
    }
}

const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
const RELEASE_NAME: &str = "meta.helm.sh/release-name";
const RELEASE_NAMESPACE: &str = "meta.helm.sh/release-namespace";

fn string_map(obj: &serde_json::Value, field: &str) -> BTreeMap<String, String> {
    obj.pointer(&format!("/metadata/{field}"))
        .and_then(|v| v.as_object())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn require_value(meta: &BTreeMap<String, String>, key: &str, want: &str) -> Option<String> {
    match meta.get(key) {
        None => Some(format!("missing key {key:?}: must be set to {want:?}")),
        Some(v) if v != want => Some(format!(
            "key {key:?} must equal {want:?}: current value is {v:?}"
        )),
        Some(_) => None,
    }
}

/// Helm's `checkOwnership`: why an existing object cannot join the release, if it cannot.
pub fn ownership_error(
    existing: &serde_json::Value,
    release: &str,
    namespace: &str,
) -> Option<String> {
    let labels = string_map(existing, "labels");
    let annotations = string_map(existing, "annotations");
    let mut errs = Vec::new();
    if let Some(e) = require_value(&labels, MANAGED_BY, "Helm") {
        errs.push(format!("label validation error: {e}"));
    }
    for (key, want) in [(RELEASE_NAME, release), (RELEASE_NAMESPACE, namespace)] {
        if let Some(e) = require_value(&annotations, key, want) {
            errs.push(format!("annotation validation error: {e}"));
        }
    }
    (!errs.is_empty()).then(|| format!("invalid ownership metadata; {}", errs.join("; ")))
}

struct Mapper<'a> {
    cluster: &'a Cluster,
    cache: HashMap<String, Vec<ApiResource>>,
}

impl Mapper<'_> {
    fn mapping(&mut self, gvk: &GroupVersionKind) -> Option<Mapping> {
        let key = gvk.group_version();
        if !self.cache.contains_key(&key) {
            let found = server_resources(self.cluster, gvk).unwrap_or_default();
            self.cache.insert(key.clone(), found);
        }
        find_mapping(self.cache.get(&key)?, gvk)
    }
}

/// Builds the manifest's documents and checks none of them is owned by something else
/// (unless `adopt`, Helm's `--take-ownership`).
pub fn check_manifest(
    cluster: &Cluster,
    docs: &[String],
    release: &str,
    namespace: &str,
    adopt: bool,
) -> Result<(), LiveError> {
    let build = |m: String| {
        LiveError(format!(
            "unable to build kubernetes objects from release manifest: {m}"
        ))
    };
    let mut mapper = Mapper {
        cluster,
        cache: HashMap::new(),
    };
    let mut built = Vec::new();
    for doc in docs {
        let obj = ManifestObject::parse(doc);
        if let Some(e) = obj.type_error() {
            return Err(build(e));
        }
        let gvk = GroupVersionKind::parse(&obj.api_version, &obj.kind);
        let Some(mapping) = mapper.mapping(&gvk) else {
            return Err(build(format!(
                "resource mapping not found for name: {:?} namespace: {:?} from \"\": no matches for kind {:?} in version {:?}\nensure CRDs are installed first",
                obj.name,
                obj.namespace,
                obj.kind,
                gvk.group_version()
            )));
        };
        built.push((obj, mapping));
    }
    if adopt {
        // --take-ownership: existing objects join the release whatever their labels.
        return Ok(());
    }
    for (obj, mapping) in built {
        let ns = match (mapping.namespaced, obj.namespace.is_empty()) {
            (false, _) => "",
            (true, true) => namespace,
            (true, false) => obj.namespace.as_str(),
        };
        let shown = format!("{} {:?} in namespace {:?}", obj.kind, obj.name, ns);
        let existing = match cluster.get(&resource_path(&mapping, ns, &obj.name)) {
            Ok(existing) => existing,
            Err(e) if e.is_not_found() => continue,
            Err(e) => {
                return Err(LiveError(format!(
                    "unable to continue with install: could not get information about the resource {shown}: {}",
                    e.message
                )));
            }
        };
        if let Some(e) = ownership_error(&existing, release, namespace) {
            return Err(LiveError(format!(
                "unable to continue with install: {shown} exists and cannot be imported into the current release: {e}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_list_what_is_missing() {
        let cases = [
            ("apiVersion: v1\nkind: ConfigMap\n", None),
            (
                "kind: ConfigMap\n",
                Some("error validating \"\": error validating data: apiVersion not set"),
            ),
            (
                "a: 1\n",
                Some(
                    "error validating \"\": error validating data: [apiVersion not set, kind not set]",
                ),
            ),
        ];
        for (doc, want) in cases {
            assert_eq!(
                ManifestObject::parse(doc).type_error().as_deref(),
                want,
                "{doc}"
            );
        }
    }

    #[test]
    fn ownership_is_checked_as_helm_does() {
        let owned = serde_json::json!({"metadata": {
            "labels": {MANAGED_BY: "Helm"},
            "annotations": {RELEASE_NAME: "r", RELEASE_NAMESPACE: "ns"},
        }});
        assert_eq!(ownership_error(&owned, "r", "ns"), None);
        assert_eq!(
            ownership_error(&owned, "other", "ns").as_deref(),
            Some(
                "invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"other\": current value is \"r\""
            )
        );
        let bare = serde_json::json!({"metadata": {"name": "x"}});
        let e = ownership_error(&bare, "r", "ns").unwrap_or_default();
        assert!(
            e.starts_with("invalid ownership metadata; label validation error: missing key"),
            "{e}"
        );
        assert_eq!(e.matches("; ").count(), 3, "{e}");
    }
}
