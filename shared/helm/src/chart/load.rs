//! Files to a chart (Helm's `LoadFiles`): Chart.yaml, values, schema, templates, subcharts.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Chart, File, LoadError, MAX_FILES, Metadata, gojson};
use crate::values::yaml;

/// Loads a chart from a directory or a `.tgz` archive (Helm's `loader.Load`).
pub fn load(path: &Path) -> Result<Chart, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError(io_message(path, &e)))?;
    if meta.is_dir() {
        return super::load_dir(path);
    }
    let data = std::fs::read(path).map_err(|e| LoadError(io_message(path, &e)))?;
    // Helm names the file by its absolute path here.
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let name = abs.display().to_string();
    if !data.starts_with(&[0x1f, 0x8b, 0x08]) {
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            return Err(LoadError(format!(
                "file '{name}' seems to be a YAML file, but expected a gzipped archive"
            )));
        }
        return Err(LoadError(format!(
            "file '{name}' does not appear to be a gzipped archive; got '{}'",
            if data.is_empty() {
                "text/plain; charset=utf-8"
            } else {
                "application/octet-stream"
            }
        )));
    }
    // Helm 4 reports any archive-level failure (paths, size, corruption) with one message.
    let files = super::archive::archive_files(&data)
        .map_err(|_| LoadError("unable to load chart archive".to_string()))?;
    load_files(files)
}

/// Go's `os.Stat` error text.
pub(super) fn io_message(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("stat {}: no such file or directory", path.display())
        }
        _ => format!("{}: {e}", path.display()),
    }
}

fn wrap(what: &str, e: String) -> LoadError {
    LoadError(format!("cannot load {what}: {e}"))
}

/// Builds a chart from its files (names relative to the chart root).
pub fn load_files(files: Vec<File>) -> Result<Chart, LoadError> {
    if files.len() > MAX_FILES {
        return Err(LoadError(format!(
            "chart has more than the maximum of {MAX_FILES} files"
        )));
    }
    let mut c = Chart::default();
    let mut have_meta = false;
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        utf8(&f.data).map_err(|e| wrap("Chart.yaml", e))?;
        let doc =
            gojson::decode(&text(&f.data), &gojson::METADATA).map_err(|e| wrap("Chart.yaml", e))?;
        c.metadata = Metadata::from_json(doc).map_err(|e| wrap("Chart.yaml", e))?;
        if c.metadata.api_version.is_empty() {
            c.metadata.api_version = "v1".to_string();
        }
        have_meta = true;
    }
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for f in files {
        match f.name.as_str() {
            "Chart.yaml" => {}
            // helm template never compares the lock with Chart.yaml, but it must parse.
            "Chart.lock" => {
                utf8(&f.data).map_err(|e| wrap("Chart.lock", e))?;
                gojson::decode(&text(&f.data), &gojson::LOCK).map_err(|e| wrap("Chart.lock", e))?;
            }
            "requirements.lock" => {
                utf8(&f.data).map_err(|e| wrap("requirements.lock", e))?;
                gojson::decode(&text(&f.data), &gojson::LOCK)
                    .map_err(|e| wrap("requirements.lock", e))?;
                if c.metadata.api_version == "v1" {
                    c.files.push(f);
                }
            }
            "values.yaml" => {
                utf8(&f.data).map_err(|e| {
                    wrap(
                        "values.yaml",
                        format!("cannot unmarshal yaml document: {e}"),
                    )
                })?;
                c.values = yaml::load_values(&text(&f.data)).map_err(|e| wrap("values.yaml", e))?;
            }
            "values.schema.json" => c.schema = Some(f.data),
            "requirements.yaml" => {
                let doc = gojson::decode(&text(&f.data), &gojson::METADATA)
                    .map_err(|e| wrap("requirements.yaml", e))?;
                c.metadata
                    .merge_requirements(doc)
                    .map_err(|e| wrap("requirements.yaml", e))?;
                if c.metadata.api_version == "v1" {
                    c.files.push(f);
                }
            }
            n if n.starts_with("templates/") => c.templates.push(f),
            n if n.starts_with("charts/") && !n.ends_with(".prov") => {
                let rest = &n["charts/".len()..];
                let cname = rest.split('/').next().unwrap_or_default().to_string();
                subcharts.entry(cname).or_default().push(File {
                    name: rest.to_string(),
                    data: f.data,
                });
            }
            _ => c.files.push(f),
        }
    }
    if !have_meta {
        return Err(LoadError("Chart.yaml file is missing".to_string()));
    }
    c.metadata.sanitize();
    c.metadata.validate()?;
    for (n, files) in subcharts {
        if n.starts_with(['_', '.']) {
            continue;
        }
        let sub = load_subchart(&n, files).map_err(|e| {
            LoadError(format!(
                "error unpacking subchart {n} in {}: {}",
                c.name(),
                e.0
            ))
        })?;
        c.dependencies.push(sub);
    }
    Ok(c)
}

fn load_subchart(n: &str, files: Vec<File>) -> Result<Chart, LoadError> {
    if n.ends_with(".tgz") {
        let Some(file) = files.into_iter().next() else {
            return Err(LoadError("no files in chart archive".to_string()));
        };
        if file.name != n {
            return Err(LoadError(format!("expected {n}, got {}", file.name)));
        }
        return super::load_archive(&file.data);
    }
    let inner = files
        .into_iter()
        .filter_map(|f| {
            let (_, rest) = f.name.split_once('/')?;
            Some(File {
                name: rest.to_string(),
                data: f.data,
            })
        })
        .collect();
    load_files(inner)
}

/// go-yaml's reader error for a file that is not UTF-8.
fn utf8(data: &[u8]) -> Result<(), String> {
    crate::yaml::check_utf8(data).map_err(|e| e.0)
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}
