//! Slicing the merged graph: by date, kind, weight, degree, ego network and country.
//!
//! Date filters apply to records as they are merged (an article is in range or not);
//! every other filter applies to the merged graph at export time, so the graph stays
//! independent of the order of the records.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use crate::gazetteer::{EntityType, Gazetteer};
use crate::graph::{ActorGraph, Edge, Node};
use crate::record::{Relation, RelationKind};
use crate::text::fold::fold_surface;
use crate::text::plural::counted;

/// What to keep of the graph. The date bounds apply to records as they are merged; the
/// rest slice the merged graph. `Default` keeps everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// Only articles dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD); undated
    /// articles are left out.
    pub since: Option<String>,
    /// Only articles dated on or before this, a prefix taking in its whole month or year;
    /// undated articles are left out.
    pub until: Option<String>,
    /// Only these relation kinds (all when empty).
    pub kinds: Vec<RelationKind>,
    /// Only edges merged from at least this many relations.
    pub min_weight: u64,
    /// Only this many actors with the most edges (after the other filters), and the
    /// edges among them.
    pub top: Option<u64>,
    /// Only the ego network of this entity (an id, an English label or an Arabic name).
    pub around: Option<String>,
    /// How many edges away from `around` to go.
    pub depth: usize,
    /// Only relations with at least one side from these countries (ISO codes, upper case).
    pub country: Vec<String>,
    /// With `around`, only the edges that touch it: the ego and its neighbours, not the
    /// edges among them (a star).
    pub star: bool,
    /// Only the actors with an edge (when nothing else slices, every actor mentioned is
    /// a node).
    pub connected_only: bool,
    /// Weigh each edge by the distinct articles behind it rather than by its relations
    /// (before `min_weight` and `top` apply).
    pub weigh_by_articles: bool,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            since: None,
            until: None,
            kinds: Vec::new(),
            min_weight: 1,
            top: None,
            around: None,
            depth: 1,
            country: Vec::new(),
            star: false,
            connected_only: false,
            weigh_by_articles: false,
        }
    }
}

/// A filter that names something the gazetteer and the graph do not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// A country filter's code is no country.
    #[error("{code}: not a country id (ISO 3166-1 codes such as LY, TR)")]
    NotACountry {
        /// The code as given.
        code: String,
    },
    /// The entity to centre on names nothing.
    #[error(
        "{name}: no such entity (give an id, an English label or an Arabic name; `actorgraph gazetteer dump` lists them)"
    )]
    NoSuchEntity {
        /// The name as given.
        name: String,
    },
    /// `since` is after `until`: no date is in the range.
    #[error("{since} is after --until {until}: no date is in the range")]
    InvertedDates {
        /// The first day as given.
        since: String,
        /// The last day as given.
        until: String,
    },
    /// The entity to centre on names several.
    #[error("{name}: ambiguous, it names {}; give the id", candidates.join(", "))]
    Ambiguous {
        /// The name as given.
        name: String,
        /// Each entity it names, as `id (label)`.
        candidates: Vec<String>,
    },
}

impl FilterError {
    /// Which filter is at fault: `country` or `around`.
    pub fn filter(&self) -> &'static str {
        match self {
            FilterError::NotACountry { .. } => "country",
            FilterError::InvertedDates { .. } => "since",
            FilterError::NoSuchEntity { .. } | FilterError::Ambiguous { .. } => "around",
        }
    }
}

impl Filters {
    /// Whether any filter other than the dates is set: then only the actors with a
    /// remaining edge are kept.
    pub fn slices(&self) -> bool {
        !self.kinds.is_empty()
            || self.min_weight > 1
            || self.top.is_some()
            || self.around.is_some()
            || !self.country.is_empty()
            || self.connected_only
    }

