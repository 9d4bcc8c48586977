//! Helpers shared by the unit tests.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

/// Property tests that compare a fast path with a reference: many cases, and no
/// regression files written into the source tree.
pub(crate) fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Texts strung together from up to `most` of `pieces`; a failing one shrinks to fewer
/// and earlier pieces.
pub(crate) fn texts(pieces: &'static [&'static str], most: usize) -> impl Strategy<Value = String> {
    vec(select(pieces), 0..=most).prop_map(|pieces| pieces.concat())
}
