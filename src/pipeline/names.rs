//! The name tagger's side of the pipeline: what the gazetteers' matches tell it about each
//! word, and the names it finds that no entry covers.

use std::ops::Range;

use crate::gazetteer::{EntityKey, EntityType};
use crate::lexicon::LexMatch;
use crate::pipeline::cues::Cues;
use crate::pipeline::extract::Extractor;
use crate::pipeline::resolve::{NameValue, ResolvedMention};
use crate::record::MentionType;
use crate::tagger::{Hints, NameKind, Tagger, Token, names};
use crate::text::fold::Folded;

/// A name the tagger found that no gazetteer mention covers: an unknown actor, or a known
/// title holder's name the gazetteers lack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaggedName {
    /// Folded byte range.
    pub(crate) span: Range<usize>,
    /// What it names.
    pub(crate) kind: NameKind,
    /// How many words it has.
    pub(crate) words: usize,
    /// The known person it names, when it stands right after a title that stands for
    /// him («رئيس الوزراء التركي بن علي يلديريم»): his name written in a way the
    /// gazetteers lack, not a second, unknown person. A later surname alone inherits it.
    pub(crate) holder: Option<EntityKey>,
}

/// What `matches` (every lexicon match of `folded`, names and triggers) say of each of
/// `folded`'s words.
pub(crate) fn word_hints(
    extractor: &Extractor,
    folded: &Folded,
    matches: &[LexMatch],
) -> Vec<Hints> {
    let words = &folded.words;
    let names = extractor.name_words();
    let mut hints: Vec<Hints> = words
        .iter()
        .map(|w| {
            let word = &folded.text[w.start as usize..w.end as usize];
            Hints(names.get(word).copied().unwrap_or(0))
        })
        .collect();
    for m in matches {
        let mut bits = 0u16;
        for &v in &m.values {
            bits |= match extractor.name_value(v) {
                NameValue::Entity { key, .. } | NameValue::Gated { key, .. } => {
                    match extractor.gazetteer().entity(key).entity_type {
                        EntityType::Per => Hints::PERSON,
                        EntityType::Org => Hints::ORGANISATION,
                        EntityType::Gpe | EntityType::Loc => Hints::PLACE,
                        EntityType::Event => Hints::OTHER,
                    }
                }
                NameValue::Demonym(_) => Hints::NISBA,
                NameValue::Title(_) => Hints::TITLE,
                NameValue::Trigger(_) => Hints::TRIGGER,
                NameValue::HisCountry => 0,
            };
        }
        let first = words.partition_point(|w| (w.end as usize) <= m.start);
        for (i, word) in words[first..].iter().enumerate() {
            if word.start as usize >= m.end {
                break;
            }
            let here = &mut hints[first + i];
            here.0 |= bits;
            if i == 0 {
                here.0 |= Hints::FIRST;
            }
        }
    }
    hints
}

/// An article's gazetteer mentions (in order of start), asked whether a span overlaps
/// one by a search, not a scan, so that an article full of names stays linear.
pub(crate) struct Covered<'m> {
    mentions: &'m [ResolvedMention],
    /// The furthest end of the mentions up to each one.
    reach: Vec<usize>,
}

