//! Relation rules over each sentence.
//!
//! Actors next to each other form groups: co-subjects joined by و («فائز السراج
//! ورئيس الوزراء ...») and companions («وبرفقته وزير الداخلية»). A trigger from
//! gazetteers/triggers.tsv then takes a subject group and an object group according to
//! its shape: a verb takes the group right after it (Arabic is mostly verb–subject–
//! object) or else the nearest unmarked group before it; a verbal noun takes its
//! genitive as agent («زيارة السراج») or patient («دعم حكومة الوفاق»); the object is
//! the next group introduced by one of the rule's prepositions («مع», «إلى», «ب»).

mod shapes;

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

use crate::gazetteer::{EntityKey, EntityType, Gazetteer, Genitive, Shape};
use crate::lexicon::LexMatch;
use crate::pipeline::cues::Cues;
use crate::pipeline::resolve::Actor;
use crate::record::RelationKind;
use crate::text::arabic::strip_article;
use crate::text::fold::{Folded, WordSpan};
use shapes::{Applied, apply};

/// A relation found in folded text, before it is mapped to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundRelation {
    /// Index of the rule in the gazetteer's triggers.
    pub rule: usize,
    /// Source actor (index into the actors).
    pub source: usize,
    /// The entity that acts for the source (a capital acts for its state).
    pub source_entity: EntityKey,
    /// Target actor.
    pub target: usize,
    /// The entity that acts for the target.
    pub target_entity: EntityKey,
    /// Trigger span.
    pub trigger: Range<usize>,
    /// Sentence span.
    pub sentence: Range<usize>,
    /// Under a negation.
    pub negated: bool,
    /// In a question or condition.
    pub hedged: bool,
}

/// The words (runs of word characters) in `range` of a folded text whose words are
/// `spans`, as byte ranges: those that overlap the range, cut to it.
fn words(spans: &[WordSpan], range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let first = spans.partition_point(|w| w.end as usize <= range.start);
    // An empty range has no words, even inside one.
    let spans = if range.is_empty() {
        &[]
    } else {
        &spans[first..]
    };
    spans
        .iter()
        .take_while(move |w| (w.start as usize) < range.end)
        .map(move |w| (w.start as usize).max(range.start)..(w.end as usize).min(range.end))
}

/// Co-ordinated actors that act as one side.
#[derive(Debug, Clone)]
struct Group {
    members: Vec<usize>,
    /// Start of the lead actor's first word.
    start: usize,
    /// End of the last member.
    end: usize,
    /// The preposition that introduces the group, folded (ب, ل, مع, الي ...), and
    /// where it stands.
    preposition: Option<String>,
    preposition_at: usize,
    /// Introduced by an attribution («بحسب ...»): a source, not an actor.
    attributed: bool,
    /// An object: the genitive of a noun («دعم حكومة الوفاق») or the object of an
    /// earlier trigger; never the subject of a later one. Kept on the group, not in a
    /// set of starts: a sentence of a million groups made that set miss the cache at
    /// every trigger.
    object: bool,
}

/// Marks the groups that start at `start` as objects (see `Group::object`).
fn mark_object(groups: &mut [Group], start: usize) {
    let first = groups.partition_point(|g| g.start < start);
    for g in groups[first..].iter_mut().take_while(|g| g.start == start) {
        g.object = true;
    }
}

struct Sentence<'a> {
    text: &'a str,
    /// The words of `text`.
    words: &'a [WordSpan],
    range: Range<usize>,
    actors: &'a [Actor],
    cues: &'a Cues,
    groups: Vec<Group>,
    /// The subject of the sentences just before, for a sentence that drops its
    /// subject («وأشاد بـ ...») and names no other actor that could be it.
    carried: Option<Group>,
    /// Whether the sentence names an actor that could be a subject: then nothing is
    /// carried into it. Asked at every trigger, so found once.
    names_a_subject: bool,
    /// The sentence's triggers outside actors, in text order: where each starts and the
    /// prepositions its rules take. A trigger owns the objects its prepositions introduce
    /// after it («المدعومة من التحالف، حققت تقدما إثر معارك عنيفة مع الحوثي»: the
    /// Houthis are the battle's, not the coalition's), but not others («أشاد السراج
    /// خلال زيارته إلى إيطاليا بالمشاركة الإيطالية»). A nearer trigger of the same
    /// kind does not take it away: it says the same thing («تعزيز التحالفات القائمة
    /// لتصل إلى مستوى التحالف مع تركيا»), and one relation of a kind per pair is kept.
    /// The markers are the rule's own, `-` among them (which introduces nothing).
    barriers: Vec<(usize, RelationKind, &'a [String])>,
    /// The kind of the rule being applied.
    applying: RelationKind,
    /// Where each of the sentence's triggers outside actors ends, in text order.
    trigger_ends: Vec<usize>,
    /// The index in `words` of the sentence's first word, and for each of its words
    /// from there, how many before it [`Sentence::word_count`] counts: the words
    /// between two offsets are counted by a search, not read one by one at every
    /// trigger (a sentence dense with triggers and actors costs as much per MB as news).
    first_word: usize,
    counted_before: Vec<u32>,
}

