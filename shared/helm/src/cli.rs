//! `helm template`'s command line as clap arguments, shared by `fluxion-helm template` and
//! `fluxion helm template` so both answer to the same flags. The namespace flag is left to
//! each binary (the fluxion CLI has a global `-n`).

use std::path::PathBuf;

use crate::engine::render_template::TemplateOptions;
use crate::values::UserValues;

#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    /// Release name, then chart path (directory or .tgz).
    #[arg(num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    /// Values files (repeatable, comma-separated).
    #[arg(short = 'f', long = "values", value_delimiter = ',')]
    pub values: Vec<PathBuf>,
    /// Set values on the command line (key1=val1,key2=val2).
    #[arg(long = "set")]
    pub set: Vec<String>,
    /// Set STRING values on the command line.
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    /// Set values from files (key=path).
    #[arg(long = "set-file")]
    pub set_file: Vec<String>,
    /// Set JSON values on the command line.
    #[arg(long = "set-json")]
    pub set_json: Vec<String>,
    /// Kubernetes version used for Capabilities.KubeVersion.
    #[arg(long = "kube-version")]
    pub kube_version: Option<String>,
    /// Kubernetes API versions for Capabilities.APIVersions (repeatable, comma-separated).
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Include CRDs in the templated output.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    /// Only show manifests rendered from the given templates.
    #[arg(short = 's', long = "show-only")]
    pub show_only: Vec<String>,
    /// Skip tests from templated output.
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    /// Render errors without the hint to use --debug.
    #[arg(long = "debug")]
    pub debug: bool,
    /// Accepted for compatibility (only affects --output-dir in helm).
    #[arg(long = "release-name")]
    pub release_name: bool,
}

impl TemplateArgs {
    /// The options for [`crate::engine::render_template::helm_template`]; an error carries
    /// Helm's message for a missing chart argument.
    pub fn options(&self, namespace: &str) -> Result<TemplateOptions, String> {
        let (name, chart) = match self.args.as_slice() {
            [chart] => ("release-name".to_string(), chart.clone()),
            [name, chart, ..] => (name.clone(), chart.clone()),
            [] => return Err("\"helm template\" requires at least 1 argument".into()),
        };
        Ok(TemplateOptions {
            release_name: name,
            chart: PathBuf::from(chart),
            namespace: namespace.to_string(),
            values: UserValues {
                value_files: self.values.clone(),
                json_values: self.set_json.clone(),
                values: self.set.clone(),
                string_values: self.set_string.clone(),
                file_values: self.set_file.clone(),
            },
            kube_version: self.kube_version.clone(),
            api_versions: self.api_versions.clone(),
            include_crds: self.include_crds,
            show_only: self.show_only.clone(),
            skip_tests: self.skip_tests,
            is_upgrade: self.is_upgrade,
            debug: self.debug,
        })
    }
}
