//! `fluxion get sources git|oci|all`, `get kustomizations`, `get all`: Flux's columns
//! (NAME, REVISION, SUSPENDED, READY, MESSAGE; NAMESPACE first with -A), optionally watched.

use futures::{StreamExt as _, TryStreamExt as _};
use kube::api::{Api, DynamicObject, ListParams, WatchEvent, WatchParams};

use crate::args::{GetArgs, GlobalArgs};
use crate::error::CliError;
use crate::kinds::{FluxKind, Target, parse_target};
use crate::{kube as kubeclient, log, table};

pub async fn run(global: &GlobalArgs, args: &GetArgs) -> Result<(), CliError> {
    let target = parse_target(&args.words)?;
    let selector = parse_selector(args.status_selector.as_deref())?;
    if args.watch && target.kinds.len() != 1 {
        return Err(CliError::usage(format!(
            "expected a single resource type, but found {}",
            args.words.join(" ")
        )));
    }
    let client = kubeclient::client(global).await?;
    for kind in &target.kinds {
        let api = list_api(&client, *kind, global, args.all_namespaces);
        let mut params = ListParams::default();
        if let Some(name) = &target.name {
            params = params.fields(&format!("metadata.name={name}"));
        }
        let items = api.list(&params).await?.items;
        let rows: Vec<Vec<String>> = items
            .iter()
            .filter(|o| {
                selector
                    .as_ref()
                    .is_none_or(|(t, s)| matches_selector(o, t, s))
            })
            .map(|o| row(*kind, o, args.all_namespaces, target.with_kind))
            .collect();
        print_rows(*kind, &target, global, args, &rows)?;
        if args.watch {
            watch(&api, *kind, &target, args).await?;
        }
    }
    Ok(())
}

fn list_api(
    client: &kube::Client,
    kind: FluxKind,
    global: &GlobalArgs,
    all: bool,
) -> Api<DynamicObject> {
    let ar = kind.api_resource();
    if all {
        Api::all_with(client.clone(), &ar)
    } else {
        Api::namespaced_with(client.clone(), &global.namespace, &ar)
    }
}

fn print_rows(
    kind: FluxKind,
    target: &Target,
    global: &GlobalArgs,
    args: &GetArgs,
    rows: &[Vec<String>],
) -> Result<(), CliError> {
    let scope = if args.all_namespaces {
        "any".to_string()
    } else {
        format!("\"{}\"", global.namespace)
    };
    if rows.is_empty() {
        match (&target.name, target.with_kind) {
            (Some(name), _) => log::failure(&format!(
                "{} object '{name}' not found in {scope} namespace",
                kind.kind()
            )),
            (None, false) => log::failure(&format!(
                "no {} objects found in {scope} namespace",
                kind.kind()
            )),
            (None, true) => {}
        }
        return Ok(());
    }
    let header = if args.no_header {
        vec![]
    } else {
        headers(args.all_namespaces)
    };
    let mut text = table::render(&header, rows);
    if target.with_kind {
        text.push('\n');
    }
    Ok(crate::output::emit(&text)?)
}

pub fn headers(all_namespaces: bool) -> Vec<&'static str> {
    let mut h = vec!["Name", "Revision", "Suspended", "Ready", "Message"];
    if all_namespaces {
        h.insert(0, "Namespace");
    }
    h
}

/// One object's row: name (as `kind/name` in `get all`), revision and message with hashes
/// shortened, suspended, ready.
pub fn row(
    kind: FluxKind,
    obj: &DynamicObject,
    with_namespace: bool,
    with_kind: bool,
) -> Vec<String> {
    let name = obj.metadata.name.clone().unwrap_or_default();
    let name = if with_kind {
        format!("{}/{name}", kind.kind().to_lowercase())
    } else {
        name
    };
    let (ready, message) = table::ready(obj);
    let mut row = vec![
        name,
        table::truncate_hex(&kind.revision(obj)),
        table::suspended(obj),
        ready,
        table::truncate_hex(&message),
    ];
    if with_namespace {
        row.insert(0, obj.metadata.namespace.clone().unwrap_or_default());
    }
    row
}

fn parse_selector(s: Option<&str>) -> Result<Option<(String, String)>, CliError> {
    let Some(s) = s else { return Ok(None) };
    match s.split_once('=') {
        Some((t, v)) => Ok(Some((t.to_string(), v.to_string()))),
        None => Err(CliError::usage(format!(
            "expected status selector in type=status format, but found: {s}"
        ))),
    }
}

fn matches_selector(obj: &DynamicObject, type_: &str, status: &str) -> bool {
    table::condition(obj, type_)
        .and_then(|c| c.get("status"))
        .and_then(serde_json::Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case(status))
}

async fn watch(
    api: &Api<DynamicObject>,
    kind: FluxKind,
    target: &Target,
    args: &GetArgs,
) -> Result<(), CliError> {
    let mut params = WatchParams::default();
    if let Some(name) = &target.name {
        params = params.fields(&format!("metadata.name={name}"));
    }
    let mut stream = api.watch(&params, "0").await?.boxed();
    while let Some(event) = stream.try_next().await? {
        if let WatchEvent::Added(obj) | WatchEvent::Modified(obj) = event {
            crate::output::emit(&table::render(
                &[],
                &[row(kind, &obj, args.all_namespaces, false)],
            ))?;
        }
    }
    Ok(())
}
