//! Syntax check of label selector strings (`--watch-label-selector`) as
//! `metav1.ParseToLabelSelector` accepts them: `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
//! `k notin (a,b)`, joined by commas.

/// Why a label selector was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid label selector {input:?}: {problem}")]
pub struct SelectorError {
    pub input: String,
    pub problem: String,
}

/// Checks a label selector; the empty string selects everything and is valid.
pub fn validate_label_selector(input: &str) -> Result<(), SelectorError> {
    let err = |problem: String| SelectorError {
        input: input.to_string(),
        problem,
    };
    if input.trim().is_empty() {
        return Ok(());
    }
    for requirement in split_requirements(input).map_err(|p| err(p.to_string()))? {
        validate_requirement(requirement.trim()).map_err(err)?;
    }
    Ok(())
}

/// Splits at commas outside parentheses.
fn split_requirements(input: &str) -> Result<Vec<&str>, &'static str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0usize);
    for (i, c) in input.char_indices() {
        match c {
            '(' if depth == 0 => depth = 1,
            '(' => return Err("nested parentheses"),
            ')' if depth == 1 => depth = 0,
            ')' => return Err("unbalanced parentheses"),
            ',' if depth == 0 => {
                parts.push(&input[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unbalanced parentheses");
    }
    parts.push(&input[start..]);
    Ok(parts)
}

fn validate_requirement(req: &str) -> Result<(), String> {
    if req.is_empty() {
        return Err("empty requirement".into());
    }
    if let Some(key) = req.strip_prefix('!') {
        return validate_key(key.trim());
    }
    let key_end = req
        .find([' ', '\t', '=', '!', '(', '<', '>'])
        .unwrap_or(req.len());
    let (key, rest) = (&req[..key_end], req[key_end..].trim_start());
    validate_key(key)?;
    if rest.is_empty() {
        return Ok(());
    }
    for op in ["==", "!=", "="] {
        if let Some(value) = rest.strip_prefix(op) {
            return validate_value(value.trim());
        }
    }
    if rest.starts_with('<') || rest.starts_with('>') {
        return Err(format!(
            "operator in {req:?} is not a valid label selector operator"
        ));
    }
    let set = rest
        .strip_prefix("notin")
        .or_else(|| rest.strip_prefix("in"))
        .map(str::trim_start)
        .and_then(|s| s.strip_prefix('('))
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("expected '=', '!=', 'in (...)' or 'notin (...)' in {req:?}"))?;
    if set.trim().is_empty() {
        return Err(format!("set of values in {req:?} must not be empty"));
    }
    set.split(',').try_for_each(|v| validate_value(v.trim()))
}

/// A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters.
fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if prefix.is_empty() || prefix.len() > 253 || !prefix.split('.').all(label_ok) {
            return Err(format!("key prefix {prefix:?} must be a DNS subdomain"));
        }
    }
    if name.is_empty() || !is_label_name(name) {
        return Err(format!(
            "key {key:?} must be a qualified name of at most 63 characters"
        ));
    }
    Ok(())
}

/// A label value: empty, or a name of at most 63 characters.
fn validate_value(value: &str) -> Result<(), String> {
    if value.is_empty() || is_label_name(value) {
        Ok(())
    } else {
        Err(format!(
            "value {value:?} must be at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends"
        ))
    }
}

fn is_label_name(s: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    let bytes = s.as_bytes();
    s.len() <= 63
        && bytes.first().copied().is_some_and(alnum)
        && bytes.last().copied().is_some_and(alnum)
        && bytes
            .iter()
            .all(|&b| alnum(b) || b == b'-' || b == b'_' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kubernetes_selectors() {
        for input in [
            "",
            "sharding.fluxcd.io/shard=shard1",
            "app",
            "!app",
            "app==web,tier!=db",
            "env in (prod, staging),team notin (a,b)",
            "sharding.fluxcd.io/shard notin (shard1,shard2)",
            "reconcile.fluxcd.io/watch=Enabled",
            "k=",
        ] {
            assert_eq!(validate_label_selector(input), Ok(()), "{input}");
        }
    }

    #[test]
    fn refuses_malformed_selectors() {
        for input in [
            "a=b c",
            "=b",
            "k in ()",
            "k in (a",
            "k in a",
            "k > 3",
            "Bad_Prefix/k=v",
            "-k=v",
            "k=v,",
            "k=-v",
            "k=(a)",
        ] {
            assert!(
                validate_label_selector(input).is_err(),
                "{input} should fail"
            );
        }
        let long = format!("k={}", "v".repeat(64));
        assert!(validate_label_selector(&long).is_err());
    }
}
