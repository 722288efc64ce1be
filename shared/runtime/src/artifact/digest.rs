//! Artifact digests: `<algorithm>:<hex>` parsing as OCI (opencontainers/go-digest) does, and
//! streaming computation with sha256, sha384 or sha512.

use std::fmt;
use std::io::{self, Read, Write};
use std::str::FromStr;

use sha2::Digest as _;

/// A digest algorithm supported for artifacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// Every supported algorithm, in the order used by error messages.
    pub const ALL: [Algorithm; 3] = [Algorithm::Sha256, Algorithm::Sha384, Algorithm::Sha512];

    /// The name used before the `:` of a digest.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Number of hex characters of an encoded digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha384 => 96,
            Algorithm::Sha512 => 128,
        }
    }

    fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// A fresh streaming hasher for this algorithm.
    pub fn hasher(self) -> Hasher {
        match self {
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a digest string was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("digest is empty")]
    Empty,
    #[error("digest {0:?} is not of the form <algorithm>:<hex>")]
    InvalidFormat(String),
    #[error(
        "digest {digest:?} uses unsupported algorithm {algorithm:?} (supported: sha256, sha384, sha512)"
    )]
    UnsupportedAlgorithm { digest: String, algorithm: String },
    #[error("digest {digest:?} has {actual} hex characters, {algorithm} needs {expected}")]
    InvalidLength {
        digest: String,
        algorithm: Algorithm,
        expected: usize,
        actual: usize,
    },
    #[error("digest {0:?} is not lowercase hexadecimal")]
    InvalidHex(String),
}

/// A parsed, validated digest: an algorithm and its lowercase hex encoding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Digest {
    algorithm: Algorithm,
    hex: String,
}

impl Digest {
    /// Parses `<algorithm>:<hex>` strictly: a known algorithm, the right length, lowercase hex.
    pub fn parse(value: &str) -> Result<Digest, DigestError> {
        if value.is_empty() {
            return Err(DigestError::Empty);
        }
        let Some((name, hex)) = value.split_once(':') else {
            return Err(DigestError::InvalidFormat(value.to_string()));
        };
        if !valid_algorithm_name(name) || hex.is_empty() {
            return Err(DigestError::InvalidFormat(value.to_string()));
        }
        let Some(algorithm) = Algorithm::from_name(name) else {
            return Err(DigestError::UnsupportedAlgorithm {
                digest: value.to_string(),
                algorithm: name.to_string(),
            });
        };
        if hex.len() != algorithm.hex_len() {
            return Err(DigestError::InvalidLength {
                digest: value.to_string(),
                algorithm,
                expected: algorithm.hex_len(),
                actual: hex.len(),
            });
        }
        if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(DigestError::InvalidHex(value.to_string()));
        }
        Ok(Digest {
            algorithm,
            hex: hex.to_string(),
        })
    }

    /// Parses an artifact's `status.artifact.digest`. Like Flux's fetcher, a bare hex value
    /// (the pre-v1 `checksum` field) is taken as sha256.
    pub fn parse_artifact(value: &str) -> Result<Digest, DigestError> {
        if !value.is_empty() && !value.contains(':') {
            return Digest::parse(&format!("sha256:{value}"));
        }
        Digest::parse(value)
    }

    /// The algorithm of this digest.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The lowercase hex encoding, without the algorithm.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// Computes the digest of everything `reader` yields, in constant memory.
    pub fn of_reader(algorithm: Algorithm, reader: &mut impl Read) -> io::Result<Digest> {
        let mut hasher = algorithm.hasher();
        io::copy(reader, &mut hasher)?;
        Ok(hasher.finalize())
    }

    /// The digest of a byte slice.
    pub fn of_bytes(algorithm: Algorithm, bytes: &[u8]) -> Digest {
        let mut hasher = algorithm.hasher();
        hasher.update(bytes);
        hasher.finalize()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.hex)
    }
}

impl FromStr for Digest {
    type Err = DigestError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Digest::parse(s)
    }
}

/// The OCI algorithm grammar: `[a-z0-9]+(?:[.+_-][a-z0-9]+)*`.
fn valid_algorithm_name(name: &str) -> bool {
    let mut previous_was_separator = true;
    for b in name.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => previous_was_separator = false,
            b'.' | b'+' | b'_' | b'-' if !previous_was_separator => previous_was_separator = true,
            _ => return false,
        }
    }
    !previous_was_separator
}

