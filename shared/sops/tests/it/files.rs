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

/// Values of every kind and style the YAML writer must print as sops does.
const STYLES: &str = r##"long: this is a very long string with many words that goes past the eighty column limit
multi: |
  line one
  line two
multi_keep: |+
  kept

quoted: "true"
num_str: "123"
y: y
n_val: n
colon: "a: b"
hash: "#x"
dash: "- x"
trail: "x "
empty: ""
nil: null
tilde: ~
float: 1.50
int: 0x1F
bool: yes
list:
  - a
  - - nested
    - seq
  - k: v
    k2: v2
  - []
  - {}
map: {}
unicode: "é ü"
tab: "a\tb"
special: "@at"
brace: "{x}"
a:
  - k:
      x: 1
      l:
        - p
    k2: [1, 2]
  - - - deep
    - m: n
b:
  c:
    d: "multi\nline\n\n"
    e: "trail \nx"
    f: "  lead\nx"
    g: "x\n"
"key with: colon": 1
"": empty key
f1: 1000000.0
f2: 0.0000015
f3: 2.5e20
f4: .inf
f5: -12.0
str: 'it''s'
"##;

#[test]
fn yaml_file_matches_sops_byte_for_byte() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let enc = fx.encrypt("styles.yaml", STYLES, &["--age", &key.recipient]);
    let ours = String::from_utf8(d.decrypt_file(&enc, Format::Yaml).unwrap()).unwrap();
    let oracle = String::from_utf8(fx.sops_decrypt("styles.yaml", &enc, &key)).unwrap();
    assert_eq!(ours, oracle);
    // Unencrypted values (here all of them) are printed the same way.
    let clear = fx.encrypt(
        "clear.yaml",
        STYLES,
        &["--age", &key.recipient, "--encrypted-regex", "^nothing$"],
    );
    let ours = String::from_utf8(d.decrypt_file(&clear, Format::Yaml).unwrap()).unwrap();
    assert_eq!(
        ours,
        String::from_utf8(fx.sops_decrypt("clear.yaml", &clear, &key)).unwrap()
    );
}

const COMMENTED: &str = "# head of doc

# second head block
a: 1 # line on a
# before b
b:
  # inside b, head of c
  c: 2 # line on c
  d: |
    # not a comment
    text
  # foot of d (indented)
# foot at top level
e:
  - x # line on x
  # before z
  - z
  # end of list
f: 'quoted # not a comment'
# final foot
---
# second document
g: 1
";

#[test]
fn yaml_comments_come_back_decrypted_where_sops_puts_them() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let enc = fx.encrypt("commented.yaml", COMMENTED, &["--age", &key.recipient]);
    assert!(
        !String::from_utf8_lossy(&enc).contains("foot of d"),
        "comments are encrypted"
    );
    let oracle = String::from_utf8(fx.sops_decrypt("commented.yaml", &enc, &key)).unwrap();
    let loose = String::from_utf8(
        d.clone()
            .verify_mac(false)
            .decrypt_file(&enc, Format::Yaml)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(loose, oracle);
    let ours = String::from_utf8(d.decrypt_file(&enc, Format::Yaml).unwrap()).unwrap();
    assert_eq!(ours, oracle);
    assert_eq!(yaml_docs(ours.as_bytes()), yaml_docs(COMMENTED.as_bytes()));
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
fn ini_file_matches_sops_byte_for_byte() {
    let fx = Fixture::new();
    let (d, key) = decryptor(&fx);
    let plain = "top = 1\n; about the database\n[database]\n# the user\nuser = admin\npassword = s3cr3t\n\n[cache]\nttl = 30\nq = \"quoted\"\n";
    let enc = fx.encrypt("app.ini", plain, &["--age", &key.recipient]);
    assert!(is_encrypted_bytes(&enc, Format::Ini));
    let ours = d.decrypt_file(&enc, Format::Ini).unwrap();
    let oracle = fx.sops_decrypt("app.ini", &enc, &key);
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        String::from_utf8(oracle).unwrap()
    );
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
