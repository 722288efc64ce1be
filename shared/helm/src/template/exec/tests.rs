//! Table tests of execution, one table per construct, with Go's expected output or error.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::json;

use crate::template::{
    CallContext, Dict, FuncError, FuncMap, Member, MissingKey, Object, Param, Signature, Templates,
    Value,
};

fn test_funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.add("upper", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(a[0].as_str().unwrap_or("").to_uppercase()))
    });
    f.add("list", Signature::new([]).variadic(Param::Any), |_, a| {
        Ok(Value::list(a.to_vec()))
    });
    f.add("dict", Signature::new([]).variadic(Param::Any), |_, a| {
        let d = Dict::new();
        for pair in a.chunks(2) {
            d.insert(
                pair[0].to_string(),
                pair.get(1).cloned().unwrap_or_default(),
            );
        }
        Ok(Value::Dict(d))
    });
    f.add(
        "set",
        Signature::new([Param::Dict, Param::String, Param::Any]),
        |_, a| {
            if let Value::Dict(d) = &a[0] {
                d.insert(a[1].as_str().unwrap_or_default(), a[2].clone());
            }
            Ok(a[0].clone())
        },
    );
    f.add(
        "repeat",
        Signature::new([Param::Int, Param::String]),
        |_, a| {
            let n = if let Value::Int(n) = a[0] { n } else { 0 };
            Ok(Value::from(
                a[1].as_str().unwrap_or("").repeat(n.max(0) as usize),
            ))
        },
    );
    f.add("boom", Signature::new([]), |_, _| {
        Err(FuncError::new("boom"))
    });
    f.add("nothing", Signature::new([]).returns_interface(), |_, _| {
        Ok(Value::Nil)
    });
    f.add(
        "include",
        Signature::new([Param::String, Param::Any]),
        |ctx: &mut CallContext<'_>, a| {
            let name = a[0].as_str().unwrap_or_default().to_string();
            ctx.execute_template(&name, &a[1])
                .map(Value::from)
                .map_err(FuncError::from_cause)
        },
    );
    f.add(
        "tpl",
        Signature::new([Param::String, Param::Any]),
        |ctx: &mut CallContext<'_>, a| {
            let text = a[0].as_str().unwrap_or_default().to_string();
            ctx.execute_text("gotpl", &text, &a[1])
                .map(Value::from)
                .map_err(FuncError::from_cause)
        },
    );
    f
}

/// A host object in the style of Helm's `.Capabilities`: a field, a method, a Stringer.
struct Caps;

impl Object for Caps {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("*common.Capabilities")
    }
    fn member(&self, name: &str) -> Option<Member> {
        match name {
            "Version" => Some(Member::Field {
                value: Value::from("v1.30.0"),
                interface: false,
            }),
            "Has" => Some(Member::Method(Signature::new([Param::String]))),
            _ => None,
        }
    }
    fn call(&self, _: &mut CallContext<'_>, _: &str, args: &[Value]) -> Result<Value, FuncError> {
        Ok(Value::Bool(args[0].as_str() == Some("apps/v1")))
    }
    fn print(&self) -> String {
        "caps".into()
    }
}

fn run_opts(tpl: &str, data: serde_json::Value, mk: MissingKey) -> Result<String, String> {
    let mut set = Templates::with_funcs("gotpl", Arc::new(test_funcs()));
    set.set_missing_key(mk);
    set.parse("t", tpl).map_err(|e| e.to_string())?;
    let data = Value::from_json(&data);
    if let Value::Dict(d) = &data {
        d.insert("Caps", Value::Object(Rc::new(Caps)));
    }
    set.execute("t", &data).map_err(|e| e.to_string())
}

fn run(tpl: &str, data: serde_json::Value) -> Result<String, String> {
    run_opts(tpl, data, MissingKey::Default)
}

fn check(cases: &[(&str, &str)]) {
    let data = json!({"s": "str", "n": 3, "f": 1.5, "big": 1234567, "t": true, "z": null,
        "l": ["a", "b", "c"], "m": {"b": 2, "a": 1}, "e": [], "nested": {"x": {"y": "deep"}}});
    for (tpl, want) in cases {
        let got = match run(tpl, data.clone()) {
            Ok(s) => s,
            Err(e) => format!("ERR {e}"),
        };
        assert_eq!(got, *want, "template {tpl:?}");
    }
}

#[test]
fn text_actions_and_printing() {
    check(&[
        ("plain", "plain"),
        (
            "{{.s}} {{.n}} {{.f}} {{.big}} {{.t}}",
            "str 3 1.5 1.234567e+06 true",
        ),
        ("{{.l}} {{.m}} {{.e}}", "[a b c] map[a:1 b:2] []"),
        ("{{.missing}}|{{.z}}", "<no value>|<no value>"),
        ("{{.nested.x.y}} {{.nested.x}}", "deep map[y:deep]"),
        ("a  {{- .s -}}  b", "astrb"),
        ("a {{- /* c */ -}} b", "ab"),
        (
            "{{ 3 }} {{ 3.0 }} {{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ -2 }}",
            "3 3 1000 16 97 -2",
        ),
        (
            "{{ \"q\" }}{{ `r` }}{{ true }}{{ nothing }}",
            "qrtrue<no value>",
        ),
        ("{{ . | len }}", "11"),
        ("{{ $ | len }}", "11"),
        (
            "{{ .Caps }} {{ .Caps.Version }} {{ .Caps.Has \"apps/v1\" }} {{ .Caps.Has \"x\" }}",
            "caps v1.30.0 true false",
        ),
    ]);
}

