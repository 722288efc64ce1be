//! Sprig's derivePassword: the Master Password algorithm (scrypt of the master password
//! salted with the user name, HMAC-SHA256 of the site and counter, a character template).
//! scrypt (RFC 7914) and HMAC-SHA256 (RFC 2104) are implemented here over `sha2`.

use sha2::{Digest, Sha256};

use super::strings::{n, s};
use crate::template::{FuncMap, Param, Signature, Value};

const SEED: &str = "com.lyndir.masterpassword";

fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let inner = Sha256::new()
        .chain_update(k.map(|b| b ^ 0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(k.map(|b| b ^ 0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// PBKDF2-HMAC-SHA256 with one iteration (all scrypt needs).
fn pbkdf2_1(password: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut i = 1u32;
    while out.len() < len {
        let mut msg = salt.to_vec();
        msg.extend_from_slice(&i.to_be_bytes());
        out.extend_from_slice(&hmac_sha256(password, &msg));
        i += 1;
    }
    out.truncate(len);
    out
}

fn quarter(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[b] ^= x[a].wrapping_add(x[d]).rotate_left(7);
    x[c] ^= x[b].wrapping_add(x[a]).rotate_left(9);
    x[d] ^= x[c].wrapping_add(x[b]).rotate_left(13);
    x[a] ^= x[d].wrapping_add(x[c]).rotate_left(18);
}

fn salsa20_8(b: &mut [u32; 16]) {
    let mut x = *b;
    for _ in 0..4 {
        quarter(&mut x, 0, 4, 8, 12);
        quarter(&mut x, 5, 9, 13, 1);
        quarter(&mut x, 10, 14, 2, 6);
        quarter(&mut x, 15, 3, 7, 11);
        quarter(&mut x, 0, 1, 2, 3);
        quarter(&mut x, 5, 6, 7, 4);
        quarter(&mut x, 10, 11, 8, 9);
        quarter(&mut x, 15, 12, 13, 14);
    }
    for (o, v) in b.iter_mut().zip(x) {
        *o = o.wrapping_add(v);
    }
}

fn block_mix(b: &[u32], r: usize) -> Vec<u32> {
    let mut x = [0u32; 16];
    x.copy_from_slice(&b[(2 * r - 1) * 16..2 * r * 16]);
    let mut y = vec![0u32; b.len()];
    for i in 0..2 * r {
        for (xv, bv) in x.iter_mut().zip(&b[i * 16..i * 16 + 16]) {
            *xv ^= bv;
        }
        salsa20_8(&mut x);
        let at = if i % 2 == 0 { i / 2 } else { r + i / 2 };
        y[at * 16..at * 16 + 16].copy_from_slice(&x);
    }
    y
}

fn ro_mix(block: &mut [u8], r: usize, cost: usize) {
    let mut x: Vec<u32> = block
        .chunks(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut v = Vec::with_capacity(cost);
    for _ in 0..cost {
        v.push(x.clone());
        x = block_mix(&x, r);
    }
    for _ in 0..cost {
        let at = (2 * r - 1) * 16;
        let j = (u64::from(x[at]) | (u64::from(x[at + 1]) << 32)) as usize % cost;
        for (xv, vv) in x.iter_mut().zip(&v[j]) {
            *xv ^= vv;
        }
        x = block_mix(&x, r);
    }
    for (c, w) in block.chunks_mut(4).zip(x) {
        c.copy_from_slice(&w.to_le_bytes());
    }
}

/// scrypt (RFC 7914) with cost N, block size r, parallelism p.
pub(crate) fn scrypt(password: &[u8], salt: &[u8], cost: usize, r: usize, p: usize) -> Vec<u8> {
    let mut b = pbkdf2_1(password, salt, p * 128 * r);
    for chunk in b.chunks_mut(128 * r) {
        ro_mix(chunk, r, cost);
    }
    pbkdf2_1(password, &b, 64)
}

const LONG: [&str; 21] = [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
];

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &LONG,
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn chars(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Sprig's `derivePassword`.
pub(crate) fn derive(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(temps) = templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let key = scrypt(password.as_bytes(), &salt, 32768, 8, 2);
    let mut msg = SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let seed = hmac_sha256(&key, &msg);
    let temp = temps[seed[0] as usize % temps.len()].as_bytes();
    temp.iter()
        .enumerate()
        .map(|(i, &class)| {
            let set = chars(class);
            set[seed[i + 1] as usize % set.len()] as char
        })
        .collect()
}

pub(super) fn register(map: &mut FuncMap) {
    let params = [
        Param::Uint32,
        Param::String,
        Param::String,
        Param::String,
        Param::String,
    ];
    map.add("derivePassword", Signature::new(params), |_, a| {
        let counter = u32::try_from(n(a, 0)).unwrap_or(0);
        Ok(Value::from(derive(
            counter,
            s(a, 1),
            s(a, 2),
            s(a, 3),
            s(a, 4),
        )))
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn scrypt_rfc_7914_vector() {
        let out = super::scrypt(b"", b"", 16, 1, 1);
        assert_eq!(
            hex::encode(out),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442\
             fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        );
    }
}
