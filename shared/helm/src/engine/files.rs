//! `.Files` (Helm's `engine.files`, a `map[string][]byte` of the chart's non-template
//! files) with its methods Get, GetBytes, Glob, Lines, AsConfig and AsSecrets, byte-exact
//! with Helm v4 (AsConfig/AsSecrets go through toYaml).

mod glob;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::sprig::b64_encode;
use crate::template::{
    CallContext, Dict, ElemType, FuncError, List, Member, Object, Param, Signature, Value,
};

pub use glob::Glob;

/// The chart's files by path (slash-separated, relative to the chart root).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    files: BTreeMap<String, Rc<[u8]>>,
}

impl Files {
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        Self {
            files: files.into_iter().map(|(k, v)| (k, Rc::from(v))).collect(),
        }
    }

    /// The `.Files` value templates see.
    pub fn to_value(&self) -> Value {
        Value::Object(Rc::new(self.clone()))
    }

    fn get_bytes(&self, name: &str) -> Rc<[u8]> {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| Rc::from([]))
    }

    /// `Glob`: the files matching a gobwas/glob pattern (`/` separates; a bad pattern
    /// matches everything, as Helm falls back to `**`).
    fn glob(&self, pattern: &str) -> Files {
        let g = Glob::compile(pattern).unwrap_or_else(Glob::everything);
        Files {
            files: self
                .files
                .iter()
                .filter(|(k, _)| g.matches(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// `AsConfig` / `AsSecrets`: base names to contents (or base64), as YAML.
    fn as_map(&self, secret: bool) -> String {
        let d = Dict::new();
        for (k, v) in &self.files {
            let base = k.rsplit('/').next().unwrap_or(k);
            let text = if secret {
                b64_encode(v)
            } else {
                String::from_utf8_lossy(v).into_owned()
            };
            d.insert(base, Value::from(text));
        }
        crate::yaml::to_yaml(&Value::Dict(d))
            .map(|s| s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
            .unwrap_or_default()
    }

    fn lines(&self, path: &str) -> Result<Value, FuncError> {
        let Some(data) = self.files.get(path) else {
            return Ok(Value::List(List::typed(ElemType::String, Vec::new())));
        };
        let text = String::from_utf8_lossy(data);
        if text.is_empty() {
            // Helm indexes the last byte of an empty file.
            return Err(FuncError::new("runtime error: index out of range [-1]"));
        }
        let text = text.strip_suffix('\n').unwrap_or(&text);
        Ok(Value::List(List::typed(
            ElemType::String,
            text.split('\n').map(Value::from).collect(),
        )))
    }
}

impl Object for Files {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("engine.files")
    }

    fn member(&self, name: &str) -> Option<Member> {
        let sig = match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Signature::new([Param::String]),
            "AsConfig" | "AsSecrets" => Signature::new([]),
            _ => return None,
        };
        Some(Member::Method(sig))
    }

    fn call(
        &self,
        _: &mut CallContext<'_>,
        name: &str,
        args: &[Value],
    ) -> Result<Value, FuncError> {
        let arg = args.first().and_then(Value::as_str).unwrap_or("");
        Ok(match name {
            "Get" => Value::from(String::from_utf8_lossy(&self.get_bytes(arg)).into_owned()),
            "GetBytes" => Value::Bytes(self.get_bytes(arg)),
            "Glob" => self.glob(arg).to_value(),
            "Lines" => self.lines(arg)?,
            "AsConfig" => Value::from(self.as_map(false)),
            "AsSecrets" => Value::from(self.as_map(true)),
            other => return Err(FuncError::new(format!("{other} is not a method"))),
        })
    }

    fn underlying(&self) -> Option<Value> {
        Some(Value::dict(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), Value::Bytes(v.clone()))),
        ))
    }

    fn equals(&self, other: &dyn Object) -> bool {
        other.type_name() == "engine.files"
            && other.underlying().map(|v| v.to_string()) == self.underlying().map(|v| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new([
            ("files/a.txt".to_string(), b"line1\nline2\n".to_vec()),
            ("files/b.conf".to_string(), b"x=1".to_vec()),
            ("files/sub/c.txt".to_string(), b"deep".to_vec()),
            ("files/empty".to_string(), Vec::new()),
        ])
    }

    #[test]
    fn glob_and_maps() {
        let f = files();
        let g = f.glob("files/*");
        assert_eq!(g.files.len(), 3);
        assert_eq!(
            g.as_map(false),
            "a.txt: |\n  line1\n  line2\nb.conf: x=1\nempty: \"\""
        );
        assert_eq!(
            f.glob("files/**").as_map(true),
            "a.txt: bGluZTEKbGluZTIK\nb.conf: eD0x\nc.txt: ZGVlcA==\nempty: \"\""
        );
        assert_eq!(f.glob("[").files.len(), 4);
    }

    #[test]
    fn lines_follow_helm() {
        let f = files();
        assert_eq!(f.lines("files/a.txt").unwrap().to_string(), "[line1 line2]");
        assert_eq!(f.lines("nope").unwrap().to_string(), "[]");
        assert!(f.lines("files/empty").is_err());
    }
}
