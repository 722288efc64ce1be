//! Sprig's encryptAES and decryptAES: AES-256-CBC with the password zero-padded (or cut) to
//! a 32-byte key, a random IV prepended, PKCS#7 padding, base64 text. The AES block cipher
//! (FIPS 197) is implemented here; its S-box is computed, not tabulated.

use std::sync::LazyLock;

use rand::Rng;

use super::encoding::{b64_decode_std, b64_encode};
use super::err;
use super::strings::s;
use crate::template::{FuncError, FuncMap, Param, Signature, Value};

/// Multiplication in GF(2^8) with the AES polynomial.
fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        let hi = a & 0x80;
        a <<= 1;
        if hi != 0 {
            a ^= 0x1b;
        }
        b >>= 1;
    }
    p
}

/// The S-box and its inverse: the multiplicative inverse followed by the affine map.
static SBOX: LazyLock<([u8; 256], [u8; 256])> = LazyLock::new(|| {
    let mut sbox = [0u8; 256];
    let mut inv = [0u8; 256];
    for x in 0..=255u8 {
        let y = if x == 0 {
            0
        } else {
            (1..=255u8).find(|&y| gmul(x, y) == 1).unwrap_or(0)
        };
        let v =
            y ^ y.rotate_left(1) ^ y.rotate_left(2) ^ y.rotate_left(3) ^ y.rotate_left(4) ^ 0x63;
        sbox[x as usize] = v;
        inv[v as usize] = x;
    }
    (sbox, inv)
});

/// AES-256 round keys (15 of 16 bytes).
fn expand(key: &[u8; 32]) -> Vec<[u8; 16]> {
    let sbox = &SBOX.0;
    let mut w: Vec<[u8; 4]> = key.chunks(4).map(|c| [c[0], c[1], c[2], c[3]]).collect();
    let mut rcon = 1u8;
    for i in 8..60 {
        let mut t = w[i - 1];
        if i % 8 == 0 {
            t = [
                sbox[t[1] as usize] ^ rcon,
                sbox[t[2] as usize],
                sbox[t[3] as usize],
                sbox[t[0] as usize],
            ];
            rcon = gmul(rcon, 2);
        } else if i % 8 == 4 {
            t = t.map(|b| sbox[b as usize]);
        }
        let prev = w[i - 8];
        w.push([
            prev[0] ^ t[0],
            prev[1] ^ t[1],
            prev[2] ^ t[2],
            prev[3] ^ t[3],
        ]);
    }
    w.chunks(4)
        .map(|c| {
            let mut k = [0u8; 16];
            for (j, word) in c.iter().enumerate() {
                k[j * 4..j * 4 + 4].copy_from_slice(word);
            }
            k
        })
        .collect()
}

fn add_key(st: &mut [u8; 16], k: &[u8; 16]) {
    for (a, b) in st.iter_mut().zip(k) {
        *a ^= b;
    }
}

/// ShiftRows (or its inverse): row r of the column-major state rotates by r.
fn shift_rows(st: &mut [u8; 16], inverse: bool) {
    let old = *st;
    for c in 0..4 {
        for r in 0..4 {
            let from = if inverse {
                (c + 4 - r) % 4
            } else {
                (c + r) % 4
            };
            st[c * 4 + r] = old[from * 4 + r];
        }
    }
}

fn mix_columns(st: &mut [u8; 16], m: [u8; 4]) {
    for c in 0..4 {
        let col = [st[c * 4], st[c * 4 + 1], st[c * 4 + 2], st[c * 4 + 3]];
        for r in 0..4 {
            st[c * 4 + r] = (0..4).fold(0, |acc, i| acc ^ gmul(m[(4 + i - r) % 4], col[i]));
        }
    }
}

