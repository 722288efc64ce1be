//! Property tests of Sprig's random functions (their bytes cannot be compared with helm).

use std::sync::Arc;

use crate::template::{Templates, Value};

fn render(text: &str) -> String {
    let mut set = Templates::with_funcs("gotpl", Arc::new(super::funcs()));
    set.parse("t", text).expect("parses");
    set.execute("t", &Value::Nil).expect("executes")
}

#[test]
fn random_strings_have_length_and_alphabet() {
    for _ in 0..50 {
        let out = render(
            r#"{{ randAlphaNum 20 }}|{{ randAlpha 7 }}|{{ randNumeric 5 }}|{{ randAlpha 0 }}"#,
        );
        let parts: Vec<&str> = out.split('|').collect();
        assert_eq!(parts.len(), 4, "{out}");
        assert_eq!(parts[0].len(), 20);
        assert!(parts[0].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(parts[1].len(), 7);
        assert!(parts[1].chars().all(|c| c.is_ascii_alphabetic()));
        assert_eq!(parts[2].len(), 5);
        assert!(parts[2].chars().all(|c| c.is_ascii_digit()));
        assert_eq!(parts[3], "");
        let ascii = render("{{ randAscii 9 }}");
        assert_eq!(ascii.len(), 9);
        assert!(ascii.chars().all(|c| (' '..='~').contains(&c)));
    }
}

#[test]
fn shuffle_permutes_and_rand_int_stays_in_range() {
    for _ in 0..50 {
        let out = render(r#"{{ shuffle "hello wörld" }}"#);
        let mut a: Vec<char> = out.chars().collect();
        let mut b: Vec<char> = "hello wörld".chars().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let n: i64 = render("{{ randInt -3 4 }}").parse().expect("an int");
        assert!((-3..4).contains(&n));
    }
}

#[test]
fn uuidv4_is_a_version_4_uuid() {
    for _ in 0..50 {
        let u = render("{{ uuidv4 }}");
        let groups: Vec<&str> = u.split('-').collect();
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        assert_eq!(lens, [8, 4, 4, 4, 12], "{u}");
        assert!(
            u.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert!(groups[2].starts_with('4'));
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "{u}"
        );
    }
}

#[test]
fn rand_bytes_is_base64_of_the_requested_length() {
    for n in [1usize, 3, 16, 33] {
        let out = render(&format!("{{{{ randBytes {n} }}}}"));
        assert_eq!(out.len(), n.div_ceil(3) * 4, "{out}");
        let decoded = render(&format!("{{{{ b64dec \"{out}\" | len }}}}"));
        assert!(!decoded.is_empty());
    }
}
