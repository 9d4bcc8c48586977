//! The cue word lists of the gazetteers, folded for word lookups: the closed word
//! classes that the resolver, the relation rules, the slot finder and the suggester all
//! ask about, kept apart from any one of them.

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use crate::gazetteer::{CueKind, EntityKey, EntityType, Gazetteer};
use crate::text::arabic::{stem, without_article};
use crate::text::fold::fold_surface;

/// The cue word lists, folded, for word lookups.
#[derive(Debug, Clone, Default)]
pub struct Cues {
    negation: HashSet<String>,
    hedge: HashSet<String>,
    when: HashSet<String>,
    companion: HashSet<String>,
    attribution: HashSet<String>,
    preposition: HashSet<String>,
    common: HashSet<String>,
    deputy: HashSet<String>,
    honorific: HashSet<String>,
    relative: HashSet<String>,
    particle: HashSet<String>,
    stop: HashSet<String>,
    construct: HashSet<String>,
    people: HashSet<String>,
    time: HashSet<String>,
    /// Every word of the gazetteer's titles («رئيس», «الوزراء», «الخارجية»).
    title_words: HashSet<String>,
    aside: HashSet<String>,
    /// Without «ال»: matched against a word's stem.
    heads: HashSet<String>,
    affiliation: HashSet<String>,
    representative: HashSet<String>,
    receiving: HashSet<String>,
    topic: HashSet<String>,
    event_head: HashSet<String>,
    past: HashSet<String>,
    contrast: HashSet<String>,
    name_link: HashSet<String>,
    denial: HashSet<String>,
    sport: HashSet<String>,
    other_sense: HashSet<String>,
    reporting: HashSet<String>,
    /// The entities whose name or an alias opens with an outlet head («وكالة», «قناة»).
    outlets: HashSet<EntityKey>,
    /// The one-word names and heads of the outlet list («قناة», «رويترز»).
    outlet_heads: HashSet<String>,
    /// Every word of the lists that end a name (see [`Cues::ends_name`]), in one set: a
    /// rule slot asks of each of its words.
    name_enders: HashSet<String>,
    /// The suggester's lists (see [`CueKind`]), folded, each word without «ال».
    suggest: FxHashMap<CueKind, HashSet<String>>,
}

