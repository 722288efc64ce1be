//! Decryption keys: age and PGP (RSA and ECC as gpg makes them), several recipients, the
//! wrong key, bad key material and the cloud credentials fluxion does not support.

use crate::harness::{Fixture, secret_data};
use fluxion_sops::{Decryptor, Format, Keys, SopsError};
use std::collections::BTreeMap;

const PLAIN: &str = "password: PLAINTEXT-VALUE\n";

fn decrypt_with(keys: Keys, enc: &[u8]) -> Result<Vec<u8>, SopsError> {
    Decryptor::new(keys).decrypt_file(enc, Format::Yaml)
}

#[test]
fn pgp_rsa_and_ecc_keys() {
    let fx = Fixture::new();
    for algo in ["default", "future-default"] {
        let key = fx.pgp_key(&format!("user-{}", algo.len()), algo);
        let enc = fx.encrypt("p.yaml", PLAIN, &["--pgp", &key.fingerprint]);
        let keys = Keys::from_secret_data(&secret_data(&[], &[&key])).unwrap();
        assert!(keys.pgp_fingerprints().contains(&key.fingerprint));
        let out = decrypt_with(keys, &enc).unwrap_or_else(|e| panic!("{algo}: {e}"));
        assert_eq!(String::from_utf8(out).unwrap(), PLAIN, "{algo}");
    }
}

#[test]
fn several_recipients_any_one_key_decrypts() {
    let fx = Fixture::new();
    let (a, b) = (fx.age_key("a"), fx.age_key("b"));
    let p = fx.pgp_key("p", "default");
    let recipients = format!("{},{}", a.recipient, b.recipient);
    let enc = fx.encrypt(
        "m.yaml",
        PLAIN,
        &["--age", &recipients, "--pgp", &p.fingerprint],
    );
    for keys in [
        secret_data(&[&a], &[]),
        secret_data(&[&b], &[]),
        secret_data(&[], &[&p]),
    ] {
        let out = decrypt_with(Keys::from_secret_data(&keys).unwrap(), &enc).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), PLAIN);
    }
}

#[test]
fn several_identities_in_one_agekey_file() {
    let fx = Fixture::new();
    let (a, b) = (fx.age_key("a"), fx.age_key("b"));
    let enc = fx.encrypt("m.yaml", PLAIN, &["--age", &b.recipient]);
    let mut data = BTreeMap::new();
    data.insert(
        "keys.agekey".to_string(),
        format!("{}\n# second\n{}", a.file, b.file).into_bytes(),
    );
    let keys = Keys::from_secret_data(&data).unwrap();
    assert_eq!(
        keys.age_recipients(),
        vec![a.recipient.clone(), b.recipient.clone()]
    );
    assert_eq!(
        String::from_utf8(decrypt_with(keys, &enc).unwrap()).unwrap(),
        PLAIN
    );
}

#[test]
fn wrong_key_names_the_recipients_tried() {
    let fx = Fixture::new();
    let (right, wrong) = (fx.age_key("right"), fx.age_key("wrong"));
    let p = fx.pgp_key("p", "default");
    let enc = fx.encrypt("w.yaml", PLAIN, &["--age", &right.recipient]);
    let keys = Keys::from_secret_data(&secret_data(&[&wrong], &[&p])).unwrap();
    let err = decrypt_with(keys, &enc).unwrap_err().to_string();
    assert!(err.starts_with("cannot get sops data key: "), "{err}");
    assert!(err.contains(&right.recipient), "{err}");
    assert!(err.contains(&wrong.recipient), "{err}");
    assert!(err.contains(&p.fingerprint), "{err}");
    assert!(
        !err.contains("PLAINTEXT") && !err.contains("AGE-SECRET-KEY"),
        "{err}"
    );
    let none = decrypt_with(Keys::default(), &enc).unwrap_err().to_string();
    assert!(none.contains(&right.recipient), "{none}");
}

