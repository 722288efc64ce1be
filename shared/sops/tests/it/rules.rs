//! sops' encryption rules (suffixes, regexes, mac_only_encrypted): the values left in clear
//! stay as they are and the MAC still verifies.

use crate::harness::{Fixture, secret_data, yaml_docs};
use fluxion_sops::{Decryptor, Format, Keys};

const PLAIN: &str = "user_unencrypted: admin\npassword: s3cr3t\npublic_host: example.com\ntoken_enc: abc\nnested:\n  port: 5432\n  key_enc: xyz\n";

fn roundtrip(args: &[&str], in_clear: &[&str]) {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let mut all = vec!["--age", key.recipient.as_str()];
    all.extend_from_slice(args);
    let enc = fx.encrypt("r.yaml", PLAIN, &all);
    let text = String::from_utf8(enc.clone()).expect("utf-8");
    for line in in_clear {
        assert!(
            text.contains(line),
            "{args:?}: '{line}' should stay in clear:\n{text}"
        );
    }
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).expect("keys");
    let out = Decryptor::new(keys)
        .decrypt_file(&enc, Format::Yaml)
        .expect("decrypt");
    assert_eq!(yaml_docs(&out), yaml_docs(PLAIN.as_bytes()), "{args:?}");
}

#[test]
fn unencrypted_suffix_default() {
    roundtrip(&[], &["user_unencrypted: admin"]);
}

#[test]
fn unencrypted_suffix_custom() {
    roundtrip(
        &["--unencrypted-suffix", "_host"],
        &["public_host: example.com"],
    );
}

#[test]
fn encrypted_suffix() {
    roundtrip(
        &["--encrypted-suffix", "_enc"],
        &["password: s3cr3t", "port: 5432"],
    );
}

#[test]
fn encrypted_regex() {
    roundtrip(
        &["--encrypted-regex", "^(password|nested)$"],
        &["public_host: example.com", "token_enc: abc"],
    );
}

#[test]
fn unencrypted_regex() {
    roundtrip(
        &["--unencrypted-regex", "^public"],
        &["public_host: example.com"],
    );
}

#[test]
fn mac_only_encrypted_ignores_changes_to_clear_values() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap();
    let d = Decryptor::new(keys);
    for (mac_only, want_ok) in [(true, true), (false, false)] {
        // sops sets mac_only_encrypted only from a creation rule of .sops.yaml.
        let config = fx.dir.path().join(".sops.yaml");
        let rule = format!(
            "creation_rules:\n  - age: {}\n    encrypted_regex: ^password$\n    mac_only_encrypted: {mac_only}\n",
            key.recipient
        );
        std::fs::write(&config, rule).unwrap();
        let enc = fx.encrypt("m.yaml", PLAIN, &[]);
        std::fs::remove_file(&config).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&enc).contains("mac_only_encrypted: true"),
            mac_only
        );
        let plain_out = d.decrypt_file(&enc, Format::Yaml).unwrap();
        assert_eq!(yaml_docs(&plain_out), yaml_docs(PLAIN.as_bytes()));
        let edited = String::from_utf8(enc)
            .unwrap()
            .replace("public_host: example.com", "public_host: evil.com");
        let res = d.decrypt_file(edited.as_bytes(), Format::Yaml);
        assert_eq!(
            res.is_ok(),
            want_ok,
            "mac_only_encrypted={mac_only}: {res:?}"
        );
    }
}

/// Comment rules: a marked value stays clear (or only marked ones are encrypted), and the
/// decrypted file, comments included, is what `sops decrypt` prints.
#[test]
fn comment_regexes() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let d = Decryptor::new(Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap());
    let plain = "# sops:mark\npublic: visible\nsecret: hidden\nnested:\n  # sops:mark\n  inner: x\n  other: z\n";
    let cases = [
        (
            "unencrypted_comment_regex",
            "public: visible",
            "secret: hidden",
        ),
        (
            "encrypted_comment_regex",
            "secret: hidden",
            "public: visible",
        ),
    ];
    let config = fx.dir.path().join(".sops.yaml");
    for (flag, clear, hidden) in cases {
        // `sops encrypt` takes comment rules from a creation rule only.
        let rule = format!(
            "creation_rules:\n  - age: {}\n    {flag}: sops:mark\n",
            key.recipient
        );
        std::fs::write(&config, rule).unwrap();
        let enc = fx.encrypt("c.yaml", plain, &[]);
        std::fs::remove_file(&config).unwrap();
        let text = String::from_utf8_lossy(&enc);
        assert!(
            text.contains(clear) && !text.contains(hidden),
            "{flag}:\n{text}"
        );
        let ours = String::from_utf8(d.decrypt_file(&enc, Format::Yaml).unwrap()).unwrap();
        let oracle = String::from_utf8(fx.sops_decrypt("c.yaml", &enc, &key)).unwrap();
        assert_eq!(ours, oracle, "{flag}");
        assert_eq!(
            yaml_docs(ours.as_bytes()),
            yaml_docs(plain.as_bytes()),
            "{flag}"
        );
    }
}
