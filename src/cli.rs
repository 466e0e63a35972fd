//! The command line as clap sees it. `main` turns it into plain options before any work.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, StyledStr, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCandidates;

use crate::complete::from_args as complete;
use crate::interchange::hypothesis::IdFrom;
use crate::render::Format;
use crate::views::agreement::{Resample, SortBy};
use crate::views::export::PairsMode;
use crate::views::reliability::SortBy as ReliabilitySort;
use crate::views::reliability::units::ValueKind;

/// Compare how sources interpret a work, scene by scene.
///
/// Each source's reading of a work is a TOML claim set; parallax aligns the claim sets by
/// scene and shows where the sources agree and where they diverge.
#[derive(Debug, Parser)]
#[command(name = "parallax", version, about, long_about = None, max_term_width = 100)]
#[command(after_help = examples(&[
    "parallax compare ending-explained car-scene-tears",
    "parallax check",
    "parallax show source car-scene-tears",
]))]
pub struct Cli {
    /// The corpus folder (one sub-folder per work). Without it and $PARALLAX_CORPUS: the
    /// nearest folder, from the current one upward, that is a corpus root, a work folder or
    /// holds interpretations/
    #[arg(
        long,
        global = true,
        env = "PARALLAX_CORPUS",
        value_name = "DIR",
        help_heading = GLOBAL
    )]
    pub corpus: Option<PathBuf>,

    /// The work to use; may be left out when the corpus holds one work, or when parallax is
    /// run inside a work folder
    #[arg(long, global = true, value_name = "ID", help_heading = GLOBAL, add = ArgValueCandidates::new(complete::works))]
    pub work: Option<String>,

    /// Read this coder's codings (codings/NAME/) in place of the work's claim sets; with
    /// `new coding` and `import`, the coder whose codings are written
    #[arg(long, global = true, value_name = "NAME", help_heading = GLOBAL, add = ArgValueCandidates::new(complete::coders))]
    pub coder: Option<String>,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the options every command takes, listed after a command's own.
const GLOBAL: &str = "Global options";

