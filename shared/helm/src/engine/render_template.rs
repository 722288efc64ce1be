//! `helm template NAME CHART` (Helm v4's `pkg/cmd/template.go` over `action.Install`): load,
//! merge values, render, then print manifests (CRDs first with --include-crds), then hooks
//! (tests dropped with --skip-tests), or only the files --show-only selects.

use std::path::PathBuf;

use super::capabilities::{Capabilities, KubeVersion};
use super::render::{RenderError, RenderOptions, Rendered, render};
use super::render_values::ReleaseInfo;
use crate::chart::{Chart, load, path_match};
use crate::release::split_manifests;
use crate::values::UserValues;

/// The flags of `helm template` this renderer understands.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    pub release_name: String,
    pub chart: PathBuf,
    pub namespace: String,
    pub values: UserValues,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub include_crds: bool,
    pub show_only: Vec<String>,
    pub skip_tests: bool,
    pub is_upgrade: bool,
    /// Helm's --debug: render errors are not followed by the hint to use --debug.
    pub debug: bool,
}

/// A failed `helm template`, with the text Helm prints after `Error: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

/// Runs `helm template` and returns what it prints on stdout.
pub fn helm_template(opts: &TemplateOptions) -> Result<String, TemplateError> {
    let e = |s: String| TemplateError(s);
    let kube = match &opts.kube_version {
        Some(k) if !k.is_empty() => Some(
            KubeVersion::parse(k).map_err(|err| e(format!("invalid kube version '{k}': {err}")))?,
        ),
        _ => None,
    };
    locate_chart(&opts.chart).map_err(e)?;
    let values = opts.values.merge().map_err(|err| e(err.0))?;
    let chart = load(&opts.chart).map_err(|err| e(err.0))?;
    check_installable(&chart).map_err(e)?;
    validate_release_name(&opts.release_name).map_err(e)?;
    let namespace = if opts.namespace.is_empty() {
        "default"
    } else {
        &opts.namespace
    };
    let render_opts = RenderOptions {
        release: ReleaseInfo {
            name: opts.release_name.clone(),
            namespace: namespace.to_string(),
            revision: 1,
            is_install: !opts.is_upgrade,
            is_upgrade: opts.is_upgrade,
        },
        capabilities: Capabilities::offline(kube, &opts.api_versions),
        ..Default::default()
    };
    let rendered = render(&chart, values, &render_opts).map_err(|err| match err {
        RenderError::Prepare(m) => e(m),
        RenderError::Render(m) if opts.debug => e(m),
        RenderError::Render(m) => e(format!(
            "{m}\n\nUse --debug flag to render out invalid YAML"
        )),
    })?;
    print_template(&rendered, opts).map_err(e)
}

/// Helm's `LocateChart` for local paths: what it says when the path does not exist.
fn locate_chart(path: &std::path::Path) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let name = path.display().to_string();
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
    let mut manifests = manifest_doc(rendered, opts.include_crds).trim().to_string();
    manifests.push('\n');
    for h in &rendered.hooks {
        if opts.skip_tests && h.is_test() {
            continue;
        }
        manifests.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
    }
    if opts.show_only.is_empty() {
        return Ok(manifests);
    }
    let docs = split_manifests(&manifests);
    let mut out = String::new();
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
