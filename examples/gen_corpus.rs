//! Generates a synthetic parallax corpus, for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR [--sources N] [--scenes M]
//!     [--readings K] [--claims C] [--seed S] [--missing P] [--python DATA.json]
//!     [--people N --quoted Q] [--coders N] [--force]
//! ```
//!
//! OUT_DIR becomes a corpus root holding one work, `gen`: `OUT_DIR/gen/work.toml` and
//! `OUT_DIR/gen/sources/s-00001.toml` and so on. Each source makes about C claims, spread
//! over the scenes it speaks of (it skips each scene with probability P); each scene has a
//! popular reading most sources endorse, so agreement looks like a real corpus rather
//! than noise.
//!
//! `--people N --quoted Q` adds, to each source, Q claims that report the view of one of N
//! people (`Person 1` …), each with a quote of one of the person's remarks: verbatim, an
//! excerpt, or reworded, through the outlet where the person made it. Most reports agree on
//! what a person holds; a few say the opposite. These feed `parallax voices`.
//!
//! The output depends only on the arguments: the same seed gives the same
//! files on every machine, because the generator carries its own PRNG.
//!
//! `--coders N` adds N coders' codings of every source (`OUT_DIR/gen/codings/c-01/…`, no
//! `[source]` table): each a copy of the source's claims where a coder now and then leaves a
//! claim out, takes another reading, or another stance, as coders of one article do. These
//! feed `parallax reliability` and `parallax curate`.
//!
//! `--python DATA.json` also writes the reliability data (each source's endorsed reading
//! indices per scene, `null` where it endorses none) so `benches/alpha_python.py` can
//! compute alpha with the Python `krippendorff` package on exactly the same data.
//!
//! Uses only `std`, so it builds on its own, without the rest of the crate.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: gen_corpus OUT_DIR [--sources N] [--scenes M] [--readings K] \
[--claims C] [--seed S] [--missing P] [--python DATA.json] [--people N --quoted Q] [--coders N] \
[--force]";

/// The work id of every generated corpus: OUT_DIR is the corpus root, `gen` its one work.
const WORK: &str = "gen";

#[derive(Debug)]
struct Options {
    out: PathBuf,
    sources: usize,
    scenes: usize,
    readings: usize,
    claims: usize,
    seed: u64,
    missing: f64,
    python: Option<PathBuf>,
    people: usize,
    quoted: usize,
    coders: usize,
    force: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut out = None;
    let mut opts = Options {
        out: PathBuf::new(),
        sources: 20,
        scenes: 10,
        readings: 5,
        claims: 15,
        seed: 1,
        missing: 0.3,
        python: None,
        people: 0,
        quoted: 0,
        coders: 0,
        force: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Err(String::new());
        }
        if arg == "--force" {
            opts.force = true;
            continue;
        }
        if !arg.starts_with("--") {
            if out.replace(PathBuf::from(&arg)).is_some() {
                return Err(format!("unexpected argument `{arg}`: OUT_DIR given twice"));
            }
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("`{flag}` needs a value")),
        };
        let number = |v: &str| {
            v.parse::<usize>()
                .map_err(|_| format!("`{flag}` wants a whole number, got `{v}`"))
        };
        match flag.as_str() {
            "--sources" => opts.sources = number(&value)?,
            "--scenes" => opts.scenes = number(&value)?,
            "--readings" => opts.readings = number(&value)?,
            "--claims" => opts.claims = number(&value)?,
            "--people" => opts.people = number(&value)?,
            "--quoted" => opts.quoted = number(&value)?,
            "--coders" => opts.coders = number(&value)?,
            "--seed" => {
                opts.seed = value
                    .parse()
                    .map_err(|_| format!("`--seed` wants a whole number, got `{value}`"))?
            }
            "--missing" => {
                opts.missing = value
                    .parse()
                    .ok()
                    .filter(|p: &f64| (0.0..=1.0).contains(p))
                    .ok_or_else(|| {
                        format!("`--missing` wants a probability in [0, 1], got `{value}`")
                    })?
            }
            "--python" => opts.python = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    opts.out = out.ok_or("missing OUT_DIR")?;
    if opts.readings == 0 && opts.scenes > 0 && opts.claims > 0 {
        return Err("`--readings` must be at least 1 when there are scenes and claims".into());
    }
    Ok(opts)
}