impl Cues {
    /// Collects the cue lists of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer) -> Cues {
        let mut cues = Cues::default();
        for cue in &gazetteer.cues {
            let set = match cue.kind {
                CueKind::Negation => &mut cues.negation,
                CueKind::Hedge => &mut cues.hedge,
                CueKind::When => &mut cues.when,
                CueKind::Companion => &mut cues.companion,
                CueKind::Attribution => &mut cues.attribution,
                CueKind::Preposition => &mut cues.preposition,
                CueKind::Common => &mut cues.common,
                CueKind::Deputy => &mut cues.deputy,
                CueKind::Honorific => &mut cues.honorific,
                CueKind::Relative => &mut cues.relative,
                CueKind::Particle => &mut cues.particle,
                CueKind::Stop => &mut cues.stop,
                CueKind::Construct => &mut cues.construct,
                CueKind::People => &mut cues.people,
                CueKind::Time => &mut cues.time,
                CueKind::Aside => &mut cues.aside,
                CueKind::Contrast => &mut cues.contrast,
                CueKind::Affiliation => &mut cues.affiliation,
                CueKind::Representative => &mut cues.representative,
                CueKind::Receiving => &mut cues.receiving,
                CueKind::Topic => &mut cues.topic,
                CueKind::EventHead => &mut cues.event_head,
                CueKind::Past => &mut cues.past,
                CueKind::NameLink => &mut cues.name_link,
                CueKind::Denial => &mut cues.denial,
                CueKind::Sport => &mut cues.sport,
                CueKind::OtherSense => &mut cues.other_sense,
                CueKind::Reporting => &mut cues.reporting,
                // Read below, against the entities' names.
                CueKind::Outlet => continue,
                CueKind::NameTitle
                | CueKind::NameTitleWeak
                | CueKind::OrgHead
                | CueKind::Institution
                | CueKind::PlaceWord
                | CueKind::PlacePrefix
                | CueKind::Direction => {
                    cues.suggest.entry(cue.kind).or_default().extend(
                        cue.surfaces
                            .iter()
                            .map(|s| without_article(&fold_surface(s))),
                    );
                    continue;
                }
                CueKind::Head => {
                    cues.heads.extend(
                        cue.surfaces
                            .iter()
                            .map(|s| stem(&fold_surface(s)).to_string()),
                    );
                    continue;
                }
                // Matched as names, by the resolver.
                CueKind::HisCountry => continue,
            };
            set.extend(cue.surfaces.iter().map(|s| fold_surface(s)));
        }
        // An outlet's name is one of the list's names, or opens with one of its heads
        // («قناة», «وكالة الأنباء»).
        let outlet_names: Vec<String> = gazetteer
            .cues
            .iter()
            .filter(|c| c.kind == CueKind::Outlet)
            .flat_map(|c| &c.surfaces)
            .map(|s| fold_surface(s))
            .collect();
        cues.outlet_heads = outlet_names
            .iter()
            .filter(|name| !name.contains(' '))
            .cloned()
            .collect();
        let is_outlet_name = |name: &str| {
            let name = fold_surface(name);
            outlet_names.iter().any(|outlet| {
                name.strip_prefix(outlet.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
        };
        cues.outlets = gazetteer
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.entity_type == EntityType::Org
                    && std::iter::once(&e.name_ar)
                        .chain(&e.aliases)
                        .any(|name| is_outlet_name(name))
            })
            .map(|(key, _)| EntityKey(key as u32))
            .collect();
        cues.title_words = gazetteer
            .titles
            .iter()
            .flat_map(|t| &t.surfaces)
            .flat_map(|s| s.split_whitespace())
            .map(fold_surface)
            .collect();
        cues.name_enders = [
            &cues.stop,
            &cues.preposition,
            &cues.particle,
            &cues.negation,
            &cues.hedge,
            &cues.relative,
            &cues.attribution,
            &cues.companion,
            &cues.deputy,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        cues
    }

    /// Whether `surname` (folded) is a common word that never names a person alone.
    pub fn is_common(&self, surname: &str) -> bool {
        self.common.contains(surname)
    }

    /// Whether `word` (folded) makes the title after it a deputy's.
    pub fn is_deputy(&self, word: &str) -> bool {
        Cues::has(&self.deputy, word)
    }

    /// Whether `words` (folded, each without «ال»: see [`without_article`]) are in the
    /// suggester's list `kind`.
    pub fn lists(&self, kind: CueKind, words: &str) -> bool {
        self.suggest
            .get(&kind)
            .is_some_and(|set| set.contains(words))
    }

    /// Whether `word` (folded) ends a name: a stop word or any closed-class cue word
    /// (a preposition, particle, negation, relative pronoun ...).
    pub fn ends_name(&self, word: &str) -> bool {
        Cues::has(&self.name_enders, word)
    }

    /// Whether `word` (folded) is a time word, not counted between a trigger and an actor.
    pub(crate) fn is_time(&self, word: &str) -> bool {
        Cues::has(&self.time, word)
    }

    /// Whether `word` (folded) is a word of a title, not counted between a trigger and
    /// the name the title goes with («رئيس الوزراء الباكستاني عمران خان»).
    pub(crate) fn is_title_word(&self, word: &str) -> bool {
        Cues::has(&self.title_words, word)
    }

    /// Whether `word` (folded) opens a phrase set off up to the next comma.
    pub(crate) fn is_aside(&self, word: &str) -> bool {
        Cues::has(&self.aside, word)
    }

    /// Whether `word` (folded) names a population, whose nisba is no state acting.
    pub(crate) fn is_people(&self, word: &str) -> bool {
        Cues::has(&self.people, word)
    }

    /// Whether `word` (folded) opens a contrasting clause.
    pub(crate) fn is_contrast(&self, word: &str) -> bool {
        Cues::has(&self.contrast, word)
    }

    /// Whether `word` (folded) is a construct noun that stands between a verbal noun and
    /// the name it governs («دعم قرار الجيش»: support for the army).
    pub(crate) fn is_construct(&self, word: &str) -> bool {
        Cues::has(&self.construct, word)
    }

    /// The preposition a construct noun carries on to its genitive («بقرار» gives ب,
    /// «ولموقف» gives ل), when `word` (folded) is one.
    pub(crate) fn construct_preposition(&self, word: &str) -> Option<char> {
        let word = word.strip_prefix(['و', 'ف']).unwrap_or(word);
        let mut chars = word.chars();
        let preposition = chars.next().filter(|c| matches!(c, 'ب' | 'ل'))?;
        Cues::has(&self.construct, chars.as_str()).then_some(preposition)
    }

    /// Whether `word` (folded) is an honorific or rank, transparent between words.
    pub fn is_honorific(&self, word: &str) -> bool {
        Cues::has(&self.honorific, word)
    }

    /// Whether `word` (folded) negates the trigger after it.
    pub(crate) fn is_negation(&self, word: &str) -> bool {
        Cues::has(&self.negation, word)
    }

    /// Whether `word` (folded) makes its sentence a question or a condition.
    pub(crate) fn is_hedge(&self, word: &str) -> bool {
        Cues::has(&self.hedge, word)
    }

    /// Whether `word` (folded) is «عندما» or its like: see [`CueKind::When`].
    pub(crate) fn is_when(&self, word: &str) -> bool {
        Cues::has(&self.when, word)
    }

    /// Whether `word` (folded) joins a companion to the side before it («وبرفقته»).
    pub(crate) fn is_companion(&self, word: &str) -> bool {
        Cues::has(&self.companion, word)
    }

    /// Whether `word` (folded) introduces a source, not an actor («بحسب»).
    pub(crate) fn is_attribution(&self, word: &str) -> bool {
        Cues::has(&self.attribution, word)
    }

    /// Whether `word` (folded) is a relative pronoun, after which a verb has the noun
    /// before it as its subject.
    pub(crate) fn is_relative(&self, word: &str) -> bool {
        Cues::has(&self.relative, word)
    }

    /// Whether `word` (folded) names what belongs to a party, or says it belongs
    /// (see [`CueKind::Affiliation`]).
    pub(crate) fn is_affiliation(&self, word: &str) -> bool {
        Cues::has(&self.affiliation, word)
    }

    /// Whether `word` (folded) names people who speak for a party (see
    /// [`CueKind::Representative`]).
    pub(crate) fn is_representative(&self, word: &str) -> bool {
        Cues::has(&self.representative, word)
    }

    /// Whether `word` (folded) is a verb of receiving (see [`CueKind::Receiving`]).
    pub(crate) fn is_receiving(&self, word: &str) -> bool {
        Cues::has(&self.receiving, word)
    }

    /// Whether `word` (folded) makes the name after it with «ب» a topic (see
    /// [`CueKind::Topic`]).
    pub(crate) fn is_topic(&self, word: &str) -> bool {
        Cues::has(&self.topic, word)
    }

    /// Whether `word` (folded), with or without one proclitic, is a noun of agreements
    /// and gatherings named after a city (see [`CueKind::EventHead`]).
    pub(crate) fn is_event_head(&self, word: &str) -> bool {
        Cues::has(&self.event_head, word)
            || word
                .strip_prefix(['و', 'ف', 'ب', 'ل'])
                .is_some_and(|w| Cues::has(&self.event_head, w))
    }

    /// Whether `word` (folded) puts a title in the past (see [`CueKind::Past`]).
    pub(crate) fn is_past(&self, word: &str) -> bool {
        Cues::has(&self.past, word)
    }

    /// Whether `word` (folded) joins a name to the next word (see [`CueKind::NameLink`]).
    pub(crate) fn is_name_link(&self, word: &str) -> bool {
        Cues::has(&self.name_link, word)
    }

    /// Whether `stem` (folded, without proclitics) is a head that may name again a
    /// body named before (see [`CueKind::Head`]).
    pub(crate) fn is_head(&self, stem: &str) -> bool {
        self.heads.contains(stem)
    }

    /// Whether `word` (folded) may stand right before a verb-first clause («كما»,
    /// «وقد») without being the verb's subject.
    pub(crate) fn is_particle(&self, word: &str) -> bool {
        Cues::has(&self.particle, word)
    }

    /// Whether `word` (folded) denies or refuses what a trigger after it tells.
    pub(crate) fn is_denial(&self, word: &str) -> bool {
        Cues::has(&self.denial, word)
    }

    /// Whether `word` (folded) is a word of sport.
    pub(crate) fn is_sport(&self, word: &str) -> bool {
        Cues::has(&self.sport, word) || self.sport.contains(strip_preposition(word))
    }

    /// Whether `word` (folded), right after a trigger, gives it a sense that is no
    /// relation.
    pub(crate) fn is_other_sense(&self, word: &str) -> bool {
        self.other_sense.contains(word)
    }

    /// Whether `word` (folded) is a reporting verb («نقلت»).
    pub(crate) fn is_reporting(&self, word: &str) -> bool {
        Cues::has(&self.reporting, word)
    }

    /// Whether `entity` is a news outlet.
    pub(crate) fn is_outlet(&self, entity: EntityKey) -> bool {
        self.outlets.contains(&entity)
    }

    /// Whether `word` (folded) heads an outlet's name («شبكة فوكس نيوز»).
    pub(crate) fn is_outlet_head(&self, word: &str) -> bool {
        Cues::has(&self.outlet_heads, word) || self.outlet_heads.contains(strip_preposition(word))
    }

    /// Whether `word` (folded), with or without a leading و or ف, is in `set`.
    fn has(set: &HashSet<String>, word: &str) -> bool {
        set.contains(word)
            || word
                .strip_prefix(['و', 'ف'])
                .is_some_and(|rest| set.contains(rest))
    }

    /// The preposition `word` stands for, without a leading conjunction.
    pub(crate) fn preposition<'w>(&self, word: &'w str) -> Option<&'w str> {
        if self.preposition.contains(word) {
            return Some(word);
        }
        word.strip_prefix(['و', 'ف'])
            .filter(|rest| self.preposition.contains(*rest))
    }
}

/// `word` without a leading conjunction and a proclitic preposition ب or ل
/// («وبمباراة»); «لل» leaves the word without its article («للمنتخب»: «منتخب»).
fn strip_preposition(word: &str) -> &str {
    let word = word.strip_prefix(['و', 'ف']).unwrap_or(word);
    word.strip_prefix("لل")
        .or_else(|| word.strip_prefix(['ب', 'ل']))
        .unwrap_or(word)
}
