//! The process's exit codes (docs/json.md#exit-codes). Scripts depend on them.

/// Everything went well (warnings included, unless `check --strict`).
pub const SUCCESS: u8 = 0;
/// The corpus or an argument is invalid; a message says what and where.
pub const INVALID: u8 = 1;
/// The command line could not be parsed (clap's own usage error).
pub const USAGE: u8 = 2;