/// SplitMix64: tiny, fast, and good enough for synthetic data; written out here so the
/// output never changes with a dependency's version.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0); the multiply-shift bias is far below anything visible here.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// Index into `weights` drawn in proportion to them; None if all are zero.
    fn weighted(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let mut x = self.unit() * total;
        for (i, &w) in weights.iter().enumerate() {
            if w > 0.0 {
                if x < w {
                    return Some(i);
                }
                x -= w;
            }
        }
        weights.iter().rposition(|&w| w > 0.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stance {
    Endorses,
    Considers,
    Rejects,
}

impl Stance {
    fn name(self) -> &'static str {
        match self {
            Stance::Endorses => "endorses",
            Stance::Considers => "considers",
            Stance::Rejects => "rejects",
        }
    }
}

/// One claim: scene and reading are 0-based indices.
struct Claim {
    scene: usize,
    reading: usize,
    stance: Stance,
}

const KINDS: [(&str, f64); 8] = [
    ("article", 8.0),
    ("review", 5.0),
    ("essay", 2.0),
    ("interview", 1.0),
    ("video", 1.0),
    ("podcast", 1.0),
    ("book", 0.5),
    ("other", 0.5),
];

/// Per scene, how likely each reading is to be endorsed: a random ranking with weights
/// falling as 1/rank², so the popular reading wins about two times in three.
fn popularity(rng: &mut Rng, scenes: usize, readings: usize) -> Vec<Vec<f64>> {
    (0..scenes)
        .map(|_| {
            let mut order: Vec<usize> = (0..readings).collect();
            rng.shuffle(&mut order);
            let mut weights = vec![0.0; readings];
            for (rank, &r) in order.iter().enumerate() {
                weights[r] = 1.0 / ((rank + 1) * (rank + 1)) as f64;
            }
            weights
        })
        .collect()
}

/// One source's claims. Each reading appears at most once per scene, which rules out both
/// duplicate claims and endorsing and rejecting the same reading of a scene.
fn source_claims(rng: &mut Rng, opts: &Options, popular: &[Vec<f64>]) -> Vec<Claim> {
    if opts.scenes == 0 || opts.claims == 0 {
        return Vec::new();
    }
    let mut covered: Vec<usize> = (0..opts.scenes)
        .filter(|_| rng.unit() >= opts.missing)
        .collect();
    if covered.is_empty() {
        covered.push(rng.below(opts.scenes));
    }
    // About C: uniform within ±20%, at least one, at most what the scenes can hold.
    let spread = opts.claims / 5;
    let wanted = (opts.claims - spread + rng.below(2 * spread + 1)).max(1);
    let total = wanted.min(covered.len() * opts.readings);

    let mut per_scene = vec![0usize; covered.len()];
    if total < covered.len() {
        rng.shuffle(&mut covered);
        covered.truncate(total);
        covered.sort_unstable();
        per_scene.truncate(total);
    }
    per_scene.iter_mut().for_each(|k| *k = 1);
    for _ in per_scene.len()..total {
        let open: Vec<usize> = (0..per_scene.len())
            .filter(|&i| per_scene[i] < opts.readings)
            .collect();
        per_scene[open[rng.below(open.len())]] += 1;
    }

    let mut claims = Vec::with_capacity(total);
    for (&scene, &k) in covered.iter().zip(&per_scene) {
        let mut used = vec![false; opts.readings];
        for i in 0..k {
            let stance = if i == 0 {
                Stance::Endorses
            } else {
                match rng.unit() {
                    x if x < 0.6 => Stance::Endorses,
                    x if x < 0.85 => Stance::Considers,
                    _ => Stance::Rejects,
                }
            };
            let weights: Vec<f64> = (0..opts.readings)
                .map(|r| {
                    if used[r] {
                        0.0
                    } else if stance == Stance::Rejects {
                        // A source argues against readings others hold, popular or not.
                        1.0
                    } else {
                        popular[scene][r]
                    }
                })
                .collect();
            let reading = rng
                .weighted(&weights)
                .expect("a scene gets at most one claim per reading");
            used[reading] = true;
            claims.push(Claim {
                scene,
                reading,
                stance,
            });
        }
    }
    claims
}

fn work_toml(opts: &Options) -> String {
    let mut s = String::from("[work]\ntitle = \"Generated work\"\n");
    for i in 1..=opts.scenes {
        let _ = write!(
            s,
            "\n[[scene]]\nid = \"scene-{i}\"\ntitle = \"Scene {i}\"\n"
        );
    }
    for i in 1..=opts.readings {
        let _ = write!(
            s,
            "\n[[reading]]\nid = \"reading-{i}\"\nlabel = \"Reading {i}\"\n"
        );
    }
    s
}

fn source_id(i: usize) -> String {
    format!("s-{i:05}")
}

/// How many times, on average, a generated remark is quoted: a person quoted Q times made
/// about Q / 5 remarks (at least [`MIN_REMARKS`]).
const QUOTES_PER_REMARK: usize = 5;

/// The fewest remarks a generated person made.
const MIN_REMARKS: usize = 20;

/// Where generated people speak.
const OUTLETS: [&str; 8] = [
    "Variety",
    "IndieWire",
    "Deadline",
    "The Guardian",
    "Sight and Sound",
    "Vulture",
    "Interview Magazine",
    "Entertainment Weekly",
];

/// A made-up word: syllables from a fixed list, so remarks share a large vocabulary.
fn word(rng: &mut Rng) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "da", "fe", "go", "ha", "ji", "ku", "le",
        "mo", "na", "pi", "ro", "su", "te", "ul", "ve", "zo",
    ];
    let n = 1 + rng.below(3);
    (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// One remark of a person: the words, the outlet, and the scene and reading it is about.
struct Remark {
    words: Vec<String>,
    outlet: &'static str,
    scene: usize,
    reading: usize,
}

/// How many remarks each generated person made.
fn remarks_per_person(opts: &Options) -> usize {
    let quotes = opts.sources * opts.quoted / opts.people.max(1);
    (quotes / QUOTES_PER_REMARK).max(MIN_REMARKS)
}

fn remarks(rng: &mut Rng, opts: &Options) -> Vec<Vec<Remark>> {
    (0..opts.people)
        .map(|_| {
            (0..remarks_per_person(opts))
                .map(|_| Remark {
                    words: (0..12 + rng.below(30)).map(|_| word(rng)).collect(),
                    outlet: OUTLETS[rng.below(OUTLETS.len())],
                    scene: rng.below(opts.scenes.max(1)),
                    reading: rng.below(opts.readings.max(1)),
                })
                .collect()
        })
        .collect()
}

/// Q reported views for one source, as TOML claims.
fn reported_claims(rng: &mut Rng, opts: &Options, remarks: &[Vec<Remark>]) -> String {
    let mut s = String::new();
    if opts.people == 0 || opts.scenes == 0 || opts.readings == 0 {
        return s;
    }
    // a source quotes each remark at most once, so no two claims can be equal
    let mut used: Vec<(usize, usize)> = Vec::with_capacity(opts.quoted);
    let per_person = remarks_per_person(opts);
    for _ in 0..opts.quoted.min(opts.people * per_person) {
        let (person, index) = loop {
            let pick = (rng.below(opts.people), rng.below(per_person));
            if !used.contains(&pick) {
                break pick;
            }
        };
        used.push((person, index));
        let remark = &remarks[person][index];
        let mut words = remark.words.clone();
        match rng.below(4) {
            // an excerpt: a run of the remark's words
            0 => {
                let start = rng.below(words.len() / 2);
                words = words[start..start + words.len() / 2].to_vec();
            }
            // reworded: a third of the words changed
            1 => {
                for _ in 0..words.len() / 3 {
                    let i = rng.below(words.len());
                    words[i] = word(rng);
                }
            }
            _ => {}
        }
        let stance = if rng.below(20) == 0 {
            "rejects"
        } else {
            "endorses"
        };
        let _ = write!(
            s,
            "\n[[claim]]\nscene = \"scene-{}\"\nreading = \"reading-{}\"\nstance = \"{stance}\"\n\
             quote = \"{}\"\nattributed_to = \"Person {}\"\nvia = \"{}\"\n",
            remark.scene + 1,
            remark.reading + 1,
            words.join(" "),
            person + 1,
            remark.outlet,
        );
    }
    s
}

fn source_toml(number: usize, kind: &str, claims: &[Claim]) -> String {
    let mut s = format!("[source]\ntitle = \"Source {number}\"\nkind = \"{kind}\"\n");
    for (i, c) in claims.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[claim]]\nscene = \"scene-{}\"\nreading = \"reading-{}\"\nstance = \"{}\"\n\
             summary = \"Generated claim {} of source {number}.\"\n",
            c.scene + 1,
            c.reading + 1,
            c.stance.name(),
            i + 1,
        );
    }
    s
}

