//! Table-driven tests of the pure token decisions.

use super::*;

fn grant() -> Grant {
    Grant {
        issuer: DEFAULT_ISSUER.into(),
        namespace: "team-a".into(),
        service_account: Ref {
            name: "robot".into(),
            uid: "sa-uid".into(),
        },
        audiences: vec![DEFAULT_ISSUER.into()],
        expiration_seconds: 3600,
        pod: None,
        secret: None,
        node: None,
        jti: "j1".into(),
    }
}

#[test]
fn claims_have_kubes_shape() {
    let mut g = grant();
    g.secret = Some(Ref {
        name: "s".into(),
        uid: "s-uid".into(),
    });
    let c = claims(&g, 1000);
    let v = serde_json::to_value(&c).expect("json");
    assert_eq!(v["sub"], "system:serviceaccount:team-a:robot");
    assert_eq!(v["aud"], json!([DEFAULT_ISSUER]));
    assert_eq!(
        (v["iat"].clone(), v["nbf"].clone()),
        (json!(1000), json!(1000))
    );
    assert_eq!(v["exp"], 4600);
    assert_eq!(
        v["kubernetes.io"],
        json!({"namespace": "team-a", "serviceaccount": {"name": "robot", "uid": "sa-uid"},
               "secret": {"name": "s", "uid": "s-uid"}})
    );
    // A single-string audience reads as a list of one.
    let one: Claims = serde_json::from_value(json!({"aud": "x"})).expect("claims");
    assert_eq!(one.aud, vec!["x"]);
    let back: Claims = serde_json::from_value(v).expect("round trip");
    assert_eq!(back, c);
}

#[test]
fn expiration_defaults_validates_and_clamps() {
    type Case = (Option<i64>, Option<i64>, Result<i64, &'static str>);
    let cases: &[Case] = &[
        (None, None, Ok(3600)),
        (Some(600), None, Ok(600)),
        (
            Some(599),
            None,
            Err(
                "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes",
            ),
        ),
        (
            Some(0),
            None,
            Err("may not specify a duration less than 10 minutes"),
        ),
        (
            Some((1 << 32) + 1),
            None,
            Err("may not specify a duration larger than 2^32 seconds"),
        ),
        (Some(86400), Some(7200), Ok(7200)),
        (None, Some(7200), Ok(3600)),
    ];
    for (requested, max, want) in cases {
        let got = expiration(*requested, *max).map_err(|e| e.line());
        match (want, got) {
            (Ok(w), Ok(g)) => assert_eq!(*w, g, "{requested:?} {max:?}"),
            (Err(w), Err(g)) => assert!(g.contains(w), "{requested:?}: {g}"),
            (w, g) => panic!("{requested:?} {max:?}: want {w:?}, got {g:?}"),
        }
    }
}

#[test]
fn time_checks_allow_a_minute_of_skew() {
    let c = claims(&grant(), 1000);
    let cases: &[(i64, Result<(), TokenError>)] = &[
        (1000, Ok(())),
        (4600, Ok(())),
        (4660, Ok(())),
        (4661, Err(TokenError::Expired)),
        (941, Ok(())),
        (939, Err(TokenError::NotYetValid)),
    ];
    for (now, want) in cases {
        assert_eq!(&check_time(&c, *now), want, "at {now}");
    }
}

#[test]
fn audiences_must_meet() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    type Case = (
        &'static [&'static str],
        &'static [&'static str],
        Result<&'static [&'static str], &'static str>,
    );
    let cases: &[Case] = &[
        (&["api"], &["api"], Ok(&["api"])),
        (&["a", "api"], &["api", "b"], Ok(&["api"])),
        (
            &["vault"],
            &["api"],
            Err(r#"token audiences ["vault"] is invalid for the target audiences ["api"]"#),
        ),
        (
            &["x", "y"],
            &["api", "z"],
            Err(r#"token audiences ["x" "y"] is invalid for the target audiences ["api" "z"]"#),
        ),
        (&["x"], &[], Ok(&[])),
    ];
    for (token, target, want) in cases {
        let got = check_audience(&s(token), &s(target)).map_err(|e| e.to_string());
        assert_eq!(
            got,
            want.map(s).map_err(str::to_string),
            "{token:?} {target:?}"
        );
    }
}

#[test]
fn bound_objects_must_still_exist_with_their_uid() {
    let mut g = grant();
    g.pod = Some(Ref {
        name: "p".into(),
        uid: "p-uid".into(),
    });
    let c = claims(&g, 1000);
    let found = |uid: &str, del: Option<i64>| {
        Some(Found {
            uid: uid.into(),
            deleting_since: del,
        })
    };
    type Case = (Option<Found>, Option<Found>, Result<(), TokenError>);
    let cases: Vec<Case> = vec![
        (found("sa-uid", None), found("p-uid", None), Ok(())),
        (
            None,
            found("p-uid", None),
            Err(TokenError::ServiceAccountNotFound("robot".into())),
        ),
        (
            found("other", None),
            found("p-uid", None),
            Err(TokenError::ServiceAccountUid(
                "other".into(),
                "sa-uid".into(),
            )),
        ),
        (
            found("sa-uid", Some(900)),
            found("p-uid", None),
            Err(TokenError::ServiceAccountDeleted(
                "team-a".into(),
                "robot".into(),
            )),
        ),
        // A deletion begun within the leeway does not count yet.
        (found("sa-uid", Some(990)), found("p-uid", None), Ok(())),
        (found("sa-uid", None), None, Err(TokenError::Invalidated)),
        (
            found("sa-uid", None),
            found("p-uid", Some(100)),
            Err(TokenError::Invalidated),
        ),
        (
            found("sa-uid", None),
            found("new", None),
            Err(TokenError::PodUid("new".into(), "p-uid".into())),
        ),
    ];
    for (sa, pod, want) in cases {
        let got = check_bound(&c, 1000, |resource, name| match (resource, name) {
            ("serviceaccounts", "robot") => sa.clone(),
            ("pods", "p") => pod.clone(),
            _ => None,
        });
        assert_eq!(got, want, "sa {sa:?} pod {pod:?}");
    }
    assert_eq!(
        TokenError::ServiceAccountNotFound("robot".into()).to_string(),
        r#"serviceaccounts "robot" not found"#
    );
}

#[test]
fn node_bound_tokens_need_their_node() {
    let mut g = grant();
    g.node = Some(Ref {
        name: "n1".into(),
        uid: "n-uid".into(),
    });
    let c = claims(&g, 1000);
    let sa = || {
        Some(Found {
            uid: "sa-uid".into(),
            deleting_since: None,
        })
    };
    let cases: Vec<(Option<&str>, Result<(), TokenError>)> = vec![
        (Some("n-uid"), Ok(())),
        (None, Err(TokenError::Invalidated)),
        (
            Some("other"),
            Err(TokenError::NodeUid("other".into(), "n-uid".into())),
        ),
    ];
    for (node, want) in cases {
        let got = check_bound(&c, 1000, |resource, _| match resource {
            "serviceaccounts" => sa(),
            "nodes" => node.map(|uid| Found {
                uid: uid.into(),
                deleting_since: None,
            }),
            _ => None,
        });
        assert_eq!(got, want, "{node:?}");
    }
}
