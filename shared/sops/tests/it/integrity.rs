//! Integrity and secrecy: a tampered document fails with "MAC mismatch", and no error's
//! message, for any single-line corruption of an encrypted file, contains a plaintext value or
//! key material.

use crate::harness::{Fixture, secret_data};
use fluxion_sops::{Decryptor, Format, Keys};

const SENTINEL: &str = "PLAINTEXT-SENTINEL-7731";

#[test]
fn tampering_gives_mac_mismatch() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let plain = format!(
        "kind: Secret\nmetadata:\n  name: a\nstringData:\n  one: {SENTINEL}\n  two: other\n"
    );
    let enc = fx.encrypt(
        "t.yaml",
        &plain,
        &["--age", &key.recipient, "--encrypted-regex", "^stringData$"],
    );
    let d = Decryptor::new(Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap());
    let text = String::from_utf8(enc).unwrap();
    let renamed = text.replace("name: a", "name: b");
    let dropped: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("two:"))
        .map(|l| format!("{l}\n"))
        .collect();
    for tampered in [renamed, dropped] {
        let err = d
            .decrypt_file(tampered.as_bytes(), Format::Yaml)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to verify sops data integrity: MAC mismatch"
        );
    }
    // A value moved to another key does not decrypt: the path is its additional data.
    let value_of = |key: &str| {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap();
        line.trim_start()[key.len() + 1..].to_string()
    };
    let (one, two) = (value_of("one:"), value_of("two:"));
    let moved = text.replace(&format!("two: {two}"), &format!("two: {one}"));
    let err = d
        .decrypt_file(moved.as_bytes(), Format::Yaml)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("error decrypting sops tree: could not decrypt value at 'stringData:two'"),
        "{err}"
    );
}

fn mutations(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        let join = |ls: Vec<String>| ls.join("\n") + "\n";
        let mut dropped: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        dropped.remove(i);
        out.push(join(dropped));
        for at in [lines[i].len() / 2, lines[i].len().saturating_sub(8)] {
            let mut flipped: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let mut bytes = flipped[i].clone().into_bytes();
            if let Some(b) = bytes.get_mut(at) {
                *b = if *b == b'A' { b'B' } else { b'A' };
            }
            flipped[i] = String::from_utf8_lossy(&bytes).into_owned();
            out.push(join(flipped));
        }
    }
    out
}

#[test]
fn no_error_message_contains_plaintext_or_key_material() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let other = fx.age_key("other");
    let cases = [
        (
            "s.yaml",
            format!("a: {SENTINEL}\nb:\n  - {SENTINEL}\n"),
            Format::Yaml,
        ),
        (
            "s.json",
            format!("{{\"a\": \"{SENTINEL}\", \"n\": 12}}"),
            Format::Json,
        ),
        (
            "c.yaml",
            format!(
                "# {SENTINEL}\na: {SENTINEL} # {SENTINEL}\nl:\n  # {SENTINEL}\n  - {SENTINEL}\n"
            ),
            Format::Yaml,
        ),
        (
            "s.ini",
            format!("; {SENTINEL}\n[s]\na = {SENTINEL}\n"),
            Format::Ini,
        ),
        ("s.env", format!("A={SENTINEL}\nB=x\n"), Format::Dotenv),
        ("s.bin", format!("{SENTINEL}\n"), Format::Binary),
    ];
    let secret_line = key
        .file
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .to_string();
    let mut errors = 0;
    for (name, plain, format) in cases {
        let enc = String::from_utf8(fx.encrypt(name, &plain, &["--age", &key.recipient])).unwrap();
        for keys in [secret_data(&[&key], &[]), secret_data(&[&other], &[])] {
            let d = Decryptor::new(Keys::from_secret_data(&keys).unwrap());
            for bad in mutations(&enc) {
                if let Err(e) = d.decrypt_file(bad.as_bytes(), format) {
                    errors += 1;
                    let msg = e.to_string();
                    assert!(!msg.contains(SENTINEL), "{name}: {msg}");
                    assert!(!msg.contains(&secret_line), "{name}: {msg}");
                    assert!(!msg.contains("7731"), "{name}: {msg}");
                }
            }
        }
    }
    assert!(errors > 100, "only {errors} mutations failed");
}

#[test]
fn truncated_or_garbage_input_is_an_error_never_a_panic() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let d = Decryptor::new(Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap());
    for (name, format) in [
        ("t.yaml", Format::Yaml),
        ("t.json", Format::Json),
        ("t.env", Format::Dotenv),
        ("t.ini", Format::Ini),
    ] {
        let plain = match format {
            Format::Json => format!("{{\"a\": \"{SENTINEL}\"}}"),
            Format::Dotenv => format!("A={SENTINEL}\n"),
            Format::Ini => format!("[s]\na = {SENTINEL}\n"),
            _ => format!("a: {SENTINEL}\n"),
        };
        let enc = fx.encrypt(name, &plain, &["--age", &key.recipient]);
        let step = (enc.len() / 150).max(1);
        for cut in (0..enc.len()).step_by(step) {
            for input in [&enc[..cut], &enc[cut..]] {
                if let Err(e) = d.decrypt_file(input, format) {
                    assert!(!e.to_string().contains(SENTINEL), "{name}: {e}");
                }
            }
        }
        for garbage in [
            &b"\xff\xfe\x00"[..],
            b"",
            b"sops:\n  mac: 1\n",
            b"{\"sops\": []}",
            b"sops_mac=ENC[\n",
        ] {
            assert!(d.decrypt_file(garbage, format).is_err(), "{name}");
        }
    }
}
