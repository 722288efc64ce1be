//! Chart.yaml (Helm's `chart.Metadata`): fields, Helm's validation, and the `.Chart` map
//! templates see.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

use super::LoadError;
use crate::template::{Dict, ElemType, Value};

/// A chart maintainer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Maintainer {
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub email: String,
    #[serde(deserialize_with = "nullable")]
    pub url: String,
}

/// One entry of Chart.yaml `dependencies` (or v1 requirements.yaml).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Dependency {
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub version: String,
    #[serde(deserialize_with = "nullable")]
    pub repository: String,
    #[serde(deserialize_with = "nullable")]
    pub condition: String,
    #[serde(deserialize_with = "nullable")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub enabled: bool,
    #[serde(rename = "import-values", deserialize_with = "nullable")]
    pub import_values: Vec<Json>,
    #[serde(deserialize_with = "nullable")]
    pub alias: String,
}

/// Chart.yaml.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Metadata {
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub home: String,
    #[serde(deserialize_with = "nullable")]
    pub sources: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub version: String,
    #[serde(deserialize_with = "nullable")]
    pub description: String,
    #[serde(deserialize_with = "nullable")]
    pub keywords: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub maintainers: Vec<Maintainer>,
    #[serde(deserialize_with = "nullable")]
    pub icon: String,
    #[serde(rename = "apiVersion", deserialize_with = "nullable")]
    pub api_version: String,
    #[serde(deserialize_with = "nullable")]
    pub condition: String,
    #[serde(deserialize_with = "nullable")]
    pub tags: String,
    #[serde(rename = "appVersion", deserialize_with = "nullable")]
    pub app_version: String,
    #[serde(deserialize_with = "nullable")]
    pub deprecated: bool,
    /// None when Chart.yaml has no (or a null) `annotations`: Go's nil map, which templates
    /// see as `null` in toJson and toYaml where `annotations: {}` gives `{}`.
    #[serde(deserialize_with = "nullable")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(rename = "kubeVersion", deserialize_with = "nullable")]
    pub kube_version: String,
    #[serde(deserialize_with = "nullable")]
    pub dependencies: Vec<Dependency>,
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub chart_type: String,
    /// Lists that held a null entry (a nil pointer in Go), which validation refuses.
    #[serde(skip)]
    pub null_entries: Vec<&'static str>,
}

/// JSON null leaves a Go field at its zero value.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Removes null entries of `maintainers` and `dependencies`, naming the lists that had any.
fn take_null_entries(doc: &mut Json) -> Vec<&'static str> {
    let mut found = Vec::new();
    for list in ["maintainers", "dependencies"] {
        if let Some(Json::Array(items)) = doc.get_mut(list) {
            let before = items.len();
            items.retain(|v| !v.is_null());
            if items.len() != before {
                found.push(list);
            }
        }
    }
    found
}

/// Go's `sanitizeString`.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_control() {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

fn invalid(msg: impl std::fmt::Display) -> LoadError {
    LoadError(format!("validation: {msg}"))
}

impl Metadata {
    /// Reads Chart.yaml from its JSON form (as sigs.k8s.io/yaml does).
    pub fn from_json(doc: Json) -> Result<Metadata, String> {
        if doc.is_null() {
            return Ok(Metadata::default());
        }
        let mut doc = doc;
        let nulls = take_null_entries(&mut doc);
        let mut md: Metadata =
            serde_json::from_value(doc).map_err(|e| format!("error unmarshaling JSON: {e}"))?;
        md.null_entries = nulls;
        Ok(md)
    }

