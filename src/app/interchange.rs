//! Running the interchange commands: `export --format qdpx` and `import hypothesis`. The
//! work itself is done by [`crate::interchange`]; this decides what is written where and
//! what is said about it.

use std::io::{self, Read, Write};
use std::path::Path;

use super::{Context, Failure};
use crate::cli::{OutputArgs, Selection};
use crate::corpus::Work;
use crate::diagnostic::Diagnostic;
use crate::edit;
use crate::exit_codes;
use crate::gate::{Gate, Kind};
use crate::interchange::hypothesis::{self, Coders, IdFrom, Import};
use crate::interchange::{qdpx, shown};
use crate::output::Destination;
use crate::render::{Breaks, sanitize_with};

/// `export --format qdpx -o FILE`: the project is a zip, so it goes to a file, never to
/// standard output.
pub(super) fn export_qdpx(
    ctx: &Context,
    texts: Option<&Path>,
    select: &Selection,
    out: &OutputArgs,
) -> Result<u8, Failure> {
    if Destination::from_arg(out.output.as_deref()) == Destination::Stdout {
        let d =
            Diagnostic::error("a QDPX project is a zip file: it is not written to standard output")
                .with_help("name the file: `parallax export -o FILE.qdpx`");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    if let Some(dir) = texts.filter(|d| !d.is_dir()) {
        let d = Diagnostic::error(format!("--texts {}: no such folder", dir.display()))
            .with_help("pass the folder that holds the archived texts");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    let loaded = ctx.load_valid_claim_sets()?;
    let (mut work, _) = ctx.selected(loaded, select)?;
    if let Some(coder) = &ctx.coder {
        // that coder's codings alone, as that coder's
        keep_coder(ctx, &mut work, coder)?;
    }
    let mut failed = None;
    let mut counts = None;
    let written = ctx.write_with(out, |w| {
        match qdpx::export(&work, texts, w) {
            Ok(c) => counts = Some(c),
            Err(qdpx::ExportError::Io(e)) => return Err(e),
            Err(qdpx::ExportError::Corpus(d)) => {
                failed = Some(d);
                return Err(io::Error::other("the corpus cannot be exported"));
            }
        }
        Ok(())
    });
    if let Some(d) = failed {
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    written?;
    let counts = counts.unwrap_or_default();
    if let Some(warning) = counts.warning() {
        let d = Diagnostic::warning(warning)
            .with_note(format!(
                "{} quote{} coded at {} place in the texts",
                counts.selections,
                if counts.selections == 1 { " is" } else { "s are" },
                if counts.selections == 1 { "its" } else { "their" },
            ))
            .with_help("`parallax check --texts DIR` shows which quotes are not found and which texts are missing");
        eprint(ctx, &d);
    }
    Ok(exit_codes::SUCCESS)
}

/// The coder an import writes for (`--coder NAME`), checked as an id; `--coder-per-user`
/// beside it is a usage error.
pub(super) fn coder_arg(ctx: &Context, per_user: bool) -> Result<Option<String>, Failure> {
    let Some(coder) = &ctx.coder else {
        return Ok(None);
    };
    if per_user {
        return Err(Failure::Reported {
            messages: vec![
                "error: --coder NAME and --coder-per-user cannot be used together: one coder takes every claim, or each user is a coder\n".into(),
            ],
            code: exit_codes::USAGE,
        });
    }
    let reserved = crate::corpus::validate::RESERVED_CODERS;
    if !crate::corpus::model::is_kebab(coder) || reserved.contains(&coder.as_str()) {
        let fixed = crate::corpus::model::to_kebab(coder);
        let d = Diagnostic::error(format!(
            "--coder {}: a coder's id is lowercase kebab-case, and not {}",
            shown(coder),
            reserved.join(", ")
        ))
        .with_help(if fixed.is_empty() || reserved.contains(&fixed.as_str()) {
            "for example --coder alice".to_string()
        } else {
            format!("write it as --coder {fixed}")
        });
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    Ok(Some(coder.clone()))
}

/// `export --format annotations`: the claims as W3C Web Annotations, streamed to the
/// destination.
pub(super) fn export_annotations(
    ctx: &Context,
    texts: Option<&Path>,
    select: &Selection,
    out: &OutputArgs,
) -> Result<u8, Failure> {
    if let Some(dir) = texts.filter(|d| !d.is_dir()) {
        let d = Diagnostic::error(format!("--texts {}: no such folder", dir.display()))
            .with_help("pass the folder that holds the archived texts");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    let loaded = ctx.load_valid()?;
    let (work, _) = ctx.selected(loaded, select)?;
    let mut failed = None;
    let mut counts = None;
    let written = ctx.write_with(out, |w| {
        match crate::interchange::annotations::write(&work, texts, w) {
            Ok(c) => counts = Some(c),
            Err(qdpx::ExportError::Io(e)) => return Err(e),
            Err(qdpx::ExportError::Corpus(d)) => {
                failed = Some(d);
                return Err(io::Error::other("the corpus cannot be exported"));
            }
        }
        Ok(())
    });
    if let Some(d) = failed {
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    written?;
    let counts = counts.unwrap_or_default();
    if counts.unanchored > 0 {
        let n = counts.unanchored;
        let d = Diagnostic::warning(format!(
            "{n} quote{} not found in an archived text: exported as written, without the text around {}",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "it" } else { "them" }
        ))
        .with_help("`parallax check --texts DIR` shows which; a client anchors a quote by its exact words");
        eprint(ctx, &d);
    }
    Ok(exit_codes::SUCCESS)
}

/// `--coder NAME` on a project: the coder's codings are its only claim sets, so the project
/// holds what that coder coded, made by that coder.
fn keep_coder(ctx: &Context, work: &mut crate::corpus::Work, coder: &str) -> Result<(), Failure> {
    let Some(i) = work.coder_index(coder) else {
        let names: Vec<&str> = work.coders.iter().map(|c| c.id.as_str()).collect();
        let d = Diagnostic::error(format!("unknown coder \"{coder}\" in work \"{}\"", work.id))
            .with_help(crate::diagnostic::did_you_mean(coder, &names, "coder"));
        return Err(Failure::invalid(ctx.render_diags([&d])));
    };
    let kept = work.coders.swap_remove(i);
    work.coders = vec![kept];
    work.sources.clear();
    Ok(())
}

/// How `import hypothesis` was asked to run.
pub(super) struct HypothesisArgs {
    pub id_from: IdFrom,
    pub force: bool,
    pub dry_run: bool,
    pub include_hidden: bool,
    pub coder_per_user: bool,
}

/// `import hypothesis FILE`: every claim set is prepared and validated before the first is
/// written; an existing one is replaced only with `--force`.
pub(super) fn import_hypothesis(
    ctx: &Context,
    file: &Path,
    args: &HypothesisArgs,
) -> Result<u8, Failure> {
    let (force, dry_run) = (args.force, args.dry_run);
    let coder = coder_arg(ctx, args.coder_per_user)?;
    let json = read_input(file).map_err(|e| {
        let file = sanitize_with(&file.display().to_string(), Breaks::Show);
        Failure::invalid(vec![format!("error: cannot read {file}: {e}")])
    })?;
    // `--coder` names whose codings are written, not whose are read
    let loaded = ctx.load_valid_claim_sets()?;
    let work = ctx.the_work(&loaded)?;
    refuse_stray_links(ctx, work)?;
    let coders = match coder {
        Some(c) => Coders::One(c),
        None if args.coder_per_user => Coders::PerUser,
        None => Coders::None,
    };
    let options = hypothesis::Options {
        id_from: args.id_from,
        include_hidden: args.include_hidden,
        coders,
    };
    let import = hypothesis::import(work, &json, &options)
        .map_err(|ds| Failure::invalid(ctx.render_diags(&ds)))?;
    for w in &import.warnings {
        let d = Diagnostic::warning(format!("annotation {} {}", shown(&w.annotation), w.reason))
            .with_help("select the passage the annotation is about: its words become the claim's quote, which `check` verifies");
        eprint(ctx, &d);
    }
    for r in &import.rejected {
        let mut d = Diagnostic::warning(format!(
            "annotation {} not imported: {}",
            shown(&r.annotation),
            r.reason
        ));
        if let Some(help) = &r.help {
            d = d.with_help(help.clone());
        }
        eprint(ctx, &d);
    }
    if import.claim_sets.is_empty() {
        let d = Diagnostic::error(format!(
            "none of the {} annotation{} in {} could become a claim; nothing was written",
            import.annotations,
            if import.annotations == 1 { "" } else { "s" },
            file.display()
        ))
        .with_help("tag each annotation scene:ID and reading:ID (see the README, \"Interchange\")");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    let replaced: Vec<Diagnostic> = import
        .claim_sets
        .iter()
        .filter(|s| s.replaces && !force)
        .map(|s| {
            Diagnostic::error(format!(
                "{} exists: {} was imported before",
                s.path.display(),
                shown(&s.uri)
            ))
            .with_help("--force replaces it")
        })
        .collect();
    if dry_run {
        return dry_run_output(ctx, &import, &replaced);
    }
    if !replaced.is_empty() {
        let mut messages = ctx.render_diags(&replaced);
        messages.push("error: nothing was written".into());
        return Err(Failure::invalid(messages));
    }
    write_claim_sets(ctx, work, &import)
}

/// A link in `sources/` that is no claim file of the corpus (one leading nowhere, or out
/// of the corpus) could stand where a claim set is written: the import refuses to run.
fn refuse_stray_links(ctx: &Context, work: &Work) -> Result<(), Failure> {
    let dir = work.dir.join("sources");
    let Ok(gate) = Gate::new(work.dir.parent().unwrap_or(Path::new("."))) else {
        return Ok(());
    };
    let Ok(entries) = gate.list(&dir) else {
        return Ok(());
    };
    let stray: Vec<Diagnostic> = entries
        .iter()
        .filter(|e| {
            std::fs::symlink_metadata(&e.path).is_ok_and(|m| m.file_type().is_symlink())
                && !matches!(e.found, Ok((Kind::File, _)))
        })
        .map(|e| {
            Diagnostic::error(format!(
                "{} is a link that leads to no claim file of the corpus",
                e.path.display()
            ))
            .at_path(&e.path)
            .with_help("parallax never writes through a link: remove it, then import again")
        })
        .collect();
    if stray.is_empty() {
        return Ok(());
    }
    let mut messages = ctx.render_diags(&stray);
    messages.push("error: nothing was written".into());
    Err(Failure::invalid(messages))
}

fn read_input(file: &Path) -> io::Result<String> {
    if file == Path::new("-") {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
    }
}

/// `--dry-run`: each claim set as it would be written, headed by its path; a set that
/// would need `--force` is a warning here, since nothing is written.
fn dry_run_output(ctx: &Context, import: &Import, replaced: &[Diagnostic]) -> Result<u8, Failure> {
    for d in replaced {
        let mut d = d.clone();
        d.severity = crate::diagnostic::Severity::Warning;
        eprint(ctx, &d);
    }
    let mut text = String::new();
    for set in &import.claim_sets {
        text.push_str(&format!("# {}\n{}\n", set.path.display(), set.toml));
    }
    // the claim sets quote the annotations: shown as a table's cells are
    let text = sanitize_with(&text, Breaks::Keep);
    ctx.write(&OutputArgs::stdout(), text.as_bytes())?;
    Ok(exit_codes::SUCCESS)
}

fn write_claim_sets(ctx: &Context, work: &Work, import: &Import) -> Result<u8, Failure> {
    let mut report = String::new();
    for set in &import.claim_sets {
        report.push_str(&format!(
            "wrote {} ({} claim{})\n",
            set.path.display(),
            set.claims,
            if set.claims == 1 { "" } else { "s" }
        ));
    }
    let skipped = import.rejected.len();
    if skipped > 0 {
        report.push_str(&format!(
            "{skipped} of {} annotations not imported (see the warnings above)\n",
            import.annotations
        ));
    }
    // every claim set or none, through the corpus's gate: never through a link
    let files = (import.claim_sets.iter())
        .map(|set| (set.path.clone(), set.toml.clone()))
        .collect();
    let root = work.dir.parent().unwrap_or(Path::new("."));
    ctx.run_plan(
        edit::write_files(root, &work.dir, files, report.trim_end().to_string()),
        false,
    )
}

pub(super) fn eprint(ctx: &Context, d: &Diagnostic) {
    let mut err = io::stderr().lock();
    for m in ctx.render_diags([d]) {
        let _ = writeln!(err, "{m}");
    }
}
