//! sops' flattened metadata keys for dotenv and INI (`age__list_0__map_enc`), rebuilt into a
//! tree (stores/flatten.go).

use crate::tree::Node;

const MAP_SEP: &str = "__map_";
const LIST_SEP: &str = "__list_";

enum Token {
    Key(String),
    Index(usize),
}

fn tokenize(path: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut rest = path;
    let mut kind_is_list = false;
    loop {
        let next = [rest.find(MAP_SEP), rest.find(LIST_SEP)]
            .into_iter()
            .flatten()
            .min();
        let (head, tail) = match next {
            Some(at) => (&rest[..at], Some(&rest[at..])),
            None => (rest, None),
        };
        tokens.push(if kind_is_list {
            Token::Index(
                head.parse()
                    .map_err(|_| format!("bad list index in '{path}'"))?,
            )
        } else {
            Token::Key(head.to_string())
        });
        let Some(tail) = tail else {
            return Ok(tokens);
        };
        kind_is_list = tail.starts_with(LIST_SEP);
        rest = if kind_is_list {
            &tail[LIST_SEP.len()..]
        } else {
            &tail[MAP_SEP.len()..]
        };
    }
}

fn insert(node: &mut Node, tokens: &[Token], value: Node) -> Result<(), String> {
    let Some((first, rest)) = tokens.split_first() else {
        *node = value;
        return Ok(());
    };
    let empty = || match rest.first() {
        Some(Token::Index(_)) => Node::Seq(Vec::new()),
        Some(Token::Key(_)) => Node::Map(Vec::new()),
        None => Node::Null,
    };
    match (first, node) {
        (Token::Key(k), Node::Map(entries)) => {
            let at = match entries.iter().position(|(key, _)| key == k) {
                Some(at) => at,
                None => {
                    entries.push((k.clone(), empty()));
                    entries.len() - 1
                }
            };
            insert(&mut entries[at].1, rest, value)
        }
        (Token::Index(i), Node::Seq(items)) => {
            if *i > 10_000 {
                return Err("list index too large".into());
            }
            while items.len() <= *i {
                items.push(empty());
            }
            insert(&mut items[*i], rest, value)
        }
        _ => Err("inconsistent flattened metadata keys".into()),
    }
}

/// Builds the metadata tree from `(flattened key, value)` pairs.
pub(super) fn unflatten(pairs: Vec<(String, String)>) -> Result<Node, String> {
    let mut root = Node::Map(Vec::new());
    for (key, value) in pairs {
        // Multi-line values (armored keys) are stored with escaped newlines.
        let value = Node::Str(value.replace("\\n", "\n"));
        insert(&mut root, &tokenize(&key)?, value)?;
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuilds_lists_of_maps() {
        let root = unflatten(vec![
            ("age__list_0__map_recipient".into(), "age1x".into()),
            ("age__list_0__map_enc".into(), "a\\nb".into()),
            ("age__list_1__map_recipient".into(), "age1y".into()),
            ("mac".into(), "ENC[...]".into()),
        ])
        .unwrap();
        let Some(Node::Seq(age)) = root.get("age") else {
            panic!("{root:?}")
        };
        assert_eq!(age.len(), 2);
        assert_eq!(age[0].get("enc"), Some(&Node::Str("a\nb".into())));
        assert_eq!(root.get("mac"), Some(&Node::Str("ENC[...]".into())));
    }
}
