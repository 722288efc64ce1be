//! `$(VAR)` expansion as kustomize's refvar filter does it (`DoReplacements`): `$$` is a
//! literal `$`, an unknown variable stays as written, and a field that is exactly one
//! reference takes the variable's typed value.

use std::collections::BTreeMap;

/// A variable's value as kustomize reads it from a field (`GetFieldValue`).
#[derive(Debug, Clone, PartialEq)]
pub enum VarValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A map or list: not usable in a string, so references to it stay as written.
    Other,
}

impl VarValue {
    /// Go's `%v`.
    pub fn display(&self) -> String {
        match self {
            VarValue::Str(s) => s.clone(),
            VarValue::Int(i) => i.to_string(),
            VarValue::Float(f) => crate::yaml::gostr::format_float_g(*f),
            VarValue::Bool(b) => b.to_string(),
            VarValue::Other => String::new(),
        }
    }
}

/// Variables and how often each was used.
pub struct Mapping<'a> {
    pub values: &'a BTreeMap<String, VarValue>,
    pub counts: BTreeMap<String, usize>,
}

impl Mapping<'_> {
    fn get(&mut self, key: &str) -> VarValue {
        match self.values.get(key) {
            Some(VarValue::Other) | None => VarValue::Str(format!("$({key})")),
            Some(v) => {
                *self.counts.entry(key.to_string()).or_default() += 1;
                v.clone()
            }
        }
    }
}

/// Expands every `$(NAME)` in `input`.
pub fn expand(input: &str, mapping: &mut Mapping<'_>) -> VarValue {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::new();
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < chars.len() {
        if chars[cursor] == '$' && cursor + 1 < chars.len() {
            out.extend(&chars[checkpoint..cursor]);
            let rest = &chars[cursor + 1..];
            let (read, is_var, advance) = read_name(rest);
            if is_var {
                let mapped = mapping.get(&read);
                if input == format!("$({read})") {
                    return mapped;
                }
                out.push_str(&mapped.display());
            } else {
                out.push_str(&read);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    out.extend(&chars[checkpoint.min(chars.len())..]);
    VarValue::Str(out)
}

fn read_name(rest: &[char]) -> (String, bool, usize) {
    match rest[0] {
        '$' => ("$".into(), false, 1),
        '(' => match rest.iter().skip(1).position(|c| *c == ')') {
            Some(i) => (rest[1..=i].iter().collect(), true, i + 2),
            None => ("$(".into(), false, 1),
        },
        c => (format!("${c}"), false, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion() {
        let mut values = BTreeMap::new();
        values.insert("A".to_string(), VarValue::Str("x".into()));
        values.insert("N".to_string(), VarValue::Int(8080));
        values.insert("M".to_string(), VarValue::Other);
        let cases: &[(&str, VarValue)] = &[
            ("$(A)", VarValue::Str("x".into())),
            ("$(N)", VarValue::Int(8080)),
            ("port $(N)", VarValue::Str("port 8080".into())),
            ("$(A)-$(A)", VarValue::Str("x-x".into())),
            ("$$(A)", VarValue::Str("$(A)".into())),
            ("$(B)", VarValue::Str("$(B)".into())),
            ("$(M)", VarValue::Str("$(M)".into())),
            ("$(A", VarValue::Str("$(A".into())),
            ("a$", VarValue::Str("a$".into())),
            ("$x$(A)", VarValue::Str("$xx".into())),
        ];
        for (input, want) in cases {
            let mut m = Mapping {
                values: &values,
                counts: BTreeMap::new(),
            };
            assert_eq!(&expand(input, &mut m), want, "{input}");
        }
    }
}
