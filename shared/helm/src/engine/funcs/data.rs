//! Helm's data converters: toYaml/mustToYaml, fromYaml, fromYamlArray, toJson/mustToJson,
//! fromJson, fromJsonArray, toToml, fromToml (Helm 4.1 has no mustToToml). The non-`must` forms never fail:
//! encoders yield "" (toToml the error text), decoders put the error into the result.

use crate::template::{FuncError, FuncMap, List, Param, Signature, Value};
use crate::yaml;

fn arg(a: &[Value]) -> &Value {
    a.first().unwrap_or(&Value::Nil)
}

fn text(a: &[Value]) -> &str {
    a.first().and_then(Value::as_str).unwrap_or("")
}

/// Helm trims the final newline yaml.Marshal writes.
fn helm_yaml(v: &Value) -> Result<String, yaml::Error> {
    yaml::to_yaml(v).map(|s| s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
}

pub(super) fn register(map: &mut FuncMap) {
    let any1 = || Signature::new([Param::Any]);
    let str1 = || Signature::new([Param::String]);
    map.add("toYaml", any1(), |_, a| {
        Ok(Value::from(helm_yaml(arg(a)).unwrap_or_default()))
    });
    map.add("mustToYaml", any1(), |_, a| {
        helm_yaml(arg(a))
            .map(Value::from)
            .map_err(FuncError::from_cause)
    });
    map.add("toYamlPretty", any1(), |_, a| {
        Ok(Value::from(super::pretty::to_yaml_pretty(arg(a))))
    });
    map.add("fromYaml", str1(), |_, a| {
        Ok(Value::Dict(yaml::helm_from_yaml(text(a))))
    });
    map.add("fromYamlArray", str1(), |_, a| {
        let items = yaml::from_yaml_array(text(a)).unwrap_or_else(|e| vec![Value::from(e.0)]);
        Ok(Value::List(List::new(items)))
    });
    map.add("toJson", any1(), |_, a| {
        Ok(Value::from(yaml::to_json(arg(a)).unwrap_or_default()))
    });
    map.add("mustToJson", any1(), |_, a| {
        yaml::to_json(arg(a))
            .map(Value::from)
            .map_err(FuncError::from_cause)
    });
    map.add("fromJson", str1(), |_, a| {
        Ok(Value::Dict(yaml::helm_from_json(text(a))))
    });
    map.add("toToml", any1(), |_, a| match yaml::to_toml(arg(a)) {
        Ok(text) => Ok(Value::from(text)),
        // A nil value makes Go's encoder panic; other failures come back as text.
        Err(e) if arg(a).is_nil() => Err(FuncError::from_cause(e)),
        Err(e) => Ok(Value::from(e.0)),
    });
    map.add("fromToml", str1(), |_, a| {
        Ok(Value::Dict(yaml::from_toml(text(a)).unwrap_or_else(|e| {
            let d = crate::template::Dict::new();
            d.insert("Error", Value::from(e.0));
            d
        })))
    });
    map.add("fromJsonArray", str1(), |_, a| {
        let items = yaml::from_json_array(text(a)).unwrap_or_else(|e| vec![Value::from(e.0)]);
        Ok(Value::List(List::new(items)))
    });
}
