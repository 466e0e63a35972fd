//! parallax: align sources' interpretations of a work scene by scene and show where they
//! agree and diverge.
//!
//! Data flows one way: TOML files are loaded and validated into a [`corpus::Corpus`]; a
//! view (`views`) computes a plain struct from it; a renderer (`render`) turns the view
//! into bytes in the chosen format. The library never prints; `main` does.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod agreement;
pub mod align;
pub mod app;
pub mod cli;
pub mod complete;
pub mod corpus;
pub mod diagnostic;
pub mod discover;
pub mod edit;
pub mod exit_codes;
pub mod gate;
pub mod interchange;
pub mod json_escape;
pub mod lsp;
pub mod output;
pub mod progress;
pub mod quotes;
pub mod render;
pub mod schema;
pub mod verdict;
pub mod views;
pub mod voice;
