//! The validation walk, following santhosh-tekuri/jsonschema v6's order and error shapes:
//! type, const, enum and format stop at the first failure; `$ref` (alone before 2019-09);
//! then the keywords of the instance's type (`object.rs`, `array.rs`, `scalar.rs`), dynamic
//! references, the applicators (`not`, `allOf`, `anyOf`, `oneOf`, `if`) and `unevaluated*`.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::error::{Kind, VErr};
use super::num::Dec;
use super::resources::{Draft, Loc, Registry};
use super::scalar::Regexes;

/// Schema evaluations allowed for one values document by default (a hostile schema of
/// nested applicators can otherwise ask for exponential work; real charts need far fewer).
pub const MAX_STEPS: usize = 2_000_000;
/// Deepest chain of schemas followed for one value.
const MAX_SCOPE_DEPTH: usize = 2_000;

/// The chain of schemas that led to the current one (for cycles and dynamic anchors).
pub struct Scope {
    pub loc: Loc,
    pub ref_kw: Option<&'static str>,
    pub vid: usize,
    pub depth: usize,
    pub parent: Option<Rc<Scope>>,
}

/// Properties and items no keyword has evaluated yet (for `unevaluated*`).
#[derive(Debug, Clone, Default)]
pub struct Uneval {
    pub props: BTreeSet<String>,
    pub items: BTreeSet<usize>,
}

impl Uneval {
    fn merge(&mut self, other: &Uneval) {
        self.props.retain(|p| other.props.contains(p));
        self.items.retain(|i| other.items.contains(i));
    }

    fn is_empty(&self) -> bool {
        self.props.is_empty() && self.items.is_empty()
    }
}

/// What is shared by a whole validation: the documents, resolved references and budgets.
pub struct Validator<'r> {
    pub reg: &'r Registry,
    pub refs: &'r HashMap<(Loc, &'static str), Loc>,
    pub regexes: &'r Regexes,
    pub steps: Cell<usize>,
    pub max_steps: usize,
    pub budget_hit: RefCell<Option<String>>,
}

/// One schema applied to one value.
pub struct Vd<'v, 'r> {
    pub vr: &'v Validator<'r>,
    pub v: &'v Value,
    pub vloc: Vec<String>,
    pub loc: Loc,
    pub s: &'r Map<String, Value>,
    pub draft: Draft,
    pub scope: Rc<Scope>,
    pub uneval: Uneval,
    pub errors: Vec<VErr>,
}

/// A schema keyword as v6 compiles it: before 2019-09 a `$ref` hides its siblings (but
/// `const`, compiled separately from draft 6 on, stays).
pub fn keyword<'r>(s: &'r Map<String, Value>, draft: Draft, name: &str) -> Option<&'r Value> {
    if draft < Draft::D2019 && name != "$ref" && name != "const" && s.contains_key("$ref") {
        return None;
    }
    s.get(name)
}

pub fn instance_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// JSON equality with numbers compared as exact rationals.
pub fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Dec::from_number(x) == Dec::from_number(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equals(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equals(v, w)))
        }
        _ => a == b,
    }
}

impl<'r> Validator<'r> {
    /// The unevaluated set a schema starts with for a value (v6's `unevalFrom`).
    pub fn uneval_from(&self, v: &Value, loc: &Loc, caller_needs: bool) -> Uneval {
        let mut out = Uneval::default();
        let Some(Value::Object(s)) = self.reg.value(loc) else {
            // Boolean schemas evaluate nothing; callers that need the set get all of it.
            if caller_needs {
                return everything(v, 0);
            }
            return out;
        };
        let draft = self.reg.draft(loc);
        let has = |k: &str| draft >= Draft::D2019 && keyword(s, draft, k).is_some();
        match v {
            Value::Object(m) => {
                let all = keyword(s, draft, "additionalProperties").is_some();
                if !all && (caller_needs || has("unevaluatedProperties")) {
                    out.props = m.keys().cloned().collect();
                }
            }
            Value::Array(a) => {
                let (all, n) = items_evaluated(s, draft);
                if !all && (caller_needs || has("unevaluatedItems")) && n < a.len() {
                    out.items = (n..a.len()).collect();
                }
            }
            _ => {}
        }
        out
    }

    /// Validates `v` at the root schema.
    pub fn run(&self, v: &'r Value, root: Loc) -> Result<(), VErr> {
        let scope = Rc::new(Scope {
            loc: root.clone(),
            ref_kw: None,
            vid: 0,
            depth: 0,
            parent: None,
        });
        let uneval = self.uneval_from(v, &root, false);
        self.validate(v, Vec::new(), root, scope, uneval)
            .map(|_| ())
    }

