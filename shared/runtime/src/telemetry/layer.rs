//! The tracing layer that writes Flux-shaped log lines (zap JSON or console) to a writer.

use std::io::Write;

use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

use super::LogEncoding;
use crate::error::error_chain;

/// Keys the line itself owns; a field with one of these names is dropped rather than repeated.
const RESERVED_KEYS: &[&str] = &["level", "ts", "logger", "msg"];

/// Ordered key/value pairs of a scope or an event; a later value for a key replaces the earlier.
type Fields = Vec<(String, Value)>;

/// Fields recorded on a span, kept in the span's extensions.
struct SpanFields(Fields);

/// Writes one Flux-shaped line per event through `make_writer`.
pub struct LogLayer<W> {
    encoding: LogEncoding,
    make_writer: W,
}

impl<W> LogLayer<W> {
    pub fn new(encoding: LogEncoding, make_writer: W) -> Self {
        Self {
            encoding,
            make_writer,
        }
    }
}

impl<S, W> tracing_subscriber::Layer<S> for LogLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'a> MakeWriter<'a> + 'static,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut fields = Fields::new();
        attrs.record(&mut FieldVisitor(&mut fields));
        span.extensions_mut().insert(SpanFields(fields));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(SpanFields(fields)) = extensions.get_mut::<SpanFields>() {
            values.record(&mut FieldVisitor(fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(SpanFields(span_fields)) = span.extensions().get::<SpanFields>() {
                    for (k, v) in span_fields {
                        upsert(&mut fields, k, v.clone());
                    }
                }
            }
        }
        event.record(&mut FieldVisitor(&mut fields));
        let msg = take_string(&mut fields, "message").unwrap_or_default();
        let logger = take_string(&mut fields, "logger");
        fields.retain(|(k, _)| !k.starts_with("log.") && !RESERVED_KEYS.contains(&k.as_str()));
        let ts = format_timestamp(chrono::Utc::now());
        let level = *event.metadata().level();
        let line = match self.encoding {
            LogEncoding::Json => format_json_line(&ts, level, logger.as_deref(), &msg, &fields),
            LogEncoding::Console => {
                format_console_line(&ts, level, logger.as_deref(), &msg, &fields)
            }
        };
        // A logger has nowhere to report its own write failure.
        let _ = self.make_writer.make_writer().write_all(line.as_bytes());
    }
}

