//! kembar: builds the Atlas Kota Kembar (or any site in its content model) into a
//! static website. Stages: `load` → `validate` → `index` → `render`/`output` → `write`,
//! run in order by `build`.

pub mod diag;
pub mod load;
pub mod markdown;
pub mod model;
pub mod validate;