#[test]
fn variables() {
    check(&[
        ("{{ $x := .s }}{{ $x }}", "str"),
        ("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2"),
        ("{{ $x := .nested }}{{ $x.x.y }}", "deep"),
        (
            "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
            "21",
        ),
        (
            "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
            "2",
        ),
        ("{{ range .l }}{{ $.s }}{{ end }}", "strstrstr"),
        (
            "{{ $y = 1 }}",
            "ERR template: t:1:8: executing \"t\" at <1>: undefined variable: $y",
        ),
    ]);
}

#[test]
fn conditionals() {
    check(&[
        ("{{ if .t }}yes{{ end }}", "yes"),
        ("{{ if .e }}yes{{ else }}no{{ end }}", "no"),
        (
            "{{ if .missing }}a{{ else if .n }}b{{ else }}c{{ end }}",
            "b",
        ),
        ("{{ if 0 }}a{{ else if \"\" }}b{{ else }}c{{ end }}", "c"),
        ("{{ if .z }}a{{ else }}b{{ end }}", "b"),
        ("{{ with .s }}{{ . }}{{ end }}", "str"),
        ("{{ with .missing }}x{{ else }}none{{ end }}", "none"),
        (
            "{{ with .missing }}x{{ else with .nested.x }}{{ .y }}{{ end }}",
            "deep",
        ),
        ("{{ with $v := .n }}{{ $v }}{{ end }}", "3"),
        ("{{ if and .t .n }}{{ .n }}{{ end }}", "3"),
    ]);
}

#[test]
fn ranges() {
    check(&[
        ("{{ range .l }}{{ . }}{{ end }}", "abc"),
        (
            "{{ range $i, $v := .l }}{{ $i }}={{ $v }} {{ end }}",
            "0=a 1=b 2=c ",
        ),
        (
            "{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}",
            "a:1 b:2 ",
        ),
        ("{{ range $v := .m }}{{ $v }}{{ end }}", "12"),
        ("{{ range .e }}x{{ else }}empty{{ end }}", "empty"),
        ("{{ range .missing }}x{{ else }}none{{ end }}", "none"),
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        ("{{ range $i := 2 }}{{ $i }}{{ end }}", "01"),
        ("{{ range 0 }}x{{ else }}zero{{ end }}", "zero"),
        (
            "{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
            "a",
        ),
        (
            "{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}",
            "ac",
        ),
        (
            "{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .l }}{{ end }}{{ $i }}{{ $v }}",
            "2c",
        ),
        (
            "{{ range list nil 1 }}[{{ . }}]{{ end }}",
            "[<no value>][1]",
        ),
        (
            "{{ range .n }}x{{ end }}",
            "ERR template: t:1:9: executing \"t\" at <.n>: range can't iterate over 3",
        ),
        (
            "{{ range $i, $v := 3 }}x{{ end }}",
            "ERR template: t:1:19: executing \"t\" at <3>: can't use 3 to iterate over more than one variable",
        ),
        (
            "{{ range .s }}x{{ end }}",
            "ERR template: t:1:9: executing \"t\" at <.s>: range can't iterate over str",
        ),
    ]);
}

#[test]
fn templates_and_blocks() {
    check(&[
        (
            "{{ define \"a\" }}A{{ . }}{{ end }}{{ template \"a\" .s }}",
            "Astr",
        ),
        (
            "{{ define \"a\" }}{{ $ }}{{ end }}{{ template \"a\" 5 }}",
            "5",
        ),
        (
            "{{ define \"a\" }}{{ . }}{{ end }}{{ template \"a\" }}",
            "<no value>",
        ),
        ("{{ block \"b\" .n }}B{{ . }}{{ end }}", "B3"),
        (
            "{{ template \"nope\" }}",
            "ERR template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined",
        ),
        (
            "{{ define \"a\" }}{{ .x.y }}{{ end }}\n{{ template \"a\" .s }}",
            "ERR template: t:1:21: executing \"a\" at <.x.y>: can't evaluate field x in type string",
        ),
        (
            "{{ define \"i\" }}[{{ . }}]{{ end }}{{ include \"i\" .n }}",
            "[3]",
        ),
        (
            "{{ tpl \"{{ define \\\"q\\\" }}Q{{ end }}{{ include \\\"q\\\" . }}{{ .s }}\" . }}",
            "Qstr",
        ),
    ]);
}

