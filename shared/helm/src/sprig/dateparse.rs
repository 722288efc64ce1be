//! Parsing with Go layout strings (`time.ParseInLocation` with the local zone), for Sprig's
//! toDate and mustToDate, and Go's `time.ParseDuration` for dateModify.

use chrono::NaiveDate;

use super::dates::{DAYS, MONTHS, Time};

#[derive(Default)]
struct Parts {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
    nanos: u32,
    pm: Option<bool>,
    offset: Option<i32>,
}

/// Takes between `min` and `max` leading digits of `v`.
fn digits(v: &str, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = v.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n < min {
        return None;
    }
    v[..n].parse().ok().map(|x| (x, n))
}

fn name(v: &str, names: &[&str], short: bool) -> Option<(u32, usize)> {
    names.iter().enumerate().find_map(|(i, n)| {
        let n = if short { &n[..3] } else { n };
        let head = v.get(..n.len())?;
        head.eq_ignore_ascii_case(n).then_some((i as u32, n.len()))
    })
}

fn offset(v: &str, token: &str) -> Option<(i32, usize)> {
    if token.starts_with('Z') && v.starts_with('Z') {
        return Some((0, 1));
    }
    let sign = match v.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = token.trim_start_matches(['Z', '-']);
    let mut used = 1;
    let mut total = 0i32;
    for (i, part) in body.split(':').enumerate() {
        if i > 0 {
            v[used..].starts_with(':').then_some(())?;
            used += 1;
        }
        for chunk in part.as_bytes().chunks(2) {
            let (x, n) = digits(&v[used..], chunk.len(), chunk.len())?;
            used += n;
            total = total * 60 + x as i32;
        }
    }
    let pairs = body.replace(':', "").len() / 2;
    let secs = total * 60i32.pow(3u32.saturating_sub(pairs as u32));
    Some((sign * secs, used))
}

const TOKENS: [&str; 32] = [
    "January",
    "Jan",
    "Monday",
    "Mon",
    "MST",
    "2006",
    "002",
    "_2",
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "15",
    "1",
    "2",
    "3",
    "4",
    "5",
    "PM",
    "pm",
    "-07:00:00",
    "-070000",
    "-07:00",
    "-0700",
    "-07",
    "Z07:00:00",
    "Z070000",
    "Z07:00",
    "Z0700",
    "Z07",
];

/// Parses one layout element of `value`; returns the bytes of value consumed.
fn element(tok: &str, value: &str, p: &mut Parts) -> Option<usize> {
    let num = |min, max| digits(value, min, max);
    let (v, n) = match tok {
        "January" => name(value, &MONTHS, false).map(|(m, n)| (m + 1, n))?,
        "Jan" => name(value, &MONTHS, true).map(|(m, n)| (m + 1, n))?,
        "Monday" => return name(value, &DAYS, false).map(|(_, n)| n),
        "Mon" => return name(value, &DAYS, true).map(|(_, n)| n),
        "MST" => {
            let n = value.bytes().take_while(u8::is_ascii_uppercase).count();
            return (3..=5).contains(&n).then_some(n);
        }
        "PM" | "pm" => {
            let head = value.get(..2)?.to_ascii_uppercase();
            p.pm = Some(match head.as_str() {
                "PM" => true,
                "AM" => false,
                _ => return None,
            });
            return Some(2);
        }
        "_2" => {
            let skip = usize::from(value.starts_with(' '));
            let (d, n) = digits(&value[skip..], 1, 2)?;
            p.day = d;
            return Some(skip + n);
        }
        t if t.starts_with('-') || t.starts_with('Z') => {
            let (off, n) = offset(value, t)?;
            p.offset = Some(off);
            return Some(n);
        }
        "2006" => num(4, 4)?,
        "002" => num(3, 3)?,
        t if t.len() == 2 => num(2, 2)?,
        _ => num(1, 2)?,
    };
    match tok {
        "2006" => p.year = v as i32,
        "06" => p.year = v as i32 + if v >= 69 { 1900 } else { 2000 },
        "January" | "Jan" | "01" | "1" => p.month = v,
        "02" | "2" => p.day = v,
        "15" | "03" | "3" => p.hour = v,
        "04" | "4" => p.min = v,
        "05" | "5" => p.sec = v,
        _ => {}
    }
    Some(n)
}

