//! `.Capabilities` as `helm template` builds it offline (Helm v4's `common.Capabilities`):
//! the Kubernetes version (default v1.35.0, Helm 4.1's client-go), the API versions the
//! built-in scheme knows plus `--api-versions`, and the Helm build info, as host objects
//! that print, compare and marshal as Helm's Go structs do.

use std::borrow::Cow;
use std::rc::Rc;

use crate::template::{
    CallContext, ElemType, FuncError, List, Member, Object, Param, Signature, Value,
};

/// Group versions of the Kubernetes scheme Helm 4.1 renders against, in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// A `--kube-version` that does not parse, worded as k8s.io/apimachinery words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KubeVersionError(String);

/// Helm's `common.KubeVersion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    /// The full version as given, with a `v` (`v1.33.4-gke.1245000`); also `GitVersion`.
    pub version: String,
    /// `v` and the numeric components only (`v1.33.4`); what `String()` prints.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

impl Default for KubeVersion {
    fn default() -> Self {
        Self {
            version: "v1.35.0".into(),
            normalized: "v1.35.0".into(),
            major: "1".into(),
            minor: "35".into(),
        }
    }
}

impl KubeVersion {
    /// Helm's `ParseKubeVersion` (k8s `ParseGeneric`: at least major.minor, anything after
    /// the numbers ignored).
    pub fn parse(version: &str) -> Result<KubeVersion, KubeVersionError> {
        let trimmed = version.trim_start();
        let rest = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let numbers_end = rest
            .char_indices()
            .scan(false, |after_dot, (i, c)| {
                let ok = c.is_ascii_digit() || (c == '.' && !*after_dot);
                *after_dot = c == '.';
                ok.then_some(i + c.len_utf8())
            })
            .last()
            .unwrap_or(0);
        let numbers = rest[..numbers_end].trim_end_matches('.');
        if numbers.is_empty() {
            return Err(KubeVersionError(format!(
                "could not parse {} as version",
                crate::template::quote(version)
            )));
        }
        let comps: Vec<&str> = numbers.split('.').collect();
        if comps.len() < 2 {
            return Err(KubeVersionError(format!(
                "illegal version string {}",
                crate::template::quote(version)
            )));
        }
        let mut nums = Vec::with_capacity(comps.len());
        for (i, c) in comps.iter().enumerate() {
            if i == 0 && c.starts_with('0') && *c != "0" {
                return Err(KubeVersionError(format!(
                    "illegal zero-prefixed version component {} in {}",
                    crate::template::quote(c),
                    crate::template::quote(version)
                )));
            }
            let n: u64 = c.parse().map_err(|_| {
                KubeVersionError(format!(
                    "illegal non-numeric version component {} in {}",
                    crate::template::quote(c),
                    crate::template::quote(version)
                ))
            })?;
            nums.push(n.to_string());
        }
        let version = if version.starts_with('v') {
            version.to_string()
        } else {
            format!("v{version}")
        };
        Ok(KubeVersion {
            version,
            normalized: format!("v{}", nums.join(".")),
            major: nums[0].clone(),
            minor: nums[1].clone(),
        })
    }

    /// `String()`: the normalized version when known.
    pub fn string(&self) -> &str {
        if self.normalized.is_empty() {
            &self.version
        } else {
            &self.normalized
        }
    }
}

/// Helm's `version.BuildInfo`, what `.Capabilities.HelmVersion` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmVersion {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl Default for HelmVersion {
    /// The Helm release whose rendering Fluxion reproduces.
    fn default() -> Self {
        Self {
            version: "v4.1.4".into(),
            git_commit: String::new(),
            git_tree_state: String::new(),
            go_version: String::new(),
            kube_client_version: "v1.35".into(),
        }
    }
}

/// Helm's `common.Capabilities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
    pub helm_version: HelmVersion,
}

impl Default for Capabilities {
    fn default() -> Self {
        Self {
            kube_version: KubeVersion::default(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            helm_version: HelmVersion::default(),
        }
    }
}

impl Capabilities {
    /// What `helm template --kube-version K --api-versions A...` renders with.
    pub fn offline(kube_version: Option<KubeVersion>, extra_api_versions: &[String]) -> Self {
        let mut caps = Capabilities::default();
        if let Some(k) = kube_version {
            caps.kube_version = k;
        }
        caps.api_versions.extend(extra_api_versions.iter().cloned());
        caps
    }

