//! The command line as clap sees it. `main` turns it into plain options before any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;
use crate::views::agreement::SortBy;

/// Compare how sources interpret a work, scene by scene.
///
/// Each source's reading of a work is a TOML claim set; parallax aligns the claim sets by
/// scene and shows where the sources agree and where they diverge.
#[derive(Debug, Parser)]
#[command(name = "parallax", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The corpus folder (one sub-folder per work)
    #[arg(
        long,
        global = true,
        env = "PARALLAX_CORPUS",
        default_value = "interpretations",
        value_name = "DIR"
    )]
    pub corpus: PathBuf,

    /// The work to use; may be left out when the corpus holds one work
    #[arg(long, global = true, value_name = "ID")]
    pub work: Option<String>,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
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
    /// Two sources side by side, a row per scene, with the verdict
    Compare {
        /// The left source's id
        left: String,
        /// The right source's id
        right: String,
        /// Only this scene (id or alias); may be repeated
        #[arg(long = "scene", value_name = "SCENE")]
        scenes: Vec<String>,
        /// Add a word-level diff of the two summaries where both sources spoke
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
    Scene {
        /// The scene's id or alias
        scene: String,
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The whole work: scenes × sources, each cell the source's readings of the scene
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
    /// The complete comparison report in one file: matrix, agreement, every pair, every scene
    Export {
        #[command(flatten)]
        select: Selection,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Validate the corpus: syntax, fields, ids, references, duplicates, quotes
    Check {
        /// Also look for the sources' archived texts in this folder
        #[arg(long, value_name = "DIR")]
        texts: Option<PathBuf>,
        /// Treat warnings as errors (exit 1 if there are any)
        #[arg(long)]
        strict: bool,
        /// Which claims the endorse-and-reject warning weighs together: each voice apart
        /// (own, the default), every claim together (all), or one person's claims
        #[arg(long, value_name = "own|all|PERSON", default_value = "own")]
        voice: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// What the corpus holds, with counts
    List {
        /// What to list
        #[arg(value_enum)]
        what: ListWhat,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print the JSON Schema of work.toml or of a claim set (for editors)
    Schema {
        #[arg(value_enum)]
        of: SchemaOf,
        /// Write to FILE (atomically) instead of standard output
        #[arg(long = "output", short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); view it with `parallax man | man -l -`
    Man,
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
    Scenes,
    Readings,
}

/// Which sources a view looks at, and whose views count as their positions (SPEC §3).
#[derive(Debug, Clone, Args)]
pub struct Selection {
    /// Whose views make a source's position: `own` (the source's own claims; views it
    /// reports are shown but are not its position), `all` (every claim), or a person's
    /// id, name or alias (only the claims attributed to that person)
    #[arg(long, value_name = "own|all|PERSON", default_value = "own")]
    pub voice: String,
    /// Only these sources (ids, comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "ID,…")]
    pub sources: Vec<String>,
    /// Only sources of these kinds (article, review, essay, interview, video, podcast,
    /// book, other; comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "KIND,…")]
    pub kind: Vec<String>,
}

/// Where and how a view is written.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format [default: from the -o file's extension (.md .csv .json .html .tex), else table]
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output; `-` is standard output
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV: write cells exactly as they are, without neutralising spreadsheet formulas
    #[arg(long)]
    pub raw_csv: bool,
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
    pub fn format(&self) -> Format {
        self.format.unwrap_or_else(|| {
            let ext = self
                .output
                .as_ref()
                .and_then(|p| p.extension())
                .map(|e| e.to_string_lossy().to_lowercase());
            match ext.as_deref() {
                Some("md" | "markdown") => Format::Markdown,
                Some("csv") => Format::Csv,
                Some("json") => Format::Json,
                Some("html" | "htm") => Format::Html,
                Some("tex" | "latex") => Format::Latex,
                _ => Format::Table,
            }
        })
    }
}
