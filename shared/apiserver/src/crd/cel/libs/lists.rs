//! Kubernetes' lists library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`
//! on lists) and cel-go's sets extension (`sets.contains`, `sets.equivalent`,
//! `sets.intersects`), with their error texts.

use std::cmp::Ordering;

use cel::common::types::{CelBool, CelInt, DYN_TYPE, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};

use super::{elements, fail};

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_member_overload(
        "isSorted",
        "list_is_sorted_bool",
        LIST_TYPE,
        vec![],
        is_sorted,
    )?;
    env.add_member_overload("sum", "list_sum", LIST_TYPE, vec![], sum)?;
    env.add_member_overload("min", "list_min", LIST_TYPE, vec![], min)?;
    env.add_member_overload("max", "list_max", LIST_TYPE, vec![], max)?;
    let list_dyn = vec![DYN_TYPE];
    env.add_member_overload(
        "indexOf",
        "list_a_index_of_int",
        LIST_TYPE,
        vec![DYN_TYPE],
        index_of,
    )?;
    env.add_member_overload(
        "lastIndexOf",
        "list_a_last_index_of_int",
        LIST_TYPE,
        list_dyn,
        last_index_of,
    )?;
    let two_lists = vec![LIST_TYPE, LIST_TYPE];
    env.add_overload(
        "sets.contains",
        "list_sets_contains_list",
        vec![LIST_TYPE, LIST_TYPE],
        contains,
    )?;
    env.add_overload(
        "sets.equivalent",
        "list_sets_equivalent_list",
        vec![LIST_TYPE, LIST_TYPE],
        equivalent,
    )?;
    env.add_overload(
        "sets.intersects",
        "list_sets_intersects_list",
        two_lists,
        intersects,
    )?;
    Ok(())
}

type Args<'b, 'v> = Vec<CowVal<'b, 'v>>;
type Out<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

fn compare(function: &str, a: &dyn Val, b: &dyn Val) -> Result<Ordering, ExecutionError> {
    let no = || {
        ExecutionError::no_such_overload(
            function,
            vec![
                a.get_type().name().to_string(),
                b.get_type().name().to_string(),
            ],
        )
    };
    a.as_comparer().ok_or_else(no)?.compare(b).map_err(|_| no())
}

fn is_sorted<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    let items = elements("isSorted", args[0].as_ref())?;
    for w in items.windows(2) {
        if compare("isSorted", w[0], w[1])? == Ordering::Greater {
            return Ok(CowVal::owned(CelBool::from(false)));
        }
    }
    Ok(CowVal::owned(CelBool::from(true)))
}

fn sum<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    let items = elements("sum", args[0].as_ref())?;
    let mut acc: Option<Box<dyn Val + 'v>> = None;
    for item in items {
        acc = Some(match acc {
            None => item.clone_as_boxed(),
            Some(total) => {
                let adder = total.as_adder().ok_or_else(|| {
                    ExecutionError::no_such_overload(
                        "sum",
                        vec![total.get_type().name().to_string()],
                    )
                })?;
                adder.add(item)?.into_owned()
            }
        });
    }
    // An empty list sums to the zero of its element type; untyped here, so `int`.
    Ok(match acc {
        Some(total) => CowVal::Owned(total),
        None => CowVal::owned(CelInt::from(0)),
    })
}

fn extreme<'b, 'v>(function: &str, args: Args<'b, 'v>, keep: Ordering) -> Out<'b, 'v> {
    let items = elements(function, args[0].as_ref())?;
    let mut best: Option<&(dyn Val + 'v)> = None;
    for item in items {
        best = match best {
            Some(b) if compare(function, b, item)? != keep => Some(b),
            _ => Some(item),
        };
    }
    best.map(|b| CowVal::Owned(b.clone_as_boxed()))
        .ok_or_else(|| fail(function, format!("{function} called on empty list")))
}

fn min<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    extreme("min", args, Ordering::Greater)
}

fn max<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    extreme("max", args, Ordering::Less)
}

fn position<'b, 'v>(function: &str, args: Args<'b, 'v>, last: bool) -> Out<'b, 'v> {
    let items = elements(function, args[0].as_ref())?;
    let wanted = args[1].as_ref();
    let found = if last {
        items.iter().rposition(|v| v.equals(wanted))
    } else {
        items.iter().position(|v| v.equals(wanted))
    };
    Ok(CowVal::owned(CelInt::from(found.map_or(-1, |i| i as i64))))
}

fn index_of<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    position("indexOf", args, false)
}

fn last_index_of<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    position("lastIndexOf", args, true)
}

/// Whether every element of `sub` equals some element of `set`.
fn includes(function: &str, set: &dyn Val, sub: &dyn Val) -> Result<bool, ExecutionError> {
    let set = elements(function, set)?;
    Ok(elements(function, sub)?
        .iter()
        .all(|e| set.iter().any(|s| s.equals(*e))))
}

fn contains<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    let r = includes("sets.contains", args[0].as_ref(), args[1].as_ref())?;
    Ok(CowVal::owned(CelBool::from(r)))
}

fn equivalent<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    let (a, b) = (args[0].as_ref(), args[1].as_ref());
    let r = includes("sets.equivalent", a, b)? && includes("sets.equivalent", b, a)?;
    Ok(CowVal::owned(CelBool::from(r)))
}

fn intersects<'b, 'v>(args: Args<'b, 'v>) -> Out<'b, 'v> {
    let a = elements("sets.intersects", args[0].as_ref())?;
    let b = elements("sets.intersects", args[1].as_ref())?;
    let r = a.iter().any(|x| b.iter().any(|y| x.equals(*y)));
    Ok(CowVal::owned(CelBool::from(r)))
}
