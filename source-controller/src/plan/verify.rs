//! Pure parts of `spec.verify`: splitting raw Git objects into signed payload and signature,
//! telling PGP from SSH signatures, sorting the secret's keys, reading gpg's status lines and
//! ssh-keygen's verdict, and Flux's condition messages.

use std::collections::BTreeMap;

use fluxion_api::source::GitCheckout;

/// Secret keys ending in this hold SSH public keys (authorized_keys lines).
pub const SSH_KEY_SUFFIX: &str = ".sshpub";
/// The SSH signature namespace git signs with.
pub const SSH_NAMESPACE: &str = "git";
/// The principal our allowed-signers file gives every trusted key; any key of the secret may
/// sign, whatever the committer's email, as Flux's check does.
pub const SSH_PRINCIPAL: &str = "fluxion";

const PGP_BEGIN: &str = "-----BEGIN PGP SIGNATURE-----";
const SSH_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const X509_BEGIN: &str = "-----BEGIN SIGNED MESSAGE-----";

/// The kind of a signature, by its armor (Flux's `GetSignatureType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureType {
    Pgp,
    Ssh,
    X509,
    Empty,
    Unknown,
}

impl SignatureType {
    pub fn of(signature: &str) -> Self {
        let s = signature.trim();
        if s.starts_with(PGP_BEGIN) {
            Self::Pgp
        } else if s.starts_with(SSH_BEGIN) {
            Self::Ssh
        } else if s.starts_with(X509_BEGIN) {
            Self::X509
        } else if signature.is_empty() {
            Self::Empty
        } else {
            Self::Unknown
        }
    }

    /// Flux's name of the type, as its error messages print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pgp => "openpgp",
            Self::Ssh => "ssh",
            Self::X509 => "x509",
            Self::Empty => "empty",
            Self::Unknown => "unknown",
        }
    }
}

/// A Git object split into the bytes that were signed and the signature over them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signed {
    pub payload: Vec<u8>,
    pub signature: String,
}

/// A raw commit (`git cat-file commit`): the `gpgsig` header and its continuation lines are the
/// signature; the object without them is the payload, as git signs it.
pub fn split_commit(raw: &[u8]) -> Signed {
    let mut out = Signed::default();
    let mut in_sig = false;
    let mut in_headers = true;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if in_headers {
            if line == b"\n" {
                in_headers = false;
            } else if let Some(rest) = line.strip_prefix(b"gpgsig ") {
                in_sig = true;
                out.signature.push_str(&String::from_utf8_lossy(rest));
                continue;
            } else if in_sig && line.first() == Some(&b' ') {
                out.signature.push_str(&String::from_utf8_lossy(&line[1..]));
                continue;
            } else {
                in_sig = false;
            }
        }
        out.payload.extend_from_slice(line);
    }
    out
}

/// A raw annotated tag (`git cat-file tag`): the signature is appended to the message, from
/// its armor line to the end; what precedes it is the payload.
pub fn split_tag(raw: &[u8]) -> Signed {
    let text = String::from_utf8_lossy(raw);
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        if line.starts_with(PGP_BEGIN) || line.starts_with(SSH_BEGIN) {
            start = Some(offset);
        }
        offset += line.len();
    }
    match start {
        Some(i) => Signed {
            payload: text.as_bytes()[..i].to_vec(),
            signature: text[i..].to_string(),
        },
        None => Signed {
            payload: raw.to_vec(),
            signature: String::new(),
        },
    }
}

/// The trusted keys of the verification secret: `*.sshpub` entries are SSH authorized keys,
/// every other entry (`*.asc`, and, as Flux still accepts, any other name) a PGP key ring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedKeys {
    pub pgp: Vec<String>,
    pub ssh: Vec<String>,
}

impl TrustedKeys {
    pub fn from_secret(data: &BTreeMap<String, Vec<u8>>) -> Self {
        let mut keys = Self::default();
        for (name, value) in data {
            let value = String::from_utf8_lossy(value).into_owned();
            match name.ends_with(SSH_KEY_SUFFIX) {
                true => keys.ssh.push(value),
                false => keys.pgp.push(value),
            }
        }
        keys
    }
}

