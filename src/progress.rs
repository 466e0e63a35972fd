//! A sign of life on long work: a progress bar on standard error, for any command to use
//! around work that may take seconds (reading thousands of claim files, thousands of
//! bootstrap samples, a large import).
//!
//! Whether bars may be drawn is decided once per run by the command ([`enable`]): only when
//! standard error is a terminal, `CI` is not set, `TERM` is not `dumb`, and standard output is
//! not where the command writes JSON. Even then a bar stays hidden until its work has run for
//! [`DELAY`], so a quick run never flickers; it is wiped when the work is done, leaving the
//! screen as it was. Where bars are not allowed, a [`Bar`] is nothing and costs nothing.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its bar appears.
pub const DELAY: Duration = Duration::from_millis(800);

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Allows bars for the rest of the run, where they can be seen and harm nothing: standard
/// error is a terminal, `CI` is not set, `TERM` is not `dumb`, and the command does not write
/// JSON to standard output (`json_to_stdout`), where a bar would only get in its reader's way.
pub fn enable(json_to_stdout: bool) {
    let allowed = allowed(
        std::io::stderr().is_terminal(),
        std::env::var_os("CI").as_deref(),
        std::env::var_os("TERM").as_deref(),
        json_to_stdout,
    );
    ENABLED.store(allowed, Ordering::Relaxed);
}

/// The rule of [`enable`], apart from the process's state.
fn allowed(
    stderr_terminal: bool,
    ci: Option<&OsStr>,
    term: Option<&OsStr>,
    json_to_stdout: bool,
) -> bool {
    stderr_terminal
        && ci.is_none_or(OsStr::is_empty)
        && term.is_none_or(|t| t != "dumb")
        && !json_to_stdout
}

/// Whether bars are drawn in this run.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// The progress of one piece of work of a known size. Cheap to advance from many threads.
#[derive(Debug, Default)]
pub struct Bar {
    inner: Option<Shown>,
}

#[derive(Debug)]
struct Shown {
    bar: ProgressBar,
    start: Instant,
    drawn: AtomicBool,
}

impl Bar {
    /// A bar for `total` steps of `what` ("reading claim files"); nothing when bars are
    /// not allowed ([`enable`]).
    pub fn new(what: &str, total: u64) -> Bar {
        if !enabled() || total == 0 {
            return Bar::default();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(style());
        bar.set_message(what.to_string());
        Bar {
            inner: Some(Shown {
                bar,
                start: Instant::now(),
                drawn: AtomicBool::new(false),
            }),
        }
    }

    /// `n` more steps done.
    pub fn inc(&self, n: u64) {
        let Some(shown) = &self.inner else {
            return;
        };
        shown.bar.inc(n);
        if !shown.drawn.load(Ordering::Relaxed)
            && shown.start.elapsed() >= DELAY
            && !shown.drawn.swap(true, Ordering::Relaxed)
        {
            shown.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Whether the bar is drawn (for tests: it never is where bars are not allowed).
    pub fn is_drawn(&self) -> bool {
        self.inner
            .as_ref()
            .is_some_and(|s| s.drawn.load(Ordering::Relaxed))
    }
}

impl Drop for Bar {
    /// Work done (or given up): the bar is wiped from the screen.
    fn drop(&mut self) {
        if let Some(shown) = &self.inner {
            shown.bar.finish_and_clear();
        }
    }
}

fn style() -> ProgressStyle {
    static STYLE: OnceLock<ProgressStyle> = OnceLock::new();
    STYLE
        .get_or_init(|| {
            ProgressStyle::with_template("{msg} {wide_bar} {human_pos}/{human_len} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_only_on_a_terminal_outside_ci_and_never_beside_json() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert!(allowed(true, None, os("xterm-256color"), false));
        assert!(allowed(true, os(""), None, false));
        assert!(!allowed(false, None, None, false), "a pipe or a file");
        assert!(!allowed(true, os("true"), None, false), "CI");
        assert!(!allowed(true, None, os("dumb"), false));
        assert!(!allowed(true, None, None, true), "JSON on standard output");
    }

    #[test]
    fn a_bar_where_bars_are_not_allowed_is_nothing() {
        // no test of this crate enables bars
        assert!(!enabled());
        let bar = Bar::new("work", 1_000_000);
        assert!(bar.inner.is_none());
        bar.inc(10);
        assert!(!bar.is_drawn());
    }
}
