//! Logging with tracing-subscriber: JSON or console, Flux's --log-level and --log-encoding.
//!
//! Flux logs through zap with controller-runtime's options: one JSON object per line on stderr
//! with the keys `level`, `ts` (ISO 8601, milliseconds, UTC), `logger` (when named), `msg`, then
//! the key/value pairs of the enclosing scopes and of the call. [`LogLayer`] writes the same
//! shape from tracing events, taking span fields as the enclosing scopes (`controller`, `name`,
//! `namespace`, `reconcileID`, ...) and a `logger` field as the logger name.

mod layer;

use std::fmt;
use std::str::FromStr;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub use layer::LogLayer;

/// Crates whose debug output is transport noise; they stay at info unless the level is lower.
const NOISY_CRATES: &[&str] = &[
    "h2",
    "hyper",
    "hyper_util",
    "rustls",
    "tower",
    "reqwest",
    "tokio_util",
];

/// `--log-level`: Flux accepts trace, debug, info and error. The names are tracing's level
/// directives too; zap's info level also shows warnings, as tracing's does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogLevel {
    Trace,
    Debug,
    #[default]
    Info,
    Error,
}

/// `--log-encoding`: json (the default) or console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogEncoding {
    #[default]
    Json,
    Console,
}

/// A logging setting that Flux would refuse, or a logger that could not be installed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TelemetryError {
    #[error("invalid log level {0:?}: must be one of 'trace', 'debug', 'info', 'error'")]
    InvalidLevel(String),
    #[error("invalid log encoding {0:?}: must be 'json' or 'console'")]
    InvalidEncoding(String),
    #[error("unable to install the global logger: {0}")]
    Init(String),
}

impl FromStr for LogLevel {
    type Err = TelemetryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "trace" => Ok(Self::Trace),
            "debug" => Ok(Self::Debug),
            "info" => Ok(Self::Info),
            "error" => Ok(Self::Error),
            _ => Err(TelemetryError::InvalidLevel(s.to_string())),
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Trace => "trace",
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Error => "error",
        })
    }
}

impl FromStr for LogEncoding {
    type Err = TelemetryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(Self::Json),
            "console" => Ok(Self::Console),
            _ => Err(TelemetryError::InvalidEncoding(s.to_string())),
        }
    }
}

impl fmt::Display for LogEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Json => "json",
            Self::Console => "console",
        })
    }
}

/// The filter directives for a level: the level itself, with transport crates held at info
/// when the level is debug or trace.
fn filter_directives(level: LogLevel) -> String {
    let mut directives = level.to_string();
    if matches!(level, LogLevel::Trace | LogLevel::Debug) {
        for krate in NOISY_CRATES {
            directives.push_str(&format!(",{krate}=info"));
        }
    }
    directives
}

/// Builds the filter for a level.
fn filter(level: LogLevel) -> Result<EnvFilter, TelemetryError> {
    EnvFilter::try_new(filter_directives(level)).map_err(|e| TelemetryError::Init(e.to_string()))
}

/// Parses `--log-level` and `--log-encoding` values and installs the global logger on stderr.
pub fn init_from_flags(level: &str, encoding: &str) -> Result<(), TelemetryError> {
    init(level.parse()?, encoding.parse()?)
}

/// Installs the global logger on stderr (also capturing `log` records of dependencies).
/// Fails, rather than panicking, when a global logger is already installed.
pub fn init(level: LogLevel, encoding: LogEncoding) -> Result<(), TelemetryError> {
    tracing_subscriber::registry()
        .with(filter(level)?)
        .with(LogLayer::new(encoding, std::io::stderr))
        .try_init()
        .map_err(|e| TelemetryError::Init(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flux_log_levels() {
        let cases = [
            ("trace", Ok(LogLevel::Trace)),
            ("debug", Ok(LogLevel::Debug)),
            ("info", Ok(LogLevel::Info)),
            ("error", Ok(LogLevel::Error)),
            ("warn", Err(TelemetryError::InvalidLevel("warn".into()))),
            ("INFO", Err(TelemetryError::InvalidLevel("INFO".into()))),
            ("", Err(TelemetryError::InvalidLevel(String::new()))),
        ];
        for (input, want) in cases {
            assert_eq!(input.parse::<LogLevel>(), want, "{input}");
        }
        for level in [
            LogLevel::Trace,
            LogLevel::Debug,
            LogLevel::Info,
            LogLevel::Error,
        ] {
            assert_eq!(level.to_string().parse::<LogLevel>(), Ok(level));
        }
    }

    #[test]
    fn parses_flux_log_encodings() {
        assert_eq!("json".parse::<LogEncoding>(), Ok(LogEncoding::Json));
        assert_eq!("console".parse::<LogEncoding>(), Ok(LogEncoding::Console));
        let err = "text".parse::<LogEncoding>().expect_err("refused");
        assert!(err.to_string().contains("\"text\""), "{err}");
        assert_eq!(LogEncoding::default(), LogEncoding::Json);
        assert_eq!(LogLevel::default(), LogLevel::Info);
    }

    #[test]
    fn filter_quiets_transport_crates_only_below_info() {
        assert_eq!(filter_directives(LogLevel::Info), "info");
        assert_eq!(filter_directives(LogLevel::Error), "error");
        let debug = filter_directives(LogLevel::Debug);
        assert!(
            debug.starts_with("debug,") && debug.contains("hyper=info"),
            "{debug}"
        );
        for level in [
            LogLevel::Trace,
            LogLevel::Debug,
            LogLevel::Info,
            LogLevel::Error,
        ] {
            assert!(filter(level).is_ok());
        }
    }

    #[test]
    fn init_from_flags_refuses_bad_values_without_installing() {
        assert_eq!(
            init_from_flags("verbose", "json"),
            Err(TelemetryError::InvalidLevel("verbose".into()))
        );
        assert_eq!(
            init_from_flags("info", "logfmt"),
            Err(TelemetryError::InvalidEncoding("logfmt".into()))
        );
    }
}
