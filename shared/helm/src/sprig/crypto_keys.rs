//! Private keys as Sprig makes and reads them: generation (`genPrivateKey`: RSA 4096, DSA
//! L2048N256, ECDSA P-256, Ed25519), PEM in Sprig's block types (`RSA PRIVATE KEY` PKCS#1,
//! `EC PRIVATE KEY` SEC1, `DSA PRIVATE KEY`, `PRIVATE KEY` PKCS#8 for Ed25519), parsing
//! with `parsePrivateKeyPEM`'s rules and errors, and PKCS#8 for signing certificates.

use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::rand_core::OsRng;

use super::encoding::{b64_decode_std, b64_encode};

/// The DER prefix of an Ed25519 PKCS#8 v1 key (Go's `MarshalPKCS8PrivateKey`), seed follows.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const ED25519_OID: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];

/// A private key of a type Sprig handles.
pub(super) enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ecdsa(p256::SecretKey),
    Ed25519([u8; 32]),
    /// DER of Sprig's `DSAKeyFormat` (version, P, Q, G, Y, X); Go cannot sign with it.
    Dsa(Vec<u8>),
}

impl PrivateKey {
    pub(super) fn generate_rsa(bits: usize) -> Result<PrivateKey, String> {
        rsa::RsaPrivateKey::new(&mut OsRng, bits)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| e.to_string())
    }

    /// `genPrivateKey`'s types; `None` for an unknown type.
    pub(super) fn generate(typ: &str) -> Option<Result<PrivateKey, String>> {
        Some(match typ {
            "" | "rsa" => Self::generate_rsa(4096),
            "dsa" => Ok(Self::generate_dsa()),
            "ecdsa" => Ok(PrivateKey::Ecdsa(p256::SecretKey::random(&mut OsRng))),
            "ed25519" => {
                let mut seed = [0u8; 32];
                rand::fill(&mut seed);
                Ok(PrivateKey::Ed25519(seed))
            }
            _ => return None,
        })
    }

    fn generate_dsa() -> PrivateKey {
        let components = dsa::Components::generate(&mut OsRng, dsa::KeySize::DSA_2048_256);
        let key = dsa::SigningKey::generate(&mut OsRng, components);
        let public = key.verifying_key();
        let c = public.components();
        let ints = [
            der_integer(&[0]),
            der_integer(&c.p().to_bytes_be()),
            der_integer(&c.q().to_bytes_be()),
            der_integer(&c.g().to_bytes_be()),
            der_integer(&public.y().to_bytes_be()),
            der_integer(&key.x().to_bytes_be()),
        ];
        PrivateKey::Dsa(der_tlv(0x30, &ints.concat()))
    }

    /// Sprig's `pemBlockForKey`.
    pub(super) fn to_pem(&self) -> Result<String, String> {
        Ok(match self {
            PrivateKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                pem_encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivateKey::Ecdsa(k) => {
                let der = k.to_sec1_der().map_err(|e| e.to_string())?;
                pem_encode("EC PRIVATE KEY", &der)
            }
            PrivateKey::Ed25519(seed) => {
                pem_encode("PRIVATE KEY", &[&ED25519_PKCS8_PREFIX[..], seed].concat())
            }
            PrivateKey::Dsa(der) => pem_encode("DSA PRIVATE KEY", der),
        })
    }

    /// PKCS#8 DER for the certificate signer; DSA has none (Go cannot sign with DSA).
    pub(super) fn to_pkcs8(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            PrivateKey::Ecdsa(k) => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            PrivateKey::Ed25519(seed) => Ok([&ED25519_PKCS8_PREFIX[..], seed].concat()),
            PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// Sprig's `parsePrivateKeyPEM`, with its error texts.
    pub(super) fn parse_pem(text: &str) -> Result<PrivateKey, String> {
        let Some((typ, der)) = pem_decode(text) else {
            return Err("no PEM data in input".into());
        };
        if typ == "PRIVATE KEY" {
            return parse_pkcs8(&der).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
        }
        let Some(kind) = typ.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {typ}"));
        };
        match kind {
            "RSA" => rsa::RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
            "EC" => p256::SecretKey::from_sec1_der(&der)
                .map(PrivateKey::Ecdsa)
                .map_err(|e| format!("parsing EC private key from PEM: {e}")),
            "DSA" => Ok(PrivateKey::Dsa(der)),
            _ => Err(format!("invalid private key type {typ}")),
        }
    }
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Rsa(Box::new(k)));
    }
    if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Ecdsa(k));
    }
    // Ed25519: the algorithm OID, then an OCTET STRING holding the 32-byte seed.
    if let Some(at) = der
        .windows(ED25519_OID.len())
        .position(|w| w == ED25519_OID)
    {
        let rest = &der[at + ED25519_OID.len()..];
        if let Some(seed) = rest
            .windows(2)
            .position(|w| w == [0x04, 0x20])
            .and_then(|i| rest.get(i + 2..i + 34))
            && let Ok(seed) = <[u8; 32]>::try_from(seed)
        {
            return Ok(PrivateKey::Ed25519(seed));
        }
    }
    Err(
        "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)"
            .into(),
    )
}

/// A DER tag-length-value.
fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A non-negative DER INTEGER from big-endian magnitude bytes.
fn der_integer(magnitude: &[u8]) -> Vec<u8> {
    let trimmed: &[u8] = match magnitude.iter().position(|b| *b != 0) {
        Some(i) => &magnitude[i..],
        None => &[0],
    };
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    der_tlv(0x02, &content)
}

/// Go's `pem.Encode`: base64 in 64-column lines.
pub(super) fn pem_encode(typ: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {typ}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {typ}-----\n"));
    out
}

/// The first PEM block of `text` (type and DER), as Go's `pem.Decode` finds it; headers
/// (`Key: value` lines) are skipped.
pub(super) fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let type_end = rest.find("-----")?;
    let typ = &rest[..type_end];
    if typ.contains('\n') {
        return None;
    }
    let body = rest[type_end + 5..]
        .strip_prefix('\n')
        .or_else(|| rest[type_end + 5..].strip_prefix("\r\n"))?;
    let end_marker = format!("-----END {typ}-----");
    let end = body.find(&end_marker)?;
    let data: String = body[..end]
        .lines()
        .filter(|l| !l.contains(':'))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = b64_decode_std(&data).ok()?;
    Some((typ.to_string(), der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_pem() {
        for typ in ["ecdsa", "ed25519"] {
            let key = PrivateKey::generate(typ).unwrap().unwrap();
            let pem = key.to_pem().unwrap();
            let again = PrivateKey::parse_pem(&pem).unwrap();
            assert_eq!(again.to_pem().unwrap(), pem, "{typ}");
            assert!(!again.to_pkcs8().unwrap().is_empty());
        }
        assert!(PrivateKey::generate("nope").is_none());
        assert_eq!(
            PrivateKey::parse_pem("x").err().as_deref(),
            Some("no PEM data in input")
        );
        let cert_block = pem_encode("CERTIFICATE", b"abc");
        assert_eq!(
            PrivateKey::parse_pem(&cert_block).err().as_deref(),
            Some("no private key data in PEM block of type CERTIFICATE")
        );
    }

    #[test]
    fn der_integers_are_minimal_and_positive() {
        assert_eq!(der_integer(&[0]), vec![2, 1, 0]);
        assert_eq!(der_integer(&[0, 0x7f]), vec![2, 1, 0x7f]);
        assert_eq!(der_integer(&[0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(der_tlv(0x30, &[0; 200])[..3], [0x30, 0x81, 200]);
    }
}
