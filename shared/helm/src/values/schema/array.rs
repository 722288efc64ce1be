//! Array keywords: min/maxItems, uniqueItems, `items`/`additionalItems` before 2020-12 and
//! `prefixItems`/`items` from it, `contains` with min/maxContains (2019-09+). Like v6, items
//! after the prefix are reported at their index counted from the end of the prefix.

use serde_json::Value;

use super::error::Kind;
use super::resources::Draft;
use super::validate::{Vd, equals};

fn count(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_f64).map(|f| f.max(0.0) as usize)
}

/// The first pair of equal items, as (earlier, later).
fn duplicates(arr: &[Value]) -> Option<(usize, usize)> {
    (1..arr.len()).find_map(|i| (0..i).find(|&j| equals(&arr[i], &arr[j])).map(|j| (j, i)))
}

impl Vd<'_, '_> {
    pub fn array(&mut self, arr: &[Value]) {
        if let Some(min) = count(self.kw("minItems"))
            && arr.len() < min
        {
            self.add(Kind::Count {
                keyword: "minItems",
                got: arr.len(),
                want: min,
            });
        }
        if let Some(max) = count(self.kw("maxItems"))
            && arr.len() > max
        {
            self.add(Kind::Count {
                keyword: "maxItems",
                got: arr.len(),
                want: max,
            });
        }
        if self.kw("uniqueItems") == Some(&Value::Bool(true))
            && arr.len() > 1
            && let Some((i, j)) = duplicates(arr)
        {
            self.add(Kind::UniqueItems(i, j));
        }
        if self.draft < Draft::D2020 {
            self.items_old(arr);
        } else {
            self.items_2020(arr);
        }
        if self.draft >= Draft::D6 {
            self.contains(arr);
        }
    }

    fn item(&mut self, suffix: &str, item: &Value, tok: usize) {
        let loc = self.sub(suffix);
        if let Err(e) = self.validate_val(loc, item, &tok.to_string()) {
            self.errors.push(e);
        }
    }

    fn items_old(&mut self, arr: &[Value]) {
        let evaluated = match self.kw("items") {
            Some(Value::Array(list)) => {
                let n = list.len().min(arr.len());
                for (i, item) in arr[..n].iter().enumerate() {
                    self.item(&format!("/items/{i}"), item, i);
                }
                n
            }
            Some(_) => {
                for (i, item) in arr.iter().enumerate() {
                    self.item("/items", item, i);
                }
                arr.len()
            }
            None => 0,
        };
        // additionalItems only counts beside an items list.
        if !matches!(self.kw("items"), Some(Value::Array(_))) {
            return;
        }
        match self.kw("additionalItems") {
            Some(Value::Bool(false)) if evaluated != arr.len() => {
                self.add(Kind::AdditionalItems(arr.len() - evaluated));
            }
            Some(Value::Object(_)) => {
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    self.item("/additionalItems", item, i);
                }
            }
            _ => {}
        }
    }

    fn items_2020(&mut self, arr: &[Value]) {
        let prefix = self
            .kw("prefixItems")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let evaluated = prefix.min(arr.len());
        for (i, item) in arr[..evaluated].iter().enumerate() {
            self.item(&format!("/prefixItems/{i}"), item, i);
        }
        if self.kw("items").is_some() {
            for (i, item) in arr[evaluated..].iter().enumerate() {
                self.item("/items", item, i);
            }
        }
    }

    fn contains(&mut self, arr: &[Value]) {
        if self.kw("contains").is_none() {
            return;
        }
        let loc = self.sub("/contains");
        let mut errors = Vec::new();
        let mut matched = Vec::new();
        for (i, item) in arr.iter().enumerate() {
            match self.validate_val(loc.clone(), item, &i.to_string()) {
                Err(e) => errors.push(e),
                Ok(()) => {
                    matched.push(i);
                    if self.draft >= Draft::D2020 {
                        self.uneval.items.remove(&i);
                    }
                }
            }
        }
        let (min, max) = if self.draft >= Draft::D2019 {
            (count(self.kw("minContains")), count(self.kw("maxContains")))
        } else {
            (None, None)
        };
        match min {
            Some(want) if matched.len() < want => {
                self.add_with(
                    Kind::MinContains {
                        got: matched.clone(),
                        want,
                    },
                    errors,
                );
            }
            Some(_) => {}
            None if matched.is_empty() => self.add_with(Kind::Contains, errors),
            None => {}
        }
        if let Some(want) = max
            && matched.len() > want
        {
            self.add(Kind::MaxContains { got: matched, want });
        }
    }
}
