//! The ordered document tree sops walks: maps keep their source order because the MAC covers
//! values in that order; conversions to and from serde_json values.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as JsonValue;

/// One node of a document, as sops' TreeBranch/TreeItem model holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Seq(Vec<Node>),
    /// Entries in document order. An entry whose value is a [`Node::Comment`] is a comment
    /// line of the map (its key is empty), as sops keeps comments of dotenv files.
    Map(Vec<(String, Node)>),
    /// A comment: encrypted like a value (with its map's path), never part of the MAC.
    Comment(String),
}

impl Node {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, v)| k == key && !v.is_comment())
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn is_comment(&self) -> bool {
        matches!(self, Node::Comment(_))
    }

    /// Removes `key` from a map and returns its value.
    pub(crate) fn take(&mut self, key: &str) -> Option<Node> {
        let Node::Map(entries) = self else {
            return None;
        };
        let at = entries
            .iter()
            .position(|(k, v)| k == key && !v.is_comment())?;
        Some(entries.remove(at).1)
    }

    /// The bytes sops' `ToBytes` gives a value (what the MAC hashes).
    pub(crate) fn mac_bytes(&self) -> Option<Vec<u8>> {
        Some(match self {
            Node::Str(s) => s.as_bytes().to_vec(),
            Node::Bytes(b) => b.clone(),
            Node::Int(i) => i.to_string().into_bytes(),
            Node::Uint(u) => u.to_string().into_bytes(),
            Node::Float(f) => go_format_float(*f).into_bytes(),
            Node::Bool(true) => b"True".to_vec(),
            Node::Bool(false) => b"False".to_vec(),
            Node::Null | Node::Seq(_) | Node::Map(_) | Node::Comment(_) => return None,
        })
    }
}

/// A float with no fraction, as an integer: Go's encoders print float64 1500 as `1500`, so
/// sops' output of a decrypted float reads back as an integer.
fn integral(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
pub(crate) fn go_format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        // Rust's Display is also shortest round-trip without an exponent.
        format!("{f}")
    }
}

impl From<&JsonValue> for Node {
    fn from(v: &JsonValue) -> Node {
        match v {
            JsonValue::Null => Node::Null,
            JsonValue::Bool(b) => Node::Bool(*b),
            JsonValue::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Node::Int(i),
                (None, Some(u)) => Node::Uint(u),
                _ => Node::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            JsonValue::String(s) => Node::Str(s.clone()),
            JsonValue::Array(a) => Node::Seq(a.iter().map(Node::from).collect()),
            JsonValue::Object(m) => {
                Node::Map(m.iter().map(|(k, v)| (k.clone(), Node::from(v))).collect())
            }
        }
    }
}

impl From<&Node> for JsonValue {
    fn from(n: &Node) -> JsonValue {
        match n {
            Node::Null | Node::Comment(_) => JsonValue::Null,
            Node::Bool(b) => JsonValue::Bool(*b),
            Node::Int(i) => JsonValue::from(*i),
            Node::Uint(u) => JsonValue::from(*u),
            Node::Float(f) => match integral(*f) {
                Some(i) => JsonValue::from(i),
                None => serde_json::Number::from_f64(*f)
                    .map(JsonValue::Number)
                    .unwrap_or(JsonValue::Null),
            },
            Node::Str(s) => JsonValue::String(s.clone()),
            Node::Bytes(b) => JsonValue::String(String::from_utf8_lossy(b).into_owned()),
            Node::Seq(items) => JsonValue::Array(
                items
                    .iter()
                    .filter(|i| !i.is_comment())
                    .map(JsonValue::from)
                    .collect(),
            ),
            Node::Map(entries) => JsonValue::Object(
                entries
                    .iter()
                    .filter(|(_, v)| !v.is_comment())
                    .map(|(k, v)| (k.clone(), JsonValue::from(v)))
                    .collect(),
            ),
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Uint(v), Node::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            // encoding/json keeps the last of duplicate keys; so do we, at the first's place.
            match entries.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => entries.push((k, v)),
            }
        }
        Ok(Node::Map(entries))
    }
}

/// Reads JSON keeping the order of object keys.
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_key_order() {
        let n: Node =
            serde_json::from_str(r#"{"z":1,"a":[true,null,1.5],"m":{"y":"s","b":2}}"#).unwrap();
        let Node::Map(entries) = &n else { panic!() };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        let Some(Node::Map(inner)) = n.get("m") else {
            panic!()
        };
        assert_eq!(inner[0].0, "y");
    }

    #[test]
    fn mac_bytes_follow_go() {
        let cases = [
            (Node::Int(-3), "-3"),
            (Node::Float(1.0), "1"),
            (Node::Float(0.1), "0.1"),
            (Node::Float(1e21), "1000000000000000000000"),
            (Node::Float(f64::INFINITY), "+Inf"),
            (Node::Bool(true), "True"),
            (Node::Bool(false), "False"),
            (Node::Str("x".into()), "x"),
        ];
        for (n, want) in cases {
            assert_eq!(n.mac_bytes().unwrap(), want.as_bytes(), "{n:?}");
        }
        assert_eq!(Node::Null.mac_bytes(), None);
    }
}
