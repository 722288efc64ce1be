//! RFC 6902 JSON patch (`application/json-patch+json`), with the API server's limits and the
//! leniencies of the JSON patch library it uses (negative array indices, a missing `value`
//! taken as `null`, `test` of an absent member against `null` passing).

use serde_json::{Map, Value};

use super::{PatchError, json_eq};

/// The most operations one JSON patch may hold on a real server; more is 413.
pub const MAX_JSON_PATCH_OPERATIONS: usize = 10_000;

/// Applies a JSON patch to a copy of `doc`. Operations run in order and the first failure
/// aborts the whole patch.
pub fn json_patch(doc: &Value, patch: &Value) -> Result<Value, PatchError> {
    let ops = patch.as_array().ok_or(PatchError::NotAnArray)?;
    if ops.iter().any(|op| !op.is_object()) {
        return Err(PatchError::NotAnArray);
    }
    if ops.len() > MAX_JSON_PATCH_OPERATIONS {
        return Err(PatchError::TooManyOperations {
            max: MAX_JSON_PATCH_OPERATIONS,
            got: ops.len(),
        });
    }
    let mut out = doc.clone();
    for (index, op) in ops.iter().enumerate() {
        let op = Op::parse(index, op)?;
        op.apply(&mut out)?;
    }
    Ok(out)
}

/// One decoded operation.
struct Op<'a> {
    index: usize,
    kind: &'a str,
    path: &'a str,
    members: &'a Map<String, Value>,
}

