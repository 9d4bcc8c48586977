//! actorgraph: Arabic news articles in, an evidence-backed actor-alliance graph out.
//!
//! The pipeline, one module per stage:
//! [`input`] reads articles; [`normalize`] folds spelling with a map back to the
//! original; [`segment`] splits sentences; [`lexicon`] matches gazetteer surfaces with
//! Arabic proclitics; [`resolve`] turns matches into actors (titles, dated roles,
//! surnames, demonyms); [`relate`] applies the relation rules; [`extract`] ties these
//! into one [`record::ArticleRecord`] per article; [`batch`] streams many articles on
//! all cores; [`graph`] merges records into an actor graph; [`filter`] slices it;
//! [`export`] writes it as CSV and Graphviz DOT, [`graphml`] and [`gexf`] as XML, and
//! [`encode`] the records' JSON lines and mention rows;
//! [`explain`] shows each relation's evidence; and [`eval`] scores records against
//! gold annotation.
//!
//! ```
//! use actorgraph::{Article, Extractor, Gazetteer};
//!
//! let extractor = Extractor::new(Gazetteer::builtin()?)?;
//! let article = Article {
//!     id: "example".into(),
//!     date: Some("2020-06-23".into()),
//!     title: None,
//!     text: "وناقش الرئيس السراج مع وزير الخارجية الإيطالي لويدجي دي مايو في طرابلس".into(),
//! };
//! let record = extractor.extract(&article);
//! let meets = &record.relations[0];
//! assert_eq!((meets.source.entity.as_str(), meets.target.entity.as_str()), ("sarraj", "dimaio"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod batch;
pub mod encode;
pub mod error;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod filter;
pub mod gazetteer;
pub mod gexf;
pub mod graph;
pub mod graphml;
pub mod input;
pub mod lexicon;
pub mod normalize;
pub mod record;
pub mod relate;
pub mod resolve;
pub mod segment;
pub mod spill;
pub mod suggest;
#[cfg(test)]
mod testing;
pub mod unknown;

pub use error::{GazetteerError, InputProblem, OutputError};
pub use extract::Extractor;
pub use gazetteer::Gazetteer;
pub use graph::ActorGraph;
pub use input::{Article, Inputs};
pub use record::ArticleRecord;
