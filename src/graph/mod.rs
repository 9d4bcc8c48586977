//! The actor graph: entities as nodes, relations merged into weighted edges.
//!
//! Built from article records alone (plus the gazetteer for node attributes), so the
//! records of many runs merge into one graph; the result does not depend on the order
//! the records arrive in: every merged attribute is a count, a set, a minimum or a
//! maximum.

pub mod copies;
pub mod filter;
pub mod unknown;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};

use crate::gazetteer::Gazetteer;
use crate::graph::unknown::UnknownTally;
use crate::record::{ArticleRecord, MentionType, Relation, RelationKind};

/// A graph node: one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Entity id.
    pub id: String,
    /// English label.
    pub label_en: String,
    /// Arabic name (empty when the entity is not in the gazetteer used).
    pub label_ar: String,
    /// Entity type (`PER`, `ORG`, `GPE`, `LOC`, `EVENT`; `NORP` never, a nisba counts for its country).
    pub entity_type: String,
    /// Country id, or empty.
    pub country: String,
    /// Number of mentions across all articles.
    pub mentions: u64,
    /// False for an unknown actor: a name the tagger found that no gazetteer lists.
    pub known: bool,
}

impl Node {
    /// The country the node stands for or belongs to: a state's own id, else its
    /// `country` (empty when it has none).
    pub fn country_key(&self) -> &str {
        if self.entity_type == "GPE" {
            &self.id
        } else {
            &self.country
        }
    }
}

/// The sentence chosen to stand for an edge (in tooltips and in GraphML/GEXF).
///
/// Its five strings are kept in one allocation: the evidence is most of an edge's
/// memory, and a run over a dump keeps one for every edge until the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// How many code points the trigger and both names span together: the tighter,
    /// the stronger (the rule had least room to go wrong).
    pub spread: usize,
    /// Offset of the sentence in its field.
    pub sentence_start: usize,
    /// The article id, the date, the sentence, the rule and the trigger, in a row.
    strings: Box<str>,
    /// Where each of the five ends in `strings`.
    ends: [u32; 5],
    /// Whether the article has a date (an empty one is still a date).
    dated: bool,
}

/// What evidence is ranked by, least first: spread, article id, sentence offset, rule,
/// trigger, sentence, date.
type Rank<'a> = (
    usize,
    &'a str,
    usize,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
);

impl Evidence {
    /// How many code points the trigger and both names of `relation` span together.
    fn spread_of(relation: &Relation) -> usize {
        let spans = [
            (relation.trigger.start, relation.trigger.end),
            (relation.source.start, relation.source.end),
            (relation.target.start, relation.target.end),
        ];
        let start = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let end = spans.iter().map(|s| s.1).max().unwrap_or(0);
        end.saturating_sub(start)
    }

    /// [`Evidence::rank`] of the evidence `relation` would give, without making it:
    /// most relations do not beat the evidence their edge has.
    ///
    /// Every field of the evidence takes part, the sentence and the date last: two
    /// articles under one id (from two inputs) then rank the same whatever order they
    /// come in.
    fn rank_of<'a>(record: &'a ArticleRecord, relation: &'a Relation) -> Rank<'a> {
        (
            Evidence::spread_of(relation),
            &record.id,
            relation.sentence.start,
            &relation.rule,
            &relation.trigger.text,
            &relation.sentence.text,
            record.date.as_deref(),
        )
    }

    fn of(record: &ArticleRecord, relation: &Relation) -> Evidence {
        let parts = [
            record.id.as_str(),
            record.date.as_deref().unwrap_or_default(),
            &relation.sentence.text,
            &relation.rule,
            &relation.trigger.text,
        ];
        let mut ends = [0; 5];
        let mut end = 0;
        for (part, slot) in parts.iter().zip(&mut ends) {
            end += part.len() as u32;
            *slot = end;
        }
        Evidence {
            spread: Evidence::spread_of(relation),
            sentence_start: relation.sentence.start,
            strings: parts.concat().into_boxed_str(),
            ends,
            dated: record.date.is_some(),
        }
    }

