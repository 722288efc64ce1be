//! Benchmark (not a test): `fluxion-helm template` against `helm template` on the realistic
//! charts of testdata/charts and one big generated chart, in the same run.
//!
//! Run with `cargo bench -p fluxion-helm --bench template` (FLUXION_BENCH_RUNS sets the runs
//! per tool, default 15). Each run is a child process; runs of the two tools alternate so
//! both see the same machine load, and the report gives each tool's median wall time, the
//! median ratio, and each tool's peak RSS.
//!
//! Peak RSS comes from getrusage(RUSAGE_CHILDREN): the bench re-executes itself as a small
//! measuring wrapper (FLUXION_BENCH_MEASURE set) that spawns exactly one command, waits for
//! it and reports `ru_maxrss` of its children, which is then that command's own peak. The
//! wrapper keeps the measurement free of the bench's own memory and needs no unsafe code.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

const MEASURE_ENV: &str = "FLUXION_BENCH_MEASURE";

/// One measured run: wall time in seconds and peak RSS in KiB.
struct Sample {
    secs: f64,
    rss_kib: i64,
}

fn main() {
    if std::env::var_os(MEASURE_ENV).is_some() {
        measure_wrapper();
        return;
    }
    let runs: usize = std::env::var("FLUXION_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let helm = fluxion_testkit::tools::helm()
        .expect("helm from scripts/install-helm")
        .to_path_buf();
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_fluxion-helm"));
    let charts = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/charts");
    let big = tempfile::tempdir().expect("temp dir");
    generate_big_chart(big.path());
    let cases: Vec<(&str, PathBuf, Vec<&str>)> = vec![
        (
            "webapp (prod values)",
            charts.clone(),
            vec!["rel", "webapp", "-f", "../values/webapp-prod.yaml"],
        ),
        (
            "platform umbrella",
            charts.clone(),
            vec!["rel", "platform", "-f", "../values/platform-prod.yaml"],
        ),
        (
            "operator + CRDs",
            charts.clone(),
            vec!["rel", "operator", "--include-crds"],
        ),
        (
            "big generated (1,200 docs)",
            big.path().to_path_buf(),
            vec!["rel", "big"],
        ),
    ];
    println!("{runs} interleaved runs per tool and chart; medians; peak RSS is the maximum");
    println!(
        "{:<28} {:>10} {:>10} {:>8} {:>12} {:>12}",
        "chart", "helm ms", "ours ms", "speedup", "helm MiB", "ours MiB"
    );
    for (name, dir, args) in cases {
        same_output(&helm, &ours, &dir, &args);
        let (mut h, mut o) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            h.push(measure(&helm, &dir, &args));
            o.push(measure(&ours, &dir, &args));
        }
        let (hm, om) = (median(&h), median(&o));
        println!(
            "{:<28} {:>10.1} {:>10.1} {:>7.1}x {:>12.1} {:>12.1}",
            name,
            hm * 1e3,
            om * 1e3,
            hm / om,
            peak(&h) as f64 / 1024.0,
            peak(&o) as f64 / 1024.0
        );
    }
}

/// Wrapper mode: run the command given after our own arguments, print seconds and KiB.
fn measure_wrapper() {
    let args: Vec<String> = std::env::args().skip_while(|a| a != "--").skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("measure: no command");
        std::process::exit(2);
    };
    let start = Instant::now();
    let status = Command::new(cmd)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let secs = start.elapsed().as_secs_f64();
    let ok = status.map(|s| s.success()).unwrap_or(false);
    let rss = getrusage(UsageWho::RUSAGE_CHILDREN)
        .map(|u| u.max_rss())
        .unwrap_or(-1);
    println!("{} {secs} {rss}", if ok { "ok" } else { "fail" });
}

fn measure(bin: &Path, dir: &Path, args: &[&str]) -> Sample {
    let me = std::env::current_exe().expect("own path");
    let out = Command::new(me)
        .env(MEASURE_ENV, "1")
        .arg("--")
        .arg(bin)
        .arg("template")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run measuring wrapper");
    let text = String::from_utf8_lossy(&out.stdout);
    let parts: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(
        parts.first(),
        Some(&"ok"),
        "{} {args:?} failed",
        bin.display()
    );
    Sample {
        secs: parts[1].parse().expect("seconds"),
        rss_kib: parts[2].parse().expect("rss"),
    }
}

fn median(samples: &[Sample]) -> f64 {
    let mut t: Vec<f64> = samples.iter().map(|s| s.secs).collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn peak(samples: &[Sample]) -> i64 {
    samples.iter().map(|s| s.rss_kib).max().unwrap_or(0)
}

/// The benchmark compares equal work only: both tools must print the same thing.
fn same_output(helm: &Path, ours: &Path, dir: &Path, args: &[&str]) {
    let run = |bin: &Path| {
        let out = Command::new(bin)
            .arg("template")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{} failed: {}",
            bin.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    assert!(run(helm) == run(ours), "outputs differ for {args:?}");
}

/// A chart of 40 templates, each ranging over 30 services with helpers and toYaml: 1,200
/// documents, the size of a large umbrella release.
fn generate_big_chart(root: &Path) {
    let chart = root.join("big");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: big\nversion: 1.0.0\n",
    )
    .expect("write");
    let mut values = String::from("services:\n");
    for i in 0..30 {
        values.push_str(&format!(
            "  - name: svc{i}\n    replicas: {}\n    port: {}\n    env: {{LOG: info, ID: \"{i}\"}}\n    resources: {{limits: {{cpu: 500m, memory: 256Mi}}}}\n",
            i % 5 + 1,
            8000 + i
        ));
    }
    std::fs::write(chart.join("values.yaml"), values).expect("write");
    std::fs::write(
        chart.join("templates/_helpers.tpl"),
        "{{- define \"big.labels\" -}}\napp: {{ .name }}\nrelease: {{ .root.Release.Name }}\nchart: {{ .root.Chart.Name }}-{{ .root.Chart.Version }}\n{{- end -}}\n",
    )
    .expect("write");
    for t in 0..40 {
        let body = format!(
            "{{{{- range .Values.services }}}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ .name }}}}-t{t}\n  labels:\n    {{{{- include \"big.labels\" (dict \"name\" .name \"root\" $) | nindent 4 }}}}\nspec:\n  replicas: {{{{ .replicas }}}}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: \"example/{{{{ .name }}}}:{{{{ $.Chart.Version }}}}\"\n          ports:\n            - containerPort: {{{{ .port }}}}\n          env:\n            {{{{- range $k, $v := .env }}}}\n            - name: {{{{ $k }}}}\n              value: {{{{ $v | quote }}}}\n            {{{{- end }}}}\n          resources:\n            {{{{- toYaml .resources | nindent 12 }}}}\n{{{{- end }}}}\n"
        );
        std::fs::write(chart.join(format!("templates/t{t}.yaml")), body).expect("write");
    }
}
