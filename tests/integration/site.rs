//! The valid fixture site: what it builds, and that the output is stable.
