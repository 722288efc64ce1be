//! Emitter tests: inputs and the bytes `kubectl kustomize` printed for them.

use crate::yaml::{node_to_yaml, parse_first};

fn render(src: &str) -> String {
    let node = parse_first(src).ok().flatten().expect("parses");
    node_to_yaml(&node).expect("converts")
}

#[test]
fn scalars_quoting_and_sorting() {
    let src = r#"
data:
  b60: "1:20"
  big: 12345678901234567890
  bigger: 123456789012345678901234567890
  colon: "a: b"
  ctrl: "bell\a"
  dash: "- x"
  date: 2001-12-14
  dot: ".5"
  dq: 'say "hi"'
  emptys: ""
  esc: "tab\there"
  exp: "1e3"
  f: 1.0
  f2: 1.5
  f3: 0.0000001
  hash: "a #b"
  hex: "0x1F"
  lead: " x"
  neg: -0b101
  nullq: "null"
  o8: 08
  oct: 0o17
  on: "on"
  q: "it's"
  qdate: "2001-12-14"
  star: "*x"
  tilde: "~"
  trail: "x "
  truel: "True"
  ts: 2001-12-14 21:59:43.10
  under: 1_000
  uni: "héllo ✓ 日本"
  y: "y"
"#;
    let want = r#"data:
  b60: "1:20"
  big: 12345678901234567890
  bigger: 1.2345678901234568e+29
  colon: 'a: b'
  ctrl: "bell\a"
  dash: '- x'
  date: "2001-12-14T00:00:00Z"
  dot: ".5"
  dq: say "hi"
  emptys: ""
  esc: "tab\there"
  exp: "1e3"
  f: 1
  f2: 1.5
  f3: 1e-07
  hash: 'a #b'
  hex: "0x1F"
  lead: ' x'
  neg: -5
  nullq: "null"
  o8: 8
  oct: 15
  "on": "on"
  q: it's
  qdate: "2001-12-14"
  star: '*x'
  tilde: "~"
  trail: 'x '
  truel: "True"
  ts: "2001-12-14T21:59:43.1Z"
  under: 1000
  uni: héllo ✓ 日本
  "y": "y"
"#;
    assert_eq!(render(src), want);
}

#[test]
fn long_lines_fold_at_80_columns() {
    let src = r#"
data:
  long: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"
  longq: "aaaa: bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"
  longnl: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu\nxx"
"#;
    let want = "data:
  long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu
  longnl: |-
    aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu
    xx
  longq: 'aaaa: bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu'
";
    assert_eq!(render(src), want);
}

#[test]
fn blocks_keys_and_collections() {
    let src = r#"
data:
  zz: "keep\n\n"
  f1: 1000000.5
  f2: 1e20
  f3: -0.0
  f4: 1.0e+21
  f5: 0.000001
  k: "trailing  \nspace"
  bom: "\ufeffabc"
  nel: "a\u0085b"
  lead: "\n\nx"
  sp: "  x\ny"
  longkey: x
  ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  : long
  "multi\nkey": v
  list:
  - [a, [b]]
  - - x
    - {}
  - {a: []}
  - ""
  - "x\ny"
"#;
    let want = r#"data:
  ? aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  : long
  bom: "\uFEFF\x61\x62\x63"
  f1: 1.0000005e+06
  f2: 1e+20
  f3: 0
  f4: 1e+21
  f5: 1e-06
  k: "trailing  \nspace"
  lead: |2-


    x
  list:
  - - a
    - - b
  - - x
    - {}
  - a: []
  - ""
  - |-
    x
    y
  longkey: x
  ? |-
    multi
    key
  : v
  nel: a b
  sp: |2-
      x
    y
  zz: |+
    keep

"#;
    assert_eq!(render(src), want);
}