    /// Refuses a `since` after `until` (compared on the part both give: `--since
    /// 2018-06-15 --until 2018-06` is the second half of June, `--since 2018-07 --until
    /// 2018-06` nothing).
    pub fn check_dates(&self) -> Result<(), FilterError> {
        if let (Some(since), Some(until)) = (&self.since, &self.until) {
            let common = since.len().min(until.len());
            if since.get(..common) > until.get(..common) {
                return Err(FilterError::InvertedDates {
                    since: since.clone(),
                    until: until.clone(),
                });
            }
        }
        Ok(())
    }

    /// Whether an article with this date passes `since` and `until`.
    pub fn keeps_date(&self, date: Option<&str>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(date) = date else { return false };
        if let Some(since) = &self.since
            && date < since.as_str()
        {
            return false;
        }
        if let Some(until) = &self.until {
            let prefix = date.get(..until.len()).unwrap_or(date);
            if prefix > until.as_str() {
                return false;
            }
        }
        true
    }

    /// Whether a relation's kind passes `kinds`.
    pub fn keeps_kind(&self, kind: RelationKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Checks `around` and `country` against the gazetteer and, once it is built, the
    /// graph; returns the entity id `around` names.
    pub fn check(
        &self,
        gazetteer: &Gazetteer,
        graph: Option<&ActorGraph>,
    ) -> Result<Option<String>, FilterError> {
        for code in &self.country {
            let in_gazetteer = gazetteer
                .lookup(code)
                .is_some_and(|k| gazetteer.entity(k).entity_type == EntityType::Gpe);
            let in_graph = graph.is_some_and(|g| g.nodes().iter().any(|n| n.country_key() == code));
            if !in_gazetteer && !in_graph {
                return Err(FilterError::NotACountry { code: code.clone() });
            }
        }
        match &self.around {
            None => Ok(None),
            Some(name) => resolve_entity(name, gazetteer, graph).map(Some),
        }
    }

    /// The view of filters that do not slice the graph (dates at most, which records
    /// passed already): the graph itself, no copy of it, with the filters' caption. It
    /// reads no gazetteer, so that a run can drop its own before the graph is whole.
    pub fn unsliced(&self, mut graph: ActorGraph) -> View {
        debug_assert!(!self.slices());
        if self.weigh_by_articles {
            graph.weigh_by_articles();
        }
        View {
            graph,
            caption: self.describe(String::new()),
            ..View::default()
        }
    }

    /// Applies the filters to the merged graph (whose records already passed the
    /// date filters).
    pub fn apply(&self, mut graph: ActorGraph, gazetteer: &Gazetteer) -> Result<View, FilterError> {
        if !self.slices() {
            return Ok(self.unsliced(graph));
        }
        if self.weigh_by_articles {
            graph.weigh_by_articles();
        }
        let around = self.check(gazetteer, Some(&graph))?;
        let mut view = View {
            graph: ActorGraph::new(),
            sliced: self.slices(),
            chosen: self.top.is_some() || self.around.is_some(),
            kinds: self.kinds.iter().copied().collect(),
            edges: HashSet::new(),
            countries: graph
                .nodes()
                .into_iter()
                .filter(|n| n.entity_type == "GPE")
                .map(|n| (n.id.clone(), n.clone()))
                .collect(),
            caption: self.describe(around.as_deref().and_then(|id| graph.get(id)).map_or_else(
                || around.clone().unwrap_or_default(),
                |n| n.label_en.clone(),
            )),
        };
        let country = |id: &str| {
            graph
                .get(id)
                .is_some_and(|n| self.country.iter().any(|c| c == n.country_key()))
        };
        let mut edges: Vec<(&str, &str, &Edge)> = graph
            .edges()
            .into_iter()
            .filter(|(s, t, e)| {
                self.keeps_kind(e.kind)
                    && e.weight >= self.min_weight
                    && (self.country.is_empty() || country(s) || country(t))
            })
            .collect();
        if let Some(center) = &around {
            let mut neighbours: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (s, t, _) in &edges {
                neighbours.entry(s).or_default().push(t);
                neighbours.entry(t).or_default().push(s);
            }
            let mut distance: BTreeMap<&str, usize> = BTreeMap::new();
            distance.insert(center.as_str(), 0);
            let mut queue = VecDeque::from([center.as_str()]);
            while let Some(id) = queue.pop_front() {
                let d = distance[id];
                if d == self.depth {
                    continue;
                }
                for &next in neighbours.get(id).into_iter().flatten() {
                    if !distance.contains_key(next) {
                        distance.insert(next, d + 1);
                        queue.push_back(next);
                    }
                }
            }
            edges.retain(|(s, t, _)| distance.contains_key(s) && distance.contains_key(t));
            if self.star {
                edges.retain(|(s, t, _)| *s == center.as_str() || *t == center.as_str());
            }
        }
        if let Some(top) = self.top {
            let keep = top_actors(&edges, top);
            edges.retain(|(s, t, _)| keep.contains(s) && keep.contains(t));
        }
        let keep_edges: HashSet<(String, String, RelationKind)> = edges
            .iter()
            .map(|(s, t, e)| (s.to_string(), t.to_string(), e.kind))
            .collect();
        let keep_nodes: HashSet<&str> = edges.iter().flat_map(|(s, t, _)| [*s, *t]).collect();
        view.graph = graph.subgraph(
            |n| keep_nodes.contains(n.id.as_str()),
            |s, t, e| keep_edges.contains(&(s.to_string(), t.to_string(), e.kind)),
        );
        view.edges = keep_edges;
        Ok(view)
    }

    /// The filters in words, for captions: empty when there are none.
    pub fn describe(&self, around_label: String) -> String {
        let mut parts = Vec::new();
        match (&self.since, &self.until) {
            (Some(s), Some(u)) if s == u => parts.push(s.clone()),
            (Some(s), Some(u)) => parts.push(format!("{s} to {u}")),
            (Some(s), None) => parts.push(format!("since {s}")),
            (None, Some(u)) => parts.push(format!("until {u}")),
            (None, None) => {}
        }
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
            parts.push(kinds.join(", "));
        }
        if self.weigh_by_articles {
            parts.push("weight = articles".to_string());
        }
        if self.min_weight > 1 {
            parts.push(format!("weight ≥ {}", self.min_weight));
        }
        if !self.country.is_empty() {
            parts.push(format!("country {}", self.country.join(", ")));
        }
        if self.around.is_some() {
            let hops = if self.depth == 1 { "step" } else { "steps" };
            let star = if self.star { ", star" } else { "" };
            parts.push(format!(
                "around {around_label} ({} {hops}{star})",
                self.depth
            ));
        }
        if let Some(top) = self.top {
            parts.push(format!("top {top} actors"));
        }
        parts.join(" · ")
    }
}

