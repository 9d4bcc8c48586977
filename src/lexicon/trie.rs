//! The trie the lexicon walks for up to [`DEFAULT_TRIE_LIMIT`](super::DEFAULT_TRIE_LIMIT)
//! stems: small enough to stay in cache, and built in milliseconds.

use std::fmt;

use rustc_hash::FxHashMap;

/// No node or no pattern.
const NONE: u32 = u32::MAX;

/// Nodes with more children than this look them up in a table, not a list.
const DENSE_CHILDREN: usize = 6;

/// The widest table: past this many distinct characters (a gazetteer in many scripts)
/// every node lists its children. The built-in data has 49.
const MAX_TABLE_WIDTH: usize = 256;

/// The most bytes of stems compiled into a trie, whatever their number: each byte
/// makes at most one node, and the arena's offsets are `u32`.
pub(super) const MAX_TRIE_BYTES: usize = 1 << 24;

/// Numbers for the characters that occur in stems, dense from 0, so that a table of
/// children is as narrow as the alphabet of the gazetteer.
#[derive(Default)]
struct Alphabet {
    /// Number + 1 of each character U+0000..U+06FF (Latin and Arabic), 0 if none.
    table: Vec<u32>,
    /// Numbers of the other characters.
    others: FxHashMap<char, u32>,
    len: usize,
}

impl Alphabet {
    /// The number of `c`, if it occurs in a stem.
    fn get(&self, c: char) -> Option<u32> {
        match self.table.get(c as usize) {
            Some(&slot) => slot.checked_sub(1),
            None => self.others.get(&c).copied(),
        }
    }

    /// The number of `c`, given the next free one if it is new.
    fn add(&mut self, c: char) -> u32 {
        if let Some(n) = self.get(c) {
            return n;
        }
        let n = self.len as u32;
        self.len += 1;
        match self.table.get_mut(c as usize) {
            Some(slot) => *slot = n + 1,
            None => {
                self.others.insert(c, n);
            }
        }
        n
    }
}

/// Marks a node whose children are a table in [`Trie::arena`].
const DENSE: u32 = 1 << 31;

/// Stems in a trie over characters. Characters are numbered by a table (Arabic and
/// ASCII) or a map (the rest). Each node is a run of `u32`s in one arena, in depth-first
/// order: its pattern, then its children, as a list of (number, node) pairs or, for a
/// node with many children (the root, the first letters), a table indexed by number.
/// A step of a walk reads one node, usually within one cache line.
pub(super) struct Trie {
    alphabet: Alphabet,
    /// The nodes; a node at offset `o` holds: `[o]` the pattern that ends there or
    /// [`NONE`]; `[o + 1]` its number of listed children, or [`DENSE`]; then the list
    /// or the table, whose entries are the children's offsets.
    arena: Vec<u32>,
}

