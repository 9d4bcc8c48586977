//! The per-article pipeline: normalise, segment, match, resolve, relate, record.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::error::GazetteerError;
use crate::gazetteer::{CueKind, EntityKey, EntityType, Gazetteer, TitleKey};
use crate::lexicon::{LexMatch, Lexicon, LexiconBuilder};
use crate::pipeline::cues::Cues;
use crate::pipeline::heads::refer_heads;
use crate::pipeline::inspect::{Inspection, UnresolvedMatch};
use crate::pipeline::names::{
    Covered, TaggedName, mention_type, tagged_names, with_surnames, word_hints,
};
use crate::pipeline::relate::relate;
use crate::pipeline::resolve::{Actor, NameValue, Resolution, resolve};
use crate::pipeline::slots::{Cover, SlotFinder};
use crate::record::Article;
use crate::record::Date;
use crate::record::{
    ArticleRecord, Endpoint, Field, Fingerprint, Mention, MentionType, Relation, SentenceSpan,
    TriggerSpan, UnknownActor,
};
use crate::tagger::{Hints, NameKind, Tagger};
use crate::text::arabic::Proclitics;
use crate::text::arabic::{demonym_forms, derived_surname, romanize, spelling_variants};
use crate::text::fold::{CharOffsets, Folded, fold_surface};
use crate::text::segment::sentences;

/// A compiled gazetteer: turns articles into records. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    gazetteer: Gazetteer,
    names: Lexicon,
    name_values: Vec<NameValue>,
    /// The states a gated alias needs the article to talk about.
    gates: Vec<Vec<EntityKey>>,
    cues: Cues,
    /// The name tagger for the names no entry holds (`--ner hybrid`), or none.
    tagger: Option<Arc<Tagger>>,
    /// The first and the last words of the persons' names, folded: the tagger's hints
    /// for a name the gazetteers hold only in part.
    name_words: Arc<NameWords>,
}

/// The words persons' names begin and end with, folded, and their hint bits
/// ([`Hints::GIVEN_NAME`], [`Hints::FAMILY_NAME`]).
pub(crate) type NameWords = FxHashMap<Box<str>, u16>;

impl Extractor {
    /// Compiles `gazetteer`.
    pub fn new(gazetteer: Gazetteer) -> Result<Extractor, GazetteerError> {
        let cues = Cues::new(&gazetteer);
        // Room for every name and alias; the other surfaces are a few thousand.
        let surfaces: usize = gazetteer.entities.iter().map(|e| 1 + e.aliases.len()).sum();
        let mut names: Vec<(Cow<str>, u32)> = Vec::with_capacity(surfaces);
        let mut name_values: Vec<NameValue> = Vec::new();
        let mut index_of: FxHashMap<NameValue, u32> = FxHashMap::default();
        let mut gates: Vec<Vec<EntityKey>> = Vec::new();
        // Collected first and folded all at once, in parallel, by the lexicon builder.
        let mut add = |surface, value: NameValue| {
            let index = *index_of.entry(value).or_insert_with(|| {
                name_values.push(value);
                (name_values.len() - 1) as u32
            });
            names.push((surface, index));
        };
        for (index, entity) in gazetteer.entities.iter().enumerate() {
            let key = EntityKey(index as u32);
            let full = NameValue::Entity {
                key,
                partial: false,
            };
            for surface in std::iter::once(&entity.name_ar).chain(&entity.aliases) {
                // «حماس@PS,IL»: a name that is also a common word counts only where the
                // article talks about one of these states.
                let (surface, value) = match surface.split_once('@') {
                    Some((surface, states)) => {
                        let mut gate = Vec::new();
                        for id in states.split(',').map(str::trim) {
                            gate.push(gazetteer.lookup(id).ok_or_else(|| {
                                GazetteerError::at(
                                    &entity.origin.file,
                                    entity.origin.line,
                                    Some(6),
                                    format!("alias `{surface}@{states}`: unknown entity id `{id}` after @"),
                                )
                            })?);
                        }
                        gates.push(gate);
                        (
                            surface,
                            NameValue::Gated {
                                key,
                                gate: (gates.len() - 1) as u32,
                            },
                        )
                    }
                    None => (surface.as_str(), full),
                };
                for variant in spelling_variants(surface) {
                    add(variant, value);
                }
            }
            if entity.entity_type == EntityType::Per {
                let partial = NameValue::Entity { key, partial: true };
                for surname in std::iter::once(&entity.name_ar)
                    .chain(&entity.aliases)
                    .filter(|s| !s.contains('@'))
                    .filter_map(|s| derived_surname(s))
                    .filter(|s| !cues.is_common(&fold_surface(s)))
                {
                    add(Cow::Owned(surname), partial);
                }
            }
        }
        for demonym in &gazetteer.demonyms {
            for form in demonym_forms(&demonym.surface) {
                add(Cow::Owned(form), NameValue::Demonym(demonym.entity));
            }
        }
        for cue in gazetteer
            .cues
            .iter()
            .filter(|c| c.kind == CueKind::HisCountry)
        {
            for surface in &cue.surfaces {
                add(Cow::Borrowed(surface), NameValue::HisCountry);
            }
        }
        for (index, title) in gazetteer.titles.iter().enumerate() {
            for surface in &title.surfaces {
                add(
                    Cow::Borrowed(surface),
                    NameValue::Title(TitleKey(index as u32)),
                );
            }
        }
        // Triggers share the automaton: one pass over the text finds both, and a name
        // that starts with a trigger word («التحالف العربي») wins as the longer match.
        for (index, trigger) in gazetteer.triggers.iter().enumerate() {
            for surface in &trigger.surfaces {
                add(Cow::Borrowed(surface), NameValue::Trigger(index as u32));
            }
        }
        let mut lexicon = LexiconBuilder::with_capacity(names.len());
        lexicon.add_all(&names);
        Ok(Extractor {
            names: lexicon.build()?,
            name_values,
            gates,
            cues,
            name_words: Arc::new(name_words(&gazetteer)),
            gazetteer,
            tagger: None,
        })
    }

