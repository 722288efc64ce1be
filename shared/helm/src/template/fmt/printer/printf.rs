//! Sprintf's format parsing: flags, explicit argument indexes, `*` widths and precisions,
//! verbs, and the %!(NOVERB), %!v(MISSING), %!v(BADINDEX) and %!(EXTRA ...) forms.

use super::{Flags, Printer};
use crate::template::value::Value;

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

    pub(crate) fn do_printf(&mut self, format: &str, args: &[Value]) {
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
            i = self.parse_flags(fb, i + 1);
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
            self.write_extra(&args[arg_num..]);
        }
    }

    /// Clears the flags and reads `#0+- ` flags from `fb[i..]`; returns where they end.
    fn parse_flags(&mut self, fb: &[u8], mut i: usize) -> usize {
        self.f = Flags::default();
        self.bad_arg_num = false;
        while i < fb.len() {
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
        i
    }

    /// `%!(EXTRA type=value, ...)` for arguments no verb used.
    fn write_extra(&mut self, extra: &[Value]) {
        self.f = Flags::default();
        self.buf.push_str("%!(EXTRA ");
        for (k, arg) in extra.iter().enumerate() {
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
            (arg_num, i, after_index) = self.precision(fb, args, arg_num, i + 1, after_index);
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

    /// The precision after a `.` at `fb[i - 1]`: digits, `*`, or an argument index.
    fn precision(
        &mut self,
        fb: &[u8],
        args: &[Value],
        arg_num: usize,
        i: usize,
        after_index: bool,
    ) -> (usize, usize, bool) {
        if after_index {
            self.bad_arg_num = true;
        }
        let (mut arg_num, mut i, mut after_index) = self.arg_number(arg_num, fb, i, args.len());
        if i < fb.len() && fb[i] == b'*' {
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
            let (p, next) = parse_num(fb, i, fb.len());
            self.f.prec = Some(p.unwrap_or(0));
            i = next;
        }
        (arg_num, i, after_index)
    }
}
