//! Sprig's encodings: toJson, toPrettyJson, toRawJson, fromJson (and must* forms) with Go's
//! encoding/json output (sorted keys, HTML escaping, Go's float format), and b64enc/b64dec,
//! b32enc/b32dec with Go's standard padded alphabets and error texts.

use super::strings::s;
use crate::template::{FuncError, FuncMap, Param, Signature, Value};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Go's `json.Marshal` (HTML-escaped) or an encoder with escaping off, optionally indented.
pub(crate) fn to_json(v: &Value, html: bool, indent: Option<&str>) -> Result<String, FuncError> {
    crate::yaml::to_json_indent(v, html, indent).map_err(FuncError::from_cause)
}

/// Go's `json.Unmarshal` into `interface{}`.
pub(crate) fn from_json(text: &str) -> Result<Value, FuncError> {
    crate::yaml::from_json(text).map_err(FuncError::from_cause)
}

pub(crate) fn b64_encode(b: &[u8]) -> String {
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base64.StdEncoding.DecodeString`, with its `CorruptInputError` offsets.
fn b64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::new();
    let mut si = 0usize;
    loop {
        let mut quantum = [0u32; 4];
        let mut j = 0usize;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if let Some(p) = B64.iter().position(|&x| x == c) {
                quantum[j] = p as u32;
                j += 1;
                continue;
            }
            if c != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                    si += 1;
                }
                if si == src.len() {
                    return Err(src.len());
                }
                if src[si] != b'=' {
                    return Err(si - 1);
                }
                si += 1;
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            break;
        }
        let n = quantum.iter().fold(0u32, |acc, &x| (acc << 6) | x);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..j - 1]);
        if j < 4 {
            return Ok(out);
        }
    }
}

/// `base64.StdEncoding.DecodeString`; the error is the offset of the bad input byte.
pub(crate) fn b64_decode_std(text: &str) -> Result<Vec<u8>, usize> {
    b64_decode(text.as_bytes())
}

fn b32_encode(b: &[u8]) -> String {
    let mut out = String::new();
    for chunk in b.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(B32[((n >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b32_decode(src: &str) -> Result<Vec<u8>, usize> {
    let clean: Vec<u8> = src.bytes().filter(|&c| c != b'\n' && c != b'\r').collect();
    if !clean.len().is_multiple_of(8) {
        return Err(clean.len() / 8 * 8);
    }
    let mut out = Vec::new();
    for (q, chunk) in clean.chunks(8).enumerate() {
        let data = chunk.iter().take_while(|&&c| c != b'=').count();
        if chunk[data..].iter().any(|&c| c != b'=') || q * 8 + 8 < clean.len() && data < 8 {
            return Err(q * 8 + data);
        }
        let mut n = 0u64;
        for (i, &c) in chunk.iter().enumerate() {
            let v = if i < data {
                B32.iter().position(|&x| x == c).ok_or(q * 8 + i)? as u64
            } else {
                0
            };
            n = (n << 5) | v;
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[3..3 + data * 5 / 8]);
    }
    Ok(out)
}

fn register_json(map: &mut FuncMap) {
    let any1 = || Signature::new([Param::Any]);
    map.add("toJson", any1(), |_, a| {
        Ok(Value::from(
            to_json(a.first().unwrap_or(&Value::Nil), true, None).unwrap_or_default(),
        ))
    });
    map.add("mustToJson", any1(), |_, a| {
        Ok(Value::from(to_json(
            a.first().unwrap_or(&Value::Nil),
            true,
            None,
        )?))
    });
    map.add("toPrettyJson", any1(), |_, a| {
        Ok(Value::from(
            to_json(a.first().unwrap_or(&Value::Nil), true, Some("  ")).unwrap_or_default(),
        ))
    });
    map.add("mustToPrettyJson", any1(), |_, a| {
        Ok(Value::from(to_json(
            a.first().unwrap_or(&Value::Nil),
            true,
            Some("  "),
        )?))
    });
    map.add("toRawJson", any1(), |_, a| {
        Ok(Value::from(
            to_json(a.first().unwrap_or(&Value::Nil), false, None).unwrap_or_default(),
        ))
    });
    map.add("mustToRawJson", any1(), |_, a| {
        Ok(Value::from(to_json(
            a.first().unwrap_or(&Value::Nil),
            false,
            None,
        )?))
    });
    let str1 = || Signature::new([Param::String]).returns_interface();
    map.add("fromJson", str1(), |_, a| {
        Ok(from_json(s(a, 0)).unwrap_or_default())
    });
    map.add("mustFromJson", str1(), |_, a| from_json(s(a, 0)));
}

pub(super) fn register(map: &mut FuncMap) {
    register_json(map);
    map.add("b64enc", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(b64_encode(s(a, 0).as_bytes())))
    });
    map.add("b64dec", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(match b64_decode(s(a, 0).as_bytes()) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(i) => format!("illegal base64 data at input byte {i}"),
        }))
    });
    map.add("b32enc", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(b32_encode(s(a, 0).as_bytes())))
    });
    map.add("b32dec", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(match b32_decode(s(a, 0)) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(i) => format!("illegal base32 data at input byte {i}"),
        }))
    });
}
