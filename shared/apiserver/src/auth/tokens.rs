//! Bearer tokens: the table the server authenticates against, and kube-apiserver's static
//! token file format (`token,user,uid,"group1,group2"`, one per line).

use std::collections::HashMap;
use std::sync::RwLock;

use super::{UserInfo, service_account_groups, split_service_account};

/// A line of a token file that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TokenFileError {
    #[error("token file line {line}: needs at least token, user name and uid")]
    TooFewFields { line: usize },
    #[error("token file line {line}: empty token")]
    EmptyToken { line: usize },
    #[error("token file line {line}: unterminated quote")]
    Quote { line: usize },
}

/// Splits one CSV record (double quotes group commas; `""` is a quote inside them).
fn csv_fields(line: &str, n: usize) -> Result<Vec<String>, TokenFileError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    if quoted {
        return Err(TokenFileError::Quote { line: n });
    }
    out.push(cur);
    Ok(out)
}

/// The entries of a static token file. A service account's user name with no groups gets the
/// groups its token would have (`system:serviceaccounts`, `system:serviceaccounts:NS`).
pub fn parse_token_file(text: &str) -> Result<Vec<(String, UserInfo)>, TokenFileError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let f = csv_fields(line, n)?;
        if f.len() < 3 {
            return Err(TokenFileError::TooFewFields { line: n });
        }
        if f[0].is_empty() {
            return Err(TokenFileError::EmptyToken { line: n });
        }
        let mut groups: Vec<String> = f
            .get(3)
            .map(|g| {
                g.split(',')
                    .map(str::trim)
                    .filter(|g| !g.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if groups.is_empty()
            && let Some((ns, _)) = split_service_account(&f[1])
        {
            groups = service_account_groups(ns);
        }
        let user = UserInfo {
            name: f[1].clone(),
            uid: f[2].clone(),
            groups,
            ..Default::default()
        };
        out.push((f[0].clone(), user));
    }
    Ok(out)
}

/// Tokens and the users they authenticate; more can be added while the server runs.
#[derive(Debug, Default)]
pub struct TokenTable {
    tokens: RwLock<HashMap<String, UserInfo>>,
}

impl TokenTable {
    pub fn insert(&self, token: &str, user: UserInfo) {
        self.tokens
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token.to_string(), user);
    }

    /// The user of a token, in system:authenticated.
    pub fn lookup(&self, token: &str) -> Option<UserInfo> {
        let tokens = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        tokens.get(token).cloned().map(UserInfo::authenticated)
    }
}

/// A new random token (hex, 256 bits).
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_static_token_files() {
        let text = "# comment\n\
            t1,alice,u1,\"dev,ops\"\n\
            t2,bob,u2\n\
            t3,system:serviceaccount:team-a:deployer,u3\n";
        let entries = parse_token_file(text).expect("parses");
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].0, "t1");
        assert_eq!(entries[0].1.groups, vec!["dev", "ops"]);
        assert!(entries[1].1.groups.is_empty());
        assert_eq!(
            entries[2].1.groups,
            vec!["system:serviceaccounts", "system:serviceaccounts:team-a"]
        );
        assert_eq!(
            parse_token_file("t,alice\n"),
            Err(TokenFileError::TooFewFields { line: 1 })
        );
        assert_eq!(
            parse_token_file("t,a,b,\"x\n"),
            Err(TokenFileError::Quote { line: 1 })
        );
    }

    #[test]
    fn lookups_add_the_authenticated_group() {
        let table = TokenTable::default();
        table.insert("secret", UserInfo::new("alice", &["dev"]));
        let u = table.lookup("secret").expect("known token");
        assert_eq!(u.groups, vec!["dev", "system:authenticated"]);
        assert!(table.lookup("other").is_none());
        assert_eq!(random_token().len(), 64);
    }
}
