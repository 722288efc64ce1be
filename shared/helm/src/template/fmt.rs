//! Go's fmt for template values: Sprint, Sprintln and Sprintf with Go's verbs, flags, width,
//! precision, argument indexes and error forms (`%!d(string=x)`, `%!(EXTRA ...)`).

mod float;
mod printer;

pub use float::format_float;
use printer::Printer;

use super::value::Value;

/// `fmt.Sprint`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// `fmt.Sprintln`: spaces between all operands and a trailing newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    #[test]
    fn sprint_spacing_matches_go() {
        assert_eq!(sprint(&[Value::Int(1), Value::Int(2)]), "1 2");
        assert_eq!(sprint(&[s("a"), Value::Int(2), s("b")]), "a2b");
        assert_eq!(
            sprint(&[Value::Nil, Value::Float(1234567.0)]),
            "<nil> 1.234567e+06"
        );
        assert_eq!(sprintln(&[s("a"), s("b")]), "a b\n");
    }

    #[test]
    fn sprintf_matches_go() {
        let list = Value::list(vec![s("a"), Value::Int(1), Value::Nil]);
        let dict = Value::dict([("b".to_string(), Value::Int(2)), ("a".to_string(), s("x"))]);
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("%v %s %q", vec![s("x"), s("y"), s("z\n")], "x y \"z\\n\""),
            (
                "%d|%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%#o|%b",
                vec![Value::Int(42); 11],
                "42|   42|42   |00042|+42|2a|2A|0x2a|52|052|101010",
            ),
            ("%d", vec![Value::Float(8080.0)], "%!d(float64=8080)"),
            ("%s", vec![Value::Int(3)], "%!s(int=3)"),
            (
                "%5s|%-5s|%.2s|%5.1s",
                vec![s("ab"), s("ab"), s("abc"), s("xyz")],
                "   ab|ab   |ab|    x",
            ),
            (
                "%f|%.2f|%5.2f|%e|%g|%G|%.3g",
                vec![Value::Float(4.56789); 7],
                "4.567890|4.57| 4.57|4.567890e+00|4.56789|4.56789|4.57",
            ),
            (
                "%v %v",
                vec![list.clone(), dict.clone()],
                "[a 1 <nil>] map[a:x b:2]",
            ),
            ("%d", vec![list.clone()], "[%!d(string=a) 1 <nil>]"),
            (
                "%t %v",
                vec![Value::Bool(true), Value::Bool(false)],
                "true false",
            ),
            (
                "%T %T %T %T %T",
                vec![Value::Int(1), Value::Float(1.0), s(""), list, Value::Nil],
                "int float64 string []interface {} <nil>",
            ),
            ("%d %d", vec![Value::Int(1)], "1 %!d(MISSING)"),
            ("%d", vec![Value::Int(1), s("x")], "1%!(EXTRA string=x)"),
            ("%[2]d %[1]d", vec![Value::Int(1), Value::Int(2)], "2 1"),
            (
                "%*d|%-*d",
                vec![Value::Int(4), Value::Int(7), Value::Int(3), Value::Int(1)],
                "   7|1  ",
            ),
            ("100%%", vec![], "100%"),
            (
                "%c|%q|%U|%#U",
                vec![Value::Int(65); 4],
                "A|'A'|U+0041|U+0041 'A'",
            ),
            ("%x|% x|%X", vec![s("hi"); 3], "6869|68 69|6869"),
            ("%v|%d", vec![Value::Nil, Value::Nil], "<nil>|%!d(<nil>)"),
            ("%!", vec![], "%!!(MISSING)"),
            ("%", vec![], "%!(NOVERB)"),
            (
                "%08.3f|%+.1e|% d",
                vec![Value::Float(4.56789), Value::Float(1234.5), Value::Int(5)],
                "0004.568|+1.2e+03| 5",
            ),
            (
                "%#v|%#v|%#v",
                vec![s("a"), Value::Int(1), Value::list(vec![s("a")])],
                "\"a\"|1|[]interface {}{\"a\"}",
            ),
            ("%s", vec![Value::Bytes(b"hi".as_slice().into())], "hi"),
            (
                "%v",
                vec![Value::Bytes(b"hi".as_slice().into())],
                "[104 105]",
            ),
            (
                "%v|%.1f",
                vec![Value::Float(f64::INFINITY), Value::Float(f64::NAN)],
                "+Inf|NaN",
            ),
        ];
        for (format, args, want) in cases {
            assert_eq!(sprintf(format, &args), want, "sprintf({format:?})");
        }
    }
}
