//! SOPS value encryption: `ENC[AES256_GCM,data:,iv:,tag:,type:]` strings, decrypted with the
//! data key and the value's path as additional data (aes/cipher.go).

use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::{AesGcm, aead::consts::U32};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// AES-256-GCM with the 32-byte IV sops writes (Go's `NewGCMWithNonceSize(32)`).
type SopsGcm = AesGcm<Aes256, U32>;

/// A decrypted value with the type sops recorded for it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Plain {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Bytes(Vec<u8>),
    Comment(String),
}

/// Why a value did not decrypt; the reason never includes the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CipherError(pub String);

/// The parts of an `ENC[...]` string.
struct Encrypted {
    data: Vec<u8>,
    iv: Vec<u8>,
    tag: Vec<u8>,
    kind: String,
}

fn parse(value: &str) -> Result<Encrypted, CipherError> {
    // Flux redacts the input from sops' "does not match" error; we never include it.
    let bad = || CipherError("input string <redacted> does not match sops' data format".into());
    let inner = value
        .strip_prefix("ENC[AES256_GCM,")
        .and_then(|s| s.strip_suffix(']'))
        .ok_or_else(bad)?;
    let mut fields = [None, None, None, None];
    for part in inner.split(',') {
        let (name, val) = part.split_once(':').ok_or_else(bad)?;
        let slot = match name {
            "data" => 0,
            "iv" => 1,
            "tag" => 2,
            "type" => 3,
            _ => return Err(bad()),
        };
        fields[slot] = Some(val);
    }
    let [Some(data), Some(iv), Some(tag), Some(kind)] = fields else {
        return Err(bad());
    };
    let b64 = |what: &str, s: &str| {
        STANDARD
            .decode(s)
            .map_err(|_| CipherError(format!("error base64-decoding {what}")))
    };
    Ok(Encrypted {
        data: b64("data", data)?,
        iv: b64("iv", iv)?,
        tag: b64("tag", tag)?,
        kind: kind.to_string(),
    })
}

/// Decrypts one sops value. An empty string is sops' encoding of an empty value.
pub(crate) fn decrypt(value: &str, key: &[u8], additional: &str) -> Result<Plain, CipherError> {
    if value.is_empty() {
        return Ok(Plain::Str(String::new()));
    }
    let enc = parse(value)?;
    if key.len() != 32 {
        return Err(CipherError("the data key is not 32 bytes long".into()));
    }
    if enc.iv.len() != 32 || enc.tag.len() != 16 {
        return Err(CipherError("unexpected IV or tag length".into()));
    }
    let cipher = SopsGcm::new(GenericArray::from_slice(key));
    let mut sealed = enc.data;
    sealed.extend_from_slice(&enc.tag);
    let plain = cipher
        .decrypt(
            GenericArray::from_slice(&enc.iv),
            Payload {
                msg: &sealed,
                aad: additional.as_bytes(),
            },
        )
        .map_err(|_| {
            CipherError("could not decrypt with AES_GCM: message authentication failed".into())
        })?;
    typed(plain, &enc.kind)
}

fn typed(plain: Vec<u8>, kind: &str) -> Result<Plain, CipherError> {
    if kind == "bytes" {
        return Ok(Plain::Bytes(plain));
    }
    let text = String::from_utf8(plain)
        .map_err(|_| CipherError(format!("decrypted {kind} value is not valid UTF-8")))?;
    let invalid = || CipherError(format!("decrypted value is not a valid {kind}"));
    Ok(match kind {
        "str" => Plain::Str(text),
        "int" | "int64" => Plain::Int(text.parse().map_err(|_| invalid())?),
        "float" => Plain::Float(text.parse().map_err(|_| invalid())?),
        "bool" => Plain::Bool(parse_go_bool(&text).ok_or_else(invalid)?),
        "comment" => Plain::Comment(text),
        other => {
            return Err(CipherError(format!("unknown datatype: {other}")));
        }
    })
}

/// Go's strconv.ParseBool.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal(plain: &[u8], key: &[u8; 32], aad: &str, kind: &str) -> String {
        let cipher = SopsGcm::new(GenericArray::from_slice(key));
        let iv = [7u8; 32];
        let out = cipher
            .encrypt(
                GenericArray::from_slice(&iv),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap();
        let (data, tag) = out.split_at(out.len() - 16);
        format!(
            "ENC[AES256_GCM,data:{},iv:{},tag:{},type:{kind}]",
            STANDARD.encode(data),
            STANDARD.encode(iv),
            STANDARD.encode(tag)
        )
    }

    #[test]
    fn decrypts_each_type() {
        let key = [1u8; 32];
        let cases: &[(&[u8], &str, Plain)] = &[
            (b"hello", "str", Plain::Str("hello".into())),
            (b"42", "int", Plain::Int(42)),
            (b"-7", "int64", Plain::Int(-7)),
            (b"1.5", "float", Plain::Float(1.5)),
            (b"True", "bool", Plain::Bool(true)),
            (b"False", "bool", Plain::Bool(false)),
            (b"\xff\x00", "bytes", Plain::Bytes(vec![0xff, 0])),
            (b" note", "comment", Plain::Comment(" note".into())),
        ];
        for (plain, kind, want) in cases {
            let enc = seal(plain, &key, "a:b:", kind);
            assert_eq!(decrypt(&enc, &key, "a:b:").unwrap(), *want, "{kind}");
        }
    }

    #[test]
    fn wrong_path_or_key_fails_without_the_value() {
        let key = [1u8; 32];
        let enc = seal(b"s3cr3t", &key, "a:", "str");
        let err = decrypt(&enc, &key, "b:").unwrap_err();
        assert!(!err.0.contains("s3cr3t"));
        assert!(decrypt(&enc, &[2u8; 32], "a:").is_err());
    }

    #[test]
    fn malformed_values_are_redacted() {
        let key = [1u8; 32];
        for bad in [
            "ENC[AES256_GCM,data:s3cr3t]",
            "ENC[AES256_GCM,data:!!,iv:x,tag:y,type:str]",
        ] {
            let err = decrypt(bad, &key, "").unwrap_err();
            assert!(!err.0.contains("s3cr3t"), "{}", err.0);
        }
        assert_eq!(decrypt("", &key, "x:").unwrap(), Plain::Str(String::new()));
    }
}
