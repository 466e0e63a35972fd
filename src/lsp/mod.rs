//! `parallax lsp`: a language server (LSP 3.17) for the corpus files, so that whoever writes
//! a claim set sees, while typing, what `parallax check` would say, and has the codebook at
//! hand (the README, "Editor support").
//!
//! It is a thin loop over the library: the loader's validator, the quote checker and the
//! rename engine answer the requests, on the editor's buffers instead of the files on disk.
//! Its parts:
//!
//! * `main_loop`: the handshake and the dispatch of each message;
//! * `state`: the open buffers and the index of each work ([`index`]), updated per change;
//! * `files`: which corpus file a path is, and `file:` URIs;
//! * `position`: positions in UTF-16 (the default), UTF-8 or UTF-32 against UTF-8 text;
//! * `syntax`: the buffer read line by line, for requests on half-typed text;
//! * `diagnostics` (with `recovery` for buffers that do not parse), `completion`,
//!   `hover`, `navigation` (definition, references), `rename`, `actions`, `symbols`.
//!
//! The server never writes a file: a rename comes back as edits for the editor to apply.

mod actions;
mod completion;
mod diagnostics;
mod files;
mod hover;
pub mod index;
mod main_loop;
mod navigation;
mod position;
mod recovery;
mod rename;
mod state;
mod symbols;
mod syntax;

pub use files::{Kind, classify};
pub use main_loop::run;