impl<'a> Op<'a> {
    fn parse(index: usize, op: &'a Value) -> Result<Self, PatchError> {
        let members = op.as_object().ok_or(PatchError::NotAnArray)?;
        let kind = match members.get("op") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(other) => {
                return Err(PatchError::UnknownOperation {
                    index,
                    op: other.to_string(),
                });
            }
            None => "",
        };
        if !matches!(
            kind,
            "add" | "remove" | "replace" | "move" | "copy" | "test"
        ) {
            return Err(PatchError::UnknownOperation {
                index,
                op: kind.to_string(),
            });
        }
        let path = string_member(index, members, "path")?;
        Ok(Op {
            index,
            kind,
            path,
            members,
        })
    }

    /// `value`, or `null` when absent (what the API server's library does).
    fn value(&self) -> Value {
        self.members.get("value").cloned().unwrap_or(Value::Null)
    }

    fn apply(&self, doc: &mut Value) -> Result<(), PatchError> {
        let path = self.pointer(self.path)?;
        match self.kind {
            "add" => self.add(doc, &path, self.value()),
            "remove" => self.remove(doc, &path).map(drop),
            "replace" => self.replace(doc, &path, self.value()),
            "test" => self.test(doc, &path),
            _ => {
                let from_str = string_member(self.index, self.members, "from")?;
                let from = self.pointer(from_str)?;
                if self.kind == "copy" {
                    let value = self.get(doc, &from, from_str)?.clone();
                    return self.add(doc, &path, value);
                }
                if from == path {
                    return self.get(doc, &from, from_str).map(drop);
                }
                if path.starts_with(&from) {
                    return Err(PatchError::MoveIntoChild {
                        index: self.index,
                        from: from_str.to_string(),
                        path: self.path.to_string(),
                    });
                }
                let value = self.remove(doc, &from).map_err(|e| self.at(e, from_str))?;
                self.add(doc, &path, value)
            }
        }
    }

    fn add(&self, doc: &mut Value, path: &[String], value: Value) -> Result<(), PatchError> {
        let Some((last, parent)) = path.split_last() else {
            *doc = value;
            return Ok(());
        };
        match self.container(doc, parent)? {
            Value::Object(map) => {
                map.insert(last.clone(), value);
                Ok(())
            }
            Value::Array(items) => {
                let at = if last == "-" {
                    items.len()
                } else {
                    self.index_in(last, items.len() + 1)?
                };
                items.insert(at, value);
                Ok(())
            }
            _ => Err(self.missing()),
        }
    }

    fn remove(&self, doc: &mut Value, path: &[String]) -> Result<Value, PatchError> {
        let Some((last, parent)) = path.split_last() else {
            return Err(self.missing());
        };
        match self.container(doc, parent)? {
            Value::Object(map) => map.remove(last).ok_or_else(|| self.missing()),
            Value::Array(items) => {
                let at = self.index_in(last, items.len())?;
                Ok(items.remove(at))
            }
            _ => Err(self.missing()),
        }
    }

    fn replace(&self, doc: &mut Value, path: &[String], value: Value) -> Result<(), PatchError> {
        let Some((last, parent)) = path.split_last() else {
            *doc = value;
            return Ok(());
        };
        let slot = match self.container(doc, parent)? {
            Value::Object(map) => map.get_mut(last).ok_or_else(|| self.missing())?,
            Value::Array(items) => {
                let at = self.index_in(last, items.len())?;
                &mut items[at]
            }
            _ => return Err(self.missing()),
        };
        *slot = value;
        Ok(())
    }

    fn test(&self, doc: &mut Value, path: &[String]) -> Result<(), PatchError> {
        let want = self.value();
        let found = match path.split_last() {
            None => Some(&*doc),
            Some((last, parent)) => match self.container(doc, parent)? {
                Value::Object(map) => map.get(last),
                Value::Array(items) => {
                    let at = self.index_in(last, items.len())?;
                    Some(&items[at])
                }
                _ => return Err(self.missing()),
            },
        };
        let passed = match found {
            Some(value) => json_eq(value, &want),
            None => want.is_null(),
        };
        if passed {
            Ok(())
        } else {
            Err(PatchError::TestFailed {
                index: self.index,
                path: self.path.to_string(),
            })
        }
    }

    /// The value at `path`, for `copy` and `move` sources.
    fn get<'d>(
        &self,
        doc: &'d Value,
        path: &[String],
        text: &str,
    ) -> Result<&'d Value, PatchError> {
        let mut at = doc;
        for token in path {
            at = match at {
                Value::Object(map) => map.get(token),
                Value::Array(items) => items.get(self.index_in(token, items.len())?),
                _ => None,
            }
            .ok_or_else(|| self.at(self.missing(), text))?;
        }
        Ok(at)
    }

    /// The object or array that `parent` points at.
    fn container<'d>(
        &self,
        doc: &'d mut Value,
        parent: &[String],
    ) -> Result<&'d mut Value, PatchError> {
        let mut at = doc;
        for token in parent {
            at = match at {
                Value::Object(map) => map.get_mut(token),
                Value::Array(items) => {
                    let len = items.len();
                    items.get_mut(self.index_in(token, len)?)
                }
                _ => None,
            }
            .ok_or_else(|| self.missing())?;
        }
        Ok(at)
    }

    /// An array index below `bound`; `-n` counts from the end as the server's library allows.
    fn index_in(&self, token: &str, bound: usize) -> Result<usize, PatchError> {
        let invalid = || PatchError::InvalidIndex {
            index: self.index,
            path: self.path.to_string(),
        };
        let (negative, digits) = match token.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, token),
        };
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        let n: usize = match digits.parse() {
            Ok(n) if well_formed => n,
            _ => return Err(invalid()),
        };
        // For `add` the bound is len + 1; a negative index counts from the array's length.
        let at = if negative {
            let len = if self.kind == "add" { bound - 1 } else { bound };
            len.checked_sub(n).ok_or_else(invalid)?
        } else {
            n
        };
        if at < bound && !(negative && n == 0) {
            Ok(at)
        } else {
            Err(invalid())
        }
    }

    fn pointer(&self, text: &str) -> Result<Vec<String>, PatchError> {
        parse_pointer(text).ok_or_else(|| PatchError::InvalidPointer {
            index: self.index,
            path: text.to_string(),
        })
    }

    fn missing(&self) -> PatchError {
        PatchError::PathNotFound {
            index: self.index,
            op: self.kind.to_string(),
            path: self.path.to_string(),
        }
    }

    /// Re-points a not-found error at `text` (the `from` of copy and move).
    fn at(&self, err: PatchError, text: &str) -> PatchError {
        match err {
            PatchError::PathNotFound { index, op, .. } => PatchError::PathNotFound {
                index,
                op,
                path: text.to_string(),
            },
            other => other,
        }
    }
}

fn string_member<'a>(
    index: usize,
    members: &'a Map<String, Value>,
    name: &str,
) -> Result<&'a str, PatchError> {
    match members.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(PatchError::MalformedOperation {
            index,
            reason: format!("{name:?} must be a string"),
        }),
        None => Err(PatchError::MalformedOperation {
            index,
            reason: format!("missing {name:?}"),
        }),
    }
}

/// The reference tokens of an RFC 6901 pointer; `None` if it is not one.
fn parse_pointer(text: &str) -> Option<Vec<String>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let rest = text.strip_prefix('/')?;
    rest.split('/').map(unescape).collect()
}

fn unescape(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
