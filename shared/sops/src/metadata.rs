//! The `sops` metadata section: master keys per key group, the encryption rules, the MAC and
//! its timestamp (stores/stores.go `Metadata.ToInternal`).

use crate::error::SopsError;
use crate::tree::Node;
use regex::Regex;

/// sops' default when a file names no encryption rule.
const DEFAULT_UNENCRYPTED_SUFFIX: &str = "_unencrypted";

/// Key sources sops knows that fluxion does not decrypt with (Flux needs cloud credentials).
const UNSUPPORTED_SOURCES: [(&str, &str, &str); 4] = [
    ("kms", "arn", "AWS KMS"),
    ("gcp_kms", "resource_id", "GCP KMS"),
    ("azure_kv", "vault_url", "Azure Key Vault"),
    ("hc_vault", "vault_address", "HashiCorp Vault"),
];

/// One master key of a key group: the data key encrypted for it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MasterKey {
    Age {
        recipient: String,
        enc: String,
    },
    Pgp {
        fingerprint: String,
        enc: String,
    },
    /// A cloud KMS or Vault key: named in errors, never used.
    Unsupported {
        source: &'static str,
        id: String,
    },
}

/// Which values are encrypted, as sops decides it per path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    pub(crate) unencrypted_suffix: Option<String>,
    pub(crate) encrypted_suffix: Option<String>,
    pub(crate) unencrypted_regex: Option<Regex>,
    pub(crate) encrypted_regex: Option<Regex>,
    pub(crate) unencrypted_comment_regex: Option<Regex>,
    pub(crate) encrypted_comment_regex: Option<Regex>,
    pub(crate) mac_only_encrypted: bool,
}

impl Rules {
    /// sops' `shouldBeEncrypted` for a value (or, `is_comment`, a comment) at `path`;
    /// `comments` holds, per level of the path, the comments met since that level's last item.
    pub(crate) fn encrypted(
        &self,
        path: &[String],
        comments: &[Vec<String>],
        is_comment: bool,
    ) -> bool {
        let mut encrypted = true;
        if let Some(sfx) = &self.unencrypted_suffix
            && path.iter().any(|p| p.ends_with(sfx.as_str()))
        {
            encrypted = false;
        }
        if let Some(sfx) = &self.encrypted_suffix {
            encrypted = path.iter().any(|p| p.ends_with(sfx.as_str()));
        }
        if let Some(re) = &self.unencrypted_regex
            && path.iter().any(|p| re.is_match(p))
        {
            encrypted = false;
        }
        if let Some(re) = &self.encrypted_regex {
            encrypted = path.iter().any(|p| re.is_match(p));
        }
        if let Some(re) = &self.unencrypted_comment_regex
            && comments.iter().flatten().any(|c| re.is_match(c))
        {
            encrypted = false;
        }
        if let Some(re) = &self.encrypted_comment_regex {
            // A comment that matches is not encrypted itself, only what it marks.
            let last = comments.len().saturating_sub(1);
            encrypted = comments.iter().enumerate().any(|(i, level)| {
                let own = usize::from(is_comment && i == last);
                level[..level.len() - own.min(level.len())]
                    .iter()
                    .any(|c| re.is_match(c))
            });
        }
        encrypted
    }
}

/// The parsed `sops` section.
#[derive(Debug, Clone)]
pub(crate) struct Metadata {
    pub(crate) key_groups: Vec<Vec<MasterKey>>,
    pub(crate) shamir_threshold: usize,
    pub(crate) rules: Rules,
    pub(crate) mac: String,
    pub(crate) last_modified: String,
}

fn bad(msg: impl Into<String>) -> SopsError {
    SopsError::Metadata(msg.into())
}

fn string_field(node: &Node, key: &str) -> Result<Option<String>, SopsError> {
    match node.get(key) {
        None | Some(Node::Null) => Ok(None),
        Some(Node::Str(s)) if s.is_empty() => Ok(None),
        Some(Node::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("'{key}' must be a string"))),
    }
}

