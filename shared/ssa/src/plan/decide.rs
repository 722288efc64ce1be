//! Per-object apply decisions: skip (Ignore / IfNotPresent), recreate on immutable-field
//! errors (force), and which action a dry-run result means.

use kube::core::ObjectMeta;

use crate::changeset::Action;
use crate::options::ApplyOptions;
use crate::unstructured::any_in_metadata;

/// Whether to leave the object alone: excluded (desired or live), or IfNotPresent and it
/// already exists.
pub fn should_skip_apply(
    desired: &ObjectMeta,
    live: Option<&ObjectMeta>,
    opts: &ApplyOptions,
) -> bool {
    if any_in_metadata(desired, &opts.exclusion_selector)
        || live.is_some_and(|l| any_in_metadata(l, &opts.exclusion_selector))
    {
        return true;
    }
    live.is_some_and(|l| l.uid.as_deref().is_some_and(|u| !u.is_empty()))
        && any_in_metadata(desired, &opts.if_not_present_selector)
}

/// Whether a failed dry-run should be answered by deleting and re-creating the object.
pub fn should_force_apply(
    desired: &ObjectMeta,
    live: Option<&ObjectMeta>,
    opts: &ApplyOptions,
    code: u16,
    message: &str,
) -> bool {
    let Some(live) = live else {
        return false;
    };
    is_immutable_error(code, message)
        && (opts.force
            || any_in_metadata(desired, &opts.force_selector)
            || any_in_metadata(live, &opts.force_selector))
}

/// Flux counts as immutable what kubectl does (409 Conflict, 422 Invalid) plus the wording
/// of CEL rules and admission webhooks.
pub fn is_immutable_error(code: u16, message: &str) -> bool {
    if code == 409 || code == 422 {
        return true;
    }
    immutable_words(message)
}

/// `is<ws>immutable` or `immutable<ws>field`, the patterns Flux matches.
fn immutable_words(message: &str) -> bool {
    let bytes = message.as_bytes();
    message.match_indices("immutable").any(|(i, w)| {
        let before = i >= 3 && bytes[i - 1].is_ascii_whitespace() && &bytes[i - 3..i - 1] == b"is";
        let after = bytes.get(i + w.len()).is_some_and(u8::is_ascii_whitespace)
            && bytes[i + w.len() + 1..].starts_with(b"field");
        before || after
    })
}

/// The action of an object the dry-run accepted.
pub fn action_for(dry_run_created: bool, changed: bool) -> Action {
    match (changed, dry_run_created) {
        (false, _) => Action::Unchanged,
        (true, true) => Action::Created,
        (true, false) => Action::Configured,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn meta(annotations: &[(&str, &str)], uid: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            annotations: Some(
                annotations
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            uid: uid.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn skip_table() {
        let opts = ApplyOptions::flux("kustomize-controller", false);
        let ignore = meta(&[("kustomize.toolkit.fluxcd.io/ssa", "Ignore")], None);
        let ifnp = meta(&[("kustomize.toolkit.fluxcd.io/ssa", "IfNotPresent")], None);
        let disabled = meta(
            &[("kustomize.toolkit.fluxcd.io/reconcile", "disabled")],
            None,
        );
        let plain = meta(&[], None);
        let live = meta(&[], Some("u1"));
        let cases = [
            ("ignore desired", &ignore, None, true),
            ("ignore on live", &plain, Some(&ignore), true),
            ("reconcile disabled", &disabled, Some(&live), true),
            ("ifnotpresent absent", &ifnp, None, false),
            ("ifnotpresent present", &ifnp, Some(&live), true),
            ("plain", &plain, Some(&live), false),
        ];
        for (name, d, l, want) in cases {
            assert_eq!(should_skip_apply(d, l, &opts), want, "{name}");
        }
    }

    #[test]
    fn force_table() {
        let mut opts = ApplyOptions::flux("kustomize-controller", false);
        let plain = meta(&[], None);
        let forced = meta(&[("kustomize.toolkit.fluxcd.io/force", "Enabled")], None);
        let msg = "Job.batch \"j\" is invalid: spec.template: Invalid value: field is immutable";
        assert!(!should_force_apply(&plain, Some(&plain), &opts, 422, msg));
        assert!(should_force_apply(&forced, Some(&plain), &opts, 422, msg));
        assert!(!should_force_apply(&forced, None, &opts, 422, msg));
        opts.force = true;
        assert!(should_force_apply(&plain, Some(&plain), &opts, 422, msg));
        assert!(!should_force_apply(
            &plain,
            Some(&plain),
            &opts,
            403,
            "forbidden"
        ));
        assert!(should_force_apply(
            &plain,
            Some(&plain),
            &opts,
            400,
            "admission webhook: x is immutable"
        ));
        assert!(is_immutable_error(400, "denied: immutable\tfield spec.x"));
        assert!(!is_immutable_error(400, "mutable field"));
        assert!(!is_immutable_error(400, "thisimmutable"));
    }

    #[test]
    fn actions() {
        assert_eq!(action_for(true, true), Action::Created);
        assert_eq!(action_for(false, true), Action::Configured);
        assert_eq!(action_for(false, false), Action::Unchanged);
    }
}
