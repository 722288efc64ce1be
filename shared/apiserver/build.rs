//! Sets `cfg(apiserver_external)` when `APISERVER_TEST_KUBECONFIG` names a cluster, so the
//! integration tests that only our own server can pass are ignored (with their reason) there.

fn main() {
    println!("cargo::rerun-if-env-changed=APISERVER_TEST_KUBECONFIG");
    println!("cargo::rustc-check-cfg=cfg(apiserver_external)");
    if std::env::var_os("APISERVER_TEST_KUBECONFIG").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=apiserver_external");
    }
}
