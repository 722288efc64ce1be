//! The state machine behind Sprint/Sprintf: Go's `pp` and `fmt` types, flag parsing, verb
//! dispatch per value kind, padding, and the bad-verb / missing / extra argument forms.

mod number;
mod printf;

use crate::template::strconv::{can_backquote, quote_with};
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
            Value::Dict(d) if self.f.sharp_v && d.is_nil_map() => {
                self.buf.push_str(&format!("{}(nil)", d.type_name()));
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
}
