//! Helpers for the library's unit tests.

use std::path::Path;

/// A temporary copy of the folders and files `parts` name inside the repository
/// (`tests/fixtures/site/.`, `content`, `kembar.toml`), at the same relative places;
/// a part ending in `/.` is copied into the copy's root.
pub fn copy_of(parts: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in parts {
        let (from, base) = match part.strip_suffix("/.") {
            Some(inner) => (repo.join(inner), repo.join(inner)),
            None => (repo.join(part), repo.to_path_buf()),
        };
        for e in walkdir::WalkDir::new(&from) {
            let e = e.expect("walk");
            let to = dir
                .path()
                .join(e.path().strip_prefix(&base).expect("inside"));
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(e.path(), &to).expect("copy");
            }
        }
    }
    dir
}
