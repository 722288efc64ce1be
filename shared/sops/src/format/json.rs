//! JSON documents (one object, key order kept) and sops' binary envelope (`{"data": ...}`).

use crate::tree::Node;

pub(super) fn load(text: &str) -> Result<(Option<Node>, Vec<Node>), String> {
    let mut node: Node = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !matches!(node, Node::Map(_)) {
        return Err("the document is not a JSON object".into());
    }
    let sops = node.take("sops");
    Ok((sops, vec![node]))
}

pub(super) fn emit(branches: &[Node]) -> Result<Vec<u8>, String> {
    let [branch] = branches else {
        return Err("JSON holds exactly one document".into());
    };
    Ok(super::gojson::to_string(branch).into_bytes())
}

pub(super) fn emit_binary(branches: &[Node]) -> Result<Vec<u8>, String> {
    match branches.first().and_then(|b| b.get("data")) {
        Some(Node::Str(s)) => Ok(s.clone().into_bytes()),
        Some(Node::Bytes(b)) => Ok(b.clone()),
        _ => Err("no 'data' string key in the binary envelope".into()),
    }
}
