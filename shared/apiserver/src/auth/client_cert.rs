//! Client certificates, as kube-apiserver's `--client-ca-file` takes them: the TLS layer asks
//! every client for a certificate without requiring one or judging it (Go's
//! RequestClientCert), the acceptor hands the chain to each request, and the authenticator
//! verifies it against the trusted CAs (expiry, client-auth usage) and reads the user from it:
//! CN is the user name, each O a group. A bad certificate is a 401, as upstream.

use std::io;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Extension;
use axum_server::accept::Accept;
use axum_server::tls_rustls::RustlsAcceptor;
use futures::future::BoxFuture;
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, Issuer, KeyPair, KeyUsagePurpose};
use rustls::DigitallySignedStruct;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use tokio::io::{AsyncRead, AsyncWrite};
use tower_layer::Layer;

use super::UserInfo;
use super::tls::TlsError;

/// The certificate chain a client presented on its connection (none: an empty list).
#[derive(Debug, Clone, Default)]
pub struct PeerCertificates(pub Arc<Vec<CertificateDer<'static>>>);

/// Asks for a client certificate, takes whatever comes, and leaves the verdict to the
/// authenticator, so that a bad certificate gets kube's 401 rather than a failed handshake.
/// The handshake signature is still checked: the client must hold the certificate's key.
#[derive(Debug)]
pub struct RequestClientCert {
    algorithms: WebPkiSupportedAlgorithms,
}

impl RequestClientCert {
    pub fn new(provider: &rustls::crypto::CryptoProvider) -> Self {
        RequestClientCert {
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for RequestClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    // No hints: Go clients then send their certificate whatever CA signed it.
    fn root_hint_subjects(&self) -> &[rustls::DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The rustls acceptor, plus the client's certificates as a request extension.
#[derive(Debug, Clone)]
pub struct PeerCertAcceptor {
    inner: RustlsAcceptor,
}

impl PeerCertAcceptor {
    pub fn new(inner: RustlsAcceptor) -> Self {
        PeerCertAcceptor { inner }
    }
}

impl<I, S> Accept<I, S> for PeerCertAcceptor
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: Send + 'static,
{
    type Stream = <RustlsAcceptor as Accept<I, S>>::Stream;
    type Service = axum::middleware::AddExtension<S, PeerCertificates>;
    type Future = BoxFuture<'static, io::Result<(Self::Stream, Self::Service)>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let acceptor = self.inner.clone();
        Box::pin(async move {
            let (stream, service) = acceptor.accept(stream, service).await?;
            let certs = stream
                .get_ref()
                .1
                .peer_certificates()
                .map(|c| c.iter().map(|d| d.clone().into_owned()).collect())
                .unwrap_or_default();
            let service = Extension(PeerCertificates(Arc::new(certs))).layer(service);
            Ok((stream, service))
        })
    }
}

/// Why a presented certificate does not authenticate (logged, never sent: the client gets
/// kube's bare 401).
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("verifying certificate failed: {0}")]
    Verify(rustls::Error),
    #[error("the certificate cannot be parsed")]
    Parse,
    #[error("common name of the provided certificate is empty")]
    NoCommonName,
}

/// Verifies client certificates against the trusted CAs.
#[derive(Debug)]
pub struct CertAuthenticator {
    verifier: Arc<dyn ClientCertVerifier>,
}

impl CertAuthenticator {
    /// Trusts the certificates in `ca_pems` (each PEM may hold several).
    pub fn new(ca_ders: &[Vec<u8>]) -> Result<Self, TlsError> {
        let mut roots = rustls::RootCertStore::empty();
        for der in ca_ders {
            roots.add(CertificateDer::from(der.clone()))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| TlsError::ClientCa(e.to_string()))?;
        Ok(CertAuthenticator { verifier })
    }

    /// The user of a presented chain (None when no certificate was presented).
    pub fn authenticate(
        &self,
        chain: &[CertificateDer<'_>],
    ) -> Option<Result<UserInfo, CertError>> {
        let (leaf, intermediates) = chain.split_first()?;
        Some(self.check(leaf, intermediates))
    }

    fn check(
        &self,
        leaf: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
    ) -> Result<UserInfo, CertError> {
        self.verifier
            .verify_client_cert(leaf, intermediates, UnixTime::now())
            .map_err(CertError::Verify)?;
        user_of(leaf)
    }
}

/// CN → user name, O → groups (`CommonNameUserConversion`), plus system:authenticated.
pub fn user_of(der: &[u8]) -> Result<UserInfo, CertError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|_| CertError::Parse)?;
    let subject = cert.subject();
    let name = subject
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .unwrap_or("");
    if name.is_empty() {
        return Err(CertError::NoCommonName);
    }
    let groups = subject
        .iter_organization()
        .filter_map(|o| o.as_str().ok())
        .map(String::from)
        .collect();
    Ok(UserInfo {
        name: name.to_string(),
        groups,
        ..Default::default()
    }
    .authenticated())
}

/// What a client certificate to issue says.
#[derive(Debug, Clone)]
pub struct CertSpec {
    pub user: String,
    /// At most two (each an O of the subject).
    pub groups: Vec<String>,
    pub not_before: SystemTime,
    pub not_after: SystemTime,
}

impl CertSpec {
    /// A certificate valid from now for a year.
    pub fn new(user: &str, groups: &[&str]) -> Self {
        let now = SystemTime::now();
        CertSpec {
            user: user.to_string(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            not_before: now - std::time::Duration::from_secs(60),
            not_after: now + std::time::Duration::from_secs(365 * 24 * 3600),
        }
    }
}

/// A client certificate and its key, PEM.
#[derive(Clone)]
pub struct ClientCertificate {
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificate").finish_non_exhaustive()
    }
}

/// The OID of organizationName, for a second O (rcgen keeps one value per attribute type).
const ORGANIZATION_OID: &[u64] = &[2, 5, 4, 10];

/// A client certificate `issuer` signs for `spec`.
pub fn issue(issuer: &Issuer<'_, KeyPair>, spec: &CertSpec) -> Result<ClientCertificate, TlsError> {
    if spec.groups.len() > 2 {
        return Err(TlsError::TooManyGroups);
    }
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, spec.user.as_str());
    for (i, g) in spec.groups.iter().enumerate() {
        let ty = match i {
            0 => DnType::OrganizationName,
            _ => DnType::CustomDnType(ORGANIZATION_OID.to_vec()),
        };
        params.distinguished_name.push(ty, g.as_str());
    }
    params.not_before = spec.not_before.into();
    params.not_after = spec.not_after.into();
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.signed_by(&key, issuer)?;
    Ok(ClientCertificate {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_certificates_authenticate_their_subject() {
        let certs = super::super::tls::generate().expect("CA");
        let spec = CertSpec::new("alice", &["dev", "ops"]);
        let issued = issue(&certs.issuer, &spec).expect("issue");
        let der = rustls::pki_types::pem::PemObject::from_pem_slice(issued.cert_pem.as_bytes())
            .map(|c: CertificateDer<'static>| c.to_vec())
            .expect("pem");
        let auth = CertAuthenticator::new(std::slice::from_ref(&certs.ca_der)).expect("verifier");
        let user = auth
            .authenticate(&[CertificateDer::from(der.clone())])
            .expect("presented")
            .expect("valid");
        assert_eq!(user.name, "alice");
        assert_eq!(user.groups, vec!["dev", "ops", "system:authenticated"]);
        assert!(auth.authenticate(&[]).is_none());

        let expired = CertSpec {
            not_before: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_500_000_000),
            not_after: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000),
            ..spec.clone()
        };
        let old = issue(&certs.issuer, &expired).expect("issue");
        let old: CertificateDer<'static> =
            rustls::pki_types::pem::PemObject::from_pem_slice(old.cert_pem.as_bytes())
                .expect("pem");
        assert!(matches!(
            auth.authenticate(&[old]),
            Some(Err(CertError::Verify(_)))
        ));

        let other = super::super::tls::generate().expect("other CA");
        let stranger =
            CertAuthenticator::new(std::slice::from_ref(&other.ca_der)).expect("verifier");
        assert!(matches!(
            stranger.authenticate(&[CertificateDer::from(der)]),
            Some(Err(CertError::Verify(_)))
        ));
        let too_many = CertSpec::new("bob", &["a", "b", "c"]);
        assert!(matches!(
            issue(&certs.issuer, &too_many),
            Err(TlsError::TooManyGroups)
        ));
    }
}
