//! Properties of the output: determinism, sub-paths, safe writing.