    /// The extractor with a name tagger beside the gazetteers: a name it finds that no
    /// gazetteer mention overlaps becomes an unknown actor (`known: false`).
    pub fn with_tagger(mut self, tagger: Tagger) -> Extractor {
        self.tagger = Some(Arc::new(tagger));
        self
    }

    /// The words persons' names begin and end with.
    pub(crate) fn name_words(&self) -> &NameWords {
        &self.name_words
    }

    /// The resolved actors and the tagger's unknown ones, in text order: an unknown actor
    /// takes the key one past the gazetteer's entities plus its index in `tagged`, which
    /// the relations' endpoints map back to its id. People and organisations of two
    /// words or more act; places only fill slots, as the gazetteer's places do, and so
    /// does a single word, which is as often a common noun the tagger took for a name
    /// («وزميلي», "and my colleague") as a name.
    fn with_unknown_actors<'a>(
        &self,
        text: &str,
        actors: &'a [Actor],
        tagged: &[UnknownName],
    ) -> Cow<'a, [Actor]> {
        if tagged.is_empty() {
            return Cow::Borrowed(actors);
        }
        let known = self.gazetteer.entities.len();
        let unknown = tagged.iter().map(
            |UnknownName {
                 name, refers_to, ..
             }| Actor {
                entity: EntityKey((known + refers_to) as u32),
                span: name.span.clone(),
                phrase: name.span.clone(),
                word_start: name.span.start,
                proclitics: Proclitics::default(),
                nisba: false,
                acts: name.kind != NameKind::Loc && tagged[*refers_to].name.words > 1,
                stands_for: None,
                office: None,
            },
        );
        // Merged, not sorted: the resolved actors keep their own order.
        let mut all: Vec<Actor> = Vec::with_capacity(actors.len() + tagged.len());
        let mut rest = actors.iter().peekable();
        // The unknown people introduced by an office of a state.
        let mut introduced: Vec<Introduction> = Vec::new();
        for (mut actor, UnknownName { name, .. }) in unknown.zip(tagged) {
            while let Some(next) = rest.next_if(|a| a.phrase.start <= actor.phrase.start) {
                all.push(next.clone());
            }
            // «رئيس الوزراء الباكستاني عمران خان», «الباكستاني عمران خان»: a state's
            // office or nisba right before an unknown person describes that person,
            // who alone acts.
            if name.kind == NameKind::Per
                && all
                    .last()
                    .is_some_and(|title| self.describes(text, title, actor.phrase.start))
                && let Some(title) = all.pop()
            {
                actor.phrase.start = title.phrase.start;
                actor.word_start = title.word_start;
                actor.proclitics = title.proclitics;
                if let Some(office) = title.office {
                    introduced.push(Introduction {
                        office,
                        state: title.entity,
                        person: actor.entity,
                        at: actor.phrase.end,
                    });
                }
            }
            all.push(actor);
        }
        all.extend(rest.cloned());
        // Only now: a title that describes the unknown person right after it is merged
        // with him above, and must not be taken for an earlier person first.
        if !introduced.is_empty() {
            for actor in &mut all {
                self.refer_back(actor, &introduced);
            }
        }
        Cow::Owned(all)
    }

    /// Makes `actor` the unknown person it names again. «وزير الداخلية الليبي عبد السلام
    /// عاشور» ... «وزير الداخلية الليبي»: a state's office with no known holder, after
    /// exactly one unknown person was introduced by that office of that state, is that
    /// person.
    fn refer_back(&self, actor: &mut Actor, introduced: &[Introduction]) {
        let Some(office) = actor.office else {
            return;
        };
        let mut people = introduced
            .iter()
            .filter(|i| i.at <= actor.phrase.start && i.state == actor.entity && i.office == office)
            .map(|i| i.person);
        if let Some(person) = people.next()
            && people.all(|other| other == person)
        {
            actor.entity = person;
            actor.office = None;
        }
    }

    /// Whether the state actor `title`, a nisba or an office named by a title
    /// («رئيس الوزراء الباكستاني»), stands right before a person named at `person` and so
    /// describes them.
    fn describes(&self, text: &str, title: &Actor, person: usize) -> bool {
        let state = self
            .gazetteer
            .entities
            .get(title.entity.0 as usize)
            .is_some_and(|e| e.entity_type == EntityType::Gpe);
        let office = || {
            text[title.phrase.clone()]
                .split(' ')
                .next()
                .is_some_and(|word| self.cues.is_title_word(word))
        };
        state
            && title.phrase.end <= person
            && text[title.phrase.end..person].trim().is_empty()
            && (title.nisba || office())
    }

    /// What lexicon value `v` (an index in a match's values) stands for.
    pub(crate) fn name_value(&self, v: u32) -> NameValue {
        self.name_values[v as usize]
    }

    /// The gazetteers' hits on each word of `text`, folded, for the name tagger: what
    /// its training sees (`tools::ner`), so that training and tagging read alike.
    pub(crate) fn word_hints(&self, folded: &Folded) -> Vec<Hints> {
        word_hints(self, folded, &self.names.find_all(folded))
    }

    /// Splits the lexicon's matches into names and triggers (whose values become
    /// rule indices).
    ///
    /// The names stay in the matches' own vector: an article dense with names would
    /// otherwise hold a second copy of them all.
    fn split_matches(&self, mut matches: Vec<LexMatch>) -> (Vec<LexMatch>, Vec<LexMatch>) {
        let mut triggers = Vec::new();
        matches.retain_mut(|m| {
            let rules: Vec<u32> = m
                .values
                .iter()
                .filter_map(|&v| match self.name_values[v as usize] {
                    NameValue::Trigger(rule) => Some(rule),
                    _ => None,
                })
                .collect();
            if rules.is_empty() {
                true
            } else if rules.len() == m.values.len() {
                triggers.push(LexMatch {
                    values: rules,
                    ..*m
                });
                false
            } else {
                let mut trigger = m.clone();
                trigger.values = rules;
                m.values
                    .retain(|&v| !matches!(self.name_values[v as usize], NameValue::Trigger(_)));
                triggers.push(trigger);
                true
            }
        });
        (matches, triggers)
    }

    /// What covers the text, for the unknown-slot finder: resolved mentions (nested
    /// ones merged), then titles and nisbas that resolved to nobody; sorted, disjoint.
    fn covers(
        &self,
        names: &[LexMatch],
        mentions: &[crate::pipeline::resolve::ResolvedMention],
    ) -> Vec<(Range<usize>, Cover)> {
        let mut spans: Vec<Range<usize>> = mentions.iter().map(|m| m.span.clone()).collect();
        spans.sort_by_key(|s| s.start);
        let mut covers: Vec<(Range<usize>, Cover)> = Vec::with_capacity(spans.len());
        for span in spans {
            match covers.last_mut() {
                Some((last, _)) if span.start < last.end => last.end = last.end.max(span.end),
                _ => covers.push((span, Cover::Mention)),
            }
        }
        let titles = names.iter().filter(|m| {
            m.values.iter().all(|&v| {
                matches!(
                    self.name_values[v as usize],
                    NameValue::Title(_) | NameValue::Demonym(_) | NameValue::HisCountry
                )
            })
        });
        let mentions = covers.len();
        for m in titles {
            // The mentions' covers are sorted and disjoint, so their ends are sorted too:
            // the first that ends after the title starts is the only one to look at, a
            // search, not a scan (an article of repeated titles stays linear).
            let first = covers[..mentions].partition_point(|(r, _)| r.end <= m.start);
            match covers[first..mentions]
                .first_mut()
                .filter(|(r, _)| r.start < m.end)
            {
                Some((r, cover)) if r.start == m.start => *cover = Cover::TitledMention,
                Some(_) => {}
                None => covers.push((m.start..m.end, Cover::Title)),
            }
        }
        covers.sort_by_key(|(r, _)| r.start);
        covers
    }

    /// The compiled lexicon (entities, demonyms, titles and triggers), for benchmarks and inspection.
    pub fn names(&self) -> &Lexicon {
        &self.names
    }

    /// The cue word lists, for finding where an unknown name ends.
    pub fn cues(&self) -> &Cues {
        &self.cues
    }

    /// The gazetteer this extractor was compiled from.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The gazetteer, the compiled lexicon dropped: what the end of a run still reads
    /// (labels, filters), in less memory.
    pub fn into_gazetteer(self) -> Gazetteer {
        self.gazetteer
    }

    /// The states a gated alias (`NameValue::Gated`) needs the text to name, so that
    /// `gazetteer show` can say why the alias did not count.
    pub fn gate(&self, gate: u32) -> &[EntityKey] {
        &self.gates[gate as usize]
    }

    /// Reads `text` as `extract` does and keeps what `extract` throws away: the role
    /// behind each office and the matches that named nothing.
    pub fn inspect(&self, text: &str, date: Option<Date>) -> Inspection {
        let folded = Folded::new(text);
        let (names, _) = self.split_matches(self.names.find_all(&folded));
        let resolution = self.resolve(&folded.text, &names, date);
        let overlaps = |span: &Range<usize>, m: &LexMatch| span.start < m.end && m.start < span.end;
        let unresolved = names
            .iter()
            .filter(|m| {
                let title = m
                    .values
                    .iter()
                    .any(|&v| matches!(self.name_values[v as usize], NameValue::Title(_)));
                let in_mention = resolution.mentions.iter().any(|r| overlaps(&r.span, m));
                // A title in front of a person's name describes that person; in front of
                // a body alone it still names no holder, which is worth showing.
                let in_actor = resolution.actors.iter().any(|a| {
                    overlaps(&a.phrase, m)
                        && (!title
                            || self.gazetteer.entity(a.entity).entity_type == EntityType::Per)
                });
                !in_mention && !in_actor
            })
            .map(|m| UnresolvedMatch {
                span: m.start..m.end,
                values: m
                    .values
                    .iter()
                    .map(|&v| self.name_values[v as usize])
                    .collect(),
            })
            .collect();
        Inspection {
            folded,
            resolution,
            unresolved,
        }
    }

    fn resolve(&self, text: &str, names: &[LexMatch], date: Option<Date>) -> Resolution {
        resolve(
            &self.gazetteer,
            text,
            names,
            &self.name_values,
            &self.gates,
            date,
            &self.cues,
        )
    }

    /// Every compiled surface with its entity or title: (id, type, surface).
    pub fn surfaces(&self) -> Vec<(String, String, String)> {
        let mut rows = Vec::new();
        let mut push = |id: &str, kind: &str, surface: &str| {
            rows.push((id.to_string(), kind.to_string(), surface.to_string()));
        };
        for entity in &self.gazetteer.entities {
            for surface in std::iter::once(&entity.name_ar).chain(&entity.aliases) {
                let surface = surface.split_once('@').map_or(surface.as_str(), |(s, _)| s);
                for variant in spelling_variants(surface) {
                    push(
                        &entity.id,
                        entity.entity_type.mention_type().as_str(),
                        &variant,
                    );
                }
            }
        }
        for demonym in &self.gazetteer.demonyms {
            let entity = self.gazetteer.entity(demonym.entity);
            for form in demonym_forms(&demonym.surface) {
                push(&entity.id, "NORP", &form);
            }
        }
        rows
    }

    /// Runs the whole pipeline on one article.
    pub fn extract(&self, article: &Article) -> ArticleRecord {
        let date = article.date.as_deref().and_then(Date::parse);
        let mut record = ArticleRecord {
            id: article.id.clone(),
            date: article.date.clone(),
            fingerprint: Fingerprint::of_text(&article.text),
            mentions: Vec::new(),
            relations: Vec::new(),
            unknown: Vec::new(),
        };
        if let Some(title) = &article.title {
            self.extract_field(title, Field::Title, date, &mut record);
        }
        self.extract_field(&article.text, Field::Text, date, &mut record);
        record
    }

    fn extract_field(
        &self,
        original: &str,
        field: Field,
        date: Option<Date>,
        record: &mut ArticleRecord,
    ) {
        let folded = Folded::new(original);
        let text = folded.text.as_str();
        let matches = self.names.find_all(&folded);
        let hints = self
            .tagger
            .as_ref()
            .map(|_| word_hints(self, &folded, &matches));
        let (name_matches, trigger_matches) = self.split_matches(matches);
        if name_matches.is_empty() && trigger_matches.is_empty() && hints.is_none() {
            return;
        }
        let mut resolution = self.resolve(text, &name_matches, date);
        refer_heads(
            &self.gazetteer,
            &self.cues,
            text,
            &folded.words,
            &mut resolution,
        );
        let offsets = CharOffsets::new(original);
        let span = |start: usize, end: usize| {
            let (s, e) = folded.original(start, end);
            (offsets.get(s), offsets.get(e), &original[s..e])
        };
        record.mentions.reserve(resolution.mentions.len());
        for m in &resolution.mentions {
            let entity = self.gazetteer.entity(m.entity);
            let (start, end, surface) = span(m.span.start, m.span.end);
            record.mentions.push(Mention {
                start,
                end,
                text: surface.to_string(),
                mention_type: m.mention_type,
                entity: entity.id.clone(),
                label: entity.label_en.clone(),
                field,
                known: true,
                country: None,
            });
        }
        // The sentences, split once for the tagger and the relation rules.
        let mut sentence_ranges: Option<Vec<Range<usize>>> = None;
        // Where this field's mentions start, to put the tagger's in text order with them.
        let first = record.mentions.len() - resolution.mentions.len();
        // The tagger's names no gazetteer mention covers, with their ids: unknown actors.
        let tagged: Vec<UnknownName> = match (&self.tagger, &hints) {
            (Some(tagger), Some(hints)) => {
                let ranges = sentence_ranges.insert(sentences(text));
                let covered = Covered::new(&resolution.mentions);
                let names = tagged_names(tagger, &self.cues, &folded, hints, ranges, &covered);
                let (holders, names): (Vec<TaggedName>, Vec<TaggedName>) =
                    with_surnames(&self.cues, &folded, names, &covered)
                        .into_iter()
                        .partition(|n| n.holder.is_some());
                for (name, entity) in holders.iter().filter_map(|n| Some((&n.span, n.holder?))) {
                    let (start, end, surface) = span(name.start, name.end);
                    let entity = self.gazetteer.entity(entity);
                    record.mentions.push(Mention {
                        start,
                        end,
                        text: surface.to_string(),
                        mention_type: MentionType::Per,
                        entity: entity.id.clone(),
                        label: entity.label_en.clone(),
                        field,
                        known: true,
                        country: None,
                    });
                }
                unknown_names(text, names)
            }
            _ => Vec::new(),
        };
        if !tagged.is_empty() {
            // «وزير الداخلية الليبي عبد السلام عاشور»: an unknown person's country is the
            // state whose office or nisba stands right before the name.
            let by_end: FxHashMap<usize, &Actor> = resolution
                .actors
                .iter()
                .map(|a| (a.phrase.end, a))
                .collect();
            let country = |name: &TaggedName| {
                let before = text[..name.span.start].trim_end().len();
                by_end
                    .get(&before)
                    .filter(|title| {
                        name.kind == NameKind::Per && self.describes(text, title, name.span.start)
                    })
                    .map(|title| self.gazetteer.entity(title.entity).id.clone())
            };
            for UnknownName {
                name,
                id,
                refers_to,
            } in &tagged
            {
                let (start, end, surface) = span(name.span.start, name.span.end);
                let id = id.clone();
                record.mentions.push(Mention {
                    start,
                    end,
                    text: surface.to_string(),
                    mention_type: mention_type(name.kind),
                    label: id.replace('_', " "),
                    entity: id,
                    field,
                    known: false,
                    // A surname has the country of the full name it refers back to.
                    country: country(name).or_else(|| country(&tagged[*refers_to].name)),
                });
            }
        }
        if record.mentions.len() > first + resolution.mentions.len() {
            record.mentions[first..].sort_by_key(|m| m.start);
        }
        if !trigger_matches.is_empty() {
            let covers = self.covers(&name_matches, &resolution.mentions);
            let finder = SlotFinder {
                text,
                rules: &self.gazetteer.triggers,
                cues: &self.cues,
                covers: &covers,
            };
            for slot in finder.slots(&trigger_matches) {
                let (start, end, surface) = span(slot.span.start, slot.span.end);
                record.unknown.push(UnknownActor {
                    start,
                    end,
                    text: surface.to_string(),
                    rule: self.gazetteer.triggers[slot.rule].id.clone(),
                    // Only the text: offsets are counted forwards, and the trigger
                    // stands before its slot.
                    trigger: {
                        let (s, e) = folded.original(slot.trigger.start, slot.trigger.end);
                        original[s..e].to_string()
                    },
                    field,
                });
            }
        }
        let actors = self.with_unknown_actors(text, &resolution.actors, &tagged);
        if actors.len() < 2 {
            return;
        }
        let sentence_ranges = sentence_ranges.unwrap_or_else(|| sentences(text));
        let found = relate(
            &self.gazetteer,
            &self.cues,
            &folded,
            &sentence_ranges,
            &actors,
            &trigger_matches,
        );
        let known = self.gazetteer.entities.len();
        let endpoint = |actor: usize, entity: EntityKey| {
            let actor = &actors[actor];
            let (start, end, _) = span(actor.span.start, actor.span.end);
            let id = match (entity.0 as usize).checked_sub(known) {
                Some(unknown) => tagged[unknown].id.clone(),
                None => self.gazetteer.entity(entity).id.clone(),
            };
            // The state stands for its office only where the relation names the state
            // itself, not a state a capital stands for.
            let office = actor
                .office
                .filter(|_| entity == actor.entity)
                .map(|title| self.gazetteer.titles[title.0 as usize].id.clone());
            Endpoint {
                entity: id,
                start,
                end,
                office,
            }
        };
        for relation in found {
            let rule = &self.gazetteer.triggers[relation.rule];
            let (t_start, t_end, t_text) = span(relation.trigger.start, relation.trigger.end);
            let (s_start, s_end, s_text) = span(relation.sentence.start, relation.sentence.end);
            record.relations.push(Relation {
                kind: rule.kind,
                source: endpoint(relation.source, relation.source_entity),
                target: endpoint(relation.target, relation.target_entity),
                trigger: TriggerSpan {
                    start: t_start,
                    end: t_end,
                    text: t_text.to_string(),
                },
                sentence: SentenceSpan {
                    start: s_start,
                    end: s_end,
                    text: s_text.to_string(),
                },
                negated: relation.negated,
                hedged: relation.hedged,
                rule: rule.id.clone(),
                field,
            });
        }
    }
}

