//! Lists with a merge strategy, element by element, exactly as kyaml's associative
//! sequence walk does it, quirks included: patch elements come first, an element
//! without its merge key is matched loosely, and a `$patch: replace` on one element
//! is undone when the original element is put back.

use super::{Cx, DIRECTIVE, Directive, Out, SmpError, parse_directive, present};
use crate::patch::schema::Schema;
use crate::yaml::{Content, Node};

/// kyaml's `determineSequenceNodePatchStrategy`: an element `{$patch: x}` alone.
fn list_directive(patch: &mut Node) -> Result<Directive, SmpError> {
    let found = patch
        .items()
        .iter()
        .find(|e| e.is_mapping() && e.get(DIRECTIVE).is_some());
    let Some(elem) = found else {
        return Ok(Directive::Merge);
    };
    if elem.entries().len() > 1 {
        return Ok(Directive::Merge);
    }
    let value = elem
        .get(DIRECTIVE)
        .and_then(Node::scalar)
        .unwrap_or_default()
        .to_string();
    let d = parse_directive(&value)?;
    if let Content::Sequence(items) = &mut patch.content {
        let keys = [DIRECTIVE.to_string()];
        element_setter(items, None, &keys, std::slice::from_ref(&value));
    }
    Ok(d)
}

fn is_empty_map(n: &Node) -> bool {
    n.is_null() || (n.is_mapping() && n.entries().is_empty())
}

fn text(n: &Node) -> &str {
    n.scalar().unwrap_or_default()
}

/// kyaml's `FieldMatcher{Name, StringValue}`: the field exists and, unless `value` is
/// empty, has that text; with no name, a scalar with that text.
fn loose_match(elem: &Node, name: &str, value: &str) -> bool {
    if elem.is_null() {
        return false;
    }
    if name.is_empty() {
        return elem.scalar() == Some(value);
    }
    elem.entries()
        .iter()
        .find(|(k, _)| k.scalar() == Some(name))
        .is_some_and(|(_, v)| value.is_empty() || text(v) == value)
}

/// kyaml's `ElementSetter`: replaces (or with `None` removes) the elements matching
/// the keys, appending when none matched; null and empty elements are dropped.
fn element_setter(list: &mut Vec<Node>, element: Option<Node>, keys: &[String], values: &[String]) {
    let mapping_setter = keys.first().is_some_and(|k| !k.is_empty())
        && values.first().is_some_and(|v| !v.is_empty());
    let mut found_any = false;
    let mut out = Vec::with_capacity(list.len() + 1);
    for elem in list.drain(..) {
        if is_empty_map(&elem) {
            continue;
        }
        if !elem.is_mapping() && mapping_setter {
            out.push(elem);
            continue;
        }
        // kyaml keeps the last comparison when there are fewer values than keys.
        let mut last: Option<bool> = None;
        let mut found = true;
        for (j, k) in keys.iter().enumerate() {
            if let Some(v) = values.get(j) {
                last = Some(loose_match(&elem, k, v));
            }
            if last != Some(true) {
                found = false;
                break;
            }
        }
        if !found {
            if !values.is_empty() {
                out.push(elem);
            }
            continue;
        }
        found_any = true;
        if let Some(e) = &element {
            out.push(e.clone());
        }
    }
    *list = out;
    if let Some(e) = element.filter(|e| !e.is_null())
        && !found_any
    {
        list.push(e);
    }
}

/// kyaml's `ElementList`: the first element whose keys have exactly these texts.
fn element_list(list: &[Node], keys: &[String], values: &[String]) -> Option<usize> {
    if keys.first().is_none_or(|k| k.is_empty()) {
        let v = values.first().map_or("", String::as_str);
        return list.iter().position(|e| text(e) == v);
    }
    list.iter().position(|e| {
        e.is_mapping()
            && keys.iter().zip(values).all(|(k, v)| {
                e.entries()
                    .iter()
                    .find(|(key, _)| key.scalar() == Some(k))
                    .is_some_and(|(_, f)| text(f) == v)
            })
    })
}

/// kyaml's `appendListNode`.
fn append_list_node(dst: &mut Vec<Node>, src: &[Node], keys: &[String]) {
    for elem in src {
        if keys.first().is_none_or(|k| k.is_empty()) {
            let v = text(elem).to_string();
            element_setter(dst, Some(elem.clone()), &[String::new()], &[v]);
            continue;
        }
        let mut values = Vec::new();
        for key in keys {
            match elem.get(key) {
                Some(v) => values.push(text(v).to_string()),
                None => dst.push(elem.clone()),
            }
        }
        if keys.len() > 1 {
            element_setter(dst, None, keys, &values);
        }
        element_setter(dst, Some(elem.clone()), keys, &values);
    }
}

/// The value of each merge key in an element ("" when missing or empty).
fn key_values(elem: &Node, keys: &[String]) -> Vec<String> {
    keys.iter()
        .map(|k| match elem.get(k) {
            Some(v) if !v.is_null_or_empty() => text(v).to_string(),
            _ => String::new(),
        })
        .collect()
}

/// kyaml's `validateKeys`: the keys some element has a value for (all when none has).
fn valid_keys(
    all: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let used: Vec<bool> = (0..keys.len())
        .map(|i| all.iter().any(|v| v.get(i).is_some_and(|s| !s.is_empty())))
        .collect();
    if !used.contains(&true) {
        return (keys.to_vec(), values.to_vec());
    }
    let k = keys
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .map(|(k, _)| k.clone())
        .collect();
    let v = values
        .iter()
        .zip(&used)
        .filter(|(v, u)| **u || !v.is_empty())
        .map(|(v, _)| v.clone())
        .collect();
    (k, v)
}

