//! BurntSushi/toml's datetimes: the seven Go layouts it tries in order, and the `time.Time`
//! each gives (an offset datetime in Go's Local or a fixed zone; local datetimes, dates
//! and times in its `datetime-local`, `date-local` and `time-local` zones).

use crate::template::strconv::quote;

/// Where a parsed datetime's wall clock is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Zone {
    /// `Z`: Go's UTC location.
    Utc,
    /// A numeric offset in seconds, as Go's `ParseInLocation(..., time.Local)` reads it.
    Offset(i32),
    /// One of BurntSushi's local zones, at the process's UTC offset.
    Local(&'static str),
}

/// A datetime: its wall clock (seconds as if UTC), nanoseconds and zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stamp {
    pub wall: i64,
    pub nanos: u32,
    pub zone: Zone,
}

/// Year, month, day.
type Ymd = (i32, u32, u32);
/// Hour, minute, second, nanosecond.
type Clock = (u32, u32, u32, u32);

/// Reads `n` digits as a number, if they are all digits.
fn num(s: &str, n: usize) -> Option<(u32, &str)> {
    let d = s.get(..n)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((d.parse().ok()?, &s[n..]))
}

/// `2006-01-02`, with Go's day-of-month check.
fn date(s: &str) -> Option<(Ymd, &str)> {
    let (y, s) = num(s, 4)?;
    let (m, s) = num(s.strip_prefix('-')?, 2)?;
    let (d, s) = num(s.strip_prefix('-')?, 2)?;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=days)
        .contains(&d)
        .then_some(((i32::try_from(y).ok()?, m, d), s))
}

/// `15:04` or `15:04:05` with any fraction (Go keeps nine digits and drops the rest).
fn time(s: &str, seconds: bool) -> Option<(Clock, &str)> {
    let (h, s) = num(s, 2)?;
    let (m, mut s) = num(s.strip_prefix(':')?, 2)?;
    if h > 23 || m > 59 {
        return None;
    }
    let (mut sec, mut nanos) = (0, 0);
    if seconds {
        let (n, rest) = num(s.strip_prefix(':')?, 2)?;
        if n > 59 {
            return None;
        }
        (sec, s) = (n, rest);
        if let Some(frac) = s.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0 {
                let digits = &frac[..n.min(9)];
                let scale = 10u32.pow(9 - u32::try_from(digits.len()).ok()?);
                nanos = digits.parse::<u32>().ok()? * scale;
                s = &frac[n..];
            }
        }
    }
    Some(((h, m, sec, nanos), s))
}

/// `Z07:00`: `Z`, or a signed `hh:mm` with Go's range limits.
fn zone(s: &str) -> Option<(Zone, &str)> {
    if let Some(r) = s.strip_prefix('Z') {
        return Some((Zone::Utc, r));
    }
    let neg = s.starts_with('-');
    let rest = s.strip_prefix(['+', '-'])?;
    let (h, rest) = num(rest, 2)?;
    let (m, rest) = num(rest.strip_prefix(':')?, 2)?;
    if h > 24 || m > 60 {
        return None;
    }
    let off = i32::try_from(h * 3600 + m * 60).ok()?;
    Some((Zone::Offset(if neg { -off } else { off }), rest))
}

fn wall((y, mo, d): Ymd, (h, mi, s, nanos): Clock, zone: Zone) -> Option<Stamp> {
    let naive = chrono::NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_opt(h, mi, s)?;
    Some(Stamp {
        wall: naive.and_utc().timestamp(),
        nanos,
        zone,
    })
}

/// A date, `T` and a time; then a zone when `tz`, else the local-datetime zone.
fn full(s: &str, secs: bool, tz: bool) -> Option<Stamp> {
    let (d, rest) = date(s)?;
    let (t, rest) = time(rest.strip_prefix('T')?, secs)?;
    if !tz {
        return rest
            .is_empty()
            .then(|| wall(d, t, Zone::Local("datetime-local")))?;
    }
    let (z, rest) = zone(rest)?;
    rest.is_empty().then(|| wall(d, t, z))?
}

/// BurntSushi's `valueDatetime`: `z`, `t` and space read as `Z`, `T` and `T`, then its
/// layouts in order; the error names the rewritten text.
pub(super) fn parse_datetime(v: &str) -> Result<Stamp, String> {
    let v: String = v
        .chars()
        .map(|c| match c {
            'z' => 'Z',
            't' | ' ' => 'T',
            c => c,
        })
        .collect();
    let only_date = || {
        let (d, rest) = date(&v)?;
        rest.is_empty()
            .then(|| wall(d, (0, 0, 0, 0), Zone::Local("date-local")))?
    };
    let only_time = |secs: bool| {
        let (t, rest) = time(&v, secs)?;
        rest.is_empty()
            .then(|| wall((0, 1, 1), t, Zone::Local("time-local")))?
    };
    full(&v, true, true)
        .or_else(|| full(&v, true, false))
        .or_else(only_date)
        .or_else(|| only_time(true))
        .or_else(|| full(&v, false, true))
        .or_else(|| full(&v, false, false))
        .or_else(|| only_time(false))
        .ok_or_else(|| format!("invalid datetime: {}", quote(&v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_read_as_go_reads_them() {
        let local = |wall, nanos, z| {
            Ok(Stamp {
                wall,
                nanos,
                zone: Zone::Local(z),
            })
        };
        let cases = [
            (
                "1979-05-27T07:32:00Z",
                Ok(Stamp {
                    wall: 296638320,
                    nanos: 0,
                    zone: Zone::Utc,
                }),
            ),
            (
                "1979-05-27 07:32:00.1234567891-07:30",
                Ok(Stamp {
                    wall: 296638320,
                    nanos: 123456789,
                    zone: Zone::Offset(-27000),
                }),
            ),
            ("1979-05-27t07:32:00", local(296638320, 0, "datetime-local")),
            ("1979-05-27", local(296611200, 0, "date-local")),
            ("07:32:00.5", local(-62167192080, 500000000, "time-local")),
            ("07:32", local(-62167192080, 0, "time-local")),
            (
                "1979-05-27T07:32z",
                Ok(Stamp {
                    wall: 296638320,
                    nanos: 0,
                    zone: Zone::Utc,
                }),
            ),
            (
                "1979-02-29",
                Err("invalid datetime: \"1979-02-29\"".to_string()),
            ),
            (
                "07:32:60",
                Err("invalid datetime: \"07:32:60\"".to_string()),
            ),
            (
                "1979-05-27T07:32:00+25:00",
                Err("invalid datetime: \"1979-05-27T07:32:00+25:00\"".to_string()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_datetime(text), want, "{text:?}");
        }
    }
}
