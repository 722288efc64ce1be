//! The command-line flags every Flux controller shares, with Flux's names and defaults.
//!
//! [`RuntimeFlags`] is flattened into each controller's clap `Args`; [`RuntimeFlags::validate`]
//! turns it into a typed [`RuntimeConfig`] without any I/O. Names and defaults follow the Flux
//! controllers' `main.go` and the option structs of fluxcd/pkg/runtime (`leaderelection`,
//! `logger`, `controller` watch and rate-limiter options, `acl`, `jitter`, `client`). Booleans
//! parse as Go's flag package does: `--flag`, `--flag=true`, `--flag=false`.

mod addr;
mod selector;

use std::hash::Hash;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args};
use fluxion_api::duration::parse_duration;

use crate::backoff::{
    Backoff, DEFAULT_INTERVAL_JITTER_PERCENTAGE, IntervalJitter, JitterPercentage, Requeuer,
};
use crate::leader::{ElectionTiming, LeaderElectionConfig};
use crate::telemetry::{LogEncoding, LogLevel};

pub use addr::{AddrError, ListenAddr, ListenHost};
pub use selector::{SelectorError, validate_label_selector};

/// The environment variable Flux's Deployments set to the controller's namespace.
pub const RUNTIME_NAMESPACE_ENV: &str = "RUNTIME_NAMESPACE";
/// The default of `--watch-configs-label-selector`: Flux's `reconcile.fluxcd.io/watch=Enabled`.
pub const DEFAULT_CONFIGS_LABEL_SELECTOR: &str = "reconcile.fluxcd.io/watch=Enabled";

/// The flags shared by all controllers. Flatten into a controller's `Args` with
/// `#[command(flatten)]`; controllers with another `--concurrent` default (source-controller: 2)
/// adjust it with [`override_default`].
#[derive(Args, Debug, Clone, PartialEq)]
pub struct RuntimeFlags {
    /// The address the metric endpoint binds to.
    #[arg(long = "metrics-addr", default_value = ":8080")]
    pub metrics_addr: String,
    /// The address the health endpoint binds to.
    #[arg(long = "health-addr", default_value = ":9440")]
    pub health_addr: String,
    /// The address of the events receiver.
    #[arg(long = "events-addr", default_value = "")]
    pub events_addr: String,
    /// The number of concurrent reconciles.
    #[arg(long = "concurrent", default_value_t = 4)]
    pub concurrent: i64,
    /// The interval at which failing dependencies are reevaluated.
    #[arg(long = "requeue-dependency", default_value = "30s")]
    pub requeue_dependency: String,
    /// Log verbosity level. Can be one of 'trace', 'debug', 'info', 'error'.
    #[arg(long = "log-level", default_value = "info")]
    pub log_level: String,
    /// Log encoding format. Can be 'json' or 'console'.
    #[arg(long = "log-encoding", default_value = "json")]
    pub log_encoding: String,
    /// Enable leader election for controller manager.
    #[arg(long = "enable-leader-election", default_value = "false", num_args = 0..=1,
          require_equals = true, default_missing_value = "true", action = ArgAction::Set,
          value_parser = parse_go_bool)]
    pub enable_leader_election: bool,
    /// Defines if the leader should step down voluntarily on controller manager shutdown.
    #[arg(long = "leader-election-release-on-cancel", default_value = "true", num_args = 0..=1,
          require_equals = true, default_missing_value = "true", action = ArgAction::Set,
          value_parser = parse_go_bool)]
    pub leader_election_release_on_cancel: bool,
    /// Interval at which non-leader candidates will wait to force acquire leadership.
    #[arg(long = "leader-election-lease-duration", default_value = "35s")]
    pub leader_election_lease_duration: String,
    /// Duration that the leading controller manager will retry refreshing leadership before giving up.
    #[arg(long = "leader-election-renew-deadline", default_value = "30s")]
    pub leader_election_renew_deadline: String,
    /// Duration the LeaderElector clients should wait between tries of actions.
    #[arg(long = "leader-election-retry-period", default_value = "5s")]
    pub leader_election_retry_period: String,
    /// Watch for resources in all namespaces, if set to false it will only watch the runtime namespace.
    #[arg(long = "watch-all-namespaces", default_value = "true", num_args = 0..=1,
          require_equals = true, default_missing_value = "true", action = ArgAction::Set,
          value_parser = parse_go_bool)]
    pub watch_all_namespaces: bool,
    /// Watch for resources with matching labels e.g. 'sharding.fluxcd.io/shard=shard1'.
    #[arg(long = "watch-label-selector", default_value = "")]
    pub watch_label_selector: String,
    /// Watch for ConfigMaps and Secrets with matching labels.
    #[arg(long = "watch-configs-label-selector", default_value = DEFAULT_CONFIGS_LABEL_SELECTOR)]
    pub watch_configs_label_selector: String,
    /// When set to true, references between custom resources are allowed only if the reference
    /// and the referee are in the same namespace.
    #[arg(long = "no-cross-namespace-refs", default_value = "false", num_args = 0..=1,
          require_equals = true, default_missing_value = "true", action = ArgAction::Set,
          value_parser = parse_go_bool)]
    pub no_cross_namespace_refs: bool,
    /// Default service account used for impersonation and workload identity.
    #[arg(long = "default-service-account", default_value = "")]
    pub default_service_account: String,
    /// Percentage of jitter to apply to interval durations; must be less than 100.
    #[arg(long = "interval-jitter-percentage", default_value_t = DEFAULT_INTERVAL_JITTER_PERCENTAGE)]
    pub interval_jitter_percentage: u8,
    /// Paths to a kubeconfig. Only required if out-of-cluster.
    #[arg(long = "kubeconfig")]
    pub kubeconfig: Option<PathBuf>,
    /// The maximum queries-per-second of requests sent to the Kubernetes API.
    #[arg(long = "kube-api-qps", default_value_t = 50.0)]
    pub kube_api_qps: f32,
    /// The maximum burst queries-per-second of requests sent to the Kubernetes API.
    #[arg(long = "kube-api-burst", default_value_t = 300)]
    pub kube_api_burst: i64,
    /// The minimum amount of time for which an object being reconciled will have to wait before a retry.
    #[arg(long = "min-retry-delay", default_value = "750ms")]
    pub min_retry_delay: String,
    /// The maximum amount of time for which an object being reconciled will have to wait before a retry.
    #[arg(long = "max-retry-delay", default_value = "15m")]
    pub max_retry_delay: String,
    /// The namespace the controller runs in (Flux's Deployments set RUNTIME_NAMESPACE).
    #[arg(long = "runtime-namespace", env = RUNTIME_NAMESPACE_ENV, hide = true)]
    pub runtime_namespace: Option<String>,
}

