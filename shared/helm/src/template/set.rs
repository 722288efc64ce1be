//! A set of associated templates, as Go's `*template.Template` with its common namespace:
//! parse texts into it, look templates up by name, and execute them with options.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::Tree;
use super::builtins;
use super::error::{Error, ParseError};
use super::exec;
use super::funcs::{Extensions, FuncMap, Function};
use super::parse;
use super::value::Value;

/// Go's `missingkey` option: what a map lookup of an absent key yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default`: no value (prints `<no value>`).
    #[default]
    Default,
    /// `missingkey=zero`: the zero value of the map's element type (Helm's default).
    Zero,
    /// `missingkey=error`: execution stops with an error (Helm's `--strict`).
    Error,
}

/// Execution options.
#[derive(Debug, Clone)]
pub struct Options {
    pub missing_key: MissingKey,
    /// Action delimiters; empty means `{{` and `}}`.
    pub delims: (String, String),
    /// Output bytes one execution may write, if bounded.
    pub max_output: Option<usize>,
    /// Nesting of `{{template}}` calls (Go's maxExecDepth).
    pub max_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            missing_key: MissingKey::Default,
            delims: (String::new(), String::new()),
            max_output: Some(super::limits::MAX_OUTPUT_BYTES),
            max_depth: 100_000,
        }
    }
}

/// A set of templates sharing one namespace of names, functions and options. Cloning is
/// cheap; `layered` makes a copy whose new definitions do not touch the original (Helm's tpl).
#[derive(Clone)]
pub struct Templates {
    name: Arc<str>,
    layers: Vec<Arc<HashMap<String, Arc<Tree>>>>,
    funcs: Arc<FuncMap>,
    options: Options,
}

impl Templates {
    /// An empty set named `name` (Helm names its set `gotpl`), with only the builtins.
    pub fn new(name: &str) -> Self {
        Self::with_funcs(name, Arc::new(FuncMap::new()))
    }

    /// An empty set with functions beyond the builtins.
    pub fn with_funcs(name: &str, funcs: Arc<FuncMap>) -> Self {
        Self {
            name: name.into(),
            layers: vec![Arc::default()],
            funcs,
            options: Options::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.options
    }

    pub fn set_missing_key(&mut self, missing_key: MissingKey) -> &mut Self {
        self.options.missing_key = missing_key;
        self
    }

    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// The function called `name`: the set's own, else a builtin.
    pub(crate) fn find_function(&self, name: &str) -> Option<&Function> {
        self.funcs.get(name).or_else(|| builtins::lookup(name))
    }

    fn has_function(&self, name: &str) -> bool {
        self.find_function(name).is_some()
    }

    /// The template called `name`.
    pub fn lookup(&self, name: &str) -> Option<&Arc<Tree>> {
        self.layers.iter().rev().find_map(|layer| layer.get(name))
    }

    /// Names of the templates in the set, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.layers.iter().flat_map(|l| l.keys().cloned()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// A copy of the set with a fresh layer on top for new definitions.
    pub fn layered(&self) -> Templates {
        let mut copy = self.clone();
        copy.layers.push(Arc::default());
        copy
    }

    /// Parses `text` as the template `name` (Go's `t.New(name).Parse(text)`), adding it and
    /// every template it defines to the set.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        self.parse_tree(name, text).map(drop)
    }

    /// As `parse`, returning the tree of `name` itself.
    pub(crate) fn parse_tree(&mut self, name: &str, text: &str) -> Result<Arc<Tree>, ParseError> {
        let delims = (
            self.options.delims.0.as_str(),
            self.options.delims.1.as_str(),
        );
        let trees = parse::parse(name, text, delims, &|f| self.has_function(f))?;
        let mut main = None;
        for (tree_name, tree) in trees {
            let tree = Arc::new(tree);
            if tree_name == name {
                main = Some(tree.clone());
            }
            self.associate(tree_name, tree);
        }
        main.ok_or_else(|| ParseError::new(name, 0, "internal error: no tree".into()))
    }

    /// Go's `associate`: an empty tree never replaces an existing definition.
    fn associate(&mut self, name: String, tree: Arc<Tree>) {
        if tree.is_empty() && self.lookup(&name).is_some() {
            return;
        }
        let top = self.layers.len() - 1;
        Arc::make_mut(&mut self.layers[top]).insert(name, tree);
    }