    /// The `.Capabilities` value templates see.
    pub fn to_value(&self) -> Value {
        Value::Object(Rc::new(CapsObject(self.clone())))
    }
}

fn field(value: Value) -> Option<Member> {
    Some(Member::Field {
        value,
        interface: false,
    })
}

fn fields(entries: &[(&str, &str)]) -> Vec<(String, Value)> {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect()
}

struct CapsObject(Capabilities);

impl Object for CapsObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("*common.Capabilities")
    }

    fn member(&self, name: &str) -> Option<Member> {
        match name {
            "KubeVersion" => field(Value::Object(Rc::new(self.0.kube_version.clone()))),
            "APIVersions" => field(Value::Object(Rc::new(VersionSet(
                self.0.api_versions.clone(),
            )))),
            "HelmVersion" => field(Value::Object(Rc::new(self.0.helm_version.clone()))),
            "Copy" => Some(Member::Method(Signature::new([]))),
            _ => None,
        }
    }

    fn call(&self, _: &mut CallContext<'_>, _: &str, _: &[Value]) -> Result<Value, FuncError> {
        Ok(self.0.to_value())
    }

    fn print(&self) -> String {
        format!(
            "{{{} {} {}}}",
            self.0.kube_version.format_v(false),
            VersionSet(self.0.api_versions.clone()).print(),
            self.0.helm_version.print()
        )
    }

    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            (
                "KubeVersion".to_string(),
                Value::Object(Rc::new(self.0.kube_version.clone())),
            ),
            (
                "APIVersions".to_string(),
                VersionSet(self.0.api_versions.clone()).underlying()?,
            ),
            (
                "HelmVersion".to_string(),
                Value::Object(Rc::new(self.0.helm_version.clone())),
            ),
        ])
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("common.KubeVersion")
    }

    fn member(&self, name: &str) -> Option<Member> {
        match name {
            "String" | "GitVersion" => Some(Member::Method(Signature::new([]))),
            "Version" => field(Value::from(self.version.as_str())),
            "Major" => field(Value::from(self.major.as_str())),
            "Minor" => field(Value::from(self.minor.as_str())),
            _ => None,
        }
    }

    fn call(&self, _: &mut CallContext<'_>, name: &str, _: &[Value]) -> Result<Value, FuncError> {
        Ok(Value::from(match name {
            "GitVersion" => self.version.as_str(),
            _ => self.string(),
        }))
    }

    /// Templates print the field through its pointer, so Go calls `String()`.
    fn print(&self) -> String {
        self.string().to_string()
    }

    /// fmt's `%v` of the struct value itself (no pointer, no Stringer).
    fn format_v(&self, plus: bool) -> String {
        if plus {
            return format!(
                "{{Version:{} normalizedVersion:{} Major:{} Minor:{}}}",
                self.version, self.normalized, self.major, self.minor
            );
        }
        format!(
            "{{{} {} {} {}}}",
            self.version, self.normalized, self.major, self.minor
        )
    }

    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        Some(fields(&[
            ("Version", &self.version),
            ("Major", &self.major),
            ("Minor", &self.minor),
        ]))
    }

    fn equals(&self, other: &dyn Object) -> bool {
        other.type_name() == "common.KubeVersion" && other.format_v(false) == self.format_v(false)
    }
}

impl Object for HelmVersion {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("version.BuildInfo")
    }

    fn member(&self, name: &str) -> Option<Member> {
        let v = match name {
            "Version" => &self.version,
            "GitCommit" => &self.git_commit,
            "GitTreeState" => &self.git_tree_state,
            "GoVersion" => &self.go_version,
            "KubeClientVersion" => &self.kube_client_version,
            _ => return None,
        };
        field(Value::from(v.as_str()))
    }

    fn print(&self) -> String {
        format!(
            "{{{} {} {} {} {}}}",
            self.version,
            self.git_commit,
            self.git_tree_state,
            self.go_version,
            self.kube_client_version
        )
    }

    /// The JSON tags of BuildInfo: all but the client version are `omitempty`.
    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        let mut entries = Vec::new();
        for (k, v) in [
            ("version", &self.version),
            ("git_commit", &self.git_commit),
            ("git_tree_state", &self.git_tree_state),
            ("go_version", &self.go_version),
        ] {
            if !v.is_empty() {
                entries.push((k.to_string(), Value::from(v.as_str())));
            }
        }
        entries.push((
            "kube_client_version".to_string(),
            Value::from(self.kube_client_version.as_str()),
        ));
        Some(entries)
    }

    fn equals(&self, other: &dyn Object) -> bool {
        other.type_name() == "version.BuildInfo" && other.print() == self.print()
    }
}

/// Helm's `common.VersionSet`: a `[]string` with `Has`.
struct VersionSet(Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("common.VersionSet")
    }

    fn member(&self, name: &str) -> Option<Member> {
        (name == "Has").then(|| Member::Method(Signature::new([Param::String])))
    }

    fn call(&self, _: &mut CallContext<'_>, _: &str, args: &[Value]) -> Result<Value, FuncError> {
        let wanted = args.first().and_then(Value::as_str).unwrap_or("");
        Ok(Value::Bool(self.0.iter().any(|v| v == wanted)))
    }

    fn underlying(&self) -> Option<Value> {
        Some(Value::List(List::typed(
            ElemType::String,
            self.0.iter().map(|s| Value::from(s.as_str())).collect(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_parse_as_helm_does() {
        let cases = [
            ("1.30", "v1.30", "v1.30", "1", "30"),
            ("v1.29.3-gke.100", "v1.29.3-gke.100", "v1.29.3", "1", "29"),
            ("1.31.2", "v1.31.2", "v1.31.2", "1", "31"),
        ];
        for (input, version, normalized, major, minor) in cases {
            let k = KubeVersion::parse(input).unwrap();
            assert_eq!(
                (
                    k.version.as_str(),
                    k.string(),
                    k.major.as_str(),
                    k.minor.as_str()
                ),
                (version, normalized, major, minor),
                "{input}"
            );
        }
        for bad in ["1", "x", "", "01.2"] {
            assert!(KubeVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn offline_capabilities_append_api_versions() {
        let caps = Capabilities::offline(None, &["x/v1".to_string()]);
        assert_eq!(caps.api_versions.len(), DEFAULT_API_VERSIONS.len() + 1);
        assert_eq!(caps.kube_version.string(), "v1.35.0");
    }
}
