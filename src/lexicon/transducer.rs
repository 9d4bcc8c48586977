//! The finite state transducers the lexicon walks past the trie limit: compact, and
//! quick to build for a gazetteer of a million names.

use std::fmt;

use fst::raw::{CompiledAddr, Fst, Output};
use rayon::iter::ParallelIterator;
use rayon::slice::ParallelSlice;

/// Stems mapped to pattern indices, in one transducer per range of first characters:
/// the `fst` builder is sequential, and slow for a million stems on one core, where
/// the ranges are built on all cores at once.
pub(super) struct Transducers {
    /// The first character of each transducer's stems, ascending.
    firsts: Vec<char>,
    fsts: Vec<Fst<Vec<u8>>>,
    /// For every pair of Arabic letters, the walk through its transducer after them:
    /// the first nodes branch over most of the alphabet and are the slowest to search.
    pairs: Vec<Walk>,
}

/// The Arabic letters, from hamza to ya, that [`Transducers`] looks up in pairs.
const LETTERS: std::ops::RangeInclusive<char> = '\u{0621}'..='\u{064A}';
const LETTER_COUNT: usize = *LETTERS.end() as usize - *LETTERS.start() as usize + 1;

/// The index of `c` among [`LETTERS`].
fn letter(c: char) -> Option<usize> {
    LETTERS
        .contains(&c)
        .then(|| c as usize - *LETTERS.start() as usize)
}

/// Where a walk through a transducer stands.
#[derive(Debug, Clone, Copy)]
struct Walk {
    /// The node reached; `None` once a byte had no transition.
    node: Option<CompiledAddr>,
    output: Output,
    /// Bytes consumed.
    depth: usize,
    /// Pattern index and byte length of the longest stem passed.
    longest: Option<(usize, usize)>,
}

impl Walk {
    fn start(fst: &Fst<Vec<u8>>) -> Walk {
        Walk {
            node: Some(fst.root().addr()),
            output: Output::zero(),
            depth: 0,
            longest: None,
        }
    }

    /// Follows `bytes` as far as the transducer goes.
    fn advance(mut self, fst: &Fst<Vec<u8>>, bytes: &[u8]) -> Walk {
        let Some(addr) = self.node else {
            return self;
        };
        let mut node = fst.node(addr);
        for &b in bytes {
            let Some(i) = node.find_input(b) else {
                self.node = None;
                return self;
            };
            let t = node.transition(i);
            self.output = self.output.cat(t.out);
            self.depth += 1;
            node = fst.node(t.addr);
            if node.is_final() {
                let pattern = self.output.cat(node.final_output()).value() as usize;
                self.longest = Some((pattern, self.depth));
            }
        }
        self.node = Some(node.addr());
        self
    }
}

impl Transducers {
    /// Builds from keys sorted by stem, without duplicate stems, one transducer per
    /// thread; all stems with the same first character go into the same one.
    pub(super) fn build(keys: &[(&str, u64)]) -> Result<Transducers, fst::Error> {
        let first = |stem: &str| stem.chars().next();
        let shards = rayon::current_num_threads();
        let mut bounds = vec![0];
        for shard in 1..shards {
            let at = (keys.len() * shard / shards).max(bounds[bounds.len() - 1]);
            let Some(&(stem, _)) = keys.get(at) else {
                break;
            };
            let end = at + keys[at..].partition_point(|&(s, _)| first(s) == first(stem));
            if end < keys.len() {
                bounds.push(end);
            }
        }
        bounds.push(keys.len());
        bounds.dedup();
        let fsts = bounds
            .par_windows(2)
            .map(|range| Fst::from_iter_map(keys[range[0]..range[1]].iter().copied()))
            .collect::<Result<Vec<_>, _>>()?;
        let firsts = bounds[..bounds.len() - 1]
            .iter()
            .filter_map(|&at| keys.get(at).and_then(|&(stem, _)| first(stem)))
            .collect();
        let mut transducers = Transducers {
            firsts,
            fsts,
            pairs: Vec::new(),
        };
        let dead = Walk {
            node: None,
            output: Output::zero(),
            depth: 0,
            longest: None,
        };
        transducers.pairs = LETTERS
            .flat_map(|a| LETTERS.map(move |b| [a, b]))
            .map(|pair| match transducers.shard(pair[0]) {
                Some(fst) => Walk::start(fst).advance(fst, String::from_iter(pair).as_bytes()),
                None => dead,
            })
            .collect();
        Ok(transducers)
    }

    /// The transducer that holds the stems starting with `c`, if any.
    fn shard(&self, c: char) -> Option<&Fst<Vec<u8>>> {
        let shard = self.firsts.partition_point(|&f| f <= c).checked_sub(1)?;
        Some(&self.fsts[shard])
    }

    /// The pattern index and byte length of the longest stem that `text` starts with.
    pub(super) fn longest(&self, text: &str) -> Option<(usize, usize)> {
        let mut chars = text.chars();
        let a = chars.next()?;
        let fst = self.shard(a)?;
        let b = chars.next();
        let walk = match (letter(a), b.and_then(letter)) {
            (Some(i), Some(j)) => {
                let rest = &text.as_bytes()[a.len_utf8() + b.map_or(0, char::len_utf8)..];
                self.pairs[i * LETTER_COUNT + j].advance(fst, rest)
            }
            _ => Walk::start(fst).advance(fst, text.as_bytes()),
        };
        walk.longest
    }
}

impl fmt::Debug for Transducers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stems: usize = self.fsts.iter().map(Fst::len).sum();
        write!(f, "Fst({stems} stems)")
    }
}
