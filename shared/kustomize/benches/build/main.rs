//! Benchmark: `fluxion-kustomize build DIR` against `kubectl kustomize DIR` on the same trees.
//!
//! Run with `cargo bench -p fluxion-kustomize --bench build` (BENCH_RUNS=N, default 7).
//! Inputs are generated in a temp dir: a small overlay and a ~2,000-resource tree with five
//! overlay layers and generators. Both tools must print the same bytes before anything is
//! timed. Each round runs both tools once, interleaved, so drift on a shared machine hits both.
//!
//! Peak memory: the bench re-executes itself as a tiny `--measure` wrapper whose only child
//! is the measured command. After waiting for it, the wrapper reads
//! getrusage(RUSAGE_CHILDREN).ru_maxrss, the high-water RSS of its waited-for children,
//! which is exactly that one command (the wrapper's own RSS is not counted). The
//! wrapper also times spawn-to-exit, so the parent's bookkeeping stays out of the numbers,
//! and reads the child's user+system CPU time from the same getrusage call.

mod inputs;

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

/// The release binary cargo builds for this bench (bench profile = release).
const FLUXION: &str = env!("CARGO_BIN_EXE_fluxion-kustomize");

/// One timed run of one command.
#[derive(Clone, Copy)]
struct Sample {
    ms: f64,
    cpu_ms: f64,
    rss_mib: f64,
}

/// `build --measure PROG ARGS...`: run PROG once, print "<ms> <cpu ms> <maxrss KiB>".
fn measure(cmd: &[String]) -> Result<(), String> {
    let (prog, args) = cmd.split_first().ok_or("--measure needs a command")?;
    let start = Instant::now();
    let status = Command::new(prog)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{prog}: {e}"))?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if !status.success() {
        return Err(format!("{prog} failed: {status}"));
    }
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| e.to_string())?;
    let tv_ms =
        |t: nix::sys::time::TimeVal| t.tv_sec() as f64 * 1000.0 + t.tv_usec() as f64 / 1000.0;
    // User+system CPU time is steadier than wall time on a loaded machine.
    let cpu_ms = tv_ms(usage.user_time()) + tv_ms(usage.system_time());
    // Linux reports ru_maxrss in KiB.
    println!("{ms} {cpu_ms} {}", usage.max_rss());
    Ok(())
}

fn sample(cmd: &[&str]) -> Result<Sample, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(me)
        .arg("--measure")
        .args(cmd)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(str::parse::<f64>);
    match (it.next(), it.next(), it.next()) {
        (Some(Ok(ms)), Some(Ok(cpu_ms)), Some(Ok(kib))) => Ok(Sample {
            ms,
            cpu_ms,
            rss_mib: kib / 1024.0,
        }),
        _ => Err(format!("bad measure output: {text}")),
    }
}

fn output_of(cmd: &[&str]) -> Result<Vec<u8>, String> {
    let (prog, args) = cmd.split_first().ok_or("empty command")?;
    let out = Command::new(prog)
        .args(args)
        .output()
        .map_err(|e| format!("{prog}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{prog} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

/// The two outputs must be byte-identical, or the timing compares different work.
fn check_identical(name: &str, fluxion: &[&str], kubectl: &[&str]) -> Result<usize, String> {
    let ours = output_of(fluxion)?;
    let theirs = output_of(kubectl)?;
    if ours != theirs {
        return Err(format!(
            "{name}: fluxion-kustomize and kubectl kustomize outputs differ"
        ));
    }
    Ok(ours
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"kind: "))
        .count())
}

struct Stats {
    median: f64,
    min: f64,
    max: f64,
    cpu: f64,
    rss: f64,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => xs[n / 2],
        _ => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

fn stats(samples: &[Sample]) -> Stats {
    let ms: Vec<f64> = samples.iter().map(|s| s.ms).collect();
    Stats {
        median: median(ms.clone()),
        min: ms.iter().copied().fold(f64::INFINITY, f64::min),
        max: ms.iter().copied().fold(0.0, f64::max),
        cpu: median(samples.iter().map(|s| s.cpu_ms).collect()),
        rss: samples.iter().map(|s| s.rss_mib).fold(0.0, f64::max),
    }
}

fn bench_input(name: &str, dir: &Path, runs: usize) -> Result<(), String> {
    let dir = dir.to_str().ok_or("non-UTF-8 temp dir")?;
    let fluxion = [FLUXION, "build", dir];
    let kubectl = ["kubectl", "kustomize", dir];
    let resources = check_identical(name, &fluxion, &kubectl)?;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(sample(&fluxion)?);
        theirs.push(sample(&kubectl)?);
    }
    let (a, b) = (stats(&ours), stats(&theirs));
    let label = format!("{name} ({resources} res)");
    for (tool, s) in [("fluxion-kustomize", &a), ("kubectl kustomize", &b)] {
        println!(
            "{label:<22} {tool:<18} {:>10.1} {:>8.1} {:>8.1} {:>8.1} {:>9.1}",
            s.median, s.min, s.max, s.cpu, s.rss
        );
    }
    println!(
        "{label:<22} ratio kubectl/fluxion: time {:.1}x, CPU {:.1}x, peak RSS {:.1}x",
        b.median / a.median,
        b.cpu / a.cpu,
        b.rss / a.rss
    );
    Ok(())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure") {
        return measure(&args[1..]);
    }
    let runs = match std::env::var("BENCH_RUNS") {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("BENCH_RUNS={v}: not a number"))?,
        Err(_) => 7,
    };
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let small = inputs::small(tmp.path()).map_err(|e| e.to_string())?;
    let large = inputs::large(tmp.path()).map_err(|e| e.to_string())?;
    println!(
        "{runs} interleaved runs per tool; wall and CPU (user+sys) times in ms, peak RSS in MiB"
    );
    println!(
        "{:<22} {:<18} {:>10} {:>8} {:>8} {:>8} {:>9}",
        "input", "tool", "median", "min", "max", "CPU", "peak RSS"
    );
    bench_input("small overlay", &small, runs)?;
    bench_input("large tree", &large, runs)?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}