impl Sentence<'_> {
    /// Whether another trigger ends at most one word before `at`: a noun there is that
    /// trigger's object («تدين إطلاق الصواريخ على السعودية»), not an act of its subject.
    fn governed(&self, at: usize) -> bool {
        let before = self.trigger_ends.partition_point(|&end| end <= at);
        before > 0 && self.within_words(self.trigger_ends[before - 1], at, 1)
    }

    /// Words between `from` and `to`, not counting honorifics («صاحب السمو الشيخ»), time
    /// words («مساء أمس»), title words or places («بجدة»), counted up to `most + 1`: every caller
    /// only asks whether there are at most `most`, and a long stretch need not be read
    /// to its end to say no.
    fn word_count(&self, from: usize, to: usize, most: usize) -> usize {
        if to <= from {
            return 0;
        }
        let first = self.words.partition_point(|w| w.end as usize <= from);
        let last = first + words_starting_before(&self.words[first..], to);
        let known = self.first_word..self.first_word + self.counted_before.len() - 1;
        if first >= last || !known.contains(&first) || last > known.end {
            return words(self.words, from..to)
                .filter(|w| self.counts(w))
                .take(most + 1)
                .count();
        }
        // A word cut by `from` or `to` is judged by the part inside, as it is read.
        let whole =
            |i: usize| from <= self.words[i].start as usize && self.words[i].end as usize <= to;
        let cut = |i: usize| {
            let w = &self.words[i];
            (w.start as usize).max(from)..(w.end as usize).min(to)
        };
        let (mut lo, mut hi, mut count) = (first, last, 0);
        if !whole(lo) {
            count += usize::from(self.counts(&cut(lo)));
            lo += 1;
        }
        if hi > lo && !whole(hi - 1) {
            count += usize::from(self.counts(&cut(hi - 1)));
            hi -= 1;
        }
        if hi > lo {
            let before = |i: usize| self.counted_before[i - self.first_word] as usize;
            count += before(hi) - before(lo);
        }
        count.min(most + 1)
    }

    /// Whether [`Sentence::word_count`] counts the word `w`: not an honorific, a time
    /// word, a title word or a place.
    fn counts(&self, w: &Range<usize>) -> bool {
        let word = &self.text[w.clone()];
        !self.cues.is_honorific(word)
            && !self.cues.is_time(word)
            && !self.cues.is_title_word(word)
            && !self.in_place(w)
    }

    /// Counts, once, the words of the sentence [`Sentence::word_count`] counts.
    fn count_words(&mut self) {
        let first = self
            .words
            .partition_point(|w| w.end as usize <= self.range.start);
        let last = self
            .words
            .partition_point(|w| (w.start as usize) < self.range.end);
        let mut counted_before = Vec::with_capacity(last.saturating_sub(first) + 1);
        let mut count = 0u32;
        counted_before.push(count);
        for w in &self.words[first..last.max(first)] {
            count += u32::from(self.counts(&(w.start as usize..w.end as usize)));
            counted_before.push(count);
        }
        self.first_word = first;
        self.counted_before = counted_before;
    }

    /// Whether the word `w` lies in a place's name (an actor that does not act).
    fn in_place(&self, w: &Range<usize>) -> bool {
        let first = self.groups.partition_point(|g| g.end <= w.start);
        self.groups[first..]
            .iter()
            .take_while(|g| g.start < w.end)
            .flat_map(|g| &g.members)
            .any(|&m| {
                let actor = &self.actors[m];
                !actor.acts && actor.phrase.start < w.end && w.start < actor.phrase.end
            })
    }

    /// Whether a contrasting clause opens between `from` and `to` («... لكنها لن»),
    /// reading at most eleven words.
    fn contrast_between(&self, from: usize, to: usize) -> bool {
        words(self.words, from..to.max(from))
            .take(11)
            .any(|w| self.cues.is_contrast(&self.text[w]))
    }

    /// Whether there are at most `most` words between `from` and `to`, not counting
    /// honorifics.
    fn within_words(&self, from: usize, to: usize, most: usize) -> bool {
        self.word_count(from, to, most) <= most
    }

    /// The first group starting at or after `from`, within `max_words` words, that
    /// satisfies `accept`.
    fn group_after(
        &self,
        from: usize,
        max_words: usize,
        accept: impl Fn(&Group) -> bool,
    ) -> Option<&Group> {
        self.groups_from(from)
            .iter()
            .take_while(|g| self.within_words(from, g.start, max_words))
            .find(|g| accept(g) && !self.owned_by_nearer(from, g))
    }

    /// The groups that start at or after `from`, in text order. Groups are in text
    /// order, so a search finds them: a scan from the sentence's start would make a
    /// sentence of many triggers and many actors quadratic.
    fn groups_from(&self, from: usize) -> &[Group] {
        &self.groups[self.groups.partition_point(|g| g.start < from)..]
    }

    /// Whether a trigger between `from` and `g` takes `g` as its own object: one of its
    /// prepositions introduces `g`.
    fn owned_by_nearer(&self, from: usize, g: &Group) -> bool {
        let Some(preposition) = g.preposition.as_deref() else {
            return false;
        };
        self.barriers[self.barriers.partition_point(|(b, _, _)| *b < from)..]
            .iter()
            .take_while(|(b, _, _)| *b < g.start)
            .any(|(_, kind, markers)| {
                *kind != self.applying && markers.iter().any(|m| m != "-" && m == preposition)
            })
    }

    /// The groups that end at or before `to`, nearest first.
    fn groups_before(&self, to: usize) -> impl Iterator<Item = &Group> {
        self.groups[..self.groups.partition_point(|g| g.start < to)]
            .iter()
            .rev()
            .filter(move |g| g.end <= to)
    }

    /// Whether `range` overlaps an actor's phrase.
    fn in_actor(&self, range: Range<usize>) -> bool {
        let first = self.groups.partition_point(|g| g.end <= range.start);
        self.groups[first..]
            .iter()
            .take_while(|g| g.start < range.end)
            .flat_map(|g| &g.members)
            .any(|&m| {
                let phrase = &self.actors[m].phrase;
                phrase.start < range.end && range.start < phrase.end
            })
    }

    /// The nearest unmarked group ending before `to`, within ten words: a subject.
    /// When the sentence names no unmarked actor at all, the subject carried over
    /// from the sentence before.
    fn subject_before(&self, to: usize) -> Option<&Group> {
        let before = self
            .groups_before(to)
            .take_while(|g| self.within_words(g.end, to, 10) && !self.contrast_between(g.end, to))
            .find(|g| g.preposition.is_none() && !g.attributed && !g.object);
        before.or_else(|| self.carried.as_ref().filter(|_| !self.names_a_subject))
    }

    /// Where an object may start after `from`: past a family name and an apposition
    /// set off by commas right after the subject («أدان X، المتحدث باسم ...، الاعتداء»).
    fn after_apposition(&self, from: usize) -> usize {
        // «الملك سلمان بن عبدالعزيز آل سعود»: the family name ends the person's name.
        let mut next = words(self.words, from..self.range.end);
        let from = match (next.next(), next.next()) {
            (Some(al), Some(family)) if &self.text[al.clone()] == "ال" => family.end,
            _ => from,
        };
        let rest = &self.text[from..self.range.end];
        let trimmed = rest.trim_start();
        // «خلال زيارته الخاطفة إلى طرابلس،»: a phrase set off up to a comma.
        let aside = words(self.words, from..self.range.end)
            .next()
            .filter(|w| self.cues.is_aside(&self.text[w.clone()]))
            .map(|w| &self.text[w.start..self.range.end]);
        let Some(after_comma) = trimmed.strip_prefix(['،', ',']).or(aside) else {
            return from;
        };
        let opened = from + (rest.len() - after_comma.len());
        // The closing comma lies within twelve words: read no further.
        let reach = words(self.words, opened..self.range.end)
            .nth(12)
            .map_or(self.range.end, |w| w.end);
        match self.text[opened..reach]
            .char_indices()
            .find(|&(_, c)| matches!(c, '،' | ','))
        {
            // «يزور بوتين، حاليا الصين، حيث ...»: time words and then more are no
            // apposition, but the time of the verb and its object; «، الاثنين،» alone is.
            Some((close, _))
                if words(self.words, opened..opened + close)
                    .next()
                    .is_some_and(|w| self.cues.is_time(&self.text[w]))
                    && words(self.words, opened..opened + close)
                        .any(|w| !self.cues.is_time(&self.text[w])) =>
            {
                from
            }
            Some((close, comma)) if self.within_words(opened, opened + close, 12) => {
                opened + close + comma.len_utf8()
            }
            _ => from,
        }
    }

    /// [`Sentence::subject_before`] without the subject carried from earlier sentences.
    fn subject_in_sentence(&self, to: usize) -> Option<&Group> {
        self.subject_before(to)
            .filter(|g| g.start >= self.range.start)
    }

    /// Groups that could be a subject.
    fn unmarked_actors(&self) -> impl Iterator<Item = &Group> {
        self.groups
            .iter()
            .filter(|g| g.could_be_subject(self.actors))
    }

    fn words_before(&self, at: usize, n: usize) -> Vec<&str> {
        words_before(self.words, self.range.start, at, n)
            .into_iter()
            .map(|r| &self.text[r])
            .collect()
    }
}

/// How many of `spans` start before `to`: a search that widens from the front, as
/// `to` mostly lies a few words on and a search of the whole article's words would
/// miss the cache at each of its last steps.
fn words_starting_before(spans: &[WordSpan], to: usize) -> usize {
    let before = |w: &WordSpan| (w.start as usize) < to;
    let mut reach = 1;
    while reach < spans.len() && before(&spans[reach]) {
        reach *= 2;
    }
    let from = reach / 2;
    let until = reach.min(spans.len());
    from + spans[from..until].partition_point(before)
}

/// The last `n` words between `from` and `at`, as ranges, in text order.
fn words_before(spans: &[WordSpan], from: usize, at: usize, n: usize) -> Vec<Range<usize>> {
    if at <= from {
        return Vec::new();
    }
    let last = spans.partition_point(|w| (w.start as usize) < at);
    let mut found = Vec::with_capacity(n.min(last));
    found.extend(
        spans[..last]
            .iter()
            .rev()
            .take_while(|w| w.end as usize > from)
            .take(n)
            .map(|w| (w.start as usize).max(from)..(w.end as usize).min(at)),
    );
    found.reverse();
    found
}

/// The most actors one group holds. Real lists of co-subjects are far shorter; a
/// text that joins thousands would otherwise cost the square of them at every trigger
/// that takes the group.
const MOST_MEMBERS: usize = 32;

/// Whether `b`, set off by a comma after `a`, names the same person: both name him
/// («الرئيس الروسي، فلاديمير بوتين،»), or one of them is a known person and the other a
/// name the gazetteers lack.
fn is_apposition(gazetteer: &Gazetteer, a: &Actor, b: &Actor) -> bool {
    if a.entity == b.entity {
        return true;
    }
    let person = |actor: &Actor| {
        gazetteer
            .entities
            .get(actor.entity.0 as usize)
            .map(|e| e.entity_type == EntityType::Per)
    };
    matches!(
        (person(a), person(b)),
        (Some(true), None) | (None, Some(true))
    )
}

fn build_groups(
    gazetteer: &Gazetteer,
    folded: &Folded,
    range: &Range<usize>,
    actors: &[Actor],
    cues: &Cues,
) -> Vec<Group> {
    let (text, spans) = (folded.text.as_str(), folded.words.as_slice());
    let mut groups: Vec<Group> = Vec::new();
    let mut dropped_nisba_end: Option<usize> = None;
    // «دبي، الإمارات العربية المتحدة (CNN)-- ...», «القاهرة — ...», «(CNN) – ...»: an
    // article's dateline names where and who reports, never a side.
    let dateline_end = ["--", "—", "–"]
        .iter()
        .filter_map(|dash| text[range.clone()].find(dash))
        .min()
        .filter(|&at| {
            text[..range.start].trim().is_empty()
                && words(spans, range.start..range.start + at).nth(8).is_none()
        })
        .map_or(0, |at| range.start + at);
    let dateline_end = dateline_end.max(label_end(gazetteer, folded, range, actors));
    let first = actors.partition_point(|a| a.phrase.start < range.start);
    for (index, actor) in actors.iter().enumerate().skip(first) {
        if actor.phrase.start >= range.end {
            break;
        }
        if actor.phrase.end > range.end {
            continue;
        }
        // «الشعب الإيراني»: the people, not the state; «المسلحون الحوثيون اليمنيون»,
        // «بلدة خان شيخون السورية»: a nisba right after a name describes it.
        let describes_before = || {
            index > 0 && {
                let before = &actors[index - 1];
                !before.nisba
                    && before.phrase.end <= actor.word_start
                    && text[before.phrase.end..actor.word_start].trim().is_empty()
            }
        };
        // «أطلق النار على فلسطيني», «اتهامات لروسيين اثنين»: an indefinite nisba alone
        // after a preposition is someone of that people, not the state.
        if actor.nisba {
            let word_before = words_before(spans, range.start, actor.word_start, 1);
            let word_before = word_before.first().map(|w| &text[w.clone()]);
            let someone = !actor.proclitics.definite
                && (actor.proclitics.preposition.is_some()
                    || word_before.is_some_and(|w| cues.preposition(w).is_some()));
            // «الأزمة الكندية السعودية»: a nisba right after one dropped for its noun
            // describes the same noun.
            let after_dropped = dropped_nisba_end.is_some_and(|end| {
                end <= actor.word_start && text[end..actor.word_start].trim().is_empty()
            });
            if word_before.is_some_and(|w| cues.is_people(w))
                || someone
                || describes_before()
                || after_dropped
            {
                dropped_nisba_end = Some(actor.phrase.end);
                continue;
            }
        }
        // «انتقد بولسونارو اتفاق باريس», «قمة هلسنكي»: a city right after the noun of an
        // agreement or a gathering names the event, not its state.
        if !actor.acts && actor.proclitics.preposition.is_none() {
            let word_before = words_before(spans, range.start, actor.word_start, 1);
            if word_before
                .first()
                .is_some_and(|w| cues.is_event_head(&text[w.clone()]))
            {
                continue;
            }
        }
        if let Some(last) = groups.last_mut() {
            let how = (last.end <= actor.word_start)
                .then(|| join(folded, last.end, actor, cues))
                .flatten();
            let list = match how {
                Some(Join::And) => true,
                Some(Join::Comma) => list_goes_on(folded, actors, index, range.end, cues),
                None => false,
            };
            // «وزير الداخلية الألماني، هورست سيهوفر»: a name the gazetteers lack, set off
            // by a comma beside a known person, is that person again.
            let lead = &actors[*last.members.last().unwrap_or(&index)];
            if how == Some(Join::Comma) && !list && is_apposition(gazetteer, lead, actor) {
                continue;
            }
            if list && last.members.len() < MOST_MEMBERS {
                last.members.push(index);
                last.end = actor.phrase.end;
                continue;
            }
        }
        // Words before the actor, but not inside the actor before it («إلى ليبيا مارتن
        // كوبلر»: «ليبيا» is no construct noun with ل).
        let from = groups
            .last()
            .map_or(range.start, |g| g.end.max(range.start));
        let mut before = words_before(spans, from, actor.word_start, 6);
        // «مع معالي الأخ ناصر بوريطة»: honorifics stand between a preposition and a name.
        while before
            .last()
            .is_some_and(|w| cues.is_honorific(&text[w.clone()]))
        {
            before.pop();
        }
        let (preposition, preposition_at) = match lead_preposition(actor, text, &before, cues) {
            Some((p, 0)) => (Some(p), actor.word_start),
            Some((p, back)) => (Some(p), before[before.len() - back].start),
            None => (None, actor.word_start),
        };
        let attributed = actor.phrase.end <= dateline_end
            || before.iter().any(|w| cues.is_attribution(&text[w.clone()]));
        groups.push(Group {
            members: vec![index],
            start: actor.word_start,
            end: actor.phrase.end,
            preposition,
            preposition_at,
            attributed,
            object: false,
        });
    }
    quoted_speakers(&mut groups, text, spans, range.start, cues);
    groups
}

