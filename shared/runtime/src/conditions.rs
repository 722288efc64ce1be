//! Condition helpers: set and mark keeping lastTransitionTime, lookups, time-insensitive equality.
//!
//! The semantics are those of Flux's `runtime/conditions` (itself from cluster-api): setting a
//! condition always records the object's generation on it, trims its message to what the CRDs
//! accept, keeps `lastTransitionTime` unless status, reason or message changed, and keeps the
//! list sorted Stalled, Reconciling, Ready first, then newest observedGeneration first, then by
//! type. Every writer takes `now` so callers (and tests) decide the clock.

use std::cmp::Ordering;

use fluxion_api::conditions::{READY, RECONCILING, STALLED, status};
use fluxion_api::meta::{Condition, Time};
use k8s_openapi::jiff::{Timestamp, TimestampRound, Unit};

/// The longest condition message the CRDs accept (metav1.Condition's `maxLength`).
pub const MAX_MESSAGE_LENGTH: usize = 32768;
const TRIMMED_SUFFIX: &str = "...";

/// The current time truncated to seconds, the precision `metav1.Time` is serialized with, so
/// a value read back from the API server compares equal to the one written.
pub fn now() -> Time {
    truncate(Timestamp::now())
}

fn truncate(ts: Timestamp) -> Time {
    let opts = TimestampRound::new()
        .smallest(Unit::Second)
        .mode(k8s_openapi::jiff::RoundMode::Trunc);
    Time(ts.round(opts).unwrap_or(ts))
}

/// A condition of the given type and status, with no transition time yet ([`set`] fills it).
pub fn condition(
    type_: &str,
    status: &str,
    reason: impl Into<String>,
    message: impl Into<String>,
) -> Condition {
    Condition {
        type_: type_.to_owned(),
        status: status.to_owned(),
        reason: reason.into(),
        message: message.into(),
        observed_generation: None,
        last_transition_time: Time(Timestamp::UNIX_EPOCH),
    }
}

/// The condition of the given type, if present.
pub fn get<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

pub fn has(conditions: &[Condition], type_: &str) -> bool {
    get(conditions, type_).is_some()
}

fn status_is(conditions: &[Condition], type_: &str, value: &str) -> bool {
    get(conditions, type_).is_some_and(|c| c.status == value)
}

/// True when the condition is present with status True.
pub fn is_true(conditions: &[Condition], type_: &str) -> bool {
    status_is(conditions, type_, status::TRUE)
}

/// True when the condition is present with status False.
pub fn is_false(conditions: &[Condition], type_: &str) -> bool {
    status_is(conditions, type_, status::FALSE)
}

/// True when the condition is Unknown or absent (Flux: an absent condition is unknown).
pub fn is_unknown(conditions: &[Condition], type_: &str) -> bool {
    get(conditions, type_).is_none_or(|c| c.status == status::UNKNOWN)
}

/// The reason of the condition, empty when absent.
pub fn reason<'a>(conditions: &'a [Condition], type_: &str) -> &'a str {
    get(conditions, type_).map_or("", |c| c.reason.as_str())
}

/// The message of the condition, empty when absent.
pub fn message<'a>(conditions: &'a [Condition], type_: &str) -> &'a str {
    get(conditions, type_).map_or("", |c| c.message.as_str())
}

/// Stalled=True and not Reconciling=True (Flux `IsStalled`).
pub fn is_stalled(conditions: &[Condition]) -> bool {
    !is_true(conditions, RECONCILING) && is_true(conditions, STALLED)
}

/// Reconciling=True and not Stalled=True (Flux `IsReconciling`).
pub fn is_reconciling(conditions: &[Condition]) -> bool {
    !is_true(conditions, STALLED) && is_true(conditions, RECONCILING)
}

/// Ready=True with neither Stalled nor Reconciling (Flux `IsReady`).
pub fn is_ready(conditions: &[Condition]) -> bool {
    !is_stalled(conditions) && !is_reconciling(conditions) && is_true(conditions, READY)
}

/// Status, reason and message (and type) are equal: a change of any of them is a transition.
fn same_state(a: &Condition, b: &Condition) -> bool {
    a.type_ == b.type_ && a.status == b.status && a.reason == b.reason && a.message == b.message
}