/// Which verifier a signature needs, or Flux's error when it cannot be checked.
pub fn verifier_for(signature: &str, keys: &TrustedKeys) -> Result<SignatureType, String> {
    match SignatureType::of(signature) {
        SignatureType::Pgp if keys.pgp.is_empty() => Err(
            "PGP signature detected but no PGP public keys found in secret (keys with .asc suffix)"
                .into(),
        ),
        SignatureType::Ssh if keys.ssh.is_empty() => Err(format!(
            "SSH signature detected but no SSH public keys found in secret (keys with {SSH_KEY_SUFFIX} suffix)"
        )),
        t @ (SignatureType::Pgp | SignatureType::Ssh) => Ok(t),
        other => Err(format!("unsupported signature type: {}", other.as_str())),
    }
}

/// The key ID (16 upper-case hex digits of the primary key, as Flux's `KeyIdString`) of a good
/// signature in gpg's `--status-fd` output, or None when gpg did not report one. An expired or
/// revoked key, or a bad signature, is no good signature.
pub fn gpg_good_key(status: &str) -> Option<String> {
    let mut good = None;
    let mut primary = None;
    for line in status.lines() {
        let mut fields = line.split_whitespace();
        if fields.next() != Some("[GNUPG:]") {
            continue;
        }
        match fields.next() {
            Some("GOODSIG") => good = fields.next().map(str::to_string),
            Some("VALIDSIG") => primary = fields.nth(9).map(str::to_string),
            Some("BADSIG" | "EXPKEYSIG" | "REVKEYSIG" | "ERRSIG") => return None,
            _ => {}
        }
    }
    let good = good?;
    let id = match primary {
        Some(fpr) if fpr.len() >= 16 => fpr[fpr.len() - 16..].to_string(),
        _ => good,
    };
    Some(id.to_ascii_uppercase())
}

/// The key fingerprint (`SHA256:...`) from ssh-keygen's `Good "git" signature ... key <fp>`.
pub fn ssh_good_key(output: &str) -> Option<String> {
    output
        .lines()
        .filter(|l| l.starts_with("Good "))
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("SHA256:")))
        .map(str::to_string)
}

/// An allowed-signers file trusting every key of `authorized` (authorized_keys lines, options
/// allowed) for [`SSH_PRINCIPAL`] in the git namespace.
pub fn allowed_signers(authorized: &[String]) -> Result<String, String> {
    let mut out = String::new();
    for text in authorized {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words
                .iter()
                .position(|w| is_key_type(w))
                .filter(|i| i + 1 < words.len())
                .ok_or_else(|| {
                    "unable to parse authorized keys: unable to parse authorized key: no key found"
                        .to_string()
                })?;
            out.push_str(&format!(
                "{SSH_PRINCIPAL} namespaces=\"{SSH_NAMESPACE}\" {} {}\n",
                words[at],
                words[at + 1]
            ));
        }
    }
    Ok(out)
}

fn is_key_type(word: &str) -> bool {
    word.starts_with("ssh-") || word.starts_with("ecdsa-sha2-") || word.starts_with("sk-")
}

/// The tag a checkout went through, whose object a `Tag` mode verifies: the spec's tag, the tag
/// a semver range resolved to, or a `refs/tags/` name (fetched without its tag object, so, as
/// in Flux, it counts as unsigned). None for branches and commits.
pub fn referencing_tag(checkout: &GitCheckout<'_>, resolved: Option<&str>) -> Option<String> {
    match checkout {
        GitCheckout::Tag(name) => Some((*name).to_string()),
        GitCheckout::SemVer(_) => resolved.map(str::to_string),
        GitCheckout::RefName(name) => name.strip_prefix("refs/tags/").map(str::to_string),
        GitCheckout::Branch(_) | GitCheckout::Commit { .. } => None,
    }
}

/// Flux's SourceVerified message: the tag (`<name>@<object id>`) first, then the commit.
pub fn verified_message(tag: Option<(&str, &str)>, commit: Option<(&str, &str)>) -> String {
    let mut message = String::from("verified signature of");
    if let Some((tag, key)) = tag {
        message.push_str(&format!("\n\t- tag '{tag}' with key '{key}'"));
    }
    if let Some((sha, key)) = commit {
        message.push_str(&format!("\n\t- commit '{sha}' with key '{key}'"));
    }
    message
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
