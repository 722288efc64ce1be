//! Each library against the expectations of kube-apiserver's own tests and docs: rules
//! that must evaluate to true, and calls that must fail with kube's error text.

use super::super::program::{Program, context, describe};

/// Evaluates `expr` in the Kubernetes environment.
fn eval(expr: &str) -> Result<cel::Value, String> {
    let p = Program::compile(expr)?;
    p.execute(&context()).0.map_err(|e| describe(&e))
}

fn all_true(cases: &[&str]) {
    for expr in cases {
        assert_eq!(eval(expr), Ok(cel::Value::Bool(true)), "{expr}");
    }
}

fn all_fail(cases: &[(&str, &str)]) {
    for (expr, want) in cases {
        assert_eq!(eval(expr), Err(want.to_string()), "{expr}");
    }
}

#[test]
fn lists() {
    all_true(&[
        "[1, 2, 3].isSorted()",
        "['a', 'b', 'b', 'c'].isSorted()",
        "![2.0, 1.0].isSorted()",
        "[1].isSorted() && [].isSorted()",
        "[1, 3].sum() == 4",
        "[1.0, 3.0].sum() == 4.0",
        "[duration('1m'), duration('1s')].sum() == duration('1m1s')",
        "[].sum() == 0",
        "[1, 3].min() == 1 && [1, 3].max() == 3",
        "['b', 'a', 'c'].max() == 'c'",
        "[1, 2, 2, 3].indexOf(2) == 1",
        "['a', 'b', 'b', 'c'].lastIndexOf('b') == 2",
        "[1.0].indexOf(1.1) == -1 && [].indexOf('string') == -1",
        "[3, 1, 2].map(x, x * 2).max() == 6",
    ]);
    all_fail(&[
        ("[].min()", "min called on empty list"),
        ("[].max()", "max called on empty list"),
    ]);
}

#[test]
fn sets() {
    all_true(&[
        "sets.contains([1, 2, 3], [1, 2])",
        "sets.contains([1, 2], [])",
        "!sets.contains([1], [1, 2])",
        "sets.equivalent([1, 2, 2], [2, 1])",
        "!sets.equivalent([1, 2], [1])",
        "sets.intersects([1, 2], [2, 3])",
        "!sets.intersects([1], [2]) && !sets.intersects([], [])",
    ]);
}

#[test]
fn regex() {
    all_true(&[
        "'abc 123'.find('[0-9]+') == '123'",
        "'abc 123'.find('xyz') == ''",
        "'123 abc 456'.findAll('[0-9]+') == ['123', '456']",
        "'123 abc 456'.findAll('[0-9]+', 1) == ['123']",
        "'123 abc 456'.findAll('xyz') == []",
        "'123 abc 456'.findAll('[0-9]+', 0) == []",
    ]);
    let err = eval("'a'.find('(')").unwrap_err();
    assert!(
        err.starts_with("Illegal regex: error parsing regexp: "),
        "{err}"
    );
}

#[test]
fn strings_extension() {
    all_true(&[
        "'hello'.charAt(1) == 'e'",
        "'hello mellow'.indexOf('ello') == 1 && 'hello mellow'.lastIndexOf('ello') == 7",
        "'TacoCat'.lowerAscii() == 'tacocat' && 'TacoCat'.upperAscii() == 'TACOCAT'",
        "'a-b-c'.split('-') == ['a', 'b', 'c'] && ['a', 'b'].join('-') == 'a-b'",
        "'hello'.substring(1, 3) == 'el' && '  x '.trim() == 'x'",
        "'aaa'.replace('a', 'b', 2) == 'bba'",
        "'%s=%d'.format([dyn('a'), 1]) == 'a=1' && '%s-%s'.format(['a', 'b']) == 'a-b' && strings.quote('a\"b') == '\"a\\\\\"b\"'",
    ]);
}

