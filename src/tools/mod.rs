//! Tools around the pipeline: scoring against gold, and suggesting gazetteer entries.

pub mod eval;
pub mod ner;
pub mod suggest;
