//! The files as written: serde types that mirror `work.toml` and a claim set field for field,
//! with the span of every value that validation may point at. Unknown fields are refused
//! here; everything else (required fields, ids, references) is checked in `validate`, so
//! that one run reports every problem rather than the first.
//!
//! These types are also the source of the JSON Schemas (`parallax schema`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// `work.toml`: the work, its scenes in narrative order and its codebook of readings.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "parallax work.toml")]
pub struct WorkFile {
    /// The work itself.
    #[schemars(with = "WorkMeta")]
    pub work: Option<Spanned<WorkMeta>>,
    /// The work's scenes, in narrative order (the order tables use).
    #[serde(default)]
    #[schemars(with = "Vec<SceneDef>")]
    pub scene: Vec<Spanned<SceneDef>>,
    /// The codebook: the readings a source may take of a scene.
    #[serde(default)]
    #[schemars(with = "Vec<ReadingDef>")]
    pub reading: Vec<Spanned<ReadingDef>>,
    /// The people whose views sources report (a director, an actor, a critic). Optional;
    /// when present, every claim's `attributed_to` must name one of them.
    #[serde(default)]
    #[schemars(with = "Vec<PersonDef>")]
    pub person: Vec<Spanned<PersonDef>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkMeta {
    /// The work's title, e.g. "Anora".
    #[schemars(with = "String", extend("minLength" = 1))]
    pub title: Option<Spanned<String>>,
    /// Year of release.
    #[serde(default)]
    #[schemars(with = "i64")]
    pub year: Option<Spanned<i64>>,
    /// Directors, writers or authors.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub creators: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SceneDef {
    /// The scene's id: lowercase kebab-case, unique in the work.
    #[schemars(with = "String", extend("pattern" = ID_PATTERN))]
    pub id: Option<Spanned<String>>,
    /// A short human title.
    #[schemars(with = "String", extend("minLength" = 1))]
    pub title: Option<Spanned<String>>,
    /// Other names claims and commands may use for the scene (matched ignoring case).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Option<Vec<Spanned<String>>>,
    /// What happens in the scene.
    #[serde(default)]
    #[schemars(with = "String")]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingDef {
    /// The reading's id: lowercase kebab-case, unique in the work.
    #[schemars(with = "String", extend("pattern" = ID_PATTERN))]
    pub id: Option<Spanned<String>>,
    /// A short human label.
    #[schemars(with = "String", extend("minLength" = 1))]
    pub label: Option<Spanned<String>>,
    /// What taking this reading means.
    #[serde(default)]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// Other names claims may use for the reading (matched ignoring case).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Option<Vec<Spanned<String>>>,
    /// Readings that cannot hold together with this one (ids). The relation is symmetric:
    /// a source endorsing this reading conflicts with one endorsing an excluded reading.
    #[serde(default)]
    #[schemars(with = "Vec<String>", extend("items" = {"type": "string", "pattern": ID_PATTERN}))]
    pub excludes: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonDef {
    /// The person's id: lowercase kebab-case, unique among the work's people.
    #[schemars(with = "String", extend("pattern" = ID_PATTERN))]
    pub id: Option<Spanned<String>>,
    /// The person's name as sources write it, e.g. "Sean Baker".
    #[schemars(with = "String", extend("minLength" = 1))]
    pub name: Option<Spanned<String>>,
    /// Other names sources use for the person (matched ignoring case), e.g. "Baker".
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Option<Vec<Spanned<String>>>,
    /// What the person is to the work: "director", "lead actress"… (free text).
    #[serde(default)]
    #[schemars(with = "String")]
    pub role: Option<String>,
}

/// A claim set: `sources/<id>.toml`, one source's readings of the work's scenes.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "parallax claim set")]
pub struct SourceFile {
    /// The source: an article, review, interview…
    #[schemars(with = "SourceMeta")]
    pub source: Option<Spanned<SourceMeta>>,
    /// One claim is one reading of one scene.
    #[serde(default)]
    #[schemars(with = "Vec<ClaimDef>")]
    pub claim: Vec<Spanned<ClaimDef>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    /// The source's title, as it gives it.
    #[schemars(with = "String", extend("minLength" = 1))]
    pub title: Option<Spanned<String>>,
    /// What kind of source this is.
    #[serde(default)]
    #[schemars(with = "KindName")]
    pub kind: Option<Spanned<String>>,
    /// Who wrote or made it.
    #[serde(default)]
    #[schemars(with = "String")]
    pub author: Option<String>,
    /// Where it appeared.
    #[serde(default)]
    #[schemars(with = "String")]
    pub publisher: Option<String>,
    /// Where it can be read.
    #[serde(default)]
    #[schemars(with = "String")]
    pub url: Option<String>,
    /// When it was published: a TOML date (2025-03-05), or a string giving as much as is
    /// known ("2025", "2025-03", "2025-03-05").
    #[serde(default)]
    #[schemars(schema_with = "published_schema")]
    pub published: Option<Spanned<Published>>,
    /// File name of an archived copy of the text, looked up in the work's `texts/` folder
    /// or in `check --texts DIR`; quotes are checked against it.
    #[serde(default)]
    #[schemars(with = "String", extend("pattern" = r"^[^/\\]+$"))]
    pub text: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimDef {
    /// The scene: its id or one of its aliases.
    #[schemars(with = "String")]
    pub scene: Option<Spanned<String>>,
    /// The reading: its id or one of its aliases.
    #[schemars(with = "String")]
    pub reading: Option<Spanned<String>>,
    /// The source's position toward the reading; `endorses` when left out.
    #[serde(default)]
    #[schemars(with = "StanceName")]
    pub stance: Option<Spanned<String>>,
    /// The source's point, paraphrased. A claim needs a summary, a quote, or both.
    #[serde(default)]
    #[schemars(with = "String")]
    pub summary: Option<Spanned<String>>,
    /// The source's exact words.
    #[serde(default)]
    #[schemars(with = "String")]
    pub quote: Option<Spanned<String>>,
    /// Whose view the source reports, when it is not the source's own. When work.toml
    /// declares `[[person]]` entries, a person's id, name or alias (any case).
    #[serde(default)]
    #[schemars(with = "String")]
    pub attributed_to: Option<Spanned<String>>,
    /// Where that person said it.
    #[serde(default)]
    #[schemars(with = "String")]
    pub via: Option<Spanned<String>>,
}

/// `published` as written: a TOML date, or a string that validation checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    Date(toml::value::Datetime),
    Text(String),
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;

        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Published;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date or a string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Published, E> {
                Ok(Published::Text(v.to_string()))
            }

            // a TOML date reaches serde as a one-entry map
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Published, A::Error> {
                let de = serde::de::value::MapAccessDeserializer::new(map);
                toml::value::Datetime::deserialize(de).map(Published::Date)
            }
        }

        deserializer.deserialize_any(Visit)
    }
}

impl Serialize for Published {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Published::Date(d) => d.serialize(serializer),
            Published::Text(t) => t.serialize(serializer),
        }
    }
}

/// A TOML date (an editor sees it as a string) or a string "YYYY" or "YYYY-MM"; the two
/// patterns do not overlap, so exactly one branch holds.
fn published_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "oneOf": [
            {
                "description": "a date: a TOML date (2025-03-05) or a string \"2025-03-05\"",
                "type": "string",
                "format": "date",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
            },
            {
                "description": "a year (\"2025\") or a month (\"2025-03\")",
                "type": "string",
                "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]))?$"
            }
        ]
    })
}

/// The id pattern of docs/formats.md.
pub const ID_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// A stance, as the schema spells it.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum StanceName {
    Endorses,
    Considers,
    Rejects,
}

/// A source kind, as the schema spells it.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum KindName {
    Article,
    Review,
    Essay,
    Interview,
    Video,
    Podcast,
    Book,
    Other,
}
