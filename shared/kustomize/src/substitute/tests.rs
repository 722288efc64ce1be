//! Table tests of postBuild substitution: envsubst expressions, strict mode, escapes,
//! variable names, opt-out, and the YAML/JSON trip Flux makes.

use super::*;
use crate::resource::from_bytes;

fn vars() -> Vars {
    let mut v = Vars::new();
    v.extend([
        ("NAME", "web"),
        ("EMPTY", ""),
        ("NUM", "3"),
        ("PATH_V", "a/b/c.tar.gz"),
        ("Mixed", "hello World"),
    ]);
    v
}

#[test]
fn expressions() {
    let cases: &[(&str, &str)] = &[
        ("plain text", "plain text"),
        ("${NAME}", "web"),
        ("x-${NAME}-y", "x-web-y"),
        ("${MISSING}", ""),
        ("${MISSING:=def}", "def"),
        ("${MISSING:-def}", "def"),
        ("${MISSING=def}", "def"),
        ("${EMPTY:=def}", "def"),
        ("${EMPTY:-def}", "def"),
        ("${NAME:=def}", "web"),
        ("${MISSING:=${NAME}}", "web"),
        ("${MISSING:-a b c}", "a b c"),
        ("$${NAME}", "${NAME}"),
        ("$$NAME", "$NAME"),
        ("$NAME", "$NAME"),
        ("cost: $5", "cost: $5"),
        ("a\\\\b", "a\\\\b"),
        ("${#NAME}", "3"),
        ("${NAME^}", "Web"),
        ("${NAME^^}", "WEB"),
        ("${Mixed,}", "hello World"),
        ("${Mixed,,}", "hello world"),
        ("${PATH_V#*/}", "b/c.tar.gz"),
        // Go's path.Match: `*` never crosses a `/`.
        ("${PATH_V##*/}", "b/c.tar.gz"),
        ("${PATH_V%.*}", "a/b/c.tar"),
        ("${PATH_V%%.*}", "a/b/c"),
        ("${PATH_V/b/x}", "a/x/c.tar.gz"),
        ("${PATH_V//a/x}", "x/b/c.txr.gz"),
        ("${NAME:1}", "eb"),
        ("${NAME:0:2}", "we"),
        ("${NAME:-1}", "web"),
        // Go's Atoi refuses " -1": the value is kept.
        ("${NAME: -1}", "web"),
        ("${NAME}${NUM}", "web3"),
    ];
    for (input, want) in cases {
        assert_eq!(eval(input, &vars(), false).as_deref(), Ok(*want), "{input}");
    }
}

#[test]
fn errors_and_strict_mode() {
    let v = vars();
    let cases: &[(&str, bool, &str)] = &[
        (
            "${MISSING}",
            true,
            "variable substitution failed: variable not set (strict mode): \"MISSING\"",
        ),
        (
            "${MISSING^^}",
            true,
            "variable substitution failed: variable not set (strict mode): \"MISSING\"",
        ),
        (
            "${NAME",
            false,
            "variable substitution failed: missing closing brace",
        ),
        (
            "${}",
            false,
            "variable substitution failed: unable to parse variable name",
        ),
        (
            "${ NAME}",
            false,
            "variable substitution failed: unable to parse variable name",
        ),
        (
            "${NAME-x}",
            false,
            "variable substitution failed: missing closing brace",
        ),
        (
            "${MISSING:-x",
            false,
            "variable substitution failed: unable to parse substitution within function",
        ),
    ];
    for (input, strict, want) in cases {
        let got = eval(input, &v, *strict).map_err(|e| e.to_string());
        assert_eq!(got, Err(want.to_string()), "{input}");
    }
    for ok in ["${MISSING:=d}", "${MISSING:-d}", "${NAME}", "$${MISSING}"] {
        assert!(eval(ok, &v, true).is_ok(), "{ok}");
    }
}

#[test]
fn variable_names() {
    for (name, ok) in [
        ("A", true),
        ("_a1", true),
        ("a_B_9", true),
        ("1a", false),
        ("a-b", false),
        ("a.b", false),
        ("é", false),
        ("", false),
    ] {
        let mut v = Vars::new();
        v.extend([(name, "x")]);
        assert_eq!(v.validate().is_ok(), ok, "{name:?}");
    }
    let mut v = Vars::new();
    v.extend([("A", "line1\nline2\n")]);
    assert_eq!(v.get("A"), Some("line1line2"));
}

fn one(text: &str) -> Resource {
    from_bytes(text).expect("reads").remove(0)
}

#[test]
fn resources() {
    let v = vars();
    let mut r = one(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${NAME}\ndata:\n  n: \"${NUM}\"\n  big: \"1000000\"\n",
    );
    assert_eq!(substitute_resource(&mut r, &v, false), Ok(true));
    // The object is printed before substitution, so the quotes of "${NUM}" are gone
    // and the value reads back as a number, as in Flux.
    let out = r.to_yaml().expect("prints");
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  big: \"1000000\"\n  \"n\": 3\nkind: ConfigMap\nmetadata:\n  name: web\n"
    );

    let mut r = one(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${NUM}\n  minReadySeconds: 1000000\n",
    );
    substitute_resource(&mut r, &v, false).expect("substitutes");
    let out = r.to_yaml().expect("prints");
    assert!(out.contains("replicas: 3\n"), "{out}");
    // A float64 again, which Go's JSON prints without an exponent below 1e21.
    assert!(out.contains("minReadySeconds: 1000000\n"), "{out}");

    for opt_out in ["labels", "annotations"] {
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${{NAME}}\n  {opt_out}:\n    {SUBSTITUTE_KEY}: disabled\n"
        );
        let mut r = one(&text);
        let before = r.clone();
        assert_eq!(substitute_resource(&mut r, &v, true), Ok(false));
        assert_eq!(r, before);
    }

    let mut r = one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${MISSING}\n");
    assert!(substitute_resource(&mut r, &v, true).is_err());
    assert_eq!(substitute_resource(&mut r, &Vars::new(), true), Ok(false));
}

#[test]
fn after_a_build() {
    use crate::{BuildOptions, MemFs, build_resmap};
    let mut fsys = MemFs::new();
    fsys.add_file(
        "/app/kustomization.yaml",
        "resources: [cm.yaml]\ncommonAnnotations:\n  env: ${ENV:=dev}\n",
    );
    fsys.add_file(
        "/app/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${NAME}\ndata:\n  literal: $${NAME}\n",
    );
    let mut resources = build_resmap(&fsys, "/app", &BuildOptions::flux()).expect("builds");
    substitute_all(&mut resources, &vars(), false).expect("substitutes");
    let out = crate::build::finish_print(&resources, 1 << 20).expect("prints");
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  literal: ${NAME}\nkind: ConfigMap\nmetadata:\n  annotations:\n    env: dev\n  name: c-web\n"
    );
}
