//! Flux's Helm release name shortening: names over 53 characters become the first 40
//! characters, a dash, and the first 12 hex digits of the full name's SHA-256.

use sha2::{Digest, Sha256};

/// The longest release name Helm accepts.
pub const MAX_RELEASE_NAME_LENGTH: usize = 53;
/// How many hex digits of the hash a shortened name keeps.
const SHORT_HASH_LENGTH: usize = 12;

/// Returns `name` unchanged when it fits Helm's limit, otherwise
/// `<first 40 bytes>-<first 12 hex digits of sha256(name)>`, exactly as helm-controller does.
pub fn shorten_name(name: &str) -> String {
    if name.len() <= MAX_RELEASE_NAME_LENGTH {
        return name.to_string();
    }
    let keep = MAX_RELEASE_NAME_LENGTH - (SHORT_HASH_LENGTH + 1);
    // Release names are DNS labels (ASCII); cut on a char boundary anyway so odd input can't panic.
    let mut cut = keep;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = hex::encode(Sha256::digest(name.as_bytes()));
    format!("{}-{}", &name[..cut], &hash[..SHORT_HASH_LENGTH])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_name_matches_helm_controller() {
        assert_eq!(shorten_name("release-name"), "release-name");
        assert_eq!(shorten_name(""), "");
        assert_eq!(
            shorten_name("release-name-with-very-long-name-which-is-longer-than-53-characters"),
            "release-name-with-very-long-name-which-i-788ca0d0d7b0"
        );
        assert_eq!(
            shorten_name(
                "another-release-name-with-very-long-name-which-is-longer-than-53-characters"
            ),
            "another-release-name-with-very-long-name-7e72150d5a36"
        );
        let exact = "a".repeat(53);
        assert_eq!(shorten_name(&exact), exact);
        assert_eq!(shorten_name(&"a".repeat(54)).len(), 53);
    }
}
