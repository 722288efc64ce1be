//! HTTPS: a certificate authority and a serving certificate for 127.0.0.1 and localhost made
//! at start (rcgen), served with rustls on the ring provider; clients trust the CA through the
//! kubeconfig's certificate-authority-data. The CA also signs client certificates, and the
//! server can ask clients for theirs (see `client_cert`).

use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::client_cert::RequestClientCert;
use super::write_private;

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
    #[error("certificate authority {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The files of a kept CA under the data directory (certificate and key, PEM).
pub const CA_CERT_FILE: &str = "ca.crt";
pub const CA_KEY_FILE: &str = "ca.key";

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
    let (ca_pem, issuer) = new_ca()?;
    serving(ca_pem, issuer)
}

/// The CA kept in `dir` (made and written there the first time), so kubeconfigs, client
/// certificates and token Secrets' `ca.crt` stay good across restarts, and a new serving
/// certificate it signed.
pub fn load_or_generate(dir: &Path) -> Result<Certificates, TlsError> {
    let (cert_path, key_path) = (dir.join(CA_CERT_FILE), dir.join(CA_KEY_FILE));
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| TlsError::Io { path, source }
    };
    if cert_path.exists() && key_path.exists() {
        let ca_pem = std::fs::read_to_string(&cert_path).map_err(io(&cert_path))?;
        let key_pem = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
        let issuer = Issuer::from_ca_cert_pem(&ca_pem, KeyPair::from_pem(&key_pem)?)?;
        return serving(ca_pem, issuer);
    }
    let (ca_pem, issuer) = new_ca()?;
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    write_private(&key_path, issuer.key().serialize_pem().as_bytes()).map_err(io(&key_path))?;
    std::fs::write(&cert_path, &ca_pem).map_err(io(&cert_path))?;
    serving(ca_pem, issuer)
}

/// A self-signed CA: its certificate (PEM) and its signing side.
fn new_ca() -> Result<(String, Issuer<'static, KeyPair>), TlsError> {
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
    Ok((ca.pem(), Issuer::new(ca_params, ca_key)))
}

/// A serving certificate for [`SERVER_NAMES`] signed by the CA.
fn serving(ca_pem: String, issuer: Issuer<'static, KeyPair>) -> Result<Certificates, TlsError> {
    let ca_der = pem_certificates(&ca_pem)?
        .into_iter()
        .next()
        .ok_or_else(|| TlsError::ClientCa("no CA certificate".into()))?;
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
        chain: vec![cert.der().clone(), CertificateDer::from(ca_der.clone())],
        ca_pem,
        ca_der,
        issuer,
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

    #[test]
    fn keeps_the_ca_in_the_data_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = load_or_generate(dir.path()).expect("new CA");
        let b = load_or_generate(dir.path()).expect("same CA");
        assert_eq!(a.ca_pem, b.ca_pem);
        assert_ne!(a.key_der, b.key_der, "a new serving key each start");
        let spec = super::super::CertSpec::new("alice", &[]);
        let cert = super::super::client_cert::issue(&b.issuer, &spec).expect("issue");
        let der: CertificateDer<'static> =
            rustls::pki_types::pem::PemObject::from_pem_slice(cert.cert_pem.as_bytes())
                .expect("pem");
        let auth =
            super::super::client_cert::CertAuthenticator::new(std::slice::from_ref(&a.ca_der))
                .expect("verifier");
        assert!(matches!(auth.authenticate(&[der]), Some(Ok(_))));
        std::fs::write(dir.path().join(CA_KEY_FILE), "junk").expect("write");
        assert!(load_or_generate(dir.path()).is_err());
    }
}
