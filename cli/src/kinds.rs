//! The Flux kinds the CLI knows, how the command words name them (`source git`, `ks`...),
//! and how their status reads in a table row.

use kube::core::{ApiResource, DynamicObject};
use serde_json::Value;

use fluxion_api::kustomize::Kustomization;
use fluxion_api::source::{GitRepository, OCIRepository};

use crate::error::CliError;

/// One kind as the CLI presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FluxKind {
    GitRepository,
    OciRepository,
    Kustomization,
}

impl FluxKind {
    pub const SOURCES: [FluxKind; 2] = [FluxKind::GitRepository, FluxKind::OciRepository];
    pub const ALL: [FluxKind; 3] = [
        FluxKind::GitRepository,
        FluxKind::OciRepository,
        FluxKind::Kustomization,
    ];

    pub fn kind(self) -> &'static str {
        match self {
            FluxKind::GitRepository => "GitRepository",
            FluxKind::OciRepository => "OCIRepository",
            FluxKind::Kustomization => "Kustomization",
        }
    }

    pub fn api_resource(self) -> ApiResource {
        match self {
            FluxKind::GitRepository => ApiResource::erase::<GitRepository>(&()),
            FluxKind::OciRepository => ApiResource::erase::<OCIRepository>(&()),
            FluxKind::Kustomization => ApiResource::erase::<Kustomization>(&()),
        }
    }

    /// The revision column: what the object last produced or applied.
    pub fn revision(self, obj: &DynamicObject) -> String {
        let status = obj.data.get("status");
        let pointer = match self {
            FluxKind::Kustomization => "/lastAppliedRevision",
            _ => "/artifact/revision",
        };
        status
            .and_then(|s| s.pointer(pointer))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    /// Whether a source kind (its Kustomizations point at it).
    pub fn is_source(self) -> bool {
        self != FluxKind::Kustomization
    }

    /// The kind named by a Kustomization's `sourceRef.kind`.
    pub fn from_kind(kind: &str) -> Option<FluxKind> {
        FluxKind::ALL.into_iter().find(|k| k.kind() == kind)
    }
}

/// What a `get`/`export`/`suspend`... command addresses, parsed from its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kinds: Vec<FluxKind>,
    pub name: Option<String>,
    /// `get all` / `get sources all`: names print as `kind/name`.
    pub with_kind: bool,
}

/// Parses `source git [NAME]`, `sources oci`, `sources all`, `kustomization [NAME]`, `ks`,
/// `all` as the flux CLI's command tree accepts them.
pub fn parse_target(words: &[String]) -> Result<Target, CliError> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let (kinds, with_kind, rest): (Vec<FluxKind>, bool, &[&str]) = match w.as_slice() {
        ["source" | "sources", "git", rest @ ..] => (vec![FluxKind::GitRepository], false, rest),
        ["source" | "sources", "oci", rest @ ..] => (vec![FluxKind::OciRepository], false, rest),
        ["source" | "sources", "all", rest @ ..] => (FluxKind::SOURCES.to_vec(), true, rest),
        ["kustomization" | "kustomizations" | "ks", rest @ ..] => {
            (vec![FluxKind::Kustomization], false, rest)
        }
        ["all", rest @ ..] => (FluxKind::ALL.to_vec(), true, rest),
        ["source" | "sources"] => {
            return Err(CliError::usage(
                "a source kind is required: git, oci or all",
            ));
        }
        _ => {
            return Err(CliError::usage(format!(
                "unknown resource '{}': use 'source git', 'source oci', 'kustomization' or 'all'",
                words.join(" ")
            )));
        }
    };
    match rest {
        [] => Ok(Target {
            kinds,
            name: None,
            with_kind,
        }),
        [name] => Ok(Target {
            kinds,
            name: Some(name.to_string()),
            with_kind,
        }),
        _ => Err(CliError::usage(format!(
            "too many arguments: {}",
            words.join(" ")
        ))),
    }
}

/// The name a command needs (`reconcile`, `delete`...), or a usage error.
pub fn parse_named(words: &[String]) -> Result<(FluxKind, String), CliError> {
    let target = parse_target(words)?;
    match (target.kinds.as_slice(), target.name) {
        ([kind], Some(name)) => Ok((*kind, name)),
        ([_], None) => Err(CliError::usage("name is required")),
        _ => Err(CliError::usage("a single kind is required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_the_flux_command_words() {
        let cases = [
            ("source git", vec![FluxKind::GitRepository], None, false),
            (
                "sources git app",
                vec![FluxKind::GitRepository],
                Some("app"),
                false,
            ),
            (
                "source oci x",
                vec![FluxKind::OciRepository],
                Some("x"),
                false,
            ),
            ("sources all", FluxKind::SOURCES.to_vec(), None, true),
            ("ks", vec![FluxKind::Kustomization], None, false),
            (
                "kustomizations apps",
                vec![FluxKind::Kustomization],
                Some("apps"),
                false,
            ),
            ("all", FluxKind::ALL.to_vec(), None, true),
        ];
        for (input, kinds, name, with_kind) in cases {
            let t = parse_target(&words(input)).expect(input);
            assert_eq!(t.kinds, kinds, "{input}");
            assert_eq!(t.name.as_deref(), name, "{input}");
            assert_eq!(t.with_kind, with_kind, "{input}");
        }
    }

    #[test]
    fn refuses_unknown_words() {
        for input in ["sources", "helmrelease x", "source git a b", "bogus"] {
            assert!(parse_target(&words(input)).is_err(), "{input}");
        }
        assert!(parse_named(&words("source git")).is_err());
        assert!(parse_named(&words("all x")).is_err());
        assert_eq!(
            parse_named(&words("ks apps")).expect("named"),
            (FluxKind::Kustomization, "apps".to_string())
        );
    }
}
