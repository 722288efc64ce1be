//! `helm template NAME CHART` (Helm v4's `pkg/cmd/template.go` over `action.Install`): load,
//! merge values, render, then print manifests (CRDs first with --include-crds), then hooks
//! (tests dropped with --skip-tests), or only the files --show-only selects, or write them
//! under --output-dir. With `--dry-run=server` the render talks to the cluster: lookup sees
//! live objects, `.Capabilities` come from discovery, and the manifest is checked as an
//! install would check it.

mod output;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::capabilities::{Capabilities, KubeVersion};
use super::funcs::HelmFuncOptions;
use super::render::{RenderError, RenderOptions, Rendered, render};
use super::render_values::ReleaseInfo;
use crate::chart::{Chart, load, path_match};
use crate::cli::{DryRun, parse_literal_into};
use crate::live::{Cluster, ClusterLookup, ClusterOptions, check_manifest, kubeconfig_namespace};
use crate::release::split_manifests;
use crate::values::UserValues;

/// The flags of `helm template` this renderer understands.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    pub release_name: String,
    pub chart: PathBuf,
    /// `-n`; empty takes the kubeconfig context's namespace, else `default`.
    pub namespace: String,
    pub values: UserValues,
    /// `--set-literal`, applied after every other value source.
    pub literal_values: Vec<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub include_crds: bool,
    pub show_only: Vec<String>,
    pub skip_tests: bool,
    pub is_upgrade: bool,
    /// Helm's --debug: render errors are not followed by the hint to use --debug.
    pub debug: bool,
    pub dry_run: DryRun,
    /// The cluster of `--dry-run=server` (`--kubeconfig`, `--kube-context`).
    pub cluster: ClusterOptions,
    /// `--output-dir`: files written there, `wrote PATH` printed instead.
    pub output_dir: Option<PathBuf>,
    /// `--release-name`: the output dir gains the release name.
    pub use_release_name: bool,
    /// `--no-hooks`: hooks are not printed.
    pub no_hooks: bool,
    pub skip_schema_validation: bool,
    /// `--enable-dns`: getHostByName resolves.
    pub enable_dns: bool,
    /// `--take-ownership`: a server dry run adopts existing objects instead of refusing them.
    pub take_ownership: bool,
    /// `--labels` (already checked against Helm's reserved names; they only label storage).
    pub labels: BTreeMap<String, String>,
    /// `--repo` was given: the chart would be downloaded, which is not supported.
    pub remote_chart: bool,
    /// Where Helm's warnings go (a deprecated chart); none are reported when unset.
    pub warn: Option<fn(&str)>,
}

/// Helm v4's log line for a warning, as its CLI prints it on stderr.
pub fn print_warning(message: &str) {
    eprintln!("level=WARN msg={message:?}");
}

/// A failed `helm template`, with the text Helm prints after `Error: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

fn e(s: String) -> TemplateError {
    TemplateError(s)
}

/// Runs `helm template` and returns what it prints on stdout.
pub fn helm_template(opts: &TemplateOptions) -> Result<String, TemplateError> {
    let kube = match &opts.kube_version {
        Some(k) if !k.is_empty() => Some(
            KubeVersion::parse(k).map_err(|err| e(format!("invalid kube version '{k}': {err}")))?,
        ),
        _ => None,
    };
    locate_chart(&opts.chart, opts.remote_chart).map_err(e)?;
    let mut values = opts.values.merge().map_err(|err| e(err.0))?;
    for literal in &opts.literal_values {
        parse_literal_into(literal, &mut values)
            .map_err(|err| e(format!("failed parsing --set-literal data: {err}")))?;
    }
    let mut chart = load(&opts.chart).map_err(|err| e(err.0))?;
    check_installable(&chart).map_err(e)?;
    if chart.metadata.deprecated
        && let Some(warn) = opts.warn
    {
        warn("this chart is deprecated");
    }
    if opts.skip_schema_validation {
        drop_schemas(&mut chart);
    }
    let namespace = release_namespace(opts);
    let cluster = match opts.dry_run {
        DryRun::Server => Some(reachable_cluster(&opts.cluster)?),
        DryRun::Client => None,
    };
    validate_release_name(&opts.release_name).map_err(e)?;
    let render_opts = render_options(opts, &namespace, cluster.as_ref(), kube)?;
    let rendered = render(&chart, values, &render_opts).map_err(|err| match err {
        RenderError::Prepare(m) => e(m),
        RenderError::Render(m) if opts.debug => e(m),
        RenderError::Render(m) => e(format!(
            "{m}\n\nUse --debug flag to render out invalid YAML"
        )),
    })?;
    if let Some(c) = &cluster
        && opts.output_dir.is_none()
    {
        let docs = split_manifests(&manifest_doc(&rendered, opts.include_crds));
        check_manifest(
            c,
            &docs,
            &opts.release_name,
            &namespace,
            // Helm checks ownership on install only; --is-upgrade skips it.
            opts.take_ownership || opts.is_upgrade,
        )
        .map_err(|err| e(err.0))?;
    }
    print_template(&rendered, opts).map_err(e)
}

/// The release, capabilities (offline, or from the server's discovery) and functions
/// (lookup through the cluster when there is one) of the render.
fn render_options(
    opts: &TemplateOptions,
    namespace: &str,
    cluster: Option<&Arc<Cluster>>,
    kube: Option<KubeVersion>,
) -> Result<RenderOptions, TemplateError> {
    let (capabilities, lookup) = match cluster {
        Some(c) => (
            crate::live::server_capabilities(c).map_err(|err| e(err.0))?,
            Some(Arc::new(ClusterLookup::new(c.clone())) as Arc<dyn super::funcs::Lookup>),
        ),
        None => (Capabilities::offline(kube, &opts.api_versions), None),
    };
    Ok(RenderOptions {
        release: ReleaseInfo {
            name: opts.release_name.clone(),
            namespace: namespace.to_string(),
            revision: 1,
            is_install: !opts.is_upgrade,
            is_upgrade: opts.is_upgrade,
        },
        capabilities,
        funcs: HelmFuncOptions {
            lookup,
            enable_dns: opts.enable_dns,
            ..Default::default()
        },
        ..Default::default()
    })
}