/// Sets `condition`, recording `generation` as its observedGeneration.
///
/// An existing condition of the same type keeps its lastTransitionTime unless status, reason or
/// message changed; a transition, or a new condition without a time, gets `now`.
pub fn set(conditions: &mut Vec<Condition>, mut condition: Condition, generation: i64, now: &Time) {
    condition.observed_generation = Some(generation);
    trim_message(&mut condition.message);
    match conditions.iter_mut().find(|c| c.type_ == condition.type_) {
        Some(existing) => {
            condition.last_transition_time = if same_state(existing, &condition) {
                existing.last_transition_time.clone()
            } else {
                now.clone()
            };
            *existing = condition;
        }
        None => {
            if condition.last_transition_time.0 == Timestamp::UNIX_EPOCH {
                condition.last_transition_time = now.clone();
            }
            conditions.push(condition);
        }
    }
    conditions.sort_by(order);
}

/// Cuts a message longer than [`MAX_MESSAGE_LENGTH`] bytes to that length, ending in `...`,
/// as Flux does; a longer one would make the API server refuse the whole status.
fn trim_message(message: &mut String) {
    if message.len() <= MAX_MESSAGE_LENGTH {
        return;
    }
    let mut end = MAX_MESSAGE_LENGTH - TRIMMED_SUFFIX.len();
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    message.truncate(end);
    message.push_str(TRIMMED_SUFFIX);
}

