//! `sigs.k8s.io/yaml.YAMLToJSON`: how kustomize reads its own kustomization files.
//!
//! Unlike resources, kustomization files go through go-yaml v2 (YAML 1.1: `yes`/`on` are
//! booleans) and then JSON, before strict decoding into typed fields.

use serde_json::{Map, Number, Value as J};

use super::gostr;
use super::node::{Content, Node, Style};
use super::resolve::{self, Flavor, Scalar};

/// Converts a node to JSON data as `YAMLToJSON` does.
pub fn to_json_v2(node: &Node) -> Result<J, String> {
    match &node.content {
        Content::Scalar(s) => Ok(scalar(node, s)),
        Content::Sequence(items) => items
            .iter()
            .map(to_json_v2)
            .collect::<Result<_, _>>()
            .map(J::Array),
        Content::Mapping(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                m.insert(key(k)?, to_json_v2(v)?);
            }
            Ok(J::Object(m))
        }
    }
}

/// Node tags hold go-yaml v3's resolution; v2 resolves untagged plain scalars again.
fn resolved(node: &Node, s: &str) -> Scalar {
    if node.tagged {
        return resolve::resolve_tagged(&node.tag, s)
            .map(|r| r.1)
            .unwrap_or(Scalar::Str);
    }
    if node.style != Style::Plain {
        return Scalar::Str;
    }
    resolve::resolve_plain(Flavor::V2, s).1
}

fn scalar(node: &Node, s: &str) -> J {
    match resolved(node, s) {
        Scalar::Null => J::Null,
        Scalar::Bool(b) => J::Bool(b),
        Scalar::Int(i) => J::from(i),
        Scalar::Uint(u) => J::from(u),
        Scalar::Float(f) => float(f),
        Scalar::Timestamp(_) | Scalar::Str => J::String(s.to_string()),
    }
}

fn float(f: f64) -> J {
    if !f.is_finite() {
        return J::Null;
    }
    let text = gostr::format_float_json(f);
    if let Some(i) = gostr::parse_int_base0(&text) {
        return J::from(i);
    }
    Number::from_f64(f).map_or(J::Null, J::Number)
}

fn key(k: &Node) -> Result<String, String> {
    let Some(s) = k.scalar() else {
        return Err("Unsupported map key: a collection".into());
    };
    Ok(match resolved(k, s) {
        Scalar::Null => return Err(format!("Unsupported map key of type: <nil>, key: {s}")),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Uint(u) => u.to_string(),
        Scalar::Float(f) => gostr::format_float_g(f32_round(f)),
        Scalar::Timestamp(_) | Scalar::Str => s.to_string(),
    })
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` prints the float32 nearest to `f`.
fn f32_round(f: f64) -> f64 {
    let s = format!("{}", f as f32);
    s.parse().unwrap_or(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_first;

    #[test]
    fn yaml_1_1_booleans_and_keys() {
        let n = parse_first("a: yes\nb: 'yes'\nc: 2.0\nd: ~\n1: x\ntrue: z\ne: 2001-12-14\n")
            .ok()
            .flatten()
            .expect("parse");
        let j = to_json_v2(&n).expect("json");
        assert_eq!(j["a"], J::Bool(true));
        assert_eq!(j["b"], J::String("yes".into()));
        assert_eq!(j["c"], J::from(2));
        assert_eq!(j["d"], J::Null);
        assert_eq!(j["1"], J::String("x".into()));
        assert_eq!(j["true"], J::String("z".into()));
        assert_eq!(j["e"], J::String("2001-12-14".into()));
    }
}
