//! Gazetteers and rules: human-editable TSV files, validated on load.
//!
//! The formats are documented in `gazetteers/README.md`. Every file's header names its
//! kind, so a user's `--gazetteer` file is read the same way as the built-in ones.

mod check;
mod load;

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::record::{Date, MentionType, RelationKind};

pub use self::check::{Ambiguity, Overlap, SurfaceUse};
pub use self::load::GazetteerBuilder;

/// The gazetteer and rule files compiled into the binary (every `gazetteers/*.tsv`,
/// in sorted order), with the names errors use.
pub const BUILTIN_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_gazetteers.rs"));

/// Index of an entity in its [`Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityKey(pub u32);

/// Where a row was defined, for error messages and for `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// File name as given (built-in files use their path in the repository).
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What an entity is; decides its mention type and whether it can act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Per,
    /// An organisation, party, armed group, institution.
    #[serde(rename = "ORG")]
    Org,
    /// A country or state: reported as `LOC`, and an actor in relations.
    #[serde(rename = "GPE")]
    Gpe,
    /// A city or region: reported as `LOC`, never a relation endpoint.
    #[serde(rename = "LOC")]
    Loc,
    /// A named event (a conference, an operation's date).
    #[serde(rename = "EVENT")]
    Event,
}

impl EntityType {
    fn parse(text: &str) -> Option<EntityType> {
        Some(match text {
            "PER" => EntityType::Per,
            "ORG" => EntityType::Org,
            "GPE" => EntityType::Gpe,
            "LOC" => EntityType::Loc,
            "EVENT" => EntityType::Event,
            _ => return None,
        })
    }

    /// The type a mention of such an entity carries in the output.
    pub fn mention_type(self) -> MentionType {
        match self {
            EntityType::Per => MentionType::Per,
            EntityType::Org => MentionType::Org,
            EntityType::Gpe | EntityType::Loc => MentionType::Loc,
            EntityType::Event => MentionType::Event,
        }
    }

    /// Whether entities of this type can be a relation's source or target.
    pub fn is_actor(self) -> bool {
        matches!(self, EntityType::Per | EntityType::Org | EntityType::Gpe)
    }

    /// The name used in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Event => "EVENT",
        }
    }
}

/// A person, organisation, state, place or event.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Stable id, used in every output.
    pub id: String,
    /// What it is.
    pub entity_type: EntityType,
    /// Usual Arabic name.
    pub name_ar: String,
    /// English label.
    pub label_en: String,
    /// The entity's country, if any.
    pub country: Option<EntityKey>,
    /// Other surfaces.
    pub aliases: Vec<String>,
    /// For a capital city: the state it stands for when it acts («واشنطن تدعم ...»).
    pub capital_of: Option<EntityKey>,
    /// Where it was defined.
    pub origin: Origin,
}

/// A nisba form that points at a state (or at the EU).
#[derive(Debug, Clone)]
pub struct Demonym {
    /// The state.
    pub entity: EntityKey,
    /// The form as listed (masculine singular, or an irregular form).
    pub surface: String,
    /// Where it was defined.
    pub origin: Origin,
}

/// Whether a title names a person or the state itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// An office held by a person (رئيس الوزراء).
    Person,
    /// A person's office that needs no body: the article's country settles it (ولي العهد).
    Office,
    /// A word that, with a nisba, names the state (الدولة التركية).
    State,
    /// An office several people hold at once (a deputy prime minister, a member of a
    /// presidential council): the title alone names none of them, and overlapping
    /// tenures are expected, not reported.
    Shared,
}

/// A title or role word.
#[derive(Debug, Clone)]
pub struct Title {
    /// Id referenced by roles.
    pub id: String,
    /// Arabic title and its variants.
    pub surfaces: Vec<String>,
    /// English label.
    pub label_en: String,
    /// Person or state.
    pub kind: TitleKind,
    /// Where it was defined.
    pub origin: Origin,
}

/// Index of a title in its [`Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TitleKey(pub u32);

/// Who held an office, and when.
#[derive(Debug, Clone)]
pub struct Role {
    /// The office's title.
    pub title: TitleKey,
    /// The state or organisation, if the office belongs to one.
    pub of: Option<EntityKey>,
    /// The office holder.
    pub holder: EntityKey,
    /// First day in office.
    pub from: Date,
    /// Last day in office; `None` while in office.
    pub to: Option<Date>,
    /// Where it was defined.
    pub origin: Origin,
}

impl Role {
    /// Whether the tenure covers `date` (both ends included, so the day of a handover
    /// has two holders and the later start wins).
    pub fn holds_on(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }

    /// The tenure as `from..to` (`to` empty while in office), for messages.
    pub fn tenure(&self) -> String {
        match self.to {
            Some(to) => format!("{}..{to}", self.from),
            None => format!("{}..", self.from),
        }
    }
}