/// A help's closing "Examples:" section, its heading styled as clap styles its own.
fn examples(lines: &[&str]) -> StyledStr {
    let heading = anstyle::Style::new().bold().underline();
    let mut text = format!("{heading}Examples:{heading:#}\n");
    for line in lines {
        text.push_str(&format!("  {line}\n"));
    }
    StyledStr::from(text.trim_end().to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// colour when writing to a terminal, unless NO_COLOR is set or TERM is dumb
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Two sources side by side, a row per scene: each side's claims and the verdict
    ///
    /// Each side shows its claims in full: stance, reading, attribution and summary, and the
    /// quote in every format but the terminal table (there with --quotes).
    #[command(after_help = examples(&[
        "parallax compare ending-explained car-scene-tears",
        "parallax compare ending-explained car-scene-tears --scene tears --quotes",
        "parallax compare ending-explained car-scene-tears --brief -o pair.md",
    ]))]
    Compare {
        /// The left source's id
        #[arg(add = ArgValueCandidates::new(complete::sources))]
        left: String,
        /// The right source's id
        #[arg(add = ArgValueCandidates::new(complete::sources))]
        right: String,
        /// Only this scene (id or alias); may be repeated
        #[arg(long = "scene", value_name = "SCENE", add = ArgValueCandidates::new(complete::scenes))]
        scenes: Vec<String>,
        /// Readings only: a compact table of stance marks and reading ids
        #[arg(long)]
        brief: bool,
        /// Show quotes in the terminal table too
        #[arg(long)]
        quotes: bool,
        /// Add a word diff of what the two sources say about each reading both speak of on
        /// a scene (their quotes where both quote, else their summaries)
        #[arg(long)]
        diff: bool,
        /// Show scenes neither source speaks of
        #[arg(long)]
        all_scenes: bool,
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Every source's claims on one scene, grouped by reading, with a consensus line
    #[command(after_help = examples(&[
        "parallax scene car-encounter",
        "parallax scene \"the kiss\" --voice all",
        "parallax scene tears -f csv -o tears.csv",
    ]))]
    Scene {
        /// The scene's id or alias
        #[arg(add = ArgValueCandidates::new(complete::scenes))]
        scene: String,
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The whole work: scenes × sources, each cell the source's readings of the scene
    #[command(after_help = examples(&[
        "parallax matrix",
        "parallax matrix --kind article -f markdown",
        "parallax matrix -f csv -o claims.csv",
    ]))]
    Matrix {
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Krippendorff's alpha (nominal, MASI, Jaccard), per reading, per source left out, per
    /// scene and per pair of sources.
    ///
    /// A source's value for a scene is the set of readings it endorses there in the chosen
    /// voice (--voice, default own: views a source only reports are not its own); a source
    /// that endorses nothing in a scene is missing there. Alpha is judged on its MASI
    /// figure by Krippendorff's thresholds: 0.800 or more reliable, 0.667 to 0.800
    /// tentative, below not reliable; with fewer than 10 pairable values a warning says
    /// alpha rests on too little data, and an undefined alpha (n/a) gets no verdict.
    ///
    /// Per reading: alpha (nominal) of "does the source endorse this reading here?" over the
    /// same values. Leave one out: MASI alpha without each source, largest change first.
    #[command(after_help = examples(&[
        "parallax agreement --no-pairs",
        "parallax agreement --bootstrap 10000 --sort agreement",
        "parallax agreement -f json -o agreement.json",
    ]))]
    Agreement {
        /// Leave out the source × source table (it grows with the square of the sources)
        #[arg(long)]
        no_pairs: bool,
        /// Bootstrap alpha's 95% interval and the probability that alpha is below 0.667 and
        /// 0.800, from N samples (10000 is a good choice), by Krippendorff's algorithm:
        /// each sample draws M = min(25·q, (m − 1)·n/2) pairs of values from the
        /// coincidence matrix (q its non-zero cells, m the sources, n the pairable values)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        bootstrap: Option<u64>,
        /// The bootstrap's random seed: the same seed gives the same figures on every
        /// machine
        #[arg(long, value_name = "S", default_value_t = crate::agreement::bootstrap::DEFAULT_SEED, requires = "bootstrap")]
        seed: u64,
        /// What the bootstrap resamples: pairs of values with D_e fixed (Krippendorff's
        /// algorithm), or units (scenes) with replacement, each sample with its own D_e
        #[arg(long, value_enum, value_name = "WHAT", default_value_t = Resample::Pairs, requires = "bootstrap")]
        resample: Resample,
        /// Order of the tables: name (scenes in narrative order, pairs in source order),
        /// agreement (the most disputed scenes, readings and pairs first) or conflicts
        /// (pairs with the most conflicts first)
        #[arg(long, value_enum, value_name = "ORDER", default_value_t = SortBy::Name)]
        sort: SortBy,
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Intercoder reliability: how far the coders who coded the same sources agree, with
    /// every disagreement listed.
    ///
    /// Units are a source's scenes, coders are the work's coders (codings/<coder>/), and a
    /// coder's value on a unit is the set of readings the coding endorses there (--value
    /// readings) or a code per claim, stance, reading and voice together (--value
    /// positions). A coder who coded the source and found nothing on a scene has the empty
    /// value, which disagrees with any reading; units where every coder found nothing are
    /// left out. Alpha nominal, MASI and Jaccard with Krippendorff's verdict; per coder
    /// (alpha without them, mean agreement), coders × coders, per source, per reading, and
    /// each unit where the coders differ with what each recorded.
    #[command(after_help = examples(&[
        "parallax reliability --no-disagreements",
        "parallax reliability --coders ana,ben --gold",
        "parallax reliability --bootstrap 1000 --resample units -f json",
    ]))]
    Reliability {
        /// What a coder's value is: the readings endorsed (readings), or every claim's
        /// stance, reading and voice (positions)
        #[arg(long, value_enum, value_name = "WHAT", default_value_t = ValueKind::Readings)]
        value: ValueKind,
        /// Whose views count: own (the source's own claims), all, or a person; the default
        /// is own for --value readings and all for --value positions
        #[arg(long, value_name = "own|all|PERSON", add = ArgValueCandidates::new(complete::voices))]
        voice: Option<String>,
        /// Only these coders (ids, comma-separated or repeated), reported in this order
        #[arg(long, value_delimiter = ',', value_name = "ID,…", add = ArgValueCandidates::new(complete::coders))]
        coders: Vec<String>,
        /// Each coder against the work's claim sets (sources/) as the reference:
        /// precision, recall, F1 and alpha
        #[arg(long)]
        gold: bool,
        /// Leave out the list of disagreements (every unit where the coders differ, with
        /// what each recorded)
        #[arg(long)]
        no_disagreements: bool,
        /// Show quotes in the terminal's list of disagreements too
        #[arg(long)]
        quotes: bool,
        /// Bootstrap alpha's 95% interval and the probability that alpha is below 0.667 and
        /// 0.800, from N samples (10000 is a good choice)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        bootstrap: Option<u64>,
        /// The bootstrap's random seed: the same seed gives the same figures on every machine
        #[arg(long, value_name = "S", default_value_t = crate::agreement::bootstrap::DEFAULT_SEED, requires = "bootstrap")]
        seed: u64,
        /// What the bootstrap resamples: pairs of values with D_e fixed (Krippendorff's
        /// algorithm), or units with replacement, each sample with its own D_e
        #[arg(long, value_enum, value_name = "WHAT", default_value_t = Resample::Pairs, requires = "bootstrap")]
        resample: Resample,
        /// Order of the tables: name, or agreement (the least agreement first)
        #[arg(long, value_enum, value_name = "ORDER", default_value_t = ReliabilitySort::Name)]
        sort: ReliabilitySort,
        #[command(flatten)]
        filter: SourceFilter,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The complete report in one file: sources, codebook, matrix, agreement, pairs, scenes.
    ///
    /// `--format qdpx` (or `-o FILE.qdpx`) writes the work as a REFI-QDA project for QDA
    /// software instead: texts, coded quotes, codes and notes; `--format annotations` (or
    /// `-o FILE.jsonld`) the claims as W3C Web Annotations (see the README, "Interchange").
    #[command(after_help = examples(&[
        "parallax export -o anora.html",
        "parallax export -o anora.tex --pairs none",
        "parallax export -o anora.qdpx",
    ]))]
    #[command(mut_arg("format", |format| format.value_parser(formats(true))))]
    Export {
        /// Which pairs of sources to write: every pair in full (all), none, or auto: in full
        /// up to 12 sources, else the pair table and heatmap only
        #[arg(long, value_enum, default_value_t = PairsMode::Auto, value_name = "WHICH")]
        pairs: PairsMode,
        /// qdpx and annotations: also look for the sources' archived texts in this folder
        #[arg(long, value_name = "DIR")]
        texts: Option<PathBuf>,
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Every person the sources report: what each source says they hold, scene by scene;
    /// contradictory attributions; one remark quoted in different words
    #[command(after_help = examples(&[
        "parallax voices",
        "parallax voices --person baker",
        "parallax voices -f json -o voices.json",
    ]))]
    Voices {
        /// Only this person (id, name or alias)
        #[arg(long, value_name = "PERSON", add = ArgValueCandidates::new(complete::persons))]
        person: Option<String>,
        #[command(flatten)]
        filter: SourceFilter,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// One source whole: its metadata, its coders, and each claim with its scene, reading,
    /// stance, voice, summary and quote, and whether the quote is found in the source's text.
    ///
    /// With --coder NAME, that coder's coding of the source.
    #[command(subcommand)]
    #[command(after_help = examples(&[
        "parallax show source car-scene-tears",
        "parallax show source ending-explained --coder ana -f markdown",
    ]))]
    Show(ShowWhat),
    /// Validate the corpus: syntax, fields, ids, references, duplicates, quotes
    #[command(after_help = examples(&[
        "parallax check",
        "parallax check --strict --voice all",
        "parallax check -f json",
    ]))]
    Check {
        /// Also look for the sources' archived texts in this folder
        #[arg(long, value_name = "DIR")]
        texts: Option<PathBuf>,
        /// Treat warnings as errors (exit 1 if there are any)
        #[arg(long)]
        strict: bool,
        /// Which claims the endorse-and-reject warning weighs together: each voice apart
        /// (own, the default), every claim together (all), or one person's claims
        #[arg(long, value_name = "own|all|PERSON", default_value = "own", add = ArgValueCandidates::new(complete::voices))]
        voice: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// What the corpus holds, with counts
    #[command(after_help = examples(&[
        "parallax list sources",
        "parallax list readings -f csv -o codebook.csv",
        "parallax list works",
    ]))]
    List {
        /// What to list
        #[arg(value_enum)]
        what: ListWhat,
        #[command(flatten)]
        skip: KeepGoing,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print the JSON Schema of work.toml or of a claim set (for editors)
    #[command(after_help = examples(&[
        "parallax schema source",
        "parallax schema work -o work.schema.json",
    ]))]
    Schema {
        #[arg(value_enum)]
        of: SchemaOf,
        /// Write to FILE (atomically) instead of standard output
        #[arg(long = "output", short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Start a claim set or a work from a commented template; never overwrites a file
    #[command(after_help = examples(&[
        "parallax new source anora-review --title \"Anora review\" --kind review",
        "parallax new work the-substance",
    ]))]
    #[command(subcommand)]
    New(NewWhat),
    /// Change the id of a scene, reading, source or person in every file of the work.
    ///
    /// Comments and layout are kept. The change is checked in memory first and written to
    /// every file or to none. A claim naming a scene or reading by an alias keeps the alias.
    #[command(after_help = examples(&[
        "parallax rename scene silent-credits end-credits --dry-run",
        "parallax rename reading grief-release catharsis --keep-alias",
        "parallax rename source ending-explained screenrant-ending",
    ]))]
    Rename {
        /// What to rename
        #[arg(value_enum)]
        what: RenameWhat,
        /// The current id
        #[arg(add = ArgValueCandidates::new(complete::renamable))]
        old: String,
        /// The new id (lowercase kebab-case)
        new: String,
        #[command(flatten)]
        edit: EditArgs,
    },
    /// Merge one reading into another: its claims take the other reading and its table goes.
    ///
    /// Its `excludes` join the other's; claims that become equal in every field are kept once.
    #[command(after_help = examples(&[
        "parallax merge reading genuine-gesture solidarity --dry-run",
        "parallax merge reading genuine-gesture solidarity --keep-alias",
    ]))]
    Merge {
        /// What to merge
        #[arg(value_enum)]
        what: MergeWhat,
        /// The reading that goes
        #[arg(add = ArgValueCandidates::new(complete::renamable))]
        from: String,
        /// The reading that stays
        #[arg(add = ArgValueCandidates::new(complete::renamable))]
        into: String,
        #[command(flatten)]
        edit: EditArgs,
    },
    /// Print a shell completion script (see also COMPLETE=bash parallax, in the README)
    #[command(after_help = examples(&[
        "parallax completions bash > ~/.local/share/bash-completion/completions/parallax",
        "parallax completions zsh > ~/.zfunc/_parallax",
        "source <(COMPLETE=bash parallax)",
    ]))]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); view it with `parallax man | man -l -`
    #[command(after_help = examples(&[
        "parallax man | man -l -",
        "parallax man > parallax.1",
    ]))]
    Man,
    /// A language server over standard input and output, for editors (see Editor support
    /// in the README)
    ///
    /// Diagnostics as `check` gives them, for the text in the editor; completion of ids,
    /// stances, kinds and text names; hover; go to definition; references; rename; quick
    /// fixes; document symbols. It finds each work from the path of the file opened, and
    /// never writes a file.
    #[command(after_help = examples(&[
        "nvim: vim.lsp.start({ name = 'parallax', cmd = { 'parallax', 'lsp' } })",
        "helix: [language-server.parallax] command = \"parallax\", args = [\"lsp\"]",
    ]))]
    Lsp,
    /// Turn annotations and QDA projects made elsewhere into claim sets
    #[command(after_help = examples(&[
        "parallax import hypothesis annotations.json --dry-run",
        "parallax import hypothesis annotations.json",
    ]))]
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Hypothesis annotations (the API's JSON) as claim sets: one per annotated document,
    /// one claim per annotation, from its tags scene:ID, reading:ID, stance:…, by:PERSON,
    /// via:OUTLET, its quote and its text.
    ///
    /// Annotations that cannot become a claim are reported and left out; the others are
    /// written (exit 0). Nothing is written when no annotation can be imported, or when a
    /// claim set would replace an existing file without --force (exit 1).
    #[command(after_help = examples(&[
        "parallax import hypothesis annotations.json --dry-run",
        "parallax import hypothesis annotations.json",
        "curl -s 'https://api.hypothes.is/api/search?user=NAME' | parallax import hypothesis -",
    ]))]
    Hypothesis {
        /// The JSON file (`-` for standard input)
        file: PathBuf,
        /// What each new source's id is made from
        #[arg(long, value_enum, default_value_t = IdFrom::Title, value_name = "FROM")]
        source_id_from: IdFrom,
        /// Replace claim sets that already exist (a document imported before)
        #[arg(long)]
        force: bool,
        /// Print the claim sets that would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Take hidden and flagged (moderated) annotations too; they are skipped and
        /// reported otherwise
        #[arg(long)]
        include_hidden: bool,
        /// Each annotation's user (acct:NAME@host) becomes a coder: the claims go to
        /// codings/<name>/ (with --coder NAME, all go to NAME's codings)
        #[arg(long)]
        coder_per_user: bool,
    },
    /// A REFI-QDA project (.qdpx) coded with the work's codebook, back as claim sets.
    ///
    /// Each passage coded with a scene and a reading (and a stance, a person) becomes a
    /// claim: the selected text is its quote, the selection's description (or its note) its
    /// summary; the texts are copied into the work's texts/. The claims go to sources/, or
    /// with --coder NAME to NAME's codings, or with --coder-per-user to each selection's
    /// user's codings. Passages that cannot be claims are reported; nothing is overwritten
    /// without --force, and every file is written or none.
    #[command(after_help = examples(&[
        "parallax import qdpx coded.qdpx --dry-run",
        "parallax import qdpx coded.qdpx --coder-per-user --force",
        "parallax import qdpx coded.qdpx --coder dana",
    ]))]
    Qdpx {
        /// The .qdpx file
        file: PathBuf,
        /// Each selection's user becomes a coder: codings/<user>/<source>.toml (the user
        /// named parallax, who made the work's claim sets, writes to sources/)
        #[arg(long)]
        coder_per_user: bool,
        /// Replace claim sets and texts that already exist
        #[arg(long)]
        force: bool,
        /// Print the claim sets that would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShowWhat {
    /// One source whole: its metadata (title, kind, author, publisher, url, published, its
    /// text and whether it is found), who coded it, and each claim with its scene, reading,
    /// stance, voice, summary and quote, and whether the quote is found in the text
    #[command(after_help = examples(&[
        "parallax show source car-scene-tears",
        "parallax show source ending-explained --coder ana",
        "parallax show source car-scene-tears -f html -o car-scene-tears.html",
    ]))]
    Source {
        /// The source's id
        #[arg(add = ArgValueCandidates::new(complete::sources))]
        id: String,
        #[command(flatten)]
        skip: KeepGoing,
        #[command(flatten)]
        output: OutputArgs,
    },
}

