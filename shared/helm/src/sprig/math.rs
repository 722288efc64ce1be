//! Sprig's integer and float math: add, add1, sub, div, mod, mul, max, min (int64 results,
//! operands through cast.ToInt64), floor, ceil, round, addf, add1f, subf, divf, mulf, maxf,
//! minf (float64), and the sequences seq, until, untilStep, plus randInt.

use rand::Rng;

use super::strings::n;
use super::{err, to_float64, to_int64};
use crate::template::{ElemType, FuncError, FuncMap, List, Param, Signature, Value};

fn int_op(map: &mut FuncMap, name: &str, op: fn(i64, i64) -> Result<i64, FuncError>) {
    map.add(
        name,
        Signature::new([Param::Any, Param::Any]),
        move |_, a| {
            let x = to_int64(a.first().unwrap_or(&Value::Nil));
            let y = to_int64(a.get(1).unwrap_or(&Value::Nil));
            Ok(Value::Int64(op(x, y)?))
        },
    );
}

/// The float64 argument list of a variadic float function.
fn floats(a: &[Value]) -> Vec<f64> {
    a.iter().map(to_float64).collect()
}

/// shopspring/decimal's exact arithmetic on the shortest decimal forms of two floats, back
/// to the nearest float64 (what Sprig's addf/subf/mulf/divf compute).
fn decimal_op(x: f64, y: f64, op: char) -> f64 {
    let (mx, ex) = to_decimal(x);
    let (my, ey) = to_decimal(y);
    let exact = match op {
        '+' | '-' => {
            let e = ex.min(ey);
            let (ax, ay) = (scale(mx, ex - e), scale(my, ey - e));
            match (ax, ay) {
                (Some(ax), Some(ay)) => {
                    let m = if op == '+' {
                        ax.checked_add(ay)
                    } else {
                        ax.checked_sub(ay)
                    };
                    m.map(|m| format!("{m}e{e}"))
                }
                _ => None,
            }
        }
        '*' => mx.checked_mul(my).map(|m| format!("{m}e{}", ex + ey)),
        _ => None,
    };
    match exact.and_then(|t| t.parse::<f64>().ok()) {
        Some(v) => v,
        None => match op {
            '+' => x + y,
            '-' => x - y,
            '*' => x * y,
            _ => divide_16(x, y),
        },
    }
}

/// decimal's `Div`: the exact quotient rounded half away from zero to 16 places.
fn divide_16(x: f64, y: f64) -> f64 {
    let ((mx, ex), (my, ey)) = (to_decimal(x), to_decimal(y));
    let k = ex - ey + 16;
    let (num, den) = if k >= 0 {
        (scale(mx, k), Some(my))
    } else {
        (Some(mx), scale(my, -k))
    };
    match (num, den) {
        (Some(num), Some(den)) if den != 0 => {
            let (q, r) = (num / den, num % den);
            let q = if 2 * r.abs() >= den.abs() {
                q + num.signum() * den.signum()
            } else {
                q
            };
            format!("{q}e-16").parse().unwrap_or(x / y)
        }
        _ => x / y,
    }
}

fn scale(m: i128, by: i32) -> Option<i128> {
    10i128
        .checked_pow(u32::try_from(by).ok()?)
        .and_then(|p| m.checked_mul(p))
}

/// The shortest decimal digits of `f` as mantissa and exponent.
fn to_decimal(f: f64) -> (i128, i32) {
    let text = format!("{f:e}");
    let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits: i128 = format!("{int}{frac}").parse().unwrap_or(0);
    (digits, exp - frac.len() as i32)
}

fn float_fold(map: &mut FuncMap, name: &str, op: char) {
    map.add(
        name,
        Signature::new([Param::Any]).variadic(Param::Any),
        move |_, a| {
            let fs = floats(a);
            let first = fs.first().copied().unwrap_or(0.0);
            Ok(Value::Float(
                fs[1..].iter().fold(first, |acc, &y| decimal_op(acc, y, op)),
            ))
        },
    );
}

fn register_int(map: &mut FuncMap) {
    int_op(map, "sub", |x, y| Ok(x.wrapping_sub(y)));
    int_op(map, "div", |x, y| {
        if y == 0 {
            return Err(err("runtime error: integer divide by zero"));
        }
        Ok(x.wrapping_div(y))
    });
    int_op(map, "mod", |x, y| {
        if y == 0 {
            return Err(err("runtime error: integer divide by zero"));
        }
        Ok(x.wrapping_rem(y))
    });
    map.add("add1", Signature::new([Param::Any]), |_, a| {
        Ok(Value::Int64(
            to_int64(a.first().unwrap_or(&Value::Nil)).wrapping_add(1),
        ))
    });
    map.add("add", Signature::new([]).variadic(Param::Any), |_, a| {
        Ok(Value::Int64(
            a.iter().map(to_int64).fold(0, i64::wrapping_add),
        ))
    });
    map.add(
        "mul",
        Signature::new([Param::Any]).variadic(Param::Any),
        |_, a| {
            Ok(Value::Int64(
                a.iter().map(to_int64).fold(1, i64::wrapping_mul),
            ))
        },
    );
    for (name, pick) in [("max", true), ("biggest", true), ("min", false)] {
        map.add(
            name,
            Signature::new([Param::Any]).variadic(Param::Any),
            move |_, a| {
                let it = a.iter().map(to_int64);
                let r = if pick { it.max() } else { it.min() };
                Ok(Value::Int64(r.unwrap_or(0)))
            },
        );
    }
    map.add(
        "randInt",
        Signature::new([Param::Int, Param::Int]),
        |_, a| {
            let (lo, hi) = (n(a, 0), n(a, 1));
            if hi <= lo {
                return Err(err("invalid argument to Intn"));
            }
            Ok(Value::Int(rand::rng().random_range(lo..hi)))
        },
    );
}

