//! Interchange with other tools (the README, "Interchange"): a work written as a REFI-QDA project for
//! qualitative data analysis software and such a project read back ([`qdpx`]), claims
//! written as W3C Web Annotations ([`annotations`]), and Hypothesis annotations read as
//! claim sets ([`hypothesis`]). Neither prints: each returns what it made and what it had to leave
//! out, and the caller reports it.

pub mod annotations;
pub mod hypothesis;
pub mod qdpx;

/// A user-supplied string as it is shown in a message: quoted, with control characters,
/// bidi overrides and other invisible characters escaped, so a hostile annotation or claim
/// cannot drive the terminal.
pub(crate) fn shown(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_escapes_what_a_terminal_would_obey() {
        assert_eq!(shown("a\u{1b}[31mb"), "\"a\\u{1b}[31mb\"");
        assert_eq!(shown("x\u{202e}y"), "\"x\\u{202e}y\"");
        assert_eq!(shown("plain"), "\"plain\"");
    }
}
