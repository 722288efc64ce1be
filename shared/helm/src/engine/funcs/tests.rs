//! Unit tests of Helm's functions run through the template engine, the way a chart calls
//! them (differential cases against helm live in tests/differential/helm_*.rs).

use std::sync::Arc;

use super::*;
use crate::engine::errors::exec_error;
use crate::template::{MissingKey, Templates, Value};

fn render_with(opts: HelmFuncOptions, tpl: &str, data: &Value) -> Result<String, String> {
    let mut set = Templates::with_funcs("gotpl", Arc::new(helm_funcs(opts)));
    set.set_missing_key(MissingKey::Zero);
    set.parse("c/templates/x.yaml", tpl)
        .map_err(|e| e.to_string())?;
    set.execute("c/templates/x.yaml", data)
        .map_err(|e| exec_error("c/templates/x.yaml", &e))
}

fn render(tpl: &str) -> Result<String, String> {
    render_with(HelmFuncOptions::default(), tpl, &Value::Nil)
}

#[test]
fn helm_functions_render() {
    let cases = [
        (
            "{{ toYaml (dict \"a\" 1 \"b\" (list \"x\")) }}",
            "a: 1\nb:\n- x",
        ),
        ("{{ (fromYaml \"a: [1, 2]\").a }}", "[1 2]"),
        ("{{ fromYamlArray \"- a\\n- b\" }}", "[a b]"),
        (
            "{{ toJson (dict \"k\" \"<v>\") }}",
            "{\"k\":\"\\u003cv\\u003e\"}",
        ),
        ("{{ (fromJson \"{\\\"a\\\": 2}\").a | typeOf }}", "float64"),
        (
            "{{ fromJsonArray \"[1,\" }}",
            "[unexpected end of JSON input]",
        ),
        ("{{ required \"need x\" 1 }}", "1"),
        ("{{ lookup \"v1\" \"Pod\" \"ns\" \"p\" }}", "map[]"),
        ("{{ getHostByName \"localhost\" }}", ""),
        (
            "{{ define \"t\" }}[{{ . }}]{{ end }}{{ include \"t\" 3 | upper }}",
            "[3]",
        ),
        ("{{ tpl \"{{ .a }}-{{ .missing }}\" (dict \"a\" 1) }}", "1-"),
    ];
    for (tpl, want) in cases {
        assert_eq!(render(tpl).as_deref(), Ok(want), "{tpl}");
    }
}

#[test]
fn helm_function_errors() {
    let cases = [
        (
            "{{ required \"need x\" .x }}",
            "execution error at (c/templates/x.yaml:1:3): need x",
        ),
        (
            "{{ required \"need s\" \"\" }}",
            "execution error at (c/templates/x.yaml:1:3): need s",
        ),
        (
            "{{ fail \"stop\" }}",
            "execution error at (c/templates/x.yaml:1:3): stop",
        ),
    ];
    for (tpl, want) in cases {
        assert_eq!(render(tpl).unwrap_err(), want, "{tpl}");
    }
    let err = render("{{ env \"HOME\" }}").unwrap_err();
    assert!(err.contains("function \"env\" not defined"), "{err}");
    let err = render("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}")
        .unwrap_err();
    assert!(
        err.ends_with(
            "rendering template has a nested reference name: r: unable to execute template"
        ),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
}

#[test]
fn lint_mode_lets_required_and_fail_pass() {
    let opts = HelmFuncOptions {
        lint: true,
        ..Default::default()
    };
    let out = render_with(
        opts,
        "{{ required \"x\" .x }}|{{ fail \"y\" }}",
        &Value::Nil,
    );
    assert_eq!(out.as_deref(), Ok("|"));
}

#[test]
fn lookup_through_a_client() {
    let objects = StaticObjects::new(vec![serde_json::json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "s", "namespace": "ns"}, "data": {"k": "dg=="}, "n": 3
    })]);
    let opts = HelmFuncOptions {
        lookup: Some(Arc::new(objects)),
        ..Default::default()
    };
    let tpl = "{{ (lookup \"v1\" \"Secret\" \"ns\" \"s\").data.k }}|{{ typeOf (lookup \"v1\" \"Secret\" \"ns\" \"s\").n }}|{{ lookup \"v1\" \"Secret\" \"ns\" \"other\" }}|{{ len (lookup \"v1\" \"Secret\" \"\" \"\").items }}";
    assert_eq!(
        render_with(opts, tpl, &Value::Nil).as_deref(),
        Ok("dg==|int64|map[]|1")
    );
}

