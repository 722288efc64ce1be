//! The election loop: reads and writes the Lease through kube and publishes "am I leader" on a
//! tokio watch channel.

use std::future::Future;
use std::time::Duration;

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::PostParams;
use tokio::sync::watch;
use tokio::time::Instant;

use super::{
    Action, ElectionTiming, LeaderError, Observation, decide, jittered, observe, release_spec,
};

/// Runs one candidate of an election for the Lease `namespace/name`.
///
/// The namespace is the controller's own: RUNTIME_NAMESPACE, else the client's default namespace
/// (the service account's namespace in a cluster).
pub struct LeaderElector {
    api: Api<Lease>,
    namespace: String,
    name: String,
    identity: String,
    timing: ElectionTiming,
    release_on_cancel: bool,
    tx: watch::Sender<bool>,
}

impl LeaderElector {
    pub fn new(
        client: kube::Client,
        namespace: &str,
        name: &str,
        identity: String,
        timing: ElectionTiming,
        release_on_cancel: bool,
    ) -> Self {
        Self {
            api: Api::namespaced(client, namespace),
            namespace: namespace.to_string(),
            name: name.to_string(),
            identity,
            timing,
            release_on_cancel,
            tx: watch::Sender::new(false),
        }
    }

    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// A receiver that reads `true` while this candidate leads.
    pub fn subscribe(&self) -> watch::Receiver<bool> {
        self.tx.subscribe()
    }

    /// Campaigns until `shutdown` completes, then releases the Lease if it leads (and
    /// release-on-cancel is set). Returns [`LeaderError::Lost`] when leadership could not be
    /// renewed within the renew deadline: the caller must stop reconciling, as controller-runtime
    /// exits the process then.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), LeaderError> {
        self.timing.validate()?;
        let mut shutdown = std::pin::pin!(shutdown);
        let mut observed: Option<Observation> = None;
        let mut last_renew: Option<Instant> = None;
        let mut wait = Duration::ZERO;
        tracing::info!(lease = %self.lease_ref(), identity = %self.identity, "attempting to acquire leader lease");
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(wait) => {}
            }
            let held = self.attempt(&mut observed).await;
            let leading = *self.tx.borrow();
            if held {
                last_renew = Some(Instant::now());
                if !leading {
                    tracing::info!(lease = %self.lease_ref(), "successfully acquired lease");
                    self.tx.send_replace(true);
                }
            } else if leading
                && last_renew.is_some_and(|t| t.elapsed() >= self.timing.renew_deadline)
            {
                tracing::error!(lease = %self.lease_ref(), "failed to renew lease: leader election lost");
                self.tx.send_replace(false);
                return Err(LeaderError::Lost);
            }
            wait = match *self.tx.borrow() {
                true => self.timing.retry_period,
                false => jittered(self.timing.retry_period, rand::random::<f64>()),
            };
        }
        if *self.tx.borrow() && self.release_on_cancel {
            match self.release().await {
                Ok(()) => tracing::info!(lease = %self.lease_ref(), "released leader lease"),
                Err(e) => {
                    tracing::warn!(lease = %self.lease_ref(), error = %e, "failed to release lease")
                }
            }
        }
        self.tx.send_replace(false);
        Ok(())
    }

    fn lease_ref(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// One try, bounded by the renew deadline; failures are logged and count as "not held".
    async fn attempt(&self, observed: &mut Option<Observation>) -> bool {
        match tokio::time::timeout(
            self.timing.renew_deadline,
            self.try_acquire_or_renew(observed),
        )
        .await
        {
            Ok(Ok(held)) => held,
            Ok(Err(e)) => {
                tracing::warn!(lease = %self.lease_ref(), error = %e, "error retrieving or updating lease");
                false
            }
            Err(_) => {
                tracing::warn!(lease = %self.lease_ref(), "lease request timed out");
                false
            }
        }
    }

    async fn try_acquire_or_renew(
        &self,
        observed: &mut Option<Observation>,
    ) -> Result<bool, LeaderError> {
        let now = Timestamp::now();
        let Some(mut lease) = self.api.get_opt(&self.name).await? else {
            *observed = None;
            let Action::Create(spec) = decide(None, &self.identity, now, &self.timing) else {
                return Ok(false);
            };
            return self.create(spec, now, observed).await;
        };
        let current = lease.spec.clone().unwrap_or_default();
        let obs = observe(observed.take(), current, now);
        let action = decide(Some(&obs), &self.identity, now, &self.timing);
        *observed = Some(obs);
        let spec = match action {
            Action::Renew(spec) | Action::Acquire(spec) => spec,
            Action::StandBy { holder, expires_at } => {
                tracing::debug!(lease = %self.lease_ref(), %holder, %expires_at, "lease is held by another candidate");
                return Ok(false);
            }
            Action::Create(_) => return Ok(false),
        };
        lease.spec = Some(spec.clone());
        // replace() sends the resourceVersion we read: a concurrent writer makes it a conflict.
        match self
            .api
            .replace(&self.name, &PostParams::default(), &lease)
            .await
        {
            Ok(_) => {
                *observed = Some(Observation {
                    spec,
                    observed_at: now,
                });
                Ok(true)
            }
            Err(kube::Error::Api(status)) if status.is_conflict() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    async fn create(
        &self,
        spec: LeaseSpec,
        now: Timestamp,
        observed: &mut Option<Observation>,
    ) -> Result<bool, LeaderError> {
        let lease = Lease {
            metadata: ObjectMeta {
                name: Some(self.name.clone()),
                namespace: Some(self.namespace.clone()),
                ..ObjectMeta::default()
            },
            spec: Some(spec.clone()),
        };
        match self.api.create(&PostParams::default(), &lease).await {
            Ok(_) => {
                *observed = Some(Observation {
                    spec,
                    observed_at: now,
                });
                Ok(true)
            }
            Err(kube::Error::Api(status)) if status.is_already_exists() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    async fn release(&self) -> Result<(), LeaderError> {
        let Some(mut lease) = self.api.get_opt(&self.name).await? else {
            return Ok(());
        };
        let current = lease.spec.clone().unwrap_or_default();
        if current.holder_identity.as_deref() != Some(self.identity.as_str()) {
            return Ok(());
        }
        lease.spec = Some(release_spec(&current, Timestamp::now()));
        self.api
            .replace(&self.name, &PostParams::default(), &lease)
            .await?;
        Ok(())
    }
}
