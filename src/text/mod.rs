//! Text as the pipeline reads it: spelling folded with a map back to the original, and
//! sentences.

pub mod fold;
pub mod segment;
