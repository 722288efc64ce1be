//! HTTPS: a certificate authority and a serving certificate for 127.0.0.1 and localhost made
//! at start (rcgen), served with rustls on the ring provider; clients trust the CA through the
//! kubeconfig's certificate-authority-data.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Why the certificates or the TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("generating a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("configuring TLS: {0}")]
    Config(#[from] rustls::Error),
}

/// What the server serves with and what clients trust.
pub struct Certificates {
    /// The CA certificate, PEM (for kubeconfigs).
    pub ca_pem: String,
    /// The CA certificate, DER (for kube-rs' root certificates).
    pub ca_der: Vec<u8>,
    /// The rustls configuration of the server: its certificate chain and key, HTTP/2 and 1.1.
    pub server: Arc<rustls::ServerConfig>,
}

/// The names the serving certificate is valid for.
pub const SERVER_NAMES: &[&str] = &["127.0.0.1", "localhost", "::1"];

/// A new CA and a serving certificate it signed.
pub fn generate() -> Result<Certificates, TlsError> {
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "fluxion-apiserver-ca");
    ca_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
    ];
    let ca = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate()?;
    let names: Vec<String> = SERVER_NAMES.iter().map(|s| s.to_string()).collect();
    let mut params = CertificateParams::new(names)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "fluxion-apiserver");
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.signed_by(&key, &issuer)?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone(), ca.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )?;
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Certificates {
        ca_pem: ca.pem(),
        ca_der: CertificateDer::as_ref(ca.der()).to_vec(),
        server: Arc::new(server),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_a_ca_and_a_serving_certificate() {
        let c = generate().expect("certificates");
        assert!(c.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(!c.ca_der.is_empty());
        assert_eq!(c.server.alpn_protocols.len(), 2);
    }
}
