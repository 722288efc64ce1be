//! Sprig's crypto functions that make keys and certificates: bcrypt, htpasswd,
//! genPrivateKey, buildCustomCert, genCA(WithKey), genSelfSignedCert(WithKey) and
//! genSignedCert(WithKey), returning Sprig's `certificate` object (`.Cert`, `.Key`).
//! Certificates carry what Sprig's template sets: the CN, IP and DNS SANs, now + days,
//! key encipherment + digital signature (+ cert sign for a CA), server and client auth.

use std::borrow::Cow;
use std::net::IpAddr;
use std::rc::Rc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};

use super::crypto_keys::{PrivateKey, pem_decode, pem_encode};
use super::encoding::b64_decode_std;
use super::{err, strval};
use crate::template::{FuncError, FuncMap, Member, Object, Param, Signature, Value};

/// Sprig's `certificate` struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Certificate {
    fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    /// The certificate behind an argument of type `sprig.certificate`.
    fn from_arg(v: &Value) -> Certificate {
        let field = |name| match v {
            Value::Object(o) => match o.member(name) {
                Some(Member::Field { value, .. }) => value.as_str().unwrap_or("").to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        Certificate {
            cert: field("Cert"),
            key: field("Key"),
        }
    }
}

impl Object for Certificate {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("sprig.certificate")
    }

    fn member(&self, name: &str) -> Option<Member> {
        let value = match name {
            "Cert" => &self.cert,
            "Key" => &self.key,
            _ => return None,
        };
        Some(Member::Field {
            value: Value::from(value.as_str()),
            interface: false,
        })
    }

    fn print(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            ("Cert".to_string(), Value::from(self.cert.as_str())),
            ("Key".to_string(), Value::from(self.key.as_str())),
        ])
    }

    fn equals(&self, other: &dyn Object) -> bool {
        other.type_name() == "sprig.certificate" && other.print() == self.print()
    }
}

/// Sprig's `getNetIPs`.
fn net_ips(ips: &Value) -> Result<Vec<IpAddr>, String> {
    super::list_items(ips)
        .unwrap_or_default()
        .iter()
        .map(|ip| match ip.as_str() {
            None => Err(format!("error parsing ip: {} is not a string", strval(ip))),
            Some(s) => s.parse().map_err(|_| format!("error parsing ip: {s}")),
        })
        .collect()
}

/// Sprig's `getAlternateDNSStrs`.
fn dns_names(names: &Value) -> Result<Vec<String>, String> {
    super::list_items(names)
        .unwrap_or_default()
        .iter()
        .map(|n| match n.as_str() {
            None => Err(format!(
                "error processing alternate dns name: {} is not a string",
                strval(n)
            )),
            Some(s) => Ok(s.to_string()),
        })
        .collect()
}

/// Sprig's `getBaseCertTemplate`.
fn base_params(cn: &str, ips: &Value, dns: &Value, days: i64) -> Result<CertificateParams, String> {
    let ips = net_ips(ips)?;
    let dns = dns_names(dns)?;
    let mut params = CertificateParams::default();
    let mut serial = [0u8; 16];
    rand::fill(&mut serial);
    // Go draws the serial below 2^128 as a positive integer; keep the sign bit clear.
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    // Go writes DNS names before IP addresses in the SAN extension.
    for name in dns {
        let ia5 = name.as_str().try_into().map_err(|_| {
            format!("error creating certificate: x509: {name:?} cannot be encoded as an IA5String")
        })?;
        params.subject_alt_names.push(SanType::DnsName(ia5));
    }
    for ip in ips {
        params.subject_alt_names.push(SanType::IpAddress(ip));
    }
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now;
    // Bounded so the duration cannot overflow; Go's own arithmetic wraps far beyond this.
    params.not_after = now
        .checked_add(time::Duration::days(days.clamp(-3_000_000, 3_000_000)))
        .ok_or_else(|| "error creating certificate: validity out of range".to_string())?;
    params.key_usages = vec![
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.is_ca = IsCa::ExplicitNoCa;
    Ok(params)
}

fn key_pair(key: &PrivateKey, what: &str) -> Result<KeyPair, String> {
    let der = key
        .to_pkcs8()
        .map_err(|e| format!("error creating certificate: {e}"))?;
    KeyPair::try_from(der.as_slice()).map_err(|e| format!("error retrieving {what}: {e}"))
}

/// Signs `params` for `key`, by `issuer` (certificate PEM and key) or by itself.
fn sign(
    params: &CertificateParams,
    key: &PrivateKey,
    issuer: Option<(&str, &PrivateKey)>,
) -> Result<Certificate, String> {
    let subject = key_pair(key, "public key from signee key")?;
    let cert = match issuer {
        None => params.self_signed(&subject),
        Some((ca_pem, ca_key)) => {
            let signer = key_pair(ca_key, "signing key")?;
            let issuer = Issuer::from_ca_cert_pem(ca_pem, signer)
                .map_err(|e| format!("error parsing certificate: {e}"))?;
            params.signed_by(&subject, &issuer)
        }
    }
    .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: pem_encode("CERTIFICATE", cert.der()),
        key: key.to_pem()?,
    })
}

fn ca(cn: &str, days: i64, key: &PrivateKey) -> Result<Certificate, String> {
    let mut params = base_params(cn, &Value::Nil, &Value::Nil, days)?;
    params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    sign(&params, key, None)
}

