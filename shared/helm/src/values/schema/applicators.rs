//! `not`, `allOf`, `anyOf`, `oneOf` and `if`/`then`/`else`, with jsonschema v6's failure
//! shapes (`'allOf' failed` over its members' failures, `'oneOf' failed, subschemas 0, 1
//! matched`, a failing `then` reported as itself).

use serde_json::Value;

use super::error::Kind;
use super::resources::Draft;
use super::validate::Vd;

impl Vd<'_, '_> {
    fn list_len(&self, kw: &str) -> usize {
        self.kw(kw).and_then(Value::as_array).map_or(0, Vec::len)
    }

    pub fn conditionals(&mut self) {
        if self.kw("not").is_some() && self.validate_self(self.sub("/not"), None).is_ok() {
            self.add(Kind::Not);
        }
        let n = self.list_len("allOf");
        if n > 0 {
            let mut errors = Vec::new();
            for i in 0..n {
                if let Err(e) = self.validate_self(self.sub(&format!("/allOf/{i}")), None) {
                    errors.push(e);
                }
            }
            if !errors.is_empty() {
                self.add_with(Kind::AllOf, errors);
            }
        }
        self.any_of();
        self.one_of();
        if self.draft >= Draft::D7 {
            self.if_then_else();
        }
    }

    fn any_of(&mut self) {
        let n = self.list_len("anyOf");
        if n == 0 {
            return;
        }
        let mut matched = false;
        let mut errors = Vec::new();
        for i in 0..n {
            match self.validate_self(self.sub(&format!("/anyOf/{i}")), None) {
                Err(e) => errors.push(e),
                Ok(()) => {
                    matched = true;
                    // unevaluated* needs every matching branch; otherwise one is enough.
                    if self.uneval.props.is_empty() && self.uneval.items.is_empty() {
                        break;
                    }
                }
            }
        }
        if !matched {
            self.add_with(Kind::AnyOf, errors);
        }
    }

    fn one_of(&mut self) {
        let n = self.list_len("oneOf");
        if n == 0 {
            return;
        }
        let mut matched: Option<usize> = None;
        let mut errors = Vec::new();
        for i in 0..n {
            match self.validate_self(self.sub(&format!("/oneOf/{i}")), None) {
                Err(e) => {
                    if matched.is_none() {
                        errors.push(e);
                    }
                }
                Ok(()) => match matched {
                    None => matched = Some(i),
                    Some(first) => {
                        self.add(Kind::OneOf(Some((first, i))));
                        break;
                    }
                },
            }
        }
        if matched.is_none() {
            self.add_with(Kind::OneOf(None), errors);
        }
    }

    fn if_then_else(&mut self) {
        let Some(cond) = self.kw("if") else {
            return;
        };
        let passed = self.validate_self(self.sub("/if"), None).is_ok();
        // A boolean `if` only ever takes one branch, so v6 never compiles the other.
        let branch = match (passed, cond) {
            (true, Value::Bool(false)) | (false, Value::Bool(true)) => return,
            (true, _) => "then",
            (false, _) => "else",
        };
        if self.kw(branch).is_some()
            && let Err(e) = self.validate_self(self.sub(&format!("/{branch}")), None)
        {
            self.errors.push(e);
        }
    }
}
