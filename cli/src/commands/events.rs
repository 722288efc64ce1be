//! `fluxion events [--for Kind/name] [-A]`: the Kubernetes events of Flux objects, oldest
//! first, with flux's columns (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE).

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ListParams};

use crate::args::{EventsArgs, GlobalArgs};
use crate::error::CliError;
use crate::kinds::FluxKind;
use crate::{kube as kubeclient, table};

pub async fn run(global: &GlobalArgs, args: &EventsArgs) -> Result<(), CliError> {
    let filter = args.for_.as_deref().map(parse_for).transpose()?;
    let client = kubeclient::client(global).await?;
    let api: Api<Event> = if args.all_namespaces {
        Api::all(client)
    } else {
        Api::namespaced(client, &global.namespace)
    };
    let mut events: Vec<Event> = api
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .filter(|e| matches(e, filter.as_ref()))
        .collect();
    events.sort_by_key(last_seen);
    let now = chrono::Utc::now();
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| row(e, now, args.all_namespaces))
        .collect();
    let mut header = vec!["Last seen", "Type", "Reason", "Object", "Message"];
    if args.all_namespaces {
        header.insert(0, "Namespace");
    }
    crate::output::emit(&table::render(&header, &rows))?;
    Ok(())
}

/// `Kind/name` of --for.
fn parse_for(s: &str) -> Result<(String, String), CliError> {
    match s.split_once('/') {
        Some((kind, name)) if !kind.is_empty() && !name.is_empty() => {
            Ok((kind.to_string(), name.to_string()))
        }
        _ => Err(CliError::usage(format!(
            "invalid --for '{s}': expected <kind>/<name>"
        ))),
    }
}

fn matches(e: &Event, filter: Option<&(String, String)>) -> bool {
    let kind = e.involved_object.kind.as_deref().unwrap_or_default();
    let name = e.involved_object.name.as_deref().unwrap_or_default();
    match filter {
        Some((k, n)) => k.eq_ignore_ascii_case(kind) && n == name,
        None => FluxKind::ALL.iter().any(|k| k.kind() == kind),
    }
}

fn last_seen(e: &Event) -> Option<chrono::DateTime<chrono::Utc>> {
    let ts = e
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| e.event_time.as_ref().map(|t| t.0))
        .or_else(|| e.metadata.creation_timestamp.as_ref().map(|t| t.0))?;
    let nanos = u32::try_from(ts.subsec_nanosecond()).unwrap_or(0);
    chrono::DateTime::from_timestamp(ts.as_second(), nanos)
}

fn row(e: &Event, now: chrono::DateTime<chrono::Utc>, with_namespace: bool) -> Vec<String> {
    let age = last_seen(e).map_or_else(|| "<unknown>".to_string(), |t| human_duration(now - t));
    let object = format!(
        "{}/{}",
        e.involved_object.kind.as_deref().unwrap_or_default(),
        e.involved_object.name.as_deref().unwrap_or_default()
    );
    let mut row = vec![
        age,
        e.type_.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
        object,
        table::truncate_hex(e.message.as_deref().unwrap_or_default())
            .trim_end()
            .to_string(),
    ];
    if with_namespace {
        row.insert(0, e.metadata.namespace.clone().unwrap_or_default());
    }
    row
}

/// kubectl's `duration.HumanDuration`: `45s`, `2m39s`, `15m`, `5h3m`, `2d4h`, ...
pub fn human_duration(d: chrono::TimeDelta) -> String {
    let seconds = d.num_seconds();
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 120 {
        return format!("{}s", seconds.max(0));
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return match seconds % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{}d", hours / 24),
            h => format!("{}d{h}h", hours / 24),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return match (hours / 24) % 365 {
            0 => format!("{}y", hours / 24 / 365),
            d => format!("{}y{d}d", hours / 24 / 365),
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_kubectl() {
        let cases = [
            (5, "5s"),
            (119, "119s"),
            (159, "2m39s"),
            (180, "3m"),
            (900, "15m"),
            (3 * 3600 + 180, "3h3m"),
            (10 * 3600, "10h"),
            (50 * 3600, "2d2h"),
            (30 * 86400, "30d"),
            (3 * 365 * 86400, "3y"),
        ];
        for (secs, want) in cases {
            assert_eq!(
                human_duration(chrono::TimeDelta::seconds(secs)),
                want,
                "{secs}"
            );
        }
    }

    #[test]
    fn for_flag() {
        assert_eq!(
            parse_for("Kustomization/apps").expect("ok"),
            ("Kustomization".into(), "apps".into())
        );
        assert!(parse_for("apps").is_err());
    }
}
