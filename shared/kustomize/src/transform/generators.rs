//! `configMapGenerator`, `secretGenerator` and `generatorOptions`: kustomize's
//! ConfigMap and Secret generators.

use std::collections::BTreeMap;

use super::kv::{self, KvError, Pair, Sources};
use crate::build::{BuildError, Generator, StepContext};
use crate::kustomization::{GeneratorOptions, Kustomization};
use crate::resource::{Behavior, Resource};
use crate::yaml::resolve::BOOL_TAG;
use crate::yaml::{Node, Style};

/// A generator entry's options after kustomize's `MergeGlobalOptionsIntoLocal`: the
/// entry's labels and annotations win, a global `true` wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub disable_name_suffix_hash: bool,
    pub immutable: bool,
}

pub fn merge_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> Options {
    let mut o = Options::default();
    if let Some(l) = local {
        o.labels = l.labels.clone();
        o.annotations = l.annotations.clone();
        o.disable_name_suffix_hash = l.disable_name_suffix_hash;
        o.immutable = l.immutable;
    }
    if let Some(g) = global {
        for (k, v) in &g.labels {
            o.labels.entry(k.clone()).or_insert_with(|| v.clone());
        }
        for (k, v) in &g.annotations {
            o.annotations.entry(k.clone()).or_insert_with(|| v.clone());
        }
        o.disable_name_suffix_hash |= g.disable_name_suffix_hash;
        o.immutable |= g.immutable;
    }
    o
}

/// kustomize's `NewGenerationBehavior`: anything unknown acts as `create`.
pub fn parse_behavior(s: &str) -> Behavior {
    match s {
        "merge" => Behavior::Merge,
        "replace" => Behavior::Replace,
        _ => Behavior::Create,
    }
}

/// What a ConfigMap or Secret entry has in common.
struct Entry<'a> {
    kind: &'static str,
    name: &'a str,
    namespace: &'a str,
    behavior: &'a str,
    sources: Sources<'a>,
    options: Options,
}

fn base_node(kind: &str, name: &str, namespace: &str) -> Result<Node, BuildError> {
    if name.is_empty() {
        return Err(BuildError::Invalid("a configmap must have a name".into()));
    }
    let mut n = Node::mapping();
    n.set("apiVersion", Node::plain("v1"));
    n.set("kind", Node::plain(kind));
    let mut meta = Node::mapping();
    meta.set("name", Node::string(name));
    if !namespace.is_empty() {
        meta.set("namespace", Node::string(namespace));
    }
    n.set("metadata", meta);
    Ok(n)
}

/// A string value node; multi-line values are literal-style, as kyaml makes them.
fn data_value(s: String) -> Node {
    let mut v = Node::string(s);
    if v.scalar().is_some_and(|s| s.contains('\n')) {
        v.style = Style::Literal;
    }
    v
}

fn set_in(node: &mut Node, field: &str, key: &str, value: Node) {
    if let Some(m) = node.ensure_mapping(&[field]) {
        m.set(key, value);
    }
}

fn load_pairs(ctx: &StepContext<'_>, e: &Entry<'_>) -> Result<Vec<Pair>, BuildError> {
    kv::load(ctx, e.name, &e.sources).map_err(|err| match err {
        KvError::Load(l) => BuildError::from(l).context("loading KV pairs"),
        other => BuildError::Invalid(format!("loading KV pairs: {other}")),
    })
}

fn sorted(mut pairs: Vec<Pair>) -> Vec<Pair> {
    pairs.sort_by(|a, b| a.key.cmp(&b.key));
    pairs
}

