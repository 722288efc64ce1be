//! A minimal Flux-shaped kind for the runtime's unit tests (no CRD, no API server).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use fluxion_api::meta::{Condition, FluxObject};
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoStatus {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<fluxion_api::meta::Artifact>,
}
fluxion_api::impl_flux_status!(DemoStatus);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Demo {
    pub metadata: ObjectMeta,
    pub suspend: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DemoStatus>,
}

impl kube::Resource for Demo {
    type DynamicType = ();
    type Scope = NamespaceResourceScope;

    fn kind(_: &()) -> Cow<'_, str> {
        "Demo".into()
    }
    fn group(_: &()) -> Cow<'_, str> {
        "demo.toolkit.fluxcd.io".into()
    }
    fn version(_: &()) -> Cow<'_, str> {
        "v1".into()
    }
    fn plural(_: &()) -> Cow<'_, str> {
        "demos".into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

impl FluxObject for Demo {
    type Status = DemoStatus;
    fn flux_status(&self) -> Option<&DemoStatus> {
        self.status.as_ref()
    }
    fn suspended(&self) -> bool {
        self.suspend
    }
    fn interval(&self) -> Option<Duration> {
        Some(Duration::from_secs(60))
    }
}

/// A `Demo` named `app` in `flux-system`, with the given annotations and finalizers.
pub fn demo(annotations: &[(&str, &str)], finalizers: &[&str]) -> Demo {
    let annotations: BTreeMap<String, String> = annotations
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Demo {
        metadata: ObjectMeta {
            name: Some("app".into()),
            namespace: Some("flux-system".into()),
            generation: Some(2),
            resource_version: Some("41".into()),
            annotations: (!annotations.is_empty()).then_some(annotations),
            finalizers: (!finalizers.is_empty())
                .then(|| finalizers.iter().map(|f| f.to_string()).collect()),
            ..Default::default()
        },
        ..Default::default()
    }
}
