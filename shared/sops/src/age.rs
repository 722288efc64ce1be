//! age X25519 identities and the decryption of the armored age file holding a sops data key
//! (age-encryption.org/v1: X25519 stanzas, header MAC, STREAM payload).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

const SECRET_HRP: &str = "age-secret-key-";
const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";
const CHUNK: usize = 64 * 1024;

/// One age X25519 identity (`AGE-SECRET-KEY-1...`).
#[derive(Clone)]
pub(crate) struct AgeIdentity {
    secret: StaticSecret,
    /// The recipient (`age1...`) of this identity, public, for messages.
    pub(crate) recipient: String,
}

impl std::fmt::Debug for AgeIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgeIdentity")
            .field("recipient", &self.recipient)
            .finish()
    }
}

/// Parses every identity of an age key file: one per line, `#` comments and blank lines
/// ignored, as age's `ParseIdentities` does. The error never quotes a line.
pub(crate) fn parse_identities(text: &str) -> Result<Vec<AgeIdentity>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(parse_identity(line).map_err(|e| format!("error at line {}: {e}", i + 1))?);
    }
    if out.is_empty() {
        return Err("no secret keys found".into());
    }
    Ok(out)
}

fn parse_identity(line: &str) -> Result<AgeIdentity, String> {
    if !line.starts_with("AGE-SECRET-KEY-1") {
        return Err("unknown identity type".into());
    }
    let (hrp, data) =
        bech32::decode(line).map_err(|_| "malformed secret key: invalid bech32".to_string())?;
    if !hrp.as_str().eq_ignore_ascii_case(SECRET_HRP) {
        return Err("malformed secret key: unknown type".into());
    }
    let bytes: [u8; 32] = data
        .try_into()
        .map_err(|_| "malformed secret key: wrong length".to_string())?;
    let secret = StaticSecret::from(bytes);
    let public = PublicKey::from(&secret);
    let recipient =
        bech32::encode::<bech32::Bech32>(bech32::Hrp::parse_unchecked("age"), public.as_bytes())
            .map_err(|_| "cannot encode recipient".to_string())?;
    Ok(AgeIdentity { secret, recipient })
}

fn hkdf(ikm: &[u8], salt: &[u8], info: &[u8]) -> [u8; 32] {
    let mut okm = [0u8; 32];
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = Hkdf::<Sha256>::new(Some(salt), ikm).expand(info, &mut okm);
    okm
}

/// Decodes the ASCII armor sops stores, or passes binary age files through.
fn dearmor(enc: &str) -> Result<Vec<u8>, String> {
    let t = enc.trim();
    let Some(body) = t.strip_prefix(ARMOR_BEGIN) else {
        return Ok(enc.as_bytes().to_vec());
    };
    let body = body
        .trim_end()
        .strip_suffix(ARMOR_END)
        .ok_or("armor end line missing")?;
    let b64: String = body.split_whitespace().collect();
    STANDARD
        .decode(b64)
        .map_err(|_| "invalid armor base64".to_string())
}

struct Header<'a> {
    stanzas: Vec<(Vec<&'a str>, Vec<u8>)>,
    /// Header bytes covered by the MAC: everything up to and including `---`.
    maced: &'a [u8],
    mac: Vec<u8>,
    payload: &'a [u8],
}

fn parse_header(file: &[u8]) -> Result<Header<'_>, String> {
    let bad = |what: &str| format!("malformed age header: {what}");
    let mut pos = 0;
    let next_line = |pos: &mut usize| -> Result<&[u8], String> {
        let rest = &file[*pos..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad("unterminated line"))?;
        *pos += end + 1;
        Ok(&rest[..end])
    };
    if next_line(&mut pos)? != b"age-encryption.org/v1" {
        return Err("unknown age format version".into());
    }
    let mut stanzas = Vec::new();
    loop {
        let start = pos;
        let line = std::str::from_utf8(next_line(&mut pos)?).map_err(|_| bad("not UTF-8"))?;
        if let Some(mac) = line.strip_prefix("--- ") {
            let mac = STANDARD_NO_PAD
                .decode(mac)
                .map_err(|_| bad("MAC encoding"))?;
            return Ok(Header {
                stanzas,
                maced: &file[..start + 3],
                mac,
                payload: &file[pos..],
            });
        }
        let args = line
            .strip_prefix("-> ")
            .ok_or_else(|| bad("stanza expected"))?;
        let args: Vec<&str> = args.split(' ').collect();
        let mut body = Vec::new();
        loop {
            let l = next_line(&mut pos)?;
            body.extend(
                STANDARD_NO_PAD
                    .decode(l)
                    .map_err(|_| bad("stanza body encoding"))?,
            );
            if l.len() < 64 {
                break;
            }
        }
        stanzas.push((args, body));
    }
}

