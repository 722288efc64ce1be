//! Cases for toToml and fromToml (BurntSushi/toml layout and Go value types).

use crate::helm_harness::{HCase, hcase};

const V: &str = r#"
name: web
n1: 1
f: 1.5
big: 1234567
b: true
s: "quote\"d \\ x\ty"
multi: "a\nb"
nested:
  z: 1
  a: {deep: x, l: [1, 2]}
  "key with space": 1
list: [a, b]
mixed: [1, a, true]
tables: [{x: 1}, {x: 2, q: {z: 3}}]
empty: {}
emptylist: []
nothing: null
"a.b": dotted
uni: "héllo"
"#;

/// Inputs BurntSushi/toml refuses (and a few it accepts), one per line of output.
const TOML_ERRORS: &str = r#"
inputs:
  - "a = "
  - "a = 1\na = 2"
  - "a = 1\nb"
  - "[a]\nx=1\n[a]\ny=2"
  - "a = \"unterminated"
  - "a = 'x"
  - "a = [1, 2"
  - "a = {b = 1"
  - "a = 1 b = 2"
  - "= 1"
  - "a = tru"
  - "a = 1979-13-27"
  - "a = 0x"
  - "a = 1__0"
  - "a = \"\\q\""
  - "[[a]]\n[a]"
  - "a = 1\n\n\nb = 2\nc = ?"
  - "x = 1\ny = [1,\n2,\n3"
  - "a = 01"
  - "a = +inf\nb = nan\nc = 1e"
  - "key with space = 1"
  - "a = \"\"\"\nabc"
  - "a = [1, \"x\"]"
  - "[a.b]\n[a]\nb = 1"
  - "a = 9223372036854775808"
  - "a = 1\r b = 2"
  - "a = \"\\uD800\""
  - "a = \"\\x4\""
  - "[a\nb]"
  - "[[a]\nb = 1"
  - "[]"
  - "a = [1,,2]"
  - "a = {b = 1,}"
  - "a = {,}"
  - "a = 1.e5"
  - "a = 1._5"
  - "a = 1e400"
  - "a = +0x10"
  - "a = 0b2"
  - "a = -i"
  - "a = 1979-05-27T25:00:00Z"
  - "a = 07:32"
  - "a = 1979-05-27 07:32:00"
  - ".a = 1"
  - "a. = 1"
  - "a = {b = 1}\n[a]\nc = 2"
  - "[[a]]\n[a]"
  - "a = [1]\n[[a]]"
  - "a = 1\n[a.b]"
  - "'''\n'''''' = 1"
  - "\"k\\q\" = 1"
  - "a = 1 # c\n# d\nb = '''x\n"
  - "a = \"\"\"x\"\"\"\"\"\""
  - "x = 0o8"
  - "a = {b = 1, b = 2}"
  - "a = [{b = 1}]\n[[a]]"
  - "a = 1\n\n\n\n\n\nb = \"\\z\""
"#;

