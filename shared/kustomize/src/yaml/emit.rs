//! The YAML writer: go-yaml v2's encoder and libyaml emitter, rule for rule, for plain data.
//!
//! kustomize prints every resource through `sigs.k8s.io/yaml.JSONToYAML`, i.e. go-yaml v2
//! marshalling a `map[interface{}]interface{}`: keys sorted by v2's natural order, block
//! style, 2-space indentation, sequences not indented under their key, empty collections
//! as `{}`/`[]`, strings quoted when they would read back as another type, long lines
//! folded at 80 columns. The scalar analysis and writers below follow emitterc.go.

use super::gostr;
use super::keysort;
use super::resolve;
use super::value::Value;

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

#[derive(Debug, Default, Clone, Copy)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

struct Emitter {
    out: Vec<u8>,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    flow_level: usize,
    ctx: Ctx,
}

/// Writes one document as `yaml.Marshal` of go-yaml v2 does (no `---`, ends with a newline).
pub fn to_yaml(value: &Value) -> String {
    let mut e = Emitter {
        out: Vec::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
        open_ended: false,
        flow_level: 0,
        ctx: Ctx::default(),
    };
    e.node(
        value,
        Ctx {
            root: true,
            ..Ctx::default()
        },
    );
    e.write_indent();
    if e.open_ended {
        e.write_indicator(b"...", true, false, false);
        e.write_indent();
    }
    String::from_utf8(e.out).unwrap_or_default()
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn width(c: u8) -> usize {
    match c {
        _ if c & 0x80 == 0 => 1,
        _ if c & 0xE0 == 0xC0 => 2,
        _ if c & 0xF0 == 0xE0 => 3,
        _ if c & 0xF8 == 0xF0 => 4,
        _ => 1,
    }
}

fn is_printable(b: &[u8], i: usize) -> bool {
    let (c, n1, n2) = (at(b, i), at(b, i + 1), at(b, i + 2));
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && n1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && n1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(n1 == 0xBB && n2 == 0xBF) && !(n1 == 0xBF && (n2 == 0xBE || n2 == 0xBF)))
}

fn is_break(b: &[u8], i: usize) -> bool {
    let (c, n1, n2) = (at(b, i), at(b, i + 1), at(b, i + 2));
    c == b'\r'
        || c == b'\n'
        || (c == 0xC2 && n1 == 0x85)
        || (c == 0xE2 && n1 == 0x80 && (n2 == 0xA8 || n2 == 0xA9))
}

fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}

fn is_blank(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}

fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || at(b, i) == 0
}

/// libyaml's quirk: the BOM test looks at the start of the value, whatever the position.
fn is_bom(b: &[u8]) -> bool {
    b.starts_with(&[0xEF, 0xBB, 0xBF])
}

/// What libyaml notices while scanning a scalar's characters.
#[derive(Debug, Default)]
struct Flags {
    block_ind: bool,
    flow_ind: bool,
    line_breaks: bool,
    special: bool,
    leading_space: bool,
    leading_break: bool,
    trailing_space: bool,
    trailing_break: bool,
    break_space: bool,
    space_break: bool,
}