fn unwrap_x25519(id: &AgeIdentity, args: &[&str], body: &[u8]) -> Option<[u8; 16]> {
    if args.len() != 2 || args[0] != "X25519" || body.len() != 32 {
        return None;
    }
    let share: [u8; 32] = STANDARD_NO_PAD.decode(args[1]).ok()?.try_into().ok()?;
    let shared = id.secret.diffie_hellman(&PublicKey::from(share));
    if shared.as_bytes().iter().all(|&b| b == 0) {
        return None;
    }
    let mut salt = share.to_vec();
    salt.extend_from_slice(PublicKey::from(&id.secret).as_bytes());
    let wrap = hkdf(shared.as_bytes(), &salt, b"age-encryption.org/v1/X25519");
    let key = ChaCha20Poly1305::new(Key::from_slice(&wrap));
    key.decrypt(Nonce::from_slice(&[0u8; 12]), body)
        .ok()?
        .try_into()
        .ok()
}

/// Decrypts an (armored) age file with any of `ids`; `Ok(None)` when none is a recipient.
pub(crate) fn decrypt(enc: &str, ids: &[AgeIdentity]) -> Result<Option<Vec<u8>>, String> {
    let file = dearmor(enc)?;
    let header = parse_header(&file)?;
    let file_key = header
        .stanzas
        .iter()
        .find_map(|(args, body)| ids.iter().find_map(|id| unwrap_x25519(id, args, body)));
    let Some(file_key) = file_key else {
        return Ok(None);
    };
    let mac_key = hkdf(&file_key, &[], b"header");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&mac_key).map_err(|_| "bad MAC key")?;
    mac.update(header.maced);
    mac.verify_slice(&header.mac)
        .map_err(|_| "age header MAC mismatch".to_string())?;
    payload(&file_key, header.payload).map(Some)
}

fn payload(file_key: &[u8; 16], data: &[u8]) -> Result<Vec<u8>, String> {
    if data.len() < 16 {
        return Err("age payload too short".into());
    }
    let (nonce, mut rest) = data.split_at(16);
    let key = hkdf(file_key, nonce, b"payload");
    let aead = ChaCha20Poly1305::new(Key::from_slice(&key));
    let mut out = Vec::new();
    let mut counter: u128 = 0;
    loop {
        let take = rest.len().min(CHUNK + 16);
        let (chunk, tail) = rest.split_at(take);
        let last = tail.is_empty();
        let mut n = [0u8; 12];
        n[..11].copy_from_slice(&counter.to_be_bytes()[5..16]);
        n[11] = u8::from(last);
        let plain = aead
            .decrypt(Nonce::from_slice(&n), chunk)
            .map_err(|_| "age payload authentication failed".to_string())?;
        out.extend(plain);
        if last {
            return Ok(out);
        }
        rest = tail;
        counter += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_parsing() {
        let hrp = bech32::Hrp::parse_unchecked(SECRET_HRP);
        let key = bech32::encode::<bech32::Bech32>(hrp, &[7u8; 32])
            .unwrap()
            .to_uppercase();
        let ids = parse_identities(&format!("# created: now\n# public key: x\n{key}\n\n")).unwrap();
        assert_eq!(ids.len(), 1);
        assert!(ids[0].recipient.starts_with("age1"));
        for bad in ["", "# only a comment", "AGE-SECRET-KEY-1XYZ", "garbage"] {
            let err = parse_identities(bad).unwrap_err();
            assert!(!err.contains("XYZ") && !err.contains("garbage"), "{err}");
        }
    }

    #[test]
    fn header_errors() {
        assert!(decrypt("not an age file\n", &[]).is_err());
        assert!(decrypt("-----BEGIN AGE ENCRYPTED FILE-----\n!!\n", &[]).is_err());
    }
}