/// A coder's coding of a source: the source's claims as this coder records them. Each
/// claim is left out with probability 1/12, given another reading with 1/12, another stance
/// with 1/24; now and then the coder finds a claim nobody else did.
fn coding_toml(rng: &mut Rng, opts: &Options, number: usize, claims: &[Claim]) -> String {
    let mut s = String::new();
    let stances = [Stance::Endorses, Stance::Considers, Stance::Rejects];
    let mut n = 0;
    let mut claim = |s: &mut String, scene: usize, reading: usize, stance: Stance| {
        n += 1;
        let _ = write!(
            s,
            "[[claim]]\nscene = \"scene-{}\"\nreading = \"reading-{}\"\nstance = \"{}\"\n\
             summary = \"Coded claim {n} of source {number}.\"\n\n",
            scene + 1,
            reading + 1,
            stance.name(),
        );
    };
    for c in claims {
        match rng.below(24) {
            0 | 1 => {}
            2 | 3 => claim(&mut s, c.scene, rng.below(opts.readings), c.stance),
            4 => claim(&mut s, c.scene, c.reading, stances[rng.below(3)]),
            _ => claim(&mut s, c.scene, c.reading, c.stance),
        }
    }
    if opts.scenes > 0 && rng.below(8) == 0 {
        claim(
            &mut s,
            rng.below(opts.scenes),
            rng.below(opts.readings),
            Stance::Endorses,
        );
    }
    s
}

