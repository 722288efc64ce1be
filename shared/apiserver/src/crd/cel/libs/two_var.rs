//! cel-go's two-variable comprehensions (on in kube-apiserver since 1.32):
//! `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`, `transformList(i, v, [f,] e)`,
//! `transformMap(k, v, [f,] e)`, `transformMapEntry(k, v, [f,] e)` over lists (index,
//! value) and maps (key, value).
//!
//! The interpreter knows one-variable comprehensions only, so each expands to one over
//! `@k8s_pairs(target)` (a list of `[index or key, value]`), binding the two names to the
//! pair's halves with the comprehension cel-go's `cel.bind` expands to.

use std::collections::HashMap;

use cel::common::ast::{
    CallExpr, ComprehensionExpr, Expr, IdedExpr, ListExpr, LiteralValue, operators,
};
use cel::common::types::{CelInt, CelList, CelMap, CelMapKey, DYN_TYPE, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::parser::{Macro, MacroExprHelper};
use cel::{DeclarationError, Env, ExecutionError, ParseError};

use super::{elements, fail};

const PAIRS: &str = "@k8s_pairs";
const TO_MAP: &str = "@k8s_pairs_to_map";
const MERGE: &str = "@k8s_merge_maps";
const IT: &str = "@it";
const RESULT: &str = "@result";

#[derive(Clone, Copy)]
enum Kind {
    All,
    Exists,
    ExistsOne,
    List,
    Map,
    MapEntry,
}

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload(PAIRS, "k8s_pairs_dyn", vec![DYN_TYPE], pairs)?;
    env.add_overload(TO_MAP, "k8s_pairs_to_map_list", vec![LIST_TYPE], to_map)?;
    env.add_overload(MERGE, "k8s_merge_maps_list", vec![LIST_TYPE], merge)?;
    for (name, kind, filtered) in [
        ("all", Kind::All, false),
        ("exists", Kind::Exists, false),
        ("existsOne", Kind::ExistsOne, false),
        ("transformList", Kind::List, false),
        ("transformList", Kind::List, true),
        ("transformMap", Kind::Map, false),
        ("transformMap", Kind::Map, true),
        ("transformMapEntry", Kind::MapEntry, false),
        ("transformMapEntry", Kind::MapEntry, true),
    ] {
        let argc = if filtered { 4 } else { 3 };
        env.add_macro(Macro::receiver(name, argc, move |h, target, args| {
            expand(h, target, args, kind).map(Some)
        }))?;
    }
    Ok(())
}

struct Builder<'h, 'a>(&'h mut MacroExprHelper<'a>);

impl Builder<'_, '_> {
    fn node(&mut self, e: Expr) -> IdedExpr {
        self.0.next_expr(e)
    }
    fn ident(&mut self, name: &str) -> IdedExpr {
        self.node(Expr::Ident(name.to_string()))
    }
    fn call(&mut self, f: &str, args: Vec<IdedExpr>) -> IdedExpr {
        self.node(Expr::Call(CallExpr {
            func_name: f.to_string(),
            target: None,
            args,
        }))
    }
    fn literal(&mut self, l: LiteralValue) -> IdedExpr {
        self.node(Expr::Literal(l))
    }
    fn int(&mut self, i: i64) -> IdedExpr {
        self.literal(LiteralValue::Int(CelInt::from(i)))
    }
    fn list(&mut self, items: Vec<IdedExpr>) -> IdedExpr {
        self.node(Expr::List(ListExpr::new(items)))
    }
    /// `@it[i]`: one half of the current pair.
    fn half(&mut self, i: i64) -> IdedExpr {
        let it = self.ident(IT);
        let idx = self.int(i);
        self.call(operators::INDEX, vec![it, idx])
    }
    /// `body` with `name` bound to `value`, as `cel.bind` expands.
    fn bind(&mut self, name: &str, value: IdedExpr, body: IdedExpr) -> IdedExpr {
        let range = self.list(vec![]);
        let cond = self.literal(LiteralValue::Boolean(false.into()));
        let step = self.ident(name);
        self.node(Expr::Comprehension(Box::new(ComprehensionExpr {
            iter_range: range,
            iter_var: "#unused".into(),
            iter_var2: None,
            accu_var: name.to_string(),
            accu_init: value,
            loop_cond: cond,
            loop_step: step,
            result: body,
        })))
    }
    /// `body` with both names bound to the current pair.
    fn both(&mut self, names: &(String, String), body: IdedExpr) -> IdedExpr {
        let second = self.half(1);
        let inner = self.bind(&names.1, second, body);
        let first = self.half(0);
        self.bind(&names.0, first, inner)
    }
}

fn name(h: &mut MacroExprHelper<'_>, e: &IdedExpr) -> Result<String, ParseError> {
    match &e.expr {
        Expr::Ident(n) => Ok(n.clone()),
        _ => Err(h.new_error(e.id, "argument must be a simple name")),
    }
}

fn expand(
    h: &mut MacroExprHelper<'_>,
    target: &mut Option<IdedExpr>,
    args: &mut Vec<IdedExpr>,
    kind: Kind,
) -> Result<IdedExpr, ParseError> {
    let names = (name(h, &args[0])?, name(h, &args[1])?);
    let mut rest: Vec<IdedExpr> = args.drain(2..).collect();
    let body = rest.pop().unwrap_or_default();
    let filter = rest.pop();
    let mut b = Builder(h);
    let range = b.call(PAIRS, vec![target.take().unwrap_or_default()]);
    let body = b.both(&names, body);
    let (init, cond, step, result) = match kind {
        Kind::All | Kind::Exists => quantifier(&mut b, matches!(kind, Kind::All), body),
        Kind::ExistsOne => exists_one(&mut b, body),
        Kind::List | Kind::Map | Kind::MapEntry => {
            let filter = filter.map(|f| b.both(&names, f));
            transform(&mut b, kind, body, filter)
        }
    };
    Ok(b.node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: range,
        iter_var: IT.into(),
        iter_var2: None,
        accu_var: RESULT.into(),
        accu_init: init,
        loop_cond: cond,
        loop_step: step,
        result,
    }))))
}

