//! Chart dependencies as `helm template` checks them, on charts written at test time:
//! dependencies missing from charts/, Chart.lock (out of date, broken), extra and stray
//! entries in charts/, packaged subcharts, and version constraints the vendored subchart
//! does not satisfy.

use std::fs;
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::harness::{Run, check_all, run};

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create dir");
    }
    fs::write(path, text).expect("write file");
}

/// A subchart `name` at `version` under `dir` that prints its name, version and a value.
fn subchart(dir: &Path, name: &str, version: &str) {
    write(
        &dir.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
    );
    write(&dir.join("values.yaml"), "greeting: hello\n");
    write(
        &dir.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\ndata:\n  version: {{ .Chart.Version | quote }}\n  greeting: {{ .Values.greeting }}\n",
    );
}

/// A parent chart `name` whose Chart.yaml ends with `deps` (a `dependencies:` block).
fn parent(dir: &Path, deps: &str) {
    write(
        &dir.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: parent\nversion: 1.0.0\n{deps}"),
    );
    write(
        &dir.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-parent\n",
    );
}

/// Packs `src` as `helm package` would, into `out`.
fn package(src: &Path, name: &str, out: &Path) {
    let file = fs::File::create(out).expect("create tgz");
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    tar.append_dir_all(name, src).expect("append chart");
    let gz = tar.into_inner().expect("tar");
    gz.finish().expect("gzip").flush().expect("flush");
}

const REDIS: &str = "dependencies:\n  - name: redis\n    version: 1.0.0\n";
const TWO: &str =
    "dependencies:\n  - name: redis\n    version: 1.0.0\n  - name: pg\n    version: 2.0.0\n";
const LOCK: &str = "dependencies:\n- name: redis\n  repository: https://charts.example.com\n  version: 1.0.0\ndigest: sha256:0000000000000000000000000000000000000000000000000000000000000000\ngenerated: \"2024-01-01T00:00:00Z\"\n";

