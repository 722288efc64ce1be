//! Benchmark (`cargo bench -p fluxion-apiserver --bench throughput`): create, update and
//! watch-delivery throughput of N ConfigMaps (default 10,000) through kube-rs against the
//! in-process server, in memory and with a data directory, and each run's peak RSS. Each mode
//! runs in its own process (this binary re-run with `--mode`), so peak RSS is its own.
//!
//! Options: `--count N`, `--concurrency C` (requests in flight), `--mode memory|data-dir`.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ListParams, PostParams, WatchEvent, WatchParams};
use serde::{Deserialize, Serialize};
use serde_json::json;

use fluxion_apiserver::{ApiServer, ServerConfig};

const NS: &str = "default";

#[derive(Debug, Serialize, Deserialize)]
struct Result {
    mode: String,
    create: f64,
    update: f64,
    watch_live: f64,
    watch_replay: f64,
    peak_rss_mib: f64,
    /// Resident set after the updates, before the replay: the store plus its watch history.
    rss_after_update_mib: f64,
    syncs: u64,
    disk_mib: f64,
}

struct Opts {
    count: usize,
    concurrency: usize,
    mode: Option<String>,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    Opts {
        count: value("--count")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000),
        concurrency: value("--concurrency")
            .and_then(|v| v.parse().ok())
            .unwrap_or(32),
        mode: value("--mode"),
    }
}

fn main() {
    let o = opts();
    match &o.mode {
        Some(mode) => {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            let r = rt.block_on(run(mode, o.count, o.concurrency));
            println!("RESULT {}", serde_json::to_string(&r).expect("json"));
        }
        None => {
            let results: Vec<Result> = ["memory", "data-dir"]
                .iter()
                .map(|m| child(m, &o))
                .collect();
            print_table(&results, &o);
        }
    }
}

/// Runs one mode in a fresh process and reads its result line.
fn child(mode: &str, o: &Opts) -> Result {
    let exe = std::env::current_exe().expect("current exe");
    let out = Command::new(exe)
        .args(["--mode", mode, "--count", &o.count.to_string()])
        .args(["--concurrency", &o.concurrency.to_string()])
        .output()
        .expect("run mode");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("{mode} failed: {}", String::from_utf8_lossy(&out.stderr)));
    serde_json::from_str(line).expect("result")
}

fn print_table(results: &[Result], o: &Opts) {
    println!(
        "{} ConfigMaps through kube-rs, {} requests in flight, {} cores",
        o.count,
        o.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<9} {:>10} {:>10} {:>12} {:>13} {:>10} {:>12} {:>8} {:>9}",
        "mode",
        "create/s",
        "update/s",
        "watch live/s",
        "watch replay/s",
        "peak RSS",
        "RSS updated",
        "fsyncs",
        "disk"
    );
    for r in results {
        println!(
            "{:<9} {:>10.0} {:>10.0} {:>12.0} {:>14.0} {:>6.1} MiB {:>8.1} MiB {:>8} {:>5.1} MiB",
            r.mode,
            r.create,
            r.update,
            r.watch_live,
            r.watch_replay,
            r.peak_rss_mib,
            r.rss_after_update_mib,
            r.syncs,
            r.disk_mib
        );
    }
}

/// A resident-set figure of this process in MiB: `VmHWM:` (peak) or `VmRSS:` (now).
fn rss_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn dir_mib(dir: &std::path::Path) -> f64 {
    let bytes: u64 = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    bytes as f64 / (1024.0 * 1024.0)
}

fn configmap(i: usize, round: usize) -> ConfigMap {
    serde_json::from_value(json!({
        "metadata": {"name": format!("cm-{i:05}"), "labels": {"app": "bench"}},
        "data": {"round": round.to_string(), "payload": "x".repeat(200)}
    }))
    .expect("configmap")
}

/// Counts watch events from `rv` on until `n` arrived; returns when that happened.
async fn count_events(api: Api<ConfigMap>, rv: String, n: usize) -> Instant {
    let wp = WatchParams::default().timeout(290);
    let mut stream = api.watch(&wp, &rv).await.expect("watch").boxed();
    let mut seen = 0;
    while let Some(ev) = stream.try_next().await.expect("watch event") {
        if matches!(ev, WatchEvent::Added(_) | WatchEvent::Modified(_)) {
            seen += 1;
            if seen == n {
                break;
            }
        }
    }
    Instant::now()
}

async fn current_rv(api: &Api<ConfigMap>) -> String {
    let list = api
        .list_metadata(&ListParams::default().limit(1))
        .await
        .expect("list");
    list.metadata.resource_version.unwrap_or_default()
}

/// Runs `n` requests `op(i)` with `c` in flight; returns requests per second.
async fn drive<F, Fut>(n: usize, c: usize, op: F) -> f64
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = Instant::now();
    futures::stream::iter(0..n)
        .map(op)
        .buffer_unordered(c)
        .collect::<Vec<()>>()
        .await;
    n as f64 / start.elapsed().as_secs_f64()
}

async fn run(mode: &str, n: usize, c: usize) -> Result {
    let data = tempfile::tempdir().expect("tempdir");
    let server = ApiServer::start(ServerConfig {
        // The default history, or enough for the replay of every update.
        history_limit: ServerConfig::default().history_limit.max(n),
        data_dir: (mode == "data-dir").then(|| data.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .expect("start server");
    let api: Api<ConfigMap> = Api::namespaced(server.client().expect("client"), NS);

    let rv0 = current_rv(&api).await;
    let watcher = tokio::spawn(count_events(api.clone(), rv0, n));
    let t0 = Instant::now();
    let pp = PostParams::default();
    // The resourceVersion each create returned, for the updates.
    let rvs: Arc<Vec<Mutex<Option<String>>>> = Arc::new((0..n).map(|_| Mutex::new(None)).collect());
    let create = drive(n, c, |i| {
        let (api, pp, rvs) = (api.clone(), pp.clone(), rvs.clone());
        async move {
            let cm = api.create(&pp, &configmap(i, 0)).await.expect("create");
            *rvs[i].lock().expect("lock") = cm.metadata.resource_version;
        }
    })
    .await;
    let live_done = watcher.await.expect("watcher");
    let watch_live = n as f64 / (live_done - t0).as_secs_f64();

    let rv1 = current_rv(&api).await;
    let updated = Arc::new(AtomicUsize::new(0));
    let update = drive(n, c, |i| {
        let (api, pp, updated, rvs) = (api.clone(), pp.clone(), updated.clone(), rvs.clone());
        async move {
            let mut cm = configmap(i, 1);
            // A replace with the stored resourceVersion (optimistic concurrency).
            cm.metadata.resource_version = rvs[i].lock().expect("lock").take();
            let name = format!("cm-{i:05}");
            api.replace(&name, &pp, &cm).await.expect("replace");
            updated.fetch_add(1, Ordering::Relaxed);
        }
    })
    .await;
    assert_eq!(updated.load(Ordering::Relaxed), n);
    let rss_after_update_mib = rss_mib("VmRSS:");

    let t1 = Instant::now();
    let replay_done = count_events(api.clone(), rv1, n).await;
    let watch_replay = n as f64 / (replay_done - t1).as_secs_f64();
    let syncs = server.persistence().map_or(0, |p| p.durable().syncs);
    tokio::time::sleep(Duration::from_millis(10)).await;
    Result {
        mode: mode.to_string(),
        create,
        update,
        watch_live,
        watch_replay,
        peak_rss_mib: rss_mib("VmHWM:"),
        rss_after_update_mib,
        syncs,
        disk_mib: dir_mib(data.path()),
    }
}
