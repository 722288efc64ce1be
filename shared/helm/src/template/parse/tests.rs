//! Table tests of the parser: trees rendered back as Go renders them, and Go's parse errors.

use super::*;

fn has_func(name: &str) -> bool {
    matches!(
        name,
        "printf" | "len" | "index" | "eq" | "and" | "include" | "default"
    )
}

fn render(name: &str, input: &str) -> std::result::Result<String, String> {
    let trees = parse(name, input, ("", ""), &has_func).map_err(|e| e.to_string())?;
    let mut names: Vec<&String> = trees.keys().collect();
    names.sort();
    let rendered = names
        .into_iter()
        .map(|n| {
            let body: String = trees[n].root.iter().map(ToString::to_string).collect();
            if n == name {
                body
            } else {
                format!("[{n}:{body}]")
            }
        })
        .collect::<Vec<_>>()
        .join("");
    Ok(rendered)
}

#[test]
fn trees_render_like_go() {
    let cases = [
        ("", ""),
        ("hello", "hello"),
        ("{{.X}}", "{{.X}}"),
        ("{{ .X.Y.Z }}", "{{.X.Y.Z}}"),
        ("{{$}}", "{{$}}"),
        ("{{$x := .X}}{{$x}}", "{{$x := .X}}{{$x}}"),
        ("{{$x := 1}}{{$x = 2}}", "{{$x := 1}}{{$x = 2}}"),
        ("{{$x := .}}{{$x.a.b}}", "{{$x := .}}{{$x.a.b}}"),
        ("{{printf \"%d\" 23}}", "{{printf \"%d\" 23}}"),
        ("{{.X | printf `%s` | len}}", "{{.X | printf `%s` | len}}"),
        ("{{(.X).Y}}", "{{(.X).Y}}"),
        (
            "{{(printf \"a\" | len).Y.Z}}",
            "{{(printf \"a\" | len).Y.Z}}",
        ),
        ("{{if .X}}a{{end}}", "{{if .X}}a{{end}}"),
        ("{{if .X}}a{{else}}b{{end}}", "{{if .X}}a{{else}}b{{end}}"),
        (
            "{{if .X}}a{{else if .Y}}b{{else}}c{{end}}",
            "{{if .X}}a{{else}}{{if .Y}}b{{else}}c{{end}}{{end}}",
        ),
        (
            "{{with .X}}a{{else with .Y}}b{{end}}",
            "{{with .X}}a{{else}}{{with .Y}}b{{end}}{{end}}",
        ),
        ("{{range .X}}{{.}}{{end}}", "{{range .X}}{{.}}{{end}}"),
        (
            "{{range $i, $v := .X}}{{$i}}{{end}}",
            "{{range $i, $v := .X}}{{$i}}{{end}}",
        ),
        (
            "{{range .X}}{{break}}{{continue}}{{end}}",
            "{{range .X}}{{break}}{{continue}}{{end}}",
        ),
        (
            "{{range 5}}x{{else}}y{{end}}",
            "{{range 5}}x{{else}}y{{end}}",
        ),
        ("{{template `x`}}", "{{template \"x\"}}"),
        ("{{template \"x\" .Y}}", "{{template \"x\" .Y}}"),
        ("{{define \"a\"}}A{{end}}b", "[a:A]b"),
        ("{{block \"b\" .}}B{{end}}", "[b:B]{{template \"b\" .}}"),
        ("{{/* comment */}}x{{- /* c */ -}}  y", "xy"),
        ("a  {{- 3 -}}  b", "a{{3}}b"),
        (
            "{{'a'}} {{0x1F}} {{1e3}} {{-2.5}} {{nil | len}}",
            "{{'a'}} {{0x1F}} {{1e3}} {{-2.5}} {{nil | len}}",
        ),
        ("{{ true }}{{false}}", "{{true}}{{false}}"),
        ("{{ and .A (eq .B 1) }}", "{{and .A (eq .B 1)}}"),
        ("{{\n  .X\n}}", "{{.X}}"),
    ];
    for (input, want) in cases {
        assert_eq!(render("t", input).as_deref(), Ok(want), "parsing {input:?}");
    }
}

