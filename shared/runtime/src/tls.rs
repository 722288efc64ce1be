//! The one rustls crypto provider (ring) of every Fluxion process, and HTTP clients built on it.

/// Installs ring as the process-wide rustls crypto provider unless one is already installed.
///
/// reqwest is built with `rustls-no-provider` and panics when a client is built before a
/// provider is installed. Binaries call this first thing in `main` so that every TLS client
/// agrees; [`http_client_builder`] calls it too. Idempotent.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another installer is fine: some provider is then installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A reqwest client builder with the crypto provider installed.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clients_build_after_install() {
        super::install_crypto_provider();
        super::install_crypto_provider();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        assert!(super::http_client_builder().build().is_ok());
    }
}