/// The first and last words of every person's name and alias of two words or more.
fn name_words(gazetteer: &Gazetteer) -> NameWords {
    let mut words = NameWords::default();
    for entity in gazetteer
        .entities
        .iter()
        .filter(|e| e.entity_type == EntityType::Per)
    {
        for name in std::iter::once(&entity.name_ar).chain(&entity.aliases) {
            let folded = fold_surface(name.split_once('@').map_or(name.as_str(), |(n, _)| n));
            let parts: Vec<&str> = folded.split(' ').collect();
            if let [first, .., last] = parts[..] {
                *words.entry(first.into()).or_default() |= Hints::GIVEN_NAME;
                *words.entry(last.into()).or_default() |= Hints::FAMILY_NAME;
            }
        }
    }
    words
}

/// The built-in extractor, compiled once for all unit tests.
#[cfg(test)]
pub(crate) fn test_extractor() -> &'static Extractor {
    static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin().unwrap()).unwrap())
}

/// The built-in extractor with the built-in tagger (`--ner hybrid`), compiled once for
/// all unit tests.
#[cfg(test)]
pub(crate) fn test_hybrid_extractor() -> &'static Extractor {
    static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        Extractor::new(Gazetteer::builtin().unwrap())
            .unwrap()
            .with_tagger(Tagger::builtin())
    })
}

