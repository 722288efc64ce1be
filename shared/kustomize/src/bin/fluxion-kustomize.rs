//! `fluxion-kustomize build DIR`: prints what `kubectl kustomize DIR` prints.
fn main() {}
