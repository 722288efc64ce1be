//! Tests of the shared flags: typical Flux command lines, defaults and refused values.

use clap::{CommandFactory, FromArgMatches, Parser};

use super::*;

#[derive(Parser, Debug)]
#[command(name = "kustomize-controller")]
struct Cli {
    #[command(flatten)]
    runtime: RuntimeFlags,
}

fn parse(args: &[&str]) -> Result<RuntimeFlags, clap::Error> {
    let argv = std::iter::once("kustomize-controller").chain(args.iter().copied());
    Cli::try_parse_from(argv).map(|cli| cli.runtime)
}

fn config(args: &[&str]) -> Result<RuntimeConfig, FlagError> {
    parse(args).expect("clap parse").validate()
}

#[test]
fn defaults_are_flux_defaults() {
    let flags = parse(&["--runtime-namespace="]).expect("parse");
    let cfg = flags.validate().expect("valid");
    assert_eq!(cfg.metrics_addr, ListenAddr::parse(":8080").expect("addr"));
    assert_eq!(
        cfg.health_addr.map(|a| a.to_string()).as_deref(),
        Some(":9440")
    );
    assert_eq!(cfg.events_addr, None);
    assert_eq!(cfg.concurrent, 4);
    assert_eq!(cfg.requeue_dependency, Duration::from_secs(30));
    assert_eq!(
        (cfg.log_level, cfg.log_encoding),
        (LogLevel::Info, LogEncoding::Json)
    );
    let le = cfg.leader_election;
    assert!(!le.enabled && le.release_on_cancel);
    assert_eq!(le.timing, ElectionTiming::default());
    assert_eq!(le.timing.lease_duration, Duration::from_secs(35));
    assert_eq!(cfg.watch.namespace, None);
    assert_eq!(cfg.watch.label_selector, None);
    assert_eq!(
        cfg.watch.configs_label_selector.as_deref(),
        Some(DEFAULT_CONFIGS_LABEL_SELECTOR)
    );
    assert!(!cfg.no_cross_namespace_refs);
    assert_eq!(cfg.default_service_account, None);
    assert_eq!(cfg.interval_jitter, JitterPercentage::DEFAULT);
    assert_eq!(cfg.interval_jitter.get(), 5);
    assert_eq!((cfg.kube_api_qps, cfg.kube_api_burst), (50.0, 300));
    assert_eq!(cfg.min_retry_delay, Duration::from_millis(750));
    assert_eq!(cfg.max_retry_delay, Duration::from_secs(900));
    assert_eq!(cfg.kubeconfig, None);
}

#[test]
fn parses_a_flux_deployment_command_line() {
    let cfg = config(&[
        "--events-addr=http://notification-controller.flux-system.svc.cluster.local./",
        "--watch-all-namespaces=false",
        "--log-level=debug",
        "--log-encoding=console",
        "--enable-leader-election",
        "--concurrent=20",
        "--requeue-dependency=5s",
        "--metrics-addr=127.0.0.1:8081",
        "--health-addr=[::1]:9441",
        "--watch-label-selector=sharding.fluxcd.io/shard=shard1",
        "--no-cross-namespace-refs=true",
        "--default-service-account=default",
        "--interval-jitter-percentage=10",
        "--leader-election-lease-duration=1m",
        "--kubeconfig=/tmp/kubeconfig",
        "--runtime-namespace=flux-system",
    ])
    .expect("valid");
    let events = cfg.events_addr.expect("events addr");
    assert_eq!(
        events.host_str(),
        Some("notification-controller.flux-system.svc.cluster.local.")
    );
    assert_eq!(cfg.watch.namespace.as_deref(), Some("flux-system"));
    assert_eq!(cfg.log_level, LogLevel::Debug);
    assert_eq!(cfg.log_encoding, LogEncoding::Console);
    assert!(cfg.leader_election.enabled);
    assert_eq!(
        cfg.leader_election.timing.lease_duration,
        Duration::from_secs(60)
    );
    assert_eq!(cfg.concurrent, 20);
    assert_eq!(cfg.requeue_dependency, Duration::from_secs(5));
    assert_eq!(
        cfg.metrics_addr.map(|a| a.to_string()).as_deref(),
        Some("127.0.0.1:8081")
    );
    assert_eq!(
        cfg.health_addr.map(|a| a.to_string()).as_deref(),
        Some("[::1]:9441")
    );
    assert_eq!(
        cfg.watch.label_selector.as_deref(),
        Some("sharding.fluxcd.io/shard=shard1")
    );
    assert!(cfg.no_cross_namespace_refs);
    assert_eq!(cfg.default_service_account.as_deref(), Some("default"));
    assert_eq!(cfg.interval_jitter.get(), 10);
    assert_eq!(cfg.kubeconfig, Some(PathBuf::from("/tmp/kubeconfig")));
    assert_eq!(cfg.runtime_namespace.as_deref(), Some("flux-system"));
}

