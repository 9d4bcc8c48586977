//! Many articles: inputs by format, the batch on all cores, the records kept for the graph.

pub mod batch;
pub mod folder;
pub mod input;
pub mod records;
pub(crate) mod spill;

use crate::error::InputProblem;

/// What a run tells its front end as it goes: the seam between a run and a progress bar
/// or a log.
pub trait Observer {
    /// One article was processed, from `bytes` bytes of input.
    fn article(&mut self, bytes: usize);
    /// An article or file was skipped, or read with a warning.
    fn problem(&mut self, problem: &InputProblem);
    /// The batch is over; the graph files are still to be written.
    fn batch_done(&mut self) {}
    /// Something the user should know that stops nothing.
    fn warning(&mut self, message: &str);
}

/// An observer that tells nobody.
pub struct Silent;

impl Observer for Silent {
    fn article(&mut self, _: usize) {}
    fn problem(&mut self, _: &InputProblem) {}
    fn warning(&mut self, _: &str) {}
}
