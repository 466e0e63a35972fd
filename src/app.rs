//! Running a command: load the corpus, compute the view, render it, write it. Errors come
//! back as [`Failure`] for `main` to print; nothing here prints except the output itself.

use std::io::{self, IsTerminal};

use clap::CommandFactory;

use crate::agreement::BootstrapOptions;
use crate::cli::{
    Cli, ColorChoice, Command, ImportCommand, ListWhat, MergeWhat, NewWhat, OutputArgs, RenameWhat,
    SchemaOf, Selection, ShowWhat, SourceFilter,
};
use crate::corpus::texts::check_quotes;
use crate::corpus::validate::WarnVoice;
use crate::corpus::{LoadOptions, Loaded, Source, SourceKind, Work, load};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::discover;
use crate::edit::new::SourceFields;
use crate::edit::rename::{Rename, Target};
use crate::edit::{self, Plan};
use crate::exit_codes;
use crate::json_escape::TerminalJson;
use crate::output::{self, Destination};
use crate::render::{self, Breaks, Format, RenderOptions, sanitize_with};
use crate::views::View;
use crate::views::agreement::{Agreement, AgreementOptions};
use crate::views::check::CheckReport;
use crate::views::compare::{CompareOptions, CompareStyle, Comparison};
use crate::views::export::{ExportOptions, PairsMode, Report, claims};
use crate::views::list::{CoderList, ReadingList, SceneList, SourceList, WorkList};
use crate::views::matrix::MatrixView;
use crate::views::scene::SceneReadings;
use crate::views::voices::Voices;
use crate::voice::{UnknownVoice, Voice};

mod import_qdpx;
mod interchange;
mod keep_going;
mod lsp;
mod reliability;
mod show;

/// Why a run ended without its output.
#[derive(Debug)]
pub enum Failure {
    /// The reader of standard output went away (`parallax … | head`): not an error, so the
    /// exit code is 0. A run that failed reports its failure instead (see `check`).
    BrokenPipe,
    /// Messages for standard error, and the exit code.
    Reported { messages: Vec<String>, code: u8 },
}

impl Failure {
    fn invalid(messages: Vec<String>) -> Self {
        Failure::Reported {
            messages,
            code: exit_codes::INVALID,
        }
    }
}

/// Decides colour once for a stream (README.md#commands, STYLE practice 6).
pub fn color_enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// The settings every command shares.
struct Context {
    load: LoadOptions,
    /// how the corpus was found (`load.root` is its root)
    found: discover::How,
    /// standard output is a terminal: JSON written there escapes what could drive it
    stdout_tty: bool,
    stdout_color: bool,
    stderr_color: bool,
    width: u16,
    keep_going: bool,
    /// `--coder`: the coder whose codings views read in place of the claim sets
    coder: Option<String>,
    /// with `--keep-going`, the claim files left out for their errors (ids)
    skipped: std::cell::RefCell<Vec<String>>,
}

impl Context {
    fn new(cli: &Cli) -> Self {
        let stdout_tty = io::stdout().is_terminal();
        let width = terminal_size::terminal_size()
            .filter(|_| stdout_tty)
            .map(|(w, _)| w.0)
            .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
            .unwrap_or(100)
            .max(40);
        let cwd = std::env::current_dir().unwrap_or_default();
        // clap has read $PARALLAX_CORPUS into `cli.corpus` already
        let flag = cli.corpus.as_deref().filter(|p| !p.as_os_str().is_empty());
        let found = discover::locate(flag, None, &cwd);
        Context {
            found: found.how,
            load: LoadOptions {
                root: found.root,
                work: cli.work.clone().or(found.work),
                warn_voice: match &cli.command {
                    Command::Check { voice, .. } => match voice.trim() {
                        "own" => WarnVoice::PerVoice,
                        "all" => WarnVoice::All,
                        name => WarnVoice::Person(name.to_string()),
                    },
                    _ => WarnVoice::PerVoice,
                },
                // agreement shows positions and never a text
                positions_only: matches!(cli.command, Command::Agreement { .. }),
            },
            stdout_tty,
            stdout_color: color_enabled(cli.color, stdout_tty),
            stderr_color: color_enabled(cli.color, io::stderr().is_terminal()),
            width,
            keep_going: cli.command.keep_going(),
            coder: cli.coder.clone(),
            skipped: Default::default(),
        }
    }