#[test]
fn urls() {
    all_true(&[
        "isURL('https://user:pass@example.com:80/path?query=val#fragment')",
        "isURL('/absolute-path') && !isURL('../relative-path') && !isURL('https://a:b:c/')",
        "url('/path').getScheme() == '' && url('https://example.com/').getScheme() == 'https'",
        "url('https://example.com:80/').getHost() == 'example.com:80'",
        "url('https://[::1]:80/').getHost() == '[::1]:80' && url('https://[::1]/').getHost() == '[::1]'",
        "url('/path').getHost() == ''",
        "url('https://example.com:80/').getHostname() == 'example.com'",
        "url('https://[::1]:80/').getHostname() == '::1'",
        "url('https://example.com:80/').getPort() == '80' && url('https://example.com/').getPort() == ''",
        "url('https://example.com/path').getEscapedPath() == '/path'",
        "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
        "url('https://example.com').getEscapedPath() == ''",
        "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}",
        "url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']}",
        "url('https://example.com/path?').getQuery() == {} && url('https://example.com/path').getQuery() == {}",
        "url('https://example.com/p#frag').getEscapedPath() == '/p'",
    ]);
    all_fail(&[
        (
            "url('https://a:b:c/')",
            "URL parse error during conversion from string: parse \"https://a:b:c/\": invalid port \":c\" after host",
        ),
        (
            "url('../relative-path')",
            "URL parse error during conversion from string: parse \"../relative-path\": invalid URI for request",
        ),
    ]);
}

#[test]
fn ips() {
    all_true(&[
        "isIP('1.2.3.4') && isIP('2001:db8::abcd') && !isIP('1.2.3') && !isIP('fe80::1%eth0')",
        "!isIP('::ffff:1.2.3.4') && !isIP('01.2.3.4')",
        "ip('127.0.0.1').family() == 4 && ip('::1').family() == 6",
        "ip('0.0.0.0').isUnspecified() && !ip('127.0.0.1').isUnspecified() && ip('::').isUnspecified()",
        "ip('127.0.0.1').isLoopback() && !ip('192.168.0.1').isLoopback() && ip('::1').isLoopback()",
        "ip('224.0.0.1').isLinkLocalMulticast() && !ip('224.0.1.1').isLinkLocalMulticast()",
        "ip('ff02::1').isLinkLocalMulticast() && !ip('fd00::1').isLinkLocalMulticast()",
        "ip('169.254.169.254').isLinkLocalUnicast() && !ip('192.168.0.1').isLinkLocalUnicast()",
        "ip('fe80::1').isLinkLocalUnicast() && !ip('fd80::1').isLinkLocalUnicast()",
        "ip('192.168.0.1').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()",
        "ip('2001:db8::abcd').isGlobalUnicast() && !ip('ff00::1').isGlobalUnicast()",
        "ip.isCanonical('127.0.0.1') && ip.isCanonical('2001:db8::abcd')",
        "!ip.isCanonical('2001:DB8::ABCD') && !ip.isCanonical('2001:db8:0:0:0:0:0:abcd')",
        "string(ip('2001:db8:0:0:1:0:0:1')) == '2001:db8::1:0:0:1'",
        "ip('1.2.3.4') == ip('1.2.3.4') && ip('1.2.3.4') != ip('1.2.3.5')",
        "type(ip('1.2.3.4')) == net.IP",
    ]);
    all_fail(&[
        (
            "ip('foo')",
            "IP Address \"foo\" parse error during conversion from string: ParseAddr(\"foo\"): unable to parse IP",
        ),
        (
            "ip('fe80::1%eth0')",
            "IP address \"fe80::1%eth0\" with zone value is not allowed",
        ),
        (
            "ip('::ffff:1.2.3.4')",
            "IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed",
        ),
    ]);
}

#[test]
fn cidrs() {
    all_true(&[
        "isCIDR('192.168.0.0/24') && !isCIDR('192.168.0.0') && !isCIDR('192.168.0.0/33')",
        "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))",
        "!cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))",
        "cidr('192.168.0.0/24').containsIP('192.168.0.1') && !cidr('192.168.0.0/24').containsIP('::1')",
        "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))",
        "!cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/23'))",
        "cidr('192.168.0.0/24').containsCIDR('192.168.0.0/25')",
        "cidr('192.168.0.0/24').ip() == ip('192.168.0.0')",
        "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')",
        "cidr('192.168.0.0/24').prefixLength() == 24",
        "cidr('2001:db8::/32').containsIP(ip('2001:db8::1')) && !cidr('2001:db8::/32').containsIP('2001:dc8::1')",
        "cidr('2001:db8::/32').containsCIDR('2001:db8::/33') && !cidr('2001:db8::/32').containsCIDR('2001:db8::/31')",
        "cidr('2001:db8:1::/32').masked() == cidr('2001:db8::/32')",
        "string(cidr('192.168.0.0/24')) == '192.168.0.0/24'",
        "type(cidr('192.168.0.0/24')) == net.CIDR",
    ]);
    all_fail(&[(
        "cidr('192.168.0.0/')",
        "network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"192.168.0.0/\"): bad bits after slash: \"\"",
    )]);
}

