//! The validated corpus: every id resolved, every reference an index. Views read only these
//! types, so they never meet an unknown scene or a misspelt stance.

use std::fmt;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A source's position toward a reading (docs/formats.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Endorses,
    Considers,
    Rejects,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Endorses, Stance::Considers, Stance::Rejects];

    pub fn name(self) -> &'static str {
        match self {
            Stance::Endorses => "endorses",
            Stance::Considers => "considers",
            Stance::Rejects => "rejects",
        }
    }

    /// The mark shown before a reading, so stance survives without colour.
    pub fn mark(self) -> &'static str {
        match self {
            Stance::Endorses => "✓",
            Stance::Considers => "?",
            Stance::Rejects => "✗",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|st| st.name() == s)
    }
}

/// What kind of publication a source is (docs/formats.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Article,
    Review,
    Essay,
    Interview,
    Video,
    Podcast,
    Book,
    Other,
}

impl SourceKind {
    pub const ALL: [SourceKind; 8] = [
        SourceKind::Article,
        SourceKind::Review,
        SourceKind::Essay,
        SourceKind::Interview,
        SourceKind::Video,
        SourceKind::Podcast,
        SourceKind::Book,
        SourceKind::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Article => "article",
            SourceKind::Review => "review",
            SourceKind::Essay => "essay",
            SourceKind::Interview => "interview",
            SourceKind::Video => "video",
            SourceKind::Podcast => "podcast",
            SourceKind::Book => "book",
            SourceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// Positions belong with the diagnostics that point at them; the model keeps the name.
pub use crate::diagnostic::Pos;

#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub id: String,
    /// where the scene's `id` is written in `work.toml`
    pub pos: Pos,
    pub title: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub id: String,
    /// where the reading's `id` is written in `work.toml`
    pub pos: Pos,
    pub label: String,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    /// readings that cannot hold together with this one, as indices into
    /// [`Work::readings`], sorted; the relation is symmetric (either side may declare it)
    pub excludes: Vec<usize>,
}

/// Someone whose views sources report: declared in `work.toml` (`[[person]]`), or, in a
/// work without a registry, gathered from the claims' `attributed_to` names.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    /// where the person's `id` is written in `work.toml`; `None` for a person gathered
    /// from the claims
    pub pos: Option<Pos>,
}

#[derive(Debug, Clone)]
pub struct Claim {
    /// [`scene`](Self::scene), kept in 32 bits: a corpus holds many claims
    scene: u32,
    /// [`reading`](Self::reading)
    reading: u32,
    pub stance: Stance,
    /// whose voice the claim is in, [`person`](Self::person) plus one (so that `None` costs
    /// no space of its own)
    person: Option<NonZeroU32>,
    /// where the claim's `[[claim]]` header is
    pub pos: Pos,
    /// `summary`, `quote`, `attributed_to` and `via`, and where the quote is written
    pub texts: ClaimTexts,
}

/// Equal claims say the same thing, written in the same places (their texts compare by
/// what they say; where the quote is written compares here).
impl PartialEq for Claim {
    fn eq(&self, other: &Self) -> bool {
        (self.scene, self.reading, self.stance, self.person, self.pos)
            == (
                other.scene,
                other.reading,
                other.stance,
                other.person,
                other.pos,
            )
            && self.texts == other.texts
            && self.quote_pos() == other.quote_pos()
    }
}

impl Claim {
    /// A claim of `scene` and `reading`, in the source's own voice.
    pub fn new(scene: usize, reading: usize, stance: Stance, pos: Pos, texts: ClaimTexts) -> Self {
        let small = |i: usize| u32::try_from(i).expect("a codebook has fewer than 2^32 entries");
        Claim {
            scene: small(scene),
            reading: small(reading),
            stance,
            person: None,
            pos,
            texts,
        }
    }

    /// The claim's scene: an index into [`Work::scenes`].
    pub fn scene(&self) -> usize {
        self.scene as usize
    }

    /// The claim's reading: an index into [`Work::readings`].
    pub fn reading(&self) -> usize {
        self.reading as usize
    }

    /// Whose voice the claim is in: an index into [`Work::people`]; `None` is the source's
    /// own voice.
    pub fn person(&self) -> Option<u32> {
        self.person.map(|p| p.get() - 1)
    }

    pub fn set_person(&mut self, person: Option<u32>) {
        self.person = person.and_then(|p| NonZeroU32::new(p.checked_add(1)?));
    }