fn make(ctx: &StepContext<'_>, e: Entry<'_>) -> Result<Resource, BuildError> {
    let mut node = base_node(e.kind, e.name, e.namespace)?;
    let pairs = sorted(load_pairs(ctx, &e)?);
    if e.kind == "Secret" {
        node.ensure_mapping(&["data"]);
        for p in pairs {
            set_in(
                &mut node,
                "data",
                &p.key,
                data_value(base64_lines(&p.value)),
            );
        }
    } else {
        for p in pairs {
            match String::from_utf8(p.value) {
                Ok(s) => set_in(&mut node, "data", &p.key, data_value(s)),
                Err(e) => {
                    let b64 = base64_lines(e.as_bytes());
                    set_in(&mut node, "binaryData", &p.key, data_value(b64));
                }
            }
        }
    }
    for (k, v) in &e.options.labels {
        if let Some(m) = node.ensure_mapping(&["metadata", "labels"]) {
            m.set(k, Node::string(v.clone()));
        }
    }
    for (k, v) in &e.options.annotations {
        if let Some(m) = node.ensure_mapping(&["metadata", "annotations"]) {
            m.set(k, Node::string(v.clone()));
        }
    }
    if e.options.immutable {
        let mut t = Node::plain("true");
        t.tag = BOOL_TAG.into();
        node.set("immutable", t);
    }
    let mut r = Resource::new(node);
    r.needs_hash = !e.options.disable_name_suffix_hash;
    r.behavior = parse_behavior(e.behavior);
    Ok(r)
}

/// Go's base64 of the value, broken into lines of 70 characters (each ending in a
/// newline) when longer, as kyaml's `encodeBase64`.
pub fn base64_lines(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut enc = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                enc.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                enc.push('=');
            }
        }
    }
    const LINE: usize = 70;
    if enc.len() / LINE + 1 == 1 {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + enc.len() / LINE + 1);
    for piece in enc.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(piece).unwrap_or_default());
        out.push('\n');
    }
    out
}

pub struct ConfigMapGenerator;

impl Generator for ConfigMapGenerator {
    fn field(&self) -> &'static str {
        "configMapGenerator"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.config_map_generator.is_empty()
    }

    fn generate(&self, ctx: &StepContext<'_>) -> Result<Vec<Resource>, BuildError> {
        let k = ctx.kustomization;
        let global = k.generator_options.as_ref();
        k.config_map_generator
            .iter()
            .map(|a| {
                let entry = Entry {
                    kind: "ConfigMap",
                    name: &a.name,
                    namespace: &a.namespace,
                    behavior: &a.behavior,
                    sources: Sources {
                        envs: &a.envs,
                        literals: &a.literals,
                        files: &a.files,
                    },
                    options: merge_options(a.options.as_ref(), global),
                };
                make(ctx, entry)
            })
            .collect()
    }
}

pub struct SecretGenerator;

impl Generator for SecretGenerator {
    fn field(&self) -> &'static str {
        "secretGenerator"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.secret_generator.is_empty()
    }

    fn generate(&self, ctx: &StepContext<'_>) -> Result<Vec<Resource>, BuildError> {
        let k = ctx.kustomization;
        let global = k.generator_options.as_ref();
        k.secret_generator
            .iter()
            .map(|a| {
                let entry = Entry {
                    kind: "Secret",
                    name: &a.name,
                    namespace: &a.namespace,
                    behavior: &a.behavior,
                    sources: Sources {
                        envs: &a.envs,
                        literals: &a.literals,
                        files: &a.files,
                    },
                    options: merge_options(a.options.as_ref(), global),
                };
                let mut r = make(ctx, entry)?;
                let t = if a.secret_type.is_empty() {
                    "Opaque"
                } else {
                    &a.secret_type
                };
                r.node.set("type", Node::string(t));
                Ok(r)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_breaks_long_values() {
        assert_eq!(base64_lines(b"ab"), "YWI=");
        assert_eq!(base64_lines(b""), "");
        let long = base64_lines(&[b'x'; 60]);
        assert_eq!(long.lines().map(str::len).collect::<Vec<_>>(), [70, 10]);
        assert!(long.ends_with('\n'));
        assert_eq!(base64_lines(&[b'x'; 51]).len(), 68);
    }

    #[test]
    fn options_merge_local_first() {
        let mut local = GeneratorOptions::default();
        local.labels.insert("a".into(), "local".into());
        let mut global = GeneratorOptions::default();
        global.labels.insert("a".into(), "global".into());
        global.labels.insert("b".into(), "global".into());
        global.immutable = true;
        let o = merge_options(Some(&local), Some(&global));
        assert_eq!(o.labels.get("a").map(String::as_str), Some("local"));
        assert_eq!(o.labels.get("b").map(String::as_str), Some("global"));
        assert!(o.immutable && !o.disable_name_suffix_hash);
        assert_eq!(parse_behavior("bogus"), Behavior::Create);
    }
}