/// Where a headline or dateline label ends: «العراق: قتلى في تفجير ...», «واشنطن: الأسد
/// لا يشن ...». The sentence opens with at most three words, all of actors, then a colon:
/// they name where the news is or which state says it, not the subject of what follows,
/// unless what follows speaks in the first person («مصر: نرفض ...»). A person (or a name
/// the gazetteers lack) before the colon is a speaker whose words follow («نتانياهو:
/// اليوم أفضل لمواجهة إيران») and stays. 0 when there is none.
fn label_end(
    gazetteer: &Gazetteer,
    folded: &Folded,
    range: &Range<usize>,
    actors: &[Actor],
) -> usize {
    let (text, spans) = (folded.text.as_str(), folded.words.as_slice());
    let Some(colon) = text[range.clone()].find(':').map(|at| range.start + at) else {
        return 0;
    };
    let mut label = words(spans, range.start..colon);
    let first = actors.partition_point(|a| a.phrase.end <= range.start);
    let in_actor = |w: &Range<usize>| {
        actors[first..]
            .iter()
            .take_while(|a| a.phrase.start < colon)
            .any(|a| {
                let known = gazetteer.entities.get(a.entity.0 as usize);
                known.is_some_and(|e| e.entity_type != EntityType::Per)
                    && a.phrase.start <= w.start
                    && w.end <= a.phrase.end
            })
    };
    let mut count = 0;
    if !label.all(|w| {
        count += 1;
        count <= 3 && in_actor(&w)
    }) || count == 0
    {
        return 0;
    }
    let first_person = words(spans, colon..range.end)
        .next()
        .is_some_and(|w| text[w].starts_with('ن'));
    if first_person { 0 } else { colon }
}

/// «ونقلت وكالة فرانس برس عن عبد الرحمن عثمان قوله»: the group right after a reporting
/// verb is only the source when a group with «عن» follows it; the one quoted is the
/// speaker, as if «قال» stood before it.
fn quoted_speakers(groups: &mut [Group], text: &str, spans: &[WordSpan], from: usize, cues: &Cues) {
    for at in 1..groups.len() {
        let (before, after) = groups.split_at_mut(at);
        let (source, quoted) = (&mut before[at - 1], &mut after[0]);
        let reported = source.preposition.is_none()
            && words_before(spans, from, source.start, 1)
                .first()
                .is_some_and(|w| cues.is_reporting(&text[w.clone()]));
        let gap = words(spans, source.end..quoted.start).count();
        if reported && quoted.preposition.as_deref() == Some("عن") && gap <= 1 {
            source.attributed = true;
            quoted.preposition = None;
        }
    }
}

/// How an actor joins the group before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    /// «X و Y», «X وبرفقته Y».
    And,
    /// «X، Y»: an item of a list only if a later item joins with «و».
    Comma,
}

/// How `actor` joins the group ending at `end`, if it does.
fn join(folded: &Folded, end: usize, actor: &Actor, cues: &Cues) -> Option<Join> {
    let (text, spans) = (folded.text.as_str(), folded.words.as_slice());
    let gap = &text[end..actor.word_start];
    if gap.contains('\n') {
        return None;
    }
    // The first two words of the gap, read without collecting them: this runs for
    // every actor.
    let mut gap_words = words(spans, end..actor.word_start).map(|r| &text[r]);
    match (gap_words.next(), gap_words.next()) {
        (None, _) if actor.proclitics.conjunction == Some('و') => Some(Join::And),
        (None, _) if gap.contains(['،', ',']) => Some(Join::Comma),
        // «قمة ترامب-كيم».
        (None, _) if gap == "-" => Some(Join::And),
        (Some("و"), None) => Some(Join::And),
        (Some(word), None) if cues.is_companion(word) => Some(Join::And),
        _ => None,
    }
}

/// Whether `actors[index]`, after a comma, is an item of a list: a later actor of the
/// sentence joins with «و» («X، Y وZ»). A comma alone often ends the subject before its
/// object («وتتهم الحكومة والتحالف، إيران بتزويد ...»).
fn list_goes_on(
    folded: &Folded,
    actors: &[Actor],
    index: usize,
    range_end: usize,
    cues: &Cues,
) -> bool {
    let mut previous = &actors[index];
    for next in actors[index + 1..].iter().take(MOST_MEMBERS) {
        if next.phrase.end > range_end || next.word_start < previous.phrase.end {
            return false;
        }
        match join(folded, previous.phrase.end, next, cues) {
            Some(Join::And) => return true,
            Some(Join::Comma) => previous = next,
            None => return false,
        }
    }
    false
}

/// The preposition that introduces an actor, from its proclitic or the words before
/// it. A nisba takes the preposition of the noun it describes («بالمشاركة الإيطالية»,
/// «مع الجانب الإيطالي»).
///
/// Returns the folded preposition and how many words back it stands (0: a proclitic
/// on the actor itself).
fn lead_preposition(
    actor: &Actor,
    text: &str,
    before: &[Range<usize>],
    cues: &Cues,
) -> Option<(String, usize)> {
    let word = |back: usize| &text[before[before.len() - back].clone()];
    // «بحث معه القضايا المتعلقة بسوريا»: a name with «ب» after a topic word is what is
    // talked about, as after «حول».
    if actor.proclitics.preposition == Some('ب') && !before.is_empty() && cues.is_topic(word(1)) {
        return Some(("حول".to_string(), 1));
    }
    if let Some(p) = actor.proclitics.preposition {
        // «عقوبات على شخصيات ومؤسسات مرتبطة بحزب الله», «ضد مواقع للحوثيين»: a party
        // named through what belongs to it takes the preposition of what belongs.
        if !before.is_empty() && cues.is_affiliation(word(1)) {
            if let Some((p, back)) =
                (2..=before.len().min(5)).find_map(|b| cues.preposition(word(b)).map(|p| (p, b)))
            {
                return Some((p.to_string(), back));
            }
        }
        return Some((p.to_string(), 0));
    }
    if before.is_empty() {
        return None;
    }
    // «اجتمع مع ممثلين من حركة طالبان», «التقى وفدا من حماس», «مع ممثلي طالبان»: a party
    // named through those who speak for it takes their preposition, or none.
    let speaks_for = if cues.is_representative(word(1)) {
        Some(1)
    } else {
        (before.len() >= 2 && matches!(word(1), "من" | "عن") && cues.is_representative(word(2)))
            .then_some(2)
    };
    if let Some(back) = speaks_for {
        return (before.len() > back)
            .then(|| cues.preposition(word(back + 1)))
            .flatten()
            .map(|p| (p.to_string(), back + 1));
    }
    if let Some(p) = cues.preposition(word(1)) {
        return Some((p.to_string(), 1));
    }
    // «أشاد بالدور الذي تقوم به قوات التحالف», «رفضها لقانون ... الذي أقرته إسرائيل»: the
    // subject of a relative clause on a noun with ب or ل is that noun's genitive.
    if let Some(back) = relative_clause_noun(text, before, cues) {
        let noun = word(back).strip_prefix(['و', 'ف']).unwrap_or(word(back));
        if let Some(p) = noun.chars().next() {
            return Some((p.to_string(), back));
        }
    }
    // «بقرار الولايات المتحدة»: a listed noun with ب or ل before the name.
    if let Some(p) = cues.construct_preposition(word(1)) {
        return Some((p.to_string(), 1));
    }
    // «لموقف المغرب», «لصالح حفتر»: a noun with ل before the name in a construct.
    let construct = word(1).strip_prefix(['و', 'ف']).unwrap_or(word(1));
    if construct.starts_with('ل') && !construct.starts_with("لل") && construct.chars().count() >= 5
    {
        return Some(("ل".to_string(), 1));
    }
    if actor.nisba {
        let last = word(1);
        let noun = last.strip_prefix(['و', 'ف']).unwrap_or(last);
        if noun.starts_with("لل") {
            return Some(("ل".to_string(), 1));
        }
        for p in ['ب', 'ل', 'ك'] {
            if noun
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with("ال"))
            {
                return Some((p.to_string(), 1));
            }
        }
    }
    // «في شؤون اليمن», «مع نظيره الروسي»: a name in the genitive of a noun that a
    // preposition introduces is introduced by it too.
    if before.len() >= 2 {
        if let Some(p) = cues.preposition(word(2)) {
            return Some((p.to_string(), 2));
        }
    }
    None
}