/// Go's `math.Max`/`math.Min` fold (NaN wins).
fn fold_minmax(fs: &[f64], max: bool) -> f64 {
    let first = fs.first().copied().unwrap_or(0.0);
    fs[1..].iter().fold(first, |acc, &y| {
        if acc.is_nan() || y.is_nan() {
            f64::NAN
        } else if max {
            acc.max(y)
        } else {
            acc.min(y)
        }
    })
}

fn register_float(map: &mut FuncMap) {
    float_fold(map, "addf", '+');
    float_fold(map, "subf", '-');
    float_fold(map, "mulf", '*');
    float_fold(map, "divf", '/');
    map.add("add1f", Signature::new([Param::Any]), |_, a| {
        let x = to_float64(a.first().unwrap_or(&Value::Nil));
        Ok(Value::Float(decimal_op(x, 1.0, '+')))
    });
    for (name, max) in [("maxf", true), ("minf", false)] {
        map.add(
            name,
            Signature::new([Param::Any]).variadic(Param::Any),
            move |_, a| Ok(Value::Float(fold_minmax(&floats(a), max))),
        );
    }
    map.add("floor", Signature::new([Param::Any]), |_, a| {
        Ok(Value::Float(
            to_float64(a.first().unwrap_or(&Value::Nil)).floor(),
        ))
    });
    map.add("ceil", Signature::new([Param::Any]), |_, a| {
        Ok(Value::Float(
            to_float64(a.first().unwrap_or(&Value::Nil)).ceil(),
        ))
    });
    map.add(
        "round",
        Signature::new([Param::Any, Param::Int]).variadic(Param::Float64),
        |_, a| {
            let val = to_float64(a.first().unwrap_or(&Value::Nil));
            let on = match a.get(2) {
                Some(Value::Float(f)) => *f,
                _ => 0.5,
            };
            let pow = 10f64.powf(n(a, 1) as f64);
            let digit = pow * val;
            let frac = digit - digit.trunc();
            let r = if frac >= on {
                digit.ceil()
            } else {
                digit.floor()
            };
            Ok(Value::Float(r / pow))
        },
    );
}

/// Sprig's `untilStep`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Value, FuncError> {
    let (span, step_len) = (i128::from(stop) - i128::from(start), i128::from(step));
    let count = if step == 0 || (span > 0) != (step_len > 0) || span == 0 {
        0
    } else {
        (span.abs() + step_len.abs() - 1) / step_len.abs()
    };
    crate::template::limits::check_list(count as u128)?;
    let v: Vec<Value> = (0..count)
        .map(|k| Value::Int((i128::from(start) + k * step_len) as i64))
        .collect();
    Ok(Value::List(List::typed(ElemType::Int, v)))
}

/// Sprig's `seq` (as the Unix command): "1 2 3".
fn seq(params: &[i64]) -> Result<String, FuncError> {
    let (start, end, step) = match *params {
        [end] => (1, end, if end < 1 { -1 } else { 1 }),
        [start, end] => (start, end, if end < start { -1 } else { 1 }),
        [start, step, end] => {
            if end < start && step > 0 {
                return Ok(String::new());
            }
            (start, end, step)
        }
        _ => return Ok(String::new()),
    };
    let inc = if end < start { -1 } else { 1 };
    let Value::List(l) = until_step(start, end.saturating_add(inc), step)? else {
        return Ok(String::new());
    };
    let parts: Vec<String> = l.snapshot().iter().map(|v| v.to_string()).collect();
    Ok(parts.join(" "))
}

pub(super) fn register(map: &mut FuncMap) {
    register_int(map);
    register_float(map);
    map.add("until", Signature::new([Param::Int]), |_, a| {
        let c = n(a, 0);
        until_step(0, c, if c < 0 { -1 } else { 1 })
    });
    map.add(
        "untilStep",
        Signature::new([Param::Int, Param::Int, Param::Int]),
        |_, a| until_step(n(a, 0), n(a, 1), n(a, 2)),
    );
    map.add("seq", Signature::new([]).variadic(Param::Int), |_, a| {
        let p: Vec<i64> = (0..a.len()).map(|i| n(a, i)).collect();
        Ok(Value::from(seq(&p)?))
    });
}
