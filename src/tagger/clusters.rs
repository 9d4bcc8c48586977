//! The word clusters the tagger reads beside each word: learnt from unlabelled news by
//! `actorgraph ner clusters` (`tools::clusters`), shipped in `models/clusters.tsv` and
//! compiled in. A model is trained with the clusters of its build and reads them again
//! when it tags.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// How many levels of clusters a word has, from coarse to fine.
pub const CLUSTER_LEVELS: usize = 3;

/// The clusters compiled into the binary.
static BUILTIN: &str = include_str!("../../models/clusters.tsv");

/// Words and their clusters at each level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clusters {
    words: FxHashMap<Box<str>, [u32; CLUSTER_LEVELS]>,
}

impl Clusters {
    /// The clusters compiled into the binary.
    pub fn builtin() -> &'static Clusters {
        static CLUSTERS: OnceLock<Clusters> = OnceLock::new();
        CLUSTERS.get_or_init(|| {
            Clusters::from_tsv(BUILTIN, "models/clusters.tsv")
                .expect("the built-in clusters are valid")
        })
    }

    /// Clusters from their file (`word<TAB>id<TAB>id<TAB>id` a line); `name` is for the
    /// errors.
    pub fn from_tsv(text: &str, name: &str) -> Result<Clusters, String> {
        let mut words = FxHashMap::default();
        for (index, line) in text.lines().enumerate() {
            let mut fields = line.split('\t');
            let word = fields.next().unwrap_or_default();
            let mut path = [0u32; CLUSTER_LEVELS];
            for id in &mut path {
                *id = fields.next().and_then(|f| f.parse().ok()).ok_or_else(|| {
                    format!(
                        "{name}:{}: expected a word and {CLUSTER_LEVELS} cluster numbers, found `{line}`",
                        index + 1
                    )
                })?;
            }
            words.insert(word.into(), path);
        }
        Ok(Clusters { words })
    }

    /// The clusters of `word`, if it has any.
    pub(crate) fn of(&self, word: &str) -> Option<[u32; CLUSTER_LEVELS]> {
        self.words.get(word).copied()
    }
}
