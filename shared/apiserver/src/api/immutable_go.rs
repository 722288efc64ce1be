//! Go's `%#v` of kube-apiserver 1.33's internal `core.PodTemplateSpec`, the value its
//! "field is immutable" message on a Job's `spec.template` prints (apimachinery's field errors
//! fall back to `%#v` for structs until 1.34). Fields are listed in the internal types' order;
//! a non-nil pointer prints only an address, which differs from run to run upstream, so any
//! address here is as good as theirs.

use serde_json::Value;

use crate::fieldmanager::go_quote;

#[path = "immutable_go_fields.rs"]
mod fields;

use fields::{F, K, TEMPLATE};

/// `core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{...}, Spec:core.PodSpec{...}}` of a
/// template as stored (defaults applied).
pub fn pod_template(template: &Value) -> String {
    let mut addr = 0x00c0_00a1_c000_u64;
    render_struct("core.PodTemplateSpec", TEMPLATE, template, &mut addr)
}

fn render_struct(ty: &str, fields: &[F], v: &Value, addr: &mut u64) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|F(go, json, kind)| {
            let field = if json.is_empty() {
                Some(v)
            } else {
                v.get(*json)
            };
            format!("{go}:{}", render(kind, field, addr))
        })
        .collect();
    format!("{ty}{{{}}}", parts.join(", "))
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

fn render(kind: &K, v: Option<&Value>, addr: &mut u64) -> String {
    let v = present(v);
    match kind {
        K::Str => go_quote(v.and_then(Value::as_str).unwrap_or_default()),
        K::Int => v.and_then(Value::as_i64).unwrap_or(0).to_string(),
        K::Bool => v.and_then(Value::as_bool).unwrap_or(false).to_string(),
        K::Ptr(t) => match v {
            None => format!("(*{t})(nil)"),
            Some(_) => {
                *addr += 0x18;
                format!("(*{t})(0x{:x})", *addr)
            }
        },
        K::Strings => list(v, "[]string", |s| go_quote(s.as_str().unwrap_or_default())),
        K::StrMap => map(v, "map[string]string", |s| {
            go_quote(s.as_str().unwrap_or_default())
        }),
        K::Resources => map(v, "core.ResourceList", |q| {
            quantity(q.as_str().unwrap_or_default())
        }),
        K::Time => "time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)".to_string(),
        // A nil *v1.Time prints through its (panicking) GoString as `<nil>`.
        K::TimePtr => "<nil>".to_string(),
        K::Slice(t, fields) => match v.and_then(Value::as_array) {
            None => format!("[]{t}(nil)"),
            Some(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| render_struct(t, fields, i, addr))
                    .collect();
                format!("[]{t}{{{}}}", items.join(", "))
            }
        },
        K::Struct(t, fields) => render_struct(t, fields, v.unwrap_or(&Value::Null), addr),
    }
}

