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

pub mod error;
pub mod gazetteer;
pub mod graph;
pub mod lexicon;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod run;
#[cfg(test)]
mod testing;
pub mod text;
pub mod tools;

pub use error::{GazetteerError, InputProblem, OutputError};
pub use gazetteer::Gazetteer;
pub use graph::ActorGraph;
pub use pipeline::extract::Extractor;
pub use record::Article;
pub use record::ArticleRecord;
pub use run::input::Inputs;
