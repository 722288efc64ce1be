//! Helm charts in memory (Go package `helm.sh/helm/v4/pkg/chart/v2` and its loader): a chart
//! is its metadata, templates, default values, schema, other files and subcharts, loaded
//! from a directory or a `.tgz` archive with Helm's checks and our size and count limits.

mod archive;
mod dir;
mod gojson;
mod gotime;
mod ignore;
mod load;
mod metadata;
mod pathmatch;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use archive::load_archive;
pub use dir::load_dir;
pub use ignore::Rules as IgnoreRules;
pub use load::{load, load_files};
pub use metadata::{Dependency, Maintainer, Metadata};
pub use pathmatch::{BadPattern, matches as path_match};

/// Largest total decompressed size of a chart (Helm's `MaxDecompressedChartSize`).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// Largest single file of a chart directory (Helm's `MaxDecompressedFileSize`).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Most files a chart (archive or directory, subcharts included) may hold: ours, so that a
/// chart of millions of empty files cannot exhaust memory.
pub const MAX_FILES: usize = 20_000;

/// A chart that cannot be loaded, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(pub String);

/// One file of a chart, named relative to the chart root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
}

/// A loaded chart (Helm's `chart.Chart`).
#[derive(Debug, Clone, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// Files under `templates/`.
    pub templates: Vec<File>,
    /// The default values (values.yaml).
    pub values: Map<String, Value>,
    /// values.schema.json, as written.
    pub schema: Option<Vec<u8>>,
    /// Every other file (crds/, README, files read through `.Files`).
    pub files: Vec<File>,
    /// Subcharts, from charts/ (directories and archives).
    pub dependencies: Vec<Chart>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Library charts only supply partials (`type: library`).
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// The files under crds/ with a manifest extension, for this chart and every subchart;
    /// each named by its full path (`parent/charts/child/crds/x.yaml`), as Helm prints them.
    pub fn crd_objects(&self, full_path: &str) -> Vec<(String, &File)> {
        let mut out: Vec<(String, &File)> = self
            .files
            .iter()
            .filter(|f| f.name.starts_with("crds/") && has_manifest_extension(&f.name))
            .map(|f| (format!("{full_path}/{}", f.name), f))
            .collect();
        for dep in &self.dependencies {
            out.extend(dep.crd_objects(&format!("{full_path}/charts/{}", dep.name())));
        }
        out
    }
}

fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    ["yaml", "yml", "json"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}
