//! Cases for Sprig's string, regex, conversion and encoding functions as Helm exposes them.

use crate::harness::{Case, case};

const V: &str = r#"{"s": "Hello World", "n": 3, "f": 1.5, "big": 1234567, "l": ["b", "a", "c"],
  "m": {"a": 1, "b": "two"}, "e": "", "ws": "  pad \t\n", "html": "<a&b>"}"#;

pub const CASES: &[Case] = &[
    case(
        "trim",
        "[{{ trim .Values.ws }}]|{{ trimAll \"$\" \"$5.00$\" }}|{{ trimall \"ab\" \"abxba\" }}|{{ trimPrefix \"He\" .Values.s }}|{{ trimSuffix \"ld\" .Values.s }}|{{ trimSuffix \"zz\" \"a\" }}",
        V,
    ),
    case(
        "case",
        "{{ upper .Values.s }}|{{ lower .Values.s }}|{{ title \"hello wide-world foo_bar x.y\" }}|{{ untitle \"Hello World ABC\" }}",
        V,
    ),
    case(
        "repeat_substr",
        "{{ repeat 3 \"ab\" }}|{{ substr 0 5 .Values.s }}|{{ substr 6 100 .Values.s }}|{{ substr -1 3 .Values.s }}|{{ substr 2 -1 .Values.s }}",
        V,
    ),
    case("substr_out_of_range", "{{ substr 5 2 \"abcdef\" }}", V),
    case(
        "nospace_trunc",
        "{{ nospace \" a b\\tc \" }}|{{ trunc 5 .Values.s }}|{{ trunc -5 .Values.s }}|{{ trunc 50 .Values.s }}|{{ trunc -50 .Values.s }}|{{ trunc 0 .Values.s }}",
        V,
    ),
    case(
        "abbrev",
        "{{ abbrev 5 \"hello world\" }}|{{ abbrev 3 \"hello world\" }}|{{ abbrev 20 \"hello\" }}|{{ abbrev 4 \"abcdefg\" }}",
        V,
    ),
    case(
        "abbrevboth",
        "{{ abbrevboth 5 10 \"1234 5678 9123\" }}|{{ abbrevboth 0 4 \"abcdefghij\" }}|{{ abbrevboth 1 6 \"abcdefghij\" }}|{{ abbrevboth 10 10 \"abcdefghijklmnop\" }}",
        V,
    ),
    case(
        "initials_swapcase",
        "{{ initials \"First Try  again\" }}|{{ swapcase \"This Is A.Test\" }}|{{ initials \"\" }}",
        V,
    ),
    case(
        "wrap",
        "{{ wrap 5 \"Hello World and more words here\" }}|{{ wrap 3 \"abcdefgh ij\" }}|{{ wrap 10 \"\" }}",
        V,
    ),
    case(
        "wrap_with",
        "{{ wrapWith 5 \"\\t\" \"Hello World\" }}|{{ wrapWith 3 \"<br>\" \"abcdefgh\" }}",
        V,
    ),
    case(
        "contains_prefix",
        "{{ contains \"cat\" \"catch\" }} {{ contains \"dog\" \"catch\" }} {{ hasPrefix \"ca\" \"catch\" }} {{ hasSuffix \"ch\" \"catch\" }} {{ hasSuffix \"x\" \"catch\" }}",
        V,
    ),
    case(
        "quote",
        "{{ quote \"a\\\"b\" }}|{{ quote .Values.n }}|{{ quote .Values.nope }}|{{ quote \"a\" 1 nil true }}|{{ squote \"x\" }}|{{ squote 1 2 }}|{{ quote }}",
        V,
    ),
    case(
        "quote_pipeline",
        "{{ .Values.s | quote }}|{{ .Values.l | quote }}|{{ .Values.f | squote }}",
        V,
    ),
    case(
        "cat",
        "{{ cat \"a\" 1 nil 2.5 .Values.l }}|{{ cat }}|{{ cat nil }}",
        V,
    ),
    case(
        "indent",
        "{{ indent 2 \"a\\nb\" }}|{{ nindent 4 \"x\\ny\" }}|{{ indent 0 \"z\" }}",
        V,
    ),
    case(
        "indent_toplevel",
        "x:\n{{- .Values.m | toString | nindent 2 }}",
        V,
    ),
    case(
        "replace",
        "{{ replace \" \" \"-\" .Values.s }}|{{ \"aaa\" | replace \"a\" \"b\" }}|{{ replace \"\" \"_\" \"ab\" }}",
        V,
    ),
    case(
        "plural",
        "{{ plural \"one\" \"many\" 1 }} {{ plural \"one\" \"many\" 2 }} {{ plural \"one\" \"many\" 0 }}",
        V,
    ),
    case(
        "plural_float_error",
        "{{ plural \"one\" \"many\" .Values.n }}",
        V,
    ),
    case(
        "split_list",
        "{{ splitList \",\" \"a,b,,c\" }}|{{ splitList \"\" \"abc\" }}|{{ splitList \",\" \"\" | len }}|{{ typeOf (splitList \",\" \"a\") }}",
        V,
    ),
    case(
        "split_dict",
        "{{ split \"$\" \"foo$bar$baz\" }}|{{ (split \"$\" \"foo$bar$baz\")._1 }}|{{ splitn \"$\" 2 \"foo$bar$baz\" }}|{{ splitn \"$\" 0 \"a$b\" }}",
        V,
    ),
    case(
        "split_many",
        "{{ split \",\" \"a,b,c,d,e,f,g,h,i,j,k,l\" }}",
        V,
    ),
    case(
        "join",
        "{{ join \"-\" .Values.l }}|{{ join \",\" (list 1 nil \"a\" 2.5) }}|{{ join \",\" \"abc\" }}|{{ join \",\" .Values.nope }}|{{ join \",\" 5 }}",
        V,
    ),
    case(
        "sort_alpha",
        "{{ sortAlpha .Values.l }}|{{ sortAlpha (list 3 1 \"b\" 20) }}|{{ sortAlpha \"x\" }}|{{ typeOf (sortAlpha .Values.l) }}",
        V,
    ),
    case(
        "to_string",
        "{{ toString 1 }}|{{ toString .Values.f }}|{{ toString .Values.big }}|{{ toString nil }}|{{ toString .Values.l }}|{{ typeOf (toString 1) }}",
        V,
    ),
    case(
        "to_strings",
        "{{ toStrings (list 1 2 nil \"x\") }}|{{ typeOf (toStrings .Values.l) }}|{{ toStrings \"a\" }}",
        V,
    ),
    case(
        "atoi",
        "{{ atoi \"42\" }} {{ atoi \"-7\" }} {{ atoi \"x\" }} {{ atoi \"1.5\" }} {{ atoi \"\" }} {{ typeOf (atoi \"1\") }}",
        V,
    ),
    case(
        "int_conv",
        "{{ int 3.9 }} {{ int -3.9 }} {{ int \"12\" }} {{ int \"0x1F\" }} {{ int \"10.0\" }} {{ int \"10.5\" }} {{ int true }} {{ int nil }} {{ typeOf (int 1) }}",
        V,
    ),
    case(
        "int64_conv",
        "{{ int64 .Values.big }} {{ int64 \"077\" }} {{ int64 .Values.f }} {{ typeOf (int64 1) }} {{ int64 \"abc\" }}",
        V,
    ),
    case(
        "float64_conv",
        "{{ float64 3 }} {{ float64 \"2.5\" }} {{ float64 \"x\" }} {{ float64 .Values.big }} {{ typeOf (float64 1) }} {{ float64 \"1e3\" }}",
        V,
    ),
    case(
        "to_decimal",
        "{{ toDecimal \"0777\" }} {{ toDecimal 12 }} {{ toDecimal \"9\" }} {{ toDecimal \"-17\" }} {{ typeOf (toDecimal 1) }}",
        V,
    ),
    case(
        "default",
        "{{ default \"d\" .Values.nope }}|{{ default \"d\" .Values.e }}|{{ default \"d\" .Values.s }}|{{ default 5 0 }}|{{ default 5 false }}|{{ default \"x\" (list) }}|{{ default \"x\" (dict) }}|{{ .Values.nope | default \"piped\" }}|{{ default \"only\" }}",
        V,
    ),
    case(
        "empty",
        "{{ empty 0 }} {{ empty 1 }} {{ empty \"\" }} {{ empty .Values.nope }} {{ empty .Values.l }} {{ empty (list) }} {{ empty (dict) }} {{ empty false }} {{ empty 0.0 }} {{ empty .Values.m }}",
        V,
    ),
    case(
        "coalesce",
        "{{ coalesce 0 \"\" .Values.nope \"x\" \"y\" }}|{{ coalesce 0 \"\" }}|{{ coalesce .Values.m.a 2 }}",
        V,
    ),
    case(
        "all_any",
        "{{ all 1 \"a\" true }} {{ all 1 \"\" }} {{ all }} {{ any 0 \"\" 1 }} {{ any 0 \"\" }} {{ any }}",
        V,
    ),
    case(
        "ternary",
        "{{ ternary \"yes\" \"no\" true }} {{ ternary \"yes\" \"no\" false }} {{ true | ternary 1 2 }} {{ ternary .Values.l .Values.m (eq 1 1) }}",
        V,
    ),
    case("ternary_non_bool", "{{ ternary 1 2 \"x\" }}", V),
    case(
        "to_json",
        "{{ toJson .Values }}|{{ toJson .Values.html }}|{{ toJson 1 }}|{{ toJson nil }}|{{ toJson (list 1 \"a\" 2.5 true) }}|{{ toJson 1e21 }}|{{ toJson 0.0000001 }}",
        V,
    ),
    case(
        "to_raw_json",
        "{{ toRawJson .Values.html }}|{{ toRawJson .Values.m }}|{{ toRawJson \"a\\tb\\u0001\" }}",
        V,
    ),
    case(
        "to_pretty_json",
        "{{ toPrettyJson .Values.m }}|{{ toPrettyJson (list) }}|{{ toPrettyJson (dict) }}|{{ toPrettyJson (dict \"x\" (list 1 (dict \"y\" nil))) }}",
        V,
    ),
    case(
        "from_json",
        "{{ (fromJson \"{\\\"a\\\": {\\\"b\\\": 2}}\").a.b }}|{{ fromJson \"{\\\"x\\\": [1, 2.5, \\\"s\\\", null, true]}\" }}",
        V,
    ),
    case(
        "b64",
        "{{ b64enc \"hello\" }}|{{ b64enc \"\" }}|{{ b64enc \"ab\" }}|{{ b64dec \"aGVsbG8=\" }}|{{ b64dec \"YWI=\" }}|{{ b64enc \"hi\" | b64dec }}",
        V,
    ),
    case(
        "b64_bad",
        "{{ b64dec \"a\" }}|{{ b64dec \"ab!c\" }}|{{ b64dec \"YQ\" }}|{{ b64dec \"YWJj=\" }}|{{ b64dec \"Y===\" }}",
        V,
    ),
    case(
        "b32",
        "{{ b32enc \"hello\" }}|{{ b32enc \"a\" }}|{{ b32enc \"abcdef\" }}|{{ b32dec \"NBSWY3DP\" }}|{{ b32dec \"ME======\" }}|{{ b32enc \"xyz\" | b32dec }}",
        V,
    ),
    case(
        "regex_match",
        "{{ regexMatch \"^[a-z]+$\" \"abc\" }} {{ regexMatch \"^[a-z]+$\" \"ab1\" }} {{ regexMatch \"(\" \"x\" }} {{ mustRegexMatch \"a.c\" \"abc\" }}",
        V,
    ),
    case(
        "regex_find",
        "{{ regexFind \"[0-9]+\" \"abc123def456\" }}|{{ regexFind \"z\" \"abc\" }}|{{ regexFindAll \"[0-9]\" \"a1b2c3\" -1 }}|{{ regexFindAll \"[0-9]\" \"a1b2c3\" 2 }}|{{ regexFindAll \"x\" \"abc\" -1 }}",
        V,
    ),
    case(
        "regex_replace",
        "{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}|{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\" }}|{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}",
        V,
    ),
    case(
        "regex_split",
        "{{ regexSplit \"z+\" \"pizza\" -1 }}|{{ regexSplit \"z+\" \"pizza\" 1 }}|{{ regexSplit \"\" \"abc\" -1 }}|{{ regexSplit \",\" \"\" -1 }}|{{ regexSplit \"a\" \"banana\" 2 }}|{{ regexSplit \"a*\" \"baaac\" -1 }}",
        V,
    ),
    case("regex_quote_meta", "{{ regexQuoteMeta \"1.2+3*[x]\" }}", V),
    case("must_regex_bad", "{{ mustRegexFind \"(\" \"x\" }}", V),
    case(
        "must_regex_bad_paren",
        "{{ mustRegexMatch \"a)\" \"x\" }}",
        V,
    ),
    case(
        "must_regex_bad_class",
        "{{ mustRegexSplit \"[a\" \"x\" -1 }}",
        V,
    ),
    case("regex_bad_panics", "{{ regexFindAll \"(\" \"x\" -1 }}", V),
    case(
        "hashes",
        "{{ sha1sum \"\" }}|{{ sha1sum \"hello world\" }}|{{ sha256sum \"hello\" }}|{{ adler32sum \"hello\" }}|{{ sha1sum (repeat 100 \"abc\") }}|{{ adler32sum \"\" }}",
        V,
    ),
    case(
        "paths",
        "{{ base \"a/b/c.txt\" }}|{{ base \"/\" }}|{{ base \"\" }}|{{ base \"a/b/\" }}|{{ dir \"a/b/c\" }}|{{ dir \"c\" }}|{{ dir \"/x\" }}|{{ clean \"a//b/../c/.\" }}|{{ clean \"/../a\" }}|{{ clean \"../../x\" }}|{{ ext \"a/b.tar.gz\" }}|{{ ext \"a.b/c\" }}|{{ isAbs \"/a\" }}|{{ isAbs \"a\" }}",
        V,
    ),
    case("string_param_type_error", "{{ upper 5 }}", V),
    case("repeat_negative", "{{ repeat -1 \"a\" }}", V),
    case(
        "snakecase",
        "{{ snakecase \"FirstName\" }}|{{ snakecase \"HTTPServer\" }}|{{ snakecase \"NoHTTPS\" }}|{{ snakecase \"GO_PATH\" }}|{{ snakecase \"GO PATH\" }}|{{ snakecase \"GO-PATH\" }}|{{ snakecase \"http2xx\" }}|{{ snakecase \"HTTP20xOK\" }}|{{ snakecase \"Duration2m3s\" }}|{{ snakecase \"Bld4Floor3rd\" }}|{{ snakecase \"a.b$c\" }}|{{ snakecase \"\" }}|{{ snakecase \"already_snake_1\" }}",
        V,
    ),
    case(
        "kebabcase",
        "{{ kebabcase \"FirstName\" }}|{{ kebabcase \"HTTPServer\" }}|{{ kebabcase \"my_var Name\" }}|{{ kebabcase \"X\" }}|{{ kebabcase \"version2Beta\" }}",
        V,
    ),
    case(
        "camelcase",
        "{{ camelcase \"some_words\" }}|{{ camelcase \"http_server\" }}|{{ camelcase \"_complex__case_\" }}|{{ camelcase \"some words\" }}|{{ camelcase \"a\" }}|{{ camelcase \"__\" }}|{{ camelcase \"keepThisCase-x\" }}",
        V,
    ),
    case(
        "url_parse",
        "{{ urlParse \"https://user:pw@example.com:8443/a%20b/c?x=1&y=2#frag\" }}|{{ urlParse \"mailto:joe@example.com\" }}|{{ (urlParse \"/rel/path?q\").path }}|{{ (urlParse \"http://[::1]:80/\").hostname }}",
        V,
    ),
    case(
        "url_join",
        "{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"example.com\" \"path\" \"/a b\" \"query\" \"x=1\" \"fragment\" \"f g\") }}|{{ urlJoin (dict \"host\" \"h\" \"path\" \"p\") }}|{{ urlJoin (dict \"scheme\" \"mailto\" \"opaque\" \"joe@x\") }}|{{ urlJoin (dict \"scheme\" \"http\" \"userinfo\" \"u:p\" \"host\" \"h:1\") }}|{{ urlParse \"http://h/x?q#f\" | urlJoin }}",
        V,
    ),
    case("url_parse_error", "{{ urlParse \"http://h/%zz\" }}", V),
    case(
        "os_paths",
        "{{ osBase \"a/b\" }}|{{ osDir \"a/b\" }}|{{ osClean \"a/../b\" }}|{{ osExt \"x.y\" }}|{{ osIsAbs \"/x\" }}",
        V,
    ),
    case(
        "aes_round_trip",
        "{{ encryptAES \"secretkey\" \"plaintext\" | decryptAES \"secretkey\" }}|{{ encryptAES \"k\" \"\" | decryptAES \"k\" }}|{{ len (encryptAES \"k\" \"0123456789abcdef\") }}",
        V,
    ),
    case(
        "aes_decrypt_not_blocks",
        "{{ decryptAES \"k\" \"MDEyMzQ1Njc4OWFiY2RlZjAx\" }}",
        V,
    ),
    case("aes_decrypt_error", "{{ decryptAES \"k\" \"YWJj\" }}", V),
    case(
        "derive_password",
        "{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}|{{ derivePassword 2 \"maximum\" \"pw\" \"u\" \"s\" }}|{{ derivePassword 1 \"medium\" \"pw\" \"u\" \"s\" }}|{{ derivePassword 1 \"basic\" \"pw\" \"u\" \"s\" }}|{{ derivePassword 1 \"pin\" \"pw\" \"u\" \"s\" }}|{{ derivePassword 1 \"short\" \"pw\" \"u\" \"s\" }}|{{ derivePassword 1 \"nope\" \"pw\" \"u\" \"s\" }}",
        V,
    ),
    case(
        "sha512",
        "{{ sha512sum \"\" }}|{{ sha512sum \"hello\" }}",
        V,
    ),
];