/// Clears what an earlier run generated (only files named like ours), so a smaller run
/// into the same folder does not leave stale sources behind.
fn clear_previous(work_dir: &Path) -> io::Result<()> {
    let codings = work_dir.join("codings");
    if let Ok(entries) = fs::read_dir(&codings) {
        for entry in entries {
            let path = entry?.path();
            let generated = (path.file_name().and_then(|n| n.to_str()))
                .and_then(|n| n.strip_prefix("c-"))
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            if generated {
                fs::remove_dir_all(&path)?;
            }
        }
    }
    let sources = work_dir.join("sources");
    if let Ok(entries) = fs::read_dir(&sources) {
        for entry in entries {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let generated = name
                .strip_prefix("s-")
                .and_then(|rest| rest.strip_suffix(".toml"))
                .is_some_and(|digits| {
                    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
                });
            if generated {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// Coders × units, each cell the sorted endorsed reading indices (0-based) or null.
fn write_python(path: &Path, opts: &Options, endorsed: &[Vec<Vec<usize>>]) -> io::Result<()> {
    let mut w = BufWriter::new(fs::File::create(path)?);
    let names = |prefix: &str, n: usize| {
        (1..=n)
            .map(|i| format!("\"{prefix}-{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(w, "{{\"work\": \"{WORK}\", \"seed\": {},", opts.seed)?;
    writeln!(w, " \"readings\": [{}],", names("reading", opts.readings))?;
    writeln!(w, " \"units\": [{}],", names("scene", opts.scenes))?;
    let coders: Vec<String> = (1..=opts.sources)
        .map(|i| format!("\"{}\"", source_id(i)))
        .collect();
    writeln!(w, " \"coders\": [{}],", coders.join(", "))?;
    writeln!(w, " \"data\": [")?;
    for (i, row) in endorsed.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                if v.is_empty() {
                    "null".to_string()
                } else {
                    let items: Vec<String> = v.iter().map(usize::to_string).collect();
                    format!("[{}]", items.join(","))
                }
            })
            .collect();
        let comma = if i + 1 < endorsed.len() { "," } else { "" };
        writeln!(w, "  [{}]{comma}", cells.join(","))?;
    }
    writeln!(w, " ]}}")?;
    w.flush()
}

fn run(opts: &Options) -> io::Result<()> {
    let work_dir = opts.out.join(WORK);
    if work_dir.join("work.toml").exists() && !opts.force {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} already holds a work; pass --force to regenerate it",
                work_dir.display()
            ),
        ));
    }
    clear_previous(&work_dir)?;
    fs::create_dir_all(work_dir.join("sources"))?;
    fs::write(work_dir.join("work.toml"), work_toml(opts))?;

    let mut rng = Rng(opts.seed);
    // reported views draw from their own stream, so the rest is the same with or without
    let mut voices_rng = Rng(opts.seed ^ 0x005E_ED0F_0001_CE55);
    let remarks = remarks(&mut voices_rng, opts);
    let popular = popularity(&mut rng, opts.scenes, opts.readings);
    let kind_weights: Vec<f64> = KINDS.iter().map(|&(_, w)| w).collect();
    let mut endorsed = Vec::new();
    let mut total_claims = 0;
    // codings draw from their own stream, so the sources are the same with or without
    let mut coders_rng = Rng(opts.seed ^ 0x00C0_DE55_0000_0001);
    for coder in 1..=opts.coders {
        fs::create_dir_all(work_dir.join("codings").join(format!("c-{coder:02}")))?;
    }
    for number in 1..=opts.sources {
        let kind = KINDS[rng.weighted(&kind_weights).unwrap_or(0)].0;
        let claims = source_claims(&mut rng, opts, &popular);
        total_claims += claims.len();
        let path = work_dir
            .join("sources")
            .join(format!("{}.toml", source_id(number)));
        for coder in 1..=opts.coders {
            let path = (work_dir.join("codings").join(format!("c-{coder:02}")))
                .join(format!("{}.toml", source_id(number)));
            fs::write(path, coding_toml(&mut coders_rng, opts, number, &claims))?;
        }
        let mut text = source_toml(number, kind, &claims);
        text.push_str(&reported_claims(&mut voices_rng, opts, &remarks));
        fs::write(path, text)?;
        if opts.python.is_some() {
            let mut row = vec![Vec::new(); opts.scenes];
            for c in claims.iter().filter(|c| c.stance == Stance::Endorses) {
                row[c.scene].push(c.reading);
            }
            row.iter_mut().for_each(|v| v.sort_unstable());
            endorsed.push(row);
        }
    }
    if let Some(path) = &opts.python {
        write_python(path, opts, &endorsed)?;
    }
    eprintln!(
        "wrote {} sources, {} scenes, {} readings, {total_claims} claims to {}",
        opts.sources,
        opts.scenes,
        opts.readings,
        work_dir.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(opts) => opts,
        Err(msg) if msg.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen_corpus: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
