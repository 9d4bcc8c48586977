//! Text as the pipeline reads it: spelling folded with a map back to the original,
//! sentences, and what Arabic words are made of.

pub(crate) mod arabic;
pub mod fold;
pub(crate) mod segment;