/// What to watch: one namespace or all, and which objects by label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchConfig {
    /// The only namespace to watch; `None` watches all namespaces.
    pub namespace: Option<String>,
    /// Selector for the controller's own kinds; `None` selects everything.
    pub label_selector: Option<String>,
    /// Selector for watched ConfigMaps and Secrets; `None` selects everything.
    pub configs_label_selector: Option<String>,
}

/// The validated shared configuration of a controller.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeConfig {
    /// `None` when `--metrics-addr=0`.
    pub metrics_addr: Option<ListenAddr>,
    /// `None` when `--health-addr` is `0` or empty.
    pub health_addr: Option<ListenAddr>,
    /// The events receiver (notification-controller); `None` when not set.
    pub events_addr: Option<reqwest::Url>,
    pub concurrent: usize,
    pub requeue_dependency: Duration,
    pub log_level: LogLevel,
    pub log_encoding: LogEncoding,
    pub leader_election: LeaderElectionConfig,
    pub watch: WatchConfig,
    pub no_cross_namespace_refs: bool,
    pub default_service_account: Option<String>,
    /// The jitter applied to `spec.interval` requeues; zero turns it off.
    pub interval_jitter: JitterPercentage,
    pub kubeconfig: Option<PathBuf>,
    pub kube_api_qps: f32,
    pub kube_api_burst: u32,
    pub min_retry_delay: Duration,
    pub max_retry_delay: Duration,
    pub runtime_namespace: Option<String>,
}

/// A flag value that Flux would refuse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FlagError {
    #[error("--{flag}: {message}")]
    Invalid { flag: &'static str, message: String },
}

fn invalid(flag: &'static str, message: impl ToString) -> FlagError {
    FlagError::Invalid {
        flag,
        message: message.to_string(),
    }
}

/// Parses a boolean as Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(format!("invalid boolean value {s:?}")),
    }
}

/// Changes the default of one flag of a command, e.g. `--concurrent` to 2 for source-controller.
pub fn override_default(
    cmd: clap::Command,
    flag: &'static str,
    value: &'static str,
) -> clap::Command {
    cmd.mut_arg(flag, |arg| arg.default_value(value))
}

