//! Files of secretGenerator/configMapGenerator sources in every sops format, checked against
//! what `sops decrypt` prints for the same file.

use crate::harness::{Fixture, secret_data, yaml_docs};
use fluxion_sops::{Decryptor, Format, Keys, is_encrypted_bytes};

fn decryptor(fx: &Fixture) -> (Decryptor, crate::harness::AgeKey) {
    let key = fx.age_key("k");
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).expect("keys");
    (Decryptor::new(keys), key)
}

#[test]
fn yaml_multi_document_file() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let plain = "# leading comment\nzeta: 1\nalpha:\n  nested: [x, z]\n  nothing: null\n---\nsecond: doc\nnum: 1.5e3\n";
    let enc = fx.encrypt("multi.yaml", plain, &["--age", &key.recipient]);
    assert!(is_encrypted_bytes(&enc, Format::Yaml));
    let ours = d.decrypt_file(&enc, Format::Yaml).unwrap();
    let oracle = fx.sops_decrypt("multi.yaml", &enc, &key);
    assert_eq!(yaml_docs(&ours), yaml_docs(&oracle));
    assert_eq!(yaml_docs(&ours).len(), 2);
    let docs = d.decrypt_documents(&enc, Format::Yaml).unwrap();
    assert_eq!(docs, yaml_docs(plain.as_bytes()));
}

#[test]
fn json_file() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let plain = r#"{"b": {"list": [1, 2.5, "<th&ree>", false, null, 1e-7]}, "a": "x\u2028é", "empty": "", "o": {}, "l": []}"#;
    let enc = fx.encrypt("data.json", plain, &["--age", &key.recipient]);
    assert!(is_encrypted_bytes(&enc, Format::Json));
    let ours: serde_json::Value =
        serde_json::from_slice(&d.decrypt_file(&enc, Format::Json).unwrap()).unwrap();
    let oracle: serde_json::Value =
        serde_json::from_slice(&fx.sops_decrypt("data.json", &enc, &key)).unwrap();
    assert_eq!(ours, oracle);
    assert_eq!(
        ours,
        serde_json::from_str::<serde_json::Value>(plain).unwrap()
    );
}

#[test]
fn dotenv_file_matches_sops_byte_for_byte() {
    // Comments are encrypted too, and come back decrypted in place, as sops prints them.
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let plain =
        "DB_USER=admin\nDB_PASS=s3cr3t with spaces\n# a comment\nURL=https://x/?a=b\nEMPTY=\n";
    let enc = fx.encrypt("app.env", plain, &["--age", &key.recipient]);
    assert!(is_encrypted_bytes(&enc, Format::Dotenv));
    let ours = d
        .decrypt_file(&enc, Format::for_env_source("app.env"))
        .unwrap();
    let oracle = fx.sops_decrypt("app.env", &enc, &key);
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        String::from_utf8(oracle).unwrap()
    );
}

#[test]
fn ini_file() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let plain = "[database]\nuser = admin\npassword = s3cr3t\n\n[cache]\nttl = 30\n";
    let enc = fx.encrypt("app.ini", plain, &["--age", &key.recipient]);
    assert!(is_encrypted_bytes(&enc, Format::Ini));
    let ours = d.decrypt_file(&enc, Format::Ini).unwrap();
    let oracle = fx.sops_decrypt("app.ini", &enc, &key);
    let norm = |b: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(b)
            .lines()
            .map(|l| l.replace(' ', ""))
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(norm(&ours), norm(&oracle));
}

#[test]
fn binary_file() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let plain = "-----BEGIN PRIVATE KEY-----\nnot really a key\n-----END PRIVATE KEY-----\n";
    let enc = fx.encrypt("tls.key", plain, &["--age", &key.recipient]);
    assert_eq!(Format::from_path("tls.key"), Format::Binary);
    assert!(is_encrypted_bytes(&enc, Format::Binary));
    let ours = d.decrypt_file(&enc, Format::Binary).unwrap();
    assert_eq!(ours, plain.as_bytes());
    assert_eq!(ours, fx.sops_decrypt("tls.key", &enc, &key));
}

#[test]
fn secret_data_value_detected_by_marker_and_emitted_for_its_key_name() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let enc = fx.encrypt(
        "creds.yaml",
        "user: admin\npass: s3cr3t\n",
        &["--age", &key.recipient],
    );
    let input = Format::detect(&enc).unwrap();
    assert_eq!(input, Format::Yaml);
    let out = d
        .decrypt_file_as(&enc, input, Format::from_path("creds.json"))
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v, serde_json::json!({"user": "admin", "pass": "s3cr3t"}));
}

#[test]
fn files_over_the_limit_are_refused() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let enc = fx.encrypt("a.yaml", "a: b\n", &["--age", &key.recipient]);
    let err = d
        .max_file_size(10)
        .decrypt_file(&enc, Format::Yaml)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot decrypt file with size ("),
        "{err}"
    );
}
