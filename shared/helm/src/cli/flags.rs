//! Flag values of `helm template` that need Helm's own parsing and wording: `--dry-run`,
//! `--labels`, `--name-template`, and the install flags accepted because they do not change
//! what `helm template` prints.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::template::{FuncError, Param, Signature, Templates, Value};

/// Helm's dry-run strategies that `helm template` allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DryRun {
    /// Render offline: lookup is empty, capabilities are Helm's defaults.
    #[default]
    Client,
    /// Render against the cluster: lookup, capabilities from discovery, install checks.
    Server,
}

/// Go's `strconv.ParseBool`.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Helm's `cmdGetDryRunFlagStrategy` for `helm template`: `None` is the flag's default
/// (`client`); `unset` is the bare `--dry-run`.
pub fn parse_dry_run(value: Option<&str>) -> Result<DryRun, String> {
    let v = value.unwrap_or("client");
    let only_two = || format!("invalid dry-run value ({v:?}). Must be \"server\" or \"client\"");
    match v {
        "unset" | "client" => Ok(DryRun::Client),
        "server" => Ok(DryRun::Server),
        "none" => Err(only_two()),
        _ => match parse_bool(v) {
            Some(true) => Ok(DryRun::Client),
            Some(false) => Err(only_two()),
            None => Err(format!(
                "invalid dry-run value ({v:?}). Must be \"none\", \"server\", or \"client\""
            )),
        },
    }
}

/// Labels Helm keeps for itself on release storage (`driver.GetSystemLabels`).
const SYSTEM_LABELS: [&str; 6] = [
    "name",
    "owner",
    "status",
    "version",
    "createdAt",
    "modifiedAt",
];

/// `--labels` as pflag's stringToString reads it, then Helm's reserved-name check.
pub fn parse_labels(values: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut labels = BTreeMap::new();
    for value in values {
        for pair in value.split(',').filter(|p| !p.is_empty()) {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(format!(
                    "invalid argument {value:?} for \"-l, --labels\" flag: {pair} must be formatted as key=value"
                ));
            };
            labels.insert(k.to_string(), v.to_string());
        }
    }
    if labels.keys().any(|k| SYSTEM_LABELS.contains(&k.as_str())) {
        return Err(format!(
            "user supplied labels contains system reserved label name. System labels: [{}]",
            SYSTEM_LABELS.join(" ")
        ));
    }
    Ok(labels)
}

/// Helm's `TemplateName`: the name template executed with Sprig and no data.
pub fn template_name(text: &str) -> Result<String, String> {
    let mut funcs = crate::sprig::funcs();
    // Sprig's own `fail` (Helm replaces it in charts, not here).
    funcs.add("fail", Signature::new([Param::String]), |_, a| {
        Err(FuncError::new(
            a.first().and_then(Value::as_str).unwrap_or(""),
        ))
    });
    let mut set = Templates::with_funcs("name-template", Arc::new(funcs));
    set.parse("name-template", text)
        .map_err(|e| e.to_string())?;
    set.execute("name-template", &Value::Nil)
        .map_err(|e| e.to_string())
}

