//! `helm template`'s command line as clap arguments, shared by `fluxion-helm template` and
//! `fluxion helm template` so both answer to the same flags. The namespace and kubeconfig
//! flags are left to each binary (the fluxion CLI has global `-n` and `--kubeconfig`).

mod flags;
mod literal;
mod postrender;

use std::path::PathBuf;

pub use flags::{DryRun, parse_dry_run, parse_labels};
pub use literal::{LiteralError, parse_literal_into};
pub use postrender::find_post_renderer;

use crate::engine::render_template::TemplateOptions;
use crate::live::ClusterOptions;
use crate::values::UserValues;

#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    /// Release name, then chart path (directory or .tgz).
    #[arg(num_args = 1.., required = true)]
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
    /// Set a literal STRING value on the command line.
    #[arg(long = "set-literal")]
    pub set_literal: Vec<String>,
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
    /// Use the release name in the output-dir path.
    #[arg(long = "release-name")]
    pub release_name: bool,
    /// Write the executed templates to files in this directory instead of stdout.
    #[arg(long = "output-dir")]
    pub output_dir: Option<PathBuf>,
    /// Generate the name (and omit the NAME parameter).
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    /// A template used to name the release.
    #[arg(long = "name-template")]
    pub name_template: Option<String>,
    /// `client` renders offline; `server` renders against the cluster (lookup, capabilities).
    #[arg(long = "dry-run", num_args = 0..=1, require_equals = true, default_missing_value = "unset")]
    pub dry_run: Option<String>,
    /// Deprecated: `--dry-run=server`.
    #[arg(long = "validate", conflicts_with = "dry_run")]
    pub validate: bool,
    /// The kubeconfig context to use.
    #[arg(long = "kube-context")]
    pub kube_context: Option<String>,
    /// Disable JSON schema validation of values.
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    /// Do not print hooks.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Let getHostByName resolve names.
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    /// Release labels (key=value, comma-separated); they do not change the output.
    #[arg(short = 'l', long = "labels")]
    pub labels: Vec<String>,
    /// A postrenderer plugin (found in HELM_PLUGINS) to pipe the manifests through.
    #[arg(long = "post-renderer")]
    pub post_renderer: Option<String>,
    /// An argument to the post-renderer (repeatable).
    #[arg(long = "post-renderer-args")]
    pub post_renderer_args: Vec<String>,
    /// Install-time flags that do not change what `helm template` prints.
    #[command(flatten)]
    pub ignored: flags::IgnoredFlags,
}

impl TemplateArgs {
    /// The release name and chart reference as Helm's `NameAndChart` picks them for
    /// `helm template` (whose default name is `release-name`).
    fn name_and_chart(&self) -> Result<(String, String), String> {
        let args = &self.args;
        if args.len() > 2 {
            return Err(format!(
                "expected at most two arguments, unexpected arguments: {}",
                args[2..].join(", ")
            ));
        }
        if let [name, chart] = args.as_slice() {
            if self.generate_name {
                return Err("cannot set --generate-name and also specify a name".into());
            }
            if self.name_template.as_deref().is_some_and(|t| !t.is_empty()) {
                return Err("cannot set --name-template and also specify a name".into());
            }
            return Ok((name.clone(), chart.clone()));
        }
        let Some(chart) = args.first() else {
            return Err("\"helm template\" requires at least 1 argument".into());
        };
        match self.name_template.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => Ok((flags::template_name(t)?, chart.clone())),
            None => Ok(("release-name".to_string(), chart.clone())),
        }
    }

    /// Cobra's notices for deprecated flags, printed on stderr before anything else.
    pub fn deprecations(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.validate {
            out.push("Flag --validate has been deprecated, use '--dry-run=server' instead");
        }
        if self.ignored.atomic {
            out.push("Flag --atomic has been deprecated, use --rollback-on-failure instead");
        }
        if self.ignored.force {
            out.push("Flag --force has been deprecated, use --force-replace instead");
        }
        out
    }

    /// The options for [`crate::engine::render_template::helm_template`]; an error carries
    /// Helm's message for bad flags or arguments.
    pub fn options(
        &self,
        namespace: &str,
        kubeconfig: Option<PathBuf>,
    ) -> Result<TemplateOptions, String> {
        let dry_run = if self.validate {
            DryRun::Server
        } else {
            parse_dry_run(self.dry_run.as_deref())?
        };
        let labels = parse_labels(&self.labels)?;
        if let Some(name) = self.post_renderer.as_deref().filter(|n| !n.is_empty()) {
            postrender::check_post_renderer(name)?;
        }
        let (name, chart) = self.name_and_chart()?;
        let cluster = ClusterOptions {
            kubeconfig,
            context: self.kube_context.clone(),
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
            literal_values: self.set_literal.clone(),
            kube_version: self.kube_version.clone(),
            api_versions: self.api_versions.clone(),
            include_crds: self.include_crds,
            show_only: self.show_only.clone(),
            skip_tests: self.skip_tests,
            is_upgrade: self.is_upgrade,
            debug: self.debug,
            dry_run,
            cluster,
            output_dir: self.output_dir.clone(),
            use_release_name: self.release_name,
            no_hooks: self.no_hooks,
            skip_schema_validation: self.skip_schema_validation,
            enable_dns: self.enable_dns,
            take_ownership: self.ignored.take_ownership,
            labels,
            remote_chart: self.ignored.repo.is_some(),
            warn: Some(crate::engine::render_template::print_warning),
        })
    }
}
