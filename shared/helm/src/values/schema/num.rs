//! Exact decimal numbers for the numeric keywords (jsonschema compares with big.Rat, so
//! 0.1 + 0.2 style float error must not decide `multipleOf` or a bound), and numbers printed
//! the way golang.org/x/text's English printer shows them in messages.

use std::cmp::Ordering;

use serde_json::Number;

/// A finite decimal: `0.d1d2d3... × 10^exp`, digits without leading or trailing zeros
/// (an empty digit list is zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Dec {
    /// Parses JSON number text (`-12.5e3`); None for anything else.
    pub fn parse(text: &str) -> Option<Dec> {
        let (neg, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mant, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let mut exp = exp.checked_add(int.len() as i64)?;
        let lead = digits.iter().take_while(|d| **d == 0).count();
        digits.drain(..lead);
        exp -= lead as i64;
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Some(Dec {
                neg: false,
                digits,
                exp: 0,
            });
        }
        Some(Dec { neg, digits, exp })
    }

    pub fn from_number(n: &Number) -> Option<Dec> {
        Dec::parse(&n.to_string())
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    fn text(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("{}0.{digits}e{}", if self.neg { "-" } else { "" }, self.exp)
    }

    /// The nearest float64 (what big.Rat.Float64 gives for messages).
    pub fn to_f64(&self) -> f64 {
        self.text().parse().unwrap_or(f64::NAN)
    }

    /// Whether the value is a whole number (JSON Schema's "integer").
    pub fn is_integer(&self) -> bool {
        self.is_zero() || self.exp >= self.digits.len() as i64
    }

    /// Whether `self / by` is an integer (`by` is not zero).
    pub fn is_multiple_of(&self, by: &Dec) -> bool {
        if self.is_zero() {
            return true;
        }
        if by.is_zero() {
            return false;
        }
        // self = a·10^p, by = b·10^q with integer mantissas a and b.
        let (a, p) = self.mantissa();
        let (b, q) = by.mantissa();
        let (Some(a), Some(b)) = (a, b) else {
            return (self.to_f64() / by.to_f64()).fract() == 0.0;
        };
        if p >= q {
            // (a·10^(p-q)) mod b, by modular exponentiation so huge exponents stay cheap.
            let mut factor = 1u128 % b;
            let mut base = 10u128 % b;
            let mut e = (p - q) as u64;
            while e > 0 {
                if e & 1 == 1 {
                    factor = factor * base % b;
                }
                base = base * base % b;
                e >>= 1;
            }
            ((a % b) * factor).is_multiple_of(b)
        } else {
            match 10u128
                .checked_pow(u32::try_from(q - p).unwrap_or(u32::MAX))
                .and_then(|s| b.checked_mul(s))
            {
                Some(d) => a % d == 0,
                None => false,
            }
        }
    }

    /// The integer mantissa (None past u64, so products fit u128) and its exponent.
    fn mantissa(&self) -> (Option<u128>, i64) {
        let mut m: u128 = 0;
        for d in &self.digits {
            m = match m
                .checked_mul(10)
                .and_then(|x| x.checked_add(u128::from(*d)))
            {
                Some(x) if x <= u128::from(u64::MAX) => x,
                _ => return (None, 0),
            };
        }
        (Some(m), self.exp - self.digits.len() as i64)
    }
}

impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Dec {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Dec| match (d.is_zero(), d.neg) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (sa, sb) = (sign(self), sign(other));
        if sa != sb || sa == 0 {
            return sa.cmp(&sb);
        }
        let magnitude = self
            .exp
            .cmp(&other.exp)
            .then_with(|| self.digits.cmp(&other.digits));
        if sa < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// Digits of an integer string grouped by thousands with commas.
fn group(int: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An integer as the x/text printer shows `%d`: thousands grouped.
pub fn int(n: usize) -> String {
    group(&n.to_string())
}

fn superscript(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect()
}

/// A float64 as the x/text English printer shows `%v`: Go's shortest `%g` choice between
/// plain and scientific (decimal exponent below -4 or at least 6), plain
/// numbers with grouped thousands, scientific ones as `1.5×10⁰⁶`.
pub fn float(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Go's strconv does.
    let sci = format!("{:e}", v.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if v < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let e = if exp < 0 {
            format!("-{:02}", -exp)
        } else {
            format!("{exp:02}")
        };
        return format!("{sign}{mant}×10{}", superscript(&e));
    }
    let plain = if exp >= 0 {
        let exp = exp as usize;
        if digits.len() > exp + 1 {
            format!("{}.{}", group(&digits[..=exp]), &digits[exp + 1..])
        } else {
            group(&format!("{digits}{}", "0".repeat(exp + 1 - digits.len())))
        }
    } else {
        format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
    };
    format!("{sign}{plain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).expect("number")
    }

    #[test]
    fn decimals_compare_exactly() {
        let cases = [
            ("1", "1.0", Ordering::Equal),
            ("0.1", "0.10000000000000001", Ordering::Less),
            ("-5", "3", Ordering::Less),
            ("-5", "-3", Ordering::Less),
            ("1e3", "999.999", Ordering::Greater),
            ("0", "-0.0", Ordering::Equal),
            (
                "12345678901234567890",
                "12345678901234567891",
                Ordering::Less,
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(d(a).cmp(&d(b)), want, "{a} vs {b}");
        }
    }

    #[test]
    fn multiple_of_is_exact() {
        let cases = [
            ("10", "2", true),
            ("0.3", "0.1", true),
            ("0.35", "0.1", false),
            ("1e300", "3", false),
            ("3e300", "3", true),
            ("4.5", "1.5", true),
            ("7", "0.0001", true),
            ("0", "7", true),
            ("1", "1e-400", true),
        ];
        for (a, b, want) in cases {
            assert_eq!(d(a).is_multiple_of(&d(b)), want, "{a} multipleOf {b}");
        }
    }

    #[test]
    fn floats_print_like_x_text() {
        let cases = [
            (1.0, "1"),
            (1000.0, "1,000"),
            (12345.5, "12,345.5"),
            (999999.0, "999,999"),
            (1e6, "1×10⁰⁶"),
            (1234567.0, "1.234567×10⁰⁶"),
            (1e21, "1×10²¹"),
            (0.0001, "0.0001"),
            (1e-5, "1×10⁻⁰⁵"),
            (-1234.5, "-1,234.5"),
            (123456789012.0, "1.23456789012×10¹¹"),
            (1.23456789123, "1.23456789123"),
            (-1e30, "-1×10³⁰"),
        ];
        for (v, want) in cases {
            assert_eq!(float(v), want, "{v}");
        }
    }
}