/// An unknown person introduced by a state's office with no known holder («وزير الداخلية
/// الليبي عبد السلام عاشور»), whom a later mention of that office refers back to.
struct Introduction {
    /// The office's title.
    office: TitleKey,
    /// The state whose office it is.
    state: EntityKey,
    /// The person's actor key.
    person: EntityKey,
    /// Where the introduction ends: only later titles refer back.
    at: usize,
}

/// A name the tagger found, as one of an article's unknown actors.
struct UnknownName {
    name: TaggedName,
    /// Romanised from the folded name; for a surname that refers back, the full name's.
    id: String,
    /// The index, among the article's unknown names, of the one whose actor this is: its
    /// own, or the full name's that a later surname refers back to.
    refers_to: usize,
}

/// The article's tagged names with their ids. «عبد السلام عاشور ... وأضاف عاشور»: a
/// one-word person's name that ends an earlier person's full name is that person again,
/// and acts as the full name does.
fn unknown_names(text: &str, names: Vec<TaggedName>) -> Vec<UnknownName> {
    let mut surnames: FxHashMap<&str, usize> = FxHashMap::default();
    let mut unknown: Vec<UnknownName> = Vec::with_capacity(names.len());
    for (i, name) in names.into_iter().enumerate() {
        let words = &text[name.span.clone()];
        // «وأضاف عاشور», «وعاشور»: the conjunction may be written on the name.
        let earlier = (name.kind == NameKind::Per && name.words == 1)
            .then(|| {
                surnames
                    .get(words)
                    .or_else(|| words.strip_prefix('و').and_then(|w| surnames.get(w)))
                    .copied()
            })
            .flatten();
        let (id, refers_to) = match earlier {
            Some(full) => (unknown[full].id.clone(), full),
            None => (romanize(words), i),
        };
        if name.kind == NameKind::Per
            && name.words > 1
            && let Some((_, last)) = words.rsplit_once(' ')
        {
            surnames.insert(last, i);
        }
        unknown.push(UnknownName {
            name,
            id,
            refers_to,
        });
    }
    unknown
}

