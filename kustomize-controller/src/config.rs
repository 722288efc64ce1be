//! kustomize-controller's flags, with Flux's names and defaults, validated into a [`Config`]
//! without I/O.

use clap::Parser;
use fluxion_runtime::flags::{FlagError, RuntimeConfig, RuntimeFlags};

/// The controller's name: Events' reportingController, the metrics' controller label, and the
/// field manager of applied objects.
pub const CONTROLLER_NAME: &str = "kustomize-controller";

/// Command-line flags.
#[derive(Parser, Debug, Clone, PartialEq)]
#[command(name = CONTROLLER_NAME, about = "Fluxion kustomize-controller")]
pub struct Args {
    #[command(flatten)]
    pub runtime: RuntimeFlags,
    /// Disallow remote bases usage in Kustomize overlays. Remote bases are never fetched by
    /// Fluxion; the flag is accepted for compatibility.
    #[arg(long = "no-remote-bases", default_value = "false", num_args = 0..=1,
          require_equals = true, default_missing_value = "true",
          action = clap::ArgAction::Set, value_parser = fluxion_runtime::flags::parse_go_bool)]
    pub no_remote_bases: bool,
    /// The maximum number of retries when fetching artifacts from the source-controller.
    #[arg(long = "artifact-fetch-retries", default_value_t = 9)]
    pub artifact_fetch_retries: i64,
    /// Field managers whose fields are taken over on apply (in addition to kubectl's).
    #[arg(long = "override-manager")]
    pub override_managers: Vec<String>,
    /// The name of a Secret in the runtime namespace with age keys (`*.agekey`) used to
    /// decrypt for Kustomizations whose decryption has no secretRef.
    #[arg(long = "sops-age-secret", default_value = "")]
    pub sops_age_secret: String,
    /// Feature gates, `Name=true|false,...`; accepted for compatibility.
    #[arg(long = "feature-gates", default_value = "")]
    pub feature_gates: String,
}

impl Args {
    /// Parses the process arguments.
    pub fn parse_from_env() -> Result<Self, clap::Error> {
        Self::try_parse()
    }

    pub fn parse_from_iter<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Self::try_parse_from(args)
    }

    /// Checks the flags.
    pub fn validate(&self) -> Result<Config, FlagError> {
        let runtime = self.runtime.validate()?;
        let artifact_fetch_retries =
            u32::try_from(self.artifact_fetch_retries).map_err(|_| FlagError::Invalid {
                flag: "artifact-fetch-retries",
                message: "must be zero or a positive number".into(),
            })?;
        let strict_substitutions = feature_gate(&self.feature_gates, STRICT_SUBSTITUTIONS_GATE)?;
        let sops_age_secret = Some(self.sops_age_secret.clone()).filter(|s| !s.is_empty());
        Ok(Config {
            sops_age_secret,
            strict_substitutions,
            runtime,
            no_remote_bases: self.no_remote_bases,
            artifact_fetch_retries,
            override_managers: self.override_managers.clone(),
        })
    }
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub runtime: RuntimeConfig,
    pub no_remote_bases: bool,
    pub artifact_fetch_retries: u32,
    pub override_managers: Vec<String>,
    /// Fail post-build substitution on a variable without value or default.
    pub strict_substitutions: bool,
    /// `--sops-age-secret`: the global age keys Secret in the runtime namespace.
    pub sops_age_secret: Option<String>,
}

/// Flux's feature gate for strict post-build substitution.
pub const STRICT_SUBSTITUTIONS_GATE: &str = "StrictPostBuildSubstitutions";

/// The value of one gate in `Name=true,Other=false`; false when absent.
fn feature_gate(gates: &str, name: &str) -> Result<bool, FlagError> {
    for gate in gates.split(',').map(str::trim).filter(|g| !g.is_empty()) {
        let (key, value) = gate.split_once('=').ok_or_else(|| FlagError::Invalid {
            flag: "feature-gates",
            message: format!("missing bool value for {gate}"),
        })?;
        if key.trim() == name {
            return fluxion_runtime::flags::parse_go_bool(value.trim()).map_err(|message| {
                FlagError::Invalid {
                    flag: "feature-gates",
                    message,
                }
            });
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn flux_defaults() {
        let config = Args::parse_from_iter(["kustomize-controller"])
            .expect("parse")
            .validate()
            .expect("valid");
        assert_eq!(config.runtime.concurrent, 4);
        assert_eq!(config.runtime.requeue_dependency, Duration::from_secs(30));
        assert!(!config.runtime.no_cross_namespace_refs);
        assert_eq!(config.runtime.default_service_account, None);
        assert!(!config.no_remote_bases);
        assert_eq!(config.artifact_fetch_retries, 9);
    }

    #[test]
    fn tenancy_flags() {
        let config = Args::parse_from_iter([
            "kustomize-controller",
            "--no-cross-namespace-refs=true",
            "--default-service-account=reconciler",
            "--no-remote-bases",
            "--requeue-dependency=5s",
            "--concurrent=10",
            "--events-addr=http://notification-controller.flux-system.svc/",
        ])
        .expect("parse")
        .validate()
        .expect("valid");
        assert!(config.runtime.no_cross_namespace_refs);
        assert_eq!(
            config.runtime.default_service_account.as_deref(),
            Some("reconciler")
        );
        assert!(config.no_remote_bases);
        assert_eq!(config.runtime.requeue_dependency, Duration::from_secs(5));
        assert_eq!(config.runtime.concurrent, 10);
        assert!(config.runtime.events_addr.is_some());
        let strict =
            Args::parse_from_iter(["x", "--feature-gates=StrictPostBuildSubstitutions=true"])
                .expect("parse")
                .validate()
                .expect("valid");
        assert!(strict.strict_substitutions);
        let bad = Args::parse_from_iter(["x", "--feature-gates=Strict"]).expect("parse");
        assert!(bad.validate().is_err());
        let bad = Args::parse_from_iter(["x", "--artifact-fetch-retries=-1"]).expect("parse");
        assert!(bad.validate().is_err());
    }
}
