//! `helm template --output-dir DIR`: each rendered file written to `DIR/<template path>`
//! (under `DIR/<release>/` with --release-name; CRDs always directly under DIR), documents
//! of the same file appended, and a `wrote PATH` line printed per write, as Helm's
//! `writeToFile` does.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use super::TemplateOptions;
use crate::engine::render::Rendered;

/// Go's `path.Clean` for the joined directory (`filepath.Join` cleans; the file path that
/// follows is appended with a plain separator, as Helm does).
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn write_file(dir: &str, name: &str, data: &str, append: bool) -> Result<String, String> {
    let file = format!("{dir}/{name}");
    let path = Path::new(&file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("mkdir {}: {err}", parent.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    if append {
        options.append(true);
    } else {
        options.write(true).create(true).truncate(true);
    }
    let mut f = options
        .open(path)
        .map_err(|err| format!("open {file}: {err}"))?;
    f.write_all(format!("---\n# Source: {name}\n{data}\n").as_bytes())
        .map_err(|err| format!("write {file}: {err}"))?;
    Ok(format!("wrote {file}\n"))
}

/// Writes CRDs (with --include-crds), manifests and hooks; returns the `wrote` lines.
pub(super) fn write_all(
    rendered: &Rendered,
    opts: &TemplateOptions,
    dir: &Path,
) -> Result<String, String> {
    let out_dir = dir.display().to_string();
    let release_dir = if opts.use_release_name {
        clean(&format!("{out_dir}/{}", opts.release_name))
    } else {
        out_dir.clone()
    };
    let mut log = String::new();
    let mut written: HashSet<&str> = HashSet::new();
    if opts.include_crds {
        for crd in &rendered.crds {
            log.push_str(&write_file(
                &out_dir,
                &crd.name,
                &crd.content,
                written.contains(crd.name.as_str()),
            )?);
            written.insert(&crd.name);
        }
    }
    for m in &rendered.manifests {
        log.push_str(&write_file(
            &release_dir,
            &m.name,
            &m.content,
            written.contains(m.name.as_str()),
        )?);
        written.insert(&m.name);
    }
    if opts.no_hooks {
        return Ok(log);
    }
    // Helm's template command appends a hook to any file already on disk (its own map of
    // written files starts empty), so hooks join manifests of the same template.
    for h in &rendered.hooks {
        if opts.skip_tests && h.is_test() {
            continue;
        }
        let exists = Path::new(&release_dir).join(&h.path).exists();
        log.push_str(&write_file(&release_dir, &h.path, &h.manifest, exists)?);
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn cleans_as_go_path_clean() {
        let cases = [
            ("out/rel", "out/rel"),
            ("out//rel", "out/rel"),
            ("./out/./rel/", "out/rel"),
            ("/tmp/../x/rel", "/x/rel"),
            ("../out/rel", "../out/rel"),
            ("", "."),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "{input}");
        }
    }
}