#[test]
fn go_style_booleans() {
    let cases: &[(&[&str], bool)] = &[
        (&["--watch-all-namespaces"], true),
        (&["--watch-all-namespaces=false"], false),
        (&["--watch-all-namespaces=0"], false),
        (&["--watch-all-namespaces=True"], true),
        (&[], true),
    ];
    for (args, want) in cases {
        assert_eq!(
            parse(args).expect("parse").watch_all_namespaces,
            *want,
            "{args:?}"
        );
    }
    assert!(parse(&["--watch-all-namespaces=maybe"]).is_err());
    assert!(
        parse(&["--enable-leader-election", "false"]).is_err(),
        "Go takes 'false' as a positional"
    );
    assert!(
        parse(&["--leader-election-release-on-cancel=false"])
            .is_ok_and(|f| !f.leader_election_release_on_cancel)
    );
}

#[test]
fn disabled_servers_and_all_namespaces_without_runtime_namespace() {
    let cfg = config(&[
        "--metrics-addr=0",
        "--health-addr=",
        "--watch-all-namespaces=false",
        "--runtime-namespace=",
    ])
    .expect("valid");
    assert_eq!(cfg.metrics_addr, None);
    assert_eq!(cfg.health_addr, None);
    assert_eq!(
        cfg.watch.namespace, None,
        "Flux watches everything when RUNTIME_NAMESPACE is unset"
    );
    let cfg = config(&["--metrics-addr="]).expect("valid");
    assert_eq!(
        cfg.metrics_addr.map(|a| a.to_string()).as_deref(),
        Some(":8080")
    );
}

#[test]
fn rejects_bad_values() {
    let cases: &[(&[&str], &str)] = &[
        (&["--concurrent=0"], "concurrent"),
        (&["--concurrent=-1"], "concurrent"),
        (&["--requeue-dependency=30"], "requeue-dependency"),
        (&["--requeue-dependency=-5s"], "requeue-dependency"),
        (&["--log-level=warn"], "log-level"),
        (&["--log-encoding=text"], "log-encoding"),
        (&["--metrics-addr=8080"], "metrics-addr"),
        (&["--health-addr=:99999"], "health-addr"),
        (&["--events-addr=notification-controller"], "events-addr"),
        (&["--events-addr=ftp://example.com/"], "events-addr"),
        (&["--watch-label-selector=a in ()"], "watch-label-selector"),
        (
            &["--interval-jitter-percentage=100"],
            "interval-jitter-percentage",
        ),
        (&["--kube-api-burst=-1"], "kube-api-burst"),
        (
            &["--min-retry-delay=1h", "--max-retry-delay=1m"],
            "min-retry-delay",
        ),
        (
            &[
                "--enable-leader-election",
                "--leader-election-renew-deadline=40s",
            ],
            "enable-leader-election",
        ),
        (
            &[
                "--enable-leader-election",
                "--leader-election-retry-period=29s",
            ],
            "enable-leader-election",
        ),
    ];
    for (args, flag) in cases {
        match config(args) {
            Err(FlagError::Invalid { flag: got, message }) => {
                assert_eq!(got, *flag, "{args:?}: {message}");
                assert!(!message.is_empty());
            }
            Ok(_) => panic!("{args:?} should be refused"),
        }
    }
    // Timings are only checked when an election runs, as client-go does.
    assert!(config(&["--leader-election-renew-deadline=40s"]).is_ok());
    // clap refuses what does not even parse.
    assert!(parse(&["--interval-jitter-percentage=300"]).is_err());
    assert!(parse(&["--concurrent=many"]).is_err());
}

#[test]
fn controllers_can_change_a_default() {
    let cmd = override_default(Cli::command(), "concurrent", "2");
    let matches = cmd
        .try_get_matches_from(["source-controller"])
        .expect("parse");
    let cli = Cli::from_arg_matches(&matches).expect("args");
    assert_eq!(cli.runtime.validate().expect("valid").concurrent, 2);
}

#[test]
fn go_bool_parser() {
    for (input, want) in [
        ("1", Ok(true)),
        ("t", Ok(true)),
        ("FALSE", Ok(false)),
        ("F", Ok(false)),
    ] {
        assert_eq!(parse_go_bool(input), want, "{input}");
    }
    assert!(parse_go_bool("yes").is_err());
}

#[test]
fn the_requeuer_follows_the_retry_and_jitter_flags() {
    use crate::error::ReconcileError;
    use crate::summarize::Outcome;
    let cfg = config(&[
        "--min-retry-delay=1s",
        "--max-retry-delay=4s",
        "--interval-jitter-percentage=0",
    ])
    .expect("valid");
    let requeuer = cfg.requeuer::<String>();
    let key = "ns/app".to_string();
    let retry: Outcome = ReconcileError::retry("Failed", "x").into();
    let interval = Duration::from_secs(60);
    let delays: Vec<_> = (0..4)
        .map(|_| requeuer.requeue_after(&key, &retry, interval))
        .collect();
    let secs = |s| Some(Duration::from_secs(s));
    assert_eq!(delays, [secs(1), secs(2), secs(4), secs(4)]);
    let ok = Outcome::success("ok");
    assert_eq!(requeuer.requeue_after(&key, &ok, interval), Some(interval));
}