impl Command {
    /// `--keep-going`, where the command takes it (the views and `list`).
    pub fn keep_going(&self) -> bool {
        match self {
            Command::Compare { select, .. }
            | Command::Scene { select, .. }
            | Command::Matrix { select, .. }
            | Command::Agreement { select, .. }
            | Command::Export { select, .. } => select.filter.skip.keep_going,
            Command::Reliability { filter, .. } | Command::Voices { filter, .. } => {
                filter.skip.keep_going
            }
            Command::List { skip, .. } | Command::Show(ShowWhat::Source { skip, .. }) => {
                skip.keep_going
            }
            _ => false,
        }
    }

    /// Where and how the command writes its output, where it takes `--format` and `-o`.
    pub fn output(&self) -> Option<&OutputArgs> {
        match self {
            Command::Compare { output, .. }
            | Command::Scene { output, .. }
            | Command::Matrix { output, .. }
            | Command::Agreement { output, .. }
            | Command::Reliability { output, .. }
            | Command::Export { output, .. }
            | Command::Voices { output, .. }
            | Command::Check { output, .. }
            | Command::List { output, .. }
            | Command::Show(ShowWhat::Source { output, .. }) => Some(output),
            _ => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// A claim set: `sources/ID.toml` in the work, with a [source] table and an example claim
    #[command(after_help = examples(&[
        "parallax new source anora-review --title \"Anora review\" --kind review",
        "parallax new source ending-explained-2 --url https://example.com/anora --published 2025-03",
    ]))]
    Source {
        /// The source's id: lowercase kebab-case, the file's name
        id: String,
        /// The source's title
        #[arg(long)]
        title: Option<String>,
        /// article, review, essay, interview, video, podcast, book or other
        #[arg(long, add = ArgValueCandidates::new(complete::kinds))]
        kind: Option<String>,
        /// Who wrote or made it
        #[arg(long)]
        author: Option<String>,
        /// Where it can be read
        #[arg(long)]
        url: Option<String>,
        /// The file name of its archived text in the work's texts/ folder
        #[arg(long, value_name = "FILE")]
        text: Option<String>,
        /// When it was published: YYYY-MM-DD, YYYY-MM or YYYY
        #[arg(long, value_name = "DATE")]
        published: Option<String>,
    },
    /// A work: `ID/work.toml` in the corpus (two example scenes and readings) and `ID/sources/`
    #[command(after_help = examples(&[
        "parallax new work the-substance --title \"The Substance\"",
        "parallax --corpus films new work anora",
    ]))]
    Work {
        /// The work's id: lowercase kebab-case, the folder's name
        id: String,
        /// The work's title
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenameWhat {
    Scene,
    Reading,
    Source,
    Person,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeWhat {
    Reading,
}

/// How `rename` and `merge` write.
#[derive(Debug, Clone, Args)]
pub struct EditArgs {
    /// Keep the old id as an alias (of the scene, reading or person), so names written
    /// elsewhere still work
    #[arg(long)]
    pub keep_alias: bool,
    /// Print the change as a unified diff and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaOf {
    /// `work.toml`
    Work,
    /// a claim set, `sources/<id>.toml`
    Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Works,
    Sources,
    /// the coders of the work and the sources each coded
    Coders,
    Scenes,
    Readings,
}

/// Which sources a view looks at, and whose views count as their positions.
#[derive(Debug, Clone, Args)]
pub struct Selection {
    /// Whose views make a source's position: `own` (the source's own claims; views it
    /// reports are shown but are not its position), `all` (every claim), or a person's
    /// id, name or alias (only the claims attributed to that person)
    #[arg(long, value_name = "own|all|PERSON", default_value = "own", add = ArgValueCandidates::new(complete::voices))]
    pub voice: String,
    #[command(flatten)]
    pub filter: SourceFilter,
}

/// Which sources a view looks at.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceFilter {
    #[command(flatten)]
    pub skip: KeepGoing,
    /// Only these sources (ids, comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "ID,…", add = ArgValueCandidates::new(complete::sources))]
    pub sources: Vec<String>,
    /// Only sources of these kinds (article, review, essay, interview, video, podcast,
    /// book, other; comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "KIND,…", add = ArgValueCandidates::new(complete::kinds))]
    pub kind: Vec<String>,
}

/// Whether a view skips the claim files that have errors.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct KeepGoing {
    /// Skip claim files with errors (their diagnostics go to standard error) and show the
    /// rest, saying how many were skipped; errors in work.toml still stop the view
    #[arg(long)]
    pub keep_going: bool,
}

