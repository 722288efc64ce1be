//! Sprig's checksums and identifiers: sha1sum, sha256sum, sha512sum, adler32sum (hex and decimal text
//! as Go prints them) and uuidv4 (a random RFC 4122 version 4 UUID).

use rand::Rng;
use sha2::{Digest, Sha256, Sha512};

use super::strings::s;
use crate::template::{FuncMap, Param, Signature, Value};

/// SHA-1 (FIPS 180-4) of `data`.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// Go's `hash/adler32.Checksum`.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// A random version 4 UUID in its canonical text form.
pub(crate) fn uuidv4() -> String {
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

pub(super) fn register(map: &mut FuncMap) {
    map.add("sha1sum", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(hex::encode(sha1(s(a, 0).as_bytes()))))
    });
    map.add("sha256sum", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(hex::encode(Sha256::digest(s(a, 0).as_bytes()))))
    });
    map.add("sha512sum", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(hex::encode(Sha512::digest(s(a, 0).as_bytes()))))
    });
    map.add("adler32sum", Signature::new([Param::String]), |_, a| {
        Ok(Value::from(adler32(s(a, 0).as_bytes()).to_string()))
    });
    map.add("uuidv4", Signature::new([]), |_, _| {
        Ok(Value::from(uuidv4()))
    });
    map.add("randBytes", Signature::new([Param::Int]), |_, a| {
        let n = usize::try_from(super::strings::n(a, 0)).unwrap_or(0);
        // Base64 makes four bytes of every three.
        crate::template::limits::check_string(n as u128 * 4 / 3)?;
        let bytes: Vec<u8> = (0..n).map(|_| rand::rng().random()).collect();
        Ok(Value::from(super::encoding::b64_encode(&bytes)))
    });
    map.add("hello", Signature::new([]), |_, _| {
        Ok(Value::from("Hello!"))
    });
}