/// How many words back stands the noun with ب or ل that a relative clause right before
/// an actor describes: [noun] [up to two adjectives] الذي/التي [verb] [به, لها ...].
fn relative_clause_noun(text: &str, before: &[Range<usize>], cues: &Cues) -> Option<usize> {
    let word = |back: usize| &text[before[before.len() - back].clone()];
    // The relative pronoun must be the verb's object, on it («أقرته», «تبذلها») or after
    // it («تقوم به»), so that the name after the verb is its subject: in «التي
    // استهدفت X» or «التي تتعرض لها X» it is not.
    let verb = match word(1) {
        "به" | "بها" => 2,
        w if w.ends_with('ه') || w.ends_with("ها") => 1,
        _ => return None,
    };
    // Then the relative pronoun.
    let back = verb + 1;
    if before.len() < back + 1 || !cues.is_relative(word(back)) {
        return None;
    }
    // Back past the noun's adjectives to the noun, which must be a construct noun with
    // ب or ل: after «لإدانة الهجمات التي شنتها X», X did not condemn.
    let noun = (back + 1..=before.len().min(back + 3)).find(|&b| !word(b).starts_with("ال"))?;
    let head = word(noun).strip_prefix(['و', 'ف']).unwrap_or(word(noun));
    let rest = head
        .strip_prefix("لل")
        .or_else(|| head.strip_prefix(['ب', 'ل']))?;
    cues.is_construct(strip_article(rest)).then_some(noun)
}

/// Finds the relations of every sentence of a folded text.
pub(crate) fn relate(
    gazetteer: &Gazetteer,
    cues: &Cues,
    folded: &Folded,
    sentences: &[Range<usize>],
    actors: &[Actor],
    triggers: &[LexMatch],
) -> Vec<FoundRelation> {
    let (text, words) = (folded.text.as_str(), folded.words.as_slice());
    let mut found = Vec::new();
    let mut carried: Option<(Group, usize)> = None;
    let mut next_trigger = 0;
    // The triggers of each sentence: a run of `triggers`, which are in text order.
    let per_sentence: Vec<&[LexMatch]> = sentences
        .iter()
        .map(|range| {
            while next_trigger < triggers.len() && triggers[next_trigger].word_start < range.start {
                next_trigger += 1;
            }
            let rest = &triggers[next_trigger..];
            &rest[..rest.iter().take_while(|t| t.end <= range.end).count()]
        })
        .collect();
    for (index, (range, in_sentence)) in sentences.iter().zip(&per_sentence).enumerate() {
        // A sentence's actors matter to its own triggers and, as the topic carried
        // forward, to the triggers of the next two sentences; a topic fades before it
        // could reach a third. Where none of these has a trigger, no group is built.
        if per_sentence[index..].iter().take(3).all(|t| t.is_empty()) {
            carried = carried
                .filter(|(_, age)| *age < 1)
                .map(|(group, age)| (group, age + 1));
            continue;
        }
        let groups = build_groups(gazetteer, folded, range, actors, cues);
        let names_a_subject = groups.iter().any(|g| g.could_be_subject(actors));
        let mut sentence = Sentence {
            text,
            range: range.clone(),
            actors,
            cues,
            words,
            groups,
            carried: carried.as_ref().map(|(group, _)| group.clone()),
            names_a_subject,
            barriers: Vec::new(),
            applying: RelationKind::Meets,
            trigger_ends: Vec::new(),
            first_word: 0,
            counted_before: vec![0],
        };
        sentence.count_words();
        let relations_before = found.len();
        relate_sentence(gazetteer, cues, &mut sentence, in_sentence, &mut found);
        // The topic for the next sentences: the subject of this sentence's first
        // relation, or else its first unmarked actor; it fades after two sentences.
        let subject_of_first = found[relations_before..].first().and_then(|r| {
            sentence
                .groups
                .iter()
                .find(|g| g.members.contains(&r.source))
                .cloned()
        });
        let topic = subject_of_first.or_else(|| sentence.unmarked_actors().next().cloned());
        carried = match (topic, carried) {
            (Some(group), _) => Some((group, 0)),
            (None, Some((group, age))) if age < 1 => Some((group, age + 1)),
            _ => None,
        };
    }
    found
}

/// Applies every trigger of one sentence.
fn relate_sentence<'a>(
    gazetteer: &'a Gazetteer,
    cues: &Cues,
    sentence: &mut Sentence<'a>,
    in_sentence: &[LexMatch],
    found: &mut Vec<FoundRelation>,
) {
    if in_sentence.is_empty() || (sentence.groups.is_empty() && sentence.carried.is_none()) {
        return;
    }
    let (text, actors, range) = (sentence.text, sentence.actors, sentence.range.clone());
    // A trigger inside an actor's name («عملية إيريني») is no trigger.
    let mut outside: Vec<&LexMatch> = Vec::with_capacity(in_sentence.len());
    // A noun that is a trigger only before «بين» («القمة ... بين») is none elsewhere.
    outside.extend(in_sentence.iter().filter(|t| {
        !sentence.in_actor(t.start..t.end)
            && t.values.iter().any(|&rule| {
                gazetteer.triggers[rule as usize].shape != Shape::Between
                    || shapes::after_between(sentence, t).is_some()
            })
    }));
    let mut barriers = Vec::with_capacity(outside.len());
    barriers.extend(outside.iter().flat_map(|t| {
        t.values.iter().map(|&rule| {
            let rule = &gazetteer.triggers[rule as usize];
            (t.word_start, rule.kind, rule.markers.as_slice())
        })
    }));
    sentence.barriers = barriers;
    // «أكدت السعودية رفضها ...»: a word that is a trigger only where two act together
    // («أكد», «جدد») is a light verb here and passes its subject to the noun it governs.
    let mut trigger_ends = Vec::with_capacity(outside.len());
    trigger_ends.extend(
        outside
            .iter()
            .filter(|t| {
                t.values
                    .iter()
                    .any(|&rule| gazetteer.triggers[rule as usize].shape != Shape::Joint)
            })
            .map(|t| t.end),
    );
    sentence.trigger_ends = trigger_ends;
    sentence.trigger_ends.sort_unstable();
    for trigger_match in in_sentence {
        let patient_noun = trigger_match.values.iter().any(|&rule| {
            let rule = &gazetteer.triggers[rule as usize];
            rule.shape == Shape::Noun && rule.genitive != Genitive::Agent
        });
        if let Some(g) = sentence.group_after(trigger_match.end, 0, |g| g.preposition.is_none()) {
            let lead = &actors[g.members[0]];
            if patient_noun && !lead.nisba {
                let start = g.start;
                mark_object(&mut sentence.groups, start);
            }
        }
    }
    // Asked only once a relation is found, which most triggers never give: reading
    // every word of the sentence costs more than the rest of the sentence's work.
    let hedged = std::cell::OnceCell::new();
    let is_hedged = || {
        *hedged.get_or_init(|| {
            text[range.clone()].ends_with(['؟', '?'])
                || words(sentence.words, range.clone()).any(|w| cues.is_hedge(&text[w.clone()]))
        })
    };
    let sport = std::cell::OnceCell::new();
    let is_sport = || {
        *sport.get_or_init(|| {
            words(sentence.words, range.clone()).any(|w| cues.is_sport(&text[w.clone()]))
        })
    };
    let mut seen: HashSet<(usize, usize, usize)> = HashSet::default();
    for &trigger_match in &outside {
        for &rule in &trigger_match.values {
            let trigger = &gazetteer.triggers[rule as usize];
            sentence.applying = trigger.kind;
            let (pairs, object) = match apply(sentence, trigger, trigger_match) {
                Applied::Nothing => (Vec::new(), None),
                Applied::Within(group) => (pairs_within(actors, group, trigger.kind), None),
                // «القوات اليمنية المدعومة من التحالف تخوض معارك»: the noun a passive
                // participle describes is still the subject of its clause.
                Applied::Across(subject, object) => (
                    pairs_across(actors, subject, object, trigger.kind),
                    (trigger.shape != Shape::Passive).then_some(object.start),
                ),
            };
            // An object, even a place that yields no relation («زار موسكو»), is never
            // the subject of a later trigger.
            if let Some(start) = object {
                mark_object(&mut sentence.groups, start);
            }
            // «الشريك التجاري», «لقاء صحفي»: the word after the trigger gives it another
            // sense; «مواجهة نيجيريا» in a sentence on a match is a fixture.
            if !pairs.is_empty() && (other_sense(sentence, trigger_match) || is_sport()) {
                continue;
            }
            let negated = !pairs.is_empty()
                && (sentence
                    .words_before(trigger_match.word_start, 2)
                    .iter()
                    .any(|w| cues.is_negation(w))
                    || denied(sentence, trigger_match));
            for ((s, source_entity), (o, target_entity)) in pairs {
                if source_entity == target_entity {
                    continue;
                }
                // A news outlet interviews («في لقاء مع بي بي سي») and reports («التقت
                // فرانس24 ... رئيس المفوضية», «وقال مراسل سكاي نيوز عربية إن ...»): it
                // meets, backs and allies with no one, though it may accuse or be accused.
                if trigger.kind != RelationKind::Opposes
                    && (is_outlet(gazetteer, sentence, s, source_entity)
                        || is_outlet(gazetteer, sentence, o, target_entity))
                {
                    continue;
                }
                // «حفتر يصل إلى ليبيا»: a person does not meet their own country, nor
                // act on it through «بلاده» («فرض تعريفات على واردات بلاده» taxes imports).
                // An unknown actor (a key past the gazetteer's) has no country on file.
                let own_country = |person: EntityKey, state: EntityKey| {
                    gazetteer.entities.get(person.0 as usize).is_some_and(|p| {
                        p.entity_type == EntityType::Per && p.country == Some(state)
                    })
                };
                // «بلاده» names its country where the country was last named.
                let pronoun =
                    |a: &Actor| a.phrase.end <= a.span.start || a.span.end <= a.phrase.start;
                if (trigger.kind == RelationKind::Meets || pronoun(&actors[o]))
                    && (own_country(source_entity, target_entity)
                        || own_country(target_entity, source_entity))
                {
                    continue;
                }
                let (a, b) = if trigger.kind.is_symmetric() && target_entity < source_entity {
                    (target_entity, source_entity)
                } else {
                    (source_entity, target_entity)
                };
                if !seen.insert((trigger.kind as usize, a.0 as usize, b.0 as usize)) {
                    continue;
                }
                found.push(FoundRelation {
                    rule: rule as usize,
                    source: s,
                    source_entity,
                    target: o,
                    target_entity,
                    trigger: trigger_match.word_start..trigger_match.end,
                    sentence: range.clone(),
                    negated,
                    hedged: is_hedged() || pending(sentence, trigger_match),
                });
            }
        }
    }
}