    /// Helm's `sanitizeString` on the fields its validation cleans: whitespace becomes a
    /// space and unprintable characters go.
    pub fn sanitize(&mut self) {
        for f in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *f = sanitize(f);
        }
        for f in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *f = sanitize(f);
        }
        for m in &mut self.maintainers {
            for f in [&mut m.name, &mut m.email, &mut m.url] {
                *f = sanitize(f);
            }
        }
        for d in &mut self.dependencies {
            for f in [
                &mut d.name,
                &mut d.version,
                &mut d.repository,
                &mut d.condition,
            ] {
                *f = sanitize(f);
            }
            for t in &mut d.tags {
                *t = sanitize(t);
            }
        }
    }

    /// Takes `dependencies` from a v1 requirements.yaml.
    pub fn merge_requirements(&mut self, doc: Json) -> Result<(), String> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Requirements {
            #[serde(deserialize_with = "nullable")]
            dependencies: Option<Vec<Dependency>>,
        }
        if doc.is_null() {
            return Ok(());
        }
        let r: Requirements =
            serde_json::from_value(doc).map_err(|e| format!("error unmarshaling JSON: {e}"))?;
        if let Some(deps) = r.dependencies {
            self.dependencies = deps;
        }
        Ok(())
    }

    /// Helm's `Metadata.Validate`.
    pub fn validate(&self) -> Result<(), LoadError> {
        if self.api_version.is_empty() {
            return Err(invalid("chart.metadata.apiVersion is required"));
        }
        if self.name.is_empty() {
            return Err(invalid("chart.metadata.name is required"));
        }
        if self.name == "." || self.name == ".." {
            return Err(invalid(format!(
                "chart.metadata.name {:?} is not allowed",
                self.name
            )));
        }
        if self.name.contains('/') {
            return Err(invalid(format!(
                "chart.metadata.name {:?} is invalid",
                self.name
            )));
        }
        if self.version.is_empty() {
            return Err(invalid("chart.metadata.version is required"));
        }
        if crate::sprig::semver::Version::parse(&self.version).is_err() {
            return Err(invalid(format!(
                "chart.metadata.version {:?} is invalid",
                self.version
            )));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(invalid(
                "chart.metadata.type must be application or library",
            ));
        }
        for list in ["maintainers", "dependencies"] {
            if self.null_entries.contains(&list) {
                return Err(invalid(format!(
                    "{list} must not contain empty or null nodes"
                )));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for dep in &self.dependencies {
            if !dep.alias.is_empty()
                && !dep
                    .alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    dep.name
                )));
            }
            let key = if dep.alias.is_empty() {
                &dep.name
            } else {
                &dep.alias
            };
            if !seen.insert(key.clone()) {
                return Err(invalid(format!(
                    "more than one dependency with name or alias {key:?}"
                )));
            }
        }
        Ok(())
    }

    /// `.Chart` as Helm v4 hands it to templates: a map keyed by Go field names.
    pub fn to_value(&self, is_root: bool) -> Value {
        let s = |v: &str| Value::from(v);
        let strings = |v: &[String]| Value::list(v.iter().map(|x| s(x)).collect());
        let maintainers = self
            .maintainers
            .iter()
            .map(|m| {
                Value::dict([
                    ("Name".to_string(), s(&m.name)),
                    ("Email".to_string(), s(&m.email)),
                    ("URL".to_string(), s(&m.url)),
                ])
            })
            .collect();
        let deps = self.dependencies.iter().map(dependency_value).collect();
        Value::dict([
            ("APIVersion".to_string(), s(&self.api_version)),
            (
                "Annotations".to_string(),
                annotations_value(&self.annotations),
            ),
            ("AppVersion".to_string(), s(&self.app_version)),
            ("Condition".to_string(), s(&self.condition)),
            ("Dependencies".to_string(), Value::list(deps)),
            ("Deprecated".to_string(), Value::Bool(self.deprecated)),
            ("Description".to_string(), s(&self.description)),
            ("Home".to_string(), s(&self.home)),
            ("Icon".to_string(), s(&self.icon)),
            ("IsRoot".to_string(), Value::Bool(is_root)),
            ("Keywords".to_string(), strings(&self.keywords)),
            ("KubeVersion".to_string(), s(&self.kube_version)),
            ("Maintainers".to_string(), Value::list(maintainers)),
            ("Name".to_string(), s(&self.name)),
            ("Sources".to_string(), strings(&self.sources)),
            ("Tags".to_string(), s(&self.tags)),
            ("Type".to_string(), s(&self.chart_type)),
            ("Version".to_string(), s(&self.version)),
        ])
    }
}

/// Helm v4 copies the `map[string]string` field as it is (its structToMap turns only structs,
/// pointers and slices into generic values), so templates see its Go type and nil-ness.
fn annotations_value(a: &Option<BTreeMap<String, String>>) -> Value {
    match a {
        None => Value::Dict(Dict::nil_typed(ElemType::String)),
        Some(map) => Value::Dict(Dict::typed(
            ElemType::String,
            map.iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect(),
        )),
    }
}

/// An import-values entry as templates see it: Helm's dependency processing rewrites each one
/// to a `map[string]string` of `child` and `parent`, so an all-string object is that type.
fn import_value(v: &Json) -> Value {
    match v {
        Json::Object(m) if m.values().all(Json::is_string) => Value::Dict(Dict::typed(
            ElemType::String,
            m.iter()
                .map(|(k, x)| (k.clone(), Value::from(x.as_str().unwrap_or_default())))
                .collect(),
        )),
        other => Value::from_json(other),
    }
}

fn dependency_value(d: &Dependency) -> Value {
    let s = |v: &str| Value::from(v);
    Value::dict([
        ("Name".to_string(), s(&d.name)),
        ("Version".to_string(), s(&d.version)),
        ("Repository".to_string(), s(&d.repository)),
        ("Condition".to_string(), s(&d.condition)),
        (
            "Tags".to_string(),
            Value::list(d.tags.iter().map(|t| s(t)).collect()),
        ),
        ("Enabled".to_string(), Value::Bool(d.enabled)),
        (
            "ImportValues".to_string(),
            Value::list(d.import_values.iter().map(import_value).collect()),
        ),
        ("Alias".to_string(), s(&d.alias)),
    ])
}