    /// Applies the schema at `loc` to `v`; the unevaluated set left, or the failure.
    pub fn validate(
        &self,
        v: &Value,
        vloc: Vec<String>,
        loc: Loc,
        scope: Rc<Scope>,
        uneval: Uneval,
    ) -> Result<Uneval, VErr> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.validate_inner(v, vloc, loc, scope, uneval)
        })
    }

    fn validate_inner(
        &self,
        v: &Value,
        vloc: Vec<String>,
        loc: Loc,
        scope: Rc<Scope>,
        uneval: Uneval,
    ) -> Result<Uneval, VErr> {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > self.max_steps || scope.depth > MAX_SCOPE_DEPTH {
            let msg = if steps > self.max_steps {
                format!(
                    "schema validation stopped after {} steps (the schema asks for too much work)",
                    self.max_steps
                )
            } else {
                format!("schema validation stopped at {MAX_SCOPE_DEPTH} nested schemas")
            };
            self.budget_hit.borrow_mut().get_or_insert(msg.clone());
            return Err(VErr::new(&vloc, Kind::Budget(msg)));
        }
        let s = match self.reg.value(&loc) {
            Some(Value::Object(s)) if !s.is_empty() => s,
            Some(Value::Bool(false)) => return Err(VErr::new(&vloc, Kind::FalseSchema)),
            _ => return Ok(uneval),
        };
        if let Some(err) = self.cycle(&scope, &loc, &vloc) {
            return Err(err);
        }
        let draft = self.reg.draft(&loc);
        let vd = Vd {
            vr: self,
            v,
            vloc,
            loc,
            s,
            draft,
            scope,
            uneval,
            errors: Vec::new(),
        };
        vd.run()
    }

    fn cycle(&self, scope: &Rc<Scope>, loc: &Loc, vloc: &[String]) -> Option<VErr> {
        let mut p = scope.parent.clone();
        while let Some(sc) = p {
            if sc.vid != scope.vid {
                break;
            }
            if sc.loc == *loc {
                let kind = Kind::RefCycle {
                    url: self.reg.location(loc),
                    first: self.kw_loc(scope),
                    second: self.kw_loc(&sc),
                };
                return Some(VErr::new(vloc, kind));
            }
            p = sc.parent.clone();
        }
        None
    }

    /// The keyword path from the root schema to a scope (v6's `kwLoc`).
    fn kw_loc(&self, scope: &Scope) -> String {
        let mut out = String::new();
        let mut cur = scope;
        while let Some(parent) = &cur.parent {
            let piece = match cur.ref_kw {
                Some(kw) => format!("/{kw}"),
                None => {
                    let (c, p) = (self.reg.location(&cur.loc), self.reg.location(&parent.loc));
                    c.get(p.len()..).unwrap_or("").to_string()
                }
            };
            out.insert_str(0, &piece);
            cur = parent;
        }
        out
    }
}

/// Whether a schema's items keywords evaluate every item, else how many leading ones.
fn items_evaluated(s: &Map<String, Value>, draft: Draft) -> (bool, usize) {
    if draft < Draft::D2020 {
        match keyword(s, draft, "items") {
            Some(Value::Array(list)) => {
                (keyword(s, draft, "additionalItems").is_some(), list.len())
            }
            Some(_) => (true, 0),
            None => (false, 0),
        }
    } else {
        let n = keyword(s, draft, "prefixItems")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        (keyword(s, draft, "items").is_some(), n)
    }
}

fn everything(v: &Value, from: usize) -> Uneval {
    match v {
        Value::Object(m) => Uneval {
            props: m.keys().cloned().collect(),
            items: BTreeSet::new(),
        },
        Value::Array(a) => Uneval {
            props: BTreeSet::new(),
            items: (from..a.len()).collect(),
        },
        _ => Uneval::default(),
    }
}

