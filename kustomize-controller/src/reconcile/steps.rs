//! The ordered steps of a run, each failing with its Flux reason: source, dependencies,
//! fetch, build, apply, prune, health. What the caller needs afterwards (revision, digest,
//! events) is collected in [`Run`].

use std::time::Instant;

use fluxion_api::conditions::{HEALTHY, PROGRESSING_REASON, SUCCEEDED_REASON};
use fluxion_api::kustomize::{Kustomization, KustomizationStatus, RECONCILIATION_SUCCEEDED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_runtime::events::EventSpec;
use fluxion_runtime::summarize::Outcome;
use kube::{Api, ResourceExt};

use crate::apply;
use crate::build::{self, PostBuild};
use crate::controller::Context;
use crate::error::Error;
use crate::fetch;
use crate::plan::{self, DependencyState, SourceKey};

/// What a run learnt on its way, for the history, the events and the requeue.
#[derive(Debug, Default)]
pub struct Run {
    pub revision: Option<String>,
    pub origin_revision: Option<String>,
    /// Digest of the built manifests, once built.
    pub checksum: Option<String>,
    /// Events to record after the status write, in order.
    pub events: Vec<EventSpec>,
}

/// Runs the steps; `status` collects what they change.
pub async fn run(
    ctx: &Context,
    ks: &Kustomization,
    status: &mut KustomizationStatus,
    run: &mut Run,
) -> Result<Outcome, Error> {
    let source = fetch::get_source(&ctx.client, ks, ctx.no_cross_namespace_refs).await?;
    let revision = source.artifact.revision.clone();
    run.revision = Some(revision.clone());
    run.origin_revision = source.origin_revision.clone();
    check_dependencies(ctx, ks, &revision).await?;

    let dir = fetch::fetch(
        &ctx.fetcher,
        &ctx.client,
        ks,
        &source.artifact,
        &ctx.work_dir,
        ctx.requeue_dependency,
    )
    .await?;
    fetch::build_dir(dir.path(), ks)?;
    status.last_attempted_revision = Some(revision.clone());

    let client = run_client(ctx, ks).await?;
    let built = build_objects(ctx, ks, dir.path()).await?;
    run.checksum = Some(plan::build_digest(built.manifests.as_bytes()));

    // Discovery answers are shared only for the controller's own cluster.
    let cache = ks
        .spec
        .kube_config
        .is_none()
        .then(|| ctx.kind_cache.clone());
    let manager = apply::manager(&client, cache.clone());
    let objects = built.objects;
    let applied = apply::apply(&client, cache, ks, objects, &ctx.override_managers).await?;
    if !applied.change_log.is_empty() {
        tracing::info!(name = %ks.name_any(), revision = %revision, output = %applied.change_log, "server-side apply completed");
        let event = EventSpec::normal(PROGRESSING_REASON, applied.change_log.clone());
        run.events.push(event);
    }
    prune(&manager, ks, status, run, &applied).await?;
    let health = Health {
        manager: &manager,
        inventory: &applied.inventory,
        revision: &revision,
    };
    check_health(ctx, ks, status, run, health).await?;
    status.last_applied_revision = Some(revision.clone());
    status.last_applied_origin_revision = run.origin_revision.clone();
    Ok(Outcome::success_with(
        RECONCILIATION_SUCCEEDED_REASON,
        plan::applied_message(&revision),
    ))
}

/// The client of the run: the controller's own, or one impersonating the tenant or talking
/// to a remote cluster.
pub async fn run_client(ctx: &Context, ks: &Kustomization) -> Result<kube::Client, Error> {
    let default_sa = ctx.default_service_account.as_deref();
    if apply::client::needs_own_client(ks, default_sa) {
        apply::client::client_for(&ctx.kube_config, &ctx.client, ks, default_sa).await
    } else {
        Ok(ctx.client.clone())
    }
}

/// Records the new inventory and, with `spec.prune`, deletes what the old one had and the
/// new one lacks.
async fn prune(
    manager: &fluxion_ssa::ResourceManager,
    ks: &Kustomization,
    status: &mut KustomizationStatus,
    run: &mut Run,
    applied: &apply::Applied,
) -> Result<(), Error> {
    let old_inventory = status.inventory.replace(applied.inventory.clone());
    let stale = plan::stale_entries(old_inventory.as_ref(), &applied.inventory, &applied.skipped);
    if !ks.spec.prune {
        return Ok(());
    }
    let pruned = apply::prune(manager, ks, &stale).await?;
    if !pruned.is_empty() {
        tracing::info!(name = %ks.name_any(), output = %pruned, "garbage collection completed");
        run.events
            .push(EventSpec::normal(PROGRESSING_REASON, pruned));
    }
    Ok(())
}

/// Flux's `checkDependencies`, reading each dependency from the API.
async fn check_dependencies(
    ctx: &Context,
    ks: &Kustomization,
    revision: &str,
) -> Result<(), Error> {
    if ks.spec.depends_on.is_empty() {
        return Ok(());
    }
    // Without a CEL evaluator a readyExpr can neither be honoured nor skipped silently.
    if let Some(dep) = ks.spec.depends_on.iter().find(|d| d.ready_expr.is_some()) {
        return Err(Error::Unsupported(format!(
            "dependency '{}' uses readyExpr: CEL expressions are not supported by Fluxion yet",
            dep.name
        )));
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (namespace, name) in ks.dependencies() {
        let api: Api<Kustomization> = Api::namespaced(ctx.client.clone(), &namespace);
        match api.get_opt(&name).await {
            Ok(Some(dep)) => found.push(dep),
            Ok(None) => missing.push((namespace, name, "not found".to_string())),
            Err(e) => missing.push((namespace, name, e.to_string())),
        }
    }
    let mut states: Vec<DependencyState<'_>> = missing
        .into_iter()
        .map(|(namespace, name, error)| DependencyState::Missing {
            namespace,
            name,
            error,
        })
        .collect();
    states.extend(found.iter().map(DependencyState::Found));
    plan::check_dependencies(&states, &SourceKey::of(ks), revision).map_err(|message| {
        Error::DependencyNotReady {
            message,
            after: ctx.requeue_dependency,
        }
    })
}

/// Loads the variables and builds off the async threads.
async fn build_objects(
    ctx: &Context,
    ks: &Kustomization,
    root: &std::path::Path,
) -> Result<build::Built, Error> {
    let vars = build::vars::load(&ctx.client, ks).await?;
    let decryptor =
        crate::build::decrypt::Decryptor::load(&ctx.client, ks, ctx.sops_age_secret.as_ref())
            .await?;
    let strict = ctx.strict_substitutions;
    let (ks, root) = (ks.clone(), root.to_path_buf());
    tokio::task::spawn_blocking(move || {
        let post = PostBuild {
            vars,
            strict,
            decryptor: decryptor.as_ref(),
        };
        build::build(&root, &ks, &post)
    })
    .await
    .map_err(|e| Error::Build(format!("kustomize build failed: {e}")))?
}

/// Flux's progress report before a health wait, which can last the whole timeout: the
/// inventory and attempted revision so far, Reconciling=True and Healthy=Unknown with
/// "Running health checks for revision ... with a timeout of ...".
async fn report_progress(
    ctx: &Context,
    ks: &Kustomization,
    status: &mut KustomizationStatus,
    revision: &str,
) -> Result<(), Error> {
    let generation = ks.metadata.generation.unwrap_or_default();
    let now = cond::now();
    let message = format!(
        "Running health checks for revision {revision} with a timeout of {}",
        fluxion_api::duration::format_duration(ks.timeout())
    );
    cond::mark_reconciling(
        &mut status.conditions,
        PROGRESSING_REASON,
        message.clone(),
        generation,
        &now,
    );
    cond::mark_unknown(
        &mut status.conditions,
        HEALTHY,
        PROGRESSING_REASON,
        message,
        generation,
        &now,
    );
    let api: Api<Kustomization> =
        Api::namespaced(ctx.client.clone(), &ks.namespace().unwrap_or_default());
    let manager = fluxion_runtime::status::field_manager(crate::config::CONTROLLER_NAME);
    fluxion_runtime::status::patch_status(&api, ks, status, &manager).await?;
    Ok(())
}

/// What a health check needs from the apply.
struct Health<'a> {
    manager: &'a fluxion_ssa::ResourceManager,
    inventory: &'a fluxion_api::kustomize::ResourceInventory,
    revision: &'a str,
}

/// `spec.wait` (every applied object) or `spec.healthChecks`, within `spec.timeout`; a new
/// source revision cancels the wait.
async fn check_health(
    ctx: &Context,
    ks: &Kustomization,
    status: &mut KustomizationStatus,
    run: &mut Run,
    health: Health<'_>,
) -> Result<(), Error> {
    let generation = ks.metadata.generation.unwrap_or_default();
    let targets = apply::health::targets(ks, health.inventory);
    if targets.is_empty() {
        cond::delete(&mut status.conditions, HEALTHY);
        return Ok(());
    }
    let was_healthy = cond::is_true(&status.conditions, HEALTHY);
    report_progress(ctx, ks, status, health.revision).await?;
    let started = Instant::now();
    let token = fluxion_ssa::CancellationToken::new();
    let cancel = token.clone();
    let ns = ks.namespace().unwrap_or_default();
    let registered = ctx
        .waits
        .register(&ns, &ks.name_any(), health.revision, move || {
            cancel.cancel()
        });
    let result = apply::health::wait(health.manager, &targets, ks.timeout(), &token).await;
    drop(registered);
    let now = cond::now();
    let elapsed = fluxion_api::duration::format_duration(started.elapsed());
    let message = match result {
        Ok(()) => {
            let message = format!("Health check passed in {elapsed}");
            if !was_healthy {
                run.events
                    .push(EventSpec::normal(PROGRESSING_REASON, message.clone()));
            }
            cond::mark_true(
                &mut status.conditions,
                HEALTHY,
                SUCCEEDED_REASON,
                message,
                generation,
                &now,
            );
            return Ok(());
        }
        Err(apply::health::Unhealthy::Cancelled) => {
            "health check canceled due to new source revision".to_string()
        }
        Err(apply::health::Unhealthy::Failed(message)) => message,
    };
    let reason = fluxion_api::kustomize::HEALTH_CHECK_FAILED_REASON;
    cond::mark_false(
        &mut status.conditions,
        HEALTHY,
        reason,
        message.clone(),
        generation,
        &now,
    );
    Err(Error::Health(format!(
        "health check failed after {elapsed}: {message}"
    )))
}
