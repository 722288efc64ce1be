//! Go `time.Duration` strings ("1m30s", "500ms") as Flux spec fields carry them: parse and format.

use std::time::Duration;

/// The OpenAPI pattern Flux puts on every `metav1.Duration` field it validates.
pub const DURATION_PATTERN: &str = r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$";

/// The pattern Flux puts on its timeout fields: a Go duration without hours.
pub const TIMEOUT_PATTERN: &str = r"^([0-9]+(\.[0-9]+)?(ms|s|m))+$";

/// A duration string that Go's `time.ParseDuration` would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {input:?}: {problem}")]
pub struct DurationError {
    pub input: String,
    pub problem: &'static str,
}

/// Parses a Go duration string: a sequence of decimal numbers with units ns, us, µs, ms, s, m, h.
/// Negative durations are refused: no Flux field accepts them.
pub fn parse_duration(input: &str) -> Result<Duration, DurationError> {
    let err = |problem| DurationError {
        input: input.to_string(),
        problem,
    };
    let mut rest = input.strip_prefix('+').unwrap_or(input);
    if rest.starts_with('-') {
        return Err(err("negative durations are not allowed"));
    }
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(err("empty duration"));
    }
    let mut total_nanos: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return Err(err("expected a number"));
        }
        let value: f64 = num.parse().map_err(|_| err("malformed number"))?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        total_nanos += value * unit_nanos(unit).ok_or_else(|| err("missing or unknown unit"))?;
        rest = next;
    }
    if total_nanos > u64::MAX as f64 {
        return Err(err("duration out of range"));
    }
    Ok(Duration::from_nanos(total_nanos.round() as u64))
}

fn unit_nanos(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1.0,
        "us" | "µs" | "μs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => return None,
    })
}

/// Formats like Go's `Duration.String()` does for whole milliseconds and more: "1h2m3s", "1.5s", "250ms", "0s".
pub fn format_duration(d: Duration) -> String {
    if d.is_zero() {
        return "0s".to_string();
    }
    if d < Duration::from_secs(1) {
        let ms = d.as_secs_f64() * 1e3;
        return format!("{}ms", trim_float(ms));
    }
    let secs = d.as_secs();
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    let s = (secs % 60) as f64 + f64::from(d.subsec_nanos()) / 1e9;
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&format!("{}s", trim_float(s)));
    out
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        let cases = [
            ("0", 0),
            ("0s", 0),
            ("1s", 1_000),
            ("1m", 60_000),
            ("1h", 3_600_000),
            ("1m30s", 90_000),
            ("1.5s", 1_500),
            ("500ms", 500),
            ("2h45m", 9_900_000),
            ("+5s", 5_000),
            ("1h0m0s", 3_600_000),
        ];
        for (input, millis) in cases {
            assert_eq!(
                parse_duration(input),
                Ok(Duration::from_millis(millis)),
                "{input}"
            );
        }
        assert_eq!(parse_duration("10us"), Ok(Duration::from_micros(10)));
        assert_eq!(parse_duration("7ns"), Ok(Duration::from_nanos(7)));
    }

    #[test]
    fn refuses_bad_durations() {
        for input in ["", "1", "s", "1x", "-1s", "1.s.", "..5s", "5 s"] {
            assert!(parse_duration(input).is_err(), "{input} should fail");
        }
        let e = parse_duration("10y").unwrap_err();
        assert!(e.to_string().contains("\"10y\""));
    }

    #[test]
    fn formats_like_go() {
        let cases = [
            (0, "0s"),
            (250, "250ms"),
            (1_500, "1.5s"),
            (60_000, "1m0s"),
            (3_600_000, "1h0m0s"),
            (3_723_000, "1h2m3s"),
        ];
        for (millis, want) in cases {
            assert_eq!(format_duration(Duration::from_millis(millis)), want);
        }
    }

    #[test]
    fn round_trips() {
        for s in ["1h2m3s", "1.5s", "250ms", "10m0s"] {
            let d = parse_duration(s).expect("parse");
            assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }
    }
}