/// A streaming hasher; feed it with [`Hasher::update`] or as an [`io::Write`].
#[derive(Clone, Debug)]
pub enum Hasher {
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// Adds bytes to the digest.
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha384(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    /// The digest of everything added so far.
    pub fn finalize(self) -> Digest {
        let (algorithm, hex) = match self {
            Hasher::Sha256(h) => (Algorithm::Sha256, hex::encode(h.finalize())),
            Hasher::Sha384(h) => (Algorithm::Sha384, hex::encode(h.finalize())),
            Hasher::Sha512(h) => (Algorithm::Sha512, hex::encode(h.finalize())),
        };
        Digest { algorithm, hex }
    }
}

impl Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn parse_table() {
        let sha384 = "a".repeat(96);
        let sha512 = "0".repeat(128);
        let ok: &[(String, Algorithm)] = &[
            (format!("sha256:{EMPTY_SHA256}"), Algorithm::Sha256),
            (format!("sha384:{sha384}"), Algorithm::Sha384),
            (format!("sha512:{sha512}"), Algorithm::Sha512),
        ];
        for (input, algorithm) in ok {
            let d = Digest::parse(input).expect(input);
            assert_eq!(d.algorithm(), *algorithm);
            assert_eq!(&d.to_string(), input);
        }

        type Check = fn(&DigestError) -> bool;
        let upper = EMPTY_SHA256.to_uppercase();
        let bad: &[(String, Check)] = &[
            (String::new(), |e| matches!(e, DigestError::Empty)),
            (EMPTY_SHA256.to_string(), |e| {
                matches!(e, DigestError::InvalidFormat(_))
            }),
            ("sha256:".to_string(), |e| {
                matches!(e, DigestError::InvalidFormat(_))
            }),
            (format!(":{EMPTY_SHA256}"), |e| {
                matches!(e, DigestError::InvalidFormat(_))
            }),
            (format!("SHA256:{EMPTY_SHA256}"), |e| {
                matches!(e, DigestError::InvalidFormat(_))
            }),
            (format!("sha-:{EMPTY_SHA256}"), |e| {
                matches!(e, DigestError::InvalidFormat(_))
            }),
            (
                format!("md5:{EMPTY_SHA256}"),
                |e| matches!(e, DigestError::UnsupportedAlgorithm { algorithm, .. } if algorithm == "md5"),
            ),
            (format!("blake3:{EMPTY_SHA256}"), |e| {
                matches!(e, DigestError::UnsupportedAlgorithm { .. })
            }),
            ("sha256:abc".to_string(), |e| {
                matches!(
                    e,
                    DigestError::InvalidLength {
                        expected: 64,
                        actual: 3,
                        ..
                    }
                )
            }),
            (format!("sha512:{EMPTY_SHA256}"), |e| {
                matches!(
                    e,
                    DigestError::InvalidLength {
                        expected: 128,
                        actual: 64,
                        ..
                    }
                )
            }),
            (format!("sha256:{upper}"), |e| {
                matches!(e, DigestError::InvalidHex(_))
            }),
            (format!("sha256:{}", "g".repeat(64)), |e| {
                matches!(e, DigestError::InvalidHex(_))
            }),
        ];
        for (input, check) in bad {
            let err = Digest::parse(input).expect_err(input);
            assert!(check(&err), "{input:?}: unexpected {err:?}");
        }
    }

    #[test]
    fn parse_artifact_defaults_bare_hex_to_sha256() {
        let d = Digest::parse_artifact(EMPTY_SHA256).expect("bare hex");
        assert_eq!(d.algorithm(), Algorithm::Sha256);
        assert_eq!(d.hex(), EMPTY_SHA256);
        assert!(Digest::parse_artifact("").is_err());
        assert!(Digest::parse_artifact("xyz").is_err());
    }

    #[test]
    fn unsupported_algorithm_message_is_clear() {
        let err = Digest::parse(&format!("md5:{EMPTY_SHA256}")).expect_err("md5");
        let msg = err.to_string();
        assert!(msg.contains("unsupported algorithm \"md5\""), "{msg}");
        assert!(msg.contains("sha256, sha384, sha512"), "{msg}");
    }

    #[test]
    fn computes_known_values() {
        let cases = [
            (Algorithm::Sha256, b"".as_slice(), EMPTY_SHA256),
            (
                Algorithm::Sha256,
                b"abc".as_slice(),
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                Algorithm::Sha384,
                b"abc".as_slice(),
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
                 8086072ba1e7cc2358baeca134c825a7",
            ),
            (
                Algorithm::Sha512,
                b"abc".as_slice(),
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            ),
        ];
        for (algorithm, input, hex) in cases {
            assert_eq!(Digest::of_bytes(algorithm, input).hex(), hex);
            let streamed = Digest::of_reader(algorithm, &mut &input[..]).expect("read");
            assert_eq!(streamed.hex(), hex);
        }
    }
}