fn parse_key(pem: &str) -> Result<PrivateKey, String> {
    PrivateKey::parse_pem(pem).map_err(|e| format!("parsing private key: {e}"))
}

fn new_rsa() -> Result<PrivateKey, String> {
    PrivateKey::generate_rsa(2048).map_err(|e| format!("error generating rsa key: {e}"))
}

/// `genSignedCert*`: the CA certificate must parse and its key must be a key.
fn signed(
    cn: &str,
    a: &[Value],
    ca: &Certificate,
    key: &PrivateKey,
) -> Result<Certificate, String> {
    let Some((_, der)) = pem_decode(&ca.cert) else {
        return Err("unable to decode certificate".into());
    };
    x509_check(&der)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let ca_key =
        PrivateKey::parse_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    let params = base_params(cn, &a[1], &a[2], n(a, 3))?;
    sign(&params, key, Some((&ca.cert, &ca_key)))
}

/// Whether DER holds a certificate rcgen can use as an issuer.
fn x509_check(der: &[u8]) -> Result<(), String> {
    let pem = pem_encode("CERTIFICATE", der);
    let probe = KeyPair::generate().map_err(|e| e.to_string())?;
    Issuer::from_ca_cert_pem(&pem, probe)
        .map(drop)
        .map_err(|_| "x509: malformed certificate".to_string())
}

/// Sprig's `buildCustomCertificate`.
fn custom(b64cert: &str, b64key: &str) -> Result<Certificate, String> {
    let cert = b64_decode_std(b64cert).map_err(|_| "unable to decode base64 certificate")?;
    let key = b64_decode_std(b64key).map_err(|_| "unable to decode base64 private key")?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let Some((_, der)) = pem_decode(&cert) else {
        return Err("unable to decode certificate".into());
    };
    x509_check(&der).map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    PrivateKey::parse_pem(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Certificate { cert, key })
}

fn s(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

fn n(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(v) | Value::Int64(v)) => *v,
        _ => 0,
    }
}

fn done(r: Result<Certificate, String>) -> Result<Value, FuncError> {
    r.map(Certificate::value).map_err(err)
}

/// Go's bcrypt at the default cost, `$2a$` as x/crypto writes it.
fn bcrypt_hash(password: &str) -> String {
    match bcrypt::non_truncating_hash_with_result(password, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(bcrypt::BcryptError::Truncation(_)) => {
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".into()
        }
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

pub(super) fn register(map: &mut FuncMap) {
    let cert = || Param::Object(Cow::Borrowed("sprig.certificate"));
    let sans = || vec![Param::String, Param::List, Param::List, Param::Int];
    map.add("bcrypt", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(bcrypt_hash(s(a, 0))))
    });
    map.add(
        "htpasswd",
        Signature::new([Param::String, Param::String]),
        |_, a| {
            let user = s(a, 0);
            if user.contains(':') {
                return Ok(Value::from(format!("invalid username: {user}")));
            }
            Ok(Value::from(format!("{user}:{}", bcrypt_hash(s(a, 1)))))
        },
    );
    map.add("genPrivateKey", Signature::new([Param::String]), |_, a| {
        let typ = s(a, 0);
        Ok(Value::from(match PrivateKey::generate(typ) {
            None => format!("Unknown type {typ}"),
            Some(Err(e)) => format!("failed to generate private key: {e}"),
            Some(Ok(k)) => k.to_pem().unwrap_or_default(),
        }))
    });
    map.add(
        "buildCustomCert",
        Signature::new([Param::String, Param::String]),
        |_, a| done(custom(s(a, 0), s(a, 1))),
    );
    map.add(
        "genCA",
        Signature::new([Param::String, Param::Int]),
        |_, a| done(new_rsa().and_then(|k| ca(s(a, 0), n(a, 1), &k))),
    );
    map.add(
        "genCAWithKey",
        Signature::new([Param::String, Param::Int, Param::String]),
        |_, a| done(parse_key(s(a, 2)).and_then(|k| ca(s(a, 0), n(a, 1), &k))),
    );
    map.add("genSelfSignedCert", Signature::new(sans()), |_, a| {
        done(new_rsa().and_then(|k| sign(&base_params(s(a, 0), &a[1], &a[2], n(a, 3))?, &k, None)))
    });
    let mut with_key = sans();
    with_key.push(Param::String);
    map.add(
        "genSelfSignedCertWithKey",
        Signature::new(with_key),
        |_, a| {
            done(
                parse_key(s(a, 4))
                    .and_then(|k| sign(&base_params(s(a, 0), &a[1], &a[2], n(a, 3))?, &k, None)),
            )
        },
    );
    let mut signed_sig = sans();
    signed_sig.push(cert());
    map.add(
        "genSignedCert",
        Signature::new(signed_sig.clone()),
        |_, a| {
            let ca = Certificate::from_arg(&a[4]);
            done(new_rsa().and_then(|k| signed(s(a, 0), a, &ca, &k)))
        },
    );
    signed_sig.push(Param::String);
    map.add(
        "genSignedCertWithKey",
        Signature::new(signed_sig),
        |_, a| {
            let ca = Certificate::from_arg(&a[4]);
            done(parse_key(s(a, 5)).and_then(|k| signed(s(a, 0), a, &ca, &k)))
        },
    );
}

#[cfg(test)]
#[path = "crypto_tests.rs"]
mod tests;
