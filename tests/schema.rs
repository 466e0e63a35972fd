//! The JSON Schemas: the committed files are what `parallax schema` prints, the bundled
//! corpus validates against them, and they refuse what the loader refuses (a misspelt
//! field, a bad stance).

mod common;

use std::fs;

use common::{assert_code, root, stdout};
use serde_json::Value;

fn emitted(of: &str) -> String {
    let out = common::parallax_in(root())
        .args(["schema", of])
        .output()
        .unwrap();
    assert_code(&out, 0);
    stdout(&out)
}

fn validator(of: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&emitted(of)).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// A TOML document as JSON, dates as strings.
fn toml_to_json(text: &str) -> Value {
    fn convert(v: toml::Value) -> Value {
        match v {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(i) => Value::from(i),
            toml::Value::Float(f) => Value::from(f),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(a) => Value::Array(a.into_iter().map(convert).collect()),
            toml::Value::Table(t) => {
                Value::Object(t.into_iter().map(|(k, v)| (k, convert(v))).collect())
            }
        }
    }
    convert(toml::Value::Table(text.parse::<toml::Table>().unwrap()))
}

#[test]
fn committed_schemas_are_the_emitted_ones() {
    for of in ["work", "source"] {
        let committed =
            fs::read_to_string(root().join(format!("schemas/{of}.schema.json"))).unwrap();
        assert_eq!(
            committed,
            emitted(of),
            "schemas/{of}.schema.json is stale: run `parallax schema {of} -o schemas/{of}.schema.json`"
        );
    }
}

#[test]
fn the_bundled_corpus_validates() {
    let work = validator("work");
    let source = validator("source");
    let dir = root().join("interpretations/anora");
    let doc = toml_to_json(&fs::read_to_string(dir.join("work.toml")).unwrap());
    assert!(
        work.is_valid(&doc),
        "{:?}",
        work.iter_errors(&doc)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    for entry in fs::read_dir(dir.join("sources")).unwrap() {
        let path = entry.unwrap().path();
        let doc = toml_to_json(&fs::read_to_string(&path).unwrap());
        assert!(
            source.is_valid(&doc),
            "{}: {:?}",
            path.display(),
            source
                .iter_errors(&doc)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let source = validator("source");
    let base = "[source]\ntitle = \"T\"\npublished = 2025-03-05\n\n[[claim]]\nscene = \"a\"\nreading = \"b\"\n";
    assert!(source.is_valid(&toml_to_json(&format!("{base}summary = \"s\"\n"))));
    assert!(
        !source.is_valid(&toml_to_json(&format!("{base}sumary = \"s\"\n"))),
        "a misspelt field"
    );
    assert!(
        !source.is_valid(&toml_to_json(&format!(
            "{base}summary = \"s\"\nstance = \"endorse\"\n"
        ))),
        "a bad stance"
    );
    assert!(
        !source.is_valid(&toml_to_json("[[claim]]\nscene = \"a\"\nreading = \"b\"\n")),
        "no [source]"
    );
    assert!(
        !source.is_valid(&toml_to_json(
            "[source]\ntitle = \"T\"\ntext = \"../x.txt\"\n"
        )),
        "a text path"
    );

    let work = validator("work");
    let ok = "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"ring-return\"\ntitle = \"R\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n";
    assert!(work.is_valid(&toml_to_json(ok)));
    assert!(
        !work.is_valid(&toml_to_json(&ok.replace("ring-return", "Ring Return"))),
        "an id that is not kebab-case"
    );
    assert!(
        !work.is_valid(&toml_to_json(&ok.replace("label", "lable"))),
        "a misspelt field"
    );
}

#[test]
fn every_property_is_described() {
    fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                if prop.get("description").is_none() {
                    missing.push(format!("{path}.{name}"));
                }
            }
        }
        if let Some(obj) = v.as_object() {
            for (k, child) in obj {
                walk(child, &format!("{path}/{k}"), missing);
            }
        }
    }
    for of in ["work", "source"] {
        let schema: Value = serde_json::from_str(&emitted(of)).unwrap();
        let mut missing = Vec::new();
        walk(&schema, of, &mut missing);
        assert!(missing.is_empty(), "undescribed: {missing:?}");
        let text = schema.to_string();
        assert!(text.contains("^[a-z0-9]+(-[a-z0-9]+)*$") || of == "source");
        if of == "source" {
            assert!(
                text.contains("\"endorses\"")
                    && text.contains("\"considers\"")
                    && text.contains("\"rejects\"")
            );
        }
    }
}
