//! Tests of the pure election decisions.

use super::*;

const ME: &str = "pod-a_1";
const OTHER: &str = "pod-b_2";

fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + secs).expect("time")
}

fn lease(holder: &str, duration: i32, transitions: i32, acquired: i64) -> LeaseSpec {
    LeaseSpec {
        holder_identity: Some(holder.to_string()),
        lease_duration_seconds: Some(duration),
        acquire_time: Some(MicroTime(t(acquired))),
        renew_time: Some(MicroTime(t(acquired))),
        lease_transitions: Some(transitions),
        ..LeaseSpec::default()
    }
}

fn seen(spec: LeaseSpec, at: i64) -> Observation {
    Observation {
        spec,
        observed_at: t(at),
    }
}

#[derive(Debug, PartialEq)]
enum Want {
    Create,
    Acquire { transitions: i32 },
    Renew { transitions: i32, acquired: i64 },
    StandBy { expires: i64 },
}

#[test]
fn decides_acquire_renew_or_stand_by() {
    let timing = ElectionTiming::default();
    let cases: Vec<(&str, Option<Observation>, i64, Want)> = vec![
        ("no lease", None, 0, Want::Create),
        (
            "held by other, fresh",
            Some(seen(lease(OTHER, 35, 3, 0), 10)),
            20,
            Want::StandBy { expires: 45 },
        ),
        (
            "held by other, just before expiry",
            Some(seen(lease(OTHER, 35, 3, 0), 10)),
            44,
            Want::StandBy { expires: 45 },
        ),
        (
            "held by other, expired",
            Some(seen(lease(OTHER, 35, 3, 0), 10)),
            45,
            Want::Acquire { transitions: 4 },
        ),
        (
            "other's duration counts",
            Some(seen(lease(OTHER, 60, 0, 0), 0)),
            50,
            Want::StandBy { expires: 60 },
        ),
        (
            "released",
            Some(seen(lease("", 1, 7, 0), 100)),
            100,
            Want::Acquire { transitions: 8 },
        ),
        (
            "ours",
            Some(seen(lease(ME, 35, 2, 5), 30)),
            31,
            Want::Renew {
                transitions: 2,
                acquired: 5,
            },
        ),
        (
            "ours, even if stale",
            Some(seen(lease(ME, 35, 2, 5), 0)),
            500,
            Want::Renew {
                transitions: 2,
                acquired: 5,
            },
        ),
    ];
    for (name, observed, now, want) in cases {
        let got = match decide(observed.as_ref(), ME, t(now), &timing) {
            Action::Create(spec) => {
                assert_eq!(spec.lease_transitions, Some(0), "{name}");
                assert_eq!(spec.acquire_time, Some(MicroTime(t(now))), "{name}");
                Want::Create
            }
            Action::Acquire(spec) => {
                assert_eq!(spec.acquire_time, Some(MicroTime(t(now))), "{name}");
                assert_eq!(spec.holder_identity.as_deref(), Some(ME), "{name}");
                Want::Acquire {
                    transitions: spec.lease_transitions.unwrap_or(-1),
                }
            }
            Action::Renew(spec) => {
                assert_eq!(spec.renew_time, Some(MicroTime(t(now))), "{name}");
                assert_eq!(spec.lease_duration_seconds, Some(35), "{name}");
                let acquired = spec
                    .acquire_time
                    .map(|m| m.0.as_second() - t(0).as_second())
                    .unwrap_or(-1);
                Want::Renew {
                    transitions: spec.lease_transitions.unwrap_or(-1),
                    acquired,
                }
            }
            Action::StandBy { holder, expires_at } => {
                assert_eq!(holder, OTHER, "{name}");
                Want::StandBy {
                    expires: expires_at.as_second() - t(0).as_second(),
                }
            }
        };
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn observation_time_moves_only_on_change() {
    let first = observe(None, lease(OTHER, 35, 0, 0), t(10));
    assert_eq!(first.observed_at, t(10));
    let same = observe(Some(first.clone()), lease(OTHER, 35, 0, 0), t(20));
    assert_eq!(
        same.observed_at,
        t(10),
        "an unchanged record keeps its first sighting"
    );
    let renewed = observe(Some(same), lease(OTHER, 35, 0, 15), t(30));
    assert_eq!(renewed.observed_at, t(30), "a renewal resets the clock");
}

#[test]
fn our_writes_compare_equal_after_a_round_trip() {
    let now = Timestamp::from_nanosecond(1_700_000_000_123_456_789).expect("time");
    let Action::Create(spec) = decide(None, ME, now, &ElectionTiming::default()) else {
        panic!("expected create");
    };
    let json = serde_json::to_value(&spec).expect("json");
    let back: LeaseSpec = serde_json::from_value(json).expect("back");
    assert_eq!(back, spec);
}

#[test]
fn release_clears_holder_and_keeps_transitions() {
    let spec = release_spec(&lease(ME, 35, 4, 0), t(50));
    assert_eq!(spec.holder_identity.as_deref(), Some(""));
    assert_eq!(spec.lease_duration_seconds, Some(1));
    assert_eq!(spec.lease_transitions, Some(4));
    assert_eq!(spec.renew_time, Some(MicroTime(t(50))));
    // Another candidate takes a released Lease at once.
    let obs = seen(spec, 50);
    assert!(matches!(
        decide(Some(&obs), OTHER, t(50), &ElectionTiming::default()),
        Action::Acquire(_)
    ));
}

#[test]
fn validates_timings_like_client_go() {
    let ok = ElectionTiming::default();
    assert!(ok.validate().is_ok());
    let bad = [
        (
            ElectionTiming {
                lease_duration: Duration::from_secs(30),
                ..ok
            },
            "leaseDuration",
        ),
        (
            ElectionTiming {
                retry_period: Duration::from_secs(25),
                ..ok
            },
            "renewDeadline",
        ),
        (
            ElectionTiming {
                retry_period: Duration::ZERO,
                ..ok
            },
            "retryPeriod",
        ),
        (
            ElectionTiming {
                lease_duration: Duration::from_millis(900),
                renew_deadline: Duration::from_millis(500),
                retry_period: Duration::from_millis(100),
            },
            "at least one second",
        ),
    ];
    for (timing, needle) in bad {
        let err = timing.validate().expect_err("invalid").to_string();
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn election_ids_follow_flux() {
    assert_eq!(
        election_id("source-controller", None),
        "source-controller-leader-election"
    );
    assert_eq!(
        election_id("source-controller", Some("")),
        "source-controller-leader-election"
    );
    // sha256("a") starts with ca978112.
    assert_eq!(
        election_id("kustomize-controller", Some("a")),
        "kustomize-controller-leader-election-ca978112"
    );
}

#[test]
fn identities_are_unique_and_shaped_like_controller_runtime() {
    let a = new_identity("source-controller-7d9f");
    let b = new_identity("source-controller-7d9f");
    assert_ne!(a, b);
    let (host, uuid) = a.split_once('_').expect("underscore");
    assert_eq!(host, "source-controller-7d9f");
    let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12]);
    assert_eq!(&uuid[14..15], "4");
}

#[test]
fn candidate_waits_are_jittered_within_bounds() {
    let retry = Duration::from_secs(5);
    assert_eq!(jittered(retry, 0.0), retry);
    assert_eq!(jittered(retry, 0.5), Duration::from_secs(8));
    assert!(jittered(retry, 0.999) < Duration::from_secs(11));
    assert_eq!(jittered(retry, 7.0), Duration::from_secs(11));
}