/// The sentence shape a trigger expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A verb; the subject follows (VSO) or precedes it.
    Verb,
    /// A verbal noun («لقاء», «زيارة», «دعم»).
    Noun,
    /// Fires only when two or more co-subjects act together.
    Joint,
    /// «التحالف بين X و Y»: every pair of the group after the trigger.
    Between,
    /// A passive participle or «بدعم من»: the group after the rule's preposition acts
    /// on the subject before («جبهة البوليساريو، المدعومة من الجزائر»).
    Passive,
    /// A verb carrying its object as a pronoun, in a relative clause: «حكومة الوفاق
    /// التي تدعمها الأمم المتحدة» — the group after acts on the group just before.
    ObjectFirst,
}

/// For a verbal noun: what the name right after it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genitive {
    /// Not a noun rule.
    None,
    /// «زيارة السراج»: the actor.
    Agent,
    /// «دعم حكومة الوفاق»: the one acted upon.
    Patient,
    /// As `Patient`, but the agent must be named on the noun itself («الهجوم
    /// الإسرائيلي على ...»): a clause subject is not taken, since one who condemns an
    /// attack («استنكر ترمب الهجوم على ...») did not make it.
    PatientNamed,
}

/// One relation rule: a set of trigger words with the shape around them.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Rule id, reported with every relation it yields.
    pub id: String,
    /// Relation kind.
    pub kind: RelationKind,
    /// Expected shape.
    pub shape: Shape,
    /// Role of a directly following name (nouns).
    pub genitive: Genitive,
    /// Folded prepositions that introduce the object; empty: the object follows directly.
    pub markers: Vec<String>,
    /// Trigger surfaces.
    pub surfaces: Vec<String>,
    /// Where it was defined.
    pub origin: Origin,
}

/// Closed word classes the rules rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueKind {
    /// Negates a following trigger (لم، لن، لا ...).
    Negation,
    /// Time words («أمس», «مساء», weekdays, months): not counted between a trigger and
    /// its actors («استقبل X مساء أمس Y»).
    Time,
    /// Words that open a phrase set off up to the next comma between a verb's subject
    /// and its object («التقى X خلال زيارته إلى طرابلس، Y»).
    Aside,
    /// Nouns for a population («الشعب», «المواطنين», «ضحايا»): a nisba on one names
    /// people, not their state acting («الشعب الإيراني»).
    People,
    /// Connectives that open a contrasting clause («لكنها», «بينما»): a subject named
    /// before one is not the subject after it.
    Contrast,
    /// Nouns that pass the preposition on them to the name in their genitive
    /// («رحبت إسرائيل بقرار الولايات المتحدة»: the welcome is of the United States).
    Construct,
    /// Makes a sentence a question or a condition (هل، لو، إذا).
    Hedge,
    /// «عندما» ("when"): before a present-tense trigger, what it tells has not
    /// happened yet.
    When,
    /// Adds a companion to a side (برفقة، وبرفقته).
    Companion,
    /// Introduces a source, not an actor (بحسب).
    Attribution,
    /// A preposition: a name after it is not a subject.
    Preposition,
    /// A common word or given name, never a surname on its own («صالح»).
    Common,
    /// Makes the title after it a deputy's («نائب وزير الخارجية»): not the office holder.
    Deputy,
    /// «his country» («بلاده»): the country of the person the sentence is about.
    HisCountry,
    /// Relative pronouns («الذي», «التي»): a verb after one has the noun before it as
    /// its subject.
    Relative,
    /// Words that may stand right before a verb-first clause («كما», «وقد», «حيث»): any
    /// other non-actor word there is the verb's subject.
    Particle,
    /// Honorifics and ranks before a name («معالي», «الشيخ», «المشير»): transparent
    /// when counting the words between a trigger and an actor.
    Honorific,
    /// Function words, time words and reporting verbs that never begin or continue a
    /// name: where a name that the gazetteers lack ends («التقى X أمس»).
    Stop,
    /// Titles a person's name follows at once («الوزير», «رئيس الوزراء»): where
    /// `gazetteer suggest` looks for people the gazetteers lack.
    NameTitle,
    /// Titles a name follows less surely («قائد», «المتحدث باسم»): looked at too, and
    /// ranked lower.
    NameTitleWeak,
    /// Heads of organisation names in construct state («حركة», «حزب»).
    OrgHead,
    /// Words that join a name to the next one («بن», «أبو», «آل»): the word after one is
    /// part of the name, even when it is a title or a preposition elsewhere («بندر بن
    /// سلطان», «الحسن بن علي»).
    NameLink,
    /// What belongs to a party, or says it does («مواقع», «التابعة», «مرتبطة»): a party
    /// named through it («ضد مواقع للحوثيين») takes the preposition before it.
    Affiliation,
    /// People who speak for a party («ممثلين», «وفدا»): the party named after them
    /// («اجتمع مع ممثلين من حركة طالبان») takes the preposition before them.
    Representative,
    /// Verbs of receiving («تلقته», «يحظى»): in a relative clause on a verbal noun
    /// («الدعم الذي تلقته بريطانيا»), the one after the verb gets, not gives.
    Receiving,
    /// Words that make the name after them with «ب» a topic («القضايا المتعلقة
    /// بسوريا»): the name is talked about, not met or supported.
    Topic,
    /// Nouns of agreements and gatherings named after a city («اتفاق باريس», «قمة
    /// هلسنكي»): the city after one names the event and stands for no state.
    EventHead,
    /// Words that put a title in the past («السابق», «حينها»): the title names a former
    /// holder, not the one on the article's date.
    Past,
    /// Definite heads («التحالف», «الحكومة») that, standing alone, name again the
    /// article's latest body whose name opens with them («التحالف العربي» ... «وأكد
    /// التحالف»).
    Head,
    /// Organisation heads that every state has («وزارة»): suggested only with a state.
    Institution,
    /// Words before a place name («مدينة», «مديرية»).
    PlaceWord,
    /// First words of two-word place names («سان», «دير», «رام»).
    PlacePrefix,
    /// Compass words («شمال»): «منطقة شمال سوريا» names part of a known place.
    Direction,
    /// Verbs and nouns of denying or refusing («ينفي», «رفضه»): a trigger a few words
    /// after one is negated («الناتو ينفي نيته إجراء محادثات مع طالبان»).
    Denial,
    /// Words of sport («مباراة», «المنتخب»): a sentence with one tells of games, and
    /// «مواجهة نيجيريا» or «التقى ريال مدريد» there is a fixture, not a relation.
    Sport,
    /// Words that, right after a trigger, give it a sense that is no relation: «الشريك
    /// التجاري» (a trading partner), «لقاء صحفي» (a press interview).
    OtherSense,
    /// Heads of news outlet names («وكالة», «قناة», «صحيفة»): an entity whose name or
    /// alias opens with one is an outlet, which reports and interviews but does not
    /// meet, and is never the side that acts.
    Outlet,
    /// Reporting verbs of «نقلت X عن Y» ("X quoted Y"): X is the source, Y the speaker.
    Reporting,
}

