//! kembar: builds the Atlas Kota Kembar (or any site in its content model) into a
//! static website. Stages: `load` → `validate` → `index` → `output` (through `render`)
//! → `write`, run in order by `build`.

pub mod build;
pub mod charts;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod diag;
pub mod external;
pub mod gazetteer;
pub mod import;
pub mod index;
pub mod lang;
pub mod load;
pub mod map;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
#[cfg(test)]
mod testing;
pub mod urls;
pub mod validate;
pub mod write;
