//! The reference and broken-schema cases: `$ref` locally, by anchor, `$id`, dynamic scope,
//! files and HTTP; and schemas jsonschema refuses to compile (metaschema, bad JSON).

use crate::cases::{D4, D6, D7, D2019, with};
use crate::{Case, case};

pub fn references() -> Vec<Case> {
    vec![
        case(
            "ref-defs",
            r##"{"$defs": {"port": {"type": "integer", "maximum": 65535}}, "properties": {"port": {"$ref": "#/$defs/port"}}}"##,
            "port: 70000\n",
        ),
        case(
            "ref-anchor",
            r##"{"$defs": {"s": {"$anchor": "str", "type": "string"}}, "properties": {"a": {"$ref": "#str"}}}"##,
            "a: 1\n",
        ),
        case(
            "ref-embedded-id",
            r##"{"$id": "http://example.com/root.json", "$defs": {"s": {"$id": "s.json", "type": "string"}}, "properties": {"a": {"$ref": "s.json"}}}"##,
            "a: 1\n",
        ),
        case(
            "ref-d4-id-anchor",
            &with(
                D4,
                r##""definitions": {"s": {"id": "#str", "type": "string"}}, "properties": {"a": {"$ref": "#str"}}"##,
            ),
            "a: 1\n",
        ),
        case(
            "ref-dynamic",
            r##"{"$defs": {"node": {"$dynamicAnchor": "n", "type": "object", "properties": {"kids": {"type": "array", "items": {"$dynamicRef": "#n"}}}}}, "$ref": "#/$defs/node"}"##,
            "kids: [{kids: 3}]\n",
        ),
        case("ref-cycle-root", r##"{"$ref": "#"}"##, "a: 1\n"),
        case(
            "ref-cycle-defs",
            r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "properties": {"a": {"$ref": "#/$defs/a"}}}"##,
            "a: 1\n",
        ),
        case(
            "ref-recursive-tree-ok",
            r##"{"$defs": {"t": {"type": "object", "properties": {"c": {"$ref": "#/$defs/t"}}}}, "$ref": "#/$defs/t"}"##,
            "c: {c: {c: {}}}\n",
        ),
        case(
            "ref-recursive-tree-bad",
            r##"{"$defs": {"t": {"type": "object", "properties": {"c": {"$ref": "#/$defs/t"}}}}, "$ref": "#/$defs/t"}"##,
            "c: {c: {c: 1}}\n",
        ),
        case("ref-missing-pointer", r##"{"$ref": "#/nope"}"##, "a: 1\n"),
        case("ref-missing-anchor", r##"{"$ref": "#foo"}"##, "a: 1\n"),
        case(
            "ref-unused-missing-ok",
            r##"{"$defs": {"x": {"$ref": "#/nope"}}}"##,
            "a: 1\n",
        ),
        case(
            "ref-relative-file-missing",
            r##"{"properties": {"a": {"$ref": "other.json"}}}"##,
            "a: 1\n",
        ),
        case(
            "ref-unknown-scheme",
            r##"{"$ref": "ftp://example.com/x.json"}"##,
            "a: 1\n",
        ),
        case(
            "ref-urn-permissive",
            r##"{"properties": {"a": {"$ref": "urn:example:thing"}}}"##,
            "a: 1\n",
        ),
    ]
}

pub fn broken() -> Vec<Case> {
    vec![
        case(
            "meta-type-name",
            r##"{"properties": {"a": {"type": "strin"}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-pattern-deep",
            r##"{"$defs": {"x": {"items": {"pattern": "a{2,1}"}}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-pattern",
            r##"{"properties": {"a": {"pattern": "(("}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-pattern-properties",
            r##"{"patternProperties": {"((": {}}}"##,
            "a: 1\n",
        ),
        case("meta-not-a-schema", "[]", "a: 1\n"),
        case(
            "meta-d7-type",
            &with(D7, r##""properties": {"a": {"type": "strin"}}"##),
            "a: 1\n",
        ),
        case(
            "meta-d7-items",
            &with(D7, r##""items": {"type": "x"}"##),
            "a: 1\n",
        ),
        case(
            "meta-d7-dependencies",
            &with(D7, r##""dependencies": {"a": {"type": "x"}}"##),
            "a: 1\n",
        ),
        case("meta-d6-type-number", &with(D6, r##""type": 5"##), "a: 1\n"),
        case(
            "meta-d2019",
            &with(D2019, r##""properties": {"a": {"type": "strin"}}"##),
            "a: 1\n",
        ),
        case(
            "meta-required-boolean",
            r##"{"properties": {"a": {"type": "string", "required": true}}}"##,
            "a: x\n",
        ),
        case(
            "meta-d7-required-boolean",
            &with(D7, r##""properties": {"a": {"required": true}}"##),
            "a: x\n",
        ),
        case(
            "meta-minimum-string",
            r##"{"properties": {"a": {"minimum": "5"}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-min-length-negative",
            r##"{"properties": {"a": {"minLength": -1}}}"##,
            "a: x\n",
        ),
        case(
            "meta-d7-min-length-string",
            &with(D7, r##""properties": {"a": {"minLength": "x"}}"##),
            "a: x\n",
        ),
        case("meta-properties-array", r##"{"properties": []}"##, "a: 1\n"),
        case(
            "meta-additional-string",
            r##"{"properties": {"a": {"additionalProperties": "x"}}}"##,
            "a: {}\n",
        ),
        case(
            "meta-ref-number",
            r##"{"properties": {"a": {"$ref": 5}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-vocab-order",
            r##"{"type": "x", "properties": {"a": {"type": "y"}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-multiple-of-zero",
            r##"{"properties": {"a": {"multipleOf": 0}}}"##,
            "a: 1\n",
        ),
        case(
            "meta-d4-multiple-of-zero",
            &with(D4, r##""properties": {"a": {"multipleOf": 0}}"##),
            "a: 1\n",
        ),
        case(
            "meta-required-number",
            r##"{"properties": {"a": {"required": [1]}}}"##,
            "a: {}\n",
        ),
        case(
            "meta-type-list-item",
            r##"{"properties": {"a": {"type": ["string", "x"]}}}"##,
            "a: 1\n",
        ),
        case("true-schema", "true", "a: 1\n"),
        case("json-broken", "{bad json", "a: 1\n"),
        case("json-empty", "", "a: 1\n"),
        case("json-trailing", "{} x", "a: 1\n"),
        case("json-unterminated", "{\"a\": [1, 2", "a: 1\n"),
        case("json-bad-literal", "{\"a\": tru}", "a: 1\n"),
    ]
}

pub fn remote(base: &str, closed: u16) -> Vec<Case> {
    let props = |r: String| format!(r##"{{"properties": {{"a": {{"$ref": "{r}"}}}}}}"##);
    vec![
        case("http-ok", &props(format!("{base}/str.json")), "a: text\n"),
        case(
            "http-violation",
            &props(format!("{base}/str.json")),
            "a: 1\n",
        ),
        case(
            "http-fragment",
            &props(format!("{base}/defs.json#/$defs/port")),
            "a: 70000\n",
        ),
        case(
            "http-not-found",
            &props(format!("{base}/gone.json")),
            "a: 1\n",
        ),
        case(
            "http-missing-pointer",
            &props(format!("{base}/defs.json#/$defs/nope")),
            "a: 1\n",
        ),
        case(
            "http-refused",
            &props(format!("http://127.0.0.1:{closed}/x.json")),
            "a: 1\n",
        ),
        case(
            "http-relative-to-id",
            &format!(
                r##"{{"$id": "{base}/root.json", "properties": {{"a": {{"$ref": "str.json"}}}}}}"##
            ),
            "a: 1\n",
        ),
    ]
}

pub fn files(defs: &str, broken: &str) -> Vec<Case> {
    let props = |r: String| format!(r##"{{"properties": {{"name": {{"$ref": "{r}"}}}}}}"##);
    vec![
        case(
            "file-ok",
            &props(format!("{defs}#/definitions/name")),
            "name: web\n",
        ),
        case(
            "file-violation",
            &props(format!("{defs}#/definitions/name")),
            "name: w\n",
        ),
        case(
            "file-missing",
            &props(format!("{defs}.missing")),
            "name: w\n",
        ),
        case(
            "file-fails-metaschema",
            &props(broken.to_string()),
            "name: w\n",
        ),
    ]
}