#[test]
fn fields_and_missing_keys() {
    let data = json!({"a": {"b": 1}, "s": "x", "z": null});
    let cases: &[(&str, MissingKey, &str)] = &[
        ("{{ .a.b }}", MissingKey::Default, "1"),
        ("{{ .nope.b }}", MissingKey::Default, "<no value>"),
        (
            "{{ .nope.b }}",
            MissingKey::Zero,
            "ERR template: t:1:8: executing \"t\" at <.nope.b>: nil pointer evaluating interface {}.b",
        ),
        (
            "{{ .z.b }}",
            MissingKey::Default,
            "ERR template: t:1:5: executing \"t\" at <.z.b>: nil pointer evaluating interface {}.b",
        ),
        (
            "{{ .nope }}",
            MissingKey::Error,
            "ERR template: t:1:3: executing \"t\" at <.nope>: map has no entry for key \"nope\"",
        ),
        (
            "{{ .s.x }}",
            MissingKey::Zero,
            "ERR template: t:1:5: executing \"t\" at <.s.x>: can't evaluate field x in type interface {}",
        ),
        (
            "{{ with .s }}{{ .x }}{{ end }}",
            MissingKey::Zero,
            "ERR template: t:1:16: executing \"t\" at <.x>: can't evaluate field x in type string",
        ),
        (
            "{{ .a.b 1 }}",
            MissingKey::Zero,
            "ERR template: t:1:5: executing \"t\" at <.a.b>: b is not a method but has arguments",
        ),
        ("{{ (.a).b }}", MissingKey::Zero, "1"),
        ("{{ $.a.b }}", MissingKey::Zero, "1"),
        (
            "{{ .Caps.Version 1 }}",
            MissingKey::Zero,
            "ERR template: t:1:8: executing \"t\" at <.Caps.Version>: Version has arguments but cannot be invoked as function",
        ),
        (
            "{{ .Caps.Nope }}",
            MissingKey::Zero,
            "ERR template: t:1:8: executing \"t\" at <.Caps.Nope>: can't evaluate field Nope in type interface {}",
        ),
        (
            "{{ .Caps.Has }}",
            MissingKey::Zero,
            "ERR template: t:1:8: executing \"t\" at <.Caps.Has>: wrong number of args for Has: want 1 got 0",
        ),
        (
            "{{ nil }}",
            MissingKey::Zero,
            "ERR template: t:1:3: executing \"t\" at <nil>: nil is not a command",
        ),
        (
            "{{ 3 4 }}",
            MissingKey::Zero,
            "ERR template: t:1:3: executing \"t\" at <3>: can't give argument to non-function 3",
        ),
    ];
    for (tpl, mk, want) in cases {
        let got = run_opts(tpl, data.clone(), *mk).unwrap_or_else(|e| format!("ERR {e}"));
        assert_eq!(got, *want, "template {tpl:?} with {mk:?}");
    }
}

mod calls;

/// Named slice and map types with methods, as Helm's `VersionSet` and `common.Values`.
struct Named(Value);

impl Object for Named {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed(if matches!(self.0, Value::List(_)) {
            "common.VersionSet"
        } else {
            "common.Values"
        })
    }
    fn member(&self, name: &str) -> Option<Member> {
        match name {
            "Has" => Some(Member::Method(Signature::new([Param::String]))),
            "AsMap" => Some(Member::Method(Signature::new([]))),
            _ => None,
        }
    }
    fn call(
        &self,
        _: &mut CallContext<'_>,
        name: &str,
        args: &[Value],
    ) -> Result<Value, FuncError> {
        match (name, &self.0) {
            ("Has", Value::List(l)) => Ok(Value::Bool(
                l.snapshot().iter().any(|v| v.as_str() == args[0].as_str()),
            )),
            _ => Ok(self.0.clone()),
        }
    }
    fn underlying(&self) -> Option<Value> {
        Some(self.0.clone())
    }
}

#[test]
fn objects_standing_for_maps_and_slices() {
    let versions = Value::Object(Rc::new(Named(Value::list(vec![
        Value::from("apps/v1"),
        Value::from("v1"),
    ]))));
    let vals = Value::Object(Rc::new(Named(Value::from_json(
        &json!({"a": 1, "b": {"c": 2}}),
    ))));
    let data = Value::dict([("V".to_string(), versions), ("Vals".to_string(), vals)]);
    let cases = [
        ("{{ .V.Has \"apps/v1\" }} {{ .V.Has \"x\" }}", "true false"),
        (
            "{{ range .V }}{{ . }};{{ end }}{{ len .V }} {{ index .V 1 }} {{ .V }}",
            "apps/v1;v1;2 v1 [apps/v1 v1]",
        ),
        (
            "{{ .Vals.a }} {{ .Vals.b.c }} {{ .Vals.AsMap.a }} {{ index .Vals \"a\" }} {{ len .Vals }}",
            "1 2 1 1 2",
        ),
        (
            "{{ range $k, $v := .Vals }}{{ $k }}{{ end }} {{ .Vals.nope }} {{ printf \"%T\" .Vals }}",
            "ab <no value> common.Values",
        ),
        ("{{ if .Vals }}yes{{ end }}", "yes"),
    ];
    for (tpl, want) in cases {
        let mut set = Templates::new("gotpl");
        set.parse("t", tpl).unwrap();
        assert_eq!(set.execute("t", &data).unwrap(), want, "template {tpl:?}");
    }
}