    /// The `i`th of the five strings.
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.strings[start..self.ends[i] as usize]
    }

    /// Article id.
    pub fn article(&self) -> &str {
        self.part(0)
    }

    /// Article date.
    pub fn date(&self) -> Option<&str> {
        self.dated.then(|| self.part(1))
    }

    /// The sentence.
    pub fn sentence(&self) -> &str {
        self.part(2)
    }

    /// The rule that fired.
    pub fn rule(&self) -> &str {
        self.part(3)
    }

    /// The trigger word.
    pub fn trigger(&self) -> &str {
        self.part(4)
    }

    /// The order in which evidence is preferred: tightest first, then by article
    /// and position, so that the choice does not depend on the order of records.
    fn rank(&self) -> Rank<'_> {
        (
            self.spread,
            self.article(),
            self.sentence_start,
            self.rule(),
            self.trigger(),
            self.sentence(),
            self.date(),
        )
    }
}

/// A graph edge: every factual relation of one kind between two entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Kind.
    pub kind: RelationKind,
    /// Number of relations merged.
    pub weight: u64,
    /// Earliest article date.
    pub first_date: Option<String>,
    /// Latest article date.
    pub last_date: Option<String>,
    /// Articles that give evidence.
    pub articles: ArticleIds,
    /// The strongest evidence sentence (see [`Evidence::spread`]); boxed, as most of an
    /// edge's weight, so that the graph's table of edges stays small.
    pub evidence: Option<Box<Evidence>>,
}

/// The ids of the articles that give an edge its evidence, in order, each once.
///
/// Most edges have one or two: those are kept in a vector sized to fit, where a B-tree
/// would hold a whole node of eleven slots for each. Past [`ArticleIds::FEW`] the ids
/// move to a B-tree, so that an edge of a whole dump still takes each one cheaply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleIds(Ids);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ids {
    Few(Vec<Box<str>>),
    Many(BTreeSet<Box<str>>),
}

impl Default for ArticleIds {
    fn default() -> ArticleIds {
        ArticleIds(Ids::Few(Vec::new()))
    }
}

impl ArticleIds {
    /// The most ids kept in a vector.
    pub const FEW: usize = 32;

    /// Adds `id`; false when it was there already.
    pub fn insert(&mut self, id: &str) -> bool {
        match &mut self.0 {
            Ids::Few(ids) => match ids.binary_search_by(|k| (**k).cmp(id)) {
                Ok(_) => false,
                Err(at) if ids.len() < ArticleIds::FEW => {
                    ids.reserve_exact(1);
                    ids.insert(at, id.into());
                    true
                }
                Err(_) => {
                    let mut many: BTreeSet<Box<str>> = std::mem::take(ids).into_iter().collect();
                    many.insert(id.into());
                    self.0 = Ids::Many(many);
                    true
                }
            },
            Ids::Many(ids) => !ids.contains(id) && ids.insert(id.into()),
        }
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        match &self.0 {
            Ids::Few(ids) => ids.len(),
            Ids::Many(ids) => ids.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids, in order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match &self.0 {
            Ids::Few(ids) => Box::new(ids.iter().map(|id| &**id)),
            Ids::Many(ids) => Box::new(ids.iter().map(|id| &**id)),
        }
    }
}

/// Entities and their relations, merged over any number of articles.
#[derive(Debug, Default, Clone)]
pub struct ActorGraph {
    graph: StableDiGraph<Node, Edge>,
    nodes: FxHashMap<String, NodeIndex>,
    edges: FxHashMap<(NodeIndex, NodeIndex, RelationKind), EdgeIndex>,
    unknown: UnknownTally,
    /// Records whose edges were left out as copies of another's text.
    copies_folded: u64,
}

impl ActorGraph {
    /// An empty graph.
    pub fn new() -> ActorGraph {
        ActorGraph::default()
    }

