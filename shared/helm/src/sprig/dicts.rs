//! Sprig's dict functions: dict, get, set, unset, hasKey, pluck, dig, merge, mergeOverwrite
//! (mergo's deep merge, mutating the first dict), keys, values, pick, omit, deepCopy.

use super::strings::s;
use super::{err, is_empty, string_list, strval};
use crate::template::{Dict, FuncError, FuncMap, List, Param, Signature, Value};

fn dict_arg(a: &[Value], i: usize) -> Dict {
    match a.get(i).map(Value::deref_object) {
        Some(Value::Dict(d)) => d,
        _ => Dict::new(),
    }
}

/// mergo's `Merge` (overwrite false) and `MergeWithOverwrite` on `map[string]interface{}`.
fn merge_into(dst: &Dict, src: &Dict, overwrite: bool) {
    for (k, sv) in src.snapshot() {
        if sv.is_nil() {
            if overwrite {
                dst.insert(k, Value::Nil);
            }
            continue;
        }
        let dv = dst.get(&k);
        let dst_empty = dv.as_ref().is_none_or(is_empty);
        match (&sv, &dv) {
            (Value::Dict(sd), Some(Value::Dict(dd))) => {
                merge_into(dd, sd, overwrite);
                if !dst_empty {
                    continue;
                }
            }
            (Value::List(_), _) if !dst_empty && !overwrite => continue,
            _ => {}
        }
        if overwrite || dst_empty {
            dst.insert(k, sv);
        }
    }
}

/// copystructure's deep copy of lists and maps.
pub(crate) fn deep_copy(v: &Value) -> Value {
    match v {
        Value::List(l) => Value::List(List::typed(
            l.elem_type(),
            l.snapshot().iter().map(deep_copy).collect(),
        )),
        Value::Dict(d) => {
            let out = Dict::typed(d.elem_type(), Default::default());
            for (k, x) in d.snapshot() {
                out.insert(k, deep_copy(&x));
            }
            Value::Dict(out)
        }
        other => other.clone(),
    }
}

/// Go's assertion `v.(map[string]interface{})`: only that exact type passes (Helm's
/// `common.Values` does not).
fn plain_map(v: &Value) -> Result<Dict, FuncError> {
    match v {
        Value::Dict(d) if d.type_name() == "map[string]interface {}" => Ok(d.clone()),
        other => {
            let ty = match other {
                Value::Nil => "nil".into(),
                _ => other.type_name(),
            };
            Err(err(format!(
                "interface conversion: interface {{}} is {ty}, not map[string]interface {{}}"
            )))
        }
    }
}

fn dig(a: &[Value]) -> Result<Value, FuncError> {
    if a.len() < 3 {
        return Err(err("dig needs at least three arguments"));
    }
    let mut d = plain_map(&a[a.len() - 1])?;
    let default = a[a.len() - 2].clone();
    let keys = &a[..a.len() - 2];
    for k in keys {
        if k.as_str().is_none() {
            return Err(err(format!(
                "interface conversion: interface {{}} is {}, not string",
                k.type_name()
            )));
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let key = k.as_str().unwrap_or_default();
        let Some(step) = d.get(key) else {
            return Ok(default);
        };
        if i + 1 == keys.len() {
            return Ok(step);
        }
        d = plain_map(&step)?;
    }
    Ok(default)
}

fn register_access(map: &mut FuncMap) {
    map.add("dict", Signature::new([]).variadic(Param::Any), |_, a| {
        let d = Dict::new();
        for pair in a.chunks(2) {
            let v = pair.get(1).cloned().unwrap_or_else(|| Value::from(""));
            d.insert(strval(&pair[0]), v);
        }
        Ok(Value::Dict(d))
    });
    map.add(
        "get",
        Signature::new([Param::Dict, Param::String]).returns_interface(),
        |_, a| {
            Ok(dict_arg(a, 0)
                .get(s(a, 1))
                .unwrap_or_else(|| Value::from("")))
        },
    );
    map.add(
        "set",
        Signature::new([Param::Dict, Param::String, Param::Any]),
        |_, a| {
            let d = dict_arg(a, 0);
            d.insert(s(a, 1), a.get(2).cloned().unwrap_or_default());
            Ok(Value::Dict(d))
        },
    );
    map.add(
        "unset",
        Signature::new([Param::Dict, Param::String]),
        |_, a| {
            let d = dict_arg(a, 0);
            d.remove(s(a, 1));
            Ok(Value::Dict(d))
        },
    );
    map.add(
        "hasKey",
        Signature::new([Param::Dict, Param::String]),
        |_, a| Ok(Value::Bool(dict_arg(a, 0).contains_key(s(a, 1)))),
    );
    map.add(
        "pluck",
        Signature::new([Param::String]).variadic(Param::Dict),
        |_, a| {
            let found = (1..a.len())
                .filter_map(|i| dict_arg(a, i).get(s(a, 0)))
                .collect();
            Ok(Value::list(found))
        },
    );
    map.add("keys", Signature::new([]).variadic(Param::Dict), |_, a| {
        let keys = (0..a.len()).flat_map(|i| dict_arg(a, i).snapshot().into_iter().map(|(k, _)| k));
        Ok(string_list(keys.collect::<Vec<_>>()))
    });
    map.add("values", Signature::new([Param::Dict]), |_, a| {
        Ok(Value::list(
            dict_arg(a, 0)
                .snapshot()
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
        ))
    });
    for (name, keep) in [("pick", true), ("omit", false)] {
        map.add(
            name,
            Signature::new([Param::Dict]).variadic(Param::String),
            move |_, a| {
                let wanted: Vec<&str> = (1..a.len()).map(|i| s(a, i)).collect();
                let out = Dict::new();
                for (k, v) in dict_arg(a, 0).snapshot() {
                    if wanted.contains(&k.as_str()) == keep {
                        out.insert(k, v);
                    }
                }
                Ok(Value::Dict(out))
            },
        );
    }
    map.add(
        "dig",
        Signature::new([]).variadic(Param::Any).returns_interface(),
        |_, a| dig(a),
    );
}

fn register_merge(map: &mut FuncMap) {
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        let sig = Signature::new([Param::Dict])
            .variadic(Param::Dict)
            .returns_interface();
        map.add(name, sig, move |_, a| {
            let dst = dict_arg(a, 0);
            for i in 1..a.len() {
                merge_into(&dst, &dict_arg(a, i), overwrite);
            }
            Ok(Value::Dict(dst))
        });
    }
    for name in ["deepCopy", "mustDeepCopy"] {
        map.add(
            name,
            Signature::new([Param::Any]).returns_interface(),
            |_, a| Ok(deep_copy(a.first().unwrap_or(&Value::Nil))),
        );
    }
}

pub(super) fn register(map: &mut FuncMap) {
    register_access(map);
    register_merge(map);
}
