//! `crds`: field specs declared by OpenAPI definitions with kustomize's `x-kubernetes-*`
//! extensions (kustomize's `LoadConfigFromCRDs`).
//!
//! A file maps type names to `{Schema, Dependencies}`; a type with `kind`, `apiVersion` and
//! `metadata` properties is a resource kind (the last `.`-part of its name), and its
//! properties, followed through `$ref`s, declare annotation, label selector, identity
//! (name prefix) and object reference fields.

use serde_json::{Map, Value as J};

use super::config::{ConfigError, NameBackReference, TransformConfig, merge_one};
use crate::kustomization::FieldSpec;
use crate::yaml;

/// `$ref` chains deeper than this are cut (kustomize would recurse until it overflows).
const MAX_DEPTH: usize = 64;

/// The `Schema` of a definition; Go matches the field name case-insensitively.
fn schema(def: &J) -> Option<&Map<String, J>> {
    let obj = def.as_object()?;
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("schema"))
        .and_then(|(_, v)| v.as_object())
}

fn properties(def: &J) -> Option<&Map<String, J>> {
    schema(def)?.get("properties")?.as_object()
}

/// The string value of an extension (go-openapi lowercases extension keys).
fn ext<'a>(prop: &'a Map<String, J>, name: &str) -> Option<&'a str> {
    prop.iter()
        .find(|(k, _)| k.to_ascii_lowercase() == name)
        .and_then(|(_, v)| v.as_str())
}

fn field_spec(kind: &str, path: &[&str]) -> FieldSpec {
    FieldSpec {
        kind: kind.into(),
        path: path.join("/"),
        ..FieldSpec::default()
    }
}

struct Loader<'a> {
    defs: &'a Map<String, J>,
    kind: String,
    config: TransformConfig,
}

impl Loader<'_> {
    fn add(
        list: &mut Vec<FieldSpec>,
        fs: FieldSpec,
        what: &'static str,
    ) -> Result<(), ConfigError> {
        merge_one(list, &fs).map_err(|_| ConfigError::Conflict(what))
    }

    fn load(&mut self, type_name: &str, path: &mut Vec<String>) -> Result<(), ConfigError> {
        let Some(props) = self.defs.get(type_name).and_then(properties) else {
            return Ok(());
        };
        if path.len() > MAX_DEPTH {
            return Ok(());
        }
        for (name, prop) in props {
            let Some(prop) = prop.as_object() else {
                continue;
            };
            path.push(name.clone());
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            let fs = field_spec(&self.kind, &p);
            let c = &mut self.config;
            if ext(prop, "x-kubernetes-annotation").is_some() {
                Self::add(&mut c.common_annotations, fs.clone(), "CommonAnnotations")?;
            }
            if ext(prop, "x-kubernetes-label-selector").is_some() {
                Self::add(&mut c.common_labels, fs.clone(), "CommonLabels")?;
            }
            if ext(prop, "x-kubernetes-identity").is_some() {
                Self::add(&mut c.name_prefix, fs, "NamePrefix")?;
            }
            self.object_ref(prop, &p)?;
            if let Some(r) = prop.get("$ref").and_then(J::as_str) {
                self.load(r, path)?;
            }
            path.pop();
        }
        Ok(())
    }

    fn object_ref(&mut self, prop: &Map<String, J>, path: &[&str]) -> Result<(), ConfigError> {
        let version = ext(prop, "x-kubernetes-object-ref-api-version");
        let kind = ext(prop, "x-kubernetes-object-ref-kind");
        let (Some(version), Some(kind)) = (version, kind) else {
            return Ok(());
        };
        let key = ext(prop, "x-kubernetes-object-ref-name-key").unwrap_or("name");
        let mut full = path.to_vec();
        full.push(key);
        let reference = NameBackReference {
            version: version.into(),
            kind: kind.into(),
            referrers: vec![field_spec(&self.kind, &full)],
            ..NameBackReference::default()
        };
        let one = TransformConfig {
            name_reference: vec![reference],
            ..TransformConfig::default()
        };
        self.config = self.config.merge(&one)?;
        Ok(())
    }
}

fn looks_like_a_kind(def: &J) -> bool {
    properties(def).is_some_and(|p| {
        p.contains_key("kind") && p.contains_key("apiVersion") && p.contains_key("metadata")
    })
}

/// The configuration one CRD file declares.
pub fn config_from_crd(text: &str) -> Result<TransformConfig, ConfigError> {
    let json: J = if text.starts_with('{') {
        serde_json::from_str(text).map_err(|e| ConfigError::Decode(e.to_string()))?
    } else {
        match yaml::parse_first(text).map_err(|e| ConfigError::Decode(e.to_string()))? {
            Some(node) => yaml::to_json_v2(&node).map_err(ConfigError::Decode)?,
            None => J::Null,
        }
    };
    let defs = match &json {
        J::Object(m) => m.clone(),
        J::Null => Map::new(),
        _ => {
            return Err(ConfigError::Decode(
                "json: cannot unmarshal into Go value of type accumulator.nameToApiMap".into(),
            ));
        }
    };
    let mut result = TransformConfig::default();
    for (name, def) in &defs {
        if !looks_like_a_kind(def) {
            continue;
        }
        let kind = name.rsplit('.').next().unwrap_or(name).to_string();
        let mut loader = Loader {
            defs: &defs,
            kind,
            config: TransformConfig::default(),
        };
        loader.load(name, &mut Vec::new())?;
        result = result.merge(&loader.config)?;
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_become_field_specs() {
        let text = r#"
example.com/v1.Bee:
  Schema:
    properties:
      apiVersion: {type: string}
      kind: {type: string}
      metadata: {$ref: ObjectMeta}
      spec: {$ref: example.com/v1.BeeSpec}
example.com/v1.BeeSpec:
  Schema:
    properties:
      selector: {x-kubernetes-label-selector: ""}
      notes: {x-kubernetes-annotation: ""}
      secretRef:
        x-kubernetes-object-ref-api-version: v1
        x-kubernetes-object-ref-kind: Secret
"#;
        let c = config_from_crd(text).expect("parses");
        assert_eq!(
            c.common_labels,
            vec![field_spec("Bee", &["spec", "selector"])]
        );
        assert_eq!(
            c.common_annotations,
            vec![field_spec("Bee", &["spec", "notes"])]
        );
        assert_eq!(
            c.name_reference[0].referrers,
            vec![field_spec("Bee", &["spec", "secretRef", "name"])]
        );
        assert_eq!(c.name_reference[0].kind, "Secret");
    }
}