/// Redefinitions TOML forbids but BurntSushi/toml lets through (keeping the first table,
/// replacing an array, dropping a value), the ones it refuses, and each kind of value.
const TOML_DECODED: &str = r#"
inputs:
  - "a.b = 1\na = 2"
  - "a = 1\na.b = 2"
  - "a.b = 1\n[a]\nc = 2"
  - "a.b = 1\n[a.c]\nd = 1"
  - "[a]\nb.c = 1\n[a.b]\nd = 2"
  - "[a.b]\nc=1\n[a]\nb.d = 2"
  - "a = {b = 1}\na.c = 2"
  - "a.b.c = 1\na.b = 2"
  - "a = [1]\na.b = 1"
  - "[a]\n[a.b]\n[a]"
  - "a.b = 1\na.b.c = 2"
  - "a.b = 1\n[[a]]"
  - "a.b = 1\n[[a.c]]\nx = 1"
  - "[[a]]\nb.c = 1\n[a.b]\nd=2"
  - "a.b = 1\na.c = 2"
  - "[a]\nb = 1\n[a.c]\n[a]\nd=1"
  - "a.b.c = 1\n[a.b]\nd = 1"
  - "a.b.c = 1\n[a]\nd = 1"
  - "[a.b.c]\n[a]\nb.d=1"
  - "a = {b.c = 1}\n[a.b]"
  - "a = {}\n[a.b]"
  - "a.b = 1\n[a]"
  - "a = [{b = 1}]\na.c = 2"
  - "a = [{b = 1}]\n[[a]]\nc = 2"
  - "a = [{b = {c = 1}}, {b.d = 2}]"
  - "a = {b = 1, b.c = 2}"
  - "a = {b.c = 1, b = 2}"
  - "a = {b = [1], b.c = 2}"
  - "[[a]]\n[[a.b]]\nc = 1\n[a.b.d]\ne = 1"
  - "[[a]]\nx = 1\n[[a]]\ny = 2\n[a.z]\nq = 1"
  - "a = [1]\n[a.b]"
  - "a = [1]\n[[a]]"
  - "[a]\nb = [1]\n[a.b.c]"
  - "x = [[1], {a = 1}]"
  - "x.y = [1]\nx.y.z = 1"
  - "[a]\nb.c = 1\nb = 2"
  - "a = {}\na = {}"
  - "a = {b = 1}\na = {c = 1}"
  - "\"a.b\" = 1\na.b = 2"
  - "a = \"\"\"\n  x\\\n    y\\\\\n  z\"\"\""
  - "a = '''\nraw\\n'''"
  - "a = \"\\e\\x41\\u00e9\\U0001F600\""
  - "a = -nan\nb = 0x7fffffffffffffff\nc = -9223372036854775808\nd = 0b101\ne = 0o17\nf = 1_000.5e-3"
  - "a = 1979-05-27T07:32:00.123456789123-00:00"
  - "a = 1979-05-27T07:32:00+05:30"
"#;