/// Flags of `helm template` about chart download, cluster writes or waiting: accepted,
/// and without effect on the output (charts are local; nothing is installed). `--timeout`
/// is left to each binary (the fluxion CLI has a global one); a command embedding these
/// must disable clap's own `--version` flag.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct IgnoredFlags {
    /// Chart repository URL (remote charts are not supported).
    #[arg(long = "repo")]
    pub repo: Option<String>,
    #[arg(long = "version", hide = true)]
    pub version: Option<String>,
    #[arg(long = "devel", hide = true)]
    pub devel: bool,
    #[arg(long = "verify", hide = true)]
    pub verify: bool,
    #[arg(long = "keyring", hide = true)]
    pub keyring: Option<String>,
    #[arg(long = "username", hide = true)]
    pub username: Option<String>,
    #[arg(long = "password", hide = true)]
    pub password: Option<String>,
    #[arg(long = "cert-file", hide = true)]
    pub cert_file: Option<String>,
    #[arg(long = "key-file", hide = true)]
    pub key_file: Option<String>,
    #[arg(long = "ca-file", hide = true)]
    pub ca_file: Option<String>,
    #[arg(long = "insecure-skip-tls-verify", hide = true)]
    pub insecure_skip_tls_verify: bool,
    #[arg(long = "plain-http", hide = true)]
    pub plain_http: bool,
    #[arg(long = "pass-credentials", hide = true)]
    pub pass_credentials: bool,
    #[arg(long = "skip-crds", hide = true)]
    pub skip_crds: bool,
    #[arg(long = "create-namespace", hide = true)]
    pub create_namespace: bool,
    #[arg(long = "force-replace", hide = true)]
    pub force_replace: bool,
    #[arg(long = "force", hide = true)]
    pub force: bool,
    #[arg(long = "force-conflicts", hide = true)]
    pub force_conflicts: bool,
    #[arg(long = "server-side", hide = true, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub server_side: Option<String>,
    #[arg(long = "replace", hide = true)]
    pub replace: bool,
    #[arg(long = "wait", hide = true, num_args = 0..=1, require_equals = true, default_missing_value = "watcher")]
    pub wait: Option<String>,
    #[arg(long = "wait-for-jobs", hide = true)]
    pub wait_for_jobs: bool,
    #[arg(long = "description", hide = true)]
    pub description: Option<String>,
    #[arg(long = "dependency-update", hide = true)]
    pub dependency_update: bool,
    #[arg(long = "disable-openapi-validation", hide = true)]
    pub disable_openapi_validation: bool,
    #[arg(long = "rollback-on-failure", hide = true)]
    pub rollback_on_failure: bool,
    #[arg(long = "atomic", hide = true)]
    pub atomic: bool,
    #[arg(long = "render-subchart-notes", hide = true)]
    pub render_subchart_notes: bool,
    #[arg(long = "hide-notes", hide = true)]
    pub hide_notes: bool,
    /// With `--dry-run=server`: existing objects are adopted instead of refused.
    #[arg(long = "take-ownership", hide = true)]
    pub take_ownership: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_values_as_helm_template() {
        let cases: &[(Option<&str>, Result<DryRun, &str>)] = &[
            (None, Ok(DryRun::Client)),
            (Some("unset"), Ok(DryRun::Client)),
            (Some("client"), Ok(DryRun::Client)),
            (Some("server"), Ok(DryRun::Server)),
            (Some("true"), Ok(DryRun::Client)),
            (
                Some("none"),
                Err("invalid dry-run value (\"none\"). Must be \"server\" or \"client\""),
            ),
            (
                Some("false"),
                Err("invalid dry-run value (\"false\"). Must be \"server\" or \"client\""),
            ),
            (
                Some("x"),
                Err("invalid dry-run value (\"x\"). Must be \"none\", \"server\", or \"client\""),
            ),
        ];
        for (input, want) in cases {
            let got = parse_dry_run(*input);
            assert_eq!(got, want.map_err(str::to_string), "{input:?}");
        }
    }

    #[test]
    fn labels_need_pairs_and_no_reserved_names() {
        let ok = parse_labels(&["a=1,b=2".into(), "c=x=y".into()]);
        assert_eq!(ok.map(|m| m.len()), Ok(3));
        assert_eq!(
            parse_labels(&["foo".into()]),
            Err("invalid argument \"foo\" for \"-l, --labels\" flag: foo must be formatted as key=value".into())
        );
        let reserved = parse_labels(&["owner=me".into()]).unwrap_err();
        assert!(
            reserved.starts_with("user supplied labels contains system reserved"),
            "{reserved}"
        );
    }

    #[test]
    fn name_templates_run_with_sprig() {
        assert_eq!(
            template_name("x-{{ \"AB\" | lower }}"),
            Ok("x-ab".to_string())
        );
        assert!(template_name("{{ .x").is_err());
        let failed = template_name("{{ fail \"no\" }}").unwrap_err();
        assert!(failed.ends_with("error calling fail: no"), "{failed}");
    }
}