fn list(v: Option<&Value>, ty: &str, item: impl Fn(&Value) -> String) -> String {
    match v.and_then(Value::as_array) {
        None => format!("{ty}(nil)"),
        Some(a) => format!(
            "{ty}{{{}}}",
            a.iter().map(item).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Go prints map keys sorted.
fn map(v: Option<&Value>, ty: &str, value: impl Fn(&Value) -> String) -> String {
    match v.and_then(Value::as_object) {
        None => format!("{ty}(nil)"),
        Some(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let pairs: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", go_quote(k), value(&m[*k])))
                .collect();
            format!("{ty}{{{}}}", pairs.join(", "))
        }
    }
}

/// A `resource.Quantity` as apimachinery's ParseQuantity leaves it: an int64 amount with a
/// decimal scale, the input kept as its cached string when it is already canonical, and the
/// format its suffix names.
fn quantity(s: &str) -> String {
    let (value, scale, format, canonical) = parse_quantity(s).unwrap_or((0, 0, "DecimalSI", false));
    let cached = if canonical { s.trim() } else { "" };
    format!(
        "resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:{}, Format:{}}}",
        go_quote(cached),
        go_quote(format)
    )
}

/// (amount, scale, format, canonical) of a quantity string.
fn parse_quantity(s: &str) -> Option<(i64, i32, &'static str, bool)> {
    const BINARY: &[(&str, u32)] = &[
        ("Ki", 10),
        ("Mi", 20),
        ("Gi", 30),
        ("Ti", 40),
        ("Pi", 50),
        ("Ei", 60),
    ];
    const DECIMAL: &[(&str, i32)] = &[
        ("n", -9),
        ("u", -6),
        ("m", -3),
        ("k", 3),
        ("M", 6),
        ("G", 9),
        ("T", 12),
        ("P", 15),
        ("E", 18),
    ];
    let s = s.trim();
    let (num, bits, scale, format) =
        if let Some((suffix, bits)) = BINARY.iter().find(|(suf, _)| s.ends_with(suf)) {
            (&s[..s.len() - suffix.len()], Some(*bits), 0, "BinarySI")
        } else if let Some((suffix, scale)) = DECIMAL.iter().find(|(suf, _)| s.ends_with(suf)) {
            (&s[..s.len() - suffix.len()], None, *scale, "DecimalSI")
        } else if let Some((mantissa, exp)) = s.split_once(['e', 'E']) {
            (mantissa, None, exp.parse().ok()?, "DecimalExponent")
        } else {
            (s, None, 0, "DecimalSI")
        };
    // A fraction moves into the scale: 0.5 is 5 at scale -1.
    let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
    let shifted = format!("{whole}{frac}");
    let value: i64 = shifted.parse().ok()?;
    let scale = scale - i32::try_from(frac.len()).ok()?;
    let (amount, canonical) = match bits {
        Some(bits) => (value.checked_mul(1i64 << bits)?, value & 0x07 != 0),
        None => (
            value,
            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
        ),
    };
    Some((amount, scale, format, canonical))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{parse_quantity, pod_template};

    #[test]
    fn quantities() {
        for (s, want) in [
            ("100m", (100, -3, "DecimalSI", true)),
            ("1Gi", (1 << 30, 0, "BinarySI", true)),
            ("512Mi", (512 << 20, 0, "BinarySI", false)),
            ("2", (2, 0, "DecimalSI", true)),
            ("1000", (1000, 0, "DecimalSI", false)),
            ("0.5", (5, -1, "DecimalSI", false)),
            ("1e3", (1, 3, "DecimalExponent", true)),
        ] {
            assert_eq!(parse_quantity(s), Some(want), "{s}");
        }
    }

    #[test]
    fn template_prints_as_go_does() {
        let t = json!({"metadata": {"labels": {"b": "2", "a": "1"}},
            "spec": {"restartPolicy": "Never", "terminationGracePeriodSeconds": 30,
                "containers": [{"name": "c", "image": "busybox", "command": ["sh", "-c"],
                    "resources": {}, "imagePullPolicy": "Always"}]}});
        let got = pod_template(&t);
        for part in [
            "core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", GenerateName:\"\", Namespace:\"\", SelfLink:\"\", UID:\"\", ResourceVersion:\"\", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string{\"a\":\"1\", \"b\":\"2\"}, Annotations:map[string]string(nil), OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}, Spec:core.PodSpec{Volumes:[]core.Volume(nil), InitContainers:[]core.Container(nil), Containers:[]core.Container{core.Container{Name:\"c\", Image:\"busybox\", Command:[]string{\"sh\", \"-c\"}, Args:[]string(nil), WorkingDir:\"\", Ports:[]core.ContainerPort(nil), EnvFrom:[]core.EnvFromSource(nil), Env:[]core.EnvVar(nil), Resources:core.ResourceRequirements{Limits:core.ResourceList(nil), Requests:core.ResourceList(nil), Claims:[]core.ResourceClaim(nil)}, ResizePolicy:[]core.ContainerResizePolicy(nil), RestartPolicy:(*core.ContainerRestartPolicy)(nil),",
            "ImagePullPolicy:\"Always\", SecurityContext:(*core.SecurityContext)(nil), Stdin:false, StdinOnce:false, TTY:false}}, EphemeralContainers:[]core.EphemeralContainer(nil), RestartPolicy:\"Never\", TerminationGracePeriodSeconds:(*int64)(0xc000a1c018),",
            "SchedulingGates:[]core.PodSchedulingGate(nil), ResourceClaims:[]core.PodResourceClaim(nil), Resources:(*core.ResourceRequirements)(nil)}}",
        ] {
            assert!(got.contains(part), "{part}\nin\n{got}");
        }
        let limited = json!({"spec": {"containers": [{"name": "c", "resources": {"limits": {"memory": "1Gi", "cpu": "100m"}}}]}});
        let got = pod_template(&limited);
        let want = "Resources:core.ResourceRequirements{Limits:core.ResourceList{\"cpu\":resource.Quantity{i:resource.int64Amount{value:100, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"100m\", Format:\"DecimalSI\"}, \"memory\":resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1Gi\", Format:\"BinarySI\"}}, Requests:core.ResourceList(nil), Claims:[]core.ResourceClaim(nil)}";
        assert!(got.contains(want), "{got}");
    }
}