    /// Where the `quote` value is written, for quote-checking diagnostics.
    pub fn quote_pos(&self) -> Option<Pos> {
        self.texts.quote_at()
    }

    pub fn summary(&self) -> Option<&str> {
        self.texts.get(0)
    }

    pub fn quote(&self) -> Option<&str> {
        self.texts.get(1)
    }

    /// the name as the claim writes it
    pub fn attributed_to(&self) -> Option<&str> {
        self.texts.get(2)
    }

    pub fn via(&self) -> Option<&str> {
        self.texts.get(3)
    }
}

/// The texts of the claims of one claim file, one after another, and for each claim where
/// its four texts end and where its `quote` is written. Every claim of the file shares it.
#[derive(Debug, Default)]
pub struct FileTexts {
    text: String,
    /// four per claim: where `summary`, `quote`, `attributed_to` and `via` end in `text`;
    /// a claim's texts start where the claim before it ends
    ends: Vec<u32>,
    /// per claim, where its `quote` value is; line 0 when there is none
    quotes_at: Vec<Pos>,
}

impl FileTexts {
    /// Room for `claims` claims whose texts take `bytes` in all.
    pub fn with_capacity(claims: usize, bytes: usize) -> Self {
        FileTexts {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(4 * claims),
            quotes_at: Vec::with_capacity(claims),
        }
    }

    /// Gives back what was reserved and not used.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.quotes_at.shrink_to_fit();
    }
}

/// The four texts a claim may have (`summary`, `quote`, `attributed_to`, `via`) and where
/// its quote is written, kept in the [`FileTexts`] of its claim file. A corpus holds a claim
/// for every few hundred bytes of its files, so a claim is kept small: four `Option<String>`
/// would take 96 bytes and up to four allocations of their own; this takes 16 and none.
#[derive(Clone)]
pub struct ClaimTexts {
    /// the texts of the claims of the file (`None` until [`share`](Self::share), and for a
    /// claim whose texts were let go: [`Source::positions_only`])
    arena: Option<Arc<FileTexts>>,
    /// which claim of the file this is
    index: u32,
    /// bit i: text i is present
    present: u8,
}

impl ClaimTexts {
    /// The texts of one claim, in a [`FileTexts`] of their own.
    pub fn new(
        summary: Option<&str>,
        quote: Option<&str>,
        attributed_to: Option<&str>,
        via: Option<&str>,
    ) -> Self {
        let mut arena = FileTexts::default();
        let mut texts = Self::append(&mut arena, [summary, quote, attributed_to, via], None);
        texts.arena = Some(Arc::new(arena));
        texts
    }

    /// No texts: what a claim keeps when only its position is read ([`Source::positions_only`]).
    pub fn none() -> Self {
        ClaimTexts {
            arena: None,
            index: 0,
            present: 0,
        }
    }

    /// Appends the texts of a claim, and where its quote is written, to the texts of its
    /// file, `arena`: they are readable once [`share`](Self::share) gives them that arena,
    /// complete. The lengths of a file's texts together must fit in a `u32`, which a file
    /// that `load` accepts ensures.
    pub fn append(arena: &mut FileTexts, parts: [Option<&str>; 4], quote_at: Option<Pos>) -> Self {
        let offset = |n: usize| u32::try_from(n).expect("a corpus file is under 4 GiB");
        let index = offset(arena.quotes_at.len());
        let mut present = 0u8;
        for (i, part) in parts.iter().enumerate() {
            if let Some(text) = part {
                arena.text.push_str(text);
                present |= 1 << i;
            }
            arena.ends.push(offset(arena.text.len()));
        }
        arena.quotes_at.push(quote_at.unwrap_or_default());
        ClaimTexts {
            arena: None,
            index,
            present,
        }
    }

    /// Gives texts made by [`append`](Self::append) the arena they were appended to.
    pub fn share(&mut self, arena: &Arc<FileTexts>) {
        self.arena = Some(Arc::clone(arena));
    }

    fn get(&self, i: usize) -> Option<&str> {
        if self.present & (1 << i) == 0 {
            return None;
        }
        let arena = self.arena.as_deref()?;
        let at = 4 * self.index as usize + i;
        let start = match at {
            0 => 0,
            _ => *arena.ends.get(at - 1)?,
        };
        arena
            .text
            .get(start as usize..*arena.ends.get(at)? as usize)
    }

