//! `generators:`, `transformers:` and `validators:` entries: kustomize's plugin configs.
//!
//! Only built-in plugins run (`apiVersion: builtin`, kustomize's `BploUseStaticallyLinked`
//! with `PluginRestrictionsBuiltinsOnly`, its behaviour without `--enable-alpha-plugins`).
//! Anything else is refused with kustomize's own message. [`builtin`] maps each built-in
//! kind onto the step that implements the same kustomization field.

pub mod builtin;

use builtin::{ConfigError, Configured};

use crate::resource::Resource;

/// What the entry list is for: kustomize checks the plugin's interface against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Generator,
    Transformer,
}

/// kustomize's `isBuiltinPlugin`: no group, version `builtin`.
fn is_builtin(r: &Resource) -> bool {
    r.api_version() == "builtin"
}

/// Configures the plugin one config object asks for, or says why not in kustomize's words.
pub fn configure(r: &Resource, role: Role) -> Result<Configured, String> {
    let kind = r.kind();
    if !is_builtin(r) {
        return Err(format!(
            "external plugins disabled; unable to load external plugin '{kind}'"
        ));
    }
    let id = r.orig_id();
    let Some(generates) = builtin::is_generator(&kind) else {
        return Err(format!("unable to load builtin {}", id.gvk));
    };
    let json = crate::yaml::to_json_v2(&r.node)
        .map_err(|e| format!("plugin {id} fails configuration: {e}"))?;
    let cfg = json.as_object().cloned().unwrap_or_default();
    let configured = match builtin::configure(&kind, &cfg) {
        Ok(c) => c,
        Err(ConfigError::UnknownKind) => return Err(format!("unable to load builtin {}", id.gvk)),
        Err(ConfigError::Invalid(msg)) => {
            return Err(format!("plugin {id} fails configuration: {msg}"));
        }
    };
    match (role, generates) {
        (Role::Generator, false) => Err(format!("plugin {id} not a generator")),
        (Role::Transformer, true) => Err(format!("plugin {id} not a transformer")),
        _ => Ok(configured),
    }
}

/// kustomize tries each entry as inline YAML first; only what does not parse as
/// resources is a path (a file of configs or a kustomization directory building them).
pub fn inline_configs(entry: &str) -> Option<Vec<Resource>> {
    crate::resource::from_bytes(entry).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(text: &str) -> Resource {
        let mut found = crate::resource::from_bytes(text).expect("parses");
        found.remove(0)
    }

    #[test]
    fn configure_refuses_as_kustomize_does() {
        let cases: &[(&str, Role, Option<&str>)] = &[
            (
                "apiVersion: example.com/v1\nkind: Inflator\nmetadata:\n  name: x\n",
                Role::Transformer,
                Some("external plugins disabled; unable to load external plugin 'Inflator'"),
            ),
            (
                "apiVersion: builtin\nkind: SortOrderTransformer\nmetadata:\n  name: x\n",
                Role::Transformer,
                Some("unable to load builtin SortOrderTransformer.builtin.[noGrp]"),
            ),
            (
                "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: g\n",
                Role::Transformer,
                Some("plugin ConfigMapGenerator.builtin.[noGrp]/g.[noNs] not a transformer"),
            ),
            (
                "apiVersion: builtin\nkind: PrefixTransformer\nmetadata:\n  name: p\nprefix: a-\n",
                Role::Transformer,
                Some(
                    "plugin PrefixTransformer.builtin.[noGrp]/p.[noNs] fails configuration: fieldSpecs is not expected to be nil",
                ),
            ),
            (
                "apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: h\n",
                Role::Generator,
                Some(
                    "plugin HelmChartInflationGenerator.builtin.[noGrp]/h.[noNs] fails configuration: must specify --enable-helm",
                ),
            ),
            (
                "apiVersion: builtin\nkind: PrefixTransformer\nmetadata:\n  name: p\nprefix: a-\nfieldSpecs:\n- path: metadata/name\n",
                Role::Transformer,
                None,
            ),
            (
                "apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: s\nliterals:\n- a=b\n",
                Role::Generator,
                None,
            ),
        ];
        for (text, role, want) in cases {
            let got = configure(&res(text), *role).err();
            assert_eq!(got.as_deref(), *want, "{text}");
        }
    }

    #[test]
    fn generator_args_take_name_and_namespace_from_metadata() {
        let r = res(
            "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: cm\n  namespace: ns\nliterals:\n- a=b\n",
        );
        let c = configure(&r, Role::Generator).expect("configures");
        let args = &c.kustomization.config_map_generator[0];
        assert_eq!((args.name.as_str(), args.namespace.as_str()), ("cm", "ns"));
        assert_eq!(args.literals, vec!["a=b".to_string()]);
    }

    #[test]
    fn paths_are_not_inline_configs() {
        assert!(inline_configs("prefix.yaml").is_none());
        assert!(
            inline_configs("apiVersion: builtin\nkind: HashTransformer\nmetadata:\n  name: h\n")
                .is_some()
        );
    }
}
