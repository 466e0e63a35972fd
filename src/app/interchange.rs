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
use crate::interchange::hypothesis::{self, IdFrom, Import};
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
    let loaded = ctx.load_valid()?;
    let (work, _) = ctx.selected(loaded, select)?;
    let project =
        qdpx::export(&work, texts).map_err(|d| Failure::invalid(ctx.render_diags([&d])))?;
    ctx.write(out, &project.bytes)?;
    if let Some(warning) = project.warning() {
        let d = Diagnostic::warning(warning)
            .with_note(format!(
                "{} quote{} coded at {} place in the texts",
                project.selections,
                if project.selections == 1 { " is" } else { "s are" },
                if project.selections == 1 { "its" } else { "their" },
            ))
            .with_help("`parallax check --texts DIR` shows which quotes are not found and which texts are missing");
        eprint(ctx, &d);
    }
    Ok(exit_codes::SUCCESS)
}

/// `import hypothesis FILE`: every claim set is prepared and validated before the first is
/// written; an existing one is replaced only with `--force`.
pub(super) fn import_hypothesis(
    ctx: &Context,
    file: &Path,
    id_from: IdFrom,
    force: bool,
    dry_run: bool,
) -> Result<u8, Failure> {
    let json = read_input(file).map_err(|e| {
        let file = sanitize_with(&file.display().to_string(), Breaks::Show);
        Failure::invalid(vec![format!("error: cannot read {file}: {e}")])
    })?;
    let loaded = ctx.load_valid()?;
    let work = ctx.the_work(&loaded)?;
    refuse_stray_links(ctx, work)?;
    let import = hypothesis::import(work, &json, id_from)
        .map_err(|ds| Failure::invalid(ctx.render_diags(&ds)))?;
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

fn eprint(ctx: &Context, d: &Diagnostic) {
    let mut err = io::stderr().lock();
    for m in ctx.render_diags([d]) {
        let _ = writeln!(err, "{m}");
    }
}
