//! Flux's postBuild variable substitution, shared by kustomize-controller and the CLI.
//!
//! After the build, each object is printed as YAML, `${var}` expressions are replaced
//! ([`eval`], fluxcd/pkg envsubst: `${var}`, `${var:=default}`, `${var:-default}`,
//! `$${var}` for a literal `${var}`), and the text is read back as Flux reads it (YAML
//! to JSON, JSON into the object: every number becomes a float64). Objects labelled or
//! annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.

mod funcs;
pub mod parse;

use std::collections::BTreeMap;

use parse::{ParseError, Piece};

use crate::resmap::ResMap;
use crate::resource::Resource;
use crate::yaml;

/// The label or annotation that turns substitution off for one object.
pub const SUBSTITUTE_KEY: &str = "kustomize.toolkit.fluxcd.io/substitute";
pub const DISABLED: &str = "disabled";
/// The pattern every variable name must match.
pub const VAR_NAME_PATTERN: &str = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

/// Why substitution failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubstituteError {
    #[error("'{0}' var name is invalid, must match '{VAR_NAME_PATTERN}'")]
    InvalidName(String),
    #[error("variable substitution failed: {0}")]
    Parse(#[from] ParseError),
    #[error("variable substitution failed: variable not set (strict mode): {0:?}")]
    NotSet(String),
    #[error("YAMLToJSON: {0}")]
    Yaml(String),
}

/// Variables for substitution, in the order Flux gathers them: later sources
/// (`substituteFrom` entries, then inline `substitute`) override earlier ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars(BTreeMap<String, String>);

impl Vars {
    pub fn new() -> Vars {
        Vars::default()
    }

    /// Adds one source; Flux strips newlines from every value.
    pub fn extend<K: Into<String>, V: AsRef<str>>(
        &mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) {
        for (k, v) in vars {
            self.0.insert(k.into(), v.as_ref().replace('\n', ""));
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every name must match [`VAR_NAME_PATTERN`] (ASCII letters, digits, `_`).
    pub fn validate(&self) -> Result<(), SubstituteError> {
        for name in self.0.keys() {
            let mut chars = name.chars();
            let ok = chars
                .next()
                .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
                && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
            if !ok {
                return Err(SubstituteError::InvalidName(name.clone()));
            }
        }
        Ok(())
    }
}

fn is_default_op(op: &str) -> bool {
    matches!(op, "-" | "+" | "=" | "?" | ":-" | ":+" | ":=" | ":?")
}

/// envsubst's `Eval`: replaces every `${...}` in `text`. `strict`: a variable that is
/// not set fails, unless its expression supplies a default.
pub fn eval(text: &str, vars: &Vars, strict: bool) -> Result<String, SubstituteError> {
    let pieces = parse::parse(text)?;
    let mut out = String::with_capacity(text.len());
    for p in &pieces {
        eval_piece(p, vars, strict, &mut out)?;
    }
    Ok(out)
}

fn eval_piece(
    p: &Piece,
    vars: &Vars,
    strict: bool,
    out: &mut String,
) -> Result<(), SubstituteError> {
    match p {
        Piece::Text(t) => out.push_str(t),
        Piece::Func { op, param, args } => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                let mut s = String::new();
                eval_piece(a, vars, strict, &mut s)?;
                values.push(s);
            }
            let v = vars.get(param);
            if strict && v.is_none() && !is_default_op(op) {
                return Err(SubstituteError::NotSet(param.clone()));
            }
            out.push_str(&funcs::apply(op, v.unwrap_or_default(), &values));
        }
    }
    Ok(())
}

/// Whether the object opted out with the substitute label or annotation.
pub fn is_disabled(r: &Resource) -> bool {
    let off =
        |m: Vec<(String, String)>| m.iter().any(|(k, v)| k == SUBSTITUTE_KEY && v == DISABLED);
    off(r.labels()) || off(r.annotations())
}

/// Substitutes in one object as Flux's `SubstituteVariables` does. Returns `false`
/// when the object opted out or there are no variables (then it is unchanged).
pub fn substitute_resource(
    r: &mut Resource,
    vars: &Vars,
    strict: bool,
) -> Result<bool, SubstituteError> {
    if is_disabled(r) || vars.is_empty() {
        return Ok(false);
    }
    vars.validate()?;
    let text = r
        .to_yaml()
        .map_err(|e| SubstituteError::Yaml(e.to_string()))?;
    let output = eval(&text, vars, strict)?;
    let node = yaml::parse_first(&output)
        .map_err(|e| SubstituteError::Yaml(e.to_string()))?
        .unwrap_or_else(yaml::Node::null);
    let json = yaml::to_json_v2(&node).map_err(SubstituteError::Yaml)?;
    if !json.is_object() {
        return Err(SubstituteError::Yaml(
            "json: cannot unmarshal into Go value of type map[string]interface {}".into(),
        ));
    }
    r.node = crate::patch::json6902::from_json(&json).to_node();
    Ok(true)
}

/// Substitutes in every object of a build.
pub fn substitute_all(
    resources: &mut ResMap,
    vars: &Vars,
    strict: bool,
) -> Result<(), SubstituteError> {
    for r in resources.resources_mut() {
        substitute_resource(r, vars, strict)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
