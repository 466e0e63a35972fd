//! `show source ID`: finds the source (or, with `--coder`, the coder's coding of it), reads
//! its archived text where the work keeps it, and writes the view.

use std::fs;
use std::path::Path;

use super::{Context, Failure};
use crate::cli::OutputArgs;
use crate::corpus::load::{Confined, confine, text_from_bytes};
use crate::corpus::{Source, Work};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::exit_codes;
use crate::quotes::Haystack;
use crate::views::show::{ShowSource, SourceShown, TextCheck, TextStatus};

pub(super) fn source(ctx: &Context, id: &str, output: &OutputArgs) -> Result<u8, Failure> {
    let loaded = ctx.load_valid_claim_sets()?;
    let root = loaded.corpus.root.clone();
    let work = ctx.take_work(loaded)?;
    let coders: Vec<String> = (work.coders.iter())
        .filter(|c| c.coding(id).is_some())
        .map(|c| c.id.clone())
        .collect();
    let source = match &ctx.coder {
        None => ctx.source(&work, id)?,
        Some(coder) => coding(ctx, &work, coder, id)?,
    };
    let text = check_text(&work, &root, source);
    let shown = SourceShown::new(&work, source, ctx.coder.as_deref(), coders, text);
    ctx.emit(&ShowSource::new(&work, shown), output)?;
    Ok(exit_codes::SUCCESS)
}

/// `--coder NAME`: the coder's coding of source `id`, or an error saying what they coded.
fn coding<'w>(ctx: &Context, work: &'w Work, coder: &str, id: &str) -> Result<&'w Source, Failure> {
    let Some(i) = work.coder_index(coder) else {
        let names: Vec<&str> = work.coders.iter().map(|c| c.id.as_str()).collect();
        let d = Diagnostic::error(format!("unknown coder \"{coder}\" in work \"{}\"", work.id))
            .with_help(if names.is_empty() {
                "the work has no codings yet (`parallax list coders`)".to_string()
            } else {
                did_you_mean(coder, &names, "coder")
            });
        return Err(Failure::invalid(ctx.render_diags([&d])));
    };
    let coder = &work.coders[i];
    if let Some(s) = coder.coding(id) {
        return Ok(s);
    }
    let coded: Vec<&str> = coder.codings.iter().map(|s| s.id.as_str()).collect();
    let d = Diagnostic::error(format!("coder \"{}\" has no coding of \"{id}\"", coder.id))
        .with_help(if coded.is_empty() {
            "they have coded no source yet".to_string()
        } else {
            format!(
                "{} (they coded {})",
                did_you_mean(id, &coded, "source"),
                coded.join(", ")
            )
        });
    Err(Failure::invalid(ctx.render_diags([&d])))
}

/// The source's archived text, looked for where `check` looks first (the work's `texts/`
/// folder), and whether each quote occurs in it. A folder or file that leads outside the
/// corpus is not read: the text is then "not found", and `check` says why.
fn check_text(work: &Work, root: &Path, source: &Source) -> TextCheck {
    let Some((name, _)) = &source.text else {
        return TextCheck::default();
    };
    let texts = work.dir.join("texts");
    let status = |found: bool, note: String| TextStatus {
        file: name.clone(),
        found,
        note,
    };
    let text = fs::canonicalize(root)
        .ok()
        .and_then(|real_root| match confine(&real_root, &texts) {
            Confined::Inside(real) => Some(real),
            _ => None,
        })
        .and_then(|real_texts| match confine(&real_texts, &texts.join(name)) {
            Confined::Inside(real) if real.is_file() => Some(real),
            _ => None,
        });
    let path = texts.join(name);
    let Some(real) = text else {
        let note = format!("not in {}", texts.display());
        return TextCheck {
            status: Some(status(false, note)),
            quote_found: Vec::new(),
        };
    };
    let read = fs::read(&real)
        .map_err(|e| e.to_string())
        .and_then(|bytes| text_from_bytes(&path, &bytes).map_err(|d| d.message));
    let text = match read {
        Ok(text) => text,
        Err(why) => {
            return TextCheck {
                status: Some(status(
                    false,
                    format!("{} cannot be read: {why}", path.display()),
                )),
                quote_found: Vec::new(),
            };
        }
    };
    let haystack = Haystack::new(&text.text);
    TextCheck {
        status: Some(status(true, path.display().to_string())),
        quote_found: (source.claims.iter())
            .map(|c| c.quote().map(|q| haystack.locate_quote(q).is_some()))
            .collect(),
    }
}
