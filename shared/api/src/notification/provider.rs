//! Provider (notification.toolkit.fluxcd.io/v1beta3): where and how to send notifications.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::flux_string_enum;
use crate::meta::LocalObjectReference;

/// How long a notification may take when `spec.timeout` is unset.
pub const DEFAULT_PROVIDER_TIMEOUT: Duration = Duration::from_secs(15);

/// Provider describes a notification endpoint: its type, address or channel, credentials and
/// transport settings. It has no status: notification-controller reads it when dispatching.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[kube(
    group = "notification.toolkit.fluxcd.io",
    version = "v1beta3",
    kind = "Provider",
    plural = "providers",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-notifications",
    namespaced,
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "self.type == 'github' || self.type == 'gitlab' || self.type == 'gitea' || self.type == 'bitbucketserver' || self.type == 'bitbucket' || self.type == 'azuredevops' || !has(self.commitStatusExpr)",
    "message": "spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types"
}]))]
pub struct ProviderSpec {
    /// The endpoint, in the type's terms: an HTTP/S URL for webhooks, a repository URL for
    /// Git providers, a project or topic for others. May also come from the Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub address: Option<String>,
    /// Secret with TLS material: `ca.crt` alone, or with `tls.crt` and `tls.key` for mTLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
    /// The channel (or room, topic) to post to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub channel: Option<String>,
    /// CEL expression (variables `event`, `provider`, `alert`) giving the commit status key,
    /// for the Git commit status types only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_status_expr: Option<String>,
    /// Unused since v1beta3; kept so older manifests still apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub interval: Option<String>,
    /// HTTP/S proxy address; deprecated in favour of `proxySecretRef`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048), regex(pattern = r"^(http|https)://.*$"))]
    pub proxy: Option<String>,
    /// Secret with the proxy `address` and optional `username` and `password`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_ref: Option<LocalObjectReference>,
    /// Secret with the credentials (and possibly `address`, `token`, ...) of the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// ServiceAccount whose workload identity authenticates to the cloud provider
    /// (azureeventhub, azuredevops, googlepubsub); needs the ObjectLevelWorkloadIdentity gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Stops sending notifications through this Provider.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Timeout of one notification; 15s when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::timeout")]
    pub timeout: Option<String>,
    /// The provider implementation.
    #[serde(rename = "type")]
    pub type_: ProviderType,
    /// The name to post as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub username: Option<String>,
}

flux_string_enum! {
    /// The notification services notification-controller can send to.
    ProviderType {
        Slack = "slack",
        Discord = "discord",
        MsTeams = "msteams",
        Rocket = "rocket",
        Generic = "generic",
        GenericHmac = "generic-hmac",
        GitHub = "github",
        GitLab = "gitlab",
        Gitea = "gitea",
        GiteaPullRequestComment = "giteapullrequestcomment",
        BitbucketServer = "bitbucketserver",
        Bitbucket = "bitbucket",
        AzureDevOps = "azuredevops",
        GoogleChat = "googlechat",
        GooglePubSub = "googlepubsub",
        Webex = "webex",
        Sentry = "sentry",
        AzureEventHub = "azureeventhub",
        Telegram = "telegram",
        Lark = "lark",
        Matrix = "matrix",
        Opsgenie = "opsgenie",
        Alertmanager = "alertmanager",
        Grafana = "grafana",
        GitHubDispatch = "githubdispatch",
        GitHubPullRequestComment = "githubpullrequestcomment",
        GitLabMergeRequestComment = "gitlabmergerequestcomment",
        PagerDuty = "pagerduty",
        Datadog = "datadog",
        Nats = "nats",
        Zulip = "zulip",
        Otel = "otel",
        Zoom = "zoom",
        IncidentIo = "incident.io",
    }
}

impl ProviderType {
    /// Whether this type sets commit statuses on a Git host: it accepts `commitStatusExpr`,
    /// and only error events or commit status updates reach it.
    pub fn is_commit_status(self) -> bool {
        matches!(
            self,
            Self::GitHub
                | Self::GitLab
                | Self::Gitea
                | Self::BitbucketServer
                | Self::Bitbucket
                | Self::AzureDevOps
        )
    }

    /// Whether this is one of the generic webhook types (they also receive commit status updates).
    pub fn is_generic(self) -> bool {
        matches!(self, Self::Generic | Self::GenericHmac)
    }
}