/// Where and how a view is written.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format [default: from the -o file's extension (.md .csv .json .html .tex .qdpx
    /// .jsonld .txt), else table]
    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = formats(false))]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output; `-` is standard output
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV: write cells exactly as they are, without neutralising spreadsheet formulas
    #[arg(long)]
    pub raw_csv: bool,
}

/// The `--format` values a command offers, described for a user. The formats only `export`
/// writes (a REFI-QDA project) are accepted everywhere but offered by `export` alone: another
/// command given one says where it is written.
fn formats(export: bool) -> impl TypedValueParser<Value = Format> {
    let values = Format::value_variants().iter().filter_map(move |format| {
        let mut value = format.to_possible_value()?;
        if let Some(help) = format_help(*format) {
            value = value.help(help);
        }
        let export_only = matches!(format, Format::Qdpx | Format::Annotations);
        Some(value.hide(!export && export_only))
    });
    PossibleValuesParser::new(values).map(|name| {
        Format::from_str(&name, true).expect("the parser accepts only the formats' names")
    })
}

/// How `--help` describes a format.
fn format_help(format: Format) -> Option<&'static str> {
    Some(match format {
        Format::Table => "a table for the terminal",
        Format::Markdown => "GitHub-flavoured Markdown",
        Format::Csv => "CSV (RFC 4180), one header row, one value per cell",
        Format::Json => "JSON with stable field names (docs/json.md)",
        Format::Html => "a self-contained HTML page",
        Format::Latex => "a LaTeX fragment (longtable, booktabs) to \\input into a document",
        Format::Qdpx => "a REFI-QDA project (.qdpx) for ATLAS.ti, MAXQDA, NVivo or QualCoder",
        Format::Annotations => "the claims as W3C Web Annotations (JSON-LD), for Hypothesis",
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

impl OutputArgs {
    /// Standard output, in the default format.
    pub fn stdout() -> Self {
        OutputArgs {
            format: None,
            output: None,
            raw_csv: false,
        }
    }
}

impl OutputArgs {
    /// The format asked for, else the one the output file's extension names, else `table`.
    /// An extension that names no format also gives `table` here; [`OutputArgs::checked_format`]
    /// refuses it.
    pub fn format(&self) -> Format {
        self.checked_format().unwrap_or(Format::Table)
    }

    /// The format asked for, else the one the output file's extension names (`table` for a
    /// file without one, or `.txt`). An extension that names no format (`report.pdf`) is an
    /// error naming the formats, rather than a terminal table in a file that claims to be
    /// something else.
    pub fn checked_format(&self) -> Result<Format, String> {
        if let Some(format) = self.format {
            return Ok(format);
        }
        let Some(path) = self.output.as_ref().filter(|p| p.as_os_str() != "-") else {
            return Ok(Format::Table);
        };
        let Some(ext) = path.extension() else {
            return Ok(Format::Table);
        };
        match ext.to_string_lossy().to_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "html" | "htm" => Ok(Format::Html),
            "tex" | "latex" => Ok(Format::Latex),
            "qdpx" => Ok(Format::Qdpx),
            "jsonld" => Ok(Format::Annotations),
            "txt" | "text" => Ok(Format::Table),
            other => Err(format!(
                "error: no output format is written as .{} ({})\n  = help: the formats are table, markdown, csv, json, html, latex and qdpx or annotations (export only): name one with --format, or use a file name ending in .txt, .md, .csv, .json, .html, .tex, .qdpx or .jsonld",
                crate::render::sanitize_terminal(other).replace('\n', " "),
                crate::render::sanitize_terminal(&path.display().to_string()).replace('\n', " ")
            )),
        }
    }
}

/// The manual page, in roff. clap_mangen's own page lists each subcommand as a page of its
/// own (`parallax-compare(1)`), which is not installed; this one describes the commands and
/// their options in a COMMANDS section of the one page instead.
pub fn manual() -> std::io::Result<Vec<u8>> {
    use clap::CommandFactory;
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        let mut usage = format!("parallax {}", sub.get_name());
        for arg in sub.get_positionals() {
            usage.push_str(&format!(" {}", arg.get_id().as_str().to_uppercase()));
        }
        out.extend_from_slice(format!(".SS \"{}\"\n", roff(&usage)).as_bytes());
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        for paragraph in about.split("\n\n") {
            out.extend_from_slice(format!(".PP\n{}\n", roff(paragraph.trim())).as_bytes());
        }
        let global = |a: &clap::Arg| command.get_arguments().any(|g| g.get_id() == a.get_id());
        for arg in sub
            .get_arguments()
            .filter(|a| !a.is_positional() && !global(a))
        {
            let mut name = String::new();
            if let Some(short) = arg.get_short() {
                name.push_str(&format!("-{short}, "));
            }
            if let Some(long) = arg.get_long() {
                name.push_str(&format!("--{long}"));
            }
            if arg.get_action().takes_values()
                && let Some(value) = arg.get_value_names().and_then(|v| v.first())
            {
                name.push_str(&format!(" {value}"));
            }
            let help = arg
                .get_long_help()
                .or(arg.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            out.extend_from_slice(
                format!(".TP\n\\fB{}\\fR\n{}\n", roff(&name), roff(&help)).as_bytes(),
            );
        }
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// Text for a roff line: backslashes and hyphens escaped, characters beyond ASCII written as
/// `\[uXXXX]` (troff reads its input as Latin-1), a line that would start with a control
/// character (`.` or `'`) protected.
fn roff(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut escaped = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '\\' => escaped.push_str("\\e"),
                    '-' => escaped.push_str("\\-"),
                    c if c.is_ascii() => escaped.push(c),
                    c => escaped.push_str(&format!("\\[u{:04X}]", u32::from(c))),
                }
            }
            if escaped.starts_with(['.', '\'']) {
                format!("\\&{escaped}")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
