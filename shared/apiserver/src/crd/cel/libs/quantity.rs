//! Kubernetes' quantity library: `quantity()`, `isQuantity()` and the `kubernetes.Quantity`
//! methods, parsing as apimachinery's `resource.ParseQuantity` does (its error texts,
//! decimal and binary suffixes, exponents, rounding up to the nano).

use cel::common::types::{CelBool, CelDouble, CelInt, CelString};
use cel::{DeclarationError, Env, ExecutionError};

use super::fail;
use super::opaque::opaque;

/// A quantity as a whole number of nano-units: every parsed quantity is a multiple of
/// 10^-9, as ParseQuantity rounds finer values up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i128);
opaque!(Quantity, "kubernetes.Quantity");

const NANO: i128 = 1_000_000_000;
const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC: &str = "unable to parse numeric part of quantity";
const SUFFIX: &str = "unable to parse quantity's suffix";

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn quantity: (CelString) -> Result<Quantity>, id = "string_to_quantity")?;
    cel::add_overload!(env, fn is_quantity: (CelString) -> CelBool, id = "is_quantity_string")?;
    // Declared as a global function by kube (`sign(q)`), not a method.
    cel::add_overload!(env, fn sign: (Quantity) -> CelInt, id = "quantity_sign")?;
    cel::add_member_overload!(env, fn is_greater_than: (Quantity, Quantity) -> CelBool,
        id = "quantity_is_greater_than")?;
    cel::add_member_overload!(env, fn is_less_than: (Quantity, Quantity) -> CelBool,
        id = "quantity_is_less_than")?;
    cel::add_member_overload!(env, fn compare_to: (Quantity, Quantity) -> CelInt,
        id = "quantity_compare_to")?;
    cel::add_member_overload!(env, fn as_approximate_float: (Quantity) -> CelDouble,
        id = "quantity_get_float")?;
    cel::add_member_overload!(env, fn as_integer: (Quantity) -> Result<CelInt>, id = "quantity_get_int")?;
    cel::add_member_overload!(env, fn is_integer: (Quantity) -> CelBool, id = "quantity_is_integer")?;
    cel::add_member_overload!(env, fn add: (Quantity, Quantity) -> Result<Quantity>, id = "quantity_add")?;
    cel::add_member_overload!(env, fn add_int: (Quantity, CelInt) -> Result<Quantity>, name = "add",
        id = "quantity_add_int")?;
    cel::add_member_overload!(env, fn sub: (Quantity, Quantity) -> Result<Quantity>, id = "quantity_sub")?;
    cel::add_member_overload!(env, fn sub_int: (Quantity, CelInt) -> Result<Quantity>, name = "sub",
        id = "quantity_sub_int")?;
    Ok(())
}

