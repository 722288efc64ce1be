//! Sprig's list functions: list/tuple, first, rest, last, initial, append/push, prepend,
//! concat, reverse, uniq, without, has, compact, slice, chunk and their must* forms. Each
//! takes any Go slice by reflection; the plain forms panic with the error the must* forms
//! return, so both read the same in a template error.

use super::conv::deep_equal;
use super::{err, is_empty, kind_name, list_items, to_int64};
use crate::template::{FuncError, FuncMap, List, Param, Signature, Value};

type ListFn = fn(&[Value]) -> Result<Value, FuncError>;

/// The list argument at `i`, or Sprig's `Cannot <what> type <kind>` error.
fn items(a: &[Value], i: usize, what: &str) -> Result<Vec<Value>, FuncError> {
    let v = a.get(i).cloned().unwrap_or_default();
    list_items(&v).ok_or_else(|| err(format!("Cannot {what} type {}", kind_name(&v))))
}

fn both(map: &mut FuncMap, names: &[&str], sig: Signature, f: ListFn) {
    for name in names {
        let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
        map.add(name, sig.clone(), move |_, a| f(a));
        map.add(&must, sig.clone(), move |_, a| f(a));
    }
}

fn any_list(items: Vec<Value>) -> Value {
    Value::list(items)
}

fn register_ends(map: &mut FuncMap) {
    let one = || Signature::new([Param::Any]);
    both(map, &["first"], one().returns_interface(), |a| {
        Ok(items(a, 0, "find first on")?
            .first()
            .cloned()
            .unwrap_or_default())
    });
    both(map, &["last"], one().returns_interface(), |a| {
        Ok(items(a, 0, "find last on")?
            .last()
            .cloned()
            .unwrap_or_default())
    });
    both(map, &["rest"], one(), |a| {
        let l = items(a, 0, "find rest on")?;
        Ok(any_list(l.into_iter().skip(1).collect()))
    });
    both(map, &["initial"], one(), |a| {
        let mut l = items(a, 0, "find initial on")?;
        l.pop();
        Ok(any_list(l))
    });
    both(map, &["reverse"], one(), |a| {
        let mut l = items(a, 0, "find reverse on")?;
        l.reverse();
        Ok(any_list(l))
    });
    both(map, &["compact"], one(), |a| {
        let l = items(a, 0, "compact on")?;
        Ok(any_list(l.into_iter().filter(|v| !is_empty(v)).collect()))
    });
    both(map, &["uniq"], one(), |a| {
        let mut out: Vec<Value> = Vec::new();
        for v in items(a, 0, "find uniq on")? {
            if !out.iter().any(|x| deep_equal(x, &v)) {
                out.push(v);
            }
        }
        Ok(any_list(out))
    });
}

fn register_build(map: &mut FuncMap) {
    for name in ["list", "tuple"] {
        map.add(name, Signature::new([]).variadic(Param::Any), |_, a| {
            Ok(any_list(a.to_vec()))
        });
    }
    let two = || Signature::new([Param::Any, Param::Any]);
    both(map, &["append", "push"], two(), |a| {
        let mut l = items(a, 0, "push on")?;
        l.push(a.get(1).cloned().unwrap_or_default());
        Ok(any_list(l))
    });
    both(map, &["prepend"], two(), |a| {
        let mut l = items(a, 0, "prepend onto")?;
        l.insert(0, a.get(1).cloned().unwrap_or_default());
        Ok(any_list(l))
    });
    both(
        map,
        &["without"],
        Signature::new([Param::Any]).variadic(Param::Any),
        |a| {
            let l = items(a, 0, "find without on")?;
            let omit = &a[1.min(a.len())..];
            Ok(any_list(
                l.into_iter()
                    .filter(|v| !omit.iter().any(|o| deep_equal(o, v)))
                    .collect(),
            ))
        },
    );
    both(map, &["has"], two(), |a| {
        let hay = a.get(1).cloned().unwrap_or_default();
        if hay.is_nil() {
            return Ok(Value::Bool(false));
        }
        let needle = a.first().cloned().unwrap_or_default();
        Ok(Value::Bool(
            items(a, 1, "find has on")?
                .iter()
                .any(|v| deep_equal(v, &needle)),
        ))
    });
    both(
        map,
        &["chunk"],
        Signature::new([Param::Int, Param::Any]),
        |a| {
            let size = match a.first() {
                Some(Value::Int(n)) => *n,
                _ => 0,
            };
            let l = items(a, 1, "chunk")?;
            if size <= 0 {
                return Err(err("runtime error: integer divide by zero"));
            }
            Ok(any_list(
                l.chunks(size as usize)
                    .map(|c| any_list(c.to_vec()))
                    .collect(),
            ))
        },
    );
}

fn register_slicing(map: &mut FuncMap) {
    map.add("concat", Signature::new([]).variadic(Param::Any), |_, a| {
        let mut out = Vec::new();
        for v in a {
            match list_items(v) {
                Some(l) => out.extend(l),
                None => return Err(err(format!("Cannot concat type {} as list", kind_name(v)))),
            }
        }
        Ok(any_list(out))
    });
    both(
        map,
        &["slice"],
        Signature::new([Param::Any])
            .variadic(Param::Any)
            .returns_interface(),
        |a| {
            let v = a.first().cloned().unwrap_or_default();
            let Value::List(l) = v.deref_object() else {
                return Err(err(format!(
                    "list should be type of slice or array but {}",
                    kind_name(&v)
                )));
            };
            let len = l.len() as i64;
            if len == 0 {
                return Ok(Value::Nil);
            }
            let start = a.get(1).map_or(0, to_int64);
            let end = a.get(2).map_or(len, to_int64);
            if end < 0 || end > len {
                return Err(err("reflect: slice index out of range"));
            }
            if start < 0 || start > end {
                return Err(err("reflect.Value.Slice: slice index out of bounds"));
            }
            let items = l.borrow()[start as usize..end as usize].to_vec();
            Ok(Value::List(List::typed(l.elem_type(), items)))
        },
    );
}

pub(super) fn register(map: &mut FuncMap) {
    register_ends(map);
    register_build(map);
    register_slicing(map);
}