/// The `top` actors of `edges` with the most edges, then the highest total weight, then
/// the least id: what `--top` keeps.
fn top_actors<'e>(edges: &[(&'e str, &'e str, &Edge)], top: u64) -> BTreeSet<&'e str> {
    let mut score: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for (s, t, e) in edges {
        for id in [s, t] {
            let entry = score.entry(id).or_default();
            entry.0 += 1;
            entry.1 += e.weight;
        }
    }
    let mut ranked: Vec<(&str, (usize, u64))> = score.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(usize::try_from(top).unwrap_or(usize::MAX))
        .map(|(id, _)| id)
        .collect()
}

/// The graph as filtered, and which relations it keeps.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The filtered graph.
    pub graph: ActorGraph,
    /// The filters in words (empty when there are none).
    pub caption: String,
    sliced: bool,
    /// Whether `--top` or `--around` chose the actors.
    chosen: bool,
    kinds: BTreeSet<RelationKind>,
    edges: HashSet<(String, String, RelationKind)>,
    countries: BTreeMap<String, Node>,
}

impl View {
    /// The whole graph, unfiltered.
    pub fn whole(graph: ActorGraph) -> View {
        View {
            graph,
            ..View::default()
        }
    }

    /// The node of a country (by code), even when the filters dropped it.
    pub fn country(&self, code: &str) -> Option<&Node> {
        self.graph.get(code).or_else(|| self.countries.get(code))
    }

