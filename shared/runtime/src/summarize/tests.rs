//! Tests of the summary: the outcome table, messages, transition times, progressive status,
//! negative polarity and the finalized status.

use super::*;
use fluxion_api::conditions::{
    ARTIFACT_FAILED_REASON, DEPENDENCY_NOT_READY_REASON, PROGRESSING_REASON,
    RECONCILIATION_SUCCEEDED_REASON,
};
use k8s_openapi::jiff::Timestamp;

fn at(secs: i64) -> Time {
    Time(Timestamp::from_second(secs).expect("valid"))
}

/// (type, status, reason) triples, sorted as set() sorts them.
type Row = (&'static str, &'static str, &'static str);

fn build(rows: &[Row]) -> Vec<Condition> {
    let mut c = Vec::new();
    for (t, s, r) in rows {
        cond::set(&mut c, cond::condition(t, s, *r, "before"), 1, &at(1));
    }
    c
}

fn rows(c: &[Condition]) -> Vec<(String, String, String)> {
    c.iter()
        .map(|c| (c.type_.clone(), c.status.clone(), c.reason.clone()))
        .collect()
}

fn own(rows: &[Row]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(t, s, r)| (t.to_string(), s.to_string(), r.to_string()))
        .collect()
}

const RECONCILING_PROGRESS: Row = (RECONCILING, status::TRUE, PROGRESSING_REASON);
const RECONCILING_RETRY: Row = (RECONCILING, status::TRUE, PROGRESSING_WITH_RETRY_REASON);
const STALLED_OLD: Row = (STALLED, status::TRUE, "InvalidPath");
const READY_OK: Row = (READY, status::TRUE, SUCCEEDED_REASON);

#[test]
fn table() {
    let wait = ReconcileError::wait(DEPENDENCY_NOT_READY_REASON, "dep", Duration::from_secs(30));
    // (name, before, outcome, after, observe_generation)
    type Case = (&'static str, Vec<Row>, Outcome, Vec<Row>, bool);
    let cases: Vec<Case> = vec![
        (
            "success from scratch",
            vec![],
            Outcome::success("ok"),
            vec![READY_OK],
            true,
        ),
        (
            "success clears reconciling and stalled",
            vec![
                STALLED_OLD,
                RECONCILING_PROGRESS,
                (READY, status::FALSE, "Failed"),
            ],
            Outcome::success_with(RECONCILIATION_SUCCEEDED_REASON, "Applied revision: x"),
            vec![(READY, status::TRUE, RECONCILIATION_SUCCEEDED_REASON)],
            true,
        ),
        (
            "retry keeps reconciling with retry reason",
            vec![RECONCILING_PROGRESS, READY_OK],
            ReconcileError::retry(ARTIFACT_FAILED_REASON, "fetch").into(),
            vec![
                RECONCILING_RETRY,
                (READY, status::FALSE, ARTIFACT_FAILED_REASON),
            ],
            false,
        ),
        (
            "retry adds reconciling and clears stalled",
            vec![STALLED_OLD],
            ReconcileError::retry(ARTIFACT_FAILED_REASON, "fetch").into(),
            vec![
                RECONCILING_RETRY,
                (READY, status::FALSE, ARTIFACT_FAILED_REASON),
            ],
            false,
        ),
        (
            "wait without reconciling leaves it out",
            vec![READY_OK, STALLED_OLD],
            wait.clone().into(),
            vec![(READY, status::FALSE, DEPENDENCY_NOT_READY_REASON)],
            false,
        ),
        (
            "wait marks an existing reconciling as retrying",
            vec![RECONCILING_PROGRESS],
            wait.into(),
            vec![
                RECONCILING_RETRY,
                (READY, status::FALSE, DEPENDENCY_NOT_READY_REASON),
            ],
            false,
        ),
        (
            "stall is final",
            vec![RECONCILING_PROGRESS, READY_OK],
            ReconcileError::stall("InvalidPath", "bad").into(),
            vec![STALLED_OLD, (READY, status::FALSE, "InvalidPath")],
            true,
        ),
        (
            "in progress is Ready=Unknown with Reconciling",
            vec![STALLED_OLD, READY_OK],
            Outcome::in_progress(PROGRESSING_REASON, "rolling out", Duration::ZERO),
            vec![
                RECONCILING_PROGRESS,
                (READY, status::UNKNOWN, PROGRESSING_REASON),
            ],
            false,
        ),
    ];
    for (name, before, outcome, after, observe) in cases {
        let mut c = build(&before);
        let summary = summarize(&mut c, &outcome, 2, &at(50));
        assert_eq!(rows(&c), own(&after), "{name}");
        assert_eq!(summary.observe_generation, observe, "{name}");
        assert!(c.iter().all(|c| c.observed_generation == Some(2)), "{name}");
    }
}

#[test]
fn step_results_become_outcomes() {
    #[derive(Debug, thiserror::Error)]
    #[error("bad path")]
    struct BadPath;
    impl crate::error::FluxError for BadPath {
        fn reason(&self) -> Cow<'static, str> {
            "InvalidPath".into()
        }
        fn disposition(&self) -> Disposition {
            Disposition::Stall
        }
    }
    let ok: Result<Outcome, BadPath> = Ok(Outcome::success("done"));
    assert_eq!(Outcome::from(ok), Outcome::success("done"));
    let failed = Outcome::from(Err::<Outcome, _>(BadPath));
    assert_eq!(
        failed,
        Outcome::Failed(ReconcileError::stall("InvalidPath", "bad path"))
    );
}