#[test]
fn bad_key_material_is_a_clear_import_error() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "id.agekey",
            b"AGE-SECRET-KEY-1NOTAKEY\n",
            "failed to import 'id.agekey' data: error at line 1: malformed secret key",
        ),
        (
            "id.agekey",
            b"# only comments\n",
            "failed to import 'id.agekey' data: no secret keys found",
        ),
        (
            "key.asc",
            b"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\ngarbage\n",
            "failed to import 'key.asc' data: ",
        ),
        (
            "key.asc",
            b"\xff\xfe",
            "failed to import 'key.asc' data: not UTF-8",
        ),
    ];
    for (name, value, want) in cases {
        let mut data = BTreeMap::new();
        data.insert(name.to_string(), value.to_vec());
        let err = Keys::from_secret_data(&data).unwrap_err().to_string();
        assert!(err.starts_with(want), "{err}");
        assert!(
            !err.contains("NOTAKEY") && !err.contains("garbage"),
            "{err}"
        );
    }
    // Entries that are not keys are ignored, as in Flux.
    let mut data = BTreeMap::new();
    data.insert("README".to_string(), b"hello".to_vec());
    assert!(Keys::from_secret_data(&data).unwrap().is_empty());
}

#[test]
fn cloud_credentials_are_recognised_and_refused() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    // A file whose only master key is AWS KMS: written by hand, sops would call AWS.
    let enc = fx.encrypt("c.yaml", PLAIN, &["--age", &key.recipient]);
    let text = String::from_utf8(enc).unwrap();
    let at = text.find("    age:").unwrap();
    let end = text.find("    lastmodified:").unwrap();
    let kms = "    kms:\n        - arn: arn:aws:kms:eu-west-1:1:key/abc\n          enc: AQICAH\n          created_at: \"2024-01-01T00:00:00Z\"\n";
    let edited = format!("{}{}{}", &text[..at], kms, &text[end..]);
    let mut data = secret_data(&[&key], &[]);
    data.insert("sops.aws-kms".to_string(), b"aws_access_key_id: x".to_vec());
    let keys = Keys::from_secret_data(&data).unwrap();
    let err = decrypt_with(keys, edited.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("AWS KMS arn:aws:kms:eu-west-1:1:key/abc (not supported by fluxion)"),
        "{err}"
    );
    assert!(
        err.contains("credentials in sops.aws-kms are not supported by fluxion"),
        "{err}"
    );
}

#[test]
fn shamir_key_groups_need_the_threshold() {
    let fx = Fixture::new();
    let (a, b, c) = (fx.age_key("a"), fx.age_key("b"), fx.age_key("c"));
    let rule = format!(
        "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{}]\n      - age: [{}]\n      - age: [{}]\n",
        a.recipient, b.recipient, c.recipient
    );
    std::fs::write(fx.dir.path().join(".sops.yaml"), rule).unwrap();
    let enc = fx.encrypt("g.yaml", PLAIN, &[]);
    assert!(String::from_utf8_lossy(&enc).contains("shamir_threshold: 2"));
    for pair in [[&a, &c], [&b, &c], [&a, &b]] {
        let keys = Keys::from_secret_data(&secret_data(&pair, &[])).unwrap();
        assert_eq!(
            String::from_utf8(decrypt_with(keys, &enc).unwrap()).unwrap(),
            PLAIN
        );
    }
    let one = Keys::from_secret_data(&secret_data(&[&b], &[])).unwrap();
    let err = decrypt_with(one, &enc).unwrap_err().to_string();
    assert!(err.starts_with("cannot get sops data key: "), "{err}");
    assert!(
        err.contains(&a.recipient) && err.contains(&c.recipient),
        "{err}"
    );
}

#[test]
fn passphrase_protected_pgp_key_is_refused_at_import() {
    let fx = Fixture::new();
    let key = fx.pgp_key_with_passphrase("locked", "default", "correct horse");
    let err = Keys::from_secret_data(&secret_data(&[], &[&key]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "failed to import 'key0.asc' data: PGP secret key {} is protected by a passphrase, which is not supported",
            key.fingerprint
        )
    );
}