/// A fractional second (`.000`, `.999` in the layout, or after seconds in the value).
fn fraction(value: &str, p: &mut Parts) -> usize {
    if !(value.starts_with('.') || value.starts_with(',')) {
        return 0;
    }
    let n = value[1..].bytes().take_while(u8::is_ascii_digit).count();
    let frac = format!("{:0<9}", &value[1..1 + n.min(9)]);
    p.nanos = frac.parse().unwrap_or(0);
    1 + n
}

/// Go's `time.ParseInLocation(layout, value, time.Local)`.
pub(crate) fn parse(layout: &str, value: &str) -> Result<Time, String> {
    let fail = |rest_v: &str, elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            crate::template::quote(value),
            crate::template::quote(layout),
            crate::template::quote(rest_v),
            crate::template::quote(elem)
        )
    };
    let mut p = Parts {
        month: 1,
        day: 1,
        ..Parts::default()
    };
    let (mut l, mut v) = (layout, value);
    while !l.is_empty() {
        if let Some(n) = frac_token(l) {
            v = &v[fraction(v, &mut p)..];
            l = &l[n..];
            continue;
        }
        if let Some(tok) = TOKENS.iter().find(|t| l.starts_with(*t)) {
            let n = element(tok, v, &mut p).ok_or_else(|| fail(v, tok))?;
            v = &v[n..];
            l = &l[tok.len()..];
            if matches!(*tok, "05" | "5") {
                v = &v[fraction(v, &mut p)..];
            }
            continue;
        }
        let c = l.chars().next().unwrap_or(' ');
        if !v.starts_with(c) {
            return Err(fail(v, l));
        }
        l = &l[c.len_utf8()..];
        v = &v[c.len_utf8()..];
    }
    if !v.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            crate::template::quote(value),
            crate::template::quote(v)
        ));
    }
    build(&p).ok_or_else(|| {
        format!(
            "parsing time {}: day out of range",
            crate::template::quote(value)
        )
    })
}

fn frac_token(l: &str) -> Option<usize> {
    let b = l.as_bytes();
    if b.len() < 2 || !(b[0] == b'.' || b[0] == b',') || !(b[1] == b'0' || b[1] == b'9') {
        return None;
    }
    let n = b[1..].iter().take_while(|&&c| c == b[1]).count();
    (!b.get(1 + n).is_some_and(u8::is_ascii_digit)).then_some(1 + n)
}

fn build(p: &Parts) -> Option<Time> {
    let hour = match p.pm {
        Some(true) if p.hour < 12 => p.hour + 12,
        Some(false) if p.hour == 12 => 0,
        _ => p.hour,
    };
    let dt = NaiveDate::from_ymd_opt(p.year, p.month, p.day)?.and_hms_opt(hour, p.min, p.sec)?;
    let local = dt.and_utc().timestamp();
    Some(match p.offset {
        Some(off) => Time::fixed(local - i64::from(off), p.nanos, off),
        None => Time::local_wall(local, p.nanos),
    })
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub(crate) fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration {}", crate::template::quote(s));
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        let num: f64 = rest[..n].parse().map_err(|_| bad())?;
        rest = &rest[n..];
        let u = rest
            .bytes()
            .take_while(|c| !(c.is_ascii_digit() || *c == b'.'))
            .count();
        let unit = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => {
                return Err(format!(
                    "time: missing unit in duration {}",
                    crate::template::quote(s)
                ));
            }
            other => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    crate::template::quote(other),
                    crate::template::quote(s)
                ));
            }
        };
        total += num * unit;
        rest = &rest[u..];
    }
    let v = total.round() as i64;
    Ok(if neg { -v } else { v })
}

/// Sprig's `durationRound`: the largest whole unit (y, mo, d, h, m, s) the magnitude exceeds.
pub(crate) fn duration_round(nanos: i64) -> String {
    let u = nanos.unsigned_abs();
    let hour = 3_600_000_000_000u64;
    let units = [
        (hour * 24 * 365, "y"),
        (hour * 24 * 30, "mo"),
        (hour * 24, "d"),
        (hour, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    units.iter().find(|(size, _)| u > *size).map_or_else(
        || "0s".to_string(),
        |(size, unit)| format!("{}{unit}", u / size),
    )
}
