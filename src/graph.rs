//! The actor graph: entities as nodes, relations merged into weighted edges.
//!
//! Built from article records alone (plus the gazetteer for node attributes), so the
//! records of many runs merge into one graph; the result does not depend on the order
//! the records arrive in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::stable_graph::{NodeIndex, StableDiGraph};

use crate::gazetteer::Gazetteer;
use crate::record::{ArticleRecord, MentionType, RelationKind};

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
    pub articles: BTreeSet<String>,
    /// The first evidence sentence, by (article id, sentence start): for tooltips.
    pub evidence: Option<(String, usize, String)>,
}

/// Entities and their relations, merged over any number of articles.
#[derive(Debug, Default)]
pub struct ActorGraph {
    graph: StableDiGraph<Node, Edge>,
    nodes: HashMap<String, NodeIndex>,
    edges: HashMap<(NodeIndex, NodeIndex, RelationKind), petgraph::stable_graph::EdgeIndex>,
}

impl ActorGraph {
    /// An empty graph.
    pub fn new() -> ActorGraph {
        ActorGraph::default()
    }

    fn node(&mut self, id: &str, label: &str, gazetteer: &Gazetteer) -> NodeIndex {
        if let Some(&index) = self.nodes.get(id) {
            return index;
        }
        let node = match gazetteer.lookup(id).map(|k| gazetteer.entity(k)) {
            Some(entity) => Node {
                id: id.to_string(),
                label_en: entity.label_en.clone(),
                label_ar: entity.name_ar.clone(),
                entity_type: entity.entity_type.as_str().to_string(),
                country: entity
                    .country
                    .map(|c| gazetteer.entity(c).id.clone())
                    .unwrap_or_default(),
                mentions: 0,
            },
            None => Node {
                id: id.to_string(),
                label_en: label.to_string(),
                label_ar: String::new(),
                entity_type: String::new(),
                country: String::new(),
                mentions: 0,
            },
        };
        let index = self.graph.add_node(node);
        self.nodes.insert(id.to_string(), index);
        index
    }

    /// Adds one article's mentions and factual relations.
    pub fn add_record(&mut self, record: &ArticleRecord, gazetteer: &Gazetteer) {
        for mention in &record.mentions {
            let index = self.node(&mention.entity, &mention.label, gazetteer);
            let node = &mut self.graph[index];
            node.mentions += 1;
            if node.entity_type.is_empty() && mention.mention_type != MentionType::Norp {
                node.entity_type = mention.mention_type.as_str().to_string();
            }
        }
        for relation in record.relations.iter().filter(|r| r.is_fact()) {
            let mut source = self.node(&relation.source.entity, &relation.source.entity, gazetteer);
            let mut target = self.node(&relation.target.entity, &relation.target.entity, gazetteer);
            if relation.kind.is_symmetric() && self.graph[target].id < self.graph[source].id {
                std::mem::swap(&mut source, &mut target);
            }
            let key = (source, target, relation.kind);
            let edge_index = match self.edges.get(&key) {
                Some(&e) => e,
                None => {
                    let e = self.graph.add_edge(
                        source,
                        target,
                        Edge {
                            kind: relation.kind,
                            weight: 0,
                            first_date: None,
                            last_date: None,
                            articles: BTreeSet::new(),
                            evidence: None,
                        },
                    );
                    self.edges.insert(key, e);
                    e
                }
            };
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
            edge.articles.insert(record.id.clone());
            let candidate = (
                record.id.clone(),
                relation.sentence.start,
                relation.sentence.text.clone(),
            );
            if edge
                .evidence
                .as_ref()
                .is_none_or(|e| (&candidate.0, candidate.1) < (&e.0, e.1))
            {
                edge.evidence = Some(candidate);
            }
        }
    }

    /// Nodes sorted by id.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes
    }

    /// Edges as (source id, target id, edge), sorted.
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

    /// Number of edges touching each node id.
    pub fn degrees(&self) -> BTreeMap<&str, usize> {
        let mut degrees = BTreeMap::new();
        for (s, t, _) in self.edges() {
            *degrees.entry(s).or_insert(0) += 1;
            *degrees.entry(t).or_insert(0) += 1;
        }
        degrees
    }
}
