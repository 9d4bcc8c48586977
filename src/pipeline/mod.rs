//! One article through the stages: match, resolve, relate, into one record.

pub mod cues;
pub mod extract;
pub mod inspect;
pub mod relate;
pub mod resolve;
pub mod slots;
