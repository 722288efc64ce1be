//! Shamir secret sharing over GF(2^8) as sops (HashiCorp Vault's shamir package) splits a data
//! key across key groups: each part is the share bytes followed by its x coordinate.

/// Multiplication in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1.
fn mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        let carry = a & 0x80 != 0;
        a <<= 1;
        if carry {
            a ^= 0x1b;
        }
        b >>= 1;
    }
    r
}

/// The multiplicative inverse (a^254); 0 has none and maps to 0.
fn inv(a: u8) -> u8 {
    let mut r = 1u8;
    for _ in 0..254 {
        r = mul(r, a);
    }
    r
}

/// Recovers the secret from at least a threshold of parts (Lagrange interpolation at 0).
pub(crate) fn combine(parts: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let len = parts.first().map(Vec::len).ok_or("no Shamir parts")?;
    if len < 2 || parts.iter().any(|p| p.len() != len) {
        return Err("Shamir parts have different or invalid lengths".into());
    }
    let xs: Vec<u8> = parts.iter().map(|p| p[len - 1]).collect();
    for (i, x) in xs.iter().enumerate() {
        if xs[..i].contains(x) {
            return Err("duplicate Shamir part".into());
        }
    }
    let mut secret = vec![0u8; len - 1];
    for (i, part) in parts.iter().enumerate() {
        let mut basis = 1u8;
        for (j, xj) in xs.iter().enumerate() {
            if i != j {
                basis = mul(basis, mul(*xj, inv(xs[i] ^ xj)));
            }
        }
        for (s, y) in secret.iter_mut().zip(part) {
            *s ^= mul(*y, basis);
        }
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits with a fixed degree-1 polynomial per byte: f(x) = s + c*x.
    fn split2(secret: &[u8], xs: &[u8]) -> Vec<Vec<u8>> {
        xs.iter()
            .map(|&x| {
                let mut p: Vec<u8> = secret
                    .iter()
                    .enumerate()
                    .map(|(i, s)| s ^ mul(i as u8 + 3, x))
                    .collect();
                p.push(x);
                p
            })
            .collect()
    }

    #[test]
    fn field_and_combine() {
        assert_eq!(mul(0x57, 0x83), 0xc1);
        for a in 1..=255u8 {
            assert_eq!(mul(a, inv(a)), 1);
        }
        let secret = b"0123456789abcdef0123456789abcdef";
        let parts = split2(secret, &[1, 7, 200]);
        assert_eq!(combine(&parts[..2]).unwrap(), secret);
        assert_eq!(combine(&parts[1..]).unwrap(), secret);
        assert!(combine(&[parts[0].clone(), parts[0].clone()]).is_err());
    }
}