    /// Go's `ExecuteTemplate`: runs the template `name` on `data`.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        self.execute_with(name, data, &mut Extensions::new())
    }

    /// As `execute`, with per-render state for the functions.
    pub fn execute_with(
        &self,
        name: &str,
        data: &Value,
        ext: &mut Extensions,
    ) -> Result<String, Error> {
        let Some(tree) = self.lookup(name) else {
            return Err(Error::NoTemplate {
                name: name.to_string(),
                set: self.name.to_string(),
            });
        };
        self.execute_tree(tree, data, ext)
    }

    pub(crate) fn execute_tree(
        &self,
        tree: &Tree,
        data: &Value,
        ext: &mut Extensions,
    ) -> Result<String, Error> {
        exec::execute(self, tree, data, ext)
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("name", &self.name)
            .field("templates", &self.names())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::template::{FuncError, Param, Signature};

    /// An `include` with a per-name recursion limit kept in the render's extensions, the way
    /// Helm's include is built on this crate.
    fn include_with_limit(limit: usize) -> FuncMap {
        let mut funcs = FuncMap::new();
        funcs.add(
            "include",
            Signature::new([Param::String, Param::Any]),
            move |ctx, a| {
                let name = a[0].as_str().unwrap_or_default().to_string();
                let depth = *ctx
                    .extensions()
                    .get_or_default::<HashMap<String, usize>>()
                    .entry(name.clone())
                    .or_default();
                if depth > limit {
                    return Err(FuncError::new(format!(
                        "rendering template has a nested reference name: {name}"
                    )));
                }
                *ctx.extensions()
                    .get_or_default::<HashMap<String, usize>>()
                    .entry(name.clone())
                    .or_default() += 1;
                let out = ctx.execute_template(&name, &a[1]);
                *ctx.extensions()
                    .get_or_default::<HashMap<String, usize>>()
                    .entry(name)
                    .or_default() -= 1;
                out.map(Value::from).map_err(FuncError::from_cause)
            },
        );
        funcs.add(
            "tpl",
            Signature::new([Param::String, Param::Any]),
            |ctx, a| {
                let text = a[0].as_str().unwrap_or_default().to_string();
                ctx.execute_text("gotpl", &text, &a[1])
                    .map(Value::from)
                    .map_err(FuncError::from_cause)
            },
        );
        funcs.add("len", Signature::new([Param::Any]), |_, _| {
            Ok(Value::Int(42))
        });
        funcs
    }

    fn set() -> Templates {
        Templates::with_funcs("gotpl", Arc::new(include_with_limit(20)))
    }

    #[test]
    fn sets_and_errors_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Templates>();
        send_sync::<crate::template::Error>();
        send_sync::<FuncMap>();
    }

    #[test]
    fn functions_shadow_builtins() {
        let mut s = set();
        s.parse("t", "{{ len \"abc\" }}").unwrap();
        assert_eq!(s.execute("t", &Value::Nil).unwrap(), "42");
    }

    #[test]
    fn recursive_include_stops_at_the_limit() {
        let mut s = set();
        s.parse(
            "t",
            "{{ define \"r\" }}x{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}",
        )
        .unwrap();
        let err = s.execute("t", &Value::Nil).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "error calling include: rendering template has a nested reference name: r"
            ),
            "{err}"
        );
    }

    #[test]
    fn deep_include_recursion_does_not_overflow_the_stack() {
        let mut s = Templates::with_funcs("gotpl", Arc::new(include_with_limit(1000)));
        s.parse("t", "{{ define \"r\" }}{{ if . }}{{ include \"r\" . }}{{ end }}{{ end }}{{ include \"r\" 1 }}").unwrap();
        let err = s.execute("t", &Value::Nil).unwrap_err().to_string();
        assert!(
            err.ends_with("nested reference name: r"),
            "{}",
            &err[err.len().saturating_sub(200)..]
        );
    }

    #[test]
    fn tpl_definitions_stay_in_their_layer() {
        let mut s = set();
        s.parse("t", "{{ tpl \"{{ define \\\"q\\\" }}Q{{ end }}{{ include \\\"q\\\" . }}\" . }}|{{ include \"q\" . }}")
            .unwrap();
        let err = s.execute("t", &Value::Nil).unwrap_err().to_string();
        assert!(
            err.ends_with("template: no template \"q\" associated with template \"gotpl\""),
            "{err}"
        );
        let mut layer = s.layered();
        layer
            .parse("u", "{{ define \"q\" }}layer{{ end }}")
            .unwrap();
        assert!(layer.lookup("q").is_some());
        assert!(s.lookup("q").is_none());
    }

    #[test]
    fn empty_text_does_not_replace_a_definition() {
        let mut s = set();
        s.parse("a", "{{ define \"x\" }}1{{ end }}").unwrap();
        s.parse("x", "  \n").unwrap();
        assert_eq!(s.execute("x", &Value::Nil).unwrap(), "1");
        assert_eq!(s.names(), vec!["a".to_string(), "x".to_string()]);
    }

    #[test]
    fn custom_delimiters() {
        let mut s = set();
        s.options_mut().delims = ("[[".into(), "]]".into());
        s.parse("t", "[[ .a ]] {{ .a }} [[- \" x\" ]]").unwrap();
        let data = Value::dict([("a".to_string(), Value::from("v"))]);
        assert_eq!(s.execute("t", &data).unwrap(), "v {{ .a }} x");
    }
}
