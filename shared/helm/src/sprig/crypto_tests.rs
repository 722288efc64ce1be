//! Property tests of Sprig's key and certificate functions: the output is valid PEM that
//! parses, carries the asked-for names and validity, and chains to its CA.

use std::sync::Arc;

use x509_parser::prelude::*;

use crate::template::{Templates, Value};

fn render(tpl: &str) -> Result<String, String> {
    let mut set = Templates::with_funcs("gotpl", Arc::new(crate::sprig::funcs()));
    set.parse("t", tpl).map_err(|e| e.to_string())?;
    set.execute("t", &Value::Nil).map_err(|e| e.to_string())
}

fn der_of(pem_text: &str) -> Vec<u8> {
    let (_, der) = super::pem_decode(pem_text).expect("PEM block");
    der
}

fn parts(out: &str) -> Vec<String> {
    out.split("|||").map(str::to_string).collect()
}

#[test]
fn private_keys_have_sprig_block_types() {
    let out = render(r#"{{ genPrivateKey "ecdsa" }}|||{{ genPrivateKey "ed25519" }}|||{{ genPrivateKey "nope" }}"#).unwrap();
    let p = parts(&out);
    assert!(
        p[0].starts_with("-----BEGIN EC PRIVATE KEY-----\n"),
        "{}",
        p[0]
    );
    assert!(
        p[1].starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"),
        "{}",
        p[1]
    );
    assert_eq!(p[2], "Unknown type nope");
    for pem in &p[..2] {
        assert!(super::super::crypto_keys::PrivateKey::parse_pem(pem).is_ok());
    }
}

#[test]
fn rsa_and_dsa_keys() {
    let out = render(r#"{{ genPrivateKey "rsa" }}|||{{ genPrivateKey "dsa" }}"#).unwrap();
    let p = parts(&out);
    assert!(p[0].starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let rsa_der = der_of(&p[0]);
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let key = rsa::RsaPrivateKey::from_pkcs1_der(&rsa_der).unwrap();
    assert_eq!(key.size() * 8, 4096);
    assert!(p[1].starts_with("-----BEGIN DSA PRIVATE KEY-----\n"));
    // SEQUENCE of six INTEGERs, P of 2048 bits.
    let der = der_of(&p[1]);
    assert_eq!(der[0], 0x30);
    assert!(der.len() > 2048 / 8 * 2);
}

#[test]
fn ca_and_signed_certificate_chain() {
    let tpl = r#"{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc" (list "10.0.0.1" "::1") (list "svc.local" "svc") 30 $ca }}{{ $ca.Cert }}|||{{ $ca.Key }}|||{{ $c.Cert }}|||{{ $c.Key }}|||{{ typeOf $c }}"#;
    let p = parts(&render(tpl).unwrap());
    assert!(p[1].starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert!(p[3].starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert_eq!(p[4], "sprig.certificate");
    let ca_der = der_of(&p[0]);
    let leaf_der = der_of(&p[2]);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    let (_, leaf) = X509Certificate::from_der(&leaf_der).unwrap();
    let cn = |c: &X509Certificate| {
        c.subject()
            .iter_common_name()
            .next()
            .and_then(|a| a.as_str().ok())
            .map(str::to_string)
    };
    assert_eq!(cn(&ca).as_deref(), Some("my-ca"));
    assert_eq!(cn(&leaf).as_deref(), Some("svc"));
    assert!(ca.is_ca());
    assert!(!leaf.is_ca());
    assert_eq!(leaf.issuer(), ca.subject());
    leaf.verify_signature(Some(ca.public_key())).unwrap();
    ca.verify_signature(None).unwrap();
    let days = |c: &X509Certificate| {
        (c.validity().not_after.timestamp() - c.validity().not_before.timestamp()) / 86400
    };
    assert_eq!(days(&ca), 365);
    assert_eq!(days(&leaf), 30);
    let san = leaf.subject_alternative_name().unwrap().unwrap();
    let names: Vec<String> = san
        .value
        .general_names
        .iter()
        .map(|g| format!("{g}"))
        .collect();
    assert_eq!(
        names,
        [
            "DNSName(svc.local)",
            "DNSName(svc)",
            "IPAddress(0a:00:00:01)",
            "IPAddress(00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01)"
        ]
    );
    let ku = leaf.key_usage().unwrap().unwrap().value;
    assert!(ku.digital_signature() && ku.key_encipherment() && !ku.key_cert_sign());
    let eku = leaf.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.server_auth && eku.client_auth);
    assert!(ca.key_usage().unwrap().unwrap().value.key_cert_sign());
}

#[test]
fn certificates_with_given_keys() {
    let tpl = r#"{{ $k := genPrivateKey "ecdsa" }}{{ $ca := genCAWithKey "ca2" 10 $k }}{{ $ed := genPrivateKey "ed25519" }}{{ $s := genSelfSignedCertWithKey "self" nil (list "a.example") 5 $ed }}{{ $l := genSignedCertWithKey "leaf" nil nil 1 $ca $ed }}{{ eq $ca.Key $k }}|||{{ $s.Cert }}|||{{ $l.Cert }}|||{{ $ca.Cert }}|||{{ eq $l.Key $ed }}"#;
    let p = parts(&render(tpl).unwrap());
    assert_eq!(p[0], "true");
    assert_eq!(p[4], "true");
    let self_der = der_of(&p[1]);
    let (_, selfc) = X509Certificate::from_der(&self_der).unwrap();
    selfc.verify_signature(None).unwrap();
    let leaf_der = der_of(&p[2]);
    let ca_der = der_of(&p[3]);
    let (_, leaf) = X509Certificate::from_der(&leaf_der).unwrap();
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    leaf.verify_signature(Some(ca.public_key())).unwrap();
}

#[test]
fn self_signed_and_custom_certificates() {
    let tpl = r#"{{ $c := genSelfSignedCert "me" (list "127.0.0.1") nil 2 }}{{ $b := buildCustomCert ($c.Cert | b64enc) ($c.Key | b64enc) }}{{ eq $b.Cert $c.Cert }}|||{{ $c.Cert }}"#;
    let p = parts(&render(tpl).unwrap());
    assert_eq!(p[0], "true");
    let der = der_of(&p[1]);
    let (_, c) = X509Certificate::from_der(&der).unwrap();
    c.verify_signature(None).unwrap();
}

#[test]
fn crypto_errors_read_as_sprig() {
    let cases = [
        (
            r#"{{ genSelfSignedCert "x" (list 1) nil 1 }}"#,
            "error parsing ip: 1 is not a string",
        ),
        (
            r#"{{ genSelfSignedCert "x" (list "bad") nil 1 }}"#,
            "error parsing ip: bad",
        ),
        (
            r#"{{ genSelfSignedCert "x" nil (list 2) 1 }}"#,
            "error processing alternate dns name: 2 is not a string",
        ),
        (
            r#"{{ buildCustomCert "!!" "x" }}"#,
            "unable to decode base64 certificate",
        ),
        (
            r#"{{ buildCustomCert "eA==" "!!" }}"#,
            "unable to decode base64 private key",
        ),
        (
            r#"{{ buildCustomCert "eA==" "eA==" }}"#,
            "unable to decode certificate",
        ),
        (
            r#"{{ genCAWithKey "x" 1 "nope" }}"#,
            "parsing private key: no PEM data in input",
        ),
    ];
    for (tpl, want) in cases {
        let e = render(tpl).unwrap_err();
        assert!(e.ends_with(want), "{tpl}: {e}");
    }
    let out = render(r#"{{ htpasswd "a:b" "p" }}|{{ genPrivateKey "x" }}"#).unwrap();
    assert_eq!(out, "invalid username: a:b|Unknown type x");
}

#[test]
fn bcrypt_and_htpasswd_verify() {
    let out = render(r#"{{ htpasswd "user" "secret" }}|{{ bcrypt "pw" }}"#).unwrap();
    let (user, rest) = out.split_once(':').unwrap();
    let (hash, plain) = rest.split_once('|').unwrap();
    assert_eq!(user, "user");
    assert!(hash.starts_with("$2a$10$"), "{hash}");
    assert!(bcrypt::verify("secret", hash).unwrap());
    assert!(bcrypt::verify("pw", plain).unwrap());
    let long = render(&format!("{{{{ bcrypt \"{}\" }}}}", "x".repeat(73))).unwrap();
    assert_eq!(
        long,
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    );
}