/// When a capital in a group stands for its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capitals {
    /// Never: it is a place («زار موسكو»).
    Never,
    /// Where no preposition introduces the group («واشنطن تدعم», not «في القاهرة»).
    Unmarked,
    /// Always («وصل حفتر إلى القاهرة»).
    Always,
}

/// An actor occurrence and the entity that acts through it.
type Side = (usize, EntityKey);

impl Group {
    /// Not introduced by a preposition or an attribution, and acting.
    fn could_be_subject(&self, actors: &[Actor]) -> bool {
        self.preposition.is_none() && !self.attributed && !self.acting(actors).is_empty()
    }

    /// The members that act, with the entity each acts for: a capital acts for its
    /// state when the group is not introduced by a preposition («واشنطن تدعم»), not
    /// as a place («في القاهرة»).
    fn acting(&self, actors: &[Actor]) -> Vec<Side> {
        self.acting_with(actors, Capitals::Unmarked)
    }

    /// As [`Group::acting`], with capitals standing for their state as `capitals` says.
    /// An entity named twice acts once, through its first occurrence.
    fn acting_with(&self, actors: &[Actor], capitals: Capitals) -> Vec<Side> {
        let capitals = match capitals {
            Capitals::Never => false,
            Capitals::Unmarked => self.preposition.is_none(),
            Capitals::Always => true,
        };
        let mut entities = HashSet::default();
        self.members
            .iter()
            .filter_map(|&m| {
                let actor = &actors[m];
                if actor.acts {
                    Some((m, actor.entity))
                } else {
                    actor
                        .stands_for
                        .filter(|_| capitals)
                        .map(|state| (m, state))
                }
            })
            .filter(|&(_, entity)| entities.insert(entity))
            .collect()
    }
}

/// Whether the actor `index`, acting for `entity`, is a news outlet: a known one, or a
/// name the gazetteers lack after an outlet's head («شبكة فوكس نيوز»; «لشبكة فتح الله
/// غولن» names a known person's network).
fn is_outlet(
    gazetteer: &Gazetteer,
    sentence: &Sentence<'_>,
    index: usize,
    entity: EntityKey,
) -> bool {
    let actor = &sentence.actors[index];
    sentence.cues.is_outlet(entity)
        || (gazetteer.entities.get(entity.0 as usize).is_none()
            && words_before(sentence.words, sentence.range.start, actor.word_start, 1)
                .first()
                .is_some_and(|w| sentence.cues.is_outlet_head(&sentence.text[w.clone()])))
}

/// How many words before a trigger a denial («ينفي نيته إجراء محادثات») reaches.
const DENIAL_REACH: usize = 3;

/// Whether a denial stands before the trigger, in the same clause, with fewer than
/// [`DENIAL_REACH`] words that are no actor's between them: «الناتو ينفي نيته إجراء
/// محادثات مع طالبان», but not «ينفي تدريب البوليساريو وينتقد قطع المغرب» (a second
/// verb) nor «ينفي، بعد لقائه ...».
fn denied(sentence: &Sentence<'_>, trigger: &LexMatch) -> bool {
    let text = sentence.text;
    if text[trigger.word_start..].starts_with(['و', 'ف']) && trigger.word_start < trigger.end {
        let word = &text[trigger.word_start..trigger.end];
        if !sentence.cues.is_denial(word) && word.chars().nth(1).is_some_and(|c| "يتنأ".contains(c))
        {
            return false;
        }
    }
    // Back over at most DENIAL_REACH words that are not an actor's («ألغى الرئيس
    // الأميركي دونالد ترامب اجتماع قمة»), within the clause.
    let before = words_before(
        sentence.words,
        sentence.range.start,
        trigger.word_start,
        4 * DENIAL_REACH,
    );
    let mut counted = 0;
    for w in before.iter().rev() {
        if text[w.end..trigger.word_start].contains(['،', ',', ':', '.']) {
            return false;
        }
        if sentence.cues.is_denial(&text[w.clone()]) {
            return true;
        }
        if !sentence.in_actor(w.clone()) {
            counted += 1;
            if counted == DENIAL_REACH {
                return false;
            }
        }
    }
    false
}

/// Whether the word right after the trigger gives it a sense that is no relation
/// («الشريك التجاري»).
fn other_sense(sentence: &Sentence<'_>, trigger: &LexMatch) -> bool {
    words(sentence.words, trigger.end..sentence.range.end)
        .next()
        .is_some_and(|w| sentence.cues.is_other_sense(&sentence.text[w]))
}

/// Whether the trigger tells of what has not happened yet: a future («سيلتقي», "will
/// meet"), or a present after «عندما» ("when") that the sentence looks forward to
/// («عندما يلتقي ترامب بكيم»).
fn pending(sentence: &Sentence<'_>, trigger: &LexMatch) -> bool {
    let word = sentence.text[trigger.word_start..trigger.end].trim_start_matches(['و', 'ف']);
    let present = |w: &str| w.starts_with(['ي', 'ت', 'ن']);
    if word.strip_prefix('س').is_some_and(present) {
        return true;
    }
    present(word)
        && words_before(sentence.words, sentence.range.start, trigger.word_start, 1)
            .first()
            .is_some_and(|w| sentence.cues.is_when(&sentence.text[w.clone()]))
}

/// Every pair of a group's acting members, each way for a kind that has a direction.
fn pairs_within(actors: &[Actor], group: &Group, kind: RelationKind) -> Vec<(Side, Side)> {
    let acting = group.acting(actors);
    let mut pairs = Vec::new();
    for (i, &a) in acting.iter().enumerate() {
        for &b in &acting[i + 1..] {
            pairs.push((a, b));
            // «الحرب بين X و Y»: each side opposes the other.
            if !kind.is_symmetric() {
                pairs.push((b, a));
            }
        }
    }
    pairs
}

/// Subject members × object members. A capital that is met or visited is a place
/// («زار موسكو»), so it stands for its state only as the object of other kinds
/// («اتهمت واشنطن»).
fn pairs_across(
    actors: &[Actor],
    subject: &Group,
    object: &Group,
    kind: RelationKind,
) -> Vec<(Side, Side)> {
    // «وصل حفتر إلى القاهرة»: a capital one travels to stands for its state.
    let capitals = match (kind, object.preposition.as_deref()) {
        (RelationKind::Meets, Some("الي" | "ل")) => Capitals::Always,
        (RelationKind::Meets, _) => Capitals::Never,
        _ => Capitals::Unmarked,
    };
    let objects = object.acting_with(actors, capitals);
    subject
        .acting(actors)
        .into_iter()
        .flat_map(|s| objects.iter().map(move |&o| (s, o)))
        .collect()
}

