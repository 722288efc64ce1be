//! Sprig's date functions with Go layout strings: date, dateInZone (date_in_zone),
//! htmlDate, htmlDateInZone, now, unixEpoch, duration, ago, over a `time.Time` host object.
//! Zones: `UTC`, `Local` (the process's offset) and IANA names (chrono-tz's compiled-in
//! tzdata); an unknown name falls back to UTC.

use std::borrow::Cow;
use std::rc::Rc;

use chrono::{DateTime, Datelike, Local, Offset, Timelike, Utc};

use super::err;
use super::strings::s;
use crate::template::{CallContext, FuncError, FuncMap, Member, Object, Param, Signature, Value};

/// Go's `time.Time`: an instant plus the zone it is shown in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Time {
    secs: i64,
    nanos: u32,
    offset: i32,
    zone: String,
}

pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

impl Time {
    /// Go's zero `time.Time` (January 1, year 1, UTC).
    fn zero() -> Time {
        Time {
            secs: -62135596800,
            nanos: 0,
            offset: 0,
            zone: "UTC".into(),
        }
    }

    fn now(zone: &str) -> Time {
        let n = Utc::now();
        Time::at(n.timestamp(), n.timestamp_subsec_nanos(), zone)
    }

    /// The instant `secs` shown in `zone` (`UTC`, `Local`, an IANA name; an unknown name
    /// falls back to UTC, as Sprig does when `time.LoadLocation` fails).
    fn at(secs: i64, nanos: u32, zone: &str) -> Time {
        let (offset, name) = if zone == "Local" {
            let off = DateTime::from_timestamp(secs, 0).map_or(0, |d| {
                d.with_timezone(&Local).offset().fix().local_minus_utc()
            });
            (
                off,
                if off == 0 {
                    "UTC".to_string()
                } else {
                    zone_digits(off)
                },
            )
        } else {
            iana_offset(secs, zone).unwrap_or((0, "UTC".to_string()))
        };
        Time {
            secs,
            nanos,
            offset,
            zone: name,
        }
    }

    /// An instant shown at a fixed offset with no zone name (Go's `FixedZone("", off)`),
    /// or in UTC when the offset is zero and the local zone is UTC.
    pub(crate) fn fixed(secs: i64, nanos: u32, offset: i32) -> Time {
        let local = Time::at(secs, nanos, "Local");
        if local.offset == offset {
            return local;
        }
        Time {
            secs,
            nanos,
            offset,
            zone: zone_digits(offset),
        }
    }

    /// An instant shown in a zone of the given name and offset.
    pub(crate) fn named(secs: i64, nanos: u32, offset: i32, zone: &str) -> Time {
        Time {
            secs,
            nanos,
            offset,
            zone: zone.to_string(),
        }
    }

    /// The instant whose local wall clock reads `wall` (seconds as if UTC).
    pub(crate) fn local_wall(wall: i64, nanos: u32) -> Time {
        let guess = Time::at(wall, nanos, "Local");
        Time::at(wall - i64::from(guess.offset), nanos, "Local")
    }

    /// Go's `Format`.
    fn format(&self, layout: &str) -> String {
        let Some(dt) = DateTime::from_timestamp(self.secs + i64::from(self.offset), self.nanos)
        else {
            return String::new();
        };
        let d = dt.naive_utc();
        let mut out = String::new();
        let b = layout.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let rest = &layout[i..];
            let (text, used) = chunk(rest, &d, self);
            out.push_str(&text);
            i += used;
        }
        out
    }
}

fn zone_digits(off: i32) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.abs();
    format!("{sign}{:02}{:02}", a / 3600, a % 3600 / 60)
}

fn zone_offset(t: &Time, z_for_utc: bool, colon: bool, minutes: bool, seconds: bool) -> String {
    if z_for_utc && t.offset == 0 {
        return "Z".into();
    }
    let sign = if t.offset < 0 { '-' } else { '+' };
    let a = t.offset.abs();
    let mut s = format!("{sign}{:02}", a / 3600);
    let sep = if colon { ":" } else { "" };
    if minutes {
        s.push_str(&format!("{sep}{:02}", a % 3600 / 60));
    }
    if seconds {
        s.push_str(&format!("{sep}{:02}", a % 60));
    }
    s
}

