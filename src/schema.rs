//! JSON Schemas (draft 2020-12) of `work.toml` and of a claim set, derived from the very
//! serde types the loader reads them with, so an editor validates what parallax accepts.

use crate::corpus::raw;

/// The schema of `work.toml`, pretty-printed, ending with a newline.
pub fn work() -> String {
    to_text(generator().into_root_schema_for::<raw::WorkFile>())
}

/// The schema of a claim set (`sources/<id>.toml`), pretty-printed, ending with a newline.
pub fn source() -> String {
    to_text(generator().into_root_schema_for::<raw::SourceFile>())
}

fn generator() -> schemars::SchemaGenerator {
    schemars::generate::SchemaSettings::draft2020_12().into_generator()
}

fn to_text(schema: schemars::Schema) -> String {
    let mut value = schema.to_value();
    drop_null_defaults(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// TOML has no null: an optional field is one that may be left out, so the `"default": null`
/// serde's `Option` implies says nothing an editor could use.
fn drop_null_defaults(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("default").is_some_and(serde_json::Value::is_null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null_defaults);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}
