//! A test certificate authority generated at start, and a server certificate it signs for
//! 127.0.0.1 and localhost; rustls configs use the ring provider only.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::{Error, Result};

fn tls_err(e: impl std::fmt::Display) -> Error {
    Error::Tls(e.to_string())
}

/// A CA plus one server certificate for `127.0.0.1`/`localhost`, all PEM.
#[derive(Clone, Debug)]
pub struct TestCa {
    /// The CA certificate: give it to clients (`caFile`, `ca.crt`, `GIT_SSL_CAINFO`).
    pub ca_pem: String,
    /// The server certificate chain (leaf then CA).
    pub server_cert_pem: String,
    /// The server's private key (PKCS#8).
    pub server_key_pem: String,
    ca_key: Arc<KeyPair>,
    ca_params: Arc<CertificateParams>,
}

impl TestCa {
    /// Generates a fresh CA and a server certificate for loopback.
    pub fn generate() -> Result<Self> {
        let ca_key = KeyPair::generate().map_err(tls_err)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_err)?;
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "fluxion-testkit CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).map_err(tls_err)?;
        let mut ca = Self {
            ca_pem: ca_cert.pem(),
            server_cert_pem: String::new(),
            server_key_pem: String::new(),
            ca_key: Arc::new(ca_key),
            ca_params: Arc::new(ca_params),
        };
        let (cert, key) = ca.issue_with(
            &["127.0.0.1", "localhost"],
            ExtendedKeyUsagePurpose::ServerAuth,
        )?;
        ca.server_cert_pem = format!("{cert}{}", ca.ca_pem);
        ca.server_key_pem = key;
        Ok(ca)
    }

    /// Issues a server certificate for `names` (IP addresses or DNS names): (cert PEM, key PEM).
    pub fn issue(&self, names: &[&str]) -> Result<(String, String)> {
        self.issue_with(names, ExtendedKeyUsagePurpose::ServerAuth)
    }

    /// Issues a client certificate for `name` (mutual TLS, Flux's `tls.crt`/`tls.key`).
    pub fn issue_client(&self, name: &str) -> Result<(String, String)> {
        self.issue_with(&[name], ExtendedKeyUsagePurpose::ClientAuth)
    }

    fn issue_with(
        &self,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
    ) -> Result<(String, String)> {
        let key = KeyPair::generate().map_err(tls_err)?;
        let sans: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(sans).map_err(tls_err)?;
        params.extended_key_usages = vec![usage];
        params
            .distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("test"));
        let issuer = Issuer::from_params(&self.ca_params, self.ca_key.as_ref());
        let cert = params.signed_by(&key, &issuer).map_err(tls_err)?;
        Ok((cert.pem(), key.serialize_pem()))
    }

    /// A rustls server config presenting the server certificate (HTTP/1.1 only); with
    /// `require_client_cert`, clients must present a certificate this CA issued.
    pub fn server_config(&self, require_client_cert: bool) -> Result<Arc<rustls::ServerConfig>> {
        let certs = CertificateDer::pem_slice_iter(self.server_cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(tls_err)?;
        let key = PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes()).map_err(tls_err)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_err)?;
        let builder = if require_client_cert {
            let mut roots = rustls::RootCertStore::empty();
            let ca = CertificateDer::from_pem_slice(self.ca_pem.as_bytes()).map_err(tls_err)?;
            roots.add(ca).map_err(tls_err)?;
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .map_err(tls_err)?;
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let mut config = builder.with_single_cert(certs, key).map_err(tls_err)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }

    /// Writes `ca.crt`, `tls.crt` and `tls.key` into `dir` and returns their paths.
    pub(crate) fn write_to(&self, dir: &std::path::Path) -> Result<TlsFiles> {
        let files = TlsFiles {
            ca: dir.join("ca.crt"),
            cert: dir.join("tls.crt"),
            key: dir.join("tls.key"),
        };
        for (path, text) in [
            (&files.ca, &self.ca_pem),
            (&files.cert, &self.server_cert_pem),
            (&files.key, &self.server_key_pem),
        ] {
            std::fs::write(path, text).map_err(Error::io(format!("writing {}", path.display())))?;
        }
        Ok(files)
    }
}

/// Paths of the PEM files written by [`TestCa::write_to`].
#[derive(Clone, Debug)]
pub(crate) struct TlsFiles {
    pub(crate) ca: std::path::PathBuf,
    pub(crate) cert: std::path::PathBuf,
    pub(crate) key: std::path::PathBuf,
}

/// Installs ring as rustls' process-wide provider (reqwest is built without one).
pub(crate) fn install_ring() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client for the test servers, trusting `ca_pem` when given.
pub fn http_client(ca_pem: Option<&str>) -> Result<reqwest::Client> {
    install_ring();
    let mut builder = reqwest::Client::builder();
    if let Some(pem) = ca_pem {
        builder = builder.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes())?);
    }
    Ok(builder.build()?)
}