/// Indicator characters: where they make plain style impossible.
fn note_indicator(f: &mut Flags, c: u8, first: bool, preceded_by_ws: bool, followed_by_ws: bool) {
    match (first, c) {
        (
            true,
            b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`',
        ) => {
            f.flow_ind = true;
            f.block_ind = true;
        }
        (true, b'?' | b':') => {
            f.flow_ind = true;
            f.block_ind |= followed_by_ws;
        }
        (true, b'-') if followed_by_ws => {
            f.flow_ind = true;
            f.block_ind = true;
        }
        (false, b',' | b'?' | b'[' | b']' | b'{' | b'}') => f.flow_ind = true,
        (false, b':') => {
            f.flow_ind = true;
            f.block_ind |= followed_by_ws;
        }
        (false, b'#') if preceded_by_ws => {
            f.flow_ind = true;
            f.block_ind = true;
        }
        _ => {}
    }
}

/// The character loop of `yaml_emitter_analyze_scalar`.
fn scan(value: &[u8]) -> Flags {
    let mut f = Flags::default();
    if value.starts_with(b"---") || value.starts_with(b"...") {
        f.block_ind = true;
        f.flow_ind = true;
    }
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut i = 0;
    while i < value.len() {
        let w = width(value[i]);
        let followed_by_ws = i + w >= value.len() || is_blank(value, i + w);
        note_indicator(&mut f, value[i], i == 0, preceded_by_ws, followed_by_ws);
        f.special |= !is_printable(value, i);
        let last = i + w == value.len();
        if is_space(value, i) {
            f.leading_space |= i == 0;
            f.trailing_space |= last;
            f.break_space |= prev_break;
            (prev_space, prev_break) = (true, false);
        } else if is_break(value, i) {
            f.line_breaks = true;
            f.leading_break |= i == 0;
            f.trailing_break |= last;
            f.space_break |= prev_space;
            (prev_space, prev_break) = (false, true);
        } else {
            (prev_space, prev_break) = (false, false);
        }
        preceded_by_ws = is_blankz(value, i);
        i += w;
    }
    f
}

/// `yaml_emitter_analyze_scalar`: which styles can carry this value.
fn analyze(value: &[u8]) -> Analysis {
    if value.is_empty() {
        return Analysis {
            block_plain_allowed: true,
            single_quoted_allowed: true,
            ..Analysis::default()
        };
    }
    let f = scan(value);
    let mut a = Analysis {
        multiline: f.line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if f.leading_space || f.leading_break || f.trailing_space || f.trailing_break || f.line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if f.trailing_space {
        a.block_allowed = false;
    }
    if f.break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if f.space_break || f.special {
        a = Analysis {
            multiline: a.multiline,
            ..Analysis::default()
        };
    }
    a.flow_plain_allowed &= !f.flow_ind;
    a.block_plain_allowed &= !f.block_ind;
    a
}

/// go-yaml v2's `stringv`: the style it asks for before the emitter has its say.
fn string_style(s: &str) -> ScalarStyle {
    if s.contains('\n') {
        ScalarStyle::Literal
    } else if resolve::v2_plain_is_string(s) {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    }
}

impl Emitter {
    fn put(&mut self, c: u8) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push(b'\n');
        self.column = 0;
    }

    fn write(&mut self, b: &[u8], i: &mut usize) {
        let w = width(b[*i]).min(b.len() - *i);
        self.out.extend_from_slice(&b[*i..*i + w]);
        self.column += 1;
        *i += w;
    }

    fn write_all(&mut self, b: &[u8]) {
        let mut i = 0;
        while i < b.len() {
            self.write(b, &mut i);
        }
    }

    fn write_break(&mut self, b: &[u8], i: &mut usize) {
        if b[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(b, i);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &[u8], need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(b' ');
        }
        self.write_all(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn node(&mut self, v: &Value, ctx: Ctx) {
        self.ctx = ctx;
        match v {
            Value::Seq(items) if items.is_empty() => self.empty_flow(b"[", b"]"),
            Value::Map(entries) if entries.is_empty() => self.empty_flow(b"{", b"}"),
            Value::Seq(items) => self.block_sequence(items),
            Value::Map(entries) => self.block_mapping(entries),
            Value::String(s) => self.scalar(s.as_bytes(), string_style(s)),
            Value::Null => self.scalar(b"null", ScalarStyle::Plain),
            Value::Bool(b) => self.scalar(if *b { b"true" } else { b"false" }, ScalarStyle::Plain),
            Value::Int(i) => self.scalar(i.to_string().as_bytes(), ScalarStyle::Plain),
            Value::Uint(u) => self.scalar(u.to_string().as_bytes(), ScalarStyle::Plain),
            Value::Float(f) => self.scalar(float_text(*f).as_bytes(), ScalarStyle::Plain),
        }
    }

    fn empty_flow(&mut self, open: &[u8], close: &[u8]) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value]) {
        let indentless = self.ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator(b"-", true, false, true);
            self.node(item, Ctx::default());
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, entries: &[(String, Value)]) {
        self.increase_indent(false, false);
        for idx in keysort::sorted_indices(entries) {
            let (k, v) = &entries[idx];
            self.write_indent();
            let key = Value::String(k.clone());
            let simple =
                !k.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) && k.len() <= 128;
            if simple {
                self.node(
                    &key,
                    Ctx {
                        mapping: true,
                        simple_key: true,
                        ..Ctx::default()
                    },
                );
                self.write_indicator(b":", false, false, false);
            } else {
                self.write_indicator(b"?", true, false, true);
                self.node(
                    &key,
                    Ctx {
                        mapping: true,
                        ..Ctx::default()
                    },
                );
                self.write_indent();
                self.write_indicator(b":", true, false, true);
            }
            self.node(
                v,
                Ctx {
                    mapping: true,
                    ..Ctx::default()
                },
            );
        }
        self.pop_indent();
    }

    fn select_style(&self, requested: ScalarStyle, value: &[u8], a: &Analysis) -> ScalarStyle {
        let mut style = requested;
        if self.ctx.simple_key && a.multiline {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Plain {
            let flow = self.flow_level > 0;
            if (flow && !a.flow_plain_allowed) || (!flow && !a.block_plain_allowed) {
                style = ScalarStyle::SingleQuoted;
            }
            if value.is_empty() && (flow || self.ctx.simple_key) {
                style = ScalarStyle::SingleQuoted;
            }
        }
        if style == ScalarStyle::SingleQuoted && !a.single_quoted_allowed {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.ctx.simple_key)
        {
            style = ScalarStyle::DoubleQuoted;
        }
        style
    }

    fn scalar(&mut self, value: &[u8], requested: ScalarStyle) {
        let a = analyze(value);
        let style = self.select_style(requested, value, &a);
        self.increase_indent(true, false);
        let allow_breaks = !self.ctx.simple_key;
        match style {
            ScalarStyle::Plain => self.write_plain(value, allow_breaks),
            ScalarStyle::SingleQuoted => self.write_single_quoted(value, allow_breaks),
            ScalarStyle::DoubleQuoted => self.write_double_quoted(value, allow_breaks),
            ScalarStyle::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        gostr::format_float_g(f)
    }
}

#[path = "emit_scalar.rs"]
mod emit_scalar;

#[cfg(test)]
#[path = "emit_tests.rs"]
mod tests;
