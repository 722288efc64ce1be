//! Differential corpus for how Helm DECODES YAML into values: values.yaml and
//! fromYaml/fromYamlArray texts, read as sigs.k8s.io/yaml reads them (go-yaml v2, whose
//! scanner is a port of libyaml, then YAML→JSON→encoding/json). Each case aims at one rule of
//! how libyaml builds a scalar or how go-yaml v2 composes and resolves nodes: plain-scalar
//! folding, quoting and escapes, block scalars, tags, anchors, merge keys, map keys, documents
//! and YAML 1.1 number and boolean resolution.
//!
//! Texts that Helm rejects go through fromYaml (its `.Error`), never through values.yaml: Helm
//! prefixes a values file's error with the file's role, which the harness does not model.
//! values.yaml cases also avoid later `---` documents, which Helm's LoadValues merges.

use crate::helm_harness::HCase;

mod documents;
mod scalars;
mod structure;
mod tokens;

/// The decoded values as JSON: strings, escapes, key order and numbers as encoding/json prints them.
pub(crate) const J: &str = "{{ toJson .Values }}";
/// JSON plus each top-level value's Go kind and `%v` text, where types matter.
pub(crate) const K: &str =
    "{{ toJson .Values }}|{{ range $k, $v := .Values }}{{ $k }}={{ kindOf $v }}:{{ $v }};{{ end }}";

/// Every case, by topic.
pub const CASES: [&[HCase]; 4] = [
    scalars::CASES,
    structure::CASES,
    documents::CASES,
    tokens::CASES,
];