impl CueKind {
    /// Every cue's name in cues.tsv, in one table: the parser and the error that lists
    /// the names read it, so that a new cue cannot be left out of either.
    const NAMES: [(&'static str, CueKind); 38] = [
        ("negation", CueKind::Negation),
        ("construct", CueKind::Construct),
        ("people", CueKind::People),
        ("time", CueKind::Time),
        ("aside", CueKind::Aside),
        ("contrast", CueKind::Contrast),
        ("hedge", CueKind::Hedge),
        ("when", CueKind::When),
        ("companion", CueKind::Companion),
        ("attribution", CueKind::Attribution),
        ("preposition", CueKind::Preposition),
        ("common", CueKind::Common),
        ("deputy", CueKind::Deputy),
        ("his_country", CueKind::HisCountry),
        ("honorific", CueKind::Honorific),
        ("relative", CueKind::Relative),
        ("stop", CueKind::Stop),
        ("name_title", CueKind::NameTitle),
        ("name_title_weak", CueKind::NameTitleWeak),
        ("org_head", CueKind::OrgHead),
        ("name_link", CueKind::NameLink),
        ("head", CueKind::Head),
        ("affiliation", CueKind::Affiliation),
        ("representative", CueKind::Representative),
        ("receiving", CueKind::Receiving),
        ("topic", CueKind::Topic),
        ("event_head", CueKind::EventHead),
        ("past", CueKind::Past),
        ("institution", CueKind::Institution),
        ("place_word", CueKind::PlaceWord),
        ("place_prefix", CueKind::PlacePrefix),
        ("direction", CueKind::Direction),
        ("particle", CueKind::Particle),
        ("denial", CueKind::Denial),
        ("sport", CueKind::Sport),
        ("other_sense", CueKind::OtherSense),
        ("outlet", CueKind::Outlet),
        ("reporting", CueKind::Reporting),
    ];

    fn parse(text: &str) -> Option<CueKind> {
        CueKind::NAMES
            .iter()
            .find(|(name, _)| *name == text)
            .map(|&(_, kind)| kind)
    }

    /// The cue names, for an error: «negation, construct, ... or reporting».
    fn expected() -> String {
        let names: Vec<&str> = CueKind::NAMES.iter().map(|(name, _)| *name).collect();
        let (last, rest) = names.split_last().expect("cue names");
        format!("{} or {last}", rest.join(", "))
    }
}

/// One cue word list.
#[derive(Debug, Clone)]
pub struct Cue {
    /// Its class.
    pub kind: CueKind,
    /// Its words.
    pub surfaces: Vec<String>,
    /// Where it was defined.
    pub origin: Origin,
}

/// Everything the pipeline knows: entities, demonyms, titles, roles, rules and cues.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// All entities; [`EntityKey`] indexes this.
    pub entities: Vec<Entity>,
    /// Demonyms.
    pub demonyms: Vec<Demonym>,
    /// Titles; [`TitleKey`] indexes this.
    pub titles: Vec<Title>,
    /// Dated roles.
    pub roles: Vec<Role>,
    /// Relation rules.
    pub triggers: Vec<Trigger>,
    /// Cue word lists.
    pub cues: Vec<Cue>,
    by_id: FxHashMap<String, EntityKey>,
    /// The indices in `roles` of each title's rows, ascending, by [`TitleKey`]: the
    /// resolver asks for a title's holder at every office it meets, and going through
    /// all the roles each time would make that lookup a large share of its work.
    roles_by_title: Vec<Vec<u32>>,
    /// How many roles the index holds.
    indexed_roles: usize,
}