/// kyaml's `mergeValues` for several keys: tuples that agree where both have a value
/// are completed from each other.
fn merge_values(list: &mut [Vec<String>]) {
    for i in 0..list.len() {
        let v1 = list[i].clone();
        for j in 0..list.len() {
            if let Some(m) = match_values(&v1, &list[j]) {
                list[i] = m.clone();
                list[j] = m;
            }
        }
    }
}

fn match_values(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            out.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if !x.is_empty() {
            out.push(x.clone());
        } else {
            out.push(y.clone());
        }
    }
    common.then_some(out)
}

fn is_replace(n: Option<&Node>) -> bool {
    n.and_then(|n| n.get_str(&[DIRECTIVE]))
        .is_some_and(|d| d == "replace")
}

impl Cx<'_> {
    /// kyaml's `walkAssociativeSequence` with merge2's `VisitList`.
    pub(super) fn walk_list(
        &self,
        dest: Option<Node>,
        mut origin: Option<Node>,
        schema: Option<&Schema>,
        keys: &[String],
        same: bool,
    ) -> Result<Out, SmpError> {
        // `aliased`: kyaml continues with the patch list itself as the destination.
        let (base, aliased) = if present(&dest).is_none() {
            match &origin {
                Some(o) => (o.clone(), true),
                None => return Ok(Out::Clear),
            }
        } else if origin.as_ref().is_some_and(Node::is_null) {
            return Ok(Out::Clear);
        } else {
            let d = match origin.as_mut() {
                Some(o) => list_directive(o)?,
                None => Directive::Merge,
            };
            match (d, &origin) {
                (Directive::Delete, _) => return Ok(Out::Clear),
                (Directive::Replace, Some(o)) => (o.clone(), true),
                (Directive::Merge, Some(o)) if same => (o.clone(), true),
                _ => (dest.unwrap_or_else(Node::sequence), false),
            }
        };
        let mut dest_items = base.items().to_vec();
        let origin_items = match (&origin, aliased) {
            (Some(o), false) => Some(o.items().to_vec()),
            _ => None,
        };
        let (values, keys) = if keys.is_empty() {
            (
                scalar_values(&dest_items, origin_items.as_deref()),
                vec![String::new()],
            )
        } else {
            (
                keyed_values(&dest_items, origin_items.as_deref(), keys),
                keys.to_vec(),
            )
        };
        let elem_schema = schema.and_then(Schema::elements);
        let walk = ListWalk {
            origin: origin_items.as_deref(),
            keys: &keys,
            schema: elem_schema,
            same: same || aliased,
        };
        let items = self.set_elements(&walk, values, &mut dest_items)?;
        let mut out = base;
        out.content = Content::Sequence(items);
        Ok(Out::Set(out))
    }
}

/// kyaml's `elementValues`: the key texts of every element, patch first, once each.
fn keyed_values(dest: &[Node], origin: Option<&[Node]>, keys: &[String]) -> Vec<Vec<String>> {
    let mut values: Vec<Vec<String>> = Vec::new();
    for e in origin.unwrap_or_default().iter().chain(dest) {
        let v = key_values(e, keys);
        if !v.is_empty() && !values.contains(&v) {
            values.push(v);
        }
    }
    values
}

/// kyaml's `elementPrimitiveValues`.
fn scalar_values(dest: &[Node], origin: Option<&[Node]>) -> Vec<Vec<String>> {
    let mut values: Vec<Vec<String>> = Vec::new();
    for e in origin.unwrap_or_default().iter().chain(dest) {
        let v = vec![text(e).to_string()];
        if !values.contains(&v) {
            values.push(v);
        }
    }
    values
}

/// One list being merged: the patch's elements (`None` when the patch list is the
/// destination itself), the keys, the elements' schema.
struct ListWalk<'a> {
    origin: Option<&'a [Node]>,
    keys: &'a [String],
    schema: Option<Schema>,
    same: bool,
}

impl Cx<'_> {
    /// kyaml's `setAssociativeSequenceElements`.
    fn set_elements(
        &self,
        w: &ListWalk<'_>,
        mut values: Vec<Vec<String>>,
        dest: &mut Vec<Node>,
    ) -> Result<Vec<Node>, SmpError> {
        if w.keys.len() > 1 {
            merge_values(&mut values);
        }
        let mut items: Vec<Node> = Vec::new();
        let mut last_keys: Vec<String> = Vec::new();
        for v in values.iter().filter(|v| !v.is_empty()) {
            let (vk, vv) = valid_keys(&values, v, w.keys);
            last_keys.clone_from(&vk);
            let (lk, lv) = valid_keys(std::slice::from_ref(&vv), &vv, &vk);
            let d = element_list(dest, &lk, &lv);
            let o = match w.origin {
                Some(list) => element_list(list, &lk, &lv).map(|i| list[i].clone()),
                None => d.map(|i| dest[i].clone()),
            };
            let write_back = d.filter(|_| w.origin.is_none() || !is_replace(o.as_ref()));
            let val = self
                .walk(d.map(|i| dest[i].clone()), o, w.schema.clone(), w.same)?
                .node();
            let Some(mut val) = val.filter(|n| !is_empty_map(n)) else {
                element_setter(dest, None, &vk, &vv);
                continue;
            };
            for (k, value) in vk.iter().zip(&vv) {
                if !k.is_empty() && !value.is_empty() && val.get(k).is_none() {
                    val.set(k, Node::plain(value.clone()));
                }
            }
            if let Some(i) = write_back {
                dest[i] = val.clone();
            }
            element_setter(&mut items, Some(val), &vk, &vv);
        }
        if values.is_empty() {
            return Ok(std::mem::take(dest));
        }
        append_list_node(&mut items, dest, &last_keys);
        Ok(items)
    }
}