impl Trie {
    /// Builds from stems indexed by pattern; of equal stems the first is kept.
    ///
    /// Characters are numbered in code point order, so that stems sorted by their bytes
    /// (UTF-8 keeps code point order) meet each node's children in the order of their
    /// numbers: the nodes are made in depth-first order in one pass over the sorted
    /// stems, without a list of children per node.
    pub(super) fn build(stems: &[String]) -> Trie {
        let mut alphabet = Alphabet {
            table: vec![0; 0x700],
            ..Alphabet::default()
        };
        // The characters of the stems in code point order: those the table covers
        // marked in it, the few others sorted (sorting every character of every stem
        // would weigh on a run's start).
        let mut seen = vec![false; alphabet.table.len()];
        let mut others = Vec::new();
        for c in stems.iter().flat_map(|s| s.chars()) {
            match seen.get_mut(c as usize) {
                Some(seen) => *seen = true,
                None => others.push(c),
            }
        }
        others.sort_unstable();
        others.dedup();
        let marked = (0..seen.len()).filter(|&i| seen[i]);
        for c in marked
            .filter_map(|i| char::from_u32(i as u32))
            .chain(others)
        {
            alphabet.add(c);
        }
        // By stem, then index: pairs are distinct, so an unstable sort orders them as a
        // stable one would, and without looking each stem up.
        let mut order: Vec<(&str, usize)> = stems
            .iter()
            .enumerate()
            .map(|(index, stem)| (stem.as_str(), index))
            .collect();
        order.sort_unstable();
        // Nodes in depth-first order: each one's parent, character number and pattern.
        let mut parents = vec![NONE];
        let mut numbers = vec![NONE];
        let mut patterns = vec![NONE];
        // The nodes along the previous stem, from the root.
        let mut path: Vec<u32> = vec![0];
        let mut previous = "";
        for (stem, index) in order {
            let shared = stem
                .chars()
                .zip(previous.chars())
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(shared + 1);
            for c in stem.chars().skip(shared) {
                let n = alphabet
                    .get(c)
                    .expect("every character of a stem is numbered");
                parents.push(path[path.len() - 1]);
                numbers.push(n);
                patterns.push(NONE);
                path.push(patterns.len() as u32 - 1);
            }
            let node = path[path.len() - 1] as usize;
            if patterns[node] == NONE {
                patterns[node] = index as u32;
            }
            previous = stem;
        }
        let mut counts = vec![0u32; patterns.len()];
        for &parent in &parents[1..] {
            counts[parent as usize] += 1;
        }
        let width = alphabet.len;
        let dense = |count: u32| count as usize > DENSE_CHILDREN && width <= MAX_TABLE_WIDTH;
        let mut offsets = Vec::with_capacity(patterns.len());
        let mut len = 0;
        for &count in &counts {
            offsets.push(len as u32);
            len += 2 + if dense(count) {
                width
            } else {
                2 * count as usize
            };
        }
        let mut arena = vec![NONE; len];
        // Where the next child of each listing node goes.
        let mut next_slot: Vec<u32> = offsets.iter().map(|&o| o + 2).collect();
        for node in 0..patterns.len() {
            let at = offsets[node] as usize;
            arena[at] = patterns[node];
            arena[at + 1] = if dense(counts[node]) {
                DENSE
            } else {
                counts[node]
            };
            if node == 0 {
                continue;
            }
            let parent = parents[node] as usize;
            let row = offsets[parent] as usize + 2;
            if dense(counts[parent]) {
                arena[row + numbers[node] as usize] = offsets[node];
            } else {
                let slot = next_slot[parent] as usize;
                arena[slot] = numbers[node];
                arena[slot + 1] = offsets[node];
                next_slot[parent] += 2;
            }
        }
        Trie { alphabet, arena }
    }

    /// The offset of the child of the node at `node` for character number `n`.
    fn child(&self, node: usize, n: u32) -> Option<usize> {
        let kind = self.arena[node + 1];
        let child = if kind == DENSE {
            self.arena[node + 2 + n as usize]
        } else {
            let list = &self.arena[node + 2..node + 2 + 2 * kind as usize];
            list.chunks_exact(2).find(|pair| pair[0] == n)?[1]
        };
        (child != NONE).then_some(child as usize)
    }

    /// The pattern index and byte length of the longest stem that `text` starts with.
    pub(super) fn longest(&self, text: &str) -> Option<(usize, usize)> {
        let mut node = 0;
        let mut longest = None;
        for (at, c) in text.char_indices() {
            let Some(next) = self.alphabet.get(c).and_then(|n| self.child(node, n)) else {
                break;
            };
            node = next;
            let pattern = self.arena[node];
            if pattern != NONE {
                longest = Some((pattern as usize, at + c.len_utf8()));
            }
        }
        longest
    }
}

impl fmt::Debug for Trie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Trie({} words, {} characters)",
            self.arena.len(),
            self.alphabet.len
        )
    }
}
