//! Benchmark (not a test; `cargo bench -p source-controller --bench artifact`): time and peak
//! RSS to turn a 10,000-file Git repository into an artifact, our way (the controller's shallow
//! `git` checkout, `.sourceignore` loading and reproducible tar.gz writing) against
//! `git clone --depth 1` + `tar czf` of the same tree, alternating, in the same run.
//!
//! Each measured run is a separate process tree started by a measuring wrapper, which is this
//! binary re-run as `--measure <command...>`: it spawns the command, waits for it, and reads
//! `getrusage(RUSAGE_CHILDREN)` (through `nix`, so no unsafe code here). On Linux that reports
//! the peak RSS of the largest single process among every waited-for descendant (git, tar,
//! gzip, or our producer), not a sum; the wrapper starts fresh each time, so no run sees
//! another's peak. Our side is this binary re-run as `--produce <url> <dir>`.
//!
//! Environment: `BENCH_RUNS` (default 5) runs per side; `BENCH_FILES` (default 10000).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fluxion_api::source::GitCheckout;
use source_controller::git::{CheckoutRequest, checkout};
use source_controller::storage::{Ignore, Retention, Storage};

type Res<T> = Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("--produce") if args.len() == 4 => produce(&args[2], Path::new(&args[3])),
        Some("--measure") if args.len() > 2 => measure(&args[2..]),
        _ => bench(),
    };
    if let Err(e) = result {
        eprintln!("artifact bench: {e}");
        std::process::exit(1);
    }
}

/// Our path, as the controller runs it: checkout, ignore rules, archive into storage.
fn produce(url: &str, dir: &Path) -> Res<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let dest = dir.join("repo");
    let req = CheckoutRequest {
        url,
        checkout: GitCheckout::Branch("main"),
        dest: &dest,
        env: &[],
        timeout: Duration::from_secs(600),
        recurse_submodules: false,
        sparse_checkout: &[],
    };
    let started = Instant::now();
    let commit = runtime
        .block_on(checkout(&req))
        .map_err(|e| e.to_string())?;
    let cloned = started.elapsed();
    let ignore = Ignore::load(&dest, None).map_err(|e| e.to_string())?;
    let loaded = started.elapsed();
    let retention = Retention {
        ttl: Duration::from_secs(60),
        records: 2,
    };
    let storage = Storage::new(dir.join("storage"), "localhost".into(), retention);
    let rel = format!("gitrepository/bench/repo/{}.tar.gz", commit.sha);
    let written = storage
        .archive(&dest, &rel, &ignore)
        .map_err(|e| e.to_string())?;
    let done = started.elapsed();
    println!(
        "phases: git checkout {:.3} s, ignore rules {:.3} s, archive {:.3} s ({} bytes); \
         producer's own peak RSS {}",
        cloned.as_secs_f64(),
        (loaded - cloned).as_secs_f64(),
        (done - loaded).as_secs_f64(),
        written.size,
        own_peak_rss()
    );
    Ok(())
}

/// This process's peak RSS (VmHWM), without the git processes it ran.
fn own_peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Runs a command and prints `<elapsed µs> <peak RSS KiB of its largest process>`.
fn measure(command: &[String]) -> Res<()> {
    let started = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("running {}: {e}", command[0]))?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("{command:?} failed: {status}"));
    }
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map_err(|e| e.to_string())?;
    println!("{} {}", elapsed.as_micros(), usage.max_rss());
    Ok(())
}

/// One measured run: (seconds, peak RSS MiB).
fn measured(command: &[&str]) -> Res<(f64, f64)> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .arg("--measure")
        .args(command)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace().map(str::parse::<f64>);
    match (words.next(), words.next()) {
        (Some(Ok(us)), Some(Ok(kib))) => Ok((us / 1e6, kib / 1024.0)),
        _ => Err(format!("unexpected wrapper output: {text}")),
    }
}

