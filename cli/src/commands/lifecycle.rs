//! `fluxion suspend|resume|delete <kind> NAME`: flip `spec.suspend` (resume also asks for a
//! run and waits for it, as flux does) or delete the object.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use kube::api::{DeleteParams, ListParams, Patch, PatchParams};
use serde_json::json;

use crate::args::{DeleteArgs, GlobalArgs, TargetArgs};
use crate::commands::reconcile::{api, request, wait};
use crate::error::CliError;
use crate::kinds::{FluxKind, parse_named, parse_target};
use crate::{kube as kubeclient, log};

/// The names a suspend/resume addresses: the one given, or every object with --all.
async fn names(
    client: &kube::Client,
    global: &GlobalArgs,
    args: &TargetArgs,
) -> Result<(FluxKind, Vec<String>), CliError> {
    let target = parse_target(&args.words)?;
    let [kind] = target.kinds.as_slice() else {
        return Err(CliError::usage("a single kind is required"));
    };
    match (target.name, args.all) {
        (Some(name), false) => Ok((*kind, vec![name])),
        (None, true) => {
            let list = api(client, *kind, &global.namespace)
                .list(&ListParams::default())
                .await?;
            Ok((
                *kind,
                list.items
                    .into_iter()
                    .filter_map(|o| o.metadata.name)
                    .collect(),
            ))
        }
        (Some(_), true) => Err(CliError::usage("specify either a name or --all, not both")),
        (None, false) => Err(CliError::usage("please specify a name")),
    }
}

async fn set_suspend(
    client: &kube::Client,
    kind: FluxKind,
    ns: &str,
    name: &str,
    suspend: bool,
) -> Result<(), CliError> {
    // Resuming drops the field, as flux's typed update does (`suspend` is omitempty).
    let value = if suspend {
        json!(true)
    } else {
        serde_json::Value::Null
    };
    let patch = json!({"spec": {"suspend": value}});
    api(client, kind, ns)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await?;
    Ok(())
}

pub async fn suspend(global: &GlobalArgs, args: &TargetArgs) -> Result<(), CliError> {
    let client = kubeclient::client(global).await?;
    let (kind, names) = names(&client, global, args).await?;
    let ns = global.namespace.as_str();
    let lower = kind.kind().to_lowercase();
    for name in names {
        log::action(&format!("suspending {lower} {name} in {ns} namespace"));
        set_suspend(&client, kind, ns, &name, true).await?;
        log::success(&format!("{lower} suspended"));
    }
    Ok(())
}

pub async fn resume(global: &GlobalArgs, args: &TargetArgs) -> Result<(), CliError> {
    let client = kubeclient::client(global).await?;
    let (kind, names) = names(&client, global, args).await?;
    let ns = global.namespace.as_str();
    let lower = kind.kind().to_lowercase();
    for name in names {
        log::action(&format!("resuming {lower} {name} in {ns} namespace"));
        set_suspend(&client, kind, ns, &name, false).await?;
        let requested = request(&client, kind, ns, &name).await?;
        log::success(&format!("{lower} resumed"));
        let waiting = format!("waiting for {} reconciliation", kind.kind());
        let spinner = log::Spinner::start(&waiting);
        let obj = wait(&client, kind, ns, &name, Some(&requested), global.timeout).await;
        spinner.stop(&waiting);
        let obj = obj?;
        log::success(&format!("{} reconciliation completed", kind.kind()));
        let verb = if kind == FluxKind::Kustomization {
            "applied"
        } else {
            "fetched"
        };
        log::success(&format!("{verb} revision {}", kind.revision(&obj)));
    }
    Ok(())
}

pub async fn delete(global: &GlobalArgs, args: &DeleteArgs) -> Result<(), CliError> {
    let (kind, name) = parse_named(&args.words)?;
    let lower = kind.kind().to_lowercase();
    if !args.silent && !confirm(&format!("Are you sure you want to delete this {lower}"))? {
        return Err(CliError::usage("aborting"));
    }
    let client = kubeclient::client(global).await?;
    let ns = global.namespace.as_str();
    log::action(&format!("deleting {lower} {name} in {ns} namespace"));
    api(&client, kind, ns)
        .delete(&name, &DeleteParams::default())
        .await?;
    log::success(&format!("{lower} deleted"));
    Ok(())
}

/// Asks on the terminal; without one, refuses (use --silent in scripts).
pub fn confirm(question: &str) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "{question}? no terminal to ask on: use --silent to confirm"
        )));
    }
    eprint!("{question}? [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
