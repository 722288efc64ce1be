//! Schema documents and the resources inside them: which draft each uses (`$schema`), their
//! base URIs (`$id`, draft 4's `id`), anchors, and how a `$ref` string resolves to a
//! location, loading other documents through [`super::load`] as jsonschema v6 does.

use std::collections::HashMap;

use serde_json::Value;
use url::Url;

use super::load;

/// The JSON Schema drafts jsonschema v6 knows; 2020-12 when `$schema` is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Draft {
    D4,
    D6,
    D7,
    D2019,
    D2020,
}

impl Draft {
    /// The draft a `$schema` URL names (http or https, no fragment but an empty one).
    pub fn from_url(url: &str) -> Option<Draft> {
        let u = url.strip_suffix('#').unwrap_or(url);
        if u.contains('#') {
            return None;
        }
        let u = u
            .strip_prefix("http://")
            .or_else(|| u.strip_prefix("https://"))?;
        match u {
            "json-schema.org/schema" | "json-schema.org/draft/2020-12/schema" => Some(Draft::D2020),
            "json-schema.org/draft/2019-09/schema" => Some(Draft::D2019),
            "json-schema.org/draft-07/schema" => Some(Draft::D7),
            "json-schema.org/draft-06/schema" => Some(Draft::D6),
            "json-schema.org/draft-04/schema" => Some(Draft::D4),
            _ => None,
        }
    }

    fn id_keyword(self) -> &'static str {
        if self == Draft::D4 { "id" } else { "$id" }
    }

    /// The `$id` of a schema object without its fragment (empty when it has none); before
    /// 2019-09 an object with `$ref` has no other keywords.
    fn id_of(self, obj: &serde_json::Map<String, Value>) -> String {
        if self < Draft::D2019 && obj.contains_key("$ref") {
            return String::new();
        }
        match obj.get(self.id_keyword()) {
            Some(Value::String(id)) => id.split('#').next().unwrap_or("").to_string(),
            _ => String::new(),
        }
    }
}

/// A schema resource: a subtree with its own base URI.
#[derive(Debug, Clone)]
pub struct Resource {
    pub ptr: String,
    pub id: String,
    pub draft: Draft,
    pub anchors: HashMap<String, String>,
    pub dynamic_anchors: Vec<String>,
}

/// One loaded document (the chart's schema, or one reached through `$ref`).
#[derive(Debug)]
pub struct Doc {
    pub url: String,
    pub root: Value,
    pub resources: Vec<Resource>,
    /// Number literals as written, by pointer (messages show them verbatim).
    pub numbers: HashMap<String, String>,
}

/// A schema's place: a document and a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Loc {
    pub doc: usize,
    pub ptr: String,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Follows a JSON pointer (already percent-decoded) from `root`.
