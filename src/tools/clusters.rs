//! Word clusters learnt from unlabelled text, for the name tagger: words that stand
//! between the same neighbours fall in the same cluster, so a name the tagger never saw in
//! its training data («فارغاس», «كينيون») shares the evidence of the names it did see.
//!
//! Each frequent word is described by how often each of the most frequent words stands
//! just before it and just after it (square roots of the counts, scaled to length 1).
//! Spherical k-means then cuts the words into a few clusters, each of those into a few
//! more, and so on: a word's clusters are a path from coarse to fine, like the prefixes of
//! a Brown cluster. Everything is deterministic: the first centres are drawn from a seed,
//! and every sum is taken in the same order.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::tagger::CLUSTER_LEVELS;
use crate::text::fold::Folded;

/// How to learn the clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterOptions {
    /// Most words that get clusters (the most frequent ones).
    pub words: usize,
    /// Fewest occurrences of a word that gets clusters: rarer words have too few
    /// neighbours to say what they are.
    pub min_count: u64,
    /// How many of the most frequent words are counted as neighbours.
    pub contexts: usize,
    /// Into how many clusters each level cuts each cluster of the level above.
    pub branching: [usize; CLUSTER_LEVELS],
    /// Rounds of k-means at each cut.
    pub rounds: usize,
    /// The seed the first centres are drawn from.
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            words: 40_000,
            min_count: 8,
            contexts: 256,
            branching: [32, 8, 4],
            rounds: 12,
            seed: 2018,
        }
    }
}

/// The words of a corpus, as ids in the order they stand; an article's or sentence's end
/// is [`Corpus::BREAK`].
#[derive(Debug, Default)]
pub struct Corpus {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    counts: Vec<u64>,
    stream: Vec<u32>,
}

impl Corpus {
    /// Between two texts: no word is the neighbour of a word of another text.
    const BREAK: u32 = u32::MAX;

    /// Adds a text's folded words.
    pub fn add(&mut self, text: &str) {
        let folded = Folded::new(text);
        for word in &folded.words {
            let word = &folded.text[word.start as usize..word.end as usize];
            let id = match self.ids.get(word) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.ids.insert(word.into(), id);
                    self.words.push(word.into());
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.stream.push(id);
        }
        self.stream.push(Corpus::BREAK);
    }

    /// Words read so far.
    pub fn tokens(&self) -> usize {
        self.stream.len() - self.stream.iter().filter(|&&i| i == Corpus::BREAK).count()
    }

    /// Ids of words, the most frequent first (ties by the word), at most `n`, each seen at
    /// least `min_count` times.
    fn most_frequent(&self, n: usize, min_count: u64) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&i| self.counts[i as usize] >= min_count)
            .collect();
        ids.sort_unstable_by(|&a, &b| {
            self.counts[b as usize]
                .cmp(&self.counts[a as usize])
                .then_with(|| self.words[a as usize].cmp(&self.words[b as usize]))
        });
        ids.truncate(n);
        ids
    }
}

/// A word and its cluster at each level, numbered across the whole level.
pub type WordClusters = (String, [u32; CLUSTER_LEVELS]);

/// Learns the clusters of `corpus`'s frequent words, sorted by word.
pub fn learn(corpus: &Corpus, options: &ClusterOptions) -> Vec<WordClusters> {
    let vocabulary = corpus.most_frequent(options.words, options.min_count);
    let contexts = corpus.most_frequent(options.contexts, 1);
    let width = 2 * contexts.len();
    let mut row_of = vec![u32::MAX; corpus.words.len()];
    for (row, &id) in vocabulary.iter().enumerate() {
        row_of[id as usize] = row as u32;
    }
    let mut column_of = vec![u32::MAX; corpus.words.len()];
    for (column, &id) in contexts.iter().enumerate() {
        column_of[id as usize] = column as u32;
    }
    let mut vectors = vec![0f32; vocabulary.len() * width];
    let stream = &corpus.stream;
    for (at, &id) in stream.iter().enumerate() {
        if id == Corpus::BREAK || row_of[id as usize] == u32::MAX {
            continue;
        }
        let row = row_of[id as usize] as usize * width;
        let left = at.checked_sub(1).map(|j| stream[j]);
        let right = stream.get(at + 1).copied();
        if let Some(c) = left.filter(|&c| c != Corpus::BREAK) {
            let column = column_of[c as usize];
            if column != u32::MAX {
                vectors[row + column as usize] += 1.0;
            }
        }
        if let Some(c) = right.filter(|&c| c != Corpus::BREAK) {
            let column = column_of[c as usize];
            if column != u32::MAX {
                vectors[row + contexts.len() + column as usize] += 1.0;
            }
        }
    }
    vectors.par_chunks_mut(width).for_each(|v| {
        v.iter_mut().for_each(|x| *x = x.sqrt());
        normalise(v);
    });
    let mut paths = vec![[0u32; CLUSTER_LEVELS]; vocabulary.len()];
    let mut groups: Vec<Vec<usize>> = vec![(0..vocabulary.len()).collect()];
    let mut seed = options.seed | 1;
    for (level, &k) in options.branching.iter().enumerate() {
        let mut next = Vec::with_capacity(groups.len() * k);
        for (group, members) in groups.iter().enumerate() {
            seed = seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(group as u64)
                | 1;
            let cut = kmeans(&vectors, width, members, k, options.rounds, seed);
            let first = next.len();
            let mut parts = vec![Vec::new(); k];
            for (&member, &part) in members.iter().zip(&cut) {
                parts[part].push(member);
            }
            for (part, words) in parts.into_iter().enumerate() {
                for &member in &words {
                    paths[member][level] = (first + part) as u32;
                }
                next.push(words);
            }
        }
        groups = next;
    }
    let mut words: Vec<WordClusters> = vocabulary
        .iter()
        .zip(paths)
        .map(|(&id, path)| (corpus.words[id as usize].to_string(), path))
        .collect();
    words.sort_unstable();
    words
}