/// zap's ISO 8601 time encoding as Flux configures it, in UTC: `2024-05-14T09:23:40.963Z`.
fn format_timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn level_lower(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// One JSON log line (newline-terminated): level, ts, logger when named, msg, then the fields.
fn format_json_line(
    ts: &str,
    level: Level,
    logger: Option<&str>,
    msg: &str,
    fields: &[(String, Value)],
) -> String {
    let mut out = String::with_capacity(128);
    out.push_str("{\"level\":");
    out.push_str(&Value::from(level_lower(level)).to_string());
    out.push_str(",\"ts\":");
    out.push_str(&Value::from(ts).to_string());
    if let Some(logger) = logger {
        out.push_str(",\"logger\":");
        out.push_str(&Value::from(logger).to_string());
    }
    out.push_str(",\"msg\":");
    out.push_str(&Value::from(msg).to_string());
    for (key, value) in fields {
        out.push(',');
        out.push_str(&Value::from(key.as_str()).to_string());
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push_str("}\n");
    out
}

/// One console log line as zap's console encoder writes it: tab-separated ts, LEVEL, logger,
/// msg, and the fields as a JSON object.
fn format_console_line(
    ts: &str,
    level: Level,
    logger: Option<&str>,
    msg: &str,
    fields: &[(String, Value)],
) -> String {
    let mut out = format!("{ts}\t{}", level_lower(level).to_uppercase());
    if let Some(logger) = logger {
        out.push('\t');
        out.push_str(logger);
    }
    out.push('\t');
    out.push_str(msg);
    if !fields.is_empty() {
        let object: serde_json::Map<String, Value> = fields.iter().cloned().collect();
        out.push('\t');
        out.push_str(&Value::Object(object).to_string());
    }
    out.push('\n');
    out
}

fn upsert(fields: &mut Fields, key: &str, value: Value) {
    match fields.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => fields.push((key.to_string(), value)),
    }
}

fn take_string(fields: &mut Fields, key: &str) -> Option<String> {
    let at = fields.iter().position(|(k, _)| k == key)?;
    match fields.remove(at).1 {
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

struct FieldVisitor<'a>(&'a mut Fields);

impl Visit for FieldVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        upsert(self.0, field.name(), Value::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        upsert(self.0, field.name(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        upsert(self.0, field.name(), Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        upsert(self.0, field.name(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        upsert(self.0, field.name(), Value::from(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        upsert(self.0, field.name(), Value::from(error_chain(value)));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        upsert(self.0, field.name(), Value::from(format!("{value:?}")));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Capture {
        type Writer = Capture;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    fn capture(encoding: LogEncoding, f: impl FnOnce()) -> String {
        let out = Capture::default();
        let subscriber = tracing_subscriber::registry().with(LogLayer::new(encoding, out.clone()));
        tracing::subscriber::with_default(subscriber, f);
        let bytes = out.0.lock().expect("lock").clone();
        String::from_utf8(bytes).expect("utf8")
    }

    #[test]
    fn json_line_has_flux_keys_in_order() {
        let fields = vec![
            ("name".to_string(), Value::from("podinfo")),
            ("n".to_string(), Value::from(3)),
        ];
        let line = format_json_line(
            "2024-05-14T09:23:40.963Z",
            Level::INFO,
            Some("setup"),
            "hi \"x\"",
            &fields,
        );
        assert_eq!(
            line,
            "{\"level\":\"info\",\"ts\":\"2024-05-14T09:23:40.963Z\",\"logger\":\"setup\",\
             \"msg\":\"hi \\\"x\\\"\",\"name\":\"podinfo\",\"n\":3}\n"
        );
        let no_logger = format_json_line("t", Level::ERROR, None, "m", &[]);
        assert_eq!(
            no_logger,
            "{\"level\":\"error\",\"ts\":\"t\",\"msg\":\"m\"}\n"
        );
    }

    #[test]
    fn console_line_is_tab_separated() {
        let fields = vec![("k".to_string(), Value::from("v"))];
        assert_eq!(
            format_console_line("t", Level::WARN, Some("setup"), "m", &fields),
            "t\tWARN\tsetup\tm\t{\"k\":\"v\"}\n"
        );
        assert_eq!(
            format_console_line("t", Level::DEBUG, None, "m", &[]),
            "t\tDEBUG\tm\n"
        );
    }

    #[test]
    fn timestamp_is_iso8601_millis_utc() {
        let t = chrono::DateTime::from_timestamp(1_715_678_620, 963_000_000).expect("time");
        assert_eq!(format_timestamp(t), "2024-05-14T09:23:40.963Z");
    }

    #[test]
    fn layer_merges_span_fields_and_takes_logger_and_message() {
        let out = capture(LogEncoding::Json, || {
            let span = tracing::info_span!("reconcile", controller = "kustomization", name = "a");
            let _enter = span.enter();
            span.record("name", "b");
            tracing::warn!(
                logger = "runtime",
                name = "c",
                count = 2,
                "apply {}",
                "done"
            );
        });
        let v: Value = serde_json::from_str(out.trim()).expect("one JSON line");
        assert_eq!(v["level"], "warn");
        assert_eq!(v["logger"], "runtime");
        assert_eq!(v["msg"], "apply done");
        assert_eq!(v["controller"], "kustomization");
        assert_eq!(v["name"], "c", "event fields win over span fields");
        assert_eq!(v["count"], 2);
        assert!(
            v["ts"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z') && t.len() == 24)
        );
        assert!(v.get("message").is_none());
    }

    #[test]
    fn layer_writes_console_lines_and_error_chains() {
        let err = std::io::Error::other("disk full");
        let out = capture(LogEncoding::Console, || {
            tracing::error!(error = &err as &dyn std::error::Error, "write failed");
        });
        let parts: Vec<&str> = out.trim_end().split('\t').collect();
        assert_eq!(
            parts[1..],
            ["ERROR", "write failed", "{\"error\":\"disk full\"}"]
        );
    }
}