/// One row per relation phenomenon of DESIGN.md, in the seed's own words, through the
/// whole pipeline with the built-in gazetteers.
#[cfg(test)]
mod tests {
    use super::{Folded, Range, words, words_before, words_starting_before};
    use crate::pipeline::extract::test_run as run;
    use crate::record::RelationKind;
    use crate::text::fold::is_word_char;
    use proptest::prelude::*;

    /// The words of `text[from..to]` by reading its characters: what the word list must give.
    fn words_by_char(text: &str, from: usize, to: usize) -> Vec<Range<usize>> {
        let mut found: Vec<Range<usize>> = Vec::new();
        let mut open: Option<usize> = None;
        for (i, c) in text[from..to].char_indices() {
            match (is_word_char(c), open) {
                (true, None) => open = Some(from + i),
                (false, Some(start)) => {
                    found.push(start..from + i);
                    open = None;
                }
                _ => {}
            }
        }
        found.extend(open.map(|start| start..to));
        found
    }

    proptest! {
        #![proptest_config(crate::testing::config(5_000))]

        /// The words of a range and the last words before a place, read from the word
        /// list, are those its characters make, for ranges that cut words too.
        #[test]
        fn word_lists_agree_with_the_characters(
            text in crate::testing::texts(&["و", "ليبيا", " ", "،", "x", "\n", "(", "ال"], 12),
            a in 0usize..64,
            b in 0usize..64,
            n in 0usize..4,
        ) {
            let folded = Folded::new(&text);
            let text = folded.text.as_str();
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let (from, to) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let expected = words_by_char(text, from, to.max(from));
            if from <= to {
                prop_assert_eq!(words(&folded.words, from..to).collect::<Vec<_>>(), expected.clone());
            }
            let last = expected[expected.len().saturating_sub(n)..].to_vec();
            prop_assert_eq!(words_before(&folded.words, from, to, n), last);
        }

        /// The widening search counts the words that start before a place as a search
        /// of all the words does, from every word on.
        #[test]
        fn widening_search_agrees_with_a_whole_search(
            text in crate::testing::texts(&["و", "ليبيا", " ", "،", "x", "\n", "ال"], 40),
            a in 0usize..200,
            b in 0usize..64,
        ) {
            let folded = Folded::new(&text);
            let spans = &folded.words[b.min(folded.words.len())..];
            let to = a.min(folded.text.len() + 1);
            prop_assert_eq!(
                words_starting_before(spans, to),
                spans.partition_point(|w| (w.start as usize) < to)
            );
        }
    }

    /// An expected relation: (kind, source, target, negated, hedged).
    type ExpectedRelation<'a> = (RelationKind, &'a str, &'a str, bool, bool);

