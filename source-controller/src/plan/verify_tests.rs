//! Table tests of the pure verification helpers.

use super::*;

const COMMIT: &str = "tree 4b82\nparent 1234\nauthor T <t@x> 1 +0000\ncommitter T <t@x> 1 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n\nsubject\n\nbody with\n indented line\n";

#[test]
fn commit_signature_is_the_gpgsig_header() {
    let signed = split_commit(COMMIT.as_bytes());
    assert_eq!(
        signed.signature,
        "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n"
    );
    assert_eq!(
        String::from_utf8(signed.payload).expect("utf8"),
        "tree 4b82\nparent 1234\nauthor T <t@x> 1 +0000\ncommitter T <t@x> 1 +0000\n\nsubject\n\nbody with\n indented line\n"
    );
    let unsigned = split_commit(b"tree 1\n\nmsg\n");
    assert_eq!(unsigned.signature, "");
    assert_eq!(unsigned.payload, b"tree 1\n\nmsg\n");
}

#[test]
fn tag_signature_trails_the_message() {
    let raw = "object 1\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\n\nv1\n-----BEGIN SSH SIGNATURE-----\nxyz\n-----END SSH SIGNATURE-----\n";
    let signed = split_tag(raw.as_bytes());
    assert_eq!(
        signed.payload,
        b"object 1\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\n\nv1\n"
    );
    assert_eq!(SignatureType::of(&signed.signature), SignatureType::Ssh);
    let plain = split_tag(b"object 1\n\nmsg\n");
    assert_eq!(SignatureType::of(&plain.signature), SignatureType::Empty);
}

#[test]
fn signature_types_and_verifiers() {
    let both = TrustedKeys {
        pgp: vec!["k".into()],
        ssh: vec!["s".into()],
    };
    let cases: &[(&str, &TrustedKeys, Result<SignatureType, &str>)] = &[
        (
            "-----BEGIN PGP SIGNATURE-----\n",
            &both,
            Ok(SignatureType::Pgp),
        ),
        (
            "  -----BEGIN SSH SIGNATURE-----",
            &both,
            Ok(SignatureType::Ssh),
        ),
        ("", &both, Err("unsupported signature type: empty")),
        (
            "-----BEGIN SIGNED MESSAGE-----",
            &both,
            Err("unsupported signature type: x509"),
        ),
        ("junk", &both, Err("unsupported signature type: unknown")),
        (
            "-----BEGIN SSH SIGNATURE-----",
            &TrustedKeys::default(),
            Err(
                "SSH signature detected but no SSH public keys found in secret (keys with .sshpub suffix)",
            ),
        ),
        (
            "-----BEGIN PGP SIGNATURE-----",
            &TrustedKeys::default(),
            Err(
                "PGP signature detected but no PGP public keys found in secret (keys with .asc suffix)",
            ),
        ),
    ];
    for (sig, keys, want) in cases {
        let got = verifier_for(sig, keys);
        assert_eq!(
            got.as_ref().map_err(String::as_str),
            want.as_ref().map_err(|e| *e),
            "{sig}"
        );
    }
}

#[test]
fn secret_keys_by_suffix() {
    let data: BTreeMap<String, Vec<u8>> =
        [("a.asc", "pgp1"), ("b.sshpub", "ssh1"), ("legacy", "pgp2")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
    let keys = TrustedKeys::from_secret(&data);
    assert_eq!(keys.pgp, ["pgp1", "pgp2"]);
    assert_eq!(keys.ssh, ["ssh1"]);
}

#[test]
fn gpg_status_lines() {
    let good = "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG A784ADF30C7F549B T <t@x>\n[GNUPG:] VALIDSIG 1111111111111111111111111111111111111111 2026-11-22 1 0 4 0 22 8 00 FFB1754E90B7B23E3705A705A784ADF30C7F549B\n[GNUPG:] TRUST_UNDEFINED 0 pgp\n";
    let cases = [
        (good, Some("A784ADF30C7F549B")),
        (
            "[GNUPG:] GOODSIG a784adf30c7f549b T\n",
            Some("A784ADF30C7F549B"),
        ),
        ("[GNUPG:] BADSIG A784ADF30C7F549B T\n", None),
        (
            "[GNUPG:] ERRSIG A784ADF30C7F549B 22 8 00 1 9 -\n[GNUPG:] NO_PUBKEY A784ADF30C7F549B\n",
            None,
        ),
        (
            "[GNUPG:] EXPKEYSIG A784ADF30C7F549B T\n[GNUPG:] GOODSIG X\n",
            None,
        ),
        ("", None),
    ];
    for (status, want) in cases {
        assert_eq!(gpg_good_key(status).as_deref(), want, "{status}");
    }
}

#[test]
fn ssh_keygen_verdicts() {
    let good = "Good \"git\" signature for fluxion with ED25519 key SHA256:oIh1Ja0KEM8EHbWm/VeEeD+TBakgCPfnTOz8r1DLBDc\n";
    assert_eq!(
        ssh_good_key(good).as_deref(),
        Some("SHA256:oIh1Ja0KEM8EHbWm/VeEeD+TBakgCPfnTOz8r1DLBDc")
    );
    assert_eq!(ssh_good_key("Could not verify signature.\n"), None);
}

#[test]
fn allowed_signers_from_authorized_keys() {
    let keys = vec![
        "# comment\nssh-ed25519 AAAAC3 user@host\n".to_string(),
        "no-pty,command=\"x\" ecdsa-sha2-nistp256 AAAAE2\n".to_string(),
    ];
    assert_eq!(
        allowed_signers(&keys).expect("parse"),
        "fluxion namespaces=\"git\" ssh-ed25519 AAAAC3\nfluxion namespaces=\"git\" ecdsa-sha2-nistp256 AAAAE2\n"
    );
    assert!(allowed_signers(&["not a key".to_string()]).is_err());
}

#[test]
fn messages_list_tag_then_commit() {
    assert_eq!(
        verified_message(None, Some(("abc", "K1"))),
        "verified signature of\n\t- commit 'abc' with key 'K1'"
    );
    assert_eq!(
        verified_message(Some(("v1@t1", "K2")), Some(("abc", "K1"))),
        "verified signature of\n\t- tag 'v1@t1' with key 'K2'\n\t- commit 'abc' with key 'K1'"
    );
}

#[test]
fn tags_a_checkout_went_through() {
    let cases: &[(GitCheckout<'_>, Option<&str>, Option<&str>)] = &[
        (GitCheckout::Tag("v1"), Some("v1"), Some("v1")),
        (GitCheckout::SemVer(">=1"), Some("v1.2.0"), Some("v1.2.0")),
        (
            GitCheckout::RefName("refs/tags/v2"),
            Some("refs/tags/v2"),
            Some("v2"),
        ),
        (GitCheckout::RefName("refs/pull/1/head"), None, None),
        (GitCheckout::Branch("main"), Some("main"), None),
        (
            GitCheckout::Commit {
                sha: "abc",
                branch: None,
            },
            None,
            None,
        ),
    ];
    for (checkout, resolved, want) in cases {
        assert_eq!(
            referencing_tag(checkout, *resolved).as_deref(),
            *want,
            "{checkout:?}"
        );
    }
}
