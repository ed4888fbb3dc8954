//! The accessibility check: axe-core (pinned in `tests/browser/package-lock.json`,
//! installed by `npm ci --prefix tests/browser`) injected into the page and run there,
//! in the same Chromium as a reader would use.

use super::chrome::Page;
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The axe-core script, or `None` when `npm ci` has not installed it.
pub fn source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let file = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js");
            std::fs::read_to_string(file).ok()
        })
        .as_deref()
}

/// One rule that failed, with the elements it failed on.
#[derive(Deserialize)]
pub struct Violation {
    id: String,
    impact: String,
    help: String,
    nodes: usize,
    targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} — {} element(s), e.g. {}",
            self.id,
            self.impact,
            self.help,
            self.nodes,
            self.targets.join(" | ")
        )
    }
}

/// Runs axe-core on the page shown and returns its serious and critical violations.
pub fn serious_violations(page: &Page, axe: &str) -> Vec<Violation> {
    if !page.value::<bool>("!!window.axe") {
        page.run_script(axe);
    }
    page.value(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.length,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            })))",
    )
}
