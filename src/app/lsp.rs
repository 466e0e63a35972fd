//! `parallax lsp`: the language server over standard input and output.

use lsp_server::Connection;

use super::Failure;
use crate::exit_codes;

/// Serves one editor until it exits. Standard output is the protocol's channel, so nothing
/// else is printed there; a broken connection is reported on standard error.
pub(super) fn lsp() -> Result<u8, Failure> {
    let (connection, io) = Connection::stdio();
    let served = crate::lsp::run(&connection);
    drop(connection);
    let joined = io.join();
    // a message that is not JSON-RPC ends the reader, and with it the loop
    match served.and(joined.map_err(|e| e.to_string())) {
        Ok(()) => Ok(exit_codes::SUCCESS),
        Err(e) => Err(Failure::invalid(vec![format!(
            "error: parallax lsp: {}",
            crate::render::sanitize_with(&e, crate::render::Breaks::Show)
        )])),
    }
}
