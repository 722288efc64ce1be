//! Helm's rendering engine (Go package `helm.sh/helm/v4/pkg/engine`): how Helm runs the
//! template language over a chart. Today it holds Helm's wording of template errors; chart
//! rendering, include/tpl/required/fail and the other Helm functions join it.

pub mod errors;

/// Helm drops every `<no value>` from rendered output (its `missingkey=zero` workaround).
pub fn strip_no_value(rendered: &str) -> String {
    rendered.replace("<no value>", "")
}