/// The parts of a quantity string: sign, integer digits, fraction digits, suffix.
struct Parts<'a> {
    negative: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn digits_end(s: &str, from: usize) -> usize {
    s[from..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(s.len(), |i| from + i)
}

/// apimachinery's `parseQuantityString`.
fn split(s: &str) -> Result<Parts<'_>, &'static str> {
    let negative = s.starts_with('-');
    let mut pos = usize::from(s.starts_with(['-', '+']));
    pos += s[pos..].len() - s[pos..].trim_start_matches('0').len();
    let num_end = digits_end(s, pos);
    let num = &s[pos..num_end];
    pos = num_end;
    let mut denom = "";
    if s[pos..].starts_with('.') {
        let end = digits_end(s, pos + 1);
        denom = &s[pos + 1..end];
        pos = end;
    }
    let suffix_start = pos;
    pos += s[pos..].len()
        - s[pos..]
            .trim_start_matches(|c| "eEinumkKMGTP".contains(c))
            .len();
    if s[pos..].starts_with(['-', '+']) {
        pos += 1;
    }
    if digits_end(s, pos) != s.len() {
        return Err(FORMAT_WRONG);
    }
    Ok(Parts {
        negative,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// The suffix as (base, exponent).
fn suffix(s: &str) -> Option<(u32, i32)> {
    let decimal = [("", 0), ("n", -9), ("u", -6), ("m", -3), ("k", 3), ("M", 6)];
    let large = [("G", 9), ("T", 12), ("P", 15), ("E", 18)];
    let binary = [
        ("Ki", 10),
        ("Mi", 20),
        ("Gi", 30),
        ("Ti", 40),
        ("Pi", 50),
        ("Ei", 60),
    ];
    if let Some((_, e)) = decimal.iter().chain(large.iter()).find(|(k, _)| *k == s) {
        return Some((10, *e));
    }
    if let Some((_, e)) = binary.iter().find(|(k, _)| *k == s) {
        return Some((2, *e));
    }
    let exp = s.strip_prefix(['e', 'E'])?;
    exp.parse::<i32>().ok().map(|e| (10, e))
}

fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// `resource.ParseQuantity`, in nano-units.
pub fn parse(s: &str) -> Result<Quantity, &'static str> {
    if s.is_empty() {
        return Err(FORMAT_WRONG);
    }
    let p = split(s)?;
    let (base, exp) = suffix(p.suffix).ok_or(SUFFIX)?;
    let digits = format!("{}{}", p.num, p.denom);
    let digits = digits.trim_start_matches('0');
    let mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| NUMERIC)?
    };
    let denom = i32::try_from(p.denom.len()).map_err(|_| NUMERIC)?;
    let (mantissa, shift) = if base == 2 {
        let factor = 1i128.checked_shl(exp as u32).ok_or(NUMERIC)?;
        (mantissa.checked_mul(factor).ok_or(NUMERIC)?, 9 - denom)
    } else {
        (mantissa, exp + 9 - denom)
    };
    let nanos = if shift >= 0 {
        let f = pow10(shift as u32).ok_or(NUMERIC)?;
        mantissa.checked_mul(f).ok_or(NUMERIC)?
    } else {
        // Finer than a nano: rounded up, so a tiny non-zero request is never zero.
        match pow10(shift.unsigned_abs()) {
            Some(f) => (mantissa + f - 1) / f,
            None => i128::from(mantissa > 0),
        }
    };
    Ok(Quantity(if p.negative { -nanos } else { nanos }))
}

fn quantity(s: &CelString<'_>) -> Result<Quantity, ExecutionError> {
    parse(s.inner()).map_err(|e| fail("quantity", e))
}

fn is_quantity(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse(s.inner()).is_ok())
}

fn sign(q: &Quantity) -> CelInt {
    CelInt::from(q.0.signum() as i64)
}

fn is_greater_than(a: &Quantity, b: &Quantity) -> CelBool {
    CelBool::from(a > b)
}

fn is_less_than(a: &Quantity, b: &Quantity) -> CelBool {
    CelBool::from(a < b)
}

fn compare_to(a: &Quantity, b: &Quantity) -> CelInt {
    CelInt::from(a.cmp(b) as i64)
}

fn as_approximate_float(q: &Quantity) -> CelDouble {
    CelDouble::from(q.0 as f64 / NANO as f64)
}

fn integer(q: &Quantity) -> Option<i64> {
    (q.0 % NANO == 0).then(|| i64::try_from(q.0 / NANO).ok())?
}

fn as_integer(q: &Quantity) -> Result<CelInt, ExecutionError> {
    integer(q)
        .map(CelInt::from)
        .ok_or_else(|| fail("asInteger", "cannot convert value to integer"))
}

fn is_integer(q: &Quantity) -> CelBool {
    CelBool::from(integer(q).is_some())
}

fn sum(function: &str, a: i128, b: Option<i128>) -> Result<Quantity, ExecutionError> {
    b.and_then(|b| a.checked_add(b))
        .map(Quantity)
        .ok_or_else(|| fail(function, "quantity overflow"))
}

fn add(a: &Quantity, b: &Quantity) -> Result<Quantity, ExecutionError> {
    sum("add", a.0, Some(b.0))
}

fn add_int(a: &Quantity, b: &CelInt) -> Result<Quantity, ExecutionError> {
    sum("add", a.0, i128::from(*b.inner()).checked_mul(NANO))
}

fn sub(a: &Quantity, b: &Quantity) -> Result<Quantity, ExecutionError> {
    sum("sub", a.0, b.0.checked_neg())
}

fn sub_int(a: &Quantity, b: &CelInt) -> Result<Quantity, ExecutionError> {
    sum("sub", a.0, i128::from(*b.inner()).checked_mul(-NANO))
}