pub fn lookup<'v>(root: &'v Value, ptr: &str) -> Option<&'v Value> {
    if ptr.is_empty() {
        return Some(root);
    }
    let mut cur = root;
    for tok in ptr.strip_prefix('/')?.split('/') {
        let key = unescape(tok);
        cur = match cur {
            Value::Object(m) => m.get(&key)?,
            Value::Array(a) => {
                if key.starts_with('+') || (key.len() > 1 && key.starts_with('0')) {
                    return None;
                }
                a.get(key.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// Keywords whose value is one subschema, a map of them or a list of them (every draft's;
/// a keyword a draft lacks is simply never evaluated).
const ONE: &[&str] = &[
    "not",
    "additionalProperties",
    "additionalItems",
    "propertyNames",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
    "items",
];
const MAP: &[&str] = &[
    "definitions",
    "$defs",
    "properties",
    "patternProperties",
    "dependentSchemas",
    "dependencies",
];
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

/// The subschemas directly inside a schema object, as pointer suffixes and values.
pub fn children(obj: &serde_json::Map<String, Value>) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let is_schema = |v: &Value| v.is_object() || v.is_boolean();
    for kw in ONE {
        if let Some(v) = obj.get(*kw).filter(|v| is_schema(v)) {
            out.push((format!("/{}", escape(kw)), v));
        }
    }
    for kw in MAP {
        if let Some(Value::Object(m)) = obj.get(*kw) {
            for (k, v) in m.iter().filter(|(_, v)| is_schema(v)) {
                out.push((format!("/{}/{}", escape(kw), escape(k)), v));
            }
        }
    }
    for kw in LIST {
        if let Some(Value::Array(a)) = obj.get(*kw) {
            for (i, v) in a.iter().enumerate().filter(|(_, v)| is_schema(v)) {
                out.push((format!("/{}/{i}", escape(kw)), v));
            }
        }
    }
    out
}

/// Splits a URL into its part without fragment and its percent-decoded fragment.
fn split(u: &Url) -> (String, String) {
    let mut base = u.clone();
    base.set_fragment(None);
    let frag = u.fragment().unwrap_or("");
    let frag = percent_decode(frag);
    (base.to_string(), frag)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every document reached so far.
#[derive(Debug, Default)]
pub struct Registry {
    pub docs: Vec<Doc>,
}

impl Registry {
    /// Adds a document (the chart's schema, or a loaded one) and indexes its resources.
    pub fn add(
        &mut self,
        url: &str,
        root: Value,
        numbers: HashMap<String, String>,
    ) -> Result<usize, String> {
        let draft = self.draft_of(&root, Draft::D2020)?;
        let mut resources = Vec::new();
        collect(&root, "", url, draft, &mut resources, 0)?;
        self.docs.push(Doc {
            url: url.to_string(),
            root,
            resources,
            numbers,
        });
        Ok(self.docs.len() - 1)
    }

    /// The draft of a resource root: its `$schema`, loading an unknown metaschema as
    /// jsonschema does (to read that one's `$schema`).
    fn draft_of(&mut self, root: &Value, fallback: Draft) -> Result<Draft, String> {
        let Some(Value::String(s)) = root.get("$schema") else {
            return Ok(fallback);
        };
        if let Some(d) = Draft::from_url(s) {
            return Ok(d);
        }
        let (meta, _) = load::load(s)?;
        match meta.get("$schema").and_then(Value::as_str) {
            Some(m) if m != s => Ok(Draft::from_url(m).unwrap_or(Draft::D2020)),
            _ => Ok(Draft::D2020),
        }
    }

    pub fn value(&self, loc: &Loc) -> Option<&Value> {
        self.docs
            .get(loc.doc)
            .and_then(|d| lookup(&d.root, &loc.ptr))
    }

    /// The innermost resource holding `loc`.
    pub fn resource(&self, loc: &Loc) -> Option<&Resource> {
        let doc = self.docs.get(loc.doc)?;
        doc.resources
            .iter()
            .filter(|r| {
                loc.ptr == r.ptr
                    || (loc.ptr.starts_with(&r.ptr) && loc.ptr[r.ptr.len()..].starts_with('/'))
            })
            .max_by_key(|r| r.ptr.len())
    }

    pub fn draft(&self, loc: &Loc) -> Draft {
        self.resource(loc).map_or(Draft::D2020, |r| r.draft)
    }

    /// jsonschema's schema location text: document URL, `#`, pointer.
    pub fn location(&self, loc: &Loc) -> String {
        let url = self.docs.get(loc.doc).map_or("", |d| d.url.as_str());
        format!("{url}#{}", loc.ptr)
    }

    /// Resolves a `$ref` value written at `from`, loading its document when it is elsewhere.
    pub fn resolve(&mut self, from: &Loc, reference: &str) -> Result<Loc, String> {
        let base = self
            .resource(from)
            .map(|r| r.id.clone())
            .unwrap_or_default();
        let target = Url::parse(&base)
            .and_then(|b| b.join(reference))
            .or_else(|_| Url::parse(reference))
            .map_err(|e| {
                format!(
                    "error in parsing {}: {e}",
                    crate::template::strconv::quote(reference)
                )
            })?;
        let (url, frag) = split(&target);
        let (doc, res) = match self.find(&url) {
            Some(found) => found,
            None => {
                let (value, numbers) = load::load(&url)?;
                let doc = self.add(&url, value, numbers)?;
                // Loaded documents face the metaschema too (json-schema.org's own excepted).
                let own = url.starts_with("http://json-schema.org/")
                    || url.starts_with("https://json-schema.org/");
                let draft = self.docs[doc]
                    .resources
                    .first()
                    .map_or(Draft::D2020, |r| r.draft);
                if !own && let Some(e) = super::meta::check(&url, &self.docs[doc].root, draft) {
                    return Err(e);
                }
                (doc, 0)
            }
        };
        let resource = &self.docs[doc].resources[res];
        let ptr = if frag.is_empty() || frag.starts_with('/') {
            let ptr = format!("{}{frag}", resource.ptr);
            if lookup(&self.docs[doc].root, &ptr).is_none() {
                return Err(format!(
                    "json-pointer in {} not found",
                    crate::template::strconv::quote(&format!("{}#{ptr}", self.docs[doc].url))
                ));
            }
            ptr
        } else {
            match resource.anchors.get(&frag) {
                Some(p) => p.clone(),
                None => {
                    return Err(format!(
                        "anchor in {} not found in schema {}",
                        crate::template::strconv::quote(&format!("{}#{frag}", resource.id)),
                        crate::template::strconv::quote(&self.docs[doc].url)
                    ));
                }
            }
        };
        Ok(Loc { doc, ptr })
    }

    /// The document and resource index whose URL or `$id` is `url`.
    fn find(&self, url: &str) -> Option<(usize, usize)> {
        if let Some(d) = self.docs.iter().position(|d| d.url == url) {
            let root = self.docs[d].resources.iter().position(|r| r.ptr.is_empty());
            return Some((d, root.unwrap_or(0)));
        }
        self.docs.iter().enumerate().find_map(|(d, doc)| {
            doc.resources
                .iter()
                .position(|r| r.id == url)
                .map(|r| (d, r))
        })
    }
}

/// Deepest schema nesting indexed (a hostile document cannot exhaust the stack).
const MAX_NESTING: usize = 256;

/// Walks a document's subschemas, recording resources (`$id`) and their anchors.
fn collect(
    v: &Value,
    ptr: &str,
    base: &str,
    draft: Draft,
    out: &mut Vec<Resource>,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_NESTING {
        return Err(format!("schema nesting deeper than {MAX_NESTING} levels"));
    }
    let Value::Object(obj) = v else {
        if ptr.is_empty() {
            out.push(new_resource(ptr, base, draft));
        }
        return Ok(());
    };
    let mut draft = draft;
    let mut base = base.to_string();
    if let Some(Value::String(s)) = obj.get("$schema")
        && let Some(d) = Draft::from_url(s)
        && (ptr.is_empty() || !d.id_of(obj).is_empty())
    {
        draft = d;
    }
    let id = draft.id_of(obj);
    if ptr.is_empty() || !id.is_empty() {
        if !id.is_empty() {
            base = Url::parse(&base)
                .and_then(|b| b.join(&id))
                .or_else(|_| Url::parse(&id))
                .map(|u| split(&u).0)
                .map_err(|_| {
                    format!(
                        "error in parsing id at {}",
                        crate::template::strconv::quote(&format!("{base}#{ptr}"))
                    )
                })?;
        }
        out.push(new_resource(ptr, &base, draft));
    }
    add_anchors(obj, ptr, draft, out)?;
    if draft < Draft::D2019 && obj.contains_key("$ref") {
        return Ok(());
    }
    for (suffix, child) in children(obj) {
        collect(
            child,
            &format!("{ptr}{suffix}"),
            &base,
            draft,
            out,
            depth + 1,
        )?;
    }
    Ok(())
}

fn new_resource(ptr: &str, id: &str, draft: Draft) -> Resource {
    Resource {
        ptr: ptr.to_string(),
        id: id.to_string(),
        draft,
        anchors: HashMap::new(),
        dynamic_anchors: Vec::new(),
    }
}

fn add_anchors(
    obj: &serde_json::Map<String, Value>,
    ptr: &str,
    draft: Draft,
    out: &mut [Resource],
) -> Result<(), String> {
    let Some(res) = out
        .iter_mut()
        .filter(|r| {
            ptr == r.ptr || (ptr.starts_with(&r.ptr) && ptr[r.ptr.len()..].starts_with('/'))
        })
        .max_by_key(|r| r.ptr.len())
    else {
        return Ok(());
    };
    let mut names = Vec::new();
    if draft < Draft::D2019 {
        if !obj.contains_key("$ref")
            && let Some(Value::String(id)) = obj.get(draft.id_keyword())
            && let Some((_, frag)) = id.split_once('#')
            && !frag.is_empty()
            && !frag.starts_with('/')
        {
            names.push(percent_decode(frag));
        }
    } else if let Some(Value::String(a)) = obj.get("$anchor") {
        names.push(a.clone());
    }
    if draft >= Draft::D2020
        && let Some(Value::String(a)) = obj.get("$dynamicAnchor")
    {
        names.push(a.clone());
        res.dynamic_anchors.push(a.clone());
    }
    for name in names {
        match res.anchors.get(&name) {
            Some(p) if p != ptr => {
                return Err(format!(
                    "duplicate anchor {} in {} at {} and {}",
                    crate::template::strconv::quote(&name),
                    crate::template::strconv::quote(&res.id),
                    crate::template::strconv::quote(p),
                    crate::template::strconv::quote(ptr)
                ));
            }
            _ => {
                res.anchors.insert(name, ptr.to_string());
            }
        }
    }
    Ok(())
}
