//! Kubernetes' format library: `format.named(<name>)` (an optional `kubernetes.NamedFormat`),
//! `format.<name>()`, and `<format>.validate(<string>)`, which is `optional.none()` for a
//! valid string and otherwise the list of apimachinery's validation messages.

use std::sync::OnceLock;

use base64::Engine;
use cel::common::types::{CelList, CelOptional, CelString};
use cel::common::value::Val;
use cel::{DeclarationError, Env};

use super::gourl::parse_request_uri;
use super::opaque::opaque;

#[derive(Debug, Clone, PartialEq)]
pub struct Format(&'static str);
opaque!(Format, "kubernetes.NamedFormat");

/// Each named format written once: the list `format.named` looks names up in, and
/// `format.<name>()` for each, which must be a plain function per name.
macro_rules! named_formats {
    ($($name:literal),* $(,)?) => {
        /// The named formats, in the order kube documents them.
        const NAMES: &[&str] = &[$($name),*];

        fn add_constants(env: &mut Env) -> Result<(), DeclarationError> {
            $({
                fn constant() -> Format {
                    Format($name)
                }
                cel::add_overload!(env, fn constant: () -> Format, name = concat!("format.", $name))?;
            })*
            Ok(())
        }
    };
}

named_formats!(
    "dns1123Label",
    "dns1123Subdomain",
    "dns1035Label",
    "qualifiedName",
    "dns1123LabelPrefix",
    "dns1123SubdomainPrefix",
    "dns1035LabelPrefix",
    "labelValue",
    "uri",
    "uuid",
    "byte",
    "date",
    "datetime",
);

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn named: (CelString) -> CelOptional, name = "format.named",
        id = "format-named")?;
    cel::add_member_overload!(env, fn validate: (Format, CelString) -> CelOptional,
        id = "format-validate")?;
    add_constants(env)
}

fn named(name: &CelString<'_>) -> CelOptional<'static> {
    match NAMES.iter().find(|n| **n == name.inner()) {
        Some(n) => CelOptional::of(Box::new(Format(n))),
        None => CelOptional::none(),
    }
}

fn validate(f: &Format, s: &CelString<'_>) -> CelOptional<'static> {
    let errs = messages(f.0, s.inner());
    if errs.is_empty() {
        return CelOptional::none();
    }
    let list: Vec<Box<dyn Val>> = errs
        .into_iter()
        .map(|e| Box::new(CelString::from(e)) as Box<dyn Val>)
        .collect();
    CelOptional::of(Box::new(CelList::from(list)))
}

struct Patterns {
    label: regex::Regex,
    subdomain: regex::Regex,
    dns1035: regex::Regex,
    qualified: regex::Regex,
    label_value: regex::Regex,
    uuid: regex::Regex,
    date: regex::Regex,
    datetime: regex::Regex,
}

const LABEL: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const SUBDOMAIN: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let full = |p: &str| regex::Regex::new(&format!("^(?:{p})$")).ok();
        Some(Patterns {
            label: full(LABEL)?,
            subdomain: full(SUBDOMAIN)?,
            dns1035: full(DNS1035)?,
            qualified: full(QUALIFIED)?,
            label_value: full(LABEL_VALUE)?,
            uuid: full(
                "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}",
            )?,
            date: full("[0-9]{4}-[0-9]{2}-[0-9]{2}")?,
            datetime: full(
                "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?",
            )?,
        })
    })
    .as_ref()
}

/// apimachinery's `RegexError`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        examples.join(" or ")
    )
}

fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// apimachinery's `maskTrailingDash`, for the `*Prefix` formats (generateName prefixes).
fn mask_trailing_dash(s: &str) -> String {
    match s.strip_suffix('-') {
        Some(head) if s.len() > 1 => {
            let mut head = head.to_string();
            head.pop();
            head.push('a');
            head
        }
        _ => s.to_string(),
    }
}

fn dns_label(s: &str, p: &Patterns) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !p.label.is_match(s) {
        errs.push(regex_error("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", LABEL, &["my-name", "123-abc"]));
    }
    errs
}

fn dns_subdomain(s: &str, p: &Patterns) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len(253));
    }
    if !p.subdomain.is_match(s) {
        errs.push(regex_error("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", SUBDOMAIN, &["example.com"]));
    }
    errs
}

fn dns1035(s: &str, p: &Patterns) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !p.dns1035.is_match(s) {
        errs.push(regex_error("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035, &["my-name", "abc-123"]));
    }
    errs
}

const QUALIFIED_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// apimachinery's `IsQualifiedName`.
fn qualified_name(s: &str, p: &Patterns) -> Vec<String> {
    let examples = ["MyName", "my.name", "123-abc"];
    let parts: Vec<&str> = s.split('/').collect();
    let mut errs = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns_subdomain(prefix, p)
                        .into_iter()
                        .map(|e| format!("prefix part {e}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_MSG, QUALIFIED, &examples)
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63)));
    }
    if !p.qualified.is_match(name) {
        errs.push(format!(
            "name part {}",
            regex_error(QUALIFIED_MSG, QUALIFIED, &examples)
        ));
    }
    errs
}

fn label_value(s: &str, p: &Patterns) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !p.label_value.is_match(s) {
        errs.push(regex_error("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE, &["MyValue", "my_value", "12345"]));
    }
    errs
}

fn one(ok: bool, msg: &str) -> Vec<String> {
    if ok {
        Vec::new()
    } else {
        vec![msg.to_string()]
    }
}

fn valid_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(""), "%Y-%m-%d").is_ok()
}

fn messages(format: &str, s: &str) -> Vec<String> {
    let Some(p) = patterns() else {
        return vec!["format patterns unavailable".into()];
    };
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    match format {
        "dns1123Label" => dns_label(s, p),
        "dns1123LabelPrefix" => dns_label(&mask_trailing_dash(s), p),
        "dns1123Subdomain" => dns_subdomain(s, p),
        "dns1123SubdomainPrefix" => dns_subdomain(&mask_trailing_dash(s), p),
        "dns1035Label" => dns1035(s, p),
        "dns1035LabelPrefix" => dns1035(&mask_trailing_dash(s), p),
        "qualifiedName" => qualified_name(s, p),
        "labelValue" => label_value(s, p),
        "uri" => parse_request_uri(s).err().into_iter().collect(),
        "uuid" => one(p.uuid.is_match(s), "does not match the UUID format"),
        "byte" => one(lenient.decode(s).is_ok(), "invalid base64"),
        "date" => one(p.date.is_match(s) && valid_date(s), "invalid date"),
        "datetime" => one(p.datetime.is_match(s) && valid_date(s), "invalid datetime"),
        _ => Vec::new(),
    }
}
