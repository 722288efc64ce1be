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
            max_output: None,
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
