//! The `replilab` command-line tool's subcommands.

pub mod console;
pub mod import;
pub mod report;