#[test]
fn errors_match_go() {
    let cases = [
        ("line1\n{{", "template: t:2: unclosed action"),
        (
            "line1\n{{define `x`}}line2\n{{",
            "template: t:3: unclosed action",
        ),
        (
            "line1\n{{\"x\"\n\"y\"\n",
            "template: t:4: unclosed action started at t:2",
        ),
        (
            "{{\n\n\n\n\n",
            "template: t:6: unclosed action started at t:1",
        ),
        (
            "line1\n{{\nx\n}}",
            "template: t:3: function \"x\" not defined",
        ),
        ("{{foo}}", "template: t:1: function \"foo\" not defined"),
        ("{{/*}}", "template: t:1: unclosed comment"),
        ("{{.X (1 2 3}}", "template: t:1: unclosed left paren"),
        (
            "{{.X 1 2 3 ) }}",
            "template: t:1: unexpected right paren U+0029 ')'",
        ),
        ("{{`x`3}}", "template: t:1: unexpected \"3\" in operand"),
        ("{{a#}}", "template: t:1: bad character U+0023 '#'"),
        ("{{'a}}", "template: t:1: unterminated character constant"),
        ("{{0xi}}", "template: t:1: illegal number syntax: \"0xi\""),
        (
            "{{define `a`}}a{{end}}{{define `a`}}b{{end}}",
            "template: t:1: template: multiple definition of template \"a\"",
        ),
        ("{{range .X}}", "template: t:1: unexpected EOF"),
        (
            "{{$a,$b,$c := 23}}",
            "template: t:1: too many declarations in command",
        ),
        ("{{$a}}", "template: t:1: undefined variable \"$a\""),
        (
            "{{true.any}}",
            "template: t:1: unexpected . after term \"true\"",
        ),
        (
            "{{12|false}}",
            "template: t:1: non executable command in pipeline stage 2",
        ),
        (
            "{{ ( ) }}",
            "template: t:1: missing value for parenthesized pipeline",
        ),
        ("{{ $v := `\n` }} {{", "template: t:2: unclosed action"),
        (
            "{{range $k}}{{end}}",
            "template: t:1: undefined variable \"$k\"",
        ),
        (
            "{{range $k,}}{{end}}",
            "template: t:1: missing value for range",
        ),
        (
            "{{range $k, $v := }}{{end}}",
            "template: t:1: missing value for range",
        ),
        (
            "{{range $k, .}}{{end}}",
            "template: t:1: range can only initialize variables",
        ),
        ("{{if}}", "template: t:1: missing value for if"),
        ("{{end}}", "template: t:1: unexpected {{end}}"),
        ("{{else}}", "template: t:1: unexpected {{else}}"),
        (
            "{{if .X}}{{else}}{{else}}{{end}}",
            "template: t:1: expected end; found {{else}}",
        ),
        ("{{break}}", "template: t:1: {{break}} outside {{range}}"),
        (
            "{{range .}}{{continue 1}}{{end}}",
            "template: t:1: unexpected \"1\" in {{continue}}",
        ),
        (
            "{{template .X}}",
            "template: t:1: unexpected \".X\" in template clause",
        ),
        (
            "{{define 3}}{{end}}",
            "template: t:1: unexpected \"3\" in define clause",
        ),
        ("{{ \"\\q\" }}", "template: t:1: invalid syntax"),
        (
            "{{ 99999999999999999999 }}",
            "template: t:1: integer overflow: \"99999999999999999999\"",
        ),
        (
            "{{ .X | 3 }}",
            "template: t:1: non executable command in pipeline stage 2",
        ),
        (
            "x\n{{ .X }\n}}",
            "template: t:2: unexpected \"}\" in operand",
        ),
        (
            "{{ nil.x }}",
            "template: t:1: unexpected . after term \"nil\"",
        ),
        (
            "{{ if .X }}{{ else if }}{{ end }}",
            "template: t:1: missing value for if",
        ),
        (
            "{{ 1 := 2 }}",
            "template: t:1: unexpected \":=\" in operand",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(
            render("t", input),
            Err(want.to_string()),
            "parsing {input:?}"
        );
    }
}

#[test]
fn numbers_hold_every_representation() {
    let n = new_number(0, "1e3", ItemKind::Number).unwrap();
    assert!(n.is_float && n.is_int && n.is_uint);
    assert_eq!((n.int, n.float), (1000, 1000.0));
    let n = new_number(0, "-5", ItemKind::Number).unwrap();
    assert!(n.is_int && !n.is_uint);
    let n = new_number(0, "'\\n'", ItemKind::CharConstant).unwrap();
    assert_eq!(n.int, 10);
    assert_eq!(
        new_number(0, "1e400", ItemKind::Number).err().as_deref(),
        Some("illegal number syntax: \"1e400\"")
    );
}