/// Runs the built-in pipeline on `text`, dated 2020-06-23 like the seed.
#[cfg(test)]
pub(crate) fn test_run(text: &str) -> ArticleRecord {
    test_extractor().extract(&Article {
        id: "t".into(),
        date: Some("2020-06-23".into()),
        title: None,
        text: text.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_office_alone_names_none_of_its_holders() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, content: &str| std::fs::write(dir.path().join(name), content);
        write(
            "titles.tsv",
            "id\ttitle_ar\tlabel_en\tkind\taliases\n\
             pc_member\tعضو\tMember\tshared\t\n",
        )
        .unwrap();
        write(
            "roles.tsv",
            "title\tof\tholder\tfrom\tto\n\
             pc_member\tpc\tkoni\t2021-03-15\t\n\
             pc_member\tpc\tlafi\t2021-03-15\t\n",
        )
        .unwrap();
        let gazetteer = Gazetteer::builder().add_path(dir.path()).build().unwrap();
        assert!(gazetteer.overlapping_tenures().is_empty());
        let extractor = Extractor::new(gazetteer).unwrap();
        let date = Date::parse("2022-01-01");
        // «a member of the Presidential Council»: either of two, so neither.
        let inspection = extractor.inspect("عضو المجلس الرئاسي", date);
        let entities: Vec<&str> = inspection
            .resolution
            .mentions
            .iter()
            .map(|m| extractor.gazetteer().entity(m.entity).id.as_str())
            .collect();
        assert_eq!(entities, ["pc"]);
        assert_eq!(inspection.unresolved.len(), 1);
        // Followed by a name, the title is that person's.
        let named = extractor.inspect("عضو المجلس الرئاسي عبد الله اللافي", date);
        assert!(named.unresolved.is_empty());
        assert!(
            named
                .resolution
                .mentions
                .iter()
                .any(|m| extractor.gazetteer().entity(m.entity).id == "lafi")
        );
    }

    #[test]
    fn an_office_or_nisba_before_an_unknown_person_describes_that_person() {
        let extractor = test_hybrid_extractor();
        for text in [
            "استقبل الملك سلمان بن عبدالعزيز رئيس الوزراء الباكستاني عمران خان.",
            "استقبل الملك سلمان بن عبدالعزيز الباكستاني عمران خان.",
        ] {
            let record = extractor.extract(&Article {
                id: "t".into(),
                date: Some("2018-09-20".into()),
                title: None,
                text: text.into(),
            });
            let relations: Vec<(&str, &str)> = record
                .relations
                .iter()
                .map(|r| (r.source.entity.as_str(), r.target.entity.as_str()))
                .collect();
            // The guest is the man, not Pakistan, who is his country.
            assert_eq!(relations, [("salman_king", "mran_khan")], "in «{text}»");
            let guest = record.mentions.iter().find(|m| !m.known).unwrap();
            assert_eq!(guest.country.as_deref(), Some("PK"), "in «{text}»");
        }
    }

    #[test]
    fn a_later_surname_is_the_unknown_person_named_in_full() {
        let extractor = test_hybrid_extractor();
        let record = extractor.extract(&Article {
            id: "t".into(),
            date: Some("2018-05-02".into()),
            title: None,
            text: "استقبل الرئيس التونسي الباجي قائد السبسي المبعوث الأمريكي جوناثان وينر. \
                   وبحث السبسي مع وينر الأوضاع في ليبيا."
                .into(),
        });
        let unknown: Vec<(&str, &str, Option<&str>)> = record
            .mentions
            .iter()
            .filter(|m| !m.known)
            .map(|m| (m.text.as_str(), m.entity.as_str(), m.country.as_deref()))
            .collect();
        assert_eq!(
            unknown,
            [
                ("جوناثان وينر", "jwnathan_wynr", Some("US")),
                ("وينر", "jwnathan_wynr", Some("US")),
            ]
        );
        // The surname alone is a side, as the full name is.
        assert_eq!(record.relations.len(), 2);
        assert!(
            record
                .relations
                .iter()
                .all(|r| r.target.entity == "jwnathan_wynr")
        );
    }

    #[test]
    fn a_name_after_a_known_holders_title_is_the_holder() {
        let extractor = test_hybrid_extractor();
        let record = extractor.extract(&Article {
            id: "t".into(),
            date: Some("2020-06-23".into()),
            title: None,
            // «كونته» is a spelling of Conte that the gazetteers lack.
            text: "وقال رئيس الوزراء الإيطالي جوزيبي كونته إن بلاده ترفض. \
                   وأضاف كونته أن الاتفاق مهم."
                .into(),
        });
        let people: Vec<(&str, &str, bool)> = record
            .mentions
            .iter()
            .filter(|m| m.mention_type == MentionType::Per)
            .map(|m| (m.text.as_str(), m.entity.as_str(), m.known))
            .collect();
        assert_eq!(
            people,
            [
                ("رئيس الوزراء الإيطالي", "conte", true),
                ("جوزيبي كونته", "conte", true),
                ("كونته", "conte", true),
            ]
        );
    }

    #[test]
    fn tagged_names_keep_the_words_a_nisba_or_a_name_link_would_cut() {
        let extractor = test_hybrid_extractor();
        let unknown = |text: &str| {
            let record = extractor.extract(&Article {
                id: "t".into(),
                date: Some("2018-05-01".into()),
                title: None,
                text: text.into(),
            });
            let names: Vec<String> = record
                .mentions
                .iter()
                .filter(|m| !m.known)
                .map(|m| m.text.clone())
                .collect();
            (names, record.relations.len())
        };
        // The nisba before the name is its own mention (Libya), not part of the name.
        assert_eq!(
            unknown("واستقبل وزير الداخلية الليبي عبد السلام عاشور السفير الفرنسي."),
            (vec!["عبد السلام عاشور".to_string()], 1)
        );
        // «علي» is also «على» ("on"), which ends a name elsewhere; after «بن» it is a name.
        assert_eq!(
            unknown("وقال الحسن بن علي إن الوفد وصل.").0,
            ["الحسن بن علي"]
        );
    }

    #[test]
    fn a_state_standing_for_an_office_without_a_holder_is_marked() {
        let record = test_extractor().extract(&Article {
            id: "t".into(),
            date: Some("2018-05-01".into()),
            title: None,
            text: "واستقبل وزير الداخلية الليبي السفير الفرنسي في طرابلس.".into(),
        });
        let sides: Vec<(&str, Option<&str>)> = record
            .relations
            .iter()
            .flat_map(|r| [&r.source, &r.target])
            .map(|e| (e.entity.as_str(), e.office.as_deref()))
            .collect();
        assert_eq!(
            sides,
            [
                ("LY", Some("interior_minister")),
                ("FR", Some("ambassador"))
            ]
        );
        // A known holder is the person, with no office mark.
        let record = test_run("واستقبل الرئيس الجزائري السفير الفرنسي.");
        assert_eq!(record.relations[0].source.entity, "tebboune");
        assert_eq!(record.relations[0].source.office, None);
    }

    #[test]
    fn a_later_office_of_the_same_state_is_the_unknown_person_it_introduced() {
        let extractor = test_hybrid_extractor();
        let sides = |text: &str| {
            let record = extractor.extract(&Article {
                id: "t".into(),
                date: Some("2018-05-01".into()),
                title: None,
                text: text.into(),
            });
            record
                .relations
                .iter()
                .map(|r| (r.source.entity.clone(), r.target.entity.clone()))
                .collect::<Vec<_>>()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        // The same office of the same state: the minister.
        assert_eq!(
            sides(
                "واستقبل وزير الداخلية الليبي عبد السلام عاشور السفير الفرنسي. \
                 وبحث وزير الداخلية الليبي مع السفير الإيطالي الأوضاع."
            ),
            [pair("bd_alslam_ashwr", "FR"), pair("bd_alslam_ashwr", "IT")]
        );
        // Another state's minister is not him.
        assert_eq!(
            sides(
                "واستقبل وزير الداخلية الليبي عبد السلام عاشور السفير الفرنسي. \
                 وبحث وزير الداخلية التونسي مع السفير الإيطالي الأوضاع."
            )[1],
            pair("TN", "IT")
        );
    }
}