impl<'m> Covered<'m> {
    /// The cover of `mentions`, which are in order of start.
    pub(crate) fn new(mentions: &'m [ResolvedMention]) -> Covered<'m> {
        let reach = mentions
            .iter()
            .scan(0, |end, m| {
                *end = (*end).max(m.span.end);
                Some(*end)
            })
            .collect();
        Covered { mentions, reach }
    }

    /// Whether `span` overlaps a mention.
    pub(crate) fn overlaps(&self, span: &Range<usize>) -> bool {
        let before = self.mentions.partition_point(|m| m.span.start < span.end);
        before > 0 && self.reach[before - 1] > span.start
    }

    /// The known person whose title ends at `end` («رئيس الوزراء التركي» for Binali
    /// Yıldırım), if one does: a name right after it is that person's
    /// ([`TaggedName::holder`]).
    pub(crate) fn holder_title_ending_at(&self, end: usize) -> Option<EntityKey> {
        let before = self.mentions.partition_point(|m| m.span.start < end);
        (0..before)
            .rev()
            .take_while(|&k| self.reach[k] >= end)
            .map(|k| &self.mentions[k])
            .find(|m| m.span.end == end && m.role.is_some() && m.mention_type == MentionType::Per)
            .map(|m| m.entity)
    }
}

/// The names `tagger` finds in `folded`, sentence by sentence, that no gazetteer mention
/// overlaps and that are not titles, weekdays or other closed-class words alone: the
/// unknown actors' names, and the names of known title holders.
pub(crate) fn tagged_names(
    tagger: &Tagger,
    cues: &Cues,
    folded: &Folded,
    hints: &[Hints],
    sentences: &[Range<usize>],
    mentions: &Covered<'_>,
) -> Vec<TaggedName> {
    let text = folded.text.as_str();
    let words = &folded.words;
    let mut found = Vec::new();
    let mut first = 0;
    let mut bounds = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        let start = first + words[first..].partition_point(|w| (w.start as usize) < sentence.start);
        let end = start + words[start..].partition_point(|w| (w.end as usize) <= sentence.end);
        first = end;
        if start < end {
            bounds.push((start, end));
        }
    }
    let tokens: Vec<Vec<Token<'_>>> = bounds
        .iter()
        .map(|&(start, end)| {
            (start..end)
                .map(|i| Token {
                    word: &text[words[i].start as usize..words[i].end as usize],
                    hints: hints[i],
                })
                .collect()
        })
        .collect();
    // The whole field at once: a name read in one sentence helps read it in another.
    let tagged = tagger.tag_document(&tokens);
    for (&(start, _), labels) in bounds.iter().zip(tagged) {
        // Only spaces between two words: a name does not run over punctuation.
        let joined = |w: usize| {
            text[words[w].end as usize..words[w + 1].start as usize]
                .bytes()
                .all(|b| b == b' ')
        };
        for (i, j, kind) in names(&labels, |w| joined(start + w)) {
            // A title before or after the name («العميد», «الوزير») is not part of it,
            // nor a stop word («الثلاثاء», «أمس») or particle: the tagger reads some
            // weekdays after a name as part of it. Nor is a number («2018»).
            let outside = |w: usize| {
                let word = &text[words[w].start as usize..words[w].end as usize];
                hints[w].has(Hints::TITLE)
                    || cues.ends_name(word)
                    || !word.chars().any(char::is_alphabetic)
            };
            let (mut first, mut last) = (start + i, start + j);
            // A nisba before a person's name («الليبي» in «وزير الداخلية الليبي عبد
            // السلام عاشور») describes him: the tagger often takes it into the name, which
            // would then overlap the nisba's mention and be lost.
            while first < last && (outside(first) || hints[first].has(Hints::NISBA)) {
                first += 1;
            }
            let linked = |w: usize| {
                w > first
                    && cues
                        .is_name_link(&text[words[w - 1].start as usize..words[w - 1].end as usize])
            };
            while last > first && outside(last - 1) && !linked(last - 1) {
                last -= 1;
            }
            if first < last {
                let span = words[first].start as usize..words[last - 1].end as usize;
                let holder = (kind == NameKind::Per && first > start && joined(first - 1))
                    .then(|| mentions.holder_title_ending_at(words[first - 1].end as usize))
                    .flatten();
                if !mentions.overlaps(&span) {
                    found.push(TaggedName {
                        span,
                        kind,
                        words: last - first,
                        holder,
                    });
                }
            }
        }
    }
    found
}

/// `names` (in text order) with the later lone occurrences of an unknown person's
/// surname added, in text order: «جوناثان وينر ... وبحث السبسي مع وينر». The tagger
/// misses most surnames alone, and news names a person in full once, then by surname.
/// An occurrence inside a gazetteer mention or another name is not one.
pub(crate) fn with_surnames(
    cues: &Cues,
    folded: &Folded,
    names: Vec<TaggedName>,
    mentions: &Covered<'_>,
) -> Vec<TaggedName> {
    let text = folded.text.as_str();
    // Each surname, where its full name ends (only later words refer back) and whose it
    // is. A common word («الدين», «محمد») or a word that ends names never stands alone
    // for a person.
    let mut surnames: rustc_hash::FxHashMap<&str, (usize, Option<EntityKey>)> =
        rustc_hash::FxHashMap::default();
    for name in names
        .iter()
        .filter(|n| n.kind == NameKind::Per && n.words > 1)
    {
        if let Some((_, last)) = text[name.span.clone()].rsplit_once(' ')
            && last.chars().count() > 2
            && !cues.is_common(last)
            && !cues.ends_name(last)
        {
            surnames.entry(last).or_insert((name.span.end, name.holder));
        }
    }
    if surnames.is_empty() {
        return names;
    }
    let mut all = Vec::with_capacity(names.len());
    let mut names = names.into_iter().peekable();
    for w in &folded.words {
        let span = w.start as usize..w.end as usize;
        while let Some(name) = names.next_if(|n| n.span.start <= span.start) {
            all.push(name);
        }
        let word = &text[span.clone()];
        let surname = surnames
            .get(word)
            .or_else(|| word.strip_prefix('و').and_then(|w| surnames.get(w)));
        let inside_name = all.last().is_some_and(|n| n.span.end > span.start);
        if let Some(&(full_end, holder)) = surname
            && full_end <= span.start
            && !inside_name
            && !mentions.overlaps(&span)
        {
            all.push(TaggedName {
                span,
                kind: NameKind::Per,
                words: 1,
                holder,
            });
        }
    }
    all.extend(names);
    all
}

/// The mention type a tagged name is reported as.
pub(crate) fn mention_type(kind: NameKind) -> MentionType {
    match kind {
        NameKind::Per => MentionType::Per,
        NameKind::Org => MentionType::Org,
        NameKind::Loc => MentionType::Loc,
    }
}