/// One layout element at the start of `rest`: its rendering and its length in the layout.
fn chunk(rest: &str, d: &chrono::NaiveDateTime, t: &Time) -> (String, usize) {
    let hour12 = match d.hour() % 12 {
        0 => 12,
        h => h,
    };
    let month = d.month0() as usize;
    let day = d.weekday().num_days_from_sunday() as usize;
    type Render<'a> = Box<dyn Fn() -> String + 'a>;
    let table: Vec<(&str, Render<'_>)> = vec![
        ("January", Box::new(|| MONTHS[month].into())),
        ("Jan", Box::new(|| MONTHS[month][..3].into())),
        ("Monday", Box::new(|| DAYS[day].into())),
        ("Mon", Box::new(|| DAYS[day][..3].into())),
        ("MST", Box::new(|| t.zone.clone())),
        ("2006", Box::new(|| format!("{:04}", d.year()))),
        ("_2006", Box::new(|| format!("_{:04}", d.year()))),
        ("002", Box::new(|| format!("{:03}", d.ordinal()))),
        ("__2", Box::new(|| format!("{:>3}", d.ordinal()))),
        ("_2", Box::new(|| format!("{:>2}", d.day()))),
        ("01", Box::new(|| format!("{:02}", d.month()))),
        ("02", Box::new(|| format!("{:02}", d.day()))),
        ("03", Box::new(|| format!("{hour12:02}"))),
        ("04", Box::new(|| format!("{:02}", d.minute()))),
        ("05", Box::new(|| format!("{:02}", d.second()))),
        (
            "06",
            Box::new(|| format!("{:02}", d.year().rem_euclid(100))),
        ),
        ("15", Box::new(|| format!("{:02}", d.hour()))),
        ("1", Box::new(|| d.month().to_string())),
        ("2", Box::new(|| d.day().to_string())),
        ("3", Box::new(|| hour12.to_string())),
        ("4", Box::new(|| d.minute().to_string())),
        ("5", Box::new(|| d.second().to_string())),
        (
            "PM",
            Box::new(|| if d.hour() >= 12 { "PM" } else { "AM" }.into()),
        ),
        (
            "pm",
            Box::new(|| if d.hour() >= 12 { "pm" } else { "am" }.into()),
        ),
        (
            "-07:00:00",
            Box::new(|| zone_offset(t, false, true, true, true)),
        ),
        (
            "-070000",
            Box::new(|| zone_offset(t, false, false, true, true)),
        ),
        (
            "-07:00",
            Box::new(|| zone_offset(t, false, true, true, false)),
        ),
        (
            "-0700",
            Box::new(|| zone_offset(t, false, false, true, false)),
        ),
        (
            "-07",
            Box::new(|| zone_offset(t, false, false, false, false)),
        ),
        (
            "Z07:00:00",
            Box::new(|| zone_offset(t, true, true, true, true)),
        ),
        (
            "Z070000",
            Box::new(|| zone_offset(t, true, false, true, true)),
        ),
        (
            "Z07:00",
            Box::new(|| zone_offset(t, true, true, true, false)),
        ),
        (
            "Z0700",
            Box::new(|| zone_offset(t, true, false, true, false)),
        ),
        (
            "Z07",
            Box::new(|| zone_offset(t, true, false, false, false)),
        ),
    ];
    if let Some(frac) = fraction(rest, t.nanos) {
        return frac;
    }
    for (token, render) in &table {
        if rest.starts_with(token) && !(*token == "Jan" && rest.starts_with("January")) {
            return (render(), token.len());
        }
    }
    let c = rest.chars().next().unwrap_or(' ');
    (c.to_string(), c.len_utf8())
}

