//! The keyword and draft cases: accepted and rejected values for each keyword family, per
//! draft (references and broken schemas are in cases_refs.rs).
//! Each rejection has one failure per object (Go's map order would shuffle several; for
//! broken schemas that includes the keywords of one schema object).

use crate::{Case, case, case_args};

pub const D4: &str = r##""$schema": "http://json-schema.org/draft-04/schema#","##;
pub const D6: &str = r##""$schema": "http://json-schema.org/draft-06/schema#","##;
pub const D7: &str = r##""$schema": "http://json-schema.org/draft-07/schema#","##;
pub const D2019: &str = r##""$schema": "https://json-schema.org/draft/2019-09/schema","##;

/// A schema object with a draft's `$schema` in front of `body`.
pub fn with(draft: &str, body: &str) -> String {
    format!("{{{draft} {body}}}")
}

pub fn keywords() -> Vec<Case> {
    vec![
        case(
            "enum-literals",
            r##"{"properties": {"a": {"enum": [1e3, 1.0, 2.50, -0]}}}"##,
            "a: 2\n",
        ),
        case(
            "const-literal",
            r##"{"properties": {"a": {"const": 1E+2}}}"##,
            "a: 2\n",
        ),
        case(
            "bound-beyond-float",
            r##"{"properties": {"a": {"minimum": 1e400}}}"##,
            "a: 1e300\n",
        ),
        case(
            "bound-beyond-float-ok",
            r##"{"properties": {"a": {"maximum": 1e400}}}"##,
            "a: 1e300\n",
        ),
        case(
            "type-ok",
            r##"{"properties": {"a": {"type": "integer"}}}"##,
            "a: 3\n",
        ),
        case(
            "type-float-not-integer",
            r##"{"properties": {"a": {"type": "integer"}}}"##,
            "a: 3.5\n",
        ),
        case(
            "type-list",
            r##"{"properties": {"a": {"type": ["string", "null", "object"]}}}"##,
            "a: 3\n",
        ),
        case(
            "const-number",
            r##"{"properties": {"a": {"const": 12345.5}}}"##,
            "a: 1\n",
        ),
        case(
            "const-object",
            r##"{"properties": {"a": {"const": {"k": 1}}}}"##,
            "a: {k: 2}\n",
        ),
        case(
            "const-equal-object",
            r##"{"properties": {"a": {"const": {"k": 1}}}}"##,
            "a: {k: 1.0}\n",
        ),
        case(
            "enum-primitive",
            r##"{"properties": {"a": {"enum": [1, "x", null, true]}}}"##,
            "a: 2\n",
        ),
        case(
            "enum-single",
            r##"{"properties": {"a": {"enum": ["it's \"q\"\n"]}}}"##,
            "a: b\n",
        ),
        case(
            "enum-composite",
            r##"{"properties": {"a": {"enum": [1, {"k": 1}]}}}"##,
            "a: 2\n",
        ),
        case(
            "number-bounds",
            r##"{"properties": {"a": {"minimum": 1000000, "multipleOf": 0.3}}}"##,
            "a: 1\n",
        ),
        case(
            "number-exclusive",
            r##"{"properties": {"a": {"exclusiveMinimum": 1.5, "exclusiveMaximum": 9}}}"##,
            "a: 1.5\n",
        ),
        case(
            "multiple-of-decimal-ok",
            r##"{"properties": {"a": {"multipleOf": 0.01}}}"##,
            "a: 1.23\n",
        ),
        case(
            "multiple-of-decimal",
            r##"{"properties": {"a": {"multipleOf": 0.01}}}"##,
            "a: 1.234\n",
        ),
        case(
            "maximum-big",
            r##"{"properties": {"a": {"maximum": 10}}}"##,
            "a: 12345678901234567890\n",
        ),
        case(
            "string-lengths",
            r##"{"properties": {"a": {"minLength": 3, "maxLength": 1}}}"##,
            "a: éé\n",
        ),
        case(
            "pattern-ascii-digit",
            r##"{"properties": {"a": {"pattern": "^\\d+$"}}}"##,
            "a: \"١٢\"\n",
        ),
        case(
            "pattern-ok",
            r##"{"properties": {"a": {"pattern": "^[a-z]+(-[a-z]+)*$"}}}"##,
            "a: web-app\n",
        ),
        case(
            "required-many",
            r##"{"required": ["zeta", "alpha", "a"]}"##,
            "a: 1\n",
        ),
        case(
            "min-max-properties",
            r##"{"properties": {"o": {"minProperties": 3, "maxProperties": 0}}}"##,
            "o: {x: 1}\n",
        ),
        case(
            "additional-false",
            r##"{"properties": {"a": {}}, "additionalProperties": false}"##,
            "a: 1\nb: 2\n",
        ),
        case(
            "additional-schema",
            r##"{"properties": {"o": {"additionalProperties": {"type": "string"}}}}"##,
            "o: {x: 1}\n",
        ),
        case(
            "pattern-properties",
            r##"{"patternProperties": {"^x-": {"type": "boolean"}}}"##,
            "x-a: 1\n",
        ),
        case(
            "property-names",
            r##"{"propertyNames": {"pattern": "^[a-z]+$"}}"##,
            "B1: 1\n",
        ),
        case(
            "property-names-nested",
            r##"{"properties": {"o": {"propertyNames": {"maxLength": 2}}}}"##,
            "o: {abc: 1}\n",
        ),
        case(
            "unique-items",
            r##"{"properties": {"l": {"uniqueItems": true}}}"##,
            "l: [1, {a: 1}, 2, {a: 1.0}]\n",
        ),
        case(
            "min-max-items",
            r##"{"properties": {"l": {"minItems": 3, "maxItems": 1}}}"##,
            "l: [1, 2]\n",
        ),
        case(
            "prefix-items",
            r##"{"properties": {"l": {"prefixItems": [{"type": "string"}], "items": {"type": "string"}}}}"##,
            "l: [a, b, 1]\n",
        ),
        case(
            "items-false",
            r##"{"properties": {"l": {"prefixItems": [{}], "items": false}}}"##,
            "l: [a, 1]\n",
        ),
        case(
            "contains-none",
            r##"{"properties": {"l": {"contains": {"type": "string"}}}}"##,
            "l: [1, 2]\n",
        ),
        case(
            "min-contains",
            r##"{"properties": {"l": {"contains": {"type": "string"}, "minContains": 2}}}"##,
            "l: [1, a]\n",
        ),
        case(
            "max-contains",
            r##"{"properties": {"l": {"contains": {"type": "string"}, "maxContains": 1}}}"##,
            "l: [b, 1, a]\n",
        ),
        case(
            "min-contains-zero",
            r##"{"properties": {"l": {"contains": {"type": "string"}, "minContains": 0}}}"##,
            "l: [1]\n",
        ),
        case(
            "unevaluated-items",
            r##"{"properties": {"l": {"prefixItems": [{}], "unevaluatedItems": false}}}"##,
            "l: [1, 2]\n",
        ),
        case(
            "unevaluated-properties",
            r##"{"unevaluatedProperties": false, "allOf": [{"properties": {"a": {}}}]}"##,
            "a: 1\nb: 2\n",
        ),
        case(
            "unevaluated-anyof",
            r##"{"unevaluatedProperties": {"type": "string"}, "anyOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]}"##,
            "a: 1\nb: 2\nc: 3\n",
        ),
        case(
            "all-of",
            r##"{"properties": {"a": {"allOf": [{"type": "number"}, {"minimum": 5}]}}}"##,
            "a: 1\n",
        ),
        case(
            "any-of",
            r##"{"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}}}"##,
            "a: 1\n",
        ),
        case(
            "one-of-none",
            r##"{"properties": {"a": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}}}"##,
            "a: 1\n",
        ),
        case(
            "one-of-two",
            r##"{"properties": {"a": {"oneOf": [{"type": "number"}, {"minimum": 0}, {"type": "string"}]}}}"##,
            "a: 1\n",
        ),
        case(
            "not",
            r##"{"properties": {"a": {"not": {"type": "number"}}}}"##,
            "a: 1\n",
        ),
        case(
            "false-schema",
            r##"{"properties": {"a": false}}"##,
            "a: 1\n",
        ),
        case("false-root", "false", "a: 1\n"),
        case(
            "if-then",
            r##"{"properties": {"a": {"if": {"type": "number"}, "then": {"minimum": 5}, "else": {"type": "string"}}}}"##,
            "a: 1\n",
        ),
        case(
            "if-else",
            r##"{"properties": {"a": {"if": {"type": "string"}, "then": {"minLength": 5}, "else": {"type": "string"}}}}"##,
            "a: 1\n",
        ),
        case(
            "if-then-ok",
            r##"{"properties": {"a": {"if": {"type": "number"}, "then": {"minimum": 5}}}}"##,
            "a: 7\n",
        ),
        case(
            "if-required",
            r##"{"if": {"required": ["tls"]}, "then": {"required": ["cert"]}}"##,
            "tls: true\n",
        ),
        case(
            "dependencies-list",
            r##"{"dependencies": {"a": ["b", "c"]}}"##,
            "a: 1\n",
        ),
        case(
            "dependencies-schema",
            r##"{"dependencies": {"a": {"required": ["zz"]}}}"##,
            "a: 1\n",
        ),
        case(
            "dependent-required",
            r##"{"dependentRequired": {"a": ["b"]}}"##,
            "a: 1\n",
        ),
        case(
            "dependent-schemas",
            r##"{"dependentSchemas": {"a": {"properties": {"a": {"type": "string"}}}}}"##,
            "a: 1\n",
        ),
        case(
            "nested-pointer-escape",
            r##"{"properties": {"a/b~c": {"properties": {"x": {"type": "string"}}}}}"##,
            "a/b~c: {x: 1}\n",
        ),
        case(
            "set-overrides",
            r##"{"properties": {"replicas": {"type": "integer", "minimum": 1}}}"##,
            "replicas: 1\n",
        ),
        case_args(
            "set-violates",
            r##"{"properties": {"replicas": {"type": "integer", "minimum": 1}}}"##,
            "replicas: 1\n",
            &["--set", "replicas=0"],
        ),
        case_args(
            "set-json-array",
            r##"{"properties": {"l": {"items": {"type": "integer"}}}}"##,
            "",
            &["--set-json", "l=[1,\"x\"]"],
        ),
        case(
            "format-ignored-2020",
            r##"{"properties": {"a": {"format": "email"}}}"##,
            "a: nope\n",
        ),
    ]
}