impl<'v, 'r> Vd<'v, 'r> {
    pub fn kw(&self, name: &str) -> Option<&'r Value> {
        keyword(self.s, self.draft, name)
    }

    /// The location of a subschema below the current one.
    pub fn sub(&self, suffix: &str) -> Loc {
        Loc {
            doc: self.loc.doc,
            ptr: format!("{}{suffix}", self.loc.ptr),
        }
    }

    pub fn add(&mut self, kind: Kind) {
        self.errors.push(VErr::new(&self.vloc, kind));
    }

    pub fn add_with(&mut self, kind: Kind, causes: Vec<VErr>) {
        let mut e = VErr::new(&self.vloc, kind);
        e.causes = causes;
        self.errors.push(e);
    }

    /// The same value against another schema (`allOf`, `$ref`, ...), merging what it
    /// evaluated when it passes.
    pub fn validate_self(&mut self, loc: Loc, ref_kw: Option<&'static str>) -> Result<(), VErr> {
        let scope = Rc::new(Scope {
            loc: loc.clone(),
            ref_kw,
            vid: self.scope.vid,
            depth: self.scope.depth + 1,
            parent: Some(self.scope.clone()),
        });
        let uneval = self.vr.uneval_from(self.v, &loc, !self.uneval.is_empty());
        let left = self
            .vr
            .validate(self.v, self.vloc.clone(), loc, scope, uneval)?;
        self.uneval.merge(&left);
        Ok(())
    }

    /// A child value (property or item, named by `tok`) against a subschema.
    pub fn validate_val(&self, loc: Loc, v: &Value, tok: &str) -> Result<(), VErr> {
        let mut vloc = self.vloc.clone();
        vloc.push(tok.to_string());
        let scope = Rc::new(Scope {
            loc: loc.clone(),
            ref_kw: None,
            vid: self.scope.vid + 1,
            depth: self.scope.depth + 1,
            parent: Some(self.scope.clone()),
        });
        let uneval = self.vr.uneval_from(v, &loc, false);
        self.vr.validate(v, vloc, loc, scope, uneval).map(|_| ())
    }

    fn run(mut self) -> Result<Uneval, VErr> {
        if let Some(e) = self.check_values() {
            return Err(e);
        }
        if let Some(Value::String(_)) = self.kw("$ref") {
            let r = self.validate_ref("$ref");
            if self.draft < Draft::D2019 {
                return r.map(|_| self.uneval);
            }
            if let Err(e) = r {
                self.errors.push(e);
            }
        }
        match self.v {
            Value::Object(m) => self.object(m),
            Value::Array(a) => self.array(a),
            Value::String(text) => self.string(text),
            Value::Number(n) => self.number(n),
            _ => {}
        }
        if self.draft >= Draft::D2019 {
            self.dynamic_refs();
        }
        self.conditionals();
        if self.draft >= Draft::D2019 {
            self.unevaluated();
        }
        match self.errors.len() {
            0 => Ok(self.uneval),
            1 => Err(self.errors.remove(0)),
            _ => {
                let mut e = VErr::new(&self.vloc, Kind::Group);
                e.causes = self.errors;
                Err(e)
            }
        }
    }

    /// type, const, enum and format: each ends the schema's evaluation when it fails.
    fn check_values(&self) -> Option<VErr> {
        let fail = |kind| Some(VErr::new(&self.vloc, kind));
        if let Some(t) = self.kw("type") {
            let want = wanted_types(t);
            let got = instance_type(self.v);
            let integer = matches!(self.v, Value::Number(n) if Dec::from_number(n).is_some_and(|d| d.is_integer()));
            let ok =
                want.is_empty() || want.contains(&got) || (want.contains(&"integer") && integer);
            if !ok {
                return fail(Kind::Type { got, want });
            }
        }
        if self.draft >= Draft::D6
            && let Some(c) = self.s.get("const")
            && !equals(self.v, c)
        {
            let composite = c.is_array() || c.is_object();
            let want = self.shown(c, "/const");
            return fail(Kind::Const { want, composite });
        }
        if let Some(Value::Array(options)) = self.kw("enum")
            && !options.iter().any(|o| equals(self.v, o))
        {
            let composite = options.iter().any(|o| o.is_array() || o.is_object());
            let want = options
                .iter()
                .enumerate()
                .map(|(i, o)| self.shown(o, &format!("/enum/{i}")))
                .collect();
            return fail(Kind::Enum { want, composite });
        }
        if let Some(err) = self.format() {
            return fail(err);
        }
        None
    }

    /// A schema value as jsonschema shows it: numbers as written in the document.
    fn shown(&self, v: &Value, suffix: &str) -> String {
        if v.is_number()
            && let Some(doc) = self.vr.reg.docs.get(self.loc.doc)
            && let Some(text) = doc.numbers.get(&format!("{}{suffix}", self.loc.ptr))
        {
            return text.clone();
        }
        super::error::display(v)
    }

    fn validate_ref(&mut self, kw: &'static str) -> Result<(), VErr> {
        let Some(target) = self.vr.refs.get(&(self.loc.clone(), kw)).cloned() else {
            return Ok(());
        };
        self.reference(target, kw)
    }

    /// Follows a reference; a failure becomes a `validation failed` level over its causes.
    pub(super) fn reference(&mut self, target: Loc, kw: &'static str) -> Result<(), VErr> {
        match self.validate_self(target, Some(kw)) {
            Ok(()) => Ok(()),
            Err(err) => {
                let causes = err.into_members();
                let mut e = VErr::new(&self.vloc, Kind::Reference);
                e.causes = causes;
                Err(e)
            }
        }
    }
}

/// The type names a `type` keyword allows, in jsonschema's order.
fn wanted_types(t: &Value) -> Vec<&'static str> {
    let named: Vec<&str> = match t {
        Value::String(s) => vec![s.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    [
        "null", "boolean", "number", "integer", "string", "array", "object",
    ]
    .into_iter()
    .filter(|t| named.contains(t))
    .collect()
}
