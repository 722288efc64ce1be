//! go-yaml v2's order of map keys: letters by code point, runs of digits by number value.

use std::cmp::Ordering;

use super::value::Value;

use super::unicode_tables::{is_digit, is_letter};

fn digit_value(c: char) -> i64 {
    i64::from(c as u32) - i64::from('0' as u32)
}

/// `keyList.Less` of go-yaml v2 for two string keys.
pub fn less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(digit_value(ar[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(br[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Indices of `entries` in emitting order. A merge sort on `less` that never panics,
/// whatever the consistency of the order.
pub fn sorted_indices(entries: &[(String, Value)]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..entries.len()).collect();
    let cmp = |x: &usize, y: &usize| {
        let (a, b) = (&entries[*x].0, &entries[*y].0);
        if less(a, b) {
            Ordering::Less
        } else if less(b, a) {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    };
    merge_sort(&mut idx, &cmp);
    idx
}

fn merge_sort(v: &mut Vec<usize>, cmp: &dyn Fn(&usize, &usize) -> Ordering) {
    if v.len() <= 1 {
        return;
    }
    let mut right = v.split_off(v.len() / 2);
    merge_sort(v, cmp);
    merge_sort(&mut right, cmp);
    let left = std::mem::take(v);
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if cmp(&right[j], &left[i]) == Ordering::Less {
            v.push(right[j]);
            j += 1;
        } else {
            v.push(left[i]);
            i += 1;
        }
    }
    v.extend_from_slice(&left[i..]);
    v.extend_from_slice(&right[j..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_like_go_yaml_v2() {
        let keys = [
            "é",
            "b",
            "a10",
            "a02",
            "a2",
            "B",
            "1",
            "_x",
            "apiVersion",
            "kind",
            "metadata",
            "data",
        ];
        let entries: Vec<(String, Value)> =
            keys.iter().map(|k| (k.to_string(), Value::Null)).collect();
        let order: Vec<&str> = sorted_indices(&entries)
            .into_iter()
            .map(|i| keys[i])
            .collect();
        assert_eq!(
            order,
            [
                "_x",
                "1",
                "B",
                "a2",
                "a02",
                "a10",
                "apiVersion",
                "b",
                "data",
                "kind",
                "metadata",
                "é"
            ]
        );
    }
}
