//! Waiting: polls kstatus for a set of objects until all are Current (or deleted, for
//! termination), with Flux's timeout and fail-fast messages; a cancellation stops at once.

use std::time::Duration;

use kube::api::DynamicObject;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::ResourceManager;
use crate::changeset::ChangeSet;
use crate::error::WaitError;
use crate::kstatus::{self, Status, StatusResult};
use crate::objmeta::{ObjMetadata, group_of};
use crate::options::WaitOptions;

impl ResourceManager {
    /// The kstatus of one live object; NotFound when absent, Unknown when its kind has no API.
    pub async fn status_of(&self, m: &ObjMetadata) -> Result<StatusResult, kube::Error> {
        let Some(r) = self.resolve_group_kind(&m.group, &m.kind).await? else {
            return Ok(StatusResult::new(
                Status::Unknown,
                "no API serves this kind",
            ));
        };
        let api = self.scoped_api(&r, &m.namespace);
        Ok(match api.get_opt(&m.name).await? {
            Some(obj) => kstatus::compute(&obj),
            None => StatusResult::new(Status::NotFound, "Resource not found"),
        })
    }

    /// Waits until every object is Current. On timeout the error lists each object that is
    /// not, as `Kind/ns/name status: 'InProgress'`; with `fail_fast` a Failed object ends the
    /// wait at once; `cancel` ends it with [`WaitError::Cancelled`].
    pub async fn wait_for_set(
        &self,
        set: &[ObjMetadata],
        opts: &WaitOptions,
        cancel: &CancellationToken,
    ) -> Result<(), WaitError> {
        if set.is_empty() {
            return Ok(());
        }
        let deadline = Instant::now() + opts.timeout;
        loop {
            let mut last = Vec::with_capacity(set.len());
            for m in set {
                // A failed read is retried on the next poll, as kstatus' poller does.
                let status = tokio::select! {
                    _ = cancel.cancelled() => return Err(WaitError::Cancelled),
                    s = self.status_of(m) => s.unwrap_or_else(|e| {
                        StatusResult::new(Status::Unknown, format!("can't determine status: {e}"))
                    }),
                };
                last.push((m, status));
            }
            if last.iter().all(|(_, s)| s.status == Status::Current) {
                return Ok(());
            }
            let failed: Vec<String> = last
                .iter()
                .filter(|(_, s)| s.status == Status::Failed)
                .map(|(m, s)| describe(m, s))
                .collect();
            if opts.fail_fast && !failed.is_empty() {
                return Err(WaitError::Failed { failed });
            }
            if Instant::now() >= deadline {
                let pending = last
                    .iter()
                    .filter(|(_, s)| s.status != Status::Current)
                    .map(|(m, s)| describe(m, s))
                    .collect();
                return Err(WaitError::Timeout { pending });
            }
            pause(deadline, opts.interval, cancel).await?;
        }
    }

    /// Waits until every object of the change set is gone (Flux's `WaitForTermination`).
    pub async fn wait_for_termination(
        &self,
        cs: &ChangeSet,
        opts: &WaitOptions,
        cancel: &CancellationToken,
    ) -> Result<(), WaitError> {
        let deadline = Instant::now() + opts.timeout;
        for e in &cs.entries {
            let obj = crate::unstructured::from_objmetadata(&e.obj, &e.group_version);
            loop {
                if self.is_gone(&obj).await? {
                    break;
                }
                if Instant::now() >= deadline {
                    return Err(WaitError::TerminationTimeout {
                        subject: e.subject.clone(),
                    });
                }
                pause(deadline, opts.interval, cancel).await?;
            }
        }
        Ok(())
    }

    async fn is_gone(&self, obj: &DynamicObject) -> Result<bool, WaitError> {
        let meta = ObjMetadata::from_object(obj);
        let api_version = crate::unstructured::api_version(obj);
        let gvk = kube::core::GroupVersionKind::gvk(
            group_of(api_version),
            crate::objmeta::version_of(api_version),
            &meta.kind,
        );
        let Some(r) = self.resolve(&gvk).await? else {
            return Ok(true);
        };
        Ok(self
            .scoped_api(&r, &meta.namespace)
            .get_opt(&meta.name)
            .await?
            .is_none())
    }
}

/// Flux's per-object wait message; the kstatus message is added when there is one.
fn describe(m: &ObjMetadata, s: &StatusResult) -> String {
    if matches!(s.status, Status::Failed | Status::Unknown) && !s.message.is_empty() {
        format!("{m} status: '{}': {}", s.status, s.message)
    } else {
        format!("{m} status: '{}'", s.status)
    }
}

/// Sleeps one interval (never past the deadline by more than the interval), or returns
/// Cancelled as soon as the token fires.
async fn pause(
    deadline: Instant,
    interval: Duration,
    cancel: &CancellationToken,
) -> Result<(), WaitError> {
    let until = (Instant::now() + interval).min(deadline.max(Instant::now()));
    tokio::select! {
        _ = cancel.cancelled() => Err(WaitError::Cancelled),
        _ = tokio::time::sleep_until(until) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_like_flux() {
        let m = ObjMetadata::new("apps", "Deployment", "ns", "web");
        let cases = [
            (
                Status::InProgress,
                "Replicas: 0/1",
                "Deployment/ns/web status: 'InProgress'",
            ),
            (
                Status::NotFound,
                "Resource not found",
                "Deployment/ns/web status: 'NotFound'",
            ),
            (
                Status::Failed,
                "Progress deadline exceeded",
                "Deployment/ns/web status: 'Failed': Progress deadline exceeded",
            ),
            (
                Status::Unknown,
                "can't determine status: x",
                "Deployment/ns/web status: 'Unknown': can't determine status: x",
            ),
        ];
        for (status, message, want) in cases {
            assert_eq!(describe(&m, &StatusResult::new(status, message)), want);
        }
    }
}