impl Gazetteer {
    /// The entity with `key`.
    pub fn entity(&self, key: EntityKey) -> &Entity {
        &self.entities[key.0 as usize]
    }

    /// Looks an entity up by id.
    pub fn lookup(&self, id: &str) -> Option<EntityKey> {
        self.by_id.get(id).copied()
    }

    /// The holder of `title` of `of` on `date`, if the roles say.
    pub fn office_holder(
        &self,
        title: TitleKey,
        of: Option<EntityKey>,
        date: Date,
    ) -> Option<EntityKey> {
        self.office_role(title, of, date)
            .map(|index| self.roles[index].holder)
    }

    /// The index in `roles` of the row that makes its holder the holder of `title` of
    /// `of` on `date` (the latest to start, should tenures overlap): the row that
    /// `gazetteer show` cites as the reason.
    pub fn office_role(&self, title: TitleKey, of: Option<EntityKey>, date: Date) -> Option<usize> {
        self.roles_of(title)
            .filter(|(_, r)| r.of == of && r.holds_on(date))
            .max_by_key(|(_, r)| r.from)
            .map(|(index, _)| index)
    }

    /// The roles of `title`, with their indices in `roles`, in file order.
    pub fn roles_of(&self, title: TitleKey) -> impl Iterator<Item = (usize, &Role)> {
        // Rows pushed onto `roles` after the build are not in the index: then every
        // row is looked at.
        let indexed = self.indexed_roles == self.roles.len();
        let rows = indexed.then(|| {
            self.roles_by_title
                .get(title.0 as usize)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&index| (index as usize, &self.roles[index as usize]))
        });
        let all = (!indexed).then(|| {
            self.roles
                .iter()
                .enumerate()
                .filter(move |(_, r)| r.title == title)
        });
        rows.into_iter().flatten().chain(all.into_iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cue_name_parses_to_its_kind_and_the_error_lists_them_all() {
        for (name, kind) in CueKind::NAMES {
            assert_eq!(CueKind::parse(name), Some(kind), "{name}");
            assert!(CueKind::expected().contains(name), "{name}");
        }
        assert!(CueKind::expected().ends_with(" or reporting"));
        assert_eq!(CueKind::parse("negatoin"), None);
    }

    /// The index of roles by title gives every title's rows in file order, as going
    /// through all the roles does, and rows pushed after the build are still found.
    #[test]
    fn roles_of_a_title_are_its_rows_in_order() {
        let mut gazetteer = Gazetteer::builtin().unwrap();
        let all = |g: &Gazetteer, title: TitleKey| -> Vec<usize> {
            (0..g.roles.len())
                .filter(|&i| g.roles[i].title == title)
                .collect()
        };
        let mut with_rows = 0;
        for title in (0..gazetteer.titles.len() as u32).map(TitleKey) {
            let indexed: Vec<usize> = gazetteer.roles_of(title).map(|(i, _)| i).collect();
            assert_eq!(indexed, all(&gazetteer, title), "title {title:?}");
            with_rows += usize::from(!indexed.is_empty());
        }
        assert!(with_rows > 20, "{with_rows}");
        let mut late = gazetteer.roles[0].clone();
        late.title = TitleKey(1);
        gazetteer.roles.push(late);
        let found: Vec<usize> = gazetteer.roles_of(TitleKey(1)).map(|(i, _)| i).collect();
        assert_eq!(found, all(&gazetteer, TitleKey(1)));
        assert_eq!(found.last(), Some(&(gazetteer.roles.len() - 1)));
    }
}
