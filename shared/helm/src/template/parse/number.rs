//! Number literals as Go's parser stores them: under every type (int, uint, float64) that
//! represents the value exactly, like Go's untyped constants.

use crate::template::ast::Number;
use crate::template::lex::ItemKind;
use crate::template::strconv::{parse_float, parse_int, parse_uint, quote, unquote_char_constant};

fn fits_i64(f: f64) -> bool {
    f.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
}

fn fits_u64(f: f64) -> bool {
    f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f)
}

/// Go's `newNumber`: the value under every type (int, uint, float) that can represent it.
pub(super) fn new_number(
    pos: usize,
    text: &str,
    kind: ItemKind,
) -> std::result::Result<Number, String> {
    let mut n = Number {
        pos,
        text: text.to_string(),
        is_int: false,
        is_uint: false,
        is_float: false,
        int: 0,
        uint: 0,
        float: 0.0,
    };
    if kind == ItemKind::CharConstant {
        let r = unquote_char_constant(text)?;
        (n.is_int, n.is_uint, n.is_float) = (true, true, true);
        (n.int, n.uint, n.float) = (i64::from(r), u64::from(r), f64::from(r));
        return Ok(n);
    }
    let imaginary = text
        .strip_suffix('i')
        .is_some_and(|t| parse_float(t).is_some());
    if kind == ItemKind::Complex || imaginary {
        return Err(format!("complex constant {text} is not supported"));
    }
    if let Some(u) = parse_uint(text) {
        (n.is_uint, n.uint) = (true, u);
    }
    if let Some(i) = parse_int(text) {
        (n.is_int, n.int) = (true, i);
        if i == 0 {
            n.is_uint = true;
        }
    }
    if n.is_int {
        (n.is_float, n.float) = (true, n.int as f64);
    } else if n.is_uint {
        (n.is_float, n.float) = (true, n.uint as f64);
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", quote(text)));
        }
        (n.is_float, n.float) = (true, f);
        if fits_i64(f) {
            (n.is_int, n.int) = (true, f as i64);
        }
        if fits_u64(f) {
            (n.is_uint, n.uint) = (true, f as u64);
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", quote(text)));
    }
    Ok(n)
}