/// Flux's order for readers such as kubectl: Stalled, Reconciling, Ready, then the newest
/// observedGeneration first, then by type.
fn order(a: &Condition, b: &Condition) -> Ordering {
    fn weight(c: &Condition) -> Option<u8> {
        match c.type_.as_str() {
            STALLED => Some(0),
            RECONCILING => Some(1),
            READY => Some(2),
            _ => None,
        }
    }
    match (weight(a), weight(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => b
            .observed_generation
            .cmp(&a.observed_generation)
            .then_with(|| a.type_.cmp(&b.type_)),
    }
}

fn mark(
    conditions: &mut Vec<Condition>,
    (type_, status): (&str, &str),
    reason: impl Into<String>,
    message: impl Into<String>,
    generation: i64,
    now: &Time,
) {
    set(
        conditions,
        condition(type_, status, reason, message),
        generation,
        now,
    );
}

/// Sets the condition to True with the reason and message.
pub fn mark_true(
    conditions: &mut Vec<Condition>,
    type_: &str,
    reason: impl Into<String>,
    message: impl Into<String>,
    generation: i64,
    now: &Time,
) {
    mark(
        conditions,
        (type_, status::TRUE),
        reason,
        message,
        generation,
        now,
    );
}

/// Sets the condition to False with the reason and message.
pub fn mark_false(
    conditions: &mut Vec<Condition>,
    type_: &str,
    reason: impl Into<String>,
    message: impl Into<String>,
    generation: i64,
    now: &Time,
) {
    mark(
        conditions,
        (type_, status::FALSE),
        reason,
        message,
        generation,
        now,
    );
}

/// Sets the condition to Unknown with the reason and message.
pub fn mark_unknown(
    conditions: &mut Vec<Condition>,
    type_: &str,
    reason: impl Into<String>,
    message: impl Into<String>,
    generation: i64,
    now: &Time,
) {
    mark(
        conditions,
        (type_, status::UNKNOWN),
        reason,
        message,
        generation,
        now,
    );
}

/// Reconciling=True and no Stalled: called when a run starts work (Flux `MarkReconciling`).
pub fn mark_reconciling(
    conditions: &mut Vec<Condition>,
    reason: impl Into<String>,
    message: impl Into<String>,
    generation: i64,
    now: &Time,
) {
    delete(conditions, STALLED);
    mark_true(conditions, RECONCILING, reason, message, generation, now);
}

/// Stalled=True and no Reconciling: the user must act (Flux `MarkStalled`).
pub fn mark_stalled(
    conditions: &mut Vec<Condition>,
    reason: impl Into<String>,
    message: impl Into<String>,
    generation: i64,
    now: &Time,
) {
    delete(conditions, RECONCILING);
    mark_true(conditions, STALLED, reason, message, generation, now);
}

/// Removes the condition of the given type, if present.
pub fn delete(conditions: &mut Vec<Condition>, type_: &str) {
    conditions.retain(|c| c.type_ != type_);
}

/// Equal except for lastTransitionTime, regardless of order: type, status, reason, message and
/// observedGeneration all count.
pub fn equal_ignoring_time(a: &[Condition], b: &[Condition]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| {
            get(b, &x.type_)
                .is_some_and(|y| same_state(x, y) && x.observed_generation == y.observed_generation)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluxion_api::conditions::{HEALTHY, PROGRESSING_REASON, SUCCEEDED_REASON};

    fn at(secs: i64) -> Time {
        Time(Timestamp::from_second(secs).expect("valid"))
    }

    fn types(conds: &[Condition]) -> Vec<&str> {
        conds.iter().map(|c| c.type_.as_str()).collect()
    }

    #[test]
    fn getters_on_absent_and_present() {
        let mut c = Vec::new();
        assert!(!has(&c, READY));
        assert!(!is_true(&c, READY) && !is_false(&c, READY) && is_unknown(&c, READY));
        assert_eq!((reason(&c, READY), message(&c, READY)), ("", ""));
        mark_false(&mut c, READY, "Failed", "boom", 1, &at(10));
        assert!(is_false(&c, READY) && !is_unknown(&c, READY) && !is_true(&c, READY));
        assert_eq!((reason(&c, READY), message(&c, READY)), ("Failed", "boom"));
        mark_unknown(&mut c, READY, PROGRESSING_REASON, "working", 1, &at(10));
        assert!(is_unknown(&c, READY));
    }

    #[test]
    fn set_keeps_transition_time_when_state_is_unchanged() {
        let mut c = Vec::new();
        mark_true(&mut c, READY, SUCCEEDED_REASON, "ok", 1, &at(100));
        // Same state, new generation: time kept, generation updated.
        mark_true(&mut c, READY, SUCCEEDED_REASON, "ok", 2, &at(200));
        let ready = get(&c, READY).expect("ready");
        assert_eq!(ready.last_transition_time, at(100));
        assert_eq!(ready.observed_generation, Some(2));
        // Status, reason or message change: a transition.
        for (status, reason, msg, t) in [
            (status::FALSE, SUCCEEDED_REASON, "ok", 300),
            (status::FALSE, "Failed", "ok", 400),
            (status::FALSE, "Failed", "other", 500),
        ] {
            set(&mut c, condition(READY, status, reason, msg), 2, &at(t));
            assert_eq!(get(&c, READY).expect("ready").last_transition_time, at(t));
        }
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn set_new_condition_keeps_a_given_time() {
        let mut c = Vec::new();
        let mut cond = condition(HEALTHY, status::TRUE, SUCCEEDED_REASON, "");
        cond.last_transition_time = at(5);
        set(&mut c, cond, 3, &at(99));
        assert_eq!(c[0].last_transition_time, at(5));
        assert_eq!(c[0].observed_generation, Some(3));
    }

    #[test]
    fn set_sorts_kstatus_conditions_first() {
        let mut c = Vec::new();
        for t in [
            "Zeta",
            READY,
            "ArtifactInStorage",
            STALLED,
            RECONCILING,
            HEALTHY,
        ] {
            mark_true(&mut c, t, "R", "", 1, &at(1));
        }
        assert_eq!(
            types(&c),
            [
                STALLED,
                RECONCILING,
                READY,
                "ArtifactInStorage",
                HEALTHY,
                "Zeta"
            ]
        );
    }

    #[test]
    fn set_sorts_newer_generations_before_older_ones() {
        let mut c = Vec::new();
        mark_true(&mut c, "Alpha", "R", "", 1, &at(1));
        mark_true(&mut c, "Zeta", "R", "", 2, &at(1));
        mark_true(&mut c, READY, "R", "", 1, &at(1));
        mark_true(&mut c, "Beta", "R", "", 2, &at(1));
        assert_eq!(types(&c), [READY, "Beta", "Zeta", "Alpha"]);
    }

    #[test]
    fn set_trims_long_messages() {
        let mut c = Vec::new();
        let fits = "m".repeat(MAX_MESSAGE_LENGTH);
        mark_false(&mut c, READY, "Failed", fits.clone(), 1, &at(1));
        assert_eq!(message(&c, READY), fits);
        mark_false(
            &mut c,
            READY,
            "Failed",
            "x".repeat(MAX_MESSAGE_LENGTH + 1),
            1,
            &at(1),
        );
        let trimmed = message(&c, READY);
        assert_eq!(trimmed.len(), MAX_MESSAGE_LENGTH);
        assert!(
            trimmed.ends_with("x..."),
            "{}",
            &trimmed[trimmed.len() - 8..]
        );
        // A multi-byte character is never cut in half.
        let wide = format!("{}é", "x".repeat(MAX_MESSAGE_LENGTH - 4));
        mark_false(&mut c, READY, "Failed", wide + "tail", 1, &at(1));
        let trimmed = message(&c, READY);
        assert!(trimmed.len() <= MAX_MESSAGE_LENGTH);
        assert!(
            trimmed.ends_with("x..."),
            "{}",
            &trimmed[trimmed.len() - 8..]
        );
    }

    #[test]
    fn reconciling_and_stalled_exclude_each_other() {
        let mut c = Vec::new();
        mark_stalled(&mut c, "InvalidPath", "bad", 1, &at(1));
        assert!(is_stalled(&c) && !is_reconciling(&c));
        mark_reconciling(&mut c, PROGRESSING_REASON, "go", 2, &at(2));
        assert!(is_reconciling(&c) && !has(&c, STALLED));
        mark_stalled(&mut c, "InvalidPath", "bad", 2, &at(3));
        assert!(is_stalled(&c) && !has(&c, RECONCILING));
        delete(&mut c, STALLED);
        assert!(c.is_empty());
        delete(&mut c, STALLED);
    }

    #[test]
    fn composite_predicates_follow_flux() {
        // (conditions, is_ready, is_reconciling, is_stalled)
        type Case = (&'static [(&'static str, &'static str)], bool, bool, bool);
        let cases: [Case; 5] = [
            (&[(READY, status::TRUE)], true, false, false),
            (
                &[(READY, status::TRUE), (RECONCILING, status::TRUE)],
                false,
                true,
                false,
            ),
            (
                &[(READY, status::FALSE), (STALLED, status::TRUE)],
                false,
                false,
                true,
            ),
            // Both set: neither counts (an inconsistent status).
            (
                &[(STALLED, status::TRUE), (RECONCILING, status::TRUE)],
                false,
                false,
                false,
            ),
            (
                &[(READY, status::TRUE), (STALLED, status::FALSE)],
                true,
                false,
                false,
            ),
        ];
        for (input, ready, reconciling, stalled) in cases {
            let c: Vec<_> = input
                .iter()
                .map(|(t, s)| condition(t, s, "R", ""))
                .collect();
            assert_eq!(is_ready(&c), ready, "{input:?}");
            assert_eq!(is_reconciling(&c), reconciling, "{input:?}");
            assert_eq!(is_stalled(&c), stalled, "{input:?}");
        }
    }

    #[test]
    fn equality_ignores_time_and_order_only() {
        let mut a = Vec::new();
        mark_true(&mut a, READY, SUCCEEDED_REASON, "ok", 1, &at(1));
        mark_true(&mut a, HEALTHY, SUCCEEDED_REASON, "ok", 1, &at(1));
        let mut b = a.clone();
        b.reverse();
        for c in &mut b {
            c.last_transition_time = at(50);
        }
        assert!(equal_ignoring_time(&a, &b));
        let mut generation = b.clone();
        generation[0].observed_generation = Some(2);
        assert!(!equal_ignoring_time(&a, &generation));
        let mut msg = b.clone();
        msg[1].message = "changed".into();
        assert!(!equal_ignoring_time(&a, &msg));
        assert!(!equal_ignoring_time(&a, &b[..1]));
        assert!(equal_ignoring_time(&[], &[]));
    }

    #[test]
    fn now_is_whole_seconds() {
        assert_eq!(now().0.subsec_nanosecond(), 0);
    }
}
