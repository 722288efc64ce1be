//! The command line, word for word the flux CLI's where a command exists in both.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// fluxion: a GitOps toolkit that is a drop-in for Flux v2.
#[derive(Debug, Parser)]
#[command(
    name = "fluxion",
    version,
    about,
    propagate_version = true,
    args_override_self = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, as the flux CLI spells them.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, global = true)]
    pub kubeconfig: Option<PathBuf>,
    /// The name of the kubeconfig context to use.
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// The namespace scope for this operation.
    #[arg(
        short = 'n',
        long,
        global = true,
        env = "FLUX_SYSTEM_NAMESPACE",
        default_value = "flux-system"
    )]
    pub namespace: String,
    /// Timeout for this operation.
    #[arg(long, global = true, default_value = "5m0s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Whether -n/--namespace (or FLUX_SYSTEM_NAMESPACE) was given, rather than defaulted:
    /// `helm template` defaults to `default`, as helm does.
    #[arg(skip)]
    pub namespace_given: bool,
}

impl Cli {
    /// Parses the process arguments, noting whether the namespace was given.
    pub fn parse_with_sources() -> Cli {
        use clap::{CommandFactory as _, FromArgMatches as _, parser::ValueSource};
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.global.namespace_given = matches!(
            matches.value_source("namespace"),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        );
        cli
    }
}

/// A Go duration flag value (`1m30s`, `5m`, `10s`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    fluxion_api::duration::parse_duration(s).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the client and server-side components version information.
    Version(VersionArgs),
    /// Substitute the values of environment variables in standard input.
    Envsubst(EnvsubstArgs),
    /// Native kustomize: `fluxion kustomize build DIR` prints what `kustomize build DIR` prints.
    #[command(subcommand)]
    Kustomize(KustomizeCommand),
    /// Install or upgrade the Fluxion controllers and CRDs (manifests/).
    Install(InstallArgs),
    /// Create or update sources and Kustomizations.
    #[command(subcommand)]
    Create(Box<CreateCommand>),
    /// Get the resources and their status.
    Get(GetArgs),
    /// Suspend the reconciliation of a resource.
    Suspend(TargetArgs),
    /// Resume a suspended resource and wait for it to reconcile.
    Resume(TargetArgs),
    /// Reconcile a resource now and wait for the result.
    Reconcile(ReconcileArgs),
    /// Delete sources and Kustomizations.
    Delete(DeleteArgs),
    /// Export resources in YAML format.
    Export(ExportArgs),
    /// Run everything in one process: an API server (unless --kubeconfig is given), the CRDs,
    /// the controllers, and a GitRepository + Kustomization synced from --git (default: this
    /// repository's examples/), with a live status table. Ctrl-C stops it.
    Up(UpArgs),
    /// Print the resources reconciled by a Kustomization as a tree.
    Tree(TreeArgs),
    /// Display the Kubernetes events of Flux resources.
    Events(EventsArgs),
    /// Trace an object back to the Kustomization that applied it and that one's source.
    Trace(TraceArgs),
    /// Check requirements and installation.
    Check(CheckArgs),
    /// Build a Kustomization from a local directory, as kustomize-controller would.
    #[command(subcommand)]
    Build(BuildCommand),
    /// Diff a Kustomization built from a local directory against the cluster.
    #[command(subcommand)]
    Diff(DiffCommand),
    /// Native Helm: `fluxion helm template NAME CHART` prints what `helm template` prints.
    #[command(subcommand)]
    Helm(HelmCommand),
    /// Uninstall the controllers, the CRDs and their objects' finalizers.
    Uninstall(UninstallArgs),
}

#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Skip removing the namespace.
    #[arg(long = "keep-namespace")]
    pub keep_namespace: bool,
    /// Delete components without asking for confirmation.
    #[arg(short = 's', long)]
    pub silent: bool,
}

#[derive(Debug, Subcommand)]
pub enum BuildCommand {
    /// Build a Kustomization's manifests from a local path.
    #[command(alias = "ks")]
    Kustomization(BuildKsArgs),
}

#[derive(Debug, Subcommand)]
pub enum DiffCommand {
    /// Diff a Kustomization's manifests from a local path against the cluster.
    #[command(alias = "ks")]
    Kustomization(BuildKsArgs),
}

#[derive(Debug, Args)]
pub struct BuildKsArgs {
    /// The Kustomization's name.
    pub name: String,
    /// Path to the manifests location (stands in for the source's spec.path).
    #[arg(long)]
    pub path: PathBuf,
    /// Path to the Flux Kustomization YAML file (instead of reading it from the cluster).
    #[arg(long = "kustomization-file")]
    pub kustomization_file: Option<PathBuf>,
    /// Dry run mode: no cluster; needs --kustomization-file.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    /// Fail when a variable without a default is not set.
    #[arg(long = "strict-substitute")]
    pub strict_substitute: bool,
}