fn encrypt_block(keys: &[[u8; 16]], block: &mut [u8; 16]) {
    let sbox = &SBOX.0;
    add_key(block, &keys[0]);
    for (round, key) in keys.iter().enumerate().skip(1) {
        block.iter_mut().for_each(|b| *b = sbox[*b as usize]);
        shift_rows(block, false);
        if round != 14 {
            mix_columns(block, [2, 3, 1, 1]);
        }
        add_key(block, key);
    }
}

fn decrypt_block(keys: &[[u8; 16]], block: &mut [u8; 16]) {
    let inv = &SBOX.1;
    add_key(block, &keys[14]);
    for round in (0..14).rev() {
        shift_rows(block, true);
        block.iter_mut().for_each(|b| *b = inv[*b as usize]);
        add_key(block, &keys[round]);
        if round != 0 {
            mix_columns(block, [14, 11, 13, 9]);
        }
    }
}

fn key_of(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

/// Sprig's `encryptAES`.
pub(crate) fn encrypt(password: &str, plain: &str) -> String {
    let keys = expand(&key_of(password));
    let mut data = plain.as_bytes().to_vec();
    let pad = 16 - data.len() % 16;
    data.extend(std::iter::repeat_n(pad as u8, pad));
    let mut prev: [u8; 16] = rand::rng().random();
    let mut out = prev.to_vec();
    for chunk in data.chunks(16) {
        let mut block = [0u8; 16];
        for i in 0..16 {
            block[i] = chunk[i] ^ prev[i];
        }
        encrypt_block(&keys, &mut block);
        out.extend_from_slice(&block);
        prev = block;
    }
    b64_encode(&out)
}

/// Sprig's `decryptAES`.
pub(crate) fn decrypt(password: &str, text: &str) -> Result<String, FuncError> {
    let data =
        b64_decode_std(text).map_err(|i| err(format!("illegal base64 data at input byte {i}")))?;
    if data.len() < 16 {
        let capacity = text.len() / 4 * 3;
        return Err(err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {capacity}"
        )));
    }
    if data.len() % 16 != 0 {
        return Err(err("crypto/cipher: input not full blocks"));
    }
    let keys = expand(&key_of(password));
    let mut prev = [0u8; 16];
    prev.copy_from_slice(&data[..16]);
    let mut out = Vec::new();
    for chunk in data[16..].chunks(16) {
        let mut block = [0u8; 16];
        block.copy_from_slice(chunk);
        decrypt_block(&keys, &mut block);
        out.extend(block.iter().zip(prev.iter()).map(|(a, b)| a ^ b));
        prev.copy_from_slice(chunk);
    }
    let pad = out.last().copied().unwrap_or(0) as usize;
    out.truncate(out.len().saturating_sub(pad));
    Ok(String::from_utf8_lossy(&out).into_owned())
}

pub(super) fn register(map: &mut FuncMap) {
    map.add(
        "encryptAES",
        Signature::new([Param::String, Param::String]),
        |_, a| Ok(Value::from(encrypt(s(a, 0), s(a, 1)))),
    );
    map.add(
        "decryptAES",
        Signature::new([Param::String, Param::String]),
        |_, a| Ok(Value::from(decrypt(s(a, 0), s(a, 1))?)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_197_aes_256_vector() {
        let key: [u8; 32] = std::array::from_fn(|i| i as u8);
        let keys = expand(&key);
        let mut block: [u8; 16] = std::array::from_fn(|i| (i as u8) * 0x11);
        encrypt_block(&keys, &mut block);
        assert_eq!(hex::encode(block), "8ea2b7ca516745bfeafc49904b496089");
        decrypt_block(&keys, &mut block);
        assert_eq!(block, std::array::from_fn(|i| (i as u8) * 0x11));
    }

    #[test]
    fn round_trips_with_random_ivs() {
        for plain in ["", "hello", "exactly sixteen!", "ünïcödé and a longer text"] {
            let a = encrypt("secret", plain);
            assert_ne!(a, encrypt("secret", plain));
            assert_eq!(decrypt("secret", &a).expect("decrypts"), plain);
        }
    }
}
