//! Kubernetes objects with a top-level `sops` key, as kustomize-controller sees them after the
//! build: Secrets with data/stringData, YAML and JSON sources, MAC on and off.

use crate::harness::{Fixture, secret_data, yaml_docs};
use fluxion_sops::{Decryptor, Keys, is_encrypted_object};
use serde_json::json;

// Keys in sorted order, so serde_json's sorted maps walk them as sops did (MAC verifiable).
const SECRET: &str = "apiVersion: v1
data:
  token: c2VjcmV0LXRva2Vu
kind: Secret
metadata:
  name: app
  namespace: apps
stringData:
  enabled: true
  hosts:
    - a.example.com
    - b.example.com
  password: hunter2-PLAINTEXT
  port: 5432
  ratio: 0.25
type: Opaque
";

#[test]
fn age_secret_yaml_object_with_data_and_string_data() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let enc = fx.encrypt(
        "secret.yaml",
        SECRET,
        &[
            "--age",
            &key.recipient,
            "--encrypted-regex",
            "^(data|stringData)$",
        ],
    );
    let obj = yaml_docs(&enc).remove(0);
    assert!(is_encrypted_object(&obj));
    assert_ne!(obj["stringData"]["password"], "hunter2-PLAINTEXT");
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap();
    let out = Decryptor::new(keys).decrypt_object(obj).unwrap();
    assert_eq!(
        out,
        json!({
            "apiVersion": "v1",
            "data": {"token": "c2VjcmV0LXRva2Vu"},
            "kind": "Secret",
            "metadata": {"name": "app", "namespace": "apps"},
            "stringData": {
                "password": "hunter2-PLAINTEXT", "port": 5432, "ratio": 0.25, "enabled": true,
                "hosts": ["a.example.com", "b.example.com"]
            },
            "type": "Opaque"
        })
    );
    assert!(!is_encrypted_object(&out));
}

#[test]
fn json_object_encrypted_entirely() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let plain = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1","b":"two"}}"#;
    let enc = fx.encrypt("cm.json", plain, &["--age", &key.recipient]);
    let obj: serde_json::Value = serde_json::from_slice(&enc).unwrap();
    assert!(is_encrypted_object(&obj));
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap();
    // Every value is encrypted and the file's key order is not sorted: Flux's setting.
    let out = Decryptor::new(keys)
        .verify_mac(false)
        .decrypt_object(obj)
        .unwrap();
    let want: serde_json::Value = serde_json::from_str(plain).unwrap();
    assert_eq!(out, want);
}

#[test]
fn object_changed_by_kustomize_decrypts_without_mac_check_as_flux_does() {
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let enc = fx.encrypt(
        "secret.yaml",
        SECRET,
        &[
            "--age",
            &key.recipient,
            "--encrypted-regex",
            "^(data|stringData)$",
        ],
    );
    let mut obj = yaml_docs(&enc).remove(0);
    // What a build's namespace and commonLabels do to the object.
    obj["metadata"]["namespace"] = json!("prod");
    obj["metadata"]["labels"] = json!({"team": "a"});
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap();
    let err = Decryptor::new(keys.clone())
        .decrypt_object(obj.clone())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to verify sops data integrity: MAC mismatch"
    );
    let out = Decryptor::new(keys)
        .verify_mac(false)
        .decrypt_object(obj)
        .unwrap();
    assert_eq!(out["stringData"]["password"], "hunter2-PLAINTEXT");
    assert_eq!(out["metadata"]["namespace"], "prod");
}

#[test]
fn plain_objects_are_not_encrypted() {
    for obj in [
        json!({"apiVersion": "v1", "kind": "Secret"}),
        json!({"sops": {}}),
        json!({"sops": {"mac": ""}}),
        json!({"sops": {"mac": null}}),
        json!("text"),
    ] {
        assert!(!is_encrypted_object(&obj), "{obj}");
    }
    let err = Decryptor::new(Keys::default())
        .decrypt_object(json!({"kind": "Secret"}))
        .unwrap_err();
    assert_eq!(err.to_string(), "sops metadata not found");
}

#[test]
fn secret_data_values_holding_encrypted_files() {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    let fx = Fixture::new();
    let key = fx.age_key("k");
    let env = fx.encrypt(
        "app.env",
        "USER=admin\nPASS=s3cr3t\n",
        &["--age", &key.recipient],
    );
    let yaml = fx.encrypt("conf.yaml", "a: 1\n", &["--age", &key.recipient]);
    let bin = fx.encrypt("tls.key", "KEYBYTES\n", &["--age", &key.recipient]);
    let mut obj = json!({
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "gen"},
        "data": {
            "app.env": STANDARD.encode(&env),
            "conf.json": STANDARD.encode(&yaml),
            "tls.key": STANDARD.encode(&bin),
            "plain": STANDARD.encode("not encrypted"),
            "broken": "%%%not base64",
        }
    });
    let keys = Keys::from_secret_data(&secret_data(&[&key], &[])).unwrap();
    let d = Decryptor::new(keys);
    assert_eq!(d.decrypt_secret_data(&mut obj).unwrap(), 3);
    let field = |k: &str| {
        String::from_utf8(STANDARD.decode(obj["data"][k].as_str().unwrap()).unwrap()).unwrap()
    };
    assert_eq!(field("app.env"), "USER=admin\nPASS=s3cr3t\n");
    assert_eq!(field("conf.json"), "{\n\t\"a\": 1\n}\n");
    assert_eq!(field("tls.key"), "KEYBYTES\n");
    assert_eq!(field("plain"), "not encrypted");
    assert_eq!(obj["data"]["broken"], "%%%not base64");

    let other = fx.age_key("other");
    let mut again = json!({"kind": "Secret", "data": {"app.env": STANDARD.encode(&env)}});
    let wrong = Decryptor::new(Keys::from_secret_data(&secret_data(&[&other], &[])).unwrap());
    let err = wrong
        .decrypt_secret_data(&mut again)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "failed to decrypt and format Secret field 'app.env': cannot get sops data key"
        ),
        "{err}"
    );
}