fn bool_field(node: &Node, key: &str) -> Result<bool, SopsError> {
    match node.get(key) {
        None | Some(Node::Null) => Ok(false),
        Some(Node::Bool(b)) => Ok(*b),
        // dotenv and INI files carry every metadata value as a string.
        Some(Node::Str(s)) if s == "true" || s == "false" => Ok(s == "true"),
        Some(_) => Err(bad(format!("'{key}' must be a boolean"))),
    }
}

fn int_field(node: &Node, key: &str) -> Result<usize, SopsError> {
    let n = match node.get(key) {
        None | Some(Node::Null) => return Ok(0),
        Some(Node::Int(i)) => usize::try_from(*i).ok(),
        Some(Node::Str(s)) => s.parse().ok(),
        Some(_) => None,
    };
    n.ok_or_else(|| bad(format!("'{key}' must be a non-negative integer")))
}

fn regex_field(node: &Node, key: &str) -> Result<Option<Regex>, SopsError> {
    string_field(node, key)?
        .map(|s| {
            Regex::new(&s).map_err(|_| bad(format!("'{key}' is not a valid regular expression")))
        })
        .transpose()
}

fn entries<'a>(group: &'a Node, key: &str) -> Result<&'a [Node], SopsError> {
    match group.get(key) {
        None | Some(Node::Null) => Ok(&[]),
        Some(Node::Seq(items)) => Ok(items),
        Some(_) => Err(bad(format!("'{key}' must be a list"))),
    }
}

fn key_group(group: &Node) -> Result<Vec<MasterKey>, SopsError> {
    let mut keys = Vec::new();
    for entry in entries(group, "age")? {
        keys.push(MasterKey::Age {
            recipient: string_field(entry, "recipient")?.unwrap_or_default(),
            enc: string_field(entry, "enc")?.ok_or_else(|| bad("age key without 'enc'"))?,
        });
    }
    for entry in entries(group, "pgp")? {
        keys.push(MasterKey::Pgp {
            fingerprint: string_field(entry, "fp")?.unwrap_or_default(),
            enc: string_field(entry, "enc")?.ok_or_else(|| bad("pgp key without 'enc'"))?,
        });
    }
    for (field, id_field, source) in UNSUPPORTED_SOURCES {
        for entry in entries(group, field)? {
            let id = string_field(entry, id_field)?.unwrap_or_default();
            keys.push(MasterKey::Unsupported { source, id });
        }
    }
    Ok(keys)
}

impl Metadata {
    /// Reads the `sops` section of a document.
    pub(crate) fn parse(sops: &Node) -> Result<Metadata, SopsError> {
        if !matches!(sops, Node::Map(_)) {
            return Err(bad("the 'sops' key must hold a mapping"));
        }
        let key_groups = match sops.get("key_groups") {
            Some(Node::Seq(groups)) if !groups.is_empty() => {
                groups.iter().map(key_group).collect::<Result<_, _>>()?
            }
            _ => vec![key_group(sops)?],
        };
        let mut rules = Rules {
            unencrypted_suffix: string_field(sops, "unencrypted_suffix")?,
            encrypted_suffix: string_field(sops, "encrypted_suffix")?,
            unencrypted_regex: regex_field(sops, "unencrypted_regex")?,
            encrypted_regex: regex_field(sops, "encrypted_regex")?,
            unencrypted_comment_regex: regex_field(sops, "unencrypted_comment_regex")?,
            encrypted_comment_regex: regex_field(sops, "encrypted_comment_regex")?,
            mac_only_encrypted: bool_field(sops, "mac_only_encrypted")?,
        };
        let count = usize::from(rules.unencrypted_suffix.is_some())
            + usize::from(rules.encrypted_suffix.is_some())
            + usize::from(rules.unencrypted_regex.is_some())
            + usize::from(rules.encrypted_regex.is_some())
            + usize::from(rules.unencrypted_comment_regex.is_some())
            + usize::from(rules.encrypted_comment_regex.is_some());
        if count > 1 {
            return Err(bad(
                "cannot use more than one of encrypted_suffix, unencrypted_suffix, \
                 encrypted_regex, unencrypted_regex, encrypted_comment_regex, or \
                 unencrypted_comment_regex in the same file",
            ));
        }
        if count == 0 {
            rules.unencrypted_suffix = Some(DEFAULT_UNENCRYPTED_SUFFIX.to_string());
        }
        Ok(Metadata {
            key_groups,
            shamir_threshold: int_field(sops, "shamir_threshold")?,
            rules,
            mac: string_field(sops, "mac")?.unwrap_or_default(),
            last_modified: string_field(sops, "lastmodified")?.unwrap_or_default(),
        })
    }