#[derive(Debug, Subcommand)]
pub enum HelmCommand {
    /// Locally render a chart's templates (as `helm template`).
    #[command(disable_version_flag = true)]
    Template(Box<fluxion_helm::cli::TemplateArgs>),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only run pre-installation checks.
    #[arg(long)]
    pub pre: bool,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only the events of this object, as `<kind>/<name>`.
    #[arg(long = "for")]
    pub for_: Option<String>,
    /// Events across all namespaces.
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The object's name.
    pub name: String,
    /// The object's kind, e.g. Deployment.
    #[arg(long)]
    pub kind: String,
    /// The object's API version, e.g. apps/v1.
    #[arg(long = "api-version")]
    pub api_version: String,
}

#[derive(Debug, Args)]
pub struct TreeArgs {
    /// `kustomization NAME`.
    #[arg(num_args = 2)]
    pub words: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// The Git repository to sync: an http(s) or ssh URL, or a local path (default: the git
    /// repository around the working directory, syncing its examples/clusters/local).
    #[arg(long)]
    pub git: Option<String>,
    /// The branch to sync (default: the checked-out branch of a local repository, else main).
    #[arg(long)]
    pub branch: Option<String>,
    /// The path inside the repository the Kustomization applies.
    #[arg(long)]
    pub path: Option<String>,
    /// Where state persists across runs: the API server's data, artifacts, the kubeconfig.
    #[arg(long = "data-dir", default_value = ".fluxion")]
    pub data_dir: PathBuf,
    /// The API server's port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// How often the source and the Kustomization reconcile.
    #[arg(long, default_value = "1m0s", value_parser = parse_duration)]
    pub interval: Duration,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Print only the client version.
    #[arg(long)]
    pub client: bool,
}

#[derive(Debug, Args)]
pub struct EnvsubstArgs {
    /// Fail if a variable without a default value is declared in the input but is missing
    /// from the environment.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum KustomizeCommand {
    /// Build a kustomization directory and print the resources.
    Build(KustomizeBuildArgs),
}

#[derive(Debug, Args)]
pub struct KustomizeBuildArgs {
    /// The directory holding a kustomization.yaml (default: the current directory).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Write the install manifests to stdout and exit.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub export: bool,
}

#[derive(Debug, Subcommand)]
pub enum CreateCommand {
    /// Create or update a source.
    #[command(subcommand)]
    Source(CreateSourceCommand),
    /// Create or update a Kustomization resource.
    #[command(alias = "ks")]
    Kustomization(CreateKustomizationArgs),
    /// Create or update a Kubernetes secret.
    #[command(subcommand)]
    Secret(CreateSecretCommand),
}

#[derive(Debug, Subcommand)]
pub enum CreateSecretCommand {
    /// Create or update a Kubernetes secret for Git authentication.
    Git(CreateSecretGitArgs),
}