    fn render_diags<'a>(&self, diags: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<String> {
        diags
            .into_iter()
            .map(|d| format!("{}\n", d.render(self.stderr_color)))
            .collect()
    }

    /// Loads the corpus; any error fails the run with every diagnostic, unless
    /// `--keep-going` may skip the claim files that have them.
    fn load_valid(&self) -> Result<Loaded, Failure> {
        let mut loaded = self.load_valid_claim_sets()?;
        if let Some(coder) = &self.coder {
            for work in &mut loaded.corpus.works {
                self.read_as_coder(work, coder)?;
            }
        }
        Ok(loaded)
    }

    /// `--coder NAME`: the work's claim sets become the coder's codings (docs/rules.md#reliability).
    fn read_as_coder(&self, work: &mut Work, coder: &str) -> Result<(), Failure> {
        let Some(i) = work.coder_index(coder) else {
            let names: Vec<&str> = work.coders.iter().map(|c| c.id.as_str()).collect();
            let d = Diagnostic::error(format!(
                "unknown coder \"{coder}\" in work \"{}\"",
                work.id
            ))
            .with_help(if names.is_empty() {
                format!(
                    "the work has no codings yet: a coder's codings are {}/codings/<coder>/<source>.toml (`parallax new coding SOURCE --coder NAME` starts one)",
                    work.dir.display()
                )
            } else {
                did_you_mean(coder, &names, "coder")
            });
            return Err(Failure::invalid(self.render_diags([&d])));
        };
        work.sources = std::mem::take(&mut work.coders[i].codings);
        Ok(())
    }

    /// The corpus root, or the error that no corpus was found (and where it was looked for).
    fn root(&self) -> Result<&std::path::Path, Failure> {
        if let discover::How::NotFound { looked_in } = &self.found {
            let (message, help) = discover::not_found_help(looked_in);
            let d = Diagnostic::error(message).with_help(help);
            return Err(Failure::invalid(self.render_diags([&d])));
        }
        Ok(&self.load.root)
    }

    /// [`load_valid`](Self::load_valid) before `--coder` is applied.
    fn load_valid_claim_sets(&self) -> Result<Loaded, Failure> {
        self.root()?;
        let mut loaded = load(&self.load);
        if loaded.errors.is_empty() {
            return Ok(loaded);
        }
        if self.keep_going
            && let Some(skipped) = keep_going::skippable(&loaded)
        {
            let mut err = io::stderr().lock();
            let summary = keep_going::summary(&skipped);
            for m in self.render_diags(loaded.errors.iter().chain([&summary])) {
                let _ = io::Write::write_all(&mut err, format!("{m}\n").as_bytes());
            }
            let partial = std::mem::take(&mut loaded.partial);
            loaded.corpus.works.extend(partial);
            loaded.corpus.works.sort_by(|a, b| a.id.cmp(&b.id));
            loaded.errors.clear();
            *self.skipped.borrow_mut() = skipped;
            return Ok(loaded);
        }
        crate::views::check::order(&mut loaded.errors);
        let mut messages = self.render_diags(&loaded.errors);
        let n = loaded.errors.len();
        if loaded.errors.iter().all(|d| d.file.is_none()) {
            // an argument, not the corpus, is wrong: the message says it all
            return Err(Failure::invalid(messages));
        }
        messages.push(format!(
            "error: the corpus has {n} error{}; fix {} (`parallax check` lists every problem)",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        ));
        Err(Failure::invalid(messages))
    }

    /// The one work a view is about.
    fn the_work<'a>(&self, loaded: &'a Loaded) -> Result<&'a Work, Failure> {
        match loaded.corpus.works.as_slice() {
            [work] => Ok(work),
            works => {
                let names: Vec<&str> = works.iter().map(|w| w.id.as_str()).collect();
                let d = Diagnostic::error(format!(
                    "the corpus {} holds {} works; choose one with --work",
                    loaded.corpus.root.display(),
                    works.len()
                ))
                .with_help(format!("works: {}", names.join(", ")));
                Err(Failure::invalid(self.render_diags([&d])))
            }
        }
    }

    /// The one work a view is about, taken out of the corpus.
    fn take_work(&self, loaded: Loaded) -> Result<Work, Failure> {
        self.the_work(&loaded)?;
        Ok(loaded
            .corpus
            .works
            .into_iter()
            .next()
            .expect("the_work found one"))
    }

    /// The work of a view with only the sources `--sources` and `--kind` select, and the
    /// voice `--voice` names.
    fn selected(&self, loaded: Loaded, sel: &Selection) -> Result<(Work, Voice), Failure> {
        let work = self.filtered(loaded, &sel.filter)?;
        let voice = Voice::resolve(&sel.voice, &work)
            .map_err(|e| self.unknown_person(&work, &sel.voice, "voice", e))?;
        Ok((work, voice))
    }

    /// The error for a `--voice` or `--person` (`flag`) that names nobody, or a surname
    /// several people share.
    fn unknown_person(&self, work: &Work, name: &str, flag: &str, e: UnknownVoice) -> Failure {
        let d = match e {
            UnknownVoice::Ambiguous(people) => Diagnostic::error(format!(
                "\"{name}\" is the surname of {} people of work \"{}\": {}",
                people.len(),
                work.id,
                people.join(", ")
            ))
            .with_help(format!(
                "name one in full: --{flag} \"{}\"",
                people.first().copied().unwrap_or_default()
            )),
            UnknownVoice::Unknown => {
                let names = work.person_names();
                let what = if flag == "voice" {
                    format!("unknown voice \"{name}\": not own, all, or a person")
                } else {
                    format!("unknown person \"{name}\"")
                };
                Diagnostic::error(format!("{what} of work \"{}\"", work.id)).with_help(
                    if names.is_empty() {
                        "no claim of this work is attributed to anyone: use --voice own or all"
                            .to_string()
                    } else {
                        did_you_mean(name, &names, "person")
                    },
                )
            }
        };
        Failure::invalid(self.render_diags([&d]))
    }

    /// The work of a view with only the sources `--sources` and `--kind` select.
    fn filtered(&self, loaded: Loaded, sel: &SourceFilter) -> Result<Work, Failure> {
        let mut work = self.take_work(loaded)?;
        for id in &sel.sources {
            self.source(&work, id)?;
        }
        let mut kinds = Vec::new();
        for name in &sel.kind {
            let kind = SourceKind::parse(name.trim()).ok_or_else(|| {
                let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.name()).collect();
                let d = Diagnostic::error(format!("unknown source kind \"{name}\"")).with_help(
                    format!(
                        "{} (one of {})",
                        did_you_mean(name, &names, "kind"),
                        names.join(", ")
                    ),
                );
                Failure::invalid(self.render_diags([&d]))
            })?;
            kinds.push(kind);
        }
        if sel.sources.is_empty() && kinds.is_empty() {
            return Ok(work);
        }
        work.sources.retain(|s| {
            (sel.sources.is_empty() || sel.sources.contains(&s.id))
                && (kinds.is_empty() || s.kind.is_some_and(|k| kinds.contains(&k)))
        });
        if work.sources.is_empty() {
            let d = Diagnostic::error("--sources and --kind leave no source of the work")
                .with_help("`parallax list sources` shows each source's id and kind");
            return Err(Failure::invalid(self.render_diags([&d])));
        }
        Ok(work)
    }

    /// A source argument: its id, or an error that suggests the closest ids.
    fn source<'a>(&self, work: &'a Work, id: &str) -> Result<&'a Source, Failure> {
        if let Some(i) = work.source_index(id) {
            return Ok(&work.sources[i]);
        }
        let names: Vec<&str> = work.sources.iter().map(|s| s.id.as_str()).collect();
        let d = Diagnostic::error(format!("unknown source \"{id}\" in work \"{}\"", work.id))
            .with_help(did_you_mean(id, &names, "source"));
        Err(Failure::invalid(self.render_diags([&d])))
    }

    /// A person argument: an id, name, alias or (without a registry) surname, or an error
    /// that suggests the closest.
    fn person(&self, work: &Work, name: &str) -> Result<usize, Failure> {
        crate::voice::person(work, name).map_err(|e| self.unknown_person(work, name, "person", e))
    }

    /// A scene argument: its id or an alias, or an error that suggests the closest names.
    fn scene(&self, work: &Work, name: &str) -> Result<usize, Failure> {
        work.scene_index(name).ok_or_else(|| {
            let d = Diagnostic::error(format!("unknown scene \"{name}\" in work \"{}\"", work.id))
                .with_help(did_you_mean(name, &work.scene_names(), "scene"));
            Failure::invalid(self.render_diags([&d]))
        })
    }

    /// Writes an edit (or, with `dry_run`, prints its diff); its problems fail the run.
    fn run_plan(&self, plan: Result<Plan, Vec<Diagnostic>>, dry_run: bool) -> Result<u8, Failure> {
        let plan = plan.map_err(|errors| Failure::invalid(self.render_diags(&errors)))?;
        let mut err = io::stderr().lock();
        for note in &plan.notes {
            let _ = io::Write::write_all(
                &mut err,
                format!("{}\n", sanitize_with(note, Breaks::Show)).as_bytes(),
            );
        }
        drop(err);
        let text = if dry_run {
            // a listing of the corpus's lines: shown as a table's cells are
            sanitize_with(&plan.diff(), Breaks::Keep)
        } else {
            plan.apply().map_err(|d| {
                let messages = self.render_diags([&d]);
                match output::interrupts::interrupted() {
                    Some(signal) => Failure::Reported {
                        messages,
                        code: u8::try_from(128 + signal).unwrap_or(exit_codes::INVALID),
                    },
                    None => Failure::invalid(messages),
                }
            })?
        };
        self.write(&OutputArgs::stdout(), text.as_bytes())?;
        Ok(exit_codes::SUCCESS)
    }

    fn render_options(&self, out: &OutputArgs) -> RenderOptions {
        RenderOptions {
            color: self.stdout_color
                && out.format() == Format::Table
                && Destination::from_arg(out.output.as_deref()) == Destination::Stdout,
            width: self.width,
            raw_csv: out.raw_csv,
        }
    }

    /// Renders a view in the chosen format and writes it: JSON straight from the view, every
    /// other format through its sink, block by block as the view writes them.
    fn emit(&self, view: &impl View, out: &OutputArgs) -> Result<(), Failure> {
        match out.format() {
            Format::Annotations => {
                let d =
                    Diagnostic::error("--format annotations is written only by `parallax export`")
                        .with_help(
                            "W3C annotations hold every claim: `parallax export -f annotations`",
                        );
                Err(Failure::invalid(self.render_diags([&d])))
            }
            Format::Qdpx => {
                let d = Diagnostic::error("--format qdpx is written only by `parallax export`")
                    .with_help(
                        "a REFI-QDA project holds the whole work: `parallax export -o FILE.qdpx`",
                    );
                Err(Failure::invalid(self.render_diags([&d])))
            }
            Format::Json => self.write_with(out, |w| {
                let mut w = self.json_sink(out, w);
                self.write_json(&mut w, view)?;
                w.write_all(b"\n")?;
                w.flush()
            }),
            f => {
                let opts = self.render_options(out);
                self.write_with(out, |w| view.write(self.sink(f, &opts, w).as_mut()))
            }
        }
    }

    /// Writes the tidy table of the work's claims (the CSV of `export`, `matrix` and
    /// `scene`), of one scene when given.
    fn emit_claims(
        &self,
        work: &Work,
        voice: Voice,
        scene: Option<usize>,
        out: &OutputArgs,
    ) -> Result<(), Failure> {
        let opts = self.render_options(out);
        self.write_with(out, |w| {
            claims::write(
                work,
                voice,
                scene,
                self.sink(Format::Csv, &opts, w).as_mut(),
            )
        })
    }

    /// The sink of a format; with sources skipped by `--keep-going`, one that says so.
    fn sink<'w>(
        &self,
        format: Format,
        opts: &RenderOptions,
        out: &'w mut dyn io::Write,
    ) -> Box<dyn render::Sink + 'w> {
        let inner = render::open(format, opts, out);
        let skipped = self.skipped.borrow().clone();
        if skipped.is_empty() {
            return inner;
        }
        Box::new(keep_going::Noting { inner, skipped })
    }

    /// Where JSON goes: on a terminal, through [`TerminalJson`], which escapes the C1
    /// controls and invisible characters `serde_json` writes raw.
    fn json_sink<'w>(&self, out: &OutputArgs, w: &'w mut dyn io::Write) -> Box<dyn io::Write + 'w> {
        if self.stdout_tty && Destination::from_arg(out.output.as_deref()) == Destination::Stdout {
            Box::new(TerminalJson::new(w))
        } else {
            Box::new(w)
        }
    }

    /// A view as JSON; with sources skipped by `--keep-going`, a `skipped` field beside its own.
    fn write_json(&self, w: impl io::Write, view: &impl serde::Serialize) -> io::Result<()> {
        // serde_json writes a few bytes at a time: a buffer of its own type keeps each
        // write a copy, not a call through the destination's
        let mut w = io::BufWriter::with_capacity(1 << 16, w);
        let skipped = self.skipped.borrow();
        if skipped.is_empty() {
            serde_json::to_writer_pretty(&mut w, view)?;
        } else {
            let with = keep_going::WithSkipped {
                view,
                skipped: &skipped,
            };
            serde_json::to_writer_pretty(&mut w, &with)?;
        }
        io::Write::flush(&mut w)
    }

    fn write(&self, out: &OutputArgs, bytes: &[u8]) -> Result<(), Failure> {
        self.write_with(out, |w| w.write_all(bytes))
    }

    fn write_with(
        &self,
        out: &OutputArgs,
        produce: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), Failure> {
        out.checked_format()
            .map_err(|message| Failure::invalid(vec![message]))?;
        let dest = Destination::from_arg(out.output.as_deref());
        output::write_with(&dest, produce).map_err(|e| match (&dest, e.kind()) {
            (Destination::Stdout, io::ErrorKind::BrokenPipe) => Failure::BrokenPipe,
            (Destination::Stdout, _) => Failure::invalid(vec![format!("error: cannot write to standard output: {e}")]),
            (Destination::File(p), _) => Failure::invalid(vec![format!(
                "error: cannot write {}: {e}\n  = note: {}",
                sanitize_with(&p.display().to_string(), Breaks::Show),
                if output::writes_through(p) {
                    "it is not a regular file, so it was written directly and may hold part of the output"
                } else {
                    "nothing was written; an existing file is left as it was"
                }
            )]),
        })
    }
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    let ctx = Context::new(&cli);
    crate::progress::enable(cli.command.output().is_some_and(|out| {
        out.format() == Format::Json
            && Destination::from_arg(out.output.as_deref()) == Destination::Stdout
    }));
    match &cli.command {
        Command::Schema { of, output } => schema(&ctx, *of, output),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "parallax", &mut buf);
            ctx.write(&OutputArgs::stdout(), &buf)?;
            Ok(exit_codes::SUCCESS)
        }
        Command::Man => {
            let buf =
                crate::cli::manual().map_err(|e| Failure::invalid(vec![format!("error: {e}")]))?;
            ctx.write(&OutputArgs::stdout(), &buf)?;
            Ok(exit_codes::SUCCESS)
        }
        Command::Check {
            texts,
            strict,
            output,
            ..
        } => check(&ctx, texts.as_deref(), *strict, output),
        Command::New(_) | Command::Rename { .. } | Command::Merge { .. } => edit(&ctx, &cli),
        Command::List { what, output, .. } => list(&ctx, *what, output),
        Command::Show(ShowWhat::Source { id, output, .. }) => show::source(&ctx, id, output),
        Command::Compare {
            left,
            right,
            scenes,
            brief,
            quotes,
            diff,
            all_scenes,
            select,
            output,
        } => {
            let opts = CompareOptions {
                diff: *diff,
                all_scenes: *all_scenes,
                style: CompareStyle {
                    brief: *brief,
                    // the terminal has room for quotes only when asked
                    quotes: *quotes || output.format() != Format::Table,
                },
                ..CompareOptions::default()
            };
            compare(&ctx, [left, right], scenes, opts, select, output)
        }
        Command::Scene {
            scene,
            select,
            output,
        } => scene_view(&ctx, scene, select, output),
        Command::Agreement {
            no_pairs,
            bootstrap,
            seed,
            resample,
            sort,
            select,
            output,
        } => {
            let opts = AgreementOptions {
                pairs: !no_pairs,
                bootstrap: bootstrap.map(|samples| BootstrapOptions {
                    samples: samples as usize,
                    seed: *seed,
                }),
                resample: *resample,
                sort: *sort,
            };
            agreement(&ctx, &opts, select, output)
        }
        Command::Reliability {
            value,
            voice,
            coders,
            gold,
            no_disagreements,
            quotes,
            bootstrap,
            seed,
            resample,
            sort,
            filter,
            output,
        } => reliability::run(
            &ctx,
            &reliability::Args {
                value: *value,
                voice: voice.as_deref(),
                coders,
                gold: *gold,
                disagreements: !no_disagreements,
                // the terminal has room for quotes only when asked
                quotes: *quotes || output.format() != Format::Table,
                bootstrap: bootstrap.map(|samples| BootstrapOptions {
                    samples: samples as usize,
                    seed: *seed,
                }),
                resample: *resample,
                sort: *sort,
                filter,
                output,
            },
        ),
        Command::Export {
            pairs,
            texts,
            select,
            output,
        } => export(&ctx, *pairs, texts.as_deref(), select, output),
        Command::Import(ImportCommand::Hypothesis {
            file,
            source_id_from,
            force,
            dry_run,
            include_hidden,
            coder_per_user,
        }) => {
            let opts = interchange::HypothesisArgs {
                id_from: *source_id_from,
                force: *force,
                dry_run: *dry_run,
                include_hidden: *include_hidden,
                coder_per_user: *coder_per_user,
            };
            interchange::import_hypothesis(&ctx, file, &opts)
        }
        Command::Import(ImportCommand::Qdpx {
            file,
            coder_per_user,
            force,
            dry_run,
        }) => import_qdpx::run(&ctx, file, *coder_per_user, *force, *dry_run),
        Command::Voices {
            person,
            filter,
            output,
        } => voices(&ctx, person.as_deref(), filter, output),
        Command::Matrix { select, output } => matrix(&ctx, select, output),
        Command::Lsp => lsp::lsp(),
    }
}

