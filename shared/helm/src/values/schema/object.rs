//! Object keywords: min/maxProperties, required, dependencies (draft 4 to 7, and still
//! honoured later as v6 does), properties, patternProperties, additionalProperties,
//! propertyNames (draft 6+), dependentSchemas and dependentRequired (2019-09+).

use serde_json::{Map, Value};

use super::error::{Kind, VErr};
use super::resources::Draft;
use super::validate::Vd;

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn missing(obj: &Map<String, Value>, want: &[String]) -> Vec<String> {
    want.iter()
        .filter(|p| !obj.contains_key(*p))
        .cloned()
        .collect()
}

fn count(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_f64).map(|f| f.max(0.0) as usize)
}

impl Vd<'_, '_> {
    pub fn object(&mut self, obj: &Map<String, Value>) {
        if let Some(min) = count(self.kw("minProperties"))
            && obj.len() < min
        {
            self.add(Kind::Count {
                keyword: "minProperties",
                got: obj.len(),
                want: min,
            });
        }
        if let Some(max) = count(self.kw("maxProperties"))
            && obj.len() > max
        {
            self.add(Kind::Count {
                keyword: "maxProperties",
                got: obj.len(),
                want: max,
            });
        }
        if let Some(req) = self.kw("required") {
            let gone = missing(obj, &strings(req));
            if !gone.is_empty() {
                self.add(Kind::Required(gone));
            }
        }
        self.dependencies(obj);
        self.properties(obj);
        if self.draft == Draft::D4 {
            return;
        }
        self.property_names(obj);
        if self.draft == Draft::D6 {
            return;
        }
        if self.draft >= Draft::D2019 {
            self.dependent(obj);
        }
    }

    fn dependencies(&mut self, obj: &Map<String, Value>) {
        let Some(Value::Object(deps)) = self.kw("dependencies") else {
            return;
        };
        for (prop, dep) in deps {
            if !obj.contains_key(prop) {
                continue;
            }
            match dep {
                Value::Array(_) => {
                    let gone = missing(obj, &strings(dep));
                    if !gone.is_empty() {
                        self.add(Kind::Dependency {
                            prop: prop.clone(),
                            missing: gone,
                        });
                    }
                }
                _ => {
                    let loc = self.sub(&format!("/dependencies/{}", escape(prop)));
                    if let Err(e) = self.validate_self(loc, None) {
                        self.errors.push(e);
                    }
                }
            }
        }
    }

    fn properties(&mut self, obj: &Map<String, Value>) {
        let props = self.kw("properties").and_then(Value::as_object);
        let patterns: Vec<&String> = self
            .kw("patternProperties")
            .and_then(Value::as_object)
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let additional = self.kw("additionalProperties");
        let mut extra = Vec::new();
        for (name, value) in obj {
            let mut evaluated = false;
            if props.is_some_and(|p| p.contains_key(name)) {
                evaluated = true;
                let loc = self.sub(&format!("/properties/{}", escape(name)));
                self.child(loc, value, name);
            }
            for pattern in &patterns {
                if self.vr.regexes.is_match(pattern, name) {
                    evaluated = true;
                    let loc = self.sub(&format!("/patternProperties/{}", escape(pattern)));
                    self.child(loc, value, name);
                }
            }
            if !evaluated && let Some(add) = additional {
                evaluated = true;
                match add {
                    Value::Bool(false) => extra.push(name.clone()),
                    Value::Bool(true) => {}
                    _ => self.child(self.sub("/additionalProperties"), value, name),
                }
            }
            if evaluated {
                self.uneval.props.remove(name);
            }
        }
        if !extra.is_empty() {
            self.add(Kind::AdditionalProperties(extra));
        }
    }

    fn child(&mut self, loc: super::resources::Loc, value: &Value, name: &str) {
        if let Err(e) = self.validate_val(loc, value, name) {
            self.errors.push(e);
        }
    }

    /// propertyNames: each name is validated as a string document of its own.
    fn property_names(&mut self, obj: &Map<String, Value>) {
        if self.kw("propertyNames").is_none() {
            return;
        }
        let loc = self.sub("/propertyNames");
        for name in obj.keys() {
            let name_value = Value::String(name.clone());
            let scope = std::rc::Rc::new(super::validate::Scope {
                loc: loc.clone(),
                ref_kw: None,
                vid: 0,
                depth: self.scope.depth + 1,
                parent: None,
            });
            let uneval = self.vr.uneval_from(&name_value, &loc, false);
            if let Err(e) = self
                .vr
                .validate(&name_value, Vec::new(), loc.clone(), scope, uneval)
            {
                let causes = e.into_members();
                // v6 validates the name as a document of its own: its failure has no location.
                let mut err = VErr::new(&[], Kind::PropertyNames(name.clone()));
                err.causes = causes;
                self.errors.push(err);
            }
        }
    }

    fn dependent(&mut self, obj: &Map<String, Value>) {
        if let Some(Value::Object(deps)) = self.kw("dependentSchemas") {
            for prop in deps.keys() {
                if obj.contains_key(prop) {
                    let loc = self.sub(&format!("/dependentSchemas/{}", escape(prop)));
                    if let Err(e) = self.validate_self(loc, None) {
                        self.errors.push(e);
                    }
                }
            }
        }
        if let Some(Value::Object(deps)) = self.kw("dependentRequired") {
            for (prop, want) in deps {
                if obj.contains_key(prop) && want.is_array() {
                    let gone = missing(obj, &strings(want));
                    if !gone.is_empty() {
                        self.add(Kind::Dependency {
                            prop: prop.clone(),
                            missing: gone,
                        });
                    }
                }
            }
        }
    }
}