/// `.000` (fixed) or `.999` (trailing zeros trimmed) fractional seconds.
fn fraction(rest: &str, nanos: u32) -> Option<(String, usize)> {
    let b = rest.as_bytes();
    if b.len() < 2 || !(b[0] == b'.' || b[0] == b',') || !(b[1] == b'0' || b[1] == b'9') {
        return None;
    }
    let digit = b[1];
    let n = b[1..].iter().take_while(|&&c| c == digit).count();
    if b.get(1 + n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let all = format!("{nanos:09}");
    let mut digits = all[..n.min(9)].to_string();
    if digit == b'9' {
        digits = digits.trim_end_matches('0').to_string();
        if digits.is_empty() {
            return Some((String::new(), 1 + n));
        }
    }
    Some((format!("{}{digits}", b[0] as char), 1 + n))
}

/// Go's `Duration.String`.
pub(crate) fn duration_string(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let neg = if nanos < 0 { "-" } else { "" };
    let u = nanos.unsigned_abs();
    if u < 1_000_000_000 {
        let (unit, div) = match u {
            0..1_000 => ("ns", 1u64),
            1_000..1_000_000 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        return format!("{neg}{}{unit}", trim_frac(u, div));
    }
    let (h, m) = (u / 3_600_000_000_000, u / 60_000_000_000 % 60);
    let secs = trim_frac(u % 60_000_000_000, 1_000_000_000);
    match (h, m) {
        (0, 0) => format!("{neg}{secs}s"),
        (0, _) => format!("{neg}{m}m{secs}s"),
        _ => format!("{neg}{h}h{m}m{secs}s"),
    }
}

fn trim_frac(v: u64, div: u64) -> String {
    let (int, frac) = (v / div, v % div);
    if frac == 0 {
        return int.to_string();
    }
    let width = div.ilog10() as usize;
    let f = format!("{frac:0width$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

impl Object for Time {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("time.Time")
    }

    fn member(&self, name: &str) -> Option<Member> {
        matches!(name, "Unix" | "Nanosecond" | "Year" | "String")
            .then(|| Member::Method(Signature::new([])))
    }

    fn call(&self, _: &mut CallContext<'_>, name: &str, _: &[Value]) -> Result<Value, FuncError> {
        match name {
            "Unix" => Ok(Value::Int64(self.secs)),
            "Nanosecond" => Ok(Value::Int(i64::from(self.nanos))),
            "Year" => Ok(Value::Int(i64::from(
                self.format("2006").parse::<i32>().unwrap_or(0),
            ))),
            "String" => Ok(Value::from(self.print())),
            other => Err(err(format!("{other} is not a method"))),
        }
    }

    fn print(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// `time.Time.MarshalJSON`: RFC 3339 with nanoseconds.
    fn json_value(&self) -> Option<Value> {
        Some(Value::from(
            self.format("2006-01-02T15:04:05.999999999Z07:00"),
        ))
    }

    fn equals(&self, other: &dyn Object) -> bool {
        other.print() == self.print()
    }
}

/// The offset and abbreviation of IANA zone `zone` at instant `secs` (tzdata compiled in,
/// as Go falls back to its embedded copy).
fn iana_offset(secs: i64, zone: &str) -> Option<(i32, String)> {
    use chrono::offset::TimeZone;
    use chrono_tz::OffsetName;
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let utc = DateTime::from_timestamp(secs, 0)?.naive_utc();
    let off = tz.offset_from_utc_datetime(&utc);
    let seconds = off.fix().local_minus_utc();
    let name = off
        .abbreviation()
        .map_or_else(|| numeric_abbreviation(seconds), str::to_string);
    Some((seconds, name))
}

/// tzdata's `%z` abbreviation for zones without letters: `-03`, `+0545`.
fn numeric_abbreviation(off: i32) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.abs();
    match a % 3600 / 60 {
        0 => format!("{sign}{:02}", a / 3600),
        m => format!("{sign}{:02}{m:02}", a / 3600),
    }
}

/// Sprig's `dateInZone` argument rule: a time, or int/int64 Unix seconds, else now.
fn time_arg(ctx: &mut CallContext<'_>, v: &Value, zone: &str) -> Time {
    let z = zone;
    match v {
        Value::Int(i) | Value::Int64(i) => Time::at(*i, 0, z),
        Value::Object(o) if o.type_name() == "time.Time" => {
            let secs = match o.call(ctx, "Unix", &[]) {
                Ok(Value::Int64(s)) => s,
                _ => 0,
            };
            let nanos = match o.call(ctx, "Nanosecond", &[]) {
                Ok(Value::Int(n)) => u32::try_from(n).unwrap_or(0),
                _ => 0,
            };
            Time::at(secs, nanos, z)
        }
        _ => Time::now(z),
    }
}

/// Go's `time.Since(t)` in nanoseconds.
fn since_nanos(t: &Time) -> i64 {
    let now = Utc::now();
    let secs = now.timestamp().saturating_sub(t.secs);
    let nanos = i64::from(now.timestamp_subsec_nanos()) - i64::from(t.nanos);
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

pub(super) fn register(map: &mut FuncMap) {
    let date_in_zone = |ctx: &mut CallContext<'_>, a: &[Value]| {
        let t = time_arg(ctx, a.get(1).unwrap_or(&Value::Nil), s(a, 2));
        Ok(Value::from(t.format(s(a, 0))))
    };
    for name in ["dateInZone", "date_in_zone"] {
        map.add(
            name,
            Signature::new([Param::String, Param::Any, Param::String]),
            date_in_zone,
        );
    }
    map.add(
        "date",
        Signature::new([Param::String, Param::Any]),
        |ctx, a| {
            let t = time_arg(ctx, a.get(1).unwrap_or(&Value::Nil), "Local");
            Ok(Value::from(t.format(s(a, 0))))
        },
    );
    map.add("htmlDate", Signature::new([Param::Any]), |ctx, a| {
        let t = time_arg(ctx, a.first().unwrap_or(&Value::Nil), "Local");
        Ok(Value::from(t.format("2006-01-02")))
    });
    map.add(
        "htmlDateInZone",
        Signature::new([Param::Any, Param::String]),
        |ctx, a| {
            let t = time_arg(ctx, a.first().unwrap_or(&Value::Nil), s(a, 1));
            Ok(Value::from(t.format("2006-01-02")))
        },
    );
    map.add(
        "unixEpoch",
        Signature::new([Param::Object("time.Time".into())]),
        |ctx, a| {
            let t = time_arg(ctx, a.first().unwrap_or(&Value::Nil), "UTC");
            Ok(Value::from(t.secs.to_string()))
        },
    );
    map.add("now", Signature::new([]), |_, _| {
        Ok(Value::Object(Rc::new(Time::now("Local"))))
    });
    for (name, must) in [("toDate", false), ("mustToDate", true)] {
        map.add(
            name,
            Signature::new([Param::String, Param::String]),
            move |_, a| match super::dateparse::parse(s(a, 0), s(a, 1)) {
                Ok(t) => Ok(Value::Object(Rc::new(t))),
                Err(e) if must => Err(err(e)),
                Err(_) => Ok(Value::Object(Rc::new(Time::zero()))),
            },
        );
    }
    for (name, must) in [
        ("dateModify", false),
        ("date_modify", false),
        ("mustDateModify", true),
        ("must_date_modify", true),
    ] {
        let sig = Signature::new([Param::String, Param::Object("time.Time".into())]);
        map.add(name, sig, move |ctx, a| {
            let t = time_arg(ctx, a.get(1).unwrap_or(&Value::Nil), "Local");
            let shifted = super::dateparse::parse_duration(s(a, 0)).map(|d| {
                let total =
                    i128::from(t.secs) * 1_000_000_000 + i128::from(t.nanos) + i128::from(d);
                let secs = total.div_euclid(1_000_000_000) as i64;
                let nanos = total.rem_euclid(1_000_000_000) as u32;
                Time {
                    secs,
                    nanos,
                    ..t.clone()
                }
            });
            match shifted {
                Ok(t) => Ok(Value::Object(Rc::new(t))),
                Err(e) if must => Err(err(e)),
                Err(_) => Ok(Value::Object(Rc::new(t))),
            }
        });
    }
    map.add("durationRound", Signature::new([Param::Any]), |ctx, a| {
        let nanos = match a.first() {
            Some(Value::String(x)) => super::dateparse::parse_duration(x).unwrap_or(0),
            Some(Value::Int64(i)) => *i,
            Some(v @ Value::Object(_)) => since_nanos(&time_arg(ctx, v, "UTC")),
            _ => 0,
        };
        Ok(Value::from(super::dateparse::duration_round(nanos)))
    });
    map.add("ago", Signature::new([Param::Any]), |ctx, a| {
        let t = time_arg(ctx, a.first().unwrap_or(&Value::Nil), "UTC");
        let nanos = since_nanos(&t);
        let rounded = (nanos + nanos.signum() * 500_000_000) / 1_000_000_000 * 1_000_000_000;
        Ok(Value::from(duration_string(rounded)))
    });
    map.add("duration", Signature::new([Param::Any]), |_, a| {
        let n = match a.first() {
            Some(Value::String(x)) => x.parse::<i64>().unwrap_or(0),
            Some(Value::Int64(i)) => *i,
            _ => 0,
        };
        Ok(Value::from(duration_string(
            n.saturating_mul(1_000_000_000),
        )))
    });
}
