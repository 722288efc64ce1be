//! source-controller's flags, with Flux's names and defaults, validated into a [`Config`]
//! without I/O.

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser};
use fluxion_api::duration::parse_duration;
use fluxion_runtime::flags::{
    FlagError, ListenAddr, RuntimeConfig, RuntimeFlags, override_default,
};

use crate::storage::{ArchiveLimits, Retention};

/// The controller's name: Events' reportingController, the metrics' controller label.
pub const CONTROLLER_NAME: &str = "source-controller";

/// Command-line flags.
#[derive(Parser, Debug, Clone, PartialEq)]
#[command(name = CONTROLLER_NAME, about = "Fluxion source-controller")]
pub struct Args {
    #[command(flatten)]
    pub runtime: RuntimeFlags,
    /// The local storage path.
    #[arg(long = "storage-path", default_value = "")]
    pub storage_path: String,
    /// The address the static file server binds to.
    #[arg(long = "storage-addr", default_value = ":9090")]
    pub storage_addr: String,
    /// The advertised address of the static file server.
    #[arg(long = "storage-adv-addr", default_value = "")]
    pub storage_adv_addr: String,
    /// The duration of time that artifacts from previous reconciliations will be kept in
    /// storage before being garbage collected.
    #[arg(long = "artifact-retention-ttl", default_value = "60s")]
    pub artifact_retention_ttl: String,
    /// The maximum number of artifacts to be kept in storage after a garbage collection.
    #[arg(long = "artifact-retention-records", default_value_t = 2)]
    pub artifact_retention_records: i64,
}

impl Args {
    /// Parses the process arguments, with source-controller's `--concurrent` default of 2.
    pub fn parse_from_env() -> Result<Self, clap::Error> {
        Self::parse_from_iter(std::env::args_os())
    }

    pub fn parse_from_iter<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let cmd = override_default(Self::command(), "concurrent", "2");
        Self::from_arg_matches(&cmd.try_get_matches_from(args)?)
    }
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub runtime: RuntimeConfig,
    pub storage_path: PathBuf,
    pub storage_addr: ListenAddr,
    pub storage_adv_addr: String,
    pub retention: Retention,
    /// Bounds on one artifact's content (not a Flux flag: Flux has none; see [`ArchiveLimits`]).
    pub artifact_limits: ArchiveLimits,
}

fn invalid(flag: &'static str, problem: impl std::fmt::Display) -> FlagError {
    FlagError::Invalid {
        flag,
        message: problem.to_string(),
    }
}

impl Args {
    /// Checks the flags. `hostname` is the pod's host name, used (as Flux does) for the
    /// advertised address when neither it nor the storage address names a host.
    pub fn validate(&self, hostname: &str) -> Result<Config, FlagError> {
        let runtime = self.runtime.validate()?;
        let storage_addr = ListenAddr::parse(&self.storage_addr)
            .map_err(|e| invalid("storage-addr", e))?
            .ok_or_else(|| invalid("storage-addr", "the storage server cannot be disabled"))?;
        let ttl = parse_duration(&self.artifact_retention_ttl)
            .map_err(|e| invalid("artifact-retention-ttl", e))?;
        let records = usize::try_from(self.artifact_retention_records)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid("artifact-retention-records", "must be a positive number"))?;
        let storage_path = match self.storage_path.as_str() {
            "" => std::env::temp_dir().join(CONTROLLER_NAME),
            p => PathBuf::from(p),
        };
        Ok(Config {
            runtime,
            storage_path,
            storage_adv_addr: adv_addr(&self.storage_adv_addr, &self.storage_addr, hostname),
            storage_addr,
            retention: Retention { ttl, records },
            artifact_limits: ArchiveLimits::default(),
        })
    }
}

/// Flux's `determineAdvStorageAddr`: the flag if set; otherwise the storage address with an
/// empty or unspecified host replaced by the host name.
pub fn adv_addr(flag: &str, storage_addr: &str, hostname: &str) -> String {
    if !flag.is_empty() {
        return flag.to_string();
    }
    let (host, port) = storage_addr.rsplit_once(':').unwrap_or((storage_addr, ""));
    let host = match host {
        "" | "0.0.0.0" | "[::]" | "::" => hostname,
        h => h,
    };
    format!("{host}:{port}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn flux_defaults() {
        let args = Args::parse_from_iter(["source-controller"]).expect("parse");
        assert_eq!(args.runtime.concurrent, 2);
        assert_eq!(args.storage_addr, ":9090");
        let config = args.validate("pod-1").expect("valid");
        assert_eq!(config.storage_adv_addr, "pod-1:9090");
        assert_eq!(config.retention.ttl, Duration::from_secs(60));
        assert_eq!(config.retention.records, 2);
    }

    #[test]
    fn storage_flags() {
        let args = Args::parse_from_iter([
            "source-controller",
            "--storage-path=/data",
            "--storage-addr=127.0.0.1:9999",
            "--artifact-retention-ttl=1h",
            "--artifact-retention-records=5",
            "--concurrent=7",
        ])
        .expect("parse");
        let config = args.validate("pod").expect("valid");
        assert_eq!(config.storage_path, PathBuf::from("/data"));
        assert_eq!(config.storage_adv_addr, "127.0.0.1:9999");
        assert_eq!(config.retention.ttl, Duration::from_secs(3600));
        assert_eq!(config.runtime.concurrent, 7);
        let bad = Args::parse_from_iter(["x", "--artifact-retention-records=0"]).expect("parse");
        assert!(bad.validate("pod").is_err());
        assert_eq!(
            adv_addr("sc.flux-system:80", ":9090", "pod"),
            "sc.flux-system:80"
        );
    }
}
