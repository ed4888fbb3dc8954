//! kembar's integration tests: one binary that drives the `kembar` executable on
//! fixture sites under `tests/fixtures/`.

mod atlas;
mod bench;
mod browser;
mod common;
mod editor;
mod import;
mod invalid;
mod output;
mod reader;
mod scaffold;
mod serve;
mod site;
mod themes;

// The benchmark's corpus generator (examples/bench), for its smoke test.
#[allow(dead_code)]
#[path = "../../examples/bench/corpus.rs"]
mod corpus;
#[allow(dead_code)]
#[path = "../../examples/bench/kembar_site.rs"]
mod kembar_site;