    /// (text, expected relations).
    const RELATIONS: &[(&str, &[ExpectedRelation<'static>])] = &[
        (
            "كما جدد الرئيس الجزائري عبدالمجيد تبون التأكيد على دعم حكومة الوفاق والوقوف إلى جانب الليبيين؛",
            &[
                (RelationKind::Supports, "tebboune", "gna", false, false),
                (RelationKind::Supports, "tebboune", "LY", false, false),
            ],
        ),
        (
            "وناقش الرئيس السراج مع وزير الخارجية الإيطالي لويدجي دي مايو في طرابلس؛",
            &[(RelationKind::Meets, "sarraj", "dimaio", false, false)],
        ),
        (
            "جدد رئيس المجلس الرئاسي فائز السراج ورئيس الوزراء الإيطالي جوزيبي كونتي التأكيد على أن حل الأزمة الليبية لا يمكن أن يكون عسكريا.",
            &[(RelationKind::Meets, "sarraj", "conte", false, false)],
        ),
        (
            "لقاء للسراج وبرفقته وزير الداخلية فتحي باشاغا وقيادات عسكرية ليبية مع قائد القيادة العسكرية الأمريكية في إفريقيا وبرفقته السفير الأمريكي؛",
            &[
                (RelationKind::Meets, "sarraj", "africom", false, false),
                (RelationKind::Meets, "sarraj", "US", false, false),
                (RelationKind::Meets, "bashagha", "africom", false, false),
                (RelationKind::Meets, "bashagha", "US", false, false),
            ],
        ),
        (
            "وسبقت زيارة السراج للجزائر هذه اللقاءات؛",
            &[(RelationKind::Meets, "sarraj", "DZ", false, false)],
        ),
        (
            "وأشاد السراج خلال زيارته إلى إيطاليا بالمشاركة الإيطالية في نزع الألغام؛",
            &[
                (RelationKind::Supports, "sarraj", "IT", false, false),
                (RelationKind::Meets, "sarraj", "IT", false, false),
            ],
        ),
        (
            "التحالف بين حكومة الوفاق والدولة التركية غير موازين القوى على الأرض؛",
            &[(RelationKind::Allied, "gna", "TR", false, false)],
        ),
        // Those who speak for a party stand for it.
        (
            "والتقى وزير الخارجية الروسي سيرغي لافروف وفدا من حركة حماس في موسكو.",
            &[(RelationKind::Meets, "lavrov", "hamas", false, false)],
        ),
        (
            "ومؤخرا استقبل الرئيس الفرنسي إيمانويل ماكرون ممثلين عن قوات سوريا الديمقراطية.",
            &[(RelationKind::Meets, "macron", "sdf", false, false)],
        ),
        (
            "اجتمع ولي العهد السعودي الأمير محمد بن سلمان، الأربعاء، مع أعضاء من مجلس الشيوخ الأمريكي.",
            &[(RelationKind::Meets, "mbs", "us_senate", false, false)],
        ),
        // A relative clause on a verbal noun names who gives it, unless it receives.
        (
            "بحثنا الدعم الذي يقدمه الاتحاد الأوروبي إلى ليبيا وشعبها.",
            &[(RelationKind::Supports, "eu", "LY", false, false)],
        ),
        (
            "أعلن المغرب قطع العلاقات بسبب الدعم العسكري الذي يقدمه حزب الله لجبهة البوليساريو.",
            &[(
                RelationKind::Supports,
                "hezbollah",
                "polisario",
                false,
                false,
            )],
        ),
        (
            "وقال إن الدعم الذي تلقته بريطانيا يعد هزيمة للرئيس بوتين.",
            &[],
        ),
        (
            "البنتاغون يدرس خطوات لمواجهة سلوك إيران.",
            &[(RelationKind::Opposes, "pentagon", "IR", false, false)],
        ),
        // A noun, its adjectives, then «بين».
        (
            "وجاءت القمة التاريخية بين ترامب وكيم جونغ أون في سنغافورة.",
            &[(RelationKind::Meets, "trump", "kim_jong_un", false, false)],
        ),
        (
            "وقبل القمة التاريخية المرتقبة بين ترامب وكيم جونغ أون في سنغافورة.",
            &[(RelationKind::Meets, "trump", "kim_jong_un", false, true)],
        ),
        ("وحضر ترامب القمة الأوروبية في بروكسل.", &[]),
        // A call «ب» someone; a name with «ب» after a topic word is talked about.
        (
            "وأجرى وزير الخارجية الأمريكي مايك بومبيو اتصالا هاتفيا بنظيره الروسي سيرغي لافروف.",
            &[(RelationKind::Meets, "pompeo", "lavrov", false, false)],
        ),
        (
            "اتهم فريق خبراء الأمم المتحدة المعني باليمن #ميليشيا_الحوثي باستمرار عرقلة توزيع المساعدات.",
            &[(RelationKind::Opposes, "un", "houthis", false, false)],
        ),
        (
            "وأعرب الملك سلمان عن تقديره للدور الذي تقوم به الإمارات.",
            &[(RelationKind::Supports, "salman_king", "AE", false, false)],
        ),
        // A city after the noun of an agreement or a gathering names the event.
        ("وانتقد ترامب اتفاق باريس للمناخ.", &[]),
        (
            "ترامب يحدد محاور قمة هلسنكي مع بوتين",
            &[(RelationKind::Meets, "trump", "putin", false, false)],
        ),
        // A title in the past names a former holder, not today's.
        (
            "هاجم وزير الخارجية البريطاني السابق بوريس جونسون خطة رئيسة الوزراء تيريزا ماي.",
            &[(
                RelationKind::Opposes,
                "boris_johnson",
                "theresa_may",
                false,
                false,
            )],
        ),
        (
            "فرصة زيارة الرئيس المصري السابق حسني مبارك لباريس.",
            &[(RelationKind::Meets, "mubarak", "FR", false, false)],
        ),
        // A war between two sides: each opposes the other.
        (
            "ومنذ 2014، يشهد اليمن حربا بين المتمردين الحوثيين والقوات الحكومية اليمنية.",
            &[
                (RelationKind::Opposes, "houthis", "yemen_gov", false, false),
                (RelationKind::Opposes, "yemen_gov", "houthis", false, false),
            ],
        ),
        (
            "حديث المسؤول القطري جاء بعد أن سئل عن إمكانية نشوب حرب بين الولايات المتحدة وإيران.",
            &[
                (RelationKind::Opposes, "US", "IR", false, true),
                (RelationKind::Opposes, "IR", "US", false, true),
            ],
        ),
        (
            "فهل تندرج تحركات السراج نحو إيطاليا ضمن سياق تعزيز التحالفات القائمة لتصل إلى مستوى التحالف مع تركيا؟",
            &[(RelationKind::Allied, "sarraj", "TR", false, true)],
        ),
        (
            "لم يدعم تبون حكومة الوفاق.",
            &[(RelationKind::Supports, "tebboune", "gna", true, false)],
        ),
        (
            "إذا استقبل تبون السراج فسيكون ذلك مهما.",
            &[(RelationKind::Meets, "tebboune", "sarraj", false, true)],
        ),
        ("بحسب السراج أشاد بالمشاركة الإيطالية.", &[]),
        // A construct noun passes its preposition to its genitive, and stands between
        // a verbal noun and the name it governs.
        (
            "رحبت الجزائر بقرار حكومة الوفاق.",
            &[(RelationKind::Supports, "DZ", "gna", false, false)],
        ),
        (
            "وأكد تبون دعم جهود حكومة الوفاق.",
            &[(RelationKind::Supports, "tebboune", "gna", false, false)],
        ),
        // The antecedent of a relative pronoun is the object, whatever introduces it.
        (
            "قتل أعضاء في جبهة البوليساريو، التي تدعمها الجزائر في نزاعها مع المغرب.",
            &[(RelationKind::Supports, "DZ", "polisario", false, false)],
        ),
        // Co-subjects right before a joint trigger.
        (
            "وأضاف أن الصين والإمارات شريكان مهمان.",
            &[(RelationKind::Allied, "CN", "AE", false, false)],
        ),
        // Sanctions: the agent on the noun, the target after «على».
        (
            "أعلن ترامب أن العقوبات الأمريكية المفروضة على روسيا ستبقى على حالها.",
            &[(RelationKind::Opposes, "US", "RU", false, false)],
        ),
        // The people are not the state; a blocked condemnation backs its target.
        (
            "وأكد ترامب أن الشعب الأميركي يقف إلى جانب الشعب الإيراني.",
            &[],
        ),
        (
            "روسيا تجهض إدانة إيران في مجلس الأمن.",
            &[(RelationKind::Supports, "RU", "IR", false, false)],
        ),
        // A comma alone ends the subject before its object; a list needs «و».
        (
            "وتتهم السعودية والإمارات، إيران بتزويد ميليشيا الحوثي بالصواريخ.",
            &[
                (RelationKind::Opposes, "SA", "IR", false, false),
                (RelationKind::Opposes, "AE", "IR", false, false),
            ],
        ),
        // A battle owns the object its «مع» introduces.
        (
            "قال مصدر إن القوات اليمنية المدعومة من التحالف حققت تقدما إثر معارك عنيفة مع ميليشيات الحوثي.",
            &[(RelationKind::Opposes, "YE", "houthis", false, false)],
        ),
        // No subject across «لكنها».
        (
            "وانتقد ترمب الصين لكنها لن تهرب من حرب تجارية مع الولايات المتحدة.",
            &[(RelationKind::Opposes, "trump", "CN", false, false)],
        ),
        // A weekday after a name is no part of an unknown name, nor a side.
        (
            "استقبل العاهل السعودي الملك سلمان بن عبدالعزيز، الثلاثاء، الرئيس المصري عبدالفتاح السيسي.",
            &[(RelationKind::Meets, "salman_king", "sisi", false, false)],
        ),
        // A sentence that drops its subject takes the topic of the sentence before, or
        // of the one before that, but not from three sentences back.
        (
            "كان السراج في المدينة. وأشاد بالمشاركة الإيطالية.",
            &[(RelationKind::Supports, "sarraj", "IT", false, false)],
        ),
        (
            "كان السراج في المدينة. كانت الأجواء هادئة. وأشاد بالمشاركة الإيطالية.",
            &[(RelationKind::Supports, "sarraj", "IT", false, false)],
        ),
        (
            "كان السراج في المدينة. كانت الأجواء هادئة. كان الطقس باردا. وأشاد بالمشاركة الإيطالية.",
            &[],
        ),
        // A participle describes the noun right before it, whatever introduces the noun;
        // a compound instrumental takes its agent as genitive.
        (
            "وقال المالكي إن العمل العدائي من قبل الميليشيا الحوثية المدعومة من إيران يثبت تورط النظام.",
            &[(RelationKind::Supports, "IR", "houthis", false, false)],
        ),
        (
            "وتتمركز القوات المشتركة، بدعم ومشاركة قوات التحالف العربي، على مشارف الحديدة.",
            &[(
                RelationKind::Supports,
                "arab_coalition",
                "yemen_joint_forces",
                false,
                false,
            )],
        ),
        (
            "وكان تحالف دعم الشرعية في اليمن أعلن تنفيذ عمليات نوعية وواسعة ضد ميليشيات الحوثي.",
            &[(
                RelationKind::Opposes,
                "arab_coalition",
                "houthis",
                false,
                false,
            )],
        ),
        // Missiles launched at a party oppose it, named on the verb or on the noun.
        (
            "وقالت هايلي أن الصاروخ الذي أطلقه المتمردون الحوثيون على السعودية هو من صنع إيراني.",
            &[(RelationKind::Opposes, "houthis", "SA", false, false)],
        ),
        (
            "أدانت الولايات المتحدة بشدة إطلاق صواريخ حوثية على المملكة العربية السعودية.",
            &[
                (RelationKind::Opposes, "US", "houthis", false, false),
                (RelationKind::Opposes, "houthis", "SA", false, false),
            ],
        ),
        // Condemning an attack opposes its agent.
        (
            "وأدان عادل الجبير استهداف الحوثيين لمطار أبها.",
            &[(RelationKind::Opposes, "jubeir", "houthis", false, false)],
        ),
        // A lone head names its body again but does not act: no alliance either.
        (
            "وأعلن التحالف العربي إسقاط طائرة. وأكد التحالف أنه دمر مواقع للحوثيين.",
            &[],
        ),
        // A rejection's genitive is who rejects; what is rejected takes ل.
        (
            "وأكدت السعودية رفضها للتدخلات الإيرانية.",
            &[(RelationKind::Opposes, "SA", "IR", false, false)],
        ),
        // Who receives support is supported by the one it comes from.
        (
            "واتهمت السعودية الحوثيين بتلقي أسلحة من إيران.",
            &[
                (RelationKind::Opposes, "SA", "houthis", false, false),
                (RelationKind::Supports, "IR", "houthis", false, false),
            ],
        ),
        // A party named through what belongs to it takes the preposition before that.
        (
            "وكانت المملكة العربية السعودية ودولة الإمارات المتحدة قد فرضت عقوبات على شخصيات ومؤسسات مرتبطة بحزب الله.",
            &[
                (RelationKind::Opposes, "SA", "hezbollah", false, false),
                (RelationKind::Opposes, "AE", "hezbollah", false, false),
            ],
        ),
        (
            "نفذت مقاتلات تحالف دعم الشرعية في اليمن غارات جوية ضد مواقع للحوثيين.",
            &[(
                RelationKind::Opposes,
                "arab_coalition",
                "houthis",
                false,
                false,
            )],
        ),
        // A future, or a present after «عندما», has not happened yet.
        (
            "عندما يلتقي الرئيس الأمريكي دونالد ترامب بالرئيس الروسي فلاديمير بوتين.",
            &[(RelationKind::Meets, "trump", "putin", false, true)],
        ),
        (
            "عندما التقى ترامب بوتين في هلسنكي.",
            &[(RelationKind::Meets, "trump", "putin", false, false)],
        ),
        // A pronoun on أن is the subject of the clause it completes.
        (
            "وأكد ترامب، الذي انتقد مراراً الاتفاق مع إيران، أنه سيلتقي روحاني.",
            &[(RelationKind::Meets, "trump", "rouhani", false, true)],
        ),
        // The subject of a relative clause on a construct noun is the noun's genitive,
        // when the relative pronoun is the clause's object.
        (
            "أعربت مصر، السبت، عن رفضها لقانون الدولة القومية الذي أقرته إسرائيل.",
            &[(RelationKind::Opposes, "EG", "IL", false, false)],
        ),
        (
            "كما أشاد الرئيس اليمني عبد ربه منصور هادي بالدور الذي تقوم به قوات التحالف العربي.",
            &[(
                RelationKind::Supports,
                "hadi",
                "arab_coalition",
                false,
                false,
            )],
        ),
        (
            "أعربت دولة الكويت عن إدانتها للهجمات الصاروخية التي استهدفت المملكة العربية السعودية.",
            &[],
        ),
        // «نحن ندعم»: the first person plural is the speaker named before the quote.
        (
            "وقالت الخارجية الأميركية:\" نحن ندعم حق شركائنا السعوديين في الدفاع عن حدودهم\".",
            &[(RelationKind::Supports, "US", "SA", false, false)],
        ),
        (
            "ودان البيت الأبيض، في بيان \"الهجمات التي قام بها النظام الإيراني\"، مضيفا \"ندعم بقوة حق إسرائيل\".",
            &[(RelationKind::Supports, "white_house", "IL", false, false)],
        ),
        ("وأضافت ندين الرئيس تبون.", &[]),
        // The noun a passive participle describes still acts in its clause.
        (
            "الجيش اليمني المدعوم من السعودية يخوض معارك عنيفة مع ميليشيات الحوثي.",
            &[
                (RelationKind::Supports, "SA", "yemen_army", false, false),
                (RelationKind::Opposes, "yemen_army", "houthis", false, false),
            ],
        ),
        // Support one would need "without" is nobody's support.
        (
            "واشنطن: الأسد لا يشن هجوم كيمياوي بدون دعم روسيا وإيران.",
            &[],
        ),
        // A cancelled or put-off visit is negated.
        (
            "قرر سيرغي لافروف تأجيل زيارته المقررة لليونان.",
            &[(RelationKind::Meets, "lavrov", "GR", true, false)],
        ),
        // An indefinite nisba alone after a preposition is someone of that people.
        (
            "وفي القدس، أطلق شرطيون إسرائيليون النار على فلسطيني قرب باب المجلس.",
            &[],
        ),
        (
            "وشنت طائرات إسرائيلية غارات على مواقع سورية.",
            &[(RelationKind::Opposes, "IL", "SY", false, false)],
        ),
        // A nisba on a city is no state acting, nor one on a news outlet.
        ("وأدانت قطر قصف العاصمة السورية.", &[]),
        (
            "وأدانت قطر قصف القوات السورية.",
            &[(RelationKind::Opposes, "QA", "SY", false, false)],
        ),
        (
            "واتهمت شبكة الجزيرة القطرية الحكومة السورية.",
            &[(RelationKind::Opposes, "aljazeera", "SY", false, false)],
        ),
        // A nisba on an opposition, or right after a name, is no state acting.
        (
            "واتهمت المعارضة السورية نظام الرئيس بشار الأسد بارتكاب الانتهاكات.",
            &[],
        ),
        (
            "بعدما هاجم المسلحون الحوثيون اليمنيون ناقلة سعودية.",
            &[(RelationKind::Opposes, "houthis", "SA", false, false)],
        ),
        // A noun that a trigger governs is no act of that trigger's subject.
        (
            "وقال المتحدث إن الكويت تدين إطلاق الصواريخ على السعودية.",
            &[],
        ),
        // «بلاده» is the speaker's own country: no side against them.
        (
            "وكان الرئيس الأمريكي دونالد ترامب قد أعلن عزمه فرض تعريفات جمركية على واردات بلاده من الصلب.",
            &[],
        ),
        // The dateline's reporter is no side, nor the topic of the next sentence.
        (
            "دبي، الإمارات العربية المتحدة (CNN)-- في ثاني أيام زيارته إلى الصين، أجرى الرئيس المصري عبدالفتاح السيسي جولة.",
            &[],
        ),
        (
            "دبي، الإمارات العربية المتحدة (CNN)— قال مسؤول إن الوضع هادئ. جاء ذلك خلال زيارة للبحرين.",
            &[],
        ),
        // A capital one travels to stands for its state; a proposal is no support.
        (
            "قال نائب وزير الداخلية الإيطالي خلال زيارته إلى طرابلس إنه قدم اقتراحا لحكومة الوفاق.",
            &[(RelationKind::Meets, "IT", "LY", false, false)],
        ),
        (
            "وصل المشير خليفة حفتر إلى القاهرة.",
            &[(RelationKind::Meets, "haftar", "EG", false, false)],
        ),
        // Honorifics, a family name, a place, a time and a title chain stand between
        // the verb's subject and its object; so does an aside up to its comma.
        (
            "استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود في قصر السلام بجدة مساء أمس الرئيس المصري عبدالفتاح السيسي.",
            &[(RelationKind::Meets, "salman_king", "sisi", false, false)],
        ),
        (
            "والتقى سالفيني خلال زيارته الخاطفة إلى طرابلس، نائب رئيس المجلس الرئاسي أحمد معيتيق.",
            &[
                (RelationKind::Meets, "salvini", "maiteeq", false, false),
                (RelationKind::Meets, "salvini", "LY", false, false),
            ],
        ),
        // A news outlet interviews and reports; it meets no one (2018 ANT corpus).
        (
            "وقال هادي في لقاء مع بي بي سي من مدينة عدن جنوبي اليمن، إن عملية عاصفة الحزم من أنجح القرارات.",
            &[],
        ),
        // «نقلت X عن Y»: X is the source, Y the speaker who met.
        (
            "ونقلت وكالة فرانس برس عن الرئيس السوداني عمر البشير قوله للصحفيين عقب اجتماع مع الرئيس المصري عبد الفتاح السيسي.",
            &[(RelationKind::Meets, "omar_bashir", "sisi", false, false)],
        ),
        // A denial a few words before the trigger negates it.
        (
            "الناتو ينفي نيته إجراء محادثات مباشرة مع طالبان",
            &[(RelationKind::Meets, "nato", "taliban", true, false)],
        ),
        (
            "لكن طهران تنفي دعم الحوثيين عسكريا.",
            &[(RelationKind::Supports, "IR", "houthis", true, false)],
        ),
        // Cancelling, with the actor between, negates what is cancelled.
        (
            "ألغت كوريا الشمالية محادثات رفيعة المستوى مع كوريا الجنوبية.",
            &[(RelationKind::Meets, "KP", "KR", true, false)],
        ),
        // A player's contract with a club is sport.
        (
            "وقع النجم المصري محمد صلاح عقدا جديدا لمدة خمس سنوات مع نادي ليفربول الانجليزي.",
            &[],
        ),
        // A nisba on a people after a preposition («للشعب») names no state.
        (
            "بعد إجراء المراجعات حول مشروع الدعم الأمريكي للشعب الفلسطيني، قررت حكومة الرئيس الأمريكي وقف دعم قيمته 25 مليون دولار.",
            &[],
        ),
        // A sentence on a match tells of fixtures.
        (
            "ويلتقي منتخب السعودية مع منتخب مصر، الاثنين، في حين سيواجه منتخب تونس منتخب بنما، الخميس المقبل، في آخر مباريات المرحلة الأولى من المونديال.",
            &[],
        ),
        // A trading partner is no ally.
        (
            "كما أن الإمارات هي ثاني أكبر شريك تجاري للصين وأكبر سوق تصدير في الشرق الأوسط.",
            &[],
        ),
        // A nisba on the topic of a meeting is no participant.
        (
            "أردوغان يعلن عن قمة في اسطنبول بمشاركة فرنسا وألمانيا وروسيا لبحث النزاع السوري",
            &[
                (RelationKind::Meets, "FR", "DE", false, false),
                (RelationKind::Meets, "FR", "RU", false, false),
                (RelationKind::Meets, "DE", "RU", false, false),
            ],
        ),
        // An outlet the gazetteers lack, after an outlet's head, is interviewing.
        (
            "وأكد بومبيو في لقاء مع شبكة إية بي سي نيوز، إن كوريا الشمالية يجب أن تأخذ خطوات حاسمة.",
            &[],
        ),
        // A dateline with an en dash names where and who reports.
        (
            "دبي، الإمارات العربية المتحدة (CNN) – اتهم مصدر مسؤول في وزارة الخارجية السورية، أمريكا، بدعم داعش جويا.",
            &[],
        ),
        // An outlet backs no one: its reporter only tells of the support.
        (
            "وقال مراسل \"سكاي نيوز عربية\" إن المقاومة اليمنية، بدعم وإسناد من قوات التحالف العربي، تقدمت 8 كيلومترات باتجاه مدينة الحديدة.",
            &[],
        ),
        // A relative clause: the actor before «الذي» acts, even as an earlier object;
        // a clause that names its own subject and object, or a pronoun for the actor
        // after the verb, makes it no subject.
        (
            "ورحب المجلس برئاسة أحمد بن دغر، بالبيان الصادر عن مجلس الأمن الدولي الذي أدان الانتهاكات التي تقوم بها الميليشيا الحوثية.",
            &[(RelationKind::Opposes, "unsc", "houthis", false, false)],
        ),
        (
            "بشأن عملية تسميم الجاسوس سيرغي سكريبال والتي اتهمت بريطانيا موسكو بالوقوف وراءها.",
            &[(RelationKind::Opposes, "GB", "RU", false, false)],
        ),
        (
            "لكن الاتحاد الأوروبي يمكن أن ينتظر ليكون الرد متزامناً مع رد كندا التي فرضت عليها أيضاً الرسوم الأميركية.",
            &[(RelationKind::Opposes, "US", "CA", false, false)],
        ),
        // A state before a headline's colon is a label, a person a speaker.
        (
            "روسيا: إشارات على استعداد أميركا لهجمات صاروخية على سوريا",
            &[],
        ),
        (
            "نتانياهو: اليوم أفضل لمواجهة إيران",
            &[(RelationKind::Opposes, "netanyahu", "IR", false, false)],
        ),
    ];

    #[test]
    fn relations_follow_the_rules() {
        for (text, expected) in RELATIONS {
            let record = run(text);
            let got: Vec<ExpectedRelation<'_>> = record
                .relations
                .iter()
                .map(|r| {
                    (
                        r.kind,
                        r.source.entity.as_str(),
                        r.target.entity.as_str(),
                        r.negated,
                        r.hedged,
                    )
                })
                .collect();
            assert_eq!(got, *expected, "in «{text}»");
        }
    }

    #[test]
    fn evidence_points_into_the_original_text() {
        let text = "وناقش الرئيس السراج مع وزير الخارجية الإيطالي لويدجي دي مايو؛ ثم غادر.";
        let record = run(text);
        let chars: Vec<char> = text.chars().collect();
        let at = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        let relation = &record.relations[0];
        assert_eq!(at(relation.trigger.start, relation.trigger.end), "وناقش");
        assert_eq!(at(relation.source.start, relation.source.end), "السراج");
        assert_eq!(
            at(relation.target.start, relation.target.end),
            "لويدجي دي مايو"
        );
        assert_eq!(
            relation.sentence.text,
            at(relation.sentence.start, relation.sentence.end)
        );
        assert!(relation.sentence.text.ends_with('؛'));
        assert_eq!(relation.rule, "meets.discussed");
    }
}