    /// The node of `id`, made if it is new: from the gazetteer's entry when there is
    /// one, else labelled by `label` or the id.
    fn node(&mut self, id: &str, label: Option<&str>, gazetteer: Option<&Gazetteer>) -> NodeIndex {
        self.node_known(id, label, gazetteer, None)
    }

    /// [`ActorGraph::node`], for a mention that is `known` or not (`None`: says
    /// nothing, and a new node outside the gazetteer counts as known): a node outside
    /// the gazetteer is unknown until a known mention names it.
    fn node_known(
        &mut self,
        id: &str,
        label: Option<&str>,
        gazetteer: Option<&Gazetteer>,
        known: Option<bool>,
    ) -> NodeIndex {
        if let Some(&index) = self.nodes.get(id) {
            self.graph[index].known |= known == Some(true);
            // Outside the gazetteer, keep the least label seen, whatever the order.
            let node = &mut self.graph[index];
            if let Some(label) = label
                && node.label_ar.is_empty()
                && (node.label_en == node.id || label < node.label_en.as_str())
            {
                node.label_en = label.to_string();
            }
            return index;
        }
        let entry = gazetteer.and_then(|g| Some((g, g.entity(g.lookup(id)?))));
        let node = match entry {
            Some((gazetteer, entity)) => Node {
                id: id.to_string(),
                label_en: entity.label_en.clone(),
                // A gated name («وزارة الدفاع@CN») is labelled without its gate.
                label_ar: entity
                    .name_ar
                    .split_once('@')
                    .map_or(entity.name_ar.as_str(), |(name, _)| name)
                    .to_string(),
                entity_type: entity.entity_type.as_str().to_string(),
                country: entity
                    .country
                    .map(|c| gazetteer.entity(c).id.clone())
                    .unwrap_or_default(),
                mentions: 0,
                known: true,
            },
            None => Node {
                id: id.to_string(),
                label_en: label.unwrap_or(id).to_string(),
                label_ar: String::new(),
                entity_type: String::new(),
                country: String::new(),
                mentions: 0,
                known: known.unwrap_or(true),
            },
        };
        let index = self.graph.add_node(node);
        self.nodes.insert(id.to_string(), index);
        index
    }

    /// Adds one article's mentions, factual relations and unknown strings.
    pub fn add_record(&mut self, record: &ArticleRecord, gazetteer: &Gazetteer) {
        self.add_nodes(record, gazetteer);
        self.add_edges(record);
        self.unknown.add_record(record);
    }

    /// Adds one article's mentions, and the nodes its factual relations join: all that
    /// [`ActorGraph::add_record`] reads of the gazetteer. A run can then keep the rest
    /// of its records aside (on disk, as `extract` does) and add their edges and
    /// unknown strings at the end ([`ActorGraph::set_unknown`]), once the extractor is
    /// dropped.
    pub fn add_nodes(&mut self, record: &ArticleRecord, gazetteer: &Gazetteer) {
        for mention in &record.mentions {
            let index = self.node_known(
                &mention.entity,
                Some(&mention.label),
                Some(gazetteer),
                Some(mention.known),
            );
            let node = &mut self.graph[index];
            node.mentions += 1;
            // An unknown actor's Arabic name is the least of its spellings seen, and its
            // country the least of those its titles name: the same in any order.
            if !mention.known && gazetteer.lookup(&mention.entity).is_none() {
                if node.label_ar.is_empty() || mention.text < node.label_ar {
                    node.label_ar = mention.text.clone();
                }
                if let Some(country) = &mention.country
                    && (node.country.is_empty() || *country < node.country)
                {
                    node.country = country.clone();
                }
            }
            // Outside the gazetteer, the type is the least seen. The gazetteer is asked
            // last: most mentions bring no lesser type, so most skip the lookup.
            let seen = mention.mention_type.as_str();
            if mention.mention_type != MentionType::Norp
                && (node.entity_type.is_empty() || seen < node.entity_type.as_str())
                && gazetteer.lookup(&mention.entity).is_none()
            {
                node.entity_type = seen.to_string();
            }
        }
        // A side is known or not by its mentions: an unknown actor's relations leave
        // it unknown.
        for relation in record.relations.iter().filter(|r| r.is_fact()) {
            self.node_known(&relation.source.entity, None, Some(gazetteer), Some(false));
            self.node_known(&relation.target.entity, None, Some(gazetteer), Some(false));
        }
    }

