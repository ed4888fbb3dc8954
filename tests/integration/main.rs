//! kembar's integration tests: one binary that drives the `kembar` executable on
//! fixture sites under `tests/fixtures/`.

mod atlas;
mod common;
mod import;
mod invalid;
mod output;
mod site;