    /// Whether the filters dropped actors or edges.
    pub fn is_sliced(&self) -> bool {
        self.sliced
    }

    /// Whether `--top` or `--around` chose which actors the view holds: then its
    /// drawing is what was asked for, whatever its size.
    pub fn is_chosen(&self) -> bool {
        self.chosen
    }

    /// A drawing of the view's `top` actors and the edges among them, as `--top top
    /// --min-weight W` picks them, W the least weight from 2 up that leaves at most
    /// `2 × top` edges among them (1 when no edge weighs 2): what graph.dot draws of a
    /// graph too large to lay out readably. Its caption says so, and what it was cut
    /// from.
    pub fn top_drawing(&self, top: u64) -> View {
        let all = self.graph.edges();
        let most_edges = usize::try_from(top.saturating_mul(2)).unwrap_or(usize::MAX);
        let mut weights: Vec<u64> = all.iter().map(|e| e.2.weight).filter(|&w| w >= 2).collect();
        weights.sort_unstable();
        weights.dedup();
        let mut min_weight = 1;
        for weight in weights {
            min_weight = weight;
            let edges: Vec<(&str, &str, &Edge)> = all
                .iter()
                .copied()
                .filter(|e| e.2.weight >= weight)
                .collect();
            let keep = top_actors(&edges, top);
            let among = edges
                .iter()
                .filter(|(s, t, _)| keep.contains(s) && keep.contains(t))
                .count();
            if among <= most_edges {
                break;
            }
        }
        let edges: Vec<(&str, &str, &Edge)> = all
            .iter()
            .copied()
            .filter(|e| e.2.weight >= min_weight)
            .collect();
        let keep = top_actors(&edges, top);
        let graph = self.graph.subgraph(
            |n| keep.contains(n.id.as_str()),
            |s, t, e| e.weight >= min_weight && keep.contains(s) && keep.contains(t),
        );
        let mut drawn = format!("the top {top} actors");
        if min_weight > 1 {
            drawn.push_str(&format!(", weight ≥ {min_weight},"));
        }
        let mut caption = self.caption.clone();
        if !caption.is_empty() {
            caption.push_str(" · ");
        }
        caption.push_str(&format!(
            "drawn: {drawn} of {} and {} (all in graph.gexf)",
            counted(self.graph.degrees().len() as u64, "actor"),
            counted(all.len() as u64, "edge"),
        ));
        let mut countries = self.countries.clone();
        for node in self.graph.nodes() {
            if node.entity_type == "GPE" {
                countries.insert(node.id.clone(), node.clone());
            }
        }
        View {
            edges: graph
                .edges()
                .iter()
                .map(|(s, t, e)| (s.to_string(), t.to_string(), e.kind))
                .collect(),
            graph,
            caption,
            sliced: true,
            chosen: true,
            kinds: self.kinds.clone(),
            countries,
        }
    }

    /// Whether a relation (of a record in the date range) belongs to the view: a
    /// fact when its edge is drawn; a negated or hedged relation when its kind is
    /// kept and both its actors are drawn.
    pub fn keeps_relation(&self, relation: &Relation) -> bool {
        if !self.sliced {
            return true;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&relation.kind) {
            return false;
        }
        let (mut s, mut t) = (
            relation.source.entity.as_str(),
            relation.target.entity.as_str(),
        );
        if relation.is_fact() {
            if relation.kind.is_symmetric() && t < s {
                std::mem::swap(&mut s, &mut t);
            }
            self.edges
                .contains(&(s.to_string(), t.to_string(), relation.kind))
        } else {
            self.graph.get(s).is_some() && self.graph.get(t).is_some()
        }
    }
}

