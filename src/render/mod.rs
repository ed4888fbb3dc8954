//! Rendering: the template engine behind a small trait, the theme (embedded default
//! plus the site's overrides) and the view models templates see.

mod engine;
mod theme;
pub mod view;

pub use engine::{Engine, MiniJinja, TemplateError};
pub use theme::{Theme, ThemeError};