impl Provider {
    /// `spec.timeout`, 15s when unset.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(self.spec.timeout.as_deref(), DEFAULT_PROVIDER_TIMEOUT)
    }

    /// `spec.suspend`.
    pub fn suspended(&self) -> bool {
        self.spec.suspend
    }
}

impl ProviderSpec {
    /// A spec of the given type with nothing else set.
    pub fn new(type_: ProviderType) -> Self {
        Self {
            address: None,
            cert_secret_ref: None,
            channel: None,
            commit_status_expr: None,
            interval: None,
            proxy: None,
            proxy_secret_ref: None,
            secret_ref: None,
            service_account_name: None,
            suspend: false,
            timeout: None,
            type_,
            username: None,
        }
    }
}

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![super::with_empty_subresources(
        <Provider as kube::CustomResourceExt>::crd(),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLACK: &str = r#"
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata:
  name: slack-bot
  namespace: flux-system
spec:
  type: slack
  channel: general
  address: https://slack.com/api/chat.postMessage
  username: flux
  timeout: 30s
  secretRef:
    name: slack-bot-token
  proxySecretRef:
    name: proxy
  certSecretRef:
    name: slack-ca
"#;

    const GITHUB: &str = r#"
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata:
  name: github-status
  namespace: flux-system
spec:
  type: github
  address: https://github.com/stefanprodan/podinfo
  commitStatusExpr: "(event.involvedObject.kind + '/' + event.involvedObject.name) + '/' + provider.metadata.uid"
  secretRef:
    name: github-token
  suspend: true
"#;

    #[test]
    fn parses_a_slack_provider() {
        let p: Provider = serde_saphyr::from_str(SLACK).expect("parse");
        assert_eq!(p.spec.type_, ProviderType::Slack);
        assert_eq!(p.spec.channel.as_deref(), Some("general"));
        assert_eq!(p.spec.username.as_deref(), Some("flux"));
        assert_eq!(
            p.spec.secret_ref.as_ref().map(|r| r.name.as_str()),
            Some("slack-bot-token")
        );
        assert_eq!(
            p.spec.proxy_secret_ref.as_ref().map(|r| r.name.as_str()),
            Some("proxy")
        );
        assert_eq!(p.timeout(), Duration::from_secs(30));
        assert!(!p.suspended());
        assert!(!p.spec.type_.is_commit_status());
    }

    #[test]
    fn parses_a_github_commit_status_provider() {
        let p: Provider = serde_saphyr::from_str(GITHUB).expect("parse");
        assert_eq!(p.spec.type_, ProviderType::GitHub);
        assert!(p.spec.type_.is_commit_status());
        assert!(
            p.spec
                .commit_status_expr
                .as_deref()
                .is_some_and(|e| e.contains("provider.metadata.uid"))
        );
        assert!(p.suspended());
        assert_eq!(p.timeout(), DEFAULT_PROVIDER_TIMEOUT);
    }

    #[test]
    fn provider_types_use_flux_names() {
        assert_eq!(ProviderType::ALL.len(), 34);
        assert_eq!(ProviderType::IncidentIo.as_str(), "incident.io");
        assert_eq!(ProviderType::GenericHmac.as_str(), "generic-hmac");
        assert_eq!(ProviderType::MsTeams.to_string(), "msteams");
        for t in ProviderType::ALL {
            let json = serde_json::to_value(t).expect("json");
            assert_eq!(
                serde_json::from_value::<ProviderType>(json).expect("parse"),
                *t
            );
        }
        let commit: Vec<_> = ProviderType::ALL
            .iter()
            .filter(|t| t.is_commit_status())
            .map(|t| t.as_str())
            .collect();
        assert_eq!(
            commit,
            [
                "github",
                "gitlab",
                "gitea",
                "bitbucketserver",
                "bitbucket",
                "azuredevops"
            ]
        );
        assert!(ProviderType::Generic.is_generic() && ProviderType::GenericHmac.is_generic());
        assert!(!ProviderType::Slack.is_generic());
    }

    #[test]
    fn a_minimal_spec_serializes_only_the_type() {
        let spec = ProviderSpec::new(ProviderType::Generic);
        assert_eq!(
            serde_json::to_value(&spec).expect("json"),
            serde_json::json!({"type": "generic"})
        );
        let mut p = Provider::new("p", spec);
        p.spec.timeout = Some("1m".into());
        assert_eq!(p.timeout(), Duration::from_secs(60));
    }
}