#[test]
fn get_host_by_name_resolves_only_with_dns_enabled() {
    let opts = HelmFuncOptions {
        enable_dns: true,
        ..Default::default()
    };
    let out = render_with(opts, "{{ getHostByName \"localhost\" }}", &Value::Nil).unwrap();
    assert!(out == "127.0.0.1" || out == "::1", "{out}");
    assert_eq!(
        render("[{{ getHostByName \"localhost\" }}]").as_deref(),
        Ok("[]")
    );
}

#[test]
fn toml_functions_render() {
    let out = render("{{ toToml (dict \"a\" 1 \"t\" (dict \"b\" \"x\")) }}").unwrap();
    assert_eq!(out, "a = 1\n\n[t]\n  b = \"x\"\n");
    let out = render("{{ (fromToml \"n = 3\").n | typeOf }}").unwrap();
    assert_eq!(out, "int64");
    assert!(render("{{ toToml nil }}").is_err());
}

/// Every function name Helm v4.1 hands to templates: Sprig v3.3's `genericMap` without
/// `env` and `expandenv`, plus Helm's `funcMap` extras and its late-bound functions.
const HELM_FUNCTION_NAMES: &str = "abbrev abbrevboth add add1 add1f addf adler32sum ago all any
append atoi b32dec b32enc b64dec b64enc base bcrypt biggest buildCustomCert camelcase cat ceil
chunk clean coalesce compact concat contains date dateInZone dateModify date_in_zone date_modify
decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration
durationRound empty encryptAES ext fail first float64 floor fromJson fromJsonArray fromToml
fromYaml fromYamlArray genCA genCAWithKey genPrivateKey genSelfSignedCert
genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get getHostByName has hasKey
hasPrefix hasSuffix hello htmlDate htmlDateInZone htpasswd include indent initial initials int
int64 isAbs join kebabcase keys kindIs kindOf last list lookup lower max maxf merge
mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact mustDateModify
mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite
mustPrepend mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll
mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson
mustToPrettyJson mustToRawJson mustToYaml mustUniq mustWithout must_date_modify nindent nospace
now omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend quote randAlpha
randAlphaNum randAscii randBytes randInt randNumeric regexFind regexFindAll regexMatch
regexQuoteMeta regexReplaceAll regexReplaceAllLiteral regexSplit repeat replace required rest
reverse round semver semverCompare seq set sha1sum sha256sum sha512sum shuffle slice snakecase
sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDate
toDecimal toJson toPrettyJson toRawJson toString toStrings toToml toYaml toYamlPretty tpl trim
trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset
until untilStep untitle upper urlJoin urlParse uuidv4 values without wrap wrapWith";

#[test]
fn every_helm_function_is_registered_and_env_is_not() {
    let map = helm_funcs(HelmFuncOptions::default());
    let missing: Vec<&str> = HELM_FUNCTION_NAMES
        .split_whitespace()
        .filter(|n| !map.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "functions Helm has and we lack: {missing:?}"
    );
    for removed in ["env", "expandenv", "mustToToml"] {
        assert!(!map.contains(removed), "{removed} must not be callable");
    }
}

#[test]
fn hostile_sizes_fail_with_a_clear_error() {
    let cases = [
        "{{ until 100000000000 }}",
        "{{ untilStep 0 100000000000 1 }}",
        "{{ seq 100000000000 }}",
        "{{ repeat 100000000000 \"x\" }}",
        "{{ indent 100000000000 \"x\" }}",
        "{{ nindent 100000000000 \"x\" }}",
        "{{ randAlphaNum 100000000000 }}",
        "{{ randBytes 100000000000 }}",
        "{{ $l := until 9000000 }}{{ $l = concat $l $l }}",
        "{{ $s := repeat 70000000 \"x\" }}{{ $s = printf \"%s%s\" $s $s }}",
    ];
    for tpl in cases {
        let e = render(tpl).unwrap_err();
        assert!(e.contains("exceeds the limit of"), "{tpl}: {e}");
    }
    // Go's arithmetic at the edges of int64 still gives Go's (short) lists.
    assert_eq!(
        render("{{ untilStep 0 9223372036854775807 9223372036854775000 }}|{{ until -3 }}").unwrap(),
        "[0 9223372036854775000]|[0 -1 -2]"
    );
}
