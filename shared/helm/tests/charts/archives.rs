//! Charts packaged as .tgz at test time (a realistic archive and hostile ones: parent
//! references, absolute paths, a decompression bomb), rendered by helm and by us.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::harness::{assert_renders, charts_dir, check_all, run};

/// Packs a chart directory as `helm package` lays it out: everything under `<name>/`.
fn package(dir: &Path, name: &str, out: &Path) {
    let file = std::fs::File::create(out).expect("create tgz");
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    tar.append_dir_all(name, dir).expect("append chart");
    tar.into_inner().expect("tar").finish().expect("gzip");
}

fn raw_entry(tar: &mut tar::Builder<GzEncoder<std::fs::File>>, name: &str, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    // Written raw: the tar crate refuses `..` in paths, a hostile archive does not.
    let bytes = name.as_bytes();
    header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
    header.set_cksum();
    tar.append(&header, data).expect("append raw entry");
}

fn hostile(out: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(out).expect("create tgz");
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    for (name, data) in entries {
        raw_entry(&mut tar, name, data);
    }
    tar.into_inner().expect("tar").finish().expect("gzip");
}

/// 101 MiB of zeros in one file: a few hundred KiB compressed.
fn bomb(out: &Path) {
    let file = std::fs::File::create(out).expect("create tgz");
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    raw_entry(
        &mut tar,
        "bomb/Chart.yaml",
        b"apiVersion: v2\nname: bomb\nversion: 0.1.0\n",
    );
    let size: u64 = 101 * 1024 * 1024;
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_path("bomb/files/zeros.bin").expect("path");
    header.set_cksum();
    tar.append(&header, std::io::repeat(0).take_bytes(size))
        .expect("append bomb");
    tar.into_inner().expect("tar").finish().expect("gzip");
}

trait TakeBytes: std::io::Read + Sized {
    fn take_bytes(self, n: u64) -> std::io::Take<Self> {
        self.take(n)
    }
}
impl<R: std::io::Read> TakeBytes for R {}

#[test]
fn archives_match_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    package(
        &charts_dir().join("webapp"),
        "webapp",
        &d.join("webapp-1.4.2.tgz"),
    );
    package(
        &charts_dir().join("platform"),
        "platform",
        &d.join("platform-0.3.0.tgz"),
    );
    let chart = b"apiVersion: v2\nname: evil\nversion: 0.1.0\n" as &[u8];
    hostile(
        &d.join("parent.tgz"),
        &[("evil/Chart.yaml", chart), ("evil/../../escape.yaml", b"x")],
    );
    hostile(
        &d.join("absolute.tgz"),
        &[("evil/Chart.yaml", chart), ("evil//etc/passwd", b"x")],
    );
    hostile(&d.join("toplevel.tgz"), &[("Chart.yaml", chart)]);
    hostile(
        &d.join("empty-name.tgz"),
        &[("evil/Chart.yaml", chart), ("evil", b"x")],
    );
    bomb(&d.join("bomb.tgz"));
    std::fs::write(d.join("notgz.tgz"), b"just text").expect("write");
    std::fs::write(d.join("values.yaml"), b"a: 1\n").expect("write");
    let mut f = std::fs::File::create(d.join("truncated.tgz")).expect("create");
    f.write_all(&[0x1f, 0x8b, 0x08, 0, 0, 0]).expect("write");
    let runs = vec![
        run("webapp-tgz", "rel webapp-1.4.2.tgz"),
        run(
            "webapp-tgz-prod",
            "rel webapp-1.4.2.tgz --set ingress.enabled=true --skip-tests",
        ),
        run(
            "platform-tgz",
            "rel platform-0.3.0.tgz --set tags.batch=false",
        ),
        run("parent-reference", "rel parent.tgz"),
        run("absolute-path", "rel absolute.tgz"),
        run("chart-yaml-at-top", "rel toplevel.tgz"),
        run("outside-base", "rel empty-name.tgz"),
        run("size-bomb", "rel bomb.tgz"),
        run("not-gzip", "rel notgz.tgz"),
        run("yaml-not-chart", "rel values.yaml"),
        run("truncated", "rel truncated.tgz"),
    ];
    assert_renders(&runs[0], d);
    check_all("archives", &runs, d);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A v1 chart (requirements.yaml) whose charts/ holds a directory and a packaged subchart,
/// rendered from its directory and packaged itself (an archive inside an archive).
#[test]
fn legacy_chart_with_packaged_subchart_matches_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let queue = d.join("queue-src/queue");
    std::fs::create_dir_all(queue.join("templates")).expect("mkdir");
    std::fs::write(
        queue.join("Chart.yaml"),
        "apiVersion: v2\nname: queue\nversion: 0.2.0\n",
    )
    .expect("write");
    std::fs::write(
        queue.join("templates/svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-queue\n  labels:\n    parent-set: {{ .Values.global.flag | default \"none\" | quote }}\n",
    )
    .expect("write");
    copy_dir(&charts_dir().join("legacy"), &d.join("legacy"));
    package(&queue, "queue", &d.join("legacy/charts/queue-0.2.0.tgz"));
    package(&d.join("legacy"), "legacy", &d.join("legacy-0.5.0.tgz"));
    let runs = vec![
        run("dir", "rel legacy"),
        run("dir-queue-off", "rel legacy --set queue.enabled=false"),
        run(
            "dir-cache-off",
            "rel legacy --set cache.enabled=false --set global.flag=on",
        ),
        run("tgz", "rel legacy-0.5.0.tgz"),
        run(
            "tgz-values",
            "rel legacy-0.5.0.tgz --set cache.size=512 --set global.flag=yes",
        ),
        run(
            "show-only-packaged",
            "rel legacy-0.5.0.tgz -s charts/queue/templates/svc.yaml",
        ),
    ];
    assert_renders(&runs[0], d);
    check_all("legacy", &runs, d);
}