/// A comprehension's accumulator start, loop condition, step and result.
type Parts = (IdedExpr, IdedExpr, IdedExpr, IdedExpr);

fn quantifier(b: &mut Builder<'_, '_>, all: bool, body: IdedExpr) -> Parts {
    let init = b.literal(LiteralValue::Boolean(all.into()));
    let a = b.ident(RESULT);
    let a = if all {
        a
    } else {
        b.call(operators::LOGICAL_NOT, vec![a])
    };
    let cond = b.call(operators::NOT_STRICTLY_FALSE, vec![a]);
    let a = b.ident(RESULT);
    let op = if all {
        operators::LOGICAL_AND
    } else {
        operators::LOGICAL_OR
    };
    let step = b.call(op, vec![a, body]);
    let result = b.ident(RESULT);
    (init, cond, step, result)
}

fn exists_one(b: &mut Builder<'_, '_>, body: IdedExpr) -> Parts {
    let init = b.int(0);
    let cond = b.literal(LiteralValue::Boolean(true.into()));
    let (a, one) = (b.ident(RESULT), b.int(1));
    let plus = b.call(operators::ADD, vec![a, one]);
    let same = b.ident(RESULT);
    let step = b.call(operators::CONDITIONAL, vec![body, plus, same]);
    let (result, one) = (b.ident(RESULT), b.int(1));
    let result = b.call(operators::EQUALS, vec![result, one]);
    (init, cond, step, result)
}

fn transform(
    b: &mut Builder<'_, '_>,
    kind: Kind,
    body: IdedExpr,
    filter: Option<IdedExpr>,
) -> Parts {
    let init = b.list(vec![]);
    let cond = b.literal(LiteralValue::Boolean(true.into()));
    let item = if matches!(kind, Kind::Map) {
        let key = b.half(0);
        b.list(vec![key, body])
    } else {
        body
    };
    let (a, item) = (b.ident(RESULT), b.list(vec![item]));
    let mut step = b.call(operators::ADD, vec![a, item]);
    if let Some(f) = filter {
        let same = b.ident(RESULT);
        step = b.call(operators::CONDITIONAL, vec![f, step, same]);
    }
    let result = b.ident(RESULT);
    let result = match kind {
        Kind::Map => b.call(TO_MAP, vec![result]),
        Kind::MapEntry => b.call(MERGE, vec![result]),
        _ => result,
    };
    (init, cond, step, result)
}

type Out<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

fn pair<'v>(a: Box<dyn Val + 'v>, b: Box<dyn Val + 'v>) -> Box<dyn Val + 'v> {
    Box::new(CelList::from(vec![a, b]))
}

/// `[[index, value], ...]` of a list, `[[key, value], ...]` of a map.
fn pairs<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let target = args[0].as_ref();
    let out: Vec<Box<dyn Val + 'v>> = if let Some(map) = target.downcast_ref::<CelMap>() {
        map.inner()
            .iter()
            .map(|(k, v)| pair(k.inner().clone_as_boxed(), v.clone()))
            .collect()
    } else {
        elements("@k8s_pairs", target)?
            .into_iter()
            .enumerate()
            .map(|(i, v)| pair(Box::new(CelInt::from(i as i64)), v.clone_as_boxed()))
            .collect()
    };
    Ok(CowVal::owned(CelList::from(out)))
}

fn insert<'v>(
    map: &mut HashMap<CelMapKey<'v>, Box<dyn Val + 'v>>,
    k: &(dyn Val + 'v),
    v: &(dyn Val + 'v),
) -> Result<(), ExecutionError> {
    let key = CelMapKey::try_from(k.clone_as_boxed()).map_err(|_| {
        fail(
            TO_MAP,
            format!("unsupported key type: {}", k.get_type().name()),
        )
    })?;
    if map.contains_key(&key) {
        let shown = match &key {
            CelMapKey::Bool(b) => b.inner().to_string(),
            CelMapKey::Int(i) => i.inner().to_string(),
            CelMapKey::String(s) => s.inner().to_string(),
            CelMapKey::UInt(u) => u.inner().to_string(),
        };
        return Err(fail(
            TO_MAP,
            format!("insert failed: key {shown} already exists"),
        ));
    }
    map.insert(key, v.clone_as_boxed());
    Ok(())
}

fn to_map<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let mut map = HashMap::new();
    for p in elements(TO_MAP, args[0].as_ref())? {
        let kv = elements(TO_MAP, p)?;
        if let [k, v] = kv.as_slice() {
            insert(&mut map, *k, *v)?;
        }
    }
    Ok(CowVal::owned(CelMap::from(map)))
}

fn merge<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let mut map = HashMap::new();
    for m in elements(MERGE, args[0].as_ref())? {
        let entries = m
            .downcast_ref::<CelMap>()
            .ok_or_else(|| fail(MERGE, "transformMapEntry expression must produce a map"))?;
        for (k, v) in entries.inner() {
            insert(&mut map, k.inner(), v.as_ref())?;
        }
    }
    Ok(CowVal::owned(CelMap::from(map)))
}