/// `list`: the works, or the sources, scenes or readings of one.
fn list(ctx: &Context, what: ListWhat, output: &OutputArgs) -> Result<u8, Failure> {
    let loaded = ctx.load_valid()?;
    match what {
        ListWhat::Works => ctx.emit(&WorkList::new(&loaded.corpus), output)?,
        ListWhat::Sources => ctx.emit(&SourceList::new(ctx.the_work(&loaded)?), output)?,
        ListWhat::Coders => ctx.emit(&CoderList::new(ctx.the_work(&loaded)?), output)?,
        ListWhat::Scenes => ctx.emit(&SceneList::new(ctx.the_work(&loaded)?), output)?,
        ListWhat::Readings => ctx.emit(&ReadingList::new(ctx.the_work(&loaded)?), output)?,
    }
    Ok(exit_codes::SUCCESS)
}

/// `scene`: every reading of one scene, or its claims as CSV.
fn scene_view(
    ctx: &Context,
    scene: &str,
    select: &Selection,
    output: &OutputArgs,
) -> Result<u8, Failure> {
    let loaded = ctx.load_valid()?;
    let (work, voice) = ctx.selected(loaded, select)?;
    let scene = ctx.scene(&work, scene)?;
    if output.format() == Format::Csv {
        ctx.emit_claims(&work, voice, Some(scene), output)?;
    } else {
        ctx.emit(&SceneReadings::new(&work, scene, voice), output)?;
    }
    Ok(exit_codes::SUCCESS)
}