pub const CASES: &[HCase] = &[
    hcase(
        "fromtoml_redefinitions_and_values",
        "{{- range $i, $t := .Values.inputs }}\n{{ $i }}: {{ $r := fromToml $t }}{{ toJson $r | quote }} | {{ range $k, $v := $r }}{{ $k }}:{{ typeOf $v }}={{ $v | quote }} {{ end }}\n{{- end }}",
        TOML_DECODED,
    ),
    hcase(
        "fromtoml_datetimes_round_trip",
        "{{ toToml (fromToml \"a = 1979-05-27T07:32:00Z\\nb = 1979-05-27\\nc = 07:32:00\\nd = 1979-05-27T07:32:00.5\\ne = 1979-05-27T07:32:00+05:30\\nf = 07:32\") }}|{{ toYaml (fromToml \"a = 1979-05-27T07:32:00.25Z\\nb = 1979-05-27\") }}",
        V,
    ),
    hcase(
        "time_values_encode",
        r#"{{ $d := toDate "2006-01-02" "2024-01-02" }}{{ $z := mustToDate "2006-01-02T15:04:05Z07:00" "2024-01-02T10:00:00.25+05:30" }}{{ toJson $d }}|{{ toYaml $d }}|{{ toJson (dict "t" $z) }}|{{ toToml (dict "t" $d "z" $z) }}|{{ toToml $z }}|{{ toRawJson (list $d $z) }}|{{ toPrettyJson (dict "z" $z) }}"#,
        V,
    ),
    hcase(
        "fromtoml_table_arrays",
        "{{ $t := fromToml \"[[h]]\\ny = 1\\n[[h]]\\nz = 2\" }}{{ first $t.h }} {{ len $t.h }} {{ index $t.h 1 }} {{ range $t.h }}{{ .y }}{{ end }} {{ printf \"%#v\" $t.h }} {{ kindOf $t.h }} {{ toToml $t }}{{ toYaml $t }}",
        V,
    ),
    hcase(
        "fromtoml_error_texts",
        "{{- range $i, $t := .Values.inputs }}\n{{ $i }}: {{ (fromToml $t).Error | quote }}\n{{- end }}",
        TOML_ERRORS,
    ),
    hcase("totoml_values", "{{ toToml .Values }}", V),
    hcase("totoml_nested_only", "{{ toToml .Values.nested }}", V),
    hcase(
        "totoml_scalars",
        "{{ toToml 1 }}|{{ toToml \"s\" }}|{{ toToml (list 1 2) }}|{{ toToml true }}|{{ toToml 2.5 }}",
        V,
    ),
    hcase(
        "totoml_inline_tables",
        r#"{{ toToml (dict "a" (list (dict "b" 1 "c" (dict "d" 2)) 2)) }}"#,
        V,
    ),
    hcase(
        "totoml_floats",
        r#"{{ toToml (dict "f" (list 1e21 1e-7 0.1 100000000.0 -0.0 123456789012.0 2.0) "i" (list (int64 5) 3)) }}"#,
        V,
    ),
    hcase(
        "totoml_special_floats",
        r#"{{ toToml (dict "n" (float64 "NaN") "i" (float64 "+Inf") "m" (float64 "-Inf")) }}"#,
        V,
    ),
    hcase(
        "totoml_string_escapes_and_keys",
        "{{ toToml (dict \"s\" \"ctl\\u0001\\u007f\\u00e9\\r\\f\\b\" \"e\" \"\" \"k\" (dict \"\" 1 \"a b\" 2 \"é\" 3 \"a-b_c\" 4 \"q\\\"\" 5)) }}",
        V,
    ),
    hcase(
        "totoml_deep_tables",
        r#"{{ toToml (dict "l" (list (list 1 2) (list "a")) "d" (dict "x" (dict "y" (dict "z" 1))) "el" (list (dict) (dict))) }}"#,
        V,
    ),
    hcase(
        "totoml_nil_element",
        r#"{{ toToml (dict "a" (dict "b" nil "c" 1) "l" (list nil 1)) }}"#,
        V,
    ),
    hcase(
        "totoml_nil_skipped",
        r#"{{ toToml (dict "a" (dict "b" nil "c" 1) "z" nil) }}"#,
        V,
    ),
    hcase("totoml_nil_top", "{{ toToml nil }}", V),
    hcase(
        "totoml_bytes_and_files",
        r#"{{ toToml (dict "b" (.Files.GetBytes "files/b.conf") "m" (.Files.GetBytes "x")) }}"#,
        V,
    ),
    hcase(
        "totoml_nested_arrays_of_tables",
        r#"{{ toToml (dict "t" (dict "arr" (list (dict "a" 1 "sub" (dict "k" "v")) (dict "a" 2)))) }}"#,
        V,
    ),
    hcase(
        "fromtoml_types",
        "{{ $t := fromToml \"a = 1\\nb = 1.5\\nc = \\\"x\\\"\\nd = [1, 2]\\n[e]\\nf = true\\n[[h]]\\ni = 1\\n\" }}{{ $t }}|{{ typeOf $t.a }}|{{ typeOf $t.b }}|{{ typeOf $t.d }}|{{ typeOf $t.e }}",
        V,
    ),
    hcase(
        "fromtoml_forms",
        "{{ fromToml \"x = 0x10\\ny = 1e3\\nz = inf\\ns = 'lit'\\nm = \\\"\\\"\\\"\\nml\\\"\\\"\\\"\\no = 0o17\\nneg = -17\\nu = 1_000\" }}",
        V,
    ),
    hcase(
        "fromtoml_datetime",
        "{{ $g := (fromToml \"g = 1979-05-27T07:32:00Z\").g }}{{ typeOf $g }} {{ $g }}|{{ (fromToml \"g = 1979-05-27T07:32:00Z\").g | date \"2006-01-02\" }}",
        V,
    ),
    hcase(
        "fromtoml_roundtrip",
        "{{ (toToml .Values.nested | fromToml).a.l }}|{{ (toToml .Values | fromToml).tables }}",
        V,
    ),
    hcase(
        "fromtoml_error_present",
        "{{ hasKey (fromToml \"a = \") \"Error\" }}|{{ hasKey (fromToml \"a = 1\\na = 2\") \"Error\" }}|{{ hasKey (fromToml \"a = 1\") \"Error\" }}",
        V,
    ),
    hcase(
        "fromtoml_empty",
        "{{ fromToml \"\" }}|{{ len (fromToml \"# c\") }}",
        V,
    ),
    // From a review against BurntSushi/toml v1.6: %q of unprintable runes in lexer
    // errors, escapes the decoder refuses, nil entries and inline commas, a table array
    // with no key.
    hcase(
        "fromtoml_unprintable_rune_in_error",
        "{{ (fromToml \"a = \\\"x\\u00a0\\\"\\nb\\u00a0\").Error }}|{{ (fromToml \"a=\\u0085\").Error }}|{{ (fromToml \"[[a]\\ufeff\").Error }}",
        "",
    ),
    hcase(
        "fromtoml_space_and_tab_escapes_refused",
        "{{ (fromToml \"a = \\\"\\\\ \\\"\").Error }}|{{ (fromToml \"a = [\\\"\\\\\\t\\\"]\").Error }}|{{ (fromToml \"\\\"\\\\ \\\" = 1\").Error }}|{{ (fromToml \"a = \\\"\\\"\\\"a\\\\ b\\\"\\\"\\\"\").Error }}",
        "",
    ),
    hcase(
        "totoml_nil_entries_keep_inline_commas",
        "{{ dict \"x\" (list (list (dict \"a\" 1 \"z\" nil))) | toToml }}|{{ dict \"x\" (list (dict \"a\" nil \"b\" 1 \"c\" nil)) | toToml }}|{{ dict \"m\" (dict \"a\" nil \"b\" 1) | toToml }}",
        "",
    ),
    hcase(
        "totoml_top_level_lists",
        "{{ list (dict \"a\" 1) | toToml }}|{{ list 1 2 | toToml }}",
        "",
    ),
];