    /// Where the claim's `quote` value is written.
    fn quote_at(&self) -> Option<Pos> {
        let arena = self.arena.as_deref()?;
        let pos = *arena.quotes_at.get(self.index as usize)?;
        (pos.line > 0).then_some(pos)
    }

    fn all(&self) -> [Option<&str>; 4] {
        [self.get(0), self.get(1), self.get(2), self.get(3)]
    }
}

impl PartialEq for ClaimTexts {
    fn eq(&self, other: &Self) -> bool {
        self.all() == other.all()
    }
}

impl Eq for ClaimTexts {}

impl std::hash::Hash for ClaimTexts {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.all().hash(state);
    }
}

impl fmt::Debug for ClaimTexts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimTexts")
            .field("summary", &self.get(0))
            .field("quote", &self.get(1))
            .field("attributed_to", &self.get(2))
            .field("via", &self.get(3))
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    /// the folder of the claim file, as the user would type it (the corpus root joined with
    /// the work's `sources/`), one for every source of the work: [`path`](Self::path)
    pub folder: Arc<PathBuf>,
    pub title: String,
    pub kind: Option<SourceKind>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// a TOML date, kept in its written form (YYYY-MM-DD)
    pub published: Option<String>,
    /// the archived text's file name and where it is written
    pub text: Option<(String, Pos)>,
    pub claims: Vec<Claim>,
}

impl Source {
    /// A source with only its id and folder: no metadata and no claims yet.
    pub fn new(id: String, folder: Arc<PathBuf>) -> Self {
        Source {
            id,
            folder,
            title: String::new(),
            kind: None,
            author: None,
            publisher: None,
            url: None,
            published: None,
            text: None,
            claims: Vec::new(),
        }
    }

    /// The claim file, as the user would type it: `<id>.toml` in [`folder`](Self::folder).
    pub fn path(&self) -> PathBuf {
        Self::path_in(&self.folder, &self.id)
    }

    /// Lets go of the claims' texts (summaries, quotes, names as written): what a view that
    /// reads only positions needs, in a third less memory. Scenes, readings, stances and
    /// resolved voices are kept. Only once the work is assembled: where the work has no
    /// registry of people, who a claim reports is found from the names the claims write.
    pub fn positions_only(&mut self) {
        self.drop_texts(|_| true);
    }

    /// [`positions_only`](Self::positions_only) for the claims that report nobody: what a
    /// source can let go of before people are gathered across sources.
    pub fn positions_and_names_only(&mut self) {
        self.drop_texts(|claim| claim.attributed_to().is_none());
    }

    fn drop_texts(&mut self, of: impl Fn(&Claim) -> bool) {
        for claim in &mut self.claims {
            if of(claim) {
                claim.texts = ClaimTexts::none();
            }
        }
    }

    /// The claim file of source `id` in `folder`.
    pub fn path_in(folder: &Path, id: &str) -> PathBuf {
        folder.join(format!("{id}.toml"))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub id: String,
    pub dir: PathBuf,
    pub title: String,
    pub year: Option<i64>,
    pub creators: Vec<String>,
    /// in narrative order
    pub scenes: Vec<Scene>,
    pub readings: Vec<Reading>,
    /// the registry of `work.toml`, or the names the claims attribute views to
    pub people: Vec<Person>,
    /// whether `people` was declared in `work.toml` (then every name must resolve)
    pub registry: bool,
    /// sorted by id
    pub sources: Vec<Source>,
    /// the coders who coded sources of the work (`codings/<coder>/`), sorted by id
    pub coders: Vec<Coder>,
}

/// A coder of a work: the claim sets they made, one per source they coded (docs/rules.md#reliability:
/// `codings/<coder>/<source>.toml`). Each coding carries the source's metadata, from its
/// own `[source]` table or, without one, the source's.
#[derive(Debug, Clone, PartialEq)]
pub struct Coder {
    pub id: String,
    /// sorted by source id
    pub codings: Vec<Source>,
}

impl Coder {
    /// The coder's coding of source `id`.
    pub fn coding(&self, id: &str) -> Option<&Source> {
        self.codings
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.codings[i])
    }
}

/// What a person's name typed by a user finds ([`Work::lookup_person`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonLookup {
    /// the index of the person in [`Work::people`]
    Found(usize),
    /// a surname several people share: their indices
    Ambiguous(Vec<usize>),
    Unknown,
}