/// Lays out every case under `root`; each returns the arguments of its run.
fn lay_out(root: &Path) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut case = |name: &str, deps: &str, build: &dyn Fn(&Path)| {
        let dir = root.join(name);
        parent(&dir, deps);
        build(&dir);
        runs.push(run(name, &format!("rel {name}")));
    };
    case("all-missing", TWO, &|_| {});
    case("one-missing", TWO, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0")
    });
    case(
        "alias-missing",
        "dependencies:\n  - name: redis\n    alias: cache\n    version: 1.0.0\n",
        &|_| {},
    );
    case("present", REDIS, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0")
    });
    case("lock-up-to-date", REDIS, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
        write(&d.join("Chart.lock"), LOCK);
    });
    case("lock-out-of-date", TWO, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
        subchart(&d.join("charts/pg"), "pg", "2.0.0");
        write(&d.join("Chart.lock"), &LOCK.replace("1.0.0", "0.9.0"));
    });
    case("lock-without-deps", "", &|d| {
        write(&d.join("Chart.lock"), LOCK)
    });
    case("lock-broken-yaml", REDIS, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
        write(&d.join("Chart.lock"), "dependencies: [\n");
    });
    case("lock-wrong-type", REDIS, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
        write(&d.join("Chart.lock"), "dependencies: redis\n");
    });
    for (name, lock) in [
        ("lock-bad-time", "generated: notatime\n"),
        ("lock-date-only", "generated: 2024-01-01\n"),
        ("lock-time-number", "generated: 5\n"),
        ("lock-month-range", "generated: \"2024-13-01T00:00:00Z\"\n"),
        ("lock-digest-number", "digest: 5\n"),
        (
            "lock-dep-version-list",
            "dependencies:\n- name: 5\n  version: [1]\n",
        ),
        ("lock-dep-string", "dependencies:\n- x\n"),
        ("lock-dep-tags", "dependencies:\n- name: a\n  tags: x\n"),
        (
            "lock-import-values",
            "dependencies:\n- name: a\n  import-values: 5\n",
        ),
        ("lock-deps-map", "dependencies: {}\n"),
        ("lock-empty", ""),
    ] {
        case(name, "", &|d| write(&d.join("Chart.lock"), lock));
    }
    case("requirements-lock-broken", "", &|d| {
        write(&d.join("requirements.lock"), "dependencies: [\n");
    });
    case("extra-chart", REDIS, &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
        subchart(&d.join("charts/extra"), "extra", "0.1.0");
    });
    case("only-extra-charts", "", &|d| {
        subchart(&d.join("charts/extra"), "extra", "0.1.0");
    });
    case("stray-file-in-charts", "", &|d| {
        write(&d.join("charts/README.md"), "# notes\n")
    });
    case("hidden-in-charts", "", &|d| {
        write(&d.join("charts/.keep"), "");
        write(&d.join("charts/_scratch/x.txt"), "x");
    });
    case("dir-without-chart-yaml", "", &|d| {
        write(&d.join("charts/notachart/values.yaml"), "a: 1\n");
    });
    case("tgz-subchart", REDIS, &|d| {
        let src = d.join("src-redis");
        subchart(&src, "redis", "1.0.0");
        fs::create_dir_all(d.join("charts")).expect("charts dir");
        package(&src, "redis", &d.join("charts/redis-1.0.0.tgz"));
        fs::remove_dir_all(&src).expect("remove src");
    });
    case("tgz-missing-dep", TWO, &|d| {
        let src = d.join("src-redis");
        subchart(&src, "redis", "1.0.0");
        fs::create_dir_all(d.join("charts")).expect("charts dir");
        package(&src, "redis", &d.join("charts/redis-1.0.0.tgz"));
        fs::remove_dir_all(&src).expect("remove src");
    });
    case("tgz-corrupt", "", &|d| {
        write(&d.join("charts/bad-1.0.0.tgz"), "not a gzip")
    });
    case(
        "version-unsatisfied",
        "dependencies:\n  - name: redis\n    version: ^2.0.0\n",
        &|d| subchart(&d.join("charts/redis"), "redis", "1.0.0"),
    );
    case(
        "version-range",
        "dependencies:\n  - name: redis\n    version: \">=0.5.0 <1.5.0\"\n",
        &|d| subchart(&d.join("charts/redis"), "redis", "1.0.0"),
    );
    case("version-empty", "dependencies:\n  - name: redis\n", &|d| {
        subchart(&d.join("charts/redis"), "redis", "1.0.0")
    });
    case(
        "alias-version-unsatisfied",
        "dependencies:\n  - name: redis\n    alias: cache\n    version: ~3.1.0\n",
        &|d| subchart(&d.join("charts/redis"), "redis", "1.0.0"),
    );
    case(
        "condition-version-unsatisfied",
        "dependencies:\n  - name: redis\n    version: 9.9.9\n    condition: redis.enabled\n",
        &|d| {
            subchart(&d.join("charts/redis"), "redis", "1.0.0");
            write(&d.join("values.yaml"), "redis:\n  enabled: false\n");
        },
    );
    case(
        "two-aliases-one-chart",
        "dependencies:\n  - name: redis\n    alias: a\n    version: 1.0.0\n  - name: redis\n    alias: b\n    version: 1.x\n",
        &|d| subchart(&d.join("charts/redis"), "redis", "1.0.0"),
    );
    case("dir-name-differs", REDIS, &|d| {
        subchart(&d.join("charts/redis-vendored"), "redis", "1.0.0")
    });
    case("v1-requirements", "", &|d| {
        write(
            &d.join("Chart.yaml"),
            "apiVersion: v1\nname: parent\nversion: 1.0.0\n",
        );
        write(&d.join("requirements.yaml"), REDIS);
        write(&d.join("requirements.lock"), LOCK);
        write(
            &d.join("templates/files.yaml"),
            "files: {{ .Files.Get \"requirements.yaml\" | len }} {{ .Files.Get \"requirements.lock\" | len }}\n",
        );
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
    });
    case("v1-requirements-missing", "", &|d| {
        write(
            &d.join("Chart.yaml"),
            "apiVersion: v1\nname: parent\nversion: 1.0.0\n",
        );
        write(&d.join("requirements.yaml"), TWO);
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
    });
    case("v2-requirements-yaml", "", &|d| {
        write(&d.join("requirements.yaml"), REDIS);
        subchart(&d.join("charts/redis"), "redis", "1.0.0");
    });
    case("requirements-wrong-type", "", &|d| {
        write(&d.join("requirements.yaml"), "dependencies: redis\n");
    });
    runs
}

#[test]
fn dependencies_checked_like_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let runs = lay_out(tmp.path());
    check_all("dependencies", &runs, tmp.path());
}
