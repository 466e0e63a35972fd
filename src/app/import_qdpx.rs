//! `import qdpx FILE`: the project read against the work, its passages that are not claims
//! reported, and its claim sets and texts written all or none (or shown, with `--dry-run`).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Context, Failure};
use crate::cli::OutputArgs;
use crate::diagnostic::Diagnostic;
use crate::edit::{self, Plan};
use crate::exit_codes;
use crate::interchange::qdpx::{self, Import, ImportDestination, ImportOptions};
use crate::interchange::shown;

pub(super) fn run(
    ctx: &Context,
    file: &Path,
    per_user: bool,
    force: bool,
    dry_run: bool,
) -> Result<u8, Failure> {
    super::interchange::coder_arg(ctx, per_user)?;
    let bytes = read(file).map_err(|e| {
        Failure::invalid(vec![format!(
            "error: cannot read {}: {e}\n",
            file.display()
        )])
    })?;
    let loaded = ctx.load_valid_claim_sets()?;
    let work = ctx.the_work(&loaded)?;
    let destination = match super::interchange::coder_arg(ctx, per_user)? {
        Some(c) => ImportDestination::Coder(c),
        None if per_user => ImportDestination::PerUser,
        None => ImportDestination::Sources,
    };
    let import = qdpx::import(work, bytes, &ImportOptions { destination }).map_err(|d| {
        // a problem of the project names the project; one of the work names its file
        let d = match d.file {
            Some(_) => d,
            None => Diagnostic {
                message: format!("{}: {}", file.display(), d.message),
                ..d
            },
        };
        let mut m = ctx.render_diags([&d]);
        m.push("error: nothing was written\n".into());
        Failure::invalid(m)
    })?;
    for r in &import.rejected {
        let d = Diagnostic::warning(format!(
            "passage {} of {} not imported: {}",
            shown(&r.selection),
            shown(&r.source),
            r.reason
        ));
        super::interchange::eprint(ctx, &d);
    }
    if import.notes_not_imported > 0 {
        let n = import.notes_not_imported;
        let d = Diagnostic::warning(format!(
            "{n} note{} of claims without a place in a text {} not imported",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        ))
        .with_note("a claim without a quote, or whose quote or text was not found, is a note in the project, and a note carries no codes")
        .with_help("add those claims to the claim sets by hand, or archive the texts and quote them, then export again");
        super::interchange::eprint(ctx, &d);
    }
    if import.claim_sets.is_empty() {
        let d = Diagnostic::error(format!(
            "none of the {} coded passages in {} could become a claim; nothing was written",
            import.passages,
            file.display()
        ))
        .with_help("code each passage with a scene and a reading of the work's codebook (see the README, \"Interchange\")");
        return Err(Failure::invalid(ctx.render_diags([&d])));
    }
    let exists = existing(&import);
    if dry_run {
        return show(ctx, &import, &exists);
    }
    if !exists.is_empty() && !force {
        let mut diags: Vec<Diagnostic> = exists
            .iter()
            .map(|p| {
                Diagnostic::error(format!("{} exists", p.display()))
                    .with_help("--force replaces it")
            })
            .collect();
        diags.push(Diagnostic::error("nothing was written"));
        return Err(Failure::invalid(ctx.render_diags(&diags)));
    }
    // every file or none, through the corpus's gate: never through a link
    let root = work.dir.parent().unwrap_or(Path::new("."));
    ctx.run_plan(plan(&import, root, &work.dir), false)
}

fn read(file: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(file)?.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// The files the import would change that exist with other content.
fn existing(import: &Import) -> Vec<PathBuf> {
    let sets = import
        .claim_sets
        .iter()
        .filter(|s| s.old.as_ref().is_some_and(|o| *o != s.toml))
        .map(|s| s.path.clone());
    let texts = import
        .texts
        .iter()
        .filter(|t| t.old.is_some())
        .map(|t| t.path.clone());
    sets.chain(texts).collect()
}

/// Every file written in one edit: all or none.
fn plan(import: &Import, root: &Path, work_dir: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let sets = (import.claim_sets.iter())
        .filter(|s| s.old.as_ref() != Some(&s.toml))
        .map(|s| (s.path.clone(), s.toml.clone()));
    let texts = (import.texts.iter()).map(|t| (t.path.clone(), t.text.clone()));
    let files: Vec<(PathBuf, String)> = sets.chain(texts).collect();
    let claims: usize = import.claim_sets.iter().map(|s| s.claims).sum();
    let mut summary = format!(
        "wrote {} claim set{} ({claims} claim{}) and {} text{}",
        import.claim_sets.len(),
        plural(import.claim_sets.len()),
        plural(claims),
        import.texts.len(),
        plural(import.texts.len()),
    );
    for s in &import.claim_sets {
        summary.push_str(&format!(
            "\n  {} ({} claim{})",
            s.path.display(),
            s.claims,
            plural(s.claims)
        ));
    }
    for t in &import.texts {
        summary.push_str(&format!("\n  {}", t.path.display()));
    }
    if !import.rejected.is_empty() {
        summary.push_str(&format!(
            "\n{} of {} coded passages not imported (see the warnings above)",
            import.rejected.len(),
            import.passages
        ));
    }
    edit::write_files(root, work_dir, files, summary)
}

/// `--dry-run`: each claim set as it would be written, headed by its path, and the texts
/// that would be copied; what would need `--force` is a warning here.
fn show(ctx: &Context, import: &Import, exists: &[PathBuf]) -> Result<u8, Failure> {
    for p in exists {
        let d =
            Diagnostic::warning(format!("{} exists", p.display())).with_help("--force replaces it");
        super::interchange::eprint(ctx, &d);
    }
    let mut text = String::new();
    for set in &import.claim_sets {
        text.push_str(&format!("# {}\n{}\n", set.path.display(), set.toml));
    }
    for t in &import.texts {
        text.push_str(&format!(
            "# text {} ({} bytes)\n",
            t.path.display(),
            t.text.len()
        ));
    }
    ctx.write(&OutputArgs::stdout(), text.as_bytes())?;
    Ok(exit_codes::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
