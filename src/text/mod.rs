//! Text as the pipeline reads it: spelling folded with a map back to the original,
//! sentences, and what Arabic words are made of; and counts as the tool words them.

pub(crate) mod arabic;
pub mod fold;
pub mod plural;
pub(crate) mod segment;