fn bench() -> Res<()> {
    let runs: usize = env_or("BENCH_RUNS", 5);
    let files: usize = env_or("BENCH_FILES", 10_000);
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let repo = work.path().join("source");
    let bytes = generate(&repo, files)?;
    let url = format!("file://{}", repo.display());
    println!(
        "repository: {files} files, {:.1} MiB, {runs} runs per side",
        bytes as f64 / (1 << 20) as f64
    );
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let exe = exe.display().to_string();
    let (mut ours, mut reference) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let dir = work.path().join(format!("ours-{i}"));
        std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
        let dir_arg = dir.display().to_string();
        ours.push(measured(&[&exe, "--produce", &url, &dir_arg])?);
        let dir = work.path().join(format!("ref-{i}"));
        let script = format!(
            "git clone --quiet --depth 1 --branch main '{url}' '{d}/repo' && tar czf '{d}/out.tar.gz' --exclude=.git -C '{d}/repo' .",
            d = dir.display()
        );
        std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
        reference.push(measured(&["sh", "-c", &script])?);
        let _ = std::fs::remove_dir_all(work.path().join(format!("ours-{i}")));
        let _ = std::fs::remove_dir_all(&dir);
    }
    report(&ours, &reference);
    // One more run of ours, unmeasured, for where its time goes.
    let dir = work.path().join("phases");
    std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
    let out = Command::new(&exe)
        .args(["--produce", &url, &dir.display().to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    Ok(())
}

fn report(ours: &[(f64, f64)], reference: &[(f64, f64)]) {
    let median = |v: &[(f64, f64)], f: fn(&(f64, f64)) -> f64| {
        let mut xs: Vec<f64> = v.iter().map(f).collect();
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let peak = |v: &[(f64, f64)]| v.iter().map(|r| r.1).fold(0.0, f64::max);
    let (t_ours, t_ref) = (median(ours, |r| r.0), median(reference, |r| r.0));
    println!("{:<38} {:>12} {:>16}", "", "median time", "peak RSS (max)");
    println!(
        "{:<38} {:>10.3} s {:>12.1} MiB",
        "fluxion (git checkout + ignore + tar.gz)",
        t_ours,
        peak(ours)
    );
    println!(
        "{:<38} {:>10.3} s {:>12.1} MiB",
        "git clone --depth 1 + tar czf",
        t_ref,
        peak(reference)
    );
    println!("time ratio (fluxion / reference): {:.2}", t_ours / t_ref);
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift), so every run sees the same repository.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Writes and commits `count` text files in nested directories
/// (`apps/<team>/<app>/<env>/`), sized like a GitOps repository's manifests: mostly 0.2–4 KiB,
/// one in ten 8–64 KiB; returns their total size.
fn generate(repo: &Path, count: usize) -> Res<u64> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut total = 0u64;
    for i in 0..count {
        let dir: PathBuf = repo
            .join("apps")
            .join(format!("team-{}", i % 10))
            .join(format!("app-{}", (i / 10) % 20))
            .join(["dev", "test", "staging", "prod", "dr"][(i / 200) % 5]);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let size = match rng.next() % 10 {
            0 => 8 * 1024 + rng.next() % (56 * 1024),
            _ => 200 + rng.next() % 3900,
        } as usize;
        let mut text = String::with_capacity(size + 64);
        text.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: generated\ndata:\n");
        while text.len() < size {
            let n = rng.next();
            text.push_str(&format!("  key-{}: value-{:x}\n", n % 997, n >> 20));
        }
        std::fs::write(dir.join(format!("manifest-{i}.yaml")), &text).map_err(|e| e.to_string())?;
        total += text.len() as u64;
    }
    git(repo, &["init", "--quiet", "--initial-branch=main"])?;
    git(repo, &["add", "-A"])?;
    git(
        repo,
        &[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@fluxion.invalid",
            "commit",
            "--quiet",
            "-m",
            "generated",
        ],
    )?;
    Ok(total)
}

fn git(dir: &Path, args: &[&str]) -> Res<()> {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .map_err(|e| e.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("git {args:?} failed: {status}"))
}
