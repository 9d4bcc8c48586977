//! actorgraph: Arabic news articles in, an evidence-backed actor-alliance graph out.
//!
//! The stages, one module each (docs/ARCHITECTURE.md draws the map):
//! [`record`] holds the contract types, the [`Article`] read and the [`ArticleRecord`]
//! written (docs/CONTRACT.md); [`text`] folds spelling with a map back to the original;
//! [`gazetteer`] loads the editable TSV data; [`lexicon`] matches its surfaces with Arabic
//! proclitics; [`pipeline`] turns one article into one record (the [`Extractor`]);
//! [`graph`] merges records into an [`ActorGraph`] and slices it; [`output`] writes
//! tables, records and drawings whole or not at all; [`run`] reads inputs of every
//! format and streams a batch on all cores; [`tools`] scores against gold and suggests
//! gazetteer entries.
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
pub mod tagger;
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
