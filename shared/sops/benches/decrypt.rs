//! Decryption throughput against `sops decrypt` on the same files: `cargo bench -p fluxion-sops`.
//! Prints per-operation times for a cold data key (age, PGP RSA), a warm one (cached), and the
//! sops binary as the reference, with the ratio.

#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;

use fluxion_sops::{Decryptor, Format, Keys};
use harness::{Fixture, secret_data, yaml_docs};
use std::time::Instant;

const SECRET: &str = "apiVersion: v1
kind: Secret
metadata:
  name: app
stringData:
  password: hunter2
  user: admin
  url: postgres://db:5432/app
type: Opaque
";

fn per_op(label: &str, n: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!("{label:<48} {us:>10.1} µs/op  ({n} runs)");
    us
}

fn main() {
    let fx = Fixture::new();
    let age = fx.age_key("bench");
    let pgp = fx.pgp_key("bench", "default");
    let regex = ["--encrypted-regex", "^(data|stringData)$"];
    let age_enc = fx.encrypt(
        "a.yaml",
        SECRET,
        &[&["--age", &age.recipient][..], &regex].concat(),
    );
    let pgp_enc = fx.encrypt(
        "p.yaml",
        SECRET,
        &[&["--pgp", &pgp.fingerprint][..], &regex].concat(),
    );
    let age_keys = Keys::from_secret_data(&secret_data(&[&age], &[])).expect("age keys");
    let pgp_keys = Keys::from_secret_data(&secret_data(&[], &[&pgp])).expect("pgp keys");
    let obj = yaml_docs(&age_enc).remove(0);

    let cold_age = per_op("object, age, cold data key", 200, || {
        let d = Decryptor::new(age_keys.clone()).verify_mac(false);
        d.decrypt_object(obj.clone()).expect("decrypt");
    });
    per_op("file, PGP RSA-3072, cold data key", 20, || {
        let d = Decryptor::new(pgp_keys.clone());
        d.decrypt_file(&pgp_enc, Format::Yaml).expect("decrypt");
    });
    let warm = Decryptor::new(age_keys.clone()).verify_mac(false);
    per_op("object, warm data key (cached)", 2000, || {
        warm.decrypt_object(obj.clone()).expect("decrypt");
    });
    let sops = per_op("reference: sops decrypt (process), age", 10, || {
        fx.sops_decrypt("a.yaml", &age_enc, &age);
    });
    println!(
        "sops decrypt / fluxion cold age decrypt: {:.0}x",
        sops / cold_age
    );
    large_file(&fx, &age, &age_keys);
}

/// A large generator file: 5,000 commented entries, against `sops decrypt` of it.
fn large_file(fx: &Fixture, age: &harness::AgeKey, keys: &Keys) {
    let big: String = (0..5000)
        .map(|i| format!("# entry {i}\nkey{i}:\n  user: user{i}\n  password: p4ss-{i}\n"))
        .collect();
    let enc = fx.encrypt("big.yaml", &big, &["--age", &age.recipient]);
    let label = format!("large YAML file ({} KiB), cold data key", enc.len() / 1024);
    let ours = per_op(&label, 5, || {
        Decryptor::new(keys.clone())
            .decrypt_file(&enc, Format::Yaml)
            .expect("decrypt");
    });
    let out = Decryptor::new(keys.clone())
        .decrypt_file(&enc, Format::Yaml)
        .expect("decrypt");
    assert!(
        out == fx.sops_decrypt("big.yaml", &enc, age),
        "large file differs from sops"
    );
    let reference = per_op("reference: sops decrypt of the large file", 3, || {
        fx.sops_decrypt("big.yaml", &enc, age);
    });
    println!(
        "sops decrypt / fluxion on the large file: {:.1}x",
        reference / ours
    );
}