#[derive(Debug, Args)]
pub struct CreateSecretGitArgs {
    pub name: String,
    /// Git address, e.g. ssh://git@host/org/repository.
    #[arg(long)]
    pub url: String,
    /// Basic authentication username.
    #[arg(short = 'u', long)]
    pub username: Option<String>,
    /// Basic authentication password (or the passphrase of --private-key-file).
    #[arg(short = 'p', long)]
    pub password: Option<String>,
    /// Bearer token for HTTP/S authentication.
    #[arg(long = "bearer-token")]
    pub bearer_token: Option<String>,
    /// Path to a TLS CA file used for validating self-signed certificates.
    #[arg(long = "ca-file")]
    pub ca_file: Option<PathBuf>,
    /// Path to a private key file used for authenticating to the Git SSH server.
    #[arg(long = "private-key-file")]
    pub private_key_file: Option<PathBuf>,
    /// SSH public key algorithm (rsa, ecdsa, ed25519) of a generated key.
    #[arg(long = "ssh-key-algorithm", default_value = "ecdsa")]
    pub ssh_key_algorithm: String,
    /// Export in YAML format to stdout.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub export: bool,
    /// Set labels on the resource (key=value, comma separated).
    #[arg(long, value_delimiter = ',')]
    pub label: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CreateSourceCommand {
    /// Create or update a GitRepository source.
    Git(CreateSourceGitArgs),
    /// Create or update an OCIRepository source.
    Oci(CreateSourceOciArgs),
}

/// Flags shared by every `create` command.
#[derive(Debug, Clone, Args)]
pub struct CreateCommon {
    /// Source sync interval.
    #[arg(long, default_value = "1m0s", value_parser = parse_duration)]
    pub interval: Duration,
    /// Export in YAML format to stdout.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub export: bool,
    /// Set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2).
    #[arg(long, value_delimiter = ',')]
    pub label: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CreateSourceGitArgs {
    pub name: String,
    #[command(flatten)]
    pub common: CreateCommon,
    /// Git address, e.g. ssh://git@host/org/repository.
    #[arg(long)]
    pub url: String,
    /// Git branch.
    #[arg(long)]
    pub branch: Option<String>,
    /// Git tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Git tag semver range.
    #[arg(long = "tag-semver")]
    pub tag_semver: Option<String>,
    /// Git reference name.
    #[arg(long = "ref-name")]
    pub ref_name: Option<String>,
    /// Git commit.
    #[arg(long)]
    pub commit: Option<String>,
    /// The name of an existing secret containing SSH or basic credentials.
    #[arg(long = "secret-ref")]
    pub secret_ref: Option<String>,
    /// Include Git submodules in the artifact.
    #[arg(long = "recurse-submodules", num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub recurse_submodules: bool,
    /// Paths to ignore in the artifact (can specify multiple paths with commas: path1,path2).
    #[arg(long = "ignore-paths", value_delimiter = ',')]
    pub ignore_paths: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CreateSourceOciArgs {
    pub name: String,
    #[command(flatten)]
    pub common: CreateCommon,
    /// The OCI repository address, e.g. oci://ghcr.io/org/manifests.
    #[arg(long)]
    pub url: String,
    /// The OCI artifact tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// The OCI artifact tag semver range.
    #[arg(long = "tag-semver")]
    pub tag_semver: Option<String>,
    /// The OCI artifact digest.
    #[arg(long)]
    pub digest: Option<String>,
    /// The name of an existing secret of type kubernetes.io/dockerconfigjson.
    #[arg(long = "secret-ref")]
    pub secret_ref: Option<String>,
    /// Paths to ignore in the artifact (can specify multiple paths with commas: path1,path2).
    #[arg(long = "ignore-paths", value_delimiter = ',')]
    pub ignore_paths: Vec<String>,
    /// Allow plain HTTP connections to the registry.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub insecure: bool,
}

#[derive(Debug, Args)]
pub struct CreateKustomizationArgs {
    pub name: String,
    #[command(flatten)]
    pub common: CreateCommon,
    /// Source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>',
    /// where kind must be one of: (GitRepository, OCIRepository, Bucket), if kind is not
    /// specified it defaults to GitRepository.
    #[arg(long)]
    pub source: String,
    /// Path to the directory containing a kustomization.yaml file.
    #[arg(long, default_value = "./")]
    pub path: String,
    /// Enable garbage collection.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub prune: bool,
    /// Enable health checking of all the applied resources.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub wait: bool,
    /// Target namespace for the applied resources.
    #[arg(long = "target-namespace")]
    pub target_namespace: Option<String>,
    /// Kustomizations that must be ready before this one, in the format '<name>' or
    /// '<namespace>/<name>'.
    #[arg(long = "depends-on", value_delimiter = ',')]
    pub depends_on: Vec<String>,
    /// The name of the service account to impersonate when reconciling this Kustomization.
    #[arg(long = "service-account")]
    pub service_account: Option<String>,
    /// Timeout for waiting and health checks.
    #[arg(long = "health-check-timeout", value_parser = parse_duration)]
    pub health_check_timeout: Option<Duration>,
    /// Recreate resources on immutable field changes.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub force: bool,
}

/// `get sources git|oci|all`, `get kustomizations`, `get all`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// What to list: `sources git`, `sources oci`, `sources all`, `kustomizations` (ks), `all`.
    #[arg(required = true, num_args = 1..=3)]
    pub words: Vec<String>,
    /// List the requested object(s) across all namespaces.
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
    /// Skip the header when printing the results.
    #[arg(long = "no-header")]
    pub no_header: bool,
    /// Specify the status condition name and the desired state to filter the get result,
    /// e.g. ready=false.
    #[arg(long = "status-selector")]
    pub status_selector: Option<String>,
    /// After listing, watch for changes.
    #[arg(short = 'w', long)]
    pub watch: bool,
}

/// `suspend|resume source git NAME`, `suspend|resume kustomization NAME`.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The kind words and the name: `source git NAME`, `source oci NAME`, `kustomization NAME`.
    #[arg(num_args = 1..=3)]
    pub words: Vec<String>,
    /// Act on every object of the kind in the namespace.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// `source git NAME`, `source oci NAME` or `kustomization NAME`.
    #[arg(num_args = 2..=3)]
    pub words: Vec<String>,
    /// Reconcile the Kustomization's source first.
    #[arg(long = "with-source", num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub with_source: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// `source git NAME`, `source oci NAME` or `kustomization NAME`.
    #[arg(num_args = 2..=3)]
    pub words: Vec<String>,
    /// Delete without asking for confirmation.
    #[arg(short = 's', long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    pub silent: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// `source git [NAME]`, `source oci [NAME]` or `kustomization [NAME]`.
    #[arg(num_args = 1..=3)]
    pub words: Vec<String>,
    /// Select all resources of the kind.
    #[arg(long)]
    pub all: bool,
}
