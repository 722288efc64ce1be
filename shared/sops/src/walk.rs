//! The tree walk of sops' `Tree.Decrypt`: every value sops' rules say is encrypted is
//! decrypted with its path as additional data, and the MAC is hashed over values in order.

use crate::cipher::{self, Plain};
use crate::error::SopsError;
use crate::metadata::Metadata;
use crate::tree::Node;
use sha2::{Digest, Sha512};

/// sha256("sops"): the MAC of a `mac_only_encrypted` file starts from it, so it never equals
/// the MAC of the same file without the setting.
const MAC_ONLY_ENCRYPTED_INIT: [u8; 32] = [
    0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
    0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
];

struct Walk<'a> {
    key: &'a [u8],
    meta: &'a Metadata,
    hash: Sha512,
    path: Vec<String>,
    /// Per level, the comments since that level's last item (sops' commentsStack).
    comments: Vec<Vec<String>>,
}

impl Walk<'_> {
    fn node(&mut self, node: &mut Node) -> Result<(), SopsError> {
        match node {
            Node::Map(entries) => {
                self.comments.push(Vec::new());
                for (k, v) in entries.iter_mut() {
                    if let Node::Comment(text) = v {
                        self.note_comment(text);
                        self.comment(text);
                        continue;
                    }
                    self.path.push(k.clone());
                    let r = self.node(v);
                    self.path.pop();
                    r?;
                    self.clear_comments();
                }
                self.comments.pop();
                Ok(())
            }
            // Items of a list share the list's path, as in sops.
            Node::Seq(items) => {
                self.comments.push(Vec::new());
                for item in items.iter_mut() {
                    let is_comment = item.is_comment();
                    if let Node::Comment(text) = item {
                        self.note_comment(text);
                    }
                    self.node(item)?;
                    if !is_comment {
                        self.clear_comments();
                    }
                }
                self.comments.pop();
                Ok(())
            }
            Node::Null => Ok(()),
            Node::Comment(text) => {
                self.comment(text);
                Ok(())
            }
            leaf => self.leaf(leaf),
        }
    }

    fn note_comment(&mut self, text: &str) {
        if let Some(level) = self.comments.last_mut() {
            level.push(text.to_string());
        }
    }

    fn clear_comments(&mut self) {
        if let Some(level) = self.comments.last_mut() {
            level.clear();
        }
    }

    /// sops decrypts a comment with its map's path and keeps it as it is when that fails
    /// (files from older sops have comments in clear); comments are not in the MAC.
    fn comment(&mut self, text: &mut String) {
        if !self.meta.rules.encrypted(&self.path, &self.comments, true) || !text.starts_with("ENC[")
        {
            return;
        }
        let path = format!("{}:", self.path.join(":"));
        if let Ok(Plain::Comment(plain) | Plain::Str(plain)) =
            cipher::decrypt(text, self.key, &path)
        {
            *text = plain;
        }
    }

    fn leaf(&mut self, leaf: &mut Node) -> Result<(), SopsError> {
        let encrypted = self.meta.rules.encrypted(&self.path, &self.comments, false);
        if encrypted {
            let path = format!("{}:", self.path.join(":"));
            let value_err = |reason: String| SopsError::Value {
                path: self.path.join(":"),
                reason,
            };
            let Node::Str(enc) = leaf else {
                return Err(value_err("value is not a sops-encrypted string".into()));
            };
            let plain = cipher::decrypt(enc, self.key, &path).map_err(|e| value_err(e.0))?;
            *leaf = match plain {
                Plain::Str(s) => Node::Str(s),
                // sops writes a comment inside a list as an encrypted list item; decrypted
                // it is a comment again, outside the MAC.
                Plain::Comment(s) => Node::Comment(s),
                Plain::Int(i) => Node::Int(i),
                Plain::Float(f) => Node::Float(f),
                Plain::Bool(b) => Node::Bool(b),
                Plain::Bytes(b) => Node::Bytes(b),
            };
        }
        if (!self.meta.rules.mac_only_encrypted || encrypted)
            && let Some(bytes) = leaf.mac_bytes()
        {
            self.hash.update(&bytes);
        }
        Ok(())
    }
}

/// Decrypts `branches` in place with the data key; returns the MAC sops would compute
/// (upper-case hex of SHA-512).
pub(crate) fn decrypt_branches(
    branches: &mut [Node],
    key: &[u8],
    meta: &Metadata,
) -> Result<String, SopsError> {
    let mut walk = Walk {
        key,
        meta,
        hash: Sha512::new(),
        path: Vec::new(),
        comments: Vec::new(),
    };
    if meta.rules.mac_only_encrypted {
        walk.hash.update(MAC_ONLY_ENCRYPTED_INIT);
    }
    for branch in branches.iter_mut() {
        walk.node(branch)?;
    }
    Ok(hex_upper(&walk.hash.finalize()))
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Checks the document's stored MAC (encrypted with the data key, `lastmodified` as
/// additional data) against the computed one.
pub(crate) fn verify_mac(computed: &str, key: &[u8], meta: &Metadata) -> Result<(), SopsError> {
    let stored = cipher::decrypt(&meta.mac, key, &meta.mac_additional_data())
        .map_err(|_| SopsError::MacMismatch)?;
    match stored {
        Plain::Str(s) if s == computed => Ok(()),
        _ => Err(SopsError::MacMismatch),
    }
}