    /// Adds one article's factual relations. Their nodes come from
    /// [`ActorGraph::add_nodes`]; an end that has none gets a node labelled by its id.
    pub fn add_edges(&mut self, record: &ArticleRecord) {
        for relation in record.relations.iter().filter(|r| r.is_fact()) {
            let mut source = self.node(&relation.source.entity, None, None);
            let mut target = self.node(&relation.target.entity, None, None);
            if relation.kind.is_symmetric() && self.graph[target].id < self.graph[source].id {
                std::mem::swap(&mut source, &mut target);
            }
            let edge_index = self.edge(source, target, relation.kind);
            let edge = &mut self.graph[edge_index];
            edge.weight += 1;
            if let Some(date) = &record.date {
                if edge.first_date.as_ref().is_none_or(|d| date < d) {
                    edge.first_date = Some(date.clone());
                }
                if edge.last_date.as_ref().is_none_or(|d| date > d) {
                    edge.last_date = Some(date.clone());
                }
            }
            edge.articles.insert(&record.id);
            if edge
                .evidence
                .as_ref()
                .is_none_or(|e| Evidence::rank_of(record, relation) < e.rank())
            {
                edge.evidence = Some(Box::new(Evidence::of(record, relation)));
            }
        }
    }

    fn edge(&mut self, source: NodeIndex, target: NodeIndex, kind: RelationKind) -> EdgeIndex {
        let key = (source, target, kind);
        if let Some(&e) = self.edges.get(&key) {
            return e;
        }
        let e = self.graph.add_edge(
            source,
            target,
            Edge {
                kind,
                weight: 0,
                first_date: None,
                last_date: None,
                articles: ArticleIds::default(),
                evidence: None,
            },
        );
        self.edges.insert(key, e);
        e
    }

    /// Makes each edge's weight the number of distinct articles behind it, rather than
    /// of relations: one visit reported three times in one article then weighs 1.
    pub fn weigh_by_articles(&mut self) {
        for edge in self.graph.edge_weights_mut() {
            edge.weight = edge.articles.len() as u64;
        }
    }

    /// The strings that stood in actor slots and named nothing known, over every
    /// record added (filters on the graph do not apply to them).
    pub fn unknown(&self) -> &UnknownTally {
        &self.unknown
    }

    /// Replaces the tally of unknown strings with one made apart.
    pub fn set_unknown(&mut self, unknown: UnknownTally) {
        self.unknown = unknown;
    }

    /// How many records gave no edges as copies of another record's text
    /// ([`copies::Copies`]).
    pub fn copies_folded(&self) -> u64 {
        self.copies_folded
    }

    /// Records how many records [`copies::Copies`] left out of the edges.
    pub fn set_copies_folded(&mut self, folded: u64) {
        self.copies_folded = folded;
    }

    /// The node with this entity id.
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.nodes.get(id).map(|&i| &self.graph[i])
    }

