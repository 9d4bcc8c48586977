//! Many articles: inputs by format, the batch on all cores, the records kept for the graph.

pub mod batch;
pub mod input;
pub mod spill;
