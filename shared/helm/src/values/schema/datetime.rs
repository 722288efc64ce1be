//! The date and time formats of jsonschema v6: RFC 3339 `date`, `time`, `date-time`, ISO 8601
//! `duration` and `period`, with v6's reasons (and Go's time.Parse wording for dates).

use super::format::{R, atoi, rune};

pub(super) fn duration(s: &str) -> R {
    let Some(s) = s.strip_prefix('P') else {
        return Err("must start with P".into());
    };
    if s.is_empty() {
        return Err("nothing after P".into());
    }
    if let Some(w) = s.strip_suffix('W') {
        if w.is_empty() {
            return Err("no number in week".into());
        }
        if !w.chars().all(|c| c.is_ascii_digit()) {
            return Err("invalid week".into());
        }
        return Ok(());
    }
    let all = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return Err("no time elements".into());
        }
        if i >= all.len() {
            return Err("more than one T".into());
        }
        let mut units = all[i];
        let mut rest = part;
        while !rest.is_empty() {
            let n = rest.chars().take_while(char::is_ascii_digit).count();
            if n == 0 {
                return Err("missing number".into());
            }
            rest = &rest[n..];
            let Some(unit) = rest.chars().next() else {
                return Err("missing unit".into());
            };
            match units.find(unit) {
                Some(j) => units = &units[j + 1..],
                None if all[i].contains(unit) => {
                    return Err(format!("unit {} out of order", rune(unit)));
                }
                None => return Err(format!("invalid unit {}", rune(unit))),
            }
            rest = &rest[unit.len_utf8()..];
        }
    }
    Ok(())
}

pub(super) fn period(s: &str) -> R {
    let Some((start, end)) = s.split_once('/') else {
        return Err("missing slash".into());
    };
    if start.starts_with('P') {
        duration(start).map_err(|e| format!("invalid start duration: {e}"))?;
        date_time(end).map_err(|e| format!("invalid end date-time: {e}"))
    } else {
        date_time(start).map_err(|e| format!("invalid start date-time: {e}"))?;
        if end.starts_with('P') {
            duration(end).map_err(|e| format!("invalid end duration: {e}"))
        } else {
            date_time(end).map_err(|e| format!("invalid end date-time: {e}"))
        }
    }
}

/// Go's time.Parse("2006-01-02", s), with its error texts.
pub(super) fn date(s: &str) -> R {
    let cannot = |rest: &str, elem: &str| {
        format!("parsing time \"{s}\" as \"2006-01-02\": cannot parse \"{rest}\" as \"{elem}\"")
    };
    let digits =
        |t: &str, n: usize| t.len() >= n && t.as_bytes()[..n].iter().all(u8::is_ascii_digit);
    if !digits(s, 4) {
        return Err(cannot(s, "2006"));
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let mut rest = &s[4..];
    let mut fields = [0i64; 2];
    for (i, elem) in ["01", "02"].iter().enumerate() {
        rest = rest.strip_prefix('-').ok_or_else(|| cannot(rest, "-"))?;
        if !digits(rest, 2) {
            return Err(cannot(rest, elem));
        }
        fields[i] = rest[..2].parse().unwrap_or(0);
        rest = &rest[2..];
        if i == 0 && !(1..=12).contains(&fields[0]) {
            return Err(format!("parsing time \"{s}\": month out of range"));
        }
    }
    if !rest.is_empty() {
        return Err(format!("parsing time \"{s}\": extra text: \"{rest}\""));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if fields[1] < 1 || fields[1] > days[(fields[0] - 1) as usize] {
        return Err(format!("parsing time \"{s}\": day out of range"));
    }
    Ok(())
}

pub(super) fn time(s: &str) -> R {
    if s.len() < 9 {
        return Err("less than 9 characters long".into());
    }
    let b = s.as_bytes();
    if b[2] != b':' || b[5] != b':' {
        return Err("missing colon in correct place".into());
    }
    let mut hms = Vec::new();
    for tok in s.get(..8).ok_or("invalid hour/min/sec")?.splitn(3, ':') {
        let n = atoi(tok).map_err(|_| "invalid hour/min/sec".to_string())?;
        if n < 0 {
            return Err("non-positive hour/min/sec".into());
        }
        hms.push(n);
    }
    let (mut h, mut m, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || m > 59 || sec > 60 {
        return Err("hour/min/sec out of range".into());
    }
    let mut rest = &s[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.chars().take_while(char::is_ascii_digit).count();
        if n == 0 {
            return Err("no digits in second fraction".into());
        }
        rest = &frac[n..];
    }
    if rest != "z" && rest != "Z" {
        if rest.len() != 6 {
            return Err("offset must be 6 characters long".into());
        }
        let sign = match rest.as_bytes()[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".into()),
        };
        let off = &rest[1..];
        if off.as_bytes()[2] != b':' {
            return Err("missing colon in offset in correct place".into());
        }
        let mut zhm = Vec::new();
        for tok in off.splitn(2, ':') {
            let n = atoi(tok).map_err(|_| "invalid hour/min in offset".to_string())?;
            if n < 0 {
                return Err("non-positive hour/min in offset".into());
            }
            zhm.push(n);
        }
        if zhm[0] > 23 || zhm[1] > 59 {
            return Err("hour/min in offset out of range".into());
        }
        let mut hm = h * 60 + m + sign * (zhm[0] * 60 + zhm[1]);
        if hm < 0 {
            hm += 24 * 60;
        }
        (h, m) = (hm / 60, hm % 60);
    }
    if sec >= 60 && (h != 23 || m != 59) {
        return Err("invalid leap second".into());
    }
    Ok(())
}

pub(super) fn date_time(s: &str) -> R {
    if s.len() < 20 {
        return Err("less than 20 characters long".into());
    }
    if !matches!(s.as_bytes()[10], b't' | b'T') {
        return Err("11th character must be t or T".into());
    }
    let (d, t) = (s.get(..10).unwrap_or(""), s.get(11..).unwrap_or(""));
    date(d).map_err(|e| format!("invalid date element: {e}"))?;
    time(t).map_err(|e| format!("invalid time element: {e}"))
}
