//! Go's `strconv.FormatFloat` for float64 with the 'e', 'E', 'f', 'F', 'g' and 'G' formats,
//! shortest (precision -1) or with a precision, built on Rust's exact decimal conversion.

/// Decimal digits of |v|: `digits` without leading or trailing zeros, and the position of the
/// decimal point (value = 0.digits × 10^dp). Zero has no digits.
struct Decimal {
    digits: Vec<u8>,
    dp: i32,
}

/// Parses Rust's `{:e}` rendering (`1.2345e6`, `0e0`) into digits and point position.
fn parse_exp_form(s: &str) -> Decimal {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        return Decimal { digits, dp: 0 };
    }
    Decimal {
        digits,
        dp: exp + 1,
    }
}

fn shortest(v: f64) -> Decimal {
    parse_exp_form(&format!("{:e}", v.abs()))
}

/// |v| rounded to `n` significant digits (n ≥ 1).
fn significant(v: f64, n: usize) -> Decimal {
    parse_exp_form(&format!("{:.*e}", n.saturating_sub(1), v.abs()))
}

/// Formats `v` like `strconv.FormatFloat(v, fmt, prec, 64)`; `prec = None` is Go's -1.
pub fn format_float(v: f64, fmt: u8, prec: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = v.is_sign_negative();
    let lower = fmt.to_ascii_lowercase();
    if lower == b'f' {
        if let Some(p) = prec {
            // Rust prints the exact decimal expansion, rounded half to even, as Go does.
            return format!("{v:.p$}");
        }
        let d = shortest(v);
        let p = (d.digits.len() as i32 - d.dp).max(0) as usize;
        return fmt_f(neg, &d, p);
    }
    let (d, p, shortest_mode) = match prec {
        None => {
            let d = shortest(v);
            let p = if lower == b'e' {
                d.digits.len().saturating_sub(1)
            } else {
                d.digits.len()
            };
            (d, p, true)
        }
        Some(p) if lower == b'e' => (significant(v, p + 1), p, false),
        Some(p) => {
            let p = p.max(1);
            (significant(v, p), p, false)
        }
    };
    if lower == b'e' {
        return fmt_e(neg, &d, p, fmt);
    }
    fmt_g(neg, &d, p, shortest_mode, fmt)
}

/// %g: %e when the exponent is below -4 or at least the precision (6 when shortest), else %f.
fn fmt_g(neg: bool, d: &Decimal, mut p: usize, shortest: bool, fmt: u8) -> String {
    let nd = d.digits.len();
    let mut eprec = p;
    if eprec > nd && nd as i32 >= d.dp {
        eprec = nd;
    }
    if shortest {
        eprec = 6;
    }
    let exp = d.dp - 1;
    if exp < -4 || exp >= eprec as i32 {
        if p > nd {
            p = nd;
        }
        return fmt_e(neg, d, p.saturating_sub(1), fmt + b'e' - b'g');
    }
    if p as i32 > d.dp {
        p = nd;
    }
    fmt_f(neg, d, (p as i32 - d.dp).max(0) as usize)
}

fn fmt_e(neg: bool, d: &Decimal, prec: usize, fmt: u8) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push(char::from(*d.digits.first().unwrap_or(&b'0')));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(char::from(*d.digits.get(i).unwrap_or(&b'0')));
        }
    }
    out.push(char::from(fmt));
    let exp = if d.digits.is_empty() { 0 } else { d.dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
    out
}

fn fmt_f(neg: bool, d: &Decimal, prec: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if d.dp > 0 {
        let dp = d.dp as usize;
        for i in 0..dp {
            out.push(char::from(*d.digits.get(i).unwrap_or(&b'0')));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i32 {
            let j = d.dp + i - 1;
            let c = if j >= 0 {
                d.digits.get(j as usize).copied().unwrap_or(b'0')
            } else {
                b'0'
            };
            out.push(char::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_strconv() {
        let cases: &[(f64, u8, Option<usize>, &str)] = &[
            (3.0, b'g', None, "3"),
            (1234567.0, b'g', None, "1.234567e+06"),
            (123456.0, b'g', None, "123456"),
            (0.0001, b'g', None, "0.0001"),
            (0.00001, b'g', None, "1e-05"),
            (1e21, b'g', None, "1e+21"),
            (0.1, b'g', None, "0.1"),
            (-2.5, b'g', None, "-2.5"),
            (0.0, b'g', None, "0"),
            (-0.0, b'g', None, "-0"),
            (100.0, b'g', Some(2), "1e+02"),
            (123.456, b'g', Some(4), "123.5"),
            (3.0, b'g', Some(5), "3"),
            (4.56789, b'e', None, "4.56789e+00"),
            (4.56789, b'e', Some(2), "4.57e+00"),
            (0.0, b'e', Some(3), "0.000e+00"),
            (1234.5678, b'E', Some(3), "1.235E+03"),
            (4.56789, b'f', Some(2), "4.57"),
            (2.5, b'f', Some(0), "2"),
            (1.5, b'f', None, "1.5"),
            (1e6, b'f', None, "1000000"),
            (f64::INFINITY, b'g', None, "+Inf"),
            (f64::NAN, b'g', None, "NaN"),
            (1e100, b'G', None, "1E+100"),
        ];
        for &(v, fmt, prec, want) in cases {
            assert_eq!(
                format_float(v, fmt, prec),
                want,
                "{v} {} {prec:?}",
                char::from(fmt)
            );
        }
    }
}