/// Finds the entity an analyst means: an exact id first (then an id in any case),
/// else an English label (any case), an Arabic name or alias (spelling folded).
pub fn resolve_entity(
    name: &str,
    gazetteer: &Gazetteer,
    graph: Option<&ActorGraph>,
) -> Result<String, FilterError> {
    let name = name.trim();
    let in_graph = |id: &str| graph.is_some_and(|g| g.get(id).is_some());
    if gazetteer.lookup(name).is_some() || in_graph(name) {
        return Ok(name.to_string());
    }
    let lower = name.to_lowercase();
    let folded = fold_surface(name);
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for entity in &gazetteer.entities {
        let names = std::iter::once(&entity.name_ar).chain(&entity.aliases);
        if entity.id.to_lowercase() == lower
            || entity.label_en.to_lowercase() == lower
            || names.into_iter().any(|n| fold_surface(n) == folded)
        {
            found.insert(entity.id.clone(), entity.label_en.clone());
        }
    }
    if let Some(graph) = graph {
        for node in graph.nodes() {
            if node.id.to_lowercase() == lower
                || node.label_en.to_lowercase() == lower
                || (!node.label_ar.is_empty() && fold_surface(&node.label_ar) == folded)
            {
                found.insert(node.id.clone(), node.label_en.clone());
            }
        }
    }
    match found.len() {
        1 => Ok(found.into_keys().next().expect("one")),
        0 => Err(FilterError::NoSuchEntity {
            name: name.to_string(),
        }),
        _ => Err(FilterError::Ambiguous {
            name: name.to_string(),
            candidates: found
                .iter()
                .map(|(id, label)| format!("{id} ({label})"))
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes_take_in_whole_months_and_years() {
        let filter = Filters {
            since: Some("2018-06".into()),
            until: Some("2018-06".into()),
            ..Filters::default()
        };
        assert!(filter.keeps_date(Some("2018-06-01")));
        assert!(filter.keeps_date(Some("2018-06-30")));
        assert!(!filter.keeps_date(Some("2018-05-31")));
        assert!(!filter.keeps_date(Some("2018-07-01")));
        assert!(!filter.keeps_date(None));
        assert!(Filters::default().keeps_date(None));
        let range = |since: &str, until: &str| Filters {
            since: Some(since.into()),
            until: Some(until.into()),
            ..Filters::default()
        };
        for (since, until) in [
            ("2018-06-15", "2018-06"),
            ("2018", "2018-01"),
            ("2018-06", "2018-06-01"),
            ("2018-06-30", "2018-06-30"),
        ] {
            assert_eq!(range(since, until).check_dates(), Ok(()), "{since} {until}");
        }
        for (since, until) in [
            ("2019", "2018"),
            ("2018-07", "2018-06-30"),
            ("2018-06-02", "2018-06-01"),
        ] {
            assert!(
                range(since, until).check_dates().is_err(),
                "{since} {until}"
            );
        }
    }

    #[test]
    fn entities_resolve_by_id_english_or_arabic() {
        let gazetteer = Gazetteer::builtin().unwrap();
        for name in [
            "sarraj",
            "Fayez al-Sarraj",
            "fayez al-sarraj",
            "فائز السراج",
        ] {
            assert_eq!(resolve_entity(name, &gazetteer, None).unwrap(), "sarraj");
        }
        assert_eq!(resolve_entity("ly", &gazetteer, None).unwrap(), "LY");
        assert_eq!(resolve_entity("ليبيا", &gazetteer, None).unwrap(), "LY");
        assert_eq!(
            resolve_entity("nobody at all", &gazetteer, None),
            Err(FilterError::NoSuchEntity {
                name: "nobody at all".into()
            })
        );
    }
}