/// `voices`: who is reported as saying what, through which outlets.
fn voices(
    ctx: &Context,
    person: Option<&str>,
    filter: &SourceFilter,
    output: &OutputArgs,
) -> Result<u8, Failure> {
    let loaded = ctx.load_valid()?;
    let work = ctx.filtered(loaded, filter)?;
    let person = match person {
        Some(name) => Some(ctx.person(&work, name)?),
        None => None,
    };
    let view = Voices::new(&work, person);
    ctx.emit(&view, output)?;
    // the process ends here: the system takes back at once what freeing the view's
    // millions of small parts would take a twentieth of the run to give back
    std::mem::forget(view);
    Ok(exit_codes::SUCCESS)
}

/// `matrix`: scenes × sources, or every claim as CSV.
fn matrix(ctx: &Context, select: &Selection, output: &OutputArgs) -> Result<u8, Failure> {
    let loaded = ctx.load_valid()?;
    let (work, voice) = ctx.selected(loaded, select)?;
    if output.format() == Format::Csv {
        ctx.emit_claims(&work, voice, None, output)?;
    } else {
        ctx.emit(&MatrixView::new(&work, voice), output)?;
    }
    Ok(exit_codes::SUCCESS)
}

/// `schema`: the JSON Schema of `work.toml` or of a claim file.
fn schema(ctx: &Context, of: SchemaOf, output: &Option<std::path::PathBuf>) -> Result<u8, Failure> {
    let schema = match of {
        SchemaOf::Work => crate::schema::work(),
        SchemaOf::Source => crate::schema::source(),
    };
    let out = OutputArgs {
        format: Some(Format::Json),
        output: output.clone(),
        raw_csv: false,
    };
    ctx.write(&out, schema.as_bytes())?;
    Ok(exit_codes::SUCCESS)
}