/// Helm's `settings.Namespace()`: `-n`, else the kubeconfig context's, else `default`.
fn release_namespace(opts: &TemplateOptions) -> String {
    if !opts.namespace.is_empty() {
        return opts.namespace.clone();
    }
    kubeconfig_namespace(&opts.cluster).unwrap_or_else(|| "default".to_string())
}

/// Helm's `IsReachable` before a server dry run.
fn reachable_cluster(opts: &ClusterOptions) -> Result<Arc<Cluster>, TemplateError> {
    let unreachable = |m: String| {
        e(format!(
            "cluster reachability check failed: kubernetes cluster unreachable: {m}"
        ))
    };
    let cluster = Cluster::connect(opts).map_err(|err| unreachable(err.0))?;
    cluster
        .get("/version")
        .map_err(|err| unreachable(err.message))?;
    Ok(Arc::new(cluster))
}

/// `--skip-schema-validation`: no chart's values.schema.json is checked.
fn drop_schemas(chart: &mut Chart) {
    chart.schema = None;
    for dep in &mut chart.dependencies {
        drop_schemas(dep);
    }
}

/// Helm's `LocateChart` for local paths: what it says when the path does not exist.
/// Charts from repositories, registries or URLs would be downloaded; that is refused.
fn locate_chart(path: &std::path::Path, remote: bool) -> Result<(), String> {
    let name = path.display().to_string();
    if remote || name.contains("://") {
        return Err(format!(
            "only local charts (a directory or a .tgz file) are supported, not {name:?}: download it first (helm pull)"
        ));
    }
    if path.exists() {
        return Ok(());
    }
    if path.is_absolute() || name.starts_with('.') {
        return Err(format!("path {name:?} not found"));
    }
    match name.split_once('/') {
        Some((repo, _)) => Err(format!("repo {repo} not found")),
        None => Err(format!(
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
        )),
    }
}

/// Helm's `ValidateReleaseName`: a DNS-1123 subdomain of at most 53 characters.
fn validate_release_name(name: &str) -> Result<(), String> {
    const PATTERN: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !name.is_empty() && name.len() <= 53 && name.split('.').all(label_ok) {
        return Ok(());
    }
    Err(format!(
        "release name check failed: release name {name:?}: invalid release name, must match regex {PATTERN} and the length must not be longer than 53"
    ))
}

/// Helm's `checkIfInstallable` and `CheckDependencies`.
fn check_installable(chart: &Chart) -> Result<(), String> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => {}
        other => return Err(format!("{other} charts are not installable")),
    }
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ));
    }
    Ok(())
}

/// The release manifest: CRDs (when asked) then manifests, each under its `# Source:`.
pub fn manifest_doc(rendered: &Rendered, include_crds: bool) -> String {
    let mut b = String::new();
    if include_crds {
        for crd in &rendered.crds {
            b.push_str(&format!("---\n# Source: {}\n{}\n", crd.name, crd.content));
        }
    }
    for m in &rendered.manifests {
        b.push_str(&format!("---\n# Source: {}\n{}\n", m.name, m.content));
    }
    b
}

fn print_template(rendered: &Rendered, opts: &TemplateOptions) -> Result<String, String> {
    let (written, manifests) = match &opts.output_dir {
        // Helm writes the files, then prints the (now empty) manifest buffer: one newline.
        Some(dir) => (output::write_all(rendered, opts, dir)?, "\n".to_string()),
        None => (String::new(), stdout_manifests(rendered, opts)),
    };
    if opts.show_only.is_empty() {
        return Ok(written + &manifests);
    }
    let docs = split_manifests(&manifests);
    let mut out = written;
    for f in &opts.show_only {
        let f = f.replace('\\', "/");
        let mut missing = true;
        for doc in &docs {
            let Some(name) = source_path(doc) else {
                continue;
            };
            if !path_match(&f, name).unwrap_or(false) {
                continue;
            }
            out.push_str(&format!("---\n{doc}\n"));
            missing = false;
        }
        if missing {
            return Err(format!("could not find template {f} in chart"));
        }
    }
    Ok(out)
}

/// What `helm template` prints without --output-dir: the manifest, then the hooks.
fn stdout_manifests(rendered: &Rendered, opts: &TemplateOptions) -> String {
    let mut manifests = manifest_doc(rendered, opts.include_crds).trim().to_string();
    manifests.push('\n');
    if opts.no_hooks {
        return manifests;
    }
    for h in &rendered.hooks {
        if opts.skip_tests && h.is_test() {
            continue;
        }
        manifests.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
    }
    manifests
}

/// The path after the chart name in a document's `# Source: chart/path` line (Helm's
/// `# Source: [^/]+/(.+)`).
fn source_path(doc: &str) -> Option<&str> {
    let at = doc.find("# Source: ")?;
    let rest = &doc[at + "# Source: ".len()..];
    let slash = rest.find('/')?;
    if rest[..slash].contains('\n') || slash == 0 {
        return None;
    }
    let tail = &rest[slash + 1..];
    let end = tail.find('\n').unwrap_or(tail.len());
    (end > 0).then(|| &tail[..end])
}