/// A small deterministic generator (xorshift), so the generated corpus is the same each run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const KEYS: &[&str] = &["a", "b", "a.b", "a.b.c", "b.a", "\"a\".b", "a.c", "\"a.b\""];
const SCALARS: &[&str] = &[
    "1",
    "\"x\\ty\"",
    "'lit'",
    "\"\"\"\nm\\\n  l\"\"\"",
    "-0.0",
    "0x1F",
    "1e2",
    "1979-05-27T00:00:00-08:00",
    "nan",
    "2024-02-29 10:00:00",
    "07:32",
];

fn toml_value(rng: &mut Rng, depth: usize) -> String {
    let n = rng.below(4);
    match rng.below(10) {
        _ if depth > 2 => rng.pick(SCALARS).to_string(),
        0..4 => rng.pick(SCALARS).to_string(),
        4..7 => {
            let items: Vec<String> = (0..n).map(|_| toml_value(rng, depth + 1)).collect();
            format!("[{}]", items.join(", "))
        }
        _ => {
            let items: Vec<String> = (0..n)
                .map(|_| format!("{} = {}", rng.pick(KEYS), toml_value(rng, depth + 1)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn toml_line(rng: &mut Rng) -> String {
    match rng.below(20) {
        0..3 => format!("[{}]", rng.pick(KEYS)),
        3..6 => format!("[[{}]]", rng.pick(KEYS)),
        6 => "# c".to_string(),
        _ => format!("{} = {}", rng.pick(KEYS), toml_value(rng, 0)),
    }
}

/// Documents of one to five lines mixing headers, dotted keys, arrays and inline tables, so
/// the redefinitions BurntSushi/toml accepts and refuses meet in every order; each decoded
/// document is encoded again with toToml.
pub fn generated_case() -> HCase {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut values = String::from("inputs:\n");
    for _ in 0..600 {
        let lines: Vec<String> = (0..=rng.below(5)).map(|_| toml_line(&mut rng)).collect();
        let doc = serde_json::to_string(&lines.join("\n")).expect("json string");
        values.push_str(&format!("  - {doc}\n"));
    }
    hcase(
        "fromtoml_generated_documents",
        "{{- range $i, $t := .Values.inputs }}\n{{ $i }}: {{ $r := fromToml $t }}{{ toJson $r | quote }} | {{ range $k, $v := $r }}{{ $k }}:{{ typeOf $v }}={{ $v | quote }} {{ end }}| {{ toToml $r | quote }}\n{{- end }}",
        Box::leak(values.into_boxed_str()),
    )
}
