//! The state machine behind Sprint/Sprintf: Go's `pp` and `fmt` types, flag parsing, verb
//! dispatch per value kind, padding, and the bad-verb / missing / extra argument forms.

use super::float::format_float;
use crate::template::strconv::{can_backquote, is_print, quote_rune, quote_with};
use crate::template::value::{ElemType, Value};

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

#[derive(Default, Clone, Copy)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

/// How a list or dict prints: its Go type, element type, and map or slice syntax.
struct Seq<'t> {
    ty: &'t str,
    elem: ElemType,
    is_map: bool,
}

#[derive(Default)]
pub(super) struct Printer {
    pub buf: String,
    f: Flags,
    reordered: bool,
    bad_arg_num: bool,
}

fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Go's `parsenum`: a decimal number in `s[start..end]`.
fn parse_num(s: &[u8], start: usize, end: usize) -> (Option<usize>, usize) {
    let mut num: i64 = 0;
    let mut any = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (None, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        any = true;
        i += 1;
    }
    (any.then_some(num as usize), i)
}

impl Printer {
    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        self.buf.extend(std::iter::repeat_n(c, n));
    }

    fn pad(&mut self, s: &str) {
        let width = match self.f.wid {
            Some(w) if w > 0 => w.saturating_sub(s.chars().count()),
            _ => 0,
        };
        if !self.f.minus {
            self.write_padding(width);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            self.write_padding(width);
        }
    }

    fn truncate<'s>(&self, s: &'s str) -> &'s str {
        match self.f.prec {
            Some(p) => s.char_indices().nth(p).map_or(s, |(i, _)| &s[..i]),
            None => s,
        }
    }

    fn bad_verb(&mut self, verb: char, v: &Value) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if v.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&v.type_name());
            self.buf.push('=');
            self.print_arg(v, 'v');
        }
        self.buf.push(')');
    }

    pub fn print_arg(&mut self, arg: &Value, verb: char) {
        match arg {
            Value::Nil if matches!(verb, 'T' | 'v') => self.pad("<nil>"),
            Value::Nil => self.bad_verb(verb, arg),
            _ if verb == 'T' => {
                let name = arg.type_name().into_owned();
                self.fmt_s(&name);
            }
            _ => self.print_value(arg, verb, 0),
        }
    }

    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        match v {
            Value::Nil => {
                if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb, v),
            },
            Value::Int(i) | Value::Int64(i) => self.fmt_int(*i as u64, true, verb, v),
            Value::Float(f) => self.fmt_float(*f, verb, v),
            Value::String(s) => self.fmt_string(s, verb, v),
            Value::Bytes(b) => self.fmt_bytes(b, verb),
            Value::List(l) => {
                let items = l.snapshot();
                let ty = v.type_name().into_owned();
                let seq = Seq {
                    ty: &ty,
                    elem: l.elem_type(),
                    is_map: false,
                };
                self.print_seq(&seq, items.iter().map(|x| (None, x)), verb, depth);
            }
            Value::Dict(d) => {
                let entries = d.snapshot();
                let ty = v.type_name().into_owned();
                let items = entries.iter().map(|(k, x)| (Some(k.as_str()), x));
                let seq = Seq {
                    ty: &ty,
                    elem: d.elem_type(),
                    is_map: true,
                };
                self.print_seq(&seq, items, verb, depth);
            }
            Value::Object(o) => match verb {
                'v' => {
                    let s = o.format_v(self.f.plus_v);
                    self.pad(&s);
                }
                's' | 'q' | 'x' | 'X' => {
                    let s = Value::from(o.print());
                    self.print_value(&s, verb, depth);
                }
                _ => self.bad_verb(verb, v),
            },
        }
    }

    /// Slices print as `[a b]`, maps as `map[k:v]` (keys sorted), or Go syntax under `%#v`.
    fn print_seq<'a>(
        &mut self,
        seq: &Seq<'_>,
        items: impl Iterator<Item = (Option<&'a str>, &'a Value)>,
        verb: char,
        depth: usize,
    ) {
        if self.f.sharp_v {
            self.buf.push_str(seq.ty);
            self.buf.push('{');
        } else {
            self.buf.push_str(if seq.is_map { "map[" } else { "[" });
        }
        for (i, (key, item)) in items.enumerate() {
            if i > 0 {
                self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
            }
            if let Some(k) = key {
                self.print_value(&Value::from(k), verb, depth + 1);
                self.buf.push(':');
            }
            if seq.elem != ElemType::Any && item.is_nil() {
                self.print_value(&seq.elem.zero(), verb, depth + 1);
            } else {
                self.print_value(item, verb, depth + 1);
            }
        }
        self.buf.push(if self.f.sharp_v { '}' } else { ']' });
    }

    fn fmt_int(&mut self, u: u64, signed: bool, verb: char, v: &Value) {
        match verb {
            'v' | 'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => {
                let c = u32::try_from(u)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                self.pad(c.encode_utf8(&mut [0; 4]));
            }
            'q' => {
                let c = u32::try_from(u)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                let q = quote_rune(c, self.f.plus);
                self.pad(&q);
            }
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_integer(&mut self, u: u64, base: u64, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative {
            (u as i64).unsigned_abs()
        } else {
            u
        };
        let mut prec = 0;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid.unwrap_or(0));
                self.f.zero = old;
                return;
            }
        } else if let Some(w) = self.f.wid.filter(|_| self.f.zero && !self.f.minus) {
            prec = w;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut rev: Vec<u8> = Vec::new();
        loop {
            rev.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while rev.len() < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => rev.extend_from_slice(&[digits[16], b'0']),
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        let s = String::from_utf8_lossy(&rev).into_owned();
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_unicode(&mut self, u: u64) {
        let prec = self.f.prec.filter(|&p| p > 4).unwrap_or(4);
        let mut s = format!("U+{u:0prec$X}");
        if self.f.sharp
            && let Some(c) = u32::try_from(u)
                .ok()
                .and_then(char::from_u32)
                .filter(|&c| is_print(c))
        {
            s.push_str(&format!(" '{c}'"));
        }
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_float(&mut self, x: f64, verb: char, v: &Value) {
        match verb {
            'v' => self.fmt_float_as(x, 'g', None),
            'g' | 'G' | 'b' | 'x' | 'X' => self.fmt_float_as(x, verb, None),
            'f' | 'F' | 'e' | 'E' => self.fmt_float_as(x, verb, Some(6)),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_float_as(&mut self, x: f64, verb: char, default_prec: Option<usize>) {
        let prec = self.f.prec.or(default_prec);
        let fmt = match verb {
            'F' => b'f',
            'b' | 'x' | 'X' => b'g',
            c => c as u8,
        };
        let digits = format_float(x, fmt, prec);
        let mut num = if digits.starts_with(['-', '+']) {
            digits
        } else {
            format!("+{digits}")
        };
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        if num[1..].starts_with(['I', 'N']) {
            let old = self.f.zero;
            self.f.zero = false;
            if num[1..].starts_with('N') && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = old;
            return;
        }
        if self.f.sharp && verb != 'b' {
            num = sharp_float(num, verb, prec);
        }
        if self.f.plus || !num.starts_with('+') {
            if let Some(w) = self
                .f
                .wid
                .filter(|&w| self.f.zero && !self.f.minus && w > num.len())
            {
                self.buf.push_str(&num[..1]);
                self.write_padding(w - num.len());
                self.buf.push_str(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }

    fn fmt_string(&mut self, s: &str, verb: char, v: &Value) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s),
            'v' | 's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
            'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s).to_string();
        self.pad(&s);
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        let q = if self.f.sharp && can_backquote(s) {
            format!("`{s}`")
        } else {
            quote_with(s, self.f.plus)
        };
        self.pad(&q);
    }

    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let length = self.f.prec.map_or(b.len(), |p| p.min(b.len()));
        let mut width = 2 * length;
        if width == 0 {
            if let Some(w) = self.f.wid {
                self.write_padding(w);
            }
            return;
        }
        if self.f.space {
            if self.f.sharp {
                width *= 2;
            }
            width += length - 1;
        } else if self.f.sharp {
            width += 2;
        }
        let wid = self.f.wid.unwrap_or(0);
        if wid > width && !self.f.minus {
            self.write_padding(wid - width);
        }
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(char::from(digits[16]));
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(char::from(digits[16]));
                }
            }
            self.buf.push(char::from(digits[usize::from(c >> 4)]));
            self.buf.push(char::from(digits[usize::from(c & 0xf)]));
        }
        if wid > width && self.f.minus {
            self.write_padding(wid - width);
        }
    }

    fn fmt_bytes(&mut self, b: &[u8], verb: char) {
        match verb {
            'v' | 'd' if self.f.sharp_v => {
                self.buf.push_str("[]byte{");
                for (i, c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(", ");
                    }
                    self.buf.push_str(&format!("{c:#x}"));
                }
                self.buf.push('}');
            }
            's' => self.fmt_s(&String::from_utf8_lossy(b)),
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q(&String::from_utf8_lossy(b)),
            _ => {
                self.buf.push('[');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    if matches!(
                        verb,
                        'v' | 'd' | 'b' | 'o' | 'O' | 'x' | 'X' | 'c' | 'q' | 'U'
                    ) {
                        self.fmt_int(u64::from(c), false, verb, &Value::Int(i64::from(c)));
                    } else {
                        self.buf.push_str(&format!("%!{verb}(uint8={c})"));
                    }
                }
                self.buf.push(']');
            }
        }
    }

    /// Go's `argNumber`: an explicit `[n]` argument index at `format[i..]`.
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let rest = &format[i..];
        if rest.len() < 3 {
            self.bad_arg_num = true;
            return (arg_num, i + 1, false);
        }
        let Some(close) = rest.iter().position(|&c| c == b']') else {
            self.bad_arg_num = true;
            return (arg_num, i + 1, false);
        };
        match parse_num(rest, 1, close) {
            (Some(n), end) if end == close && n >= 1 && n - 1 < num_args => {
                (n - 1, i + close + 1, true)
            }
            (Some(_), end) if end == close => {
                self.bad_arg_num = true;
                (arg_num, i + close + 1, true)
            }
            _ => {
                self.bad_arg_num = true;
                (arg_num, i + close + 1, false)
            }
        }
    }

    /// Go's `intFromArg`: a `*` width or precision taken from the arguments.
    fn int_from_arg(args: &[Value], arg_num: usize) -> (Option<i64>, usize) {
        let Some(arg) = args.get(arg_num) else {
            return (None, arg_num);
        };
        let n = match arg {
            Value::Int(i) | Value::Int64(i) if !too_large(*i) => Some(*i),
            _ => None,
        };
        (n, arg_num + 1)
    }

    pub fn do_printf(&mut self, format: &str, args: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0;
        let mut i = 0;
        while i < end {
            let last = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            self.buf.push_str(&format[last..i]);
            if i >= end {
                break;
            }
            i += 1;
            self.f = Flags::default();
            self.bad_arg_num = false;
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => break,
                }
                i += 1;
            }
            let stop;
            (arg_num, i, stop) = self.width_and_precision(format, args, arg_num, i);
            if stop {
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('%');
            i += verb.len_utf8();
            match verb {
                '%' => self.buf.push('%'),
                _ if self.bad_arg_num => {
                    self.buf.push_str(&format!("%!{verb}(BADINDEX)"));
                }
                _ if arg_num >= args.len() => self.buf.push_str(&format!("%!{verb}(MISSING)")),
                _ => {
                    if verb == 'v' {
                        self.f.sharp_v = std::mem::take(&mut self.f.sharp);
                        self.f.plus_v = std::mem::take(&mut self.f.plus);
                    }
                    self.print_arg(&args[arg_num], verb);
                    arg_num += 1;
                }
            }
        }
        if !self.reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// Argument index, width and precision of one verb; `true` when the format ended early.
    fn width_and_precision(
        &mut self,
        format: &str,
        args: &[Value],
        arg_num: usize,
        i: usize,
    ) -> (usize, usize, bool) {
        let fb = format.as_bytes();
        let end = fb.len();
        let (mut arg_num, mut i, mut after_index) = self.arg_number(arg_num, fb, i, args.len());
        if i < end && fb[i] == b'*' {
            i += 1;
            let (w, next) = Self::int_from_arg(args, arg_num);
            arg_num = next;
            match w {
                None => self.buf.push_str("%!(BADWIDTH)"),
                Some(w) if w < 0 => {
                    self.f.wid = Some(w.unsigned_abs() as usize);
                    self.f.minus = true;
                    self.f.zero = false;
                }
                Some(w) => self.f.wid = Some(w as usize),
            }
            after_index = false;
        } else {
            let (w, next) = parse_num(fb, i, end);
            self.f.wid = w;
            i = next;
            if after_index && w.is_some() {
                self.bad_arg_num = true;
            }
        }
        if i + 1 < end && fb[i] == b'.' {
            i += 1;
            if after_index {
                self.bad_arg_num = true;
            }
            (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, args.len());
            if i < end && fb[i] == b'*' {
                i += 1;
                let (p, next) = Self::int_from_arg(args, arg_num);
                arg_num = next;
                match p {
                    Some(p) if p >= 0 => self.f.prec = Some(p as usize),
                    Some(_) => self.f.prec = None,
                    None => self.buf.push_str("%!(BADPREC)"),
                }
                after_index = false;
            } else {
                let (p, next) = parse_num(fb, i, end);
                self.f.prec = Some(p.unwrap_or(0));
                i = next;
            }
        }
        if !after_index {
            (arg_num, i, _) = self.arg_number(arg_num, fb, i, args.len());
        }
        if i >= end {
            self.buf.push_str("%!(NOVERB)");
            return (arg_num, i, true);
        }
        (arg_num, i, false)
    }
}

/// The `#` flag on floats: always a decimal point, and %g keeps its trailing zeros.
fn sharp_float(num: String, verb: char, prec: Option<usize>) -> String {
    let mut digits: i64 = match verb {
        'v' | 'g' | 'G' | 'x' => prec.map_or(6, |p| p as i64),
        _ => 0,
    };
    let (mut body, tail) = match num[1..].find(['e', 'E', 'p', 'P']) {
        Some(k) => (num[..k + 1].to_string(), num[k + 1..].to_string()),
        None => (num.clone(), String::new()),
    };
    let mut has_point = false;
    let mut saw_nonzero = false;
    for c in body[1..].chars() {
        if c == '.' {
            has_point = true;
            continue;
        }
        if c != '0' {
            saw_nonzero = true;
        }
        if saw_nonzero {
            digits -= 1;
        }
    }
    if !has_point {
        if body.len() == 2 && body.ends_with('0') {
            digits -= 1;
        }
        body.push('.');
    }
    while digits > 0 {
        body.push('0');
        digits -= 1;
    }
    body + &tail
}
