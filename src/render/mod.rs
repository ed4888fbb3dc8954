//! Rendering: the template engines behind a small trait (chosen by the theme's
//! `theme.toml`), the theme (embedded default plus the site's overrides, or a theme of
//! the site's own) and the view models templates see.

mod engine;
mod line;
mod theme;
pub mod view;

pub(crate) use engine::escape_html;
pub use engine::{Engine, MiniJinja, Table, TemplateError, Tera, Value, engine_for, value};
pub use line::{Detail, Line};
pub use theme::{EngineKind, Theme, ThemeError};
