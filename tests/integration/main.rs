//! kembar's integration tests: one binary that drives the `kembar` executable on
//! fixture sites under `tests/fixtures/`.

mod atlas;
mod browser;
mod common;
mod import;
mod invalid;
mod output;
mod reader;
mod site;
mod themes;
