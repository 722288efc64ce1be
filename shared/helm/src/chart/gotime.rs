//! Go's `time.Parse(time.RFC3339, s)` as a check, with its error texts (Chart.lock's
//! `generated` is a `time.Time` that encoding/json parses this way).

use crate::template::strconv::quote;

const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

/// One step of the layout: a literal separator or a number of `width` digits (`min` of
/// them required) with its valid range.
enum Step {
    Lit(&'static str),
    Num {
        elem: &'static str,
        min: usize,
        max_value: u32,
        what: &'static str,
    },
}

const STEPS: &[Step] = &[
    Step::Num {
        elem: "2006",
        min: 4,
        max_value: 9999,
        what: "",
    },
    Step::Lit("-"),
    Step::Num {
        elem: "01",
        min: 2,
        max_value: 12,
        what: "month",
    },
    Step::Lit("-"),
    Step::Num {
        elem: "02",
        min: 2,
        max_value: 31,
        what: "day",
    },
    Step::Lit("T"),
    Step::Num {
        elem: "15",
        min: 1,
        max_value: 23,
        what: "hour",
    },
    Step::Lit(":"),
    Step::Num {
        elem: "04",
        min: 2,
        max_value: 59,
        what: "minute",
    },
    Step::Lit(":"),
    Step::Num {
        elem: "05",
        min: 2,
        max_value: 59,
        what: "second",
    },
];

fn cannot(value: &str, rest: &str, elem: &str) -> String {
    format!(
        "parsing time {} as {}: cannot parse {} as {}",
        quote(value),
        quote(LAYOUT),
        quote(rest),
        quote(elem)
    )
}

fn out_of_range(value: &str, what: &str) -> String {
    format!("parsing time {}: {what} out of range", quote(value))
}

/// Checks `value` as Go parses RFC 3339, returning Go's error text.
pub fn parse_rfc3339(value: &str) -> Result<(), String> {
    let mut rest = value;
    let mut fields = [0u32; 3];
    for (i, step) in STEPS.iter().enumerate() {
        match step {
            Step::Lit(lit) => {
                rest = rest
                    .strip_prefix(lit)
                    .ok_or_else(|| cannot(value, rest, lit))?;
            }
            Step::Num {
                elem,
                min,
                max_value,
                what,
            } => {
                let width = if *min == 1 { 2 } else { *min };
                let digits = rest
                    .bytes()
                    .take(width)
                    .take_while(u8::is_ascii_digit)
                    .count();
                if digits < *min || (*min == 2 && digits != 2) {
                    return Err(cannot(value, rest, elem));
                }
                let n: u32 = rest[..digits].parse().unwrap_or(0);
                if !what.is_empty()
                    && (n > *max_value || (n == 0 && matches!(*what, "month" | "day")))
                {
                    return Err(out_of_range(value, what));
                }
                if i < 6 {
                    fields[i / 2] = n;
                }
                rest = &rest[digits..];
            }
        }
    }
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 {
            rest = &frac[n..];
        }
    }
    rest = zone(value, rest)?;
    if !rest.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            quote(value),
            quote(rest)
        ));
    }
    let [year, month, day] = fields;
    if day > days_in(month, year) {
        return Err(out_of_range(value, "day"));
    }
    Ok(())
}

fn zone<'a>(value: &str, rest: &'a str) -> Result<&'a str, String> {
    if let Some(r) = rest.strip_prefix('Z') {
        return Ok(r);
    }
    let b = rest.as_bytes();
    let ok = b.len() >= 6
        && matches!(b[0], b'+' | b'-')
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3] == b':'
        && b[4..6].iter().all(u8::is_ascii_digit);
    if !ok {
        return Err(cannot(value, rest, "Z07:00"));
    }
    Ok(&rest[6..])
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_rfc3339;

    #[test]
    fn go_time_parse_errors() {
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00Z"), Ok(()));
        assert_eq!(parse_rfc3339("2024-02-29T10:11:12.123456789+02:00"), Ok(()));
        let cases = [
            ("notatime", r#"cannot parse "notatime" as "2006""#),
            ("2024-01-01", r#"cannot parse "" as "T""#),
            ("2024-13-01T00:00:00Z", "month out of range"),
            ("2023-02-29T00:00:00Z", "day out of range"),
            ("2024-01-01T00:00:00", r#"cannot parse "" as "Z07:00""#),
            ("2024-01-01T00:00:00Zx", r#"extra text: "x""#),
        ];
        for (input, want) in cases {
            let got = parse_rfc3339(input).unwrap_err();
            assert!(got.ends_with(want), "{input}: {got}");
        }
    }
}