pub fn drafts() -> Vec<Case> {
    vec![
        case(
            "d7-format-email",
            &with(D7, r##""properties": {"a": {"format": "email"}}"##),
            "a: foo\n",
        ),
        case(
            "d7-format-ok",
            &with(D7, r##""properties": {"a": {"format": "date-time"}}"##),
            "a: \"2024-01-01T10:00:00Z\"\n",
        ),
        case(
            "d7-format-date",
            &with(D7, r##""properties": {"a": {"format": "date"}}"##),
            "a: \"2023-02-29\"\n",
        ),
        case(
            "d7-format-ipv4",
            &with(D7, r##""properties": {"a": {"format": "ipv4"}}"##),
            "a: 10.0.0.256\n",
        ),
        case(
            "d7-format-hostname",
            &with(D7, r##""properties": {"a": {"format": "hostname"}}"##),
            "a: my_host\n",
        ),
        case(
            "d7-format-uri",
            &with(D7, r##""properties": {"a": {"format": "uri"}}"##),
            "a: /relative\n",
        ),
        case(
            "d7-format-duration",
            &with(D7, r##""properties": {"a": {"format": "duration"}}"##),
            "a: P1M1Y\n",
        ),
        case(
            "d7-format-uuid",
            &with(D7, r##""properties": {"a": {"format": "uuid"}}"##),
            "a: 1234\n",
        ),
        case(
            "d7-format-regex",
            &with(D7, r##""properties": {"a": {"format": "regex"}}"##),
            "a: \"((\"\n",
        ),
        case(
            "d7-format-unknown",
            &with(D7, r##""properties": {"a": {"format": "idn-hostname"}}"##),
            "a: \"((\"\n",
        ),
        case(
            "d7-format-number",
            &with(D7, r##""properties": {"a": {"format": "email"}}"##),
            "a: 5\n",
        ),
        case(
            "d2019-format-ignored",
            &with(D2019, r##""properties": {"a": {"format": "email"}}"##),
            "a: foo\n",
        ),
        case(
            "d7-ref-hides-siblings",
            &with(
                D7,
                r##""definitions": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/s", "minimum": 100}}"##,
            ),
            "a: 1\n",
        ),
        case(
            "d7-ref-keeps-const",
            &with(
                D7,
                r##""definitions": {"s": {}}, "properties": {"a": {"$ref": "#/definitions/s", "const": 5}}"##,
            ),
            "a: 1\n",
        ),
        case(
            "d2020-ref-with-siblings",
            r##"{"$defs": {"s": {"type": "number"}}, "properties": {"a": {"$ref": "#/$defs/s", "minimum": 100}}}"##,
            "a: 1\n",
        ),
        case(
            "d7-items-list",
            &with(
                D7,
                r##""properties": {"l": {"items": [{"type": "string"}], "additionalItems": false}}"##,
            ),
            "l: [a, 1, 2]\n",
        ),
        case(
            "d7-additional-items",
            &with(
                D7,
                r##""properties": {"l": {"items": [{"type": "string"}], "additionalItems": {"type": "string"}}}"##,
            ),
            "l: [a, b, 2]\n",
        ),
        case(
            "d7-unevaluated-ignored",
            &with(D7, r##""unevaluatedProperties": false"##),
            "a: 1\n",
        ),
        case(
            "d7-dependent-required-ignored",
            &with(D7, r##""dependentRequired": {"a": ["b"]}"##),
            "a: 1\n",
        ),
        case(
            "d6-if-ignored",
            &with(D6, r##""if": true, "then": false"##),
            "a: 1\n",
        ),
        case(
            "d6-contains",
            &with(
                D6,
                r##""properties": {"l": {"contains": {"type": "string"}, "minContains": 5}}"##,
            ),
            "l: [a]\n",
        ),
        case(
            "d4-exclusive-boolean",
            &with(
                D4,
                r##""properties": {"a": {"maximum": 1, "exclusiveMaximum": true}}"##,
            ),
            "a: 1\n",
        ),
        case(
            "d4-const-ignored",
            &with(D4, r##""properties": {"a": {"const": 2}}"##),
            "a: 1\n",
        ),
        case(
            "d4-property-names-ignored",
            &with(D4, r##""propertyNames": {"maxLength": 1}"##),
            "abc: 1\n",
        ),
        case(
            "d2019-recursive-ref",
            &with(
                D2019,
                r##""$recursiveAnchor": true, "type": "object", "properties": {"kids": {"type": "array", "items": {"$recursiveRef": "#"}}}"##,
            ),
            "kids: [{kids: 3}]\n",
        ),
        case(
            "d2019-items-array",
            &with(
                D2019,
                r##""properties": {"l": {"items": [{"type": "string"}], "additionalItems": false}}"##,
            ),
            "l: [a, 1]\n",
        ),
    ]
}
