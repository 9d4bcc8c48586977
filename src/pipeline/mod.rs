//! One article through the stages: match, resolve, relate, into one record.

pub(crate) mod cues;
pub mod extract;
mod heads;
pub mod inspect;
pub(crate) mod names;
pub(crate) mod relate;
mod resolve;
pub(crate) mod slots;

pub use resolve::{Actor, NameValue, Resolution, ResolvedMention};
