//! Keeping credentials out of messages and logs: the one place URLs are redacted.
//!
//! Conditions, events and log lines quote URLs that users (or sources) wrote, and those may
//! carry a user, a password or a token in the query. [`redact_url`] shows a parsed URL without
//! them; [`redact_url_credentials`] cleans free text that may quote URLs.

use reqwest::Url;

/// The URL as shown in messages and logs: no user, password, query or fragment.
pub fn redact_url(url: &Url) -> String {
    let mut shown = url.clone();
    // Both setters only fail for URLs that cannot have credentials, which then have none.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// `text` with the credentials of every URL in it (`scheme://user:pass@host`) replaced by
/// `***`, for messages that quote a URL a user may have written credentials into.
pub fn redact_url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        // The authority ends at the path, query, fragment, or the end of the word.
        let end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_query_and_fragment() {
        let cases = [
            (
                "http://u:p@host:9090/a/b.tar.gz?token=x#f",
                "http://host:9090/a/b.tar.gz",
            ),
            ("https://host/x.tgz", "https://host/x.tgz"),
            ("http://user@host/x", "http://host/x"),
            (
                "http://user:secret@notification-controller/",
                "http://notification-controller/",
            ),
        ];
        for (raw, want) in cases {
            let url = Url::parse(raw).expect("url");
            assert_eq!(redact_url(&url), want);
        }
    }

    #[test]
    fn redacts_url_credentials_in_text() {
        let cases = [
            ("no url here", "no url here"),
            ("https://github.com/org/repo", "https://github.com/org/repo"),
            (
                "clone 'https://user:s3cret@github.com/org/repo' failed",
                "clone 'https://***@github.com/org/repo' failed",
            ),
            ("ssh://git@host:22/repo", "ssh://***@host:22/repo"),
            ("oci://tok@ghcr.io", "oci://***@ghcr.io"),
            (
                "a http://x:y@h1?q=1 and http://h2/p@q b",
                "a http://***@h1?q=1 and http://h2/p@q b",
            ),
            ("trailing ://", "trailing ://"),
        ];
        for (input, want) in cases {
            assert_eq!(redact_url_credentials(input), want, "{input}");
        }
    }
}
