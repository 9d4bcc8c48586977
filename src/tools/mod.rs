//! Tools around the pipeline: scoring against gold, suggesting gazetteer entries, and
//! learning the tagger's word clusters.

pub mod clusters;
pub mod eval;
pub mod ner;
pub mod suggest;