/// `compare`: two sources side by side, on the scenes asked for (`opts` gets their indices
/// and the voice once the corpus is loaded).
fn compare(
    ctx: &Context,
    [left, right]: [&str; 2],
    scenes: &[String],
    mut opts: CompareOptions,
    select: &Selection,
    output: &OutputArgs,
) -> Result<u8, Failure> {
    let loaded = ctx.load_valid()?;
    let (work, voice) = ctx.selected(loaded, select)?;
    let left = ctx.source(&work, left)?;
    let right = ctx.source(&work, right)?;
    if left.id == right.id {
        // not an error: a script comparing every pair may include it
        let d = Diagnostic::warning(format!(
            "\"{}\" is compared with itself: the two are the same source, so every scene it speaks of agrees",
            left.id
        ))
        .with_help("name two different sources (`parallax list sources` shows them)");
        let mut err = io::stderr().lock();
        for m in ctx.render_diags([&d]) {
            let _ = io::Write::write_all(&mut err, format!("{m}\n").as_bytes());
        }
    }
    opts.scenes = scenes
        .iter()
        .map(|s| ctx.scene(&work, s))
        .collect::<Result<_, _>>()?;
    opts.voice = voice;
    ctx.emit(&Comparison::new(&work, left, right, &opts), output)?;
    Ok(exit_codes::SUCCESS)
}