#[test]
fn quantities() {
    all_true(&[
        "isQuantity('20') && isQuantity('20M') && isQuantity('20Mi') && isQuantity('1.5e3')",
        "!isQuantity('20MB') && !isQuantity('bad') && !isQuantity('') && !isQuantity('1ki')",
        "quantity('50k').add(quantity('20k')) == quantity('70k')",
        "quantity('50k').add(20) == quantity('50020')",
        "quantity('50k').sub(quantity('20k')) == quantity('30k') && quantity('50k').sub(20000) == quantity('30k')",
        "quantity('50k').add(20).sub(quantity('100k')).sub(-50000) == quantity('20')",
        "quantity('200M').compareTo(quantity('0.2G')) == 0",
        "quantity('50M').compareTo(quantity('50Mi')) == -1 && quantity('50Mi').compareTo(quantity('50M')) == 1",
        "quantity('150Mi').isGreaterThan(quantity('100Mi')) && !quantity('50Mi').isGreaterThan(quantity('100Mi'))",
        "quantity('50M').isLessThan(quantity('100M')) && !quantity('100M').isLessThan(quantity('50M'))",
        "quantity('50k').asInteger() == 50000 && quantity('50k').isInteger() && !quantity('9999999999999999999999').isInteger()",
        "quantity('50m').asApproximateFloat() == 0.05 && !quantity('50m').isInteger()",
        "sign(quantity('-50k')) == -1 && sign(quantity('0')) == 0 && sign(quantity('1Ki')) == 1",
        "quantity('1Ki') == quantity('1024') && quantity('1e3') == quantity('1k') && quantity('1E') == quantity('1e18')",
        "quantity('0.1n') == quantity('1n')",
    ]);
    all_fail(&[
        (
            "quantity('bad')",
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
        ("quantity('1ki')", "unable to parse quantity's suffix"),
        (
            "quantity('50m').asInteger()",
            "cannot convert value to integer",
        ),
    ]);
}

#[test]
fn formats() {
    all_true(&[
        "!format.dns1123Label().validate('my-label-name').hasValue()",
        "format.dns1123Label().validate('My_Label').hasValue()",
        "!format.dns1123Subdomain().validate('apiextensions.k8s.io').hasValue()",
        "!format.dns1035Label().validate('my-label-name').hasValue() && format.dns1035Label().validate('1abc').hasValue()",
        "!format.qualifiedName().validate('apiextensions.k8s.io/v1beta1').hasValue()",
        "!format.dns1123LabelPrefix().validate('my-label-prefix-').hasValue()",
        "!format.uri().validate('http://example.com').hasValue() && format.uri().validate('x').hasValue()",
        "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
        "!format.byte().validate('aGVsbG8=').hasValue() && format.byte().validate('!').hasValue()",
        "!format.date().validate('2021-01-01').hasValue() && format.date().validate('2021-02-30').hasValue()",
        "!format.datetime().validate('2021-01-01T00:00:00Z').hasValue()",
        "format.named('dns1123Label').hasValue() && !format.named('nope').hasValue()",
        "format.named('labelValue').value().validate('a b').value().size() == 1",
        "format.dns1123Label().validate('A').value() == [\"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\"]",
        "format.uuid().validate('x').value() == ['does not match the UUID format']",
    ]);
}

#[test]
fn two_variable_comprehensions() {
    all_true(&[
        "[1, 2, 3].all(i, v, i < v)",
        "{'a': 1, 'b': 2}.all(k, v, k.size() == 1 && v > 0)",
        "[1, 2].exists(i, v, i == 1 && v == 2) && ![1, 2].exists(i, v, i == v)",
        "[1, 1, 2].existsOne(i, v, v == 2) && ![1, 1].existsOne(i, v, v == 1)",
        "[1, 2, 3].transformList(i, v, v * 2) == [2, 4, 6]",
        "[1, 2, 3].transformList(i, v, i > 0, v * i) == [2, 6]",
        "{'a': 1, 'b': 2}.transformList(k, v, v).sum() == 3",
        "[10, 20].transformMap(i, v, v + 1) == {0: 11, 1: 21}",
        "{'a': 1, 'b': 2}.transformMap(k, v, v * 10) == {'a': 10, 'b': 20}",
        "{'a': 1, 'b': 2}.transformMap(k, v, v > 1, v) == {'b': 2}",
        "{'a': 'x'}.transformMapEntry(k, v, {v: k}) == {'x': 'a'}",
        "[1, 2].all(i, v, [3].all(i, w, i == 0)) && [5].all(i, v, v == 5)",
    ]);
    all_fail(&[(
        "[1, 2].transformMapEntry(i, v, {'k': v}).size() == 1",
        "insert failed: key k already exists",
    )]);
}

#[test]
fn optionals() {
    all_true(&[
        "optional.of(1).hasValue() && !optional.none().hasValue()",
        "optional.none().orValue(2) == 2",
        "{'a': 1}.?a.orValue(0) == 1 && {'a': 1}.?b.orValue(0) == 0",
    ]);
}

#[test]
fn undeclared_functions_do_not_compile() {
    for (expr, name) in [
        ("math.abs(-1) == 1", "math.abs"),
        ("[2, 1].sort() == [1, 2]", "sort"),
        ("base64.encode(b'a') == 'YQ=='", "base64.encode"),
        ("isSemver('1.0.0')", "isSemver"),
        ("'abc'.reverse() == 'cba'", "reverse"),
        ("self.nope()", "nope"),
        // kube declares `sign` as a global function only.
        ("quantity('1').sign() == 1", "sign"),
    ] {
        let err = Program::compile(expr).err().unwrap_or_default();
        assert!(
            err.contains(&format!(
                "undeclared reference to '{name}' (in container '')"
            )),
            "{expr}: {err}"
        );
    }
}

#[test]
fn mixed_literal_aggregates_do_not_compile() {
    for (expr, want) in [
        ("[1, 'a'] == []", "expected type 'int' but found 'string'"),
        (
            "[1, 2.0].size() == 2",
            "expected type 'int' but found 'double'",
        ),
        (
            "{'a': 1, 'b': true}.size() == 2",
            "expected type 'int' but found 'bool'",
        ),
    ] {
        let err = Program::compile(expr).err().unwrap_or_default();
        assert!(err.contains(want), "{expr}: {err}");
    }
    assert!(Program::compile("[1, 2, self.x] == [] && {'a': 1, 'b': 2}.size() == 2").is_ok());
    // cel-go exempts the arguments of format().
    assert!(Program::compile("'%s=%d'.format(['a', 1]) == 'a=1'").is_ok());
    assert_eq!(
        eval("'%s=%d'.format(['a', 1]) == 'a=1'"),
        Ok(cel::Value::Bool(true))
    );
}

#[test]
fn invalid_literal_arguments_do_not_compile() {
    for (expr, want) in [
        ("'a'.matches('(')", "invalid matches argument"),
        (
            "duration('1x') > duration('1s')",
            "invalid duration argument",
        ),
        (
            "timestamp('yesterday') > timestamp('2020-01-01T00:00:00Z')",
            "invalid timestamp argument",
        ),
    ] {
        let err = Program::compile(expr).err().unwrap_or_default();
        assert!(err.contains(want), "{expr}: {err}");
    }
    assert!(Program::compile("'a'.matches('^a$') && duration('1h30m') > duration('1s')").is_ok());
}

#[test]
fn deep_or_long_rules_fail_cleanly() {
    let deep = format!("{}1{} == 1", "(".repeat(5000), ")".repeat(5000));
    let err = Program::compile(&deep).err().unwrap_or_default();
    assert!(err.contains("recursion limit exceeded"), "{err}");
    let long = format!("{} == 3000", vec!["1"; 3000].join(" + "));
    let err = Program::compile(&long).err().unwrap_or_default();
    assert!(err.contains("recursion limit exceeded"), "{err}");
    let huge = format!("'{}' == ''", "a".repeat(100_001));
    let err = Program::compile(&huge).err().unwrap_or_default();
    assert!(
        err.starts_with("expression code point size exceeds limit"),
        "{err}"
    );
}

#[test]
fn runaway_comprehensions_hit_the_cost_limit() {
    let r = "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29]";
    let expr = format!(
        "{r}.all(a, {r}.all(b, {r}.all(c, {r}.all(d, {r}.all(e, a + b + c + d + e >= 0)))))"
    );
    let started = std::time::Instant::now();
    assert_eq!(
        eval(&expr),
        Err("operation cancelled: actual cost limit exceeded".into())
    );
    // 30^5 iterations would take far longer than this; the meter stops it early.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(
        eval(&format!("{r}.all(a, {r}.all(b, a + b >= 0))")),
        Ok(cel::Value::Bool(true))
    );
}
