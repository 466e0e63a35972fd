//! `parallax reliability`: the coders' codings compared (docs/rules.md#reliability).

use super::{Context, Failure};
use crate::agreement::BootstrapOptions;
use crate::cli::{OutputArgs, SourceFilter};
use crate::corpus::{SourceKind, Work};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::exit_codes;
use crate::views::agreement::Resample;
use crate::views::reliability::units::ValueKind;
use crate::views::reliability::{Reliability, ReliabilityOptions, SortBy};
use crate::voice::Voice;

/// What `reliability` was asked, as the command line gives it.
pub(super) struct Args<'a> {
    pub value: ValueKind,
    pub voice: Option<&'a str>,
    pub coders: &'a [String],
    pub gold: bool,
    pub disagreements: bool,
    pub quotes: bool,
    pub bootstrap: Option<BootstrapOptions>,
    pub resample: Resample,
    pub sort: SortBy,
    pub filter: &'a SourceFilter,
    pub output: &'a OutputArgs,
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    if ctx.coder.is_some() {
        let d = Diagnostic::error("--coder reads one coder's codings; reliability compares coders")
            .with_help("choose the coders to compare with --coders ID,…");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    let loaded = ctx.load_valid()?;
    let work = ctx.take_work(loaded)?;
    let opts = options(ctx, &work, args)?;
    let view = Reliability::new(&work, &opts).map_err(|message| {
        let d = Diagnostic::error(message).with_help(
            "`parallax list coders` shows who coded which source; `parallax new coding SOURCE --coder NAME` starts a coding",
        );
        Failure::invalid(ctx.render_diags([&d]))
    })?;
    ctx.emit(&view, args.output)?;
    Ok(exit_codes::SUCCESS)
}

/// The options, with every id of the command line resolved against the work.
fn options(ctx: &Context, work: &Work, args: &Args) -> Result<ReliabilityOptions, Failure> {
    let fail = |d: Diagnostic| Failure::invalid(ctx.render_diags([&d]));
    let coder_names: Vec<&str> = work.coders.iter().map(|c| c.id.as_str()).collect();
    let coders = if args.coders.is_empty() {
        (0..work.coders.len()).collect()
    } else {
        let mut chosen = Vec::new();
        for id in args.coders {
            let i = work.coder_index(id.trim()).ok_or_else(|| {
                fail(
                    Diagnostic::error(format!("unknown coder \"{id}\" in work \"{}\"", work.id))
                        .with_help(did_you_mean(id, &coder_names, "coder")),
                )
            })?;
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen
    };
    let voice_arg = args.voice.unwrap_or(match args.value {
        ValueKind::Readings => "own",
        ValueKind::Positions => "all",
    });
    let voice = Voice::parse(voice_arg, work).map_err(|names| {
        fail(
            Diagnostic::error(format!(
                "unknown voice \"{voice_arg}\": not own, all, or a person of work \"{}\"",
                work.id
            ))
            .with_help(did_you_mean(voice_arg, &names, "person")),
        )
    })?;
    Ok(ReliabilityOptions {
        value: args.value,
        voice,
        coders,
        sources: sources(work, args.filter).map_err(fail)?,
        bootstrap: args.bootstrap,
        resample: args.resample,
        gold: args.gold,
        disagreements: args.disagreements,
        quotes: args.quotes,
        sort: args.sort,
    })
}

/// The sources `--sources` and `--kind` choose among those coded (`None`: every one).
fn sources(work: &Work, filter: &SourceFilter) -> Result<Option<Vec<String>>, Diagnostic> {
    if filter.sources.is_empty() && filter.kind.is_empty() {
        return Ok(None);
    }
    let mut coded: Vec<&crate::corpus::Source> =
        work.coders.iter().flat_map(|c| c.codings.iter()).collect();
    coded.sort_by(|a, b| a.id.cmp(&b.id));
    coded.dedup_by(|a, b| a.id == b.id);
    let names: Vec<&str> = coded.iter().map(|s| s.id.as_str()).collect();
    for id in &filter.sources {
        if !names.contains(&id.as_str()) {
            return Err(Diagnostic::error(format!(
                "no coder coded source \"{id}\" in work \"{}\"",
                work.id
            ))
            .with_help(did_you_mean(id, &names, "source")));
        }
    }
    let mut kinds = Vec::new();
    for name in &filter.kind {
        let kind = SourceKind::parse(name.trim()).ok_or_else(|| {
            let all: Vec<&str> = SourceKind::ALL.iter().map(|k| k.name()).collect();
            Diagnostic::error(format!("unknown source kind \"{name}\""))
                .with_help(did_you_mean(name, &all, "kind"))
        })?;
        kinds.push(kind);
    }
    let chosen: Vec<String> = (coded.iter())
        .filter(|s| filter.sources.is_empty() || filter.sources.contains(&s.id))
        .filter(|s| kinds.is_empty() || s.kind.is_some_and(|k| kinds.contains(&k)))
        .map(|s| s.id.clone())
        .collect();
    if chosen.is_empty() {
        return Err(
            Diagnostic::error("--sources and --kind leave no coded source")
                .with_help("`parallax list coders` shows who coded which source"),
        );
    }
    Ok(Some(chosen))
}