fn duration_flag(flag: &'static str, value: &str) -> Result<Duration, FlagError> {
    parse_duration(value).map_err(|e| invalid(flag, e))
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

impl RuntimeFlags {
    /// Checks every value and builds the typed configuration; no I/O.
    pub fn validate(&self) -> Result<RuntimeConfig, FlagError> {
        let metrics_addr = match self.metrics_addr.as_str() {
            "" => ListenAddr::parse(":8080"),
            addr => ListenAddr::parse(addr),
        }
        .map_err(|e| invalid("metrics-addr", e))?;
        let health_addr = match self.health_addr.as_str() {
            "" => None,
            addr => ListenAddr::parse(addr).map_err(|e| invalid("health-addr", e))?,
        };
        let events_addr = match self.events_addr.as_str() {
            "" => None,
            addr => Some(parse_events_addr(addr)?),
        };
        let concurrent = usize::try_from(self.concurrent)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid("concurrent", "must be a positive number"))?;
        let (min_retry_delay, max_retry_delay) = self.retry_delays()?;
        Ok(RuntimeConfig {
            metrics_addr,
            health_addr,
            events_addr,
            concurrent,
            requeue_dependency: duration_flag("requeue-dependency", &self.requeue_dependency)?,
            log_level: self
                .log_level
                .parse()
                .map_err(|e| invalid("log-level", e))?,
            log_encoding: self
                .log_encoding
                .parse()
                .map_err(|e| invalid("log-encoding", e))?,
            leader_election: self.leader_election()?,
            watch: self.watch()?,
            no_cross_namespace_refs: self.no_cross_namespace_refs,
            default_service_account: non_empty(&self.default_service_account),
            interval_jitter: self.interval_jitter()?,
            kubeconfig: self
                .kubeconfig
                .clone()
                .filter(|p| !p.as_os_str().is_empty()),
            kube_api_qps: self.kube_api_qps,
            kube_api_burst: u32::try_from(self.kube_api_burst)
                .map_err(|_| invalid("kube-api-burst", "must not be negative"))?,
            min_retry_delay,
            max_retry_delay,
            runtime_namespace: self.runtime_namespace.as_deref().and_then(non_empty),
        })
    }

    fn leader_election(&self) -> Result<LeaderElectionConfig, FlagError> {
        let timing = ElectionTiming {
            lease_duration: duration_flag(
                "leader-election-lease-duration",
                &self.leader_election_lease_duration,
            )?,
            renew_deadline: duration_flag(
                "leader-election-renew-deadline",
                &self.leader_election_renew_deadline,
            )?,
            retry_period: duration_flag(
                "leader-election-retry-period",
                &self.leader_election_retry_period,
            )?,
        };
        // client-go checks the timings only when an election runs; so do we.
        if self.enable_leader_election {
            timing
                .validate()
                .map_err(|e| invalid("enable-leader-election", e))?;
        }
        Ok(LeaderElectionConfig {
            enabled: self.enable_leader_election,
            release_on_cancel: self.leader_election_release_on_cancel,
            timing,
        })
    }

    /// Flux watches the runtime namespace only when `--watch-all-namespaces=false` and
    /// RUNTIME_NAMESPACE is set; without it, it watches all namespaces.
    fn watch(&self) -> Result<WatchConfig, FlagError> {
        validate_label_selector(&self.watch_label_selector)
            .map_err(|e| invalid("watch-label-selector", e))?;
        validate_label_selector(&self.watch_configs_label_selector)
            .map_err(|e| invalid("watch-configs-label-selector", e))?;
        let namespace = match self.watch_all_namespaces {
            true => None,
            false => self.runtime_namespace.as_deref().and_then(non_empty),
        };
        Ok(WatchConfig {
            namespace,
            label_selector: non_empty(self.watch_label_selector.trim()),
            configs_label_selector: non_empty(self.watch_configs_label_selector.trim()),
        })
    }

    fn interval_jitter(&self) -> Result<JitterPercentage, FlagError> {
        JitterPercentage::new(self.interval_jitter_percentage)
            .map_err(|e| invalid("interval-jitter-percentage", e))
    }

    fn retry_delays(&self) -> Result<(Duration, Duration), FlagError> {
        let min = duration_flag("min-retry-delay", &self.min_retry_delay)?;
        let max = duration_flag("max-retry-delay", &self.max_retry_delay)?;
        if min > max {
            return Err(invalid(
                "min-retry-delay",
                "must not be greater than --max-retry-delay",
            ));
        }
        Ok((min, max))
    }
}

impl RuntimeConfig {
    /// The requeue policy these flags configure: per-object backoff between
    /// `--min-retry-delay` and `--max-retry-delay`, and `--interval-jitter-percentage`.
    pub fn requeuer<K: Hash + Eq + Clone>(&self) -> Requeuer<K> {
        Requeuer::new(
            Backoff::new(self.min_retry_delay, self.max_retry_delay),
            IntervalJitter::new(self.interval_jitter),
        )
    }
}

fn parse_events_addr(addr: &str) -> Result<reqwest::Url, FlagError> {
    let url =
        reqwest::Url::parse(addr).map_err(|e| invalid("events-addr", format!("{addr:?}: {e}")))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(invalid(
            "events-addr",
            format!("unsupported scheme {other:?}, want http or https"),
        )),
    }
}

#[cfg(test)]
mod tests;