/// How a name typed by a user resolves against ids and aliases: ids exactly, aliases
/// ignoring case and runs of white space.
pub fn alias_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Work {
    pub fn scene_index(&self, name: &str) -> Option<usize> {
        find_named(
            name,
            self.scenes
                .iter()
                .map(|s| (s.id.as_str(), s.aliases.as_slice())),
        )
    }

    pub fn reading_index(&self, name: &str) -> Option<usize> {
        find_named(
            name,
            self.readings
                .iter()
                .map(|r| (r.id.as_str(), r.aliases.as_slice())),
        )
    }

    /// A person by id, name or alias, ignoring case and runs of white space.
    pub fn person_index(&self, name: &str) -> Option<usize> {
        let key = alias_key(name);
        self.people.iter().position(|p| {
            p.id == key
                || alias_key(&p.name) == key
                || p.aliases.iter().any(|a| alias_key(a) == key)
        })
    }

    /// A person a user names on the command line (`--person`, `--voice`): by id, name or
    /// alias ([`person_index`](Self::person_index)); in a work without a `[[person]]`
    /// registry, also by surname: one word that is the last word of exactly one person's
    /// name, ignoring case (`baker` for "Sean Baker").
    pub fn lookup_person(&self, name: &str) -> PersonLookup {
        if let Some(i) = self.person_index(name) {
            return PersonLookup::Found(i);
        }
        if self.registry {
            return PersonLookup::Unknown;
        }
        match super::people::by_surname(&self.people, name).as_slice() {
            [] => PersonLookup::Unknown,
            [one] => PersonLookup::Found(*one),
            several => PersonLookup::Ambiguous(several.to_vec()),
        }
    }

    /// Every name a person can be called by, for "did you mean" suggestions.
    pub fn person_names(&self) -> Vec<&str> {
        self.people
            .iter()
            .flat_map(|p| {
                [p.id.as_str(), p.name.as_str()]
                    .into_iter()
                    .chain(p.aliases.iter().map(String::as_str))
            })
            .collect()
    }

    /// Whether two readings exclude each other (docs/formats.md `excludes`).
    pub fn excludes(&self, a: usize, b: usize) -> bool {
        self.readings[a].excludes.binary_search(&b).is_ok()
    }

    /// The name a claim's voice is shown by: the person's name, or `None` for the
    /// source's own voice.
    pub fn voice_name<'a>(&'a self, claim: &'a Claim) -> Option<&'a str> {
        claim
            .person()
            .map(|p| self.people[p as usize].name.as_str())
            .or(claim.attributed_to())
    }

    pub fn source_index(&self, id: &str) -> Option<usize> {
        self.sources
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
    }

    /// Every name a scene can be called by, for "did you mean" suggestions.
    pub fn scene_names(&self) -> Vec<&str> {
        self.scenes
            .iter()
            .flat_map(|s| {
                std::iter::once(s.id.as_str()).chain(s.aliases.iter().map(String::as_str))
            })
            .collect()
    }

    pub fn reading_names(&self) -> Vec<&str> {
        self.readings
            .iter()
            .flat_map(|r| {
                std::iter::once(r.id.as_str()).chain(r.aliases.iter().map(String::as_str))
            })
            .collect()
    }

    pub fn claim_count(&self) -> usize {
        self.sources.iter().map(|s| s.claims.len()).sum()
    }

    /// The claims of the work's codings, every coder's.
    pub fn coded_claim_count(&self) -> usize {
        self.codings().map(|(_, s)| s.claims.len()).sum()
    }

    /// Every coding of the work, coder by coder, each with its coder.
    pub fn codings(&self) -> impl Iterator<Item = (&Coder, &Source)> {
        self.coders
            .iter()
            .flat_map(|c| c.codings.iter().map(move |s| (c, s)))
    }

    /// Every claim set of the work: its sources, then every coder's codings.
    pub fn claim_sets(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().chain(self.codings().map(|(_, s)| s))
    }

    pub fn coder_index(&self, id: &str) -> Option<usize> {
        self.coders.binary_search_by(|c| c.id.as_str().cmp(id)).ok()
    }
}

