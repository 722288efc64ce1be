//! Cases for the Sprig functions added beside Helm's: dates in IANA zones (deterministic
//! instants) and the shape of crypto output that does not depend on randomness (block
//! types, types, error texts). Random bytes themselves are checked by property in unit tests.

use crate::helm_harness::{HCase, hcase};

const V: &str = "t: 1700000000\nsummer: 1690000000\n";

pub const CASES: &[HCase] = &[
    hcase(
        "zone_new_york",
        r#"{{ dateInZone "2006-01-02 15:04:05 MST -0700" 1700000000 "America/New_York" }}|{{ dateInZone "2006-01-02 15:04 MST" 1690000000 "America/New_York" }}"#,
        V,
    ),
    hcase(
        "zone_half_hours",
        r#"{{ dateInZone "15:04 MST Z07:00" 1700000000 "Asia/Kolkata" }}|{{ dateInZone "15:04 MST -07:00" 1700000000 "Asia/Kathmandu" }}|{{ dateInZone "15:04 MST -0700" 1700000000 "Pacific/Chatham" }}"#,
        V,
    ),
    hcase(
        "zone_numeric_abbrev",
        r#"{{ dateInZone "2006-01-02 15:04 MST" 1700000000 "America/Sao_Paulo" }}|{{ dateInZone "MST" 1700000000 "Asia/Dubai" }}"#,
        V,
    ),
    hcase(
        "zone_europe_dst",
        r#"{{ dateInZone "Jan 2 15:04 MST" 1700000000 "Europe/London" }}|{{ dateInZone "Jan 2 15:04 MST" 1690000000 "Europe/London" }}|{{ dateInZone "Mon 15:04 MST" 1690000000 "Europe/Berlin" }}"#,
        V,
    ),
    hcase(
        "zone_utc_forms",
        r#"{{ dateInZone "15:04 MST Z07:00" 1700000000 "UTC" }}|{{ dateInZone "15:04 MST" 1700000000 "" }}|{{ dateInZone "15:04 MST" 1700000000 "Etc/GMT+5" }}"#,
        V,
    ),
    hcase(
        "zone_unknown_falls_back",
        r#"{{ dateInZone "15:04 MST" 1700000000 "Mars/Olympus" }}|{{ dateInZone "15:04 MST" 1700000000 "america/new_york" }}"#,
        V,
    ),
    hcase(
        "zone_snake_and_html",
        r#"{{ date_in_zone "2006-01-02T15:04:05Z07:00" 1700000000 "Australia/Sydney" }}|{{ htmlDateInZone 1700000000 "Pacific/Kiritimati" }}|{{ htmlDateInZone 1700000000 "Pacific/Pago_Pago" }}"#,
        V,
    ),
    hcase(
        "zone_todate_in_zone",
        r#"{{ dateInZone "2006-01-02 15:04 MST" (toDate "2006-01-02" "2024-07-01") "Asia/Tokyo" }}|{{ dateInZone "2006-01-02 15:04 MST" (toDate "2006-01-02 15:04" "2024-03-10 06:59") "America/Los_Angeles" }}"#,
        V,
    ),
    hcase(
        "zone_int64_and_values",
        r#"{{ dateInZone "2006-01-02 15:04 MST" (int64 1700000000) "Europe/Moscow" }}|{{ dateInZone "2006-01-02 15:04 MST" (.Values.t | int) "Africa/Casablanca" }}"#,
        V,
    ),
    hcase(
        "zone_historic",
        r#"{{ dateInZone "2006-01-02 15:04 MST -0700" 0 "Europe/Amsterdam" }}|{{ dateInZone "2006-01-02 15:04 MST" -1000000000 "Asia/Singapore" }}"#,
        V,
    ),
    hcase(
        "crypto_key_blocks",
        r#"{{ genPrivateKey "ecdsa" | trunc 30 }}|{{ genPrivateKey "ed25519" | trunc 27 }}|{{ genPrivateKey "ed25519" | len }}|{{ genPrivateKey "x" }}"#,
        V,
    ),
    hcase(
        "crypto_ca_shape",
        r#"{{ $ca := genCA "ca" 3650 }}{{ typeOf $ca }}|{{ $ca.Cert | trunc 27 }}|{{ $ca.Key | trunc 31 }}|{{ hasSuffix "-----END CERTIFICATE-----\n" $ca.Cert }}"#,
        V,
    ),
    hcase(
        "crypto_signed_shape",
        r#"{{ $ca := genCAWithKey "ca" 1 (genPrivateKey "ecdsa") }}{{ $c := genSignedCert "svc" nil (list "a") 1 $ca }}{{ $c.Key | trunc 31 }}|{{ $ca.Key | trunc 30 }}|{{ kindOf $c }}"#,
        V,
    ),
    hcase(
        "crypto_self_signed_ed25519",
        r#"{{ $c := genSelfSignedCertWithKey "me" (list "127.0.0.1") nil 1 (genPrivateKey "ed25519") }}{{ $c.Key | trunc 27 }}|{{ $c.Cert | trunc 27 }}"#,
        V,
    ),
    hcase(
        "crypto_custom_roundtrip",
        r#"{{ $c := genSelfSignedCert "me" nil nil 1 }}{{ $b := buildCustomCert ($c.Cert | b64enc) ($c.Key | b64enc) }}{{ eq $b.Cert $c.Cert }}|{{ eq $b.Key $c.Key }}"#,
        V,
    ),
    hcase(
        "crypto_ip_not_string",
        r#"{{ genSelfSignedCert "x" (list 1) nil 1 }}"#,
        V,
    ),
    hcase(
        "crypto_bad_ip",
        r#"{{ genSelfSignedCert "x" (list "300.1.1.1") nil 1 }}"#,
        V,
    ),
    hcase(
        "crypto_dns_not_string",
        r#"{{ genSignedCert "x" nil (list true) 1 (genCA "c" 1) }}"#,
        V,
    ),
    hcase(
        "crypto_ca_not_certificate",
        r#"{{ genSignedCert "x" nil nil 1 (dict "Cert" "a" "Key" "b") }}"#,
        V,
    ),
    hcase("crypto_bad_base64", r#"{{ buildCustomCert "!!" "x" }}"#, V),
    hcase(
        "crypto_bad_key_base64",
        r#"{{ buildCustomCert "eA==" "!!" }}"#,
        V,
    ),
    hcase(
        "crypto_not_pem",
        r#"{{ buildCustomCert "eA==" "eA==" }}"#,
        V,
    ),
    hcase(
        "crypto_key_not_pem",
        r#"{{ genCAWithKey "x" 1 "nope" }}"#,
        V,
    ),
    hcase(
        "crypto_key_wrong_block",
        r#"{{ genCAWithKey "x" 1 (genCA "c" 1).Cert }}"#,
        V,
    ),
    hcase(
        "htpasswd_shape",
        r#"{{ htpasswd "user" "pw" | trunc 12 }}|{{ htpasswd "a:b" "pw" }}|{{ bcrypt "x" | len }}|{{ bcrypt "x" | trunc 7 }}"#,
        V,
    ),
    hcase("bcrypt_too_long", r#"{{ bcrypt (repeat 73 "x") }}"#, V),
];