#[test]
fn messages_come_from_the_outcome_and_reconciling_keeps_its_own() {
    let mut c = build(&[RECONCILING_PROGRESS]);
    let err = ReconcileError::retry(ARTIFACT_FAILED_REASON, "fetch failed");
    summarize(&mut c, &err.into(), 1, &at(9));
    assert_eq!(cond::message(&c, READY), "fetch failed");
    assert_eq!(cond::message(&c, RECONCILING), "before");
    assert_eq!(
        cond::get(&c, RECONCILING).expect("r").last_transition_time,
        at(9)
    );
}

#[test]
fn repeated_success_keeps_transition_time() {
    let mut c = Vec::new();
    summarize(&mut c, &Outcome::success("ok"), 1, &at(10));
    summarize(&mut c, &Outcome::success("ok"), 1, &at(20));
    assert_eq!(
        cond::get(&c, READY).expect("ready").last_transition_time,
        at(10)
    );
}

#[test]
fn progressive_status_keeps_known_ready_without_drift() {
    let cases: [(Vec<Row>, bool, &str); 4] = [
        (vec![READY_OK], false, status::TRUE),
        (vec![READY_OK], true, status::UNKNOWN),
        (vec![], false, status::UNKNOWN),
        (
            vec![(READY, status::FALSE, "Failed"), STALLED_OLD],
            false,
            status::FALSE,
        ),
    ];
    for (before, drift, ready) in cases {
        let mut c = build(&before);
        progressive_status(&mut c, drift, PROGRESSING_REASON, "working", 1, &at(2));
        assert!(cond::is_reconciling(&c) && !cond::has(&c, STALLED));
        assert_eq!(cond::get(&c, READY).expect("ready").status, ready);
    }
}

#[test]
fn lingering_negative_polarity_conditions_fail_a_success() {
    const FETCH_FAILED: &str = "FetchFailed";
    const OUTDATED: &str = "ArtifactOutdated";
    let types = [FETCH_FAILED, OUTDATED];
    let c = build(&[
        (OUTDATED, status::TRUE, "NewRevision"),
        (FETCH_FAILED, status::TRUE, "GitOperationFailed"),
    ]);
    let got = apply_negative_polarity(Outcome::success("ok"), &c, &types);
    let Outcome::Failed(err) = got else {
        panic!("a lingering FetchFailed is a failure: {got:?}");
    };
    assert_eq!(err.reason(), "GitOperationFailed", "first type listed wins");
    assert_eq!(err.message(), "before");
    assert_eq!(err.disposition(), Disposition::Retry);

    let cleared = build(&[(FETCH_FAILED, status::FALSE, "x"), READY_OK]);
    let ok = Outcome::success("ok");
    assert_eq!(apply_negative_polarity(ok.clone(), &cleared, &types), ok);
    let stall: Outcome = ReconcileError::stall("InvalidURL", "bad").into();
    assert_eq!(apply_negative_polarity(stall.clone(), &c, &types), stall);
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
struct DemoStatus {
    conditions: Vec<Condition>,
    observed_generation: Option<i64>,
    last_handled_reconcile_at: Option<String>,
}
fluxion_api::impl_flux_status!(DemoStatus);

#[test]
fn finalize_status_sets_generation_only_when_final() {
    let cases = [
        (Outcome::success("ok"), Some(7)),
        (ReconcileError::stall("InvalidPath", "bad").into(), Some(7)),
        (ReconcileError::retry("Failed", "x").into(), Some(3)),
        (
            Outcome::in_progress(PROGRESSING_REASON, "x", Duration::ZERO),
            Some(3),
        ),
    ];
    for (outcome, generation) in cases {
        let mut s = DemoStatus {
            observed_generation: Some(3),
            ..Default::default()
        };
        finalize_status(&mut s, &outcome, 7, Some("2024-01-01T00:00:00Z"), &at(1));
        assert_eq!(s.observed_generation, generation, "{outcome:?}");
        assert_eq!(
            s.last_handled_reconcile_at.as_deref(),
            Some("2024-01-01T00:00:00Z")
        );
    }
}
