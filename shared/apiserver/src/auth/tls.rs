//! HTTPS: a certificate authority and a serving certificate for 127.0.0.1 and localhost made
//! at start (rcgen), served with rustls on the ring provider; clients trust the CA through the
//! kubeconfig's certificate-authority-data. The CA also signs client certificates, and the
//! server can ask clients for theirs (see `client_cert`).

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::client_cert::RequestClientCert;

/// Why the certificates or the TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("generating a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("configuring TLS: {0}")]
    Config(#[from] rustls::Error),
    #[error("client CA: {0}")]
    ClientCa(String),
    #[error("a client certificate carries at most two groups (organizations)")]
    TooManyGroups,
}

/// What the server serves with and what clients trust.
pub struct Certificates {
    /// The CA certificate, PEM (for kubeconfigs).
    pub ca_pem: String,
    /// The CA certificate, DER (for kube-rs' root certificates).
    pub ca_der: Vec<u8>,
    /// The CA, to sign client certificates with.
    pub issuer: Issuer<'static, KeyPair>,
    /// The serving certificate chain and key.
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
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
    Ok(Certificates {
        ca_pem: ca.pem(),
        ca_der: CertificateDer::as_ref(ca.der()).to_vec(),
        issuer,
        chain: vec![cert.der().clone(), ca.der().clone()],
        key_der: key.serialize_der(),
    })
}

impl Certificates {
    /// The rustls configuration of the server: its certificate chain and key, HTTP/2 and 1.1;
    /// with `client_certs`, clients are asked for a certificate (optional, judged later).
    pub fn server_config(&self, client_certs: bool) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?;
        let builder = if client_certs {
            builder.with_client_cert_verifier(Arc::new(RequestClientCert::new(&provider)))
        } else {
            builder.with_no_client_auth()
        };
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let mut server = builder.with_single_cert(self.chain.clone(), key)?;
        server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(server))
    }
}

/// The DER certificates of a PEM bundle (`--client-ca-file`).
pub fn pem_certificates(pem: &str) -> Result<Vec<Vec<u8>>, TlsError> {
    use rustls::pki_types::pem::PemObject;
    let certs: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(pem.as_bytes())
        .map(|c| c.map(|c| c.to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::ClientCa(format!("reading PEM: {e}")))?;
    if certs.is_empty() {
        return Err(TlsError::ClientCa("no certificate in the PEM data".into()));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_a_ca_and_a_serving_certificate() {
        let c = generate().expect("certificates");
        assert!(c.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(!c.ca_der.is_empty());
        assert_eq!(
            c.server_config(false).expect("config").alpn_protocols.len(),
            2
        );
        assert!(c.server_config(true).is_ok());
        assert_eq!(
            pem_certificates(&c.ca_pem).expect("pem"),
            vec![c.ca_der.clone()]
        );
        assert!(pem_certificates("nothing").is_err());
    }
}
