//! kustomize's built-in field specs: where each transformer looks in each kind.
//!
//! Only the tables of implemented transformers are here; each new transformer adds its
//! own (kustomize's `builtinpluginconsts`).

use crate::kustomization::FieldSpec;

fn spec(group: &str, version: &str, kind: &str, path: &str, create: bool) -> FieldSpec {
    FieldSpec {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        path: path.into(),
        create_if_not_present: create,
    }
}

/// Where `commonAnnotations` go: every object's metadata, and pod templates.
pub fn common_annotations() -> Vec<FieldSpec> {
    let template = "spec/template/metadata/annotations";
    vec![
        spec("", "", "", "metadata/annotations", true),
        spec("", "v1", "ReplicationController", template, true),
        spec("", "", "Deployment", template, true),
        spec("", "", "ReplicaSet", template, true),
        spec("", "", "DaemonSet", template, true),
        spec("", "", "StatefulSet", template, true),
        spec("batch", "", "Job", template, true),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/metadata/annotations",
            true,
        ),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/spec/template/metadata/annotations",
            true,
        ),
    ]
}