    /// Nodes sorted by id.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes
    }

    /// Edges as (source id, target id, edge), sorted. Symmetric kinds have the
    /// smaller id as source.
    pub fn edges(&self) -> Vec<(&str, &str, &Edge)> {
        let mut edges: Vec<(&str, &str, &Edge)> = self
            .graph
            .edge_indices()
            .map(|e| {
                let (s, t) = self.graph.edge_endpoints(e).expect("edge exists");
                (
                    self.graph[s].id.as_str(),
                    self.graph[t].id.as_str(),
                    &self.graph[e],
                )
            })
            .collect();
        edges.sort_by(|a, b| (a.0, a.1, a.2.kind).cmp(&(b.0, b.1, b.2.kind)));
        edges
    }

    /// Number of edges touching each node id (nodes without edges are absent).
    pub fn degrees(&self) -> BTreeMap<&str, usize> {
        // Counted per node first, then keyed by id: each renderer asks, and building
        // the sorted edge list to count them would cost more than the counting.
        use petgraph::visit::NodeIndexable;
        let mut counts = vec![0usize; self.graph.node_bound()];
        for edge in self.graph.edge_indices() {
            let (s, t) = self.graph.edge_endpoints(edge).expect("edge exists");
            counts[s.index()] += 1;
            counts[t.index()] += 1;
        }
        self.graph
            .node_indices()
            .filter(|node| counts[node.index()] > 0)
            .map(|node| (self.graph[node].id.as_str(), counts[node.index()]))
            .collect()
    }

    /// The earliest and latest edge dates.
    pub fn date_range(&self) -> Option<(&str, &str)> {
        let first = self
            .graph
            .edge_weights()
            .filter_map(|e| e.first_date.as_deref())
            .min()?;
        let last = self
            .graph
            .edge_weights()
            .filter_map(|e| e.last_date.as_deref())
            .max()?;
        Some((first, last))
    }

    /// A copy with only the edges `keep_edge` accepts (given source id, target id
    /// and the edge), and only the nodes `keep_node` accepts; an edge whose end is
    /// dropped is dropped too.
    pub fn subgraph(
        &self,
        keep_node: impl Fn(&Node) -> bool,
        keep_edge: impl Fn(&str, &str, &Edge) -> bool,
    ) -> ActorGraph {
        let mut out = ActorGraph {
            unknown: self.unknown.clone(),
            copies_folded: self.copies_folded,
            ..ActorGraph::default()
        };
        for node in self.nodes() {
            if keep_node(node) {
                let index = out.graph.add_node(node.clone());
                out.nodes.insert(node.id.clone(), index);
            }
        }
        for (s, t, edge) in self.edges() {
            if !keep_edge(s, t, edge) {
                continue;
            }
            let (Some(&source), Some(&target)) = (out.nodes.get(s), out.nodes.get(t)) else {
                continue;
            };
            let index = out.graph.add_edge(source, target, edge.clone());
            out.edges.insert((source, target, edge.kind), index);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Endpoint, Field, Mention, SentenceSpan, TriggerSpan};

    /// Any order of insertion gives the same set, in order, each id once, on either
    /// side of the switch from a vector to a B-tree.
    #[test]
    fn article_ids_do_not_depend_on_insertion_order() {
        for count in [
            0,
            1,
            2,
            ArticleIds::FEW,
            ArticleIds::FEW + 1,
            3 * ArticleIds::FEW,
        ] {
            let ids: Vec<String> = (0..count).map(|i| format!("article-{i:03}")).collect();
            let forward = ids.iter().fold(ArticleIds::default(), |mut set, id| {
                assert!(set.insert(id));
                set
            });
            let mut backward = ArticleIds::default();
            for id in ids.iter().rev().chain(&ids) {
                backward.insert(id);
            }
            assert_eq!(forward, backward, "{count} ids");
            assert_eq!(forward.len(), count);
            assert!(
                forward.iter().eq(ids.iter().map(String::as_str)),
                "{count} ids"
            );
            assert_eq!(forward.is_empty(), count == 0);
        }
    }

    fn record(
        id: &str,
        date: &str,
        relations: &[(&str, &str, RelationKind, usize)],
    ) -> ArticleRecord {
        let mention = |entity: &str| Mention {
            start: 0,
            end: 1,
            text: "x".into(),
            mention_type: MentionType::Per,
            entity: entity.into(),
            label: format!("Label of {entity}"),
            field: Field::Text,
            known: true,
            country: None,
        };
        ArticleRecord {
            id: id.into(),
            date: Some(date.into()),
            fingerprint: None,
            mentions: relations
                .iter()
                .flat_map(|r| [mention(r.0), mention(r.1)])
                .collect(),
            relations: relations
                .iter()
                .map(|&(s, t, kind, spread)| Relation {
                    kind,
                    source: Endpoint {
                        entity: s.into(),
                        start: 10,
                        end: 12,
                        office: None,
                    },
                    target: Endpoint {
                        entity: t.into(),
                        start: 10 + spread,
                        end: 12 + spread,
                        office: None,
                    },
                    trigger: TriggerSpan {
                        start: 10,
                        end: 11,
                        text: "t".into(),
                    },
                    sentence: SentenceSpan {
                        start: 0,
                        end: 100,
                        text: format!("sentence of {id}"),
                    },
                    negated: false,
                    hedged: false,
                    rule: "rule".into(),
                    field: Field::Text,
                })
                .collect(),
            unknown: Vec::new(),
        }
    }

    #[test]
    fn merging_does_not_depend_on_order() {
        let gazetteer = Gazetteer::builtin().unwrap();
        let a = record(
            "a",
            "2018-05-01",
            &[
                ("zed", "amy", RelationKind::Meets, 30),
                ("sarraj", "LY", RelationKind::Supports, 5),
            ],
        );
        let b = record(
            "b",
            "2018-04-01",
            &[
                ("amy", "zed", RelationKind::Meets, 3),
                ("sarraj", "LY", RelationKind::Supports, 50),
            ],
        );
        let mut ab = ActorGraph::new();
        ab.add_record(&a, &gazetteer);
        ab.add_record(&b, &gazetteer);
        let mut ba = ActorGraph::new();
        ba.add_record(&b, &gazetteer);
        ba.add_record(&a, &gazetteer);
        assert_eq!(ab.nodes(), ba.nodes());
        assert_eq!(ab.edges(), ba.edges());
        let edges = ab.edges();
        let (s, t, meets) = edges
            .iter()
            .find(|e| e.2.kind == RelationKind::Meets)
            .unwrap();
        assert_eq!((*s, *t, meets.weight), ("amy", "zed", 2));
        assert_eq!(meets.first_date.as_deref(), Some("2018-04-01"));
        assert_eq!(meets.last_date.as_deref(), Some("2018-05-01"));
        // The tighter evidence wins, whichever record came first.
        assert_eq!(meets.evidence.as_ref().unwrap().article(), "b");
        assert_eq!(ab.get("amy").unwrap().label_en, "Label of amy");
        assert_eq!(ab.date_range(), Some(("2018-04-01", "2018-05-01")));
    }

    #[test]
    fn evidence_keeps_its_five_strings_apart() {
        let gazetteer = Gazetteer::builtin().unwrap();
        let mut dated = record(
            "AL-1",
            "2018-05-01",
            &[("sarraj", "LY", RelationKind::Supports, 5)],
        );
        dated.relations[0].trigger.text = "دعم".into();
        let mut undated = record("AL-2", "", &[("amy", "zed", RelationKind::Meets, 5)]);
        undated.date = None;
        let mut graph = ActorGraph::new();
        graph.add_record(&dated, &gazetteer);
        graph.add_record(&undated, &gazetteer);
        let edges = graph.edges();
        let evidence = |kind| {
            let edge = edges.iter().find(|e| e.2.kind == kind).unwrap().2;
            edge.evidence.as_deref().unwrap()
        };
        let supports = evidence(RelationKind::Supports);
        assert_eq!(
            (supports.article(), supports.date(), supports.sentence()),
            ("AL-1", Some("2018-05-01"), "sentence of AL-1")
        );
        assert_eq!((supports.rule(), supports.trigger()), ("rule", "دعم"));
        let meets = evidence(RelationKind::Meets);
        assert_eq!((meets.article(), meets.date()), ("AL-2", None));
        assert_eq!(meets.sentence(), "sentence of AL-2");
    }

    /// A graph of one article dated 2018-05-01 with these relations.
    fn graph_of(relations: &[(&str, &str, RelationKind, usize)]) -> ActorGraph {
        let mut graph = ActorGraph::new();
        graph.add_record(
            &record("a", "2018-05-01", relations),
            &Gazetteer::builtin().unwrap(),
        );
        graph
    }

    #[test]
    fn a_subgraph_drops_edges_whose_ends_are_gone() {
        let graph = graph_of(&[
            ("x", "y", RelationKind::Meets, 3),
            ("y", "z", RelationKind::Opposes, 3),
        ]);
        let sub = graph.subgraph(|n| n.id != "z", |_, _, _| true);
        assert_eq!(sub.nodes().len(), 2);
        assert_eq!(sub.edges().len(), 1);
        assert_eq!(sub.degrees().get("x"), Some(&1));
    }

    /// Degrees count the edges at each node, whatever their kind or direction, and
    /// leave out nodes that have none, such as one whose edges a subgraph dropped.
    #[test]
    fn degrees_count_every_edge_at_a_node() {
        let graph = graph_of(&[
            ("x", "y", RelationKind::Meets, 3),
            ("y", "z", RelationKind::Opposes, 3),
            ("z", "y", RelationKind::Supports, 3),
            ("w", "z", RelationKind::Allied, 3),
        ]);
        let expected = [("w", 1), ("x", 1), ("y", 3), ("z", 3)];
        assert_eq!(graph.degrees().into_iter().collect::<Vec<_>>(), expected);
        let sub = graph.subgraph(|n| n.id != "x", |_, _, e| e.kind != RelationKind::Allied);
        let expected = [("y", 2), ("z", 2)];
        assert_eq!(sub.degrees().into_iter().collect::<Vec<_>>(), expected);
        assert_eq!(sub.nodes().len(), 3);
    }

    /// A drawing too dense at weight 2 raises the weight until the top actors keep at
    /// most two edges each, and its caption says at which weight and from what.
    #[test]
    fn the_top_drawing_raises_the_weight_until_it_is_sparse() {
        let mut relations = Vec::new();
        for (s, t, kind, times) in [
            ("a", "b", RelationKind::Meets, 2),
            ("a", "b", RelationKind::Allied, 2),
            ("a", "b", RelationKind::Supports, 2),
            ("b", "a", RelationKind::Supports, 3),
            ("a", "b", RelationKind::Opposes, 3),
            ("c", "d", RelationKind::Meets, 1),
        ] {
            relations.extend(std::iter::repeat_n((s, t, kind, 3), times));
        }
        let view = filter::View::whole(graph_of(&relations));
        let drawing = view.top_drawing(2);
        let kept: Vec<(&str, &str, RelationKind, u64)> = drawing
            .graph
            .edges()
            .iter()
            .map(|(s, t, e)| (*s, *t, e.kind, e.weight))
            .collect();
        assert_eq!(
            kept,
            [
                ("a", "b", RelationKind::Opposes, 3),
                ("b", "a", RelationKind::Supports, 3)
            ]
        );
        assert_eq!(
            drawing.caption,
            "drawn: the top 2 actors, weight ≥ 3, of 4 actors and 6 edges (all in graph.gexf)"
        );
        let sparse = view.top_drawing(3);
        assert_eq!(
            sparse.graph.edges().len(),
            5,
            "weight ≥ 2 leaves 5 ≤ 6 edges"
        );
    }
}