    /// Identifies the data key: a digest of every encrypted copy of it, so documents sharing
    /// them (one file's documents, or objects decrypted again next run) share one recovery.
    pub(crate) fn data_key_id(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for (g, group) in self.key_groups.iter().enumerate() {
            h.update((g as u64).to_be_bytes());
            for key in group {
                let enc = match key {
                    MasterKey::Age { enc, .. } | MasterKey::Pgp { enc, .. } => enc.as_str(),
                    MasterKey::Unsupported { id, .. } => id.as_str(),
                };
                h.update((enc.len() as u64).to_be_bytes());
                h.update(enc.as_bytes());
            }
        }
        h.update((self.shamir_threshold as u64).to_be_bytes());
        h.finalize().into()
    }

    /// The additional data of the MAC: `lastmodified` as Go's RFC3339 prints it again
    /// (fractional seconds dropped).
    pub(crate) fn mac_additional_data(&self) -> String {
        let lm = &self.last_modified;
        match lm.find('.') {
            Some(dot) => {
                let zone = lm[dot..]
                    .find(['Z', '+', '-'])
                    .map_or(lm.len(), |z| dot + z);
                format!("{}{}", &lm[..dot], &lm[zone..])
            }
            None => lm.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rules_table() {
        let re = |s: &str| Some(Regex::new(s).unwrap());
        let default = Rules {
            unencrypted_suffix: Some("_unencrypted".into()),
            ..Rules::default()
        };
        let enc_sfx = Rules {
            encrypted_suffix: Some("_enc".into()),
            ..Rules::default()
        };
        let enc_re = Rules {
            encrypted_regex: re("^(data|stringData)$"),
            ..Rules::default()
        };
        let unenc_re = Rules {
            unencrypted_regex: re("^public"),
            ..Rules::default()
        };
        let cases: &[(&Rules, &[&str], bool)] = &[
            (&default, &["a", "b"], true),
            (&default, &["a_unencrypted", "b"], false),
            (&enc_sfx, &["a", "b"], false),
            (&enc_sfx, &["a_enc", "b"], true),
            (&enc_re, &["data", "password"], true),
            (&enc_re, &["metadata", "name"], false),
            (&unenc_re, &["public_key"], false),
            (&unenc_re, &["private"], true),
        ];
        for (rules, p, want) in cases {
            assert_eq!(rules.encrypted(&path(p), &[], false), *want, "{p:?}");
        }
    }

    #[test]
    fn lastmodified_drops_fraction() {
        let mut m = Metadata {
            key_groups: vec![],
            shamir_threshold: 0,
            rules: Rules::default(),
            mac: String::new(),
            last_modified: "2024-01-02T03:04:05.123456Z".into(),
        };
        assert_eq!(m.mac_additional_data(), "2024-01-02T03:04:05Z");
        m.last_modified = "2024-01-02T03:04:05+02:00".into();
        assert_eq!(m.mac_additional_data(), "2024-01-02T03:04:05+02:00");
    }

    #[test]
    fn two_rules_are_refused() {
        let sops = Node::Map(vec![
            ("encrypted_regex".into(), Node::Str("^data$".into())),
            ("unencrypted_suffix".into(), Node::Str("_x".into())),
        ]);
        assert!(Metadata::parse(&sops).is_err());
    }
}
