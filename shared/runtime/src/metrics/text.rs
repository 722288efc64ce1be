//! Rewrites prometheus-client's OpenMetrics text into the classic Prometheus text format (0.0.4)
//! for scrapers that do not ask for OpenMetrics.
//!
//! The two differ, for what we expose, only in counter family names (OpenMetrics names the
//! family without `_total`, classic text names it as the sample), `# UNIT` lines, `unknown` for
//! `untyped`, and the `# EOF` trailer.

use std::collections::HashSet;

/// The content type of the classic text format.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";
/// The content type of OpenMetrics text.
pub const OPENMETRICS_TEXT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Whether an Accept header asks for OpenMetrics.
pub fn wants_openmetrics(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| {
        a.split(',')
            .any(|part| part.trim().starts_with("application/openmetrics-text"))
    })
}

/// Converts an OpenMetrics exposition to the classic text format.
pub fn openmetrics_to_prometheus(openmetrics: &str) -> String {
    let counters: HashSet<&str> = openmetrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.split_once(' '))
        .filter(|(_, kind)| *kind == "counter")
        .map(|(name, _)| name)
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap_or((rest, "untyped"));
            let kind = if kind == "unknown" { "untyped" } else { kind };
            out.push_str(&format!("# TYPE {} {kind}\n", family_name(&counters, name)));
        } else if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').unwrap_or((rest, ""));
            out.push_str(&format!("# HELP {} {help}\n", family_name(&counters, name)));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn family_name(counters: &HashSet<&str>, name: &str) -> String {
    match counters.contains(name) {
        true => format!("{name}_total"),
        false => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_counter_families_and_drops_openmetrics_only_lines() {
        let om = "# HELP c Total.\n# TYPE c counter\nc_total{a=\"b\"} 3\n\
                  # HELP d_seconds Secs.\n# TYPE d_seconds gauge\n# UNIT d_seconds seconds\nd_seconds 1.5\n\
                  # HELP u Unknown.\n# TYPE u unknown\nu 1\n# EOF\n";
        let want = "# HELP c Total.\n# TYPE c_total counter\nc_total{a=\"b\"} 3\n\
                    # HELP d_seconds Secs.\n# TYPE d_seconds gauge\nd_seconds 1.5\n\
                    # HELP u Unknown.\n# TYPE u untyped\nu 1\n";
        // "# HELP c" is renamed too: it belongs to the counter family c.
        let want = want.replace("# HELP c Total.", "# HELP c_total Total.");
        assert_eq!(openmetrics_to_prometheus(om), want);
    }

    #[test]
    fn negotiates_on_accept() {
        let prometheus_default =
            "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4";
        assert!(wants_openmetrics(Some(prometheus_default)));
        assert!(!wants_openmetrics(Some("text/plain")));
        assert!(!wants_openmetrics(Some("*/*")));
        assert!(!wants_openmetrics(None));
    }
}