/// `agreement`: the view, its JSON written through a buffer of its own.
fn agreement(
    ctx: &Context,
    opts: &AgreementOptions,
    select: &Selection,
    output: &OutputArgs,
) -> Result<u8, Failure> {
    let loaded = ctx.load_valid()?;
    let (work, voice) = ctx.selected(loaded, select)?;
    let mut view = Agreement::with_options(&work, voice, opts);
    // the view holds all it shows: the corpus's memory goes to writing it
    drop(work);
    if output.format() != Format::Json {
        ctx.emit(&view, output)?;
        return Ok(exit_codes::SUCCESS);
    }
    // The pair table has millions of rows: they are formatted in parallel and written in
    // buffers (the same bytes serde writes), the rest of the view through a buffer of its
    // own, which saves serde a dynamic call per token.
    ctx.write_with(output, |w| {
        let mut w = io::BufWriter::with_capacity(1 << 16, ctx.json_sink(output, w));
        if ctx.skipped.borrow().is_empty() {
            crate::views::agreement::write_pretty(&mut w, &mut view)?;
        } else {
            ctx.write_json(&mut w, &view)?;
        }
        io::Write::write_all(&mut w, b"\n")?;
        io::Write::flush(&mut w)
    })?;
    Ok(exit_codes::SUCCESS)
}

