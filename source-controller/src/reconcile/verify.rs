//! Flux's `verifySignature` step: with `spec.verify` set, the checked-out commit and/or its
//! tag must carry a good signature by a key of the verification secret.

use fluxion_api::conditions::SUCCEEDED_REASON;
use fluxion_api::meta::Time;
use fluxion_api::source::conditions::{SOURCE_VERIFIED, VERIFICATION_ERROR_REASON};
use fluxion_api::source::{GitRepository, GitRepositoryStatus};
use fluxion_runtime::conditions as cond;
use fluxion_runtime::error::{FluxError, ReconcileError};

use crate::controller::Context;
use crate::error::Error;
use crate::git::Commit;
use crate::git::verify::{VerifyRequest, verify};
use crate::plan::verify::{TrustedKeys, referencing_tag};

/// Runs the check and records it: SourceVerified and `status.sourceVerificationMode`, both
/// dropped when verification is off; SourceVerified=False with the failure's reason otherwise.
pub async fn step(
    ctx: &Context,
    obj: &GitRepository,
    commit: &Commit,
    work: &std::path::Path,
    status: &mut GitRepositoryStatus,
    now: &Time,
) -> Result<(), ReconcileError> {
    let generation = obj.metadata.generation.unwrap_or_default();
    match run(ctx, obj, commit, work).await {
        Ok(None) => {
            status.source_verification_mode = None;
            cond::delete(&mut status.conditions, SOURCE_VERIFIED);
            Ok(())
        }
        Ok(Some(message)) => {
            tracing::info!(name = ?obj.metadata.name, "{message}");
            status.source_verification_mode = obj.verification_mode();
            let c = &mut status.conditions;
            cond::mark_true(
                c,
                SOURCE_VERIFIED,
                SUCCEEDED_REASON,
                &message,
                generation,
                now,
            );
            Ok(())
        }
        Err(e) => {
            let err = e.to_reconcile_error();
            let (reason, message) = (err.reason(), err.message());
            let c = &mut status.conditions;
            cond::mark_false(c, SOURCE_VERIFIED, reason, message, generation, now);
            Err(err)
        }
    }
}

/// None when verification is off; otherwise the SourceVerified message of a good check.
async fn run(
    ctx: &Context,
    obj: &GitRepository,
    commit: &Commit,
    work: &std::path::Path,
) -> Result<Option<String>, Error> {
    let Some(verification) = &obj.spec.verify else {
        return Ok(None);
    };
    let namespace = obj.metadata.namespace.clone().unwrap_or_default();
    let name = &verification.secret_ref.name;
    let data = super::steps::secret_data(ctx, &namespace, name)
        .await
        .map_err(|m| Error::Verification {
            reason: VERIFICATION_ERROR_REASON,
            message: format!("public keys secret error: {m}"),
            stall: false,
        })?;
    let keys = TrustedKeys::from_secret(&data);
    let scratch = tempfile::tempdir_in(work).map_err(|e| Error::Storage {
        action: "create temporary working directory",
        message: e.to_string(),
    })?;
    let tag = referencing_tag(&obj.checkout(), commit.reference.as_deref());
    let req = VerifyRequest {
        repo: &work.join("repo"),
        scratch: scratch.path(),
        mode: verification.mode(),
        keys: &keys,
        sha: &commit.sha,
        tag: tag.as_deref(),
        timeout: obj.timeout(),
    };
    verify(&req).await.map(Some)
}