fn find_named<'a>(
    name: &str,
    items: impl Iterator<Item = (&'a str, &'a [String])> + Clone,
) -> Option<usize> {
    if let Some(i) = items.clone().position(|(id, _)| id == name) {
        return Some(i);
    }
    let key = alias_key(name);
    items
        .clone()
        .position(|(id, aliases)| id == key || aliases.iter().any(|a| alias_key(a) == key))
}

/// A loaded corpus: the works that were asked for, sorted by id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Corpus {
    pub root: PathBuf,
    pub works: Vec<Work>,
}

/// Whether a string is a valid id: lowercase kebab-case, `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The kebab-case form of a string, offered as a fix for an invalid id.
pub fn to_kebab(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        for ok in ["a", "ring-return", "s-00001", "2024", "a-b-c"] {
            assert!(is_kebab(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "Ring",
            "ring_return",
            "ring return",
            "é",
        ] {
            assert!(!is_kebab(bad), "{bad}");
        }
        assert_eq!(to_kebab("Ring Return!"), "ring-return");
        assert_eq!(to_kebab("car_scene--2"), "car-scene-2");
    }

    #[test]
    fn alias_keys_fold_case_and_space() {
        assert_eq!(alias_key("  The   Ring "), "the ring");
    }

    proptest::proptest! {
        /// A claim's texts read back as they were given, present or not.
        #[test]
        fn claim_texts_read_back(
            texts in proptest::array::uniform4(proptest::option::of(".{0,12}")),
        ) {
            let [a, b, c, d] = texts.clone();
            let t = ClaimTexts::new(a.as_deref(), b.as_deref(), c.as_deref(), d.as_deref());
            let got = [t.get(0), t.get(1), t.get(2), t.get(3)];
            let want = texts.each_ref().map(|x| x.as_deref());
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        /// The claims of one file share its texts, and each reads back its own, with where
        /// its quote is written.
        #[test]
        fn claims_of_one_file_read_back_their_own_texts(
            claims in proptest::collection::vec(
                (proptest::array::uniform4(proptest::option::of(".{0,8}")), 0u32..4),
                0..6,
            ),
        ) {
            let mut arena = FileTexts::with_capacity(claims.len(), 0);
            let mut made: Vec<ClaimTexts> = claims
                .iter()
                .map(|(texts, line)| {
                    let at = (*line > 0).then_some(Pos { line: *line, column: 1 });
                    ClaimTexts::append(&mut arena, texts.each_ref().map(|x| x.as_deref()), at)
                })
                .collect();
            arena.shrink_to_fit();
            let arena = Arc::new(arena);
            for (texts, (want, line)) in made.iter_mut().zip(&claims) {
                texts.share(&arena);
                let want_texts = want.each_ref().map(|x| x.as_deref());
                proptest::prop_assert_eq!(texts.all(), want_texts);
                proptest::prop_assert_eq!(texts.quote_at().map(|p| p.line), (*line > 0).then_some(*line));
            }
        }
    }

    #[test]
    fn a_claim_without_its_texts_keeps_its_position() {
        let texts = ClaimTexts::new(Some("s"), Some("q"), None, None);
        let claim = Claim::new(2, 3, Stance::Rejects, Pos { line: 4, column: 1 }, texts);
        let reported = ClaimTexts::new(Some("s"), None, Some("Sean Baker"), None);
        let reported = Claim::new(1, 0, Stance::Endorses, Pos { line: 9, column: 1 }, reported);
        let mut source = Source::new("a".into(), Arc::new(PathBuf::from("sources")));
        source.claims.extend([claim, reported]);
        // before people are gathered, a claim that names whom it reports keeps the name
        source.positions_and_names_only();
        let [own, reported] = [&source.claims[0], &source.claims[1]];
        assert_eq!(
            (own.summary(), own.quote(), own.quote_pos()),
            (None, None, None)
        );
        assert_eq!(reported.attributed_to(), Some("Sean Baker"));
        source.positions_only();
        let [own, reported] = [&source.claims[0], &source.claims[1]];
        assert_eq!(
            (own.scene(), own.reading(), own.stance),
            (2, 3, Stance::Rejects)
        );
        assert_eq!((reported.scene(), reported.attributed_to()), (1, None));
    }

    #[test]
    fn a_claim_stays_small() {
        // a corpus holds a claim per few hundred bytes: its size is most of a corpus's memory
        assert!(
            std::mem::size_of::<Claim>() <= 40,
            "{}",
            std::mem::size_of::<Claim>()
        );
    }
}