/// `export`: a REFI-QDA project, the tidy claims table, or the whole report.
fn export(
    ctx: &Context,
    pairs: PairsMode,
    texts: Option<&std::path::Path>,
    select: &Selection,
    output: &OutputArgs,
) -> Result<u8, Failure> {
    if output.format() == Format::Qdpx {
        return interchange::export_qdpx(ctx, texts, select, output);
    }
    if output.format() == Format::Annotations {
        return interchange::export_annotations(ctx, texts, select, output);
    }
    if texts.is_some() {
        let d = Diagnostic::error("--texts is used only by --format qdpx and annotations")
            .with_help("the report formats show quotes, not the texts they come from");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    let loaded = ctx.load_valid()?;
    let (work, voice) = ctx.selected(loaded, select)?;
    // the CSV is the claims alone: nothing else of the report is computed
    if output.format() == Format::Csv {
        ctx.emit_claims(&work, voice, None, output)?;
    } else {
        ctx.emit(&Report::new(&work, ExportOptions { voice, pairs }), output)?;
    }
    Ok(exit_codes::SUCCESS)
}

fn check(
    ctx: &Context,
    texts: Option<&std::path::Path>,
    strict: bool,
    out: &OutputArgs,
) -> Result<u8, Failure> {
    ctx.root()?;
    let mut loaded = load(&ctx.load);
    let mut quotes_checked = 0;
    if let Some(dir) = texts.filter(|d| !d.is_dir()) {
        loaded.errors.push(
            Diagnostic::error(format!("--texts {}: no such folder", dir.display()))
                .with_help("pass the folder that holds the archived texts"),
        );
    }
    // a work with errors still has its valid sources' quotes checked
    for work in loaded.corpus.works.iter().chain(&loaded.partial) {
        let report = check_quotes(work, &loaded.corpus.root, texts);
        quotes_checked += report.checked;
        for d in report.diagnostics {
            if d.is_error() {
                loaded.errors.push(d);
            } else {
                loaded.warnings.push(d);
            }
        }
    }
    for list in [&mut loaded.errors, &mut loaded.warnings] {
        crate::views::check::order(list);
    }
    let works = &loaded.corpus.works;
    let report = CheckReport {
        works: loaded.works_read,
        sources: loaded.sources_read,
        codings: loaded.codings_read,
        claims: works
            .iter()
            .map(|w| w.claim_count() + w.coded_claim_count())
            .sum(),
        quotes_checked,
        errors: loaded.errors,
        warnings: loaded.warnings,
    };
    let failed = !report.errors.is_empty() || (strict && !report.warnings.is_empty());
    if out.format() == Format::Table {
        // rustc-style diagnostics on standard error, the summary as the output
        let mut messages = ctx.render_diags(report.errors.iter().chain(&report.warnings));
        if let Some(note) = report.cascade_note() {
            messages.insert(report.work_errors(), note);
        }
        let summary = format!("{}\n", report.summary());
        if failed {
            messages.push(summary);
            return Err(Failure::invalid(messages));
        }
        let mut err = io::stderr().lock();
        for m in &messages {
            let _ = io::Write::write_all(&mut err, format!("{m}\n").as_bytes());
        }
        ctx.write(out, summary.as_bytes())?;
    } else {
        let written = ctx.emit(&report, out);
        if failed {
            // the report says why; a reader that went away (`| head`) must not turn a failed
            // check into a success for `set -o pipefail`
            return Err(Failure::Reported {
                messages: match written {
                    Err(Failure::Reported { messages, .. }) => messages,
                    _ => Vec::new(),
                },
                code: exit_codes::INVALID,
            });
        }
        written?;
    }
    Ok(exit_codes::SUCCESS)
}

/// `new`, `rename` and `merge`: plan the edit, then write it (or show its diff).
fn edit(ctx: &Context, cli: &Cli) -> Result<u8, Failure> {
    match &cli.command {
        Command::New(what) => {
            let plan = match what {
                NewWhat::Source {
                    id,
                    title,
                    kind,
                    author,
                    url,
                    text,
                    published,
                } => {
                    let fields = SourceFields {
                        title: title.clone(),
                        kind: kind.clone(),
                        author: author.clone(),
                        url: url.clone(),
                        text: text.clone(),
                        published: published.clone(),
                    };
                    edit::new::new_source(ctx.root()?, ctx.load.work.as_deref(), id, &fields)
                }
                NewWhat::Work { id, title } => {
                    // a first work may start a corpus in ./interpretations
                    edit::new::new_work(&ctx.load.root, id, title.as_deref())
                }
            };
            ctx.run_plan(plan, false)
        }
        Command::Rename {
            what,
            old,
            new,
            edit: args,
        } => {
            let rename = Rename {
                target: match what {
                    RenameWhat::Scene => Target::Scene,
                    RenameWhat::Reading => Target::Reading,
                    RenameWhat::Source => Target::Source,
                    RenameWhat::Person => Target::Person,
                },
                old: old.clone(),
                new: new.clone(),
                keep_alias: args.keep_alias,
            };
            let plan = edit::rename::rename(ctx.root()?, ctx.load.work.as_deref(), &rename);
            ctx.run_plan(plan, args.dry_run)
        }
        Command::Merge {
            what: MergeWhat::Reading,
            from,
            into,
            edit: args,
        } => {
            let plan = edit::rename::merge_reading(
                ctx.root()?,
                ctx.load.work.as_deref(),
                from,
                into,
                args.keep_alias,
            );
            ctx.run_plan(plan, args.dry_run)
        }
        _ => unreachable!("edit() is called for new, rename and merge only"),
    }
}