/// Scales `v` to length 1 (a zero vector stays zero).
fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// The dot product of two rows.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Spherical k-means of the rows `members` of `vectors` into `k` parts: each member's part.
fn kmeans(
    vectors: &[f32],
    width: usize,
    members: &[usize],
    k: usize,
    rounds: usize,
    seed: u64,
) -> Vec<usize> {
    let row = |m: usize| &vectors[m * width..(m + 1) * width];
    if members.len() <= k {
        return (0..members.len()).collect();
    }
    // The first centres, k-means++: each drawn from the seed with odds growing with its
    // distance from the centres drawn before it.
    let mut state = seed;
    let mut draw = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    let first = (draw() * members.len() as f64) as usize;
    let mut centres: Vec<f32> = row(members[first.min(members.len() - 1)]).to_vec();
    let mut nearest = vec![f32::NEG_INFINITY; members.len()];
    for c in 1..k {
        let centre = &centres[(c - 1) * width..c * width];
        nearest
            .par_iter_mut()
            .zip(members)
            .for_each(|(near, &m)| *near = near.max(dot(row(m), centre)));
        let odds: Vec<f64> = nearest
            .iter()
            .map(|&n| f64::from((1.0 - n).max(0.0)).powi(2))
            .collect();
        let total: f64 = odds.iter().sum();
        let mut target = draw() * total;
        let mut pick = members.len() - 1;
        for (i, &o) in odds.iter().enumerate() {
            if target < o {
                pick = i;
                break;
            }
            target -= o;
        }
        centres.extend_from_slice(row(members[pick]));
    }
    let mut parts = vec![0usize; members.len()];
    for _ in 0..rounds {
        parts = members
            .par_iter()
            .map(|&m| {
                let v = row(m);
                let mut best = (f32::NEG_INFINITY, 0);
                for (c, centre) in centres.chunks_exact(width).enumerate() {
                    let similarity = dot(v, centre);
                    if similarity > best.0 {
                        best = (similarity, c);
                    }
                }
                best.1
            })
            .collect();
        let mut sums = vec![0f32; k * width];
        let mut sizes = vec![0usize; k];
        for (&m, &part) in members.iter().zip(&parts) {
            sizes[part] += 1;
            for (s, x) in sums[part * width..(part + 1) * width]
                .iter_mut()
                .zip(row(m))
            {
                *s += x;
            }
        }
        for (c, size) in sizes.iter().enumerate() {
            // An emptied cluster keeps its centre.
            if *size > 0 {
                let centre = &mut sums[c * width..(c + 1) * width];
                normalise(centre);
                centres[c * width..(c + 1) * width].copy_from_slice(centre);
            }
        }
    }
    parts
}

/// The clusters as the tagger reads them: `word<TAB>coarse<TAB>...<TAB>fine`, a line a
/// word, sorted by word.
pub fn to_tsv(words: &[WordClusters]) -> String {
    let mut out = String::with_capacity(words.len() * 24);
    for (word, path) in words {
        out.push_str(word);
        for id in path {
            out.push('\t');
            out.push_str(&id.to_string());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words used between the same neighbours share a cluster; others do not.
    #[test]
    fn words_with_the_same_neighbours_share_a_cluster() {
        let mut corpus = Corpus::default();
        for name in ["زيد", "عمرو", "خالد"] {
            for _ in 0..5 {
                corpus.add(&format!("قال {name} امس في طرابلس"));
            }
        }
        for place in ["طرابلس", "بنغازي", "سرت"] {
            for _ in 0..5 {
                corpus.add(&format!("وصل الوفد الى {place} اليوم"));
            }
        }
        let options = ClusterOptions {
            min_count: 5,
            contexts: 12,
            branching: [2, 1, 1],
            ..ClusterOptions::default()
        };
        let words = learn(&corpus, &options);
        let cluster = |w: &str| words.iter().find(|(x, _)| x == w).unwrap().1[0];
        assert_eq!(cluster("زيد"), cluster("عمرو"));
        assert_eq!(cluster("زيد"), cluster("خالد"));
        assert_eq!(cluster("بنغازي"), cluster("سرت"));
        assert_ne!(cluster("زيد"), cluster("بنغازي"));
        assert_eq!(words, learn(&corpus, &options), "deterministic");
    }
}
