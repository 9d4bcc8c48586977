//! Gazetteers and rules: human-editable TSV files, validated on load.
//!
//! The formats are documented in `gazetteers/README.md`. Every file's header names its
//! kind, so a user's `--gazetteer` file is read the same way as the built-in ones.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::GazetteerError;
use crate::record::{MentionType, RelationKind};

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

/// A calendar date, `YYYY-MM-DD`, comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: u16 = text[0..4].parse().ok()?;
        let month: u8 = text[5..7].parse().ok()?;
        let day: u8 = text[8..10].parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

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
    /// Makes a sentence a question or a condition (هل، لو، إذا).
    Hedge,
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
    /// Organisation heads that every state has («وزارة»): suggested only with a state.
    Institution,
    /// Words before a place name («مدينة», «مديرية»).
    PlaceWord,
    /// First words of two-word place names («سان», «دير», «رام»).
    PlacePrefix,
    /// Compass words («شمال»): «منطقة شمال سوريا» names part of a known place.
    Direction,
}

impl CueKind {
    fn parse(text: &str) -> Option<CueKind> {
        Some(match text {
            "negation" => CueKind::Negation,
            "hedge" => CueKind::Hedge,
            "companion" => CueKind::Companion,
            "attribution" => CueKind::Attribution,
            "preposition" => CueKind::Preposition,
            "common" => CueKind::Common,
            "deputy" => CueKind::Deputy,
            "his_country" => CueKind::HisCountry,
            "honorific" => CueKind::Honorific,
            "relative" => CueKind::Relative,
            "stop" => CueKind::Stop,
            "name_title" => CueKind::NameTitle,
            "name_title_weak" => CueKind::NameTitleWeak,
            "org_head" => CueKind::OrgHead,
            "institution" => CueKind::Institution,
            "place_word" => CueKind::PlaceWord,
            "place_prefix" => CueKind::PlacePrefix,
            "direction" => CueKind::Direction,
            "particle" => CueKind::Particle,
            _ => return None,
        })
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
    /// all the roles each time was over a quarter of its instructions.
    roles_by_title: Vec<Vec<u32>>,
    /// How many roles the index holds.
    indexed_roles: usize,
}

impl Gazetteer {
    /// A builder; by default it includes the built-in files.
    pub fn builder() -> GazetteerBuilder {
        GazetteerBuilder {
            builtin: true,
            files: Vec::new(),
        }
    }

    /// The built-in gazetteers and rules alone.
    pub fn builtin() -> Result<Gazetteer, GazetteerError> {
        Gazetteer::builder().build()
    }

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

    /// Every pair of roles of one office (title and body) whose tenures overlap, by the
    /// later row's position in the files. A `to` is the successor's `from`, so a
    /// tenure that ends on the day the next starts does not overlap it. Offices of a
    /// `shared` title are left out: several holders at once are their nature. Anywhere
    /// else an overlap is most likely a data error, and the resolver would silently
    /// pick the later holder.
    pub fn overlapping_tenures(&self) -> Vec<Overlap> {
        let mut offices: std::collections::BTreeMap<(u32, Option<EntityKey>), Vec<usize>> =
            std::collections::BTreeMap::new();
        for (index, role) in self.roles.iter().enumerate() {
            if self.titles[role.title.0 as usize].kind != TitleKind::Shared {
                offices
                    .entry((role.title.0, role.of))
                    .or_default()
                    .push(index);
            }
        }
        let mut overlaps = Vec::new();
        for mut rows in offices.into_values() {
            rows.sort_by_key(|&index| (self.roles[index].from, index));
            for (i, &earlier) in rows.iter().enumerate() {
                for &later in &rows[i + 1..] {
                    let ends = self.roles[earlier].to;
                    if ends.is_none_or(|to| self.roles[later].from < to) {
                        overlaps.push(Overlap { earlier, later });
                    }
                }
            }
        }
        overlaps.sort_by_key(|o| (o.later, o.earlier));
        overlaps
    }
}

/// Two rows of `roles` that give one office to two tenures at once; found by
/// [`Gazetteer::overlapping_tenures`] for `actorgraph gazetteer check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    /// Index in `roles` of the tenure that starts first.
    pub earlier: usize,
    /// Index in `roles` of the tenure that starts before the earlier one ends.
    pub later: usize,
}

/// Collects gazetteer sources, then loads and validates them.
#[derive(Debug, Clone)]
pub struct GazetteerBuilder {
    builtin: bool,
    files: Vec<PathBuf>,
}

impl GazetteerBuilder {
    /// Whether to include the built-in files (default true).
    pub fn builtin(&mut self, yes: bool) -> &mut GazetteerBuilder {
        self.builtin = yes;
        self
    }

    /// Adds a user file, or every `.tsv` file under a folder.
    pub fn add_path(&mut self, path: impl Into<PathBuf>) -> &mut GazetteerBuilder {
        self.files.push(path.into());
        self
    }

    /// Loads everything, checking every row and every cross-reference.
    pub fn build(&self) -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        if self.builtin {
            for (name, content) in BUILTIN_FILES {
                loader.load(Arc::from(*name), content)?;
            }
        }
        for path in &self.files {
            for file in tsv_files(path)? {
                let name: Arc<str> = Arc::from(file.display().to_string());
                let bytes = std::fs::read(&file).map_err(|e| GazetteerError::Io {
                    path: file.clone(),
                    source: e,
                })?;
                let content = String::from_utf8(bytes).map_err(|e| {
                    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                    let column = valid[line_start..].iter().filter(|&&b| b == b'\t').count() + 1;
                    GazetteerError::at(
                        &name,
                        line,
                        Some(column),
                        "the file is not valid UTF-8; save it as UTF-8",
                    )
                })?;
                // A spreadsheet may save a byte-order mark before the header.
                let content = content.strip_prefix('\u{feff}').unwrap_or(&content);
                loader.load(name, content)?;
            }
        }
        loader.finish()
    }
}

fn tsv_files(path: &Path) -> Result<Vec<PathBuf>, GazetteerError> {
    let io = |e| GazetteerError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    if !path.is_dir() {
        std::fs::metadata(path).map_err(io)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let entry_path = entry.map_err(io)?.path();
            if entry_path.is_dir() {
                stack.push(entry_path);
            } else if entry_path.extension().is_some_and(|e| e == "tsv") {
                files.push(entry_path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The file kinds, by their header.
const ENTITY_HEADER: &[&str] = &["id", "type", "name_ar", "label_en", "country", "aliases"];
const DEMONYM_HEADER: &[&str] = &["entity", "demonym"];
const TITLE_HEADER: &[&str] = &["id", "title_ar", "label_en", "kind", "aliases"];
const ROLE_HEADER: &[&str] = &["title", "of", "holder", "from", "to"];
const TRIGGER_HEADER: &[&str] = &["id", "kind", "shape", "genitive", "markers", "surfaces"];
const CUE_HEADER: &[&str] = &["cue", "surfaces"];
const CAPITAL_HEADER: &[&str] = &["city", "country"];

/// One data row, split, with its origin.
struct Row<'a> {
    origin: Origin,
    fields: Vec<&'a str>,
}

impl<'a> Row<'a> {
    fn get(&self, column: usize) -> &'a str {
        self.fields.get(column).copied().unwrap_or("").trim()
    }

    fn error(&self, column: usize, message: impl Into<String>) -> GazetteerError {
        GazetteerError::at(
            &self.origin.file,
            self.origin.line,
            Some(column + 1),
            message,
        )
    }

    fn required(&self, column: usize, name: &str) -> Result<&'a str, GazetteerError> {
        let value = self.get(column);
        if value.is_empty() {
            return Err(self.error(column, format!("`{name}` is empty")));
        }
        Ok(value)
    }
}

fn list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Rows waiting for cross-references to resolve.
#[derive(Default)]
struct Loader {
    gazetteer: Gazetteer,
    countries: Vec<(EntityKey, String, Origin)>,
    demonyms: Vec<(String, String, Origin)>,
    capitals: Vec<(String, String, Origin)>,
    roles: Vec<(Vec<String>, Origin)>,
    title_ids: HashMap<String, TitleKey>,
    trigger_ids: HashMap<String, Origin>,
}

impl Loader {
    fn load(&mut self, file: Arc<str>, content: &str) -> Result<(), GazetteerError> {
        let mut header: Option<Vec<&str>> = None;
        for (index, line) in content.lines().enumerate() {
            let line_no = index + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let Some(columns) = &header else {
                let columns: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
                kind_of(&columns).ok_or_else(|| {
                    let (column, closest) = closest_header(&columns);
                    GazetteerError::at(
                        &file,
                        line_no,
                        Some(column),
                        format!(
                            "unknown header `{}`; expected one of the formats in gazetteers/README.md (the closest is `{}`)",
                            columns.join("\\t"),
                            closest.join("\\t")
                        ),
                    )
                })?;
                header = Some(columns);
                continue;
            };
            let origin = Origin {
                file: file.clone(),
                line: line_no,
            };
            if fields.len() > columns.len() {
                return Err(GazetteerError::at(
                    &file,
                    line_no,
                    Some(columns.len() + 1),
                    format!(
                        "{} fields, but the header has {} columns",
                        fields.len(),
                        columns.len()
                    ),
                ));
            }
            let row = Row { origin, fields };
            match kind_of(columns).expect("checked with the header") {
                Kind::Entities => self.entity(row)?,
                Kind::Demonyms => {
                    let entity = row.required(0, "entity")?.to_string();
                    let demonym = row.required(1, "demonym")?.to_string();
                    self.demonyms.push((entity, demonym, row.origin));
                }
                Kind::Titles => self.title(row)?,
                Kind::Roles => {
                    let fields = row.fields.iter().map(|s| s.to_string()).collect();
                    self.roles.push((fields, row.origin));
                }
                Kind::Triggers => self.trigger(row)?,
                Kind::Capitals => {
                    let city = row.required(0, "city")?.to_string();
                    let country = row.required(1, "country")?.to_string();
                    self.capitals.push((city, country, row.origin));
                }
                Kind::Cues => {
                    let name = row.required(0, "cue")?;
                    let kind = CueKind::parse(name).ok_or_else(|| {
                        row.error(0, format!("unknown cue `{name}`; expected negation, hedge, companion, attribution, preposition, common, deputy, his_country, honorific, relative, particle, stop, name_title, name_title_weak, org_head, institution, place_word, place_prefix or direction"))
                    })?;
                    let surfaces = list(row.get(1));
                    self.gazetteer.cues.push(Cue {
                        kind,
                        surfaces,
                        origin: row.origin,
                    });
                }
            }
        }
        if header.is_none() {
            return Err(GazetteerError::at(
                &file,
                1,
                Some(1),
                "the file is empty: it needs a header row (see gazetteers/README.md)",
            ));
        }
        Ok(())
    }

    fn entity(&mut self, row: Row<'_>) -> Result<(), GazetteerError> {
        let id = row.required(0, "id")?;
        if !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
        {
            return Err(row.error(0, format!("id `{id}` may only hold A-Z a-z 0-9 _ . -")));
        }
        let type_name = row.required(1, "type")?;
        let entity_type = EntityType::parse(type_name).ok_or_else(|| {
            row.error(
                1,
                format!("unknown type `{type_name}`; expected PER, ORG, GPE, LOC or EVENT"),
            )
        })?;
        let name_ar = row.required(2, "name_ar")?.to_string();
        let label_en = row.required(3, "label_en")?.to_string();
        let key = EntityKey(self.gazetteer.entities.len() as u32);
        if let Some(previous) = self.gazetteer.by_id.get(id) {
            let previous = &self.gazetteer.entity(*previous).origin;
            return Err(row.error(
                0,
                format!("duplicate id `{id}`, first defined at {previous}"),
            ));
        }
        let country = row.get(4);
        if !country.is_empty() {
            self.countries
                .push((key, country.to_string(), row.origin.clone()));
        }
        self.gazetteer.by_id.insert(id.to_string(), key);
        self.gazetteer.entities.push(Entity {
            id: id.to_string(),
            entity_type,
            name_ar,
            label_en,
            country: None,
            aliases: list(row.get(5)),
            capital_of: None,
            origin: row.origin,
        });
        Ok(())
    }

    fn title(&mut self, row: Row<'_>) -> Result<(), GazetteerError> {
        let id = row.required(0, "id")?;
        let mut surfaces = vec![row.required(1, "title_ar")?.to_string()];
        surfaces.extend(list(row.get(4)));
        let kind = match row.required(3, "kind")? {
            "person" => TitleKind::Person,
            "office" => TitleKind::Office,
            "state" => TitleKind::State,
            "shared" => TitleKind::Shared,
            other => {
                return Err(row.error(
                    3,
                    format!(
                        "unknown title kind `{other}`; expected person, office, state or shared"
                    ),
                ));
            }
        };
        let key = TitleKey(self.gazetteer.titles.len() as u32);
        if self.title_ids.insert(id.to_string(), key).is_some() {
            return Err(row.error(0, format!("duplicate title id `{id}`")));
        }
        self.gazetteer.titles.push(Title {
            id: id.to_string(),
            surfaces,
            label_en: row.required(2, "label_en")?.to_string(),
            kind,
            origin: row.origin,
        });
        Ok(())
    }

    fn trigger(&mut self, row: Row<'_>) -> Result<(), GazetteerError> {
        let id = row.required(0, "id")?;
        if let Some(previous) = self.trigger_ids.get(id) {
            return Err(row.error(
                0,
                format!("duplicate rule id `{id}`, first defined at {previous}"),
            ));
        }
        let kind_name = row.required(1, "kind")?;
        let kind = RelationKind::parse(kind_name).ok_or_else(|| {
            row.error(
                1,
                format!("unknown kind `{kind_name}`; expected meets, supports, allied or opposes"),
            )
        })?;
        let shape = match row.required(2, "shape")? {
            "verb" => Shape::Verb,
            "noun" => Shape::Noun,
            "joint" => Shape::Joint,
            "between" => Shape::Between,
            "object_first" => Shape::ObjectFirst,
            "passive" => Shape::Passive,
            other => {
                return Err(row.error(
                    2,
                    format!("unknown shape `{other}`; expected verb, noun, joint, between, object_first or passive"),
                ));
            }
        };
        let genitive = match (shape, row.get(3)) {
            (Shape::Noun, "agent") => Genitive::Agent,
            (Shape::Noun, "patient") => Genitive::Patient,
            (Shape::Noun, "patient_named") => Genitive::PatientNamed,
            (Shape::Noun, other) => {
                return Err(row.error(
                    3,
                    format!("a noun rule needs genitive `agent`, `patient` or `patient_named`, not `{other}`"),
                ));
            }
            (_, "" | "-") => Genitive::None,
            (_, other) => {
                return Err(row.error(
                    3,
                    format!("genitive `{other}` only applies to noun rules; write -"),
                ));
            }
        };
        let markers = match row.get(4) {
            "" | "-" => Vec::new(),
            field => list(field)
                .iter()
                .map(|m| crate::text::fold::fold_surface(m))
                .collect(),
        };
        let surfaces = list(row.get(5));
        if surfaces.is_empty() {
            return Err(row.error(5, "a rule needs at least one trigger surface"));
        }
        self.trigger_ids.insert(id.to_string(), row.origin.clone());
        self.gazetteer.triggers.push(Trigger {
            id: id.to_string(),
            kind,
            shape,
            genitive,
            markers,
            surfaces,
            origin: row.origin,
        });
        Ok(())
    }

    fn resolve(
        &self,
        id: &str,
        origin: &Origin,
        column: usize,
    ) -> Result<EntityKey, GazetteerError> {
        self.gazetteer.lookup(id).ok_or_else(|| {
            GazetteerError::at(
                &origin.file,
                origin.line,
                Some(column + 1),
                format!("unknown entity id `{id}`"),
            )
        })
    }

    fn finish(mut self) -> Result<Gazetteer, GazetteerError> {
        for (key, country, origin) in std::mem::take(&mut self.countries) {
            let country_key = self.resolve(&country, &origin, 4)?;
            self.gazetteer.entities[key.0 as usize].country = Some(country_key);
        }
        for (city, country, origin) in std::mem::take(&mut self.capitals) {
            let city_key = self.resolve(&city, &origin, 0)?;
            let country_key = self.resolve(&country, &origin, 1)?;
            let err = |column: usize, message: String| {
                GazetteerError::at(&origin.file, origin.line, Some(column + 1), message)
            };
            if self.gazetteer.entity(city_key).entity_type != EntityType::Loc {
                return Err(err(0, format!("capital `{city}` is not a LOC entity")));
            }
            if self.gazetteer.entity(country_key).entity_type != EntityType::Gpe {
                return Err(err(1, format!("`{country}` is not a GPE entity")));
            }
            self.gazetteer.entities[city_key.0 as usize].capital_of = Some(country_key);
        }
        for (entity, surface, origin) in std::mem::take(&mut self.demonyms) {
            let key = self.resolve(&entity, &origin, 0)?;
            self.gazetteer.demonyms.push(Demonym {
                entity: key,
                surface,
                origin,
            });
        }
        for (fields, origin) in std::mem::take(&mut self.roles) {
            let field = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
            let err = |column: usize, message: String| {
                GazetteerError::at(&origin.file, origin.line, Some(column + 1), message)
            };
            let title = *self
                .title_ids
                .get(field(0))
                .ok_or_else(|| err(0, format!("unknown title id `{}`", field(0))))?;
            let of = match field(1) {
                "" => None,
                id => Some(self.resolve(id, &origin, 1)?),
            };
            let holder = self.resolve(field(2), &origin, 2)?;
            if self.gazetteer.entity(holder).entity_type != EntityType::Per {
                return Err(err(2, format!("holder `{}` is not a PER entity", field(2))));
            }
            let from = Date::parse(field(3))
                .ok_or_else(|| err(3, format!("`from` must be YYYY-MM-DD, not `{}`", field(3))))?;
            let to = match field(4) {
                "" => None,
                text => Some(Date::parse(text).ok_or_else(|| {
                    err(4, format!("`to` must be YYYY-MM-DD or empty, not `{text}`"))
                })?),
            };
            if to.is_some_and(|to| to < from) {
                return Err(err(4, "`to` is before `from`".to_string()));
            }
            self.gazetteer.roles.push(Role {
                title,
                of,
                holder,
                from,
                to,
                origin,
            });
        }
        let gazetteer = &mut self.gazetteer;
        gazetteer.roles_by_title = vec![Vec::new(); gazetteer.titles.len()];
        for (index, role) in gazetteer.roles.iter().enumerate() {
            gazetteer.roles_by_title[role.title.0 as usize].push(index as u32);
        }
        gazetteer.indexed_roles = gazetteer.roles.len();
        Ok(self.gazetteer)
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Entities,
    Demonyms,
    Titles,
    Roles,
    Triggers,
    Cues,
    Capitals,
}

/// For a header that matches no format: the 1-based column where it departs from the
/// format it is closest to, and that format.
fn closest_header(columns: &[&str]) -> (usize, &'static [&'static str]) {
    const FORMATS: &[&[&str]] = &[
        ENTITY_HEADER,
        DEMONYM_HEADER,
        TITLE_HEADER,
        ROLE_HEADER,
        TRIGGER_HEADER,
        CUE_HEADER,
        CAPITAL_HEADER,
    ];
    FORMATS
        .iter()
        .map(|format| {
            let same = format
                .iter()
                .zip(columns)
                .take_while(|(a, b)| a == b)
                .count();
            (same + 1, *format)
        })
        .rev()
        .max_by_key(|(column, _)| *column)
        .unwrap_or((1, ENTITY_HEADER))
}

fn kind_of(columns: &[&str]) -> Option<Kind> {
    let matches = |expected: &[&str], optional_source: bool| {
        columns.len() >= expected.len()
            && columns[..expected.len()] == *expected
            && (columns.len() == expected.len()
                || (optional_source
                    && columns.len() == expected.len() + 1
                    && columns[expected.len()] == "source"))
    };
    if matches(ENTITY_HEADER, true) {
        Some(Kind::Entities)
    } else if matches(DEMONYM_HEADER, true) {
        Some(Kind::Demonyms)
    } else if matches(TITLE_HEADER, false) {
        Some(Kind::Titles)
    } else if matches(ROLE_HEADER, true) {
        Some(Kind::Roles)
    } else if matches(TRIGGER_HEADER, false) {
        Some(Kind::Triggers)
    } else if matches(CUE_HEADER, false) {
        Some(Kind::Cues)
    } else if matches(CAPITAL_HEADER, true) {
        Some(Kind::Capitals)
    } else {
        None
    }
}

/// One use of a surface: an entity's name or alias, or a demonym of a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceUse {
    /// The entity the surface names.
    pub entity: EntityKey,
    /// The surface as written in its file.
    pub surface: String,
    /// True for a demonym (the entity is its state).
    pub demonym: bool,
    /// The row that gives it.
    pub origin: Origin,
}

impl SurfaceUse {
    /// True when the row is in a built-in file.
    pub fn is_builtin(&self) -> bool {
        BUILTIN_FILES
            .iter()
            .any(|(name, _)| *name == &*self.origin.file)
    }
}

/// A surface that, once folded, names more than one entity. The resolver then has to
/// choose; `actorgraph gazetteer check` lists these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    /// The surface as folded for matching.
    pub folded: String,
    /// One use per entity, in loading order.
    pub uses: Vec<SurfaceUse>,
}

impl Ambiguity {
    /// True when a user file gives the surface to an entity while a built-in file gives
    /// it to another: the user row shadows (or competes with) the built-in one.
    pub fn shadows_builtin(&self) -> bool {
        self.uses.iter().any(SurfaceUse::is_builtin) && self.uses.iter().any(|u| !u.is_builtin())
    }
}

impl Gazetteer {
    /// Every folded surface that names several entities, sorted by surface. Spelling
    /// is folded as in matching (hamza forms, ta marbuta, diacritics ...), and «عبد ال»
    /// counts as «عبدال». This reports; it changes nothing in how names resolve.
    pub fn ambiguities(&self) -> Vec<Ambiguity> {
        let key = |surface: &str| {
            crate::text::fold::fold_surface(surface)
                .replace("عبد ال", "عبدال")
                .replace("ابو ال", "ابوال")
        };
        let mut by_surface: std::collections::BTreeMap<String, Vec<SurfaceUse>> =
            std::collections::BTreeMap::new();
        let mut add = |surface: &str, entity: EntityKey, demonym: bool, origin: &Origin| {
            let folded = key(surface);
            if folded.is_empty() {
                return;
            }
            let uses = by_surface.entry(folded).or_default();
            if uses.iter().all(|u| u.entity != entity) {
                uses.push(SurfaceUse {
                    entity,
                    surface: surface.to_string(),
                    demonym,
                    origin: origin.clone(),
                });
            }
        };
        for (index, entity) in self.entities.iter().enumerate() {
            let key = EntityKey(index as u32);
            for surface in std::iter::once(&entity.name_ar).chain(&entity.aliases) {
                add(surface, key, false, &entity.origin);
            }
        }
        for demonym in &self.demonyms {
            add(&demonym.surface, demonym.entity, true, &demonym.origin);
        }
        by_surface
            .into_iter()
            .filter(|(_, uses)| uses.len() > 1)
            .map(|(folded, uses)| Ambiguity { folded, uses })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(content: &str) -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        loader.load(Arc::from("user.tsv"), content)?;
        loader.finish()
    }

    #[test]
    fn builtin_files_load() {
        let gazetteer = Gazetteer::builtin().expect("built-in gazetteers are valid");
        let sarraj = gazetteer.lookup("sarraj").expect("the seed's Sarraj");
        assert_eq!(gazetteer.entity(sarraj).entity_type, EntityType::Per);
        assert!(!gazetteer.triggers.is_empty());
    }

    /// (file content, expected error text): one row per kind of mistake.
    const BAD_FILES: &[(&str, &str)] = &[
        ("", "user.tsv:1:1: the file is empty"),
        ("foo\tbar\n", "user.tsv:1:1: unknown header"),
        (
            "id\ttype\tname\tlabel_en\tcountry\taliases\n",
            "user.tsv:1:3: unknown header `id\\ttype\\tname\\t",
        ),
        (
            "title\tof\tholder\tfrom\tto\tnotes\n",
            "user.tsv:1:6: unknown header",
        ),
        (
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPERSON\tس\tX\t\t\n",
            "user.tsv:2:2: unknown type `PERSON`",
        ),
        (
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\tس\tX\t\t\nx\tPER\tص\tY\t\t\n",
            "user.tsv:3:1: duplicate id `x`, first defined at user.tsv:2",
        ),
        (
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\t\tX\t\t\n",
            "user.tsv:2:3: `name_ar` is empty",
        ),
        (
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\tس\tX\tZZ\t\n",
            "user.tsv:2:5: unknown entity id `ZZ`",
        ),
        (
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\tس\tX\t\t\ta\tb\n",
            "user.tsv:2:7: 8 fields, but the header has 6 columns",
        ),
        (
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx y\tPER\tس\tX\t\t\n",
            "user.tsv:2:1: id `x y` may only hold",
        ),
    ];

    #[test]
    fn bad_rows_name_file_line_and_column() {
        for (content, expected) in BAD_FILES {
            let error = load(content).expect_err(content).to_string();
            assert!(
                error.starts_with(expected),
                "got `{error}`, want `{expected}`"
            );
        }
    }

    #[test]
    fn roles_resolve_by_date() {
        let content = "id\ttype\tname_ar\tlabel_en\tcountry\taliases\n\
            IT\tGPE\tإيطاليا\tItaly\tIT\t\n\
            conte\tPER\tجوزيبي كونتي\tGiuseppe Conte\tIT\t\n\
            draghi\tPER\tماريو دراغي\tMario Draghi\tIT\t\n\
            id\ttitle_ar\tlabel_en\tkind\taliases\n";
        // Two headers in one file are not allowed: the second is a data row.
        assert!(load(content).is_err());
        let mut loader = Loader::default();
        loader
            .load(
                Arc::from("e.tsv"),
                &content[..content.rfind("id\ttitle").unwrap()],
            )
            .unwrap();
        loader
            .load(Arc::from("t.tsv"), "id\ttitle_ar\tlabel_en\tkind\taliases\npm\tرئيس الوزراء\tPrime Minister\tperson\t\n")
            .unwrap();
        loader
            .load(
                Arc::from("r.tsv"),
                "title\tof\tholder\tfrom\tto\npm\tIT\tconte\t2018-06-01\t2021-02-13\npm\tIT\tdraghi\t2021-02-13\t2022-10-22\n",
            )
            .unwrap();
        let g = loader.finish().unwrap();
        let italy = g.lookup("IT");
        let at = |d| {
            g.office_holder(TitleKey(0), italy, Date::parse(d).unwrap())
                .map(|k| g.entity(k).id.clone())
        };
        assert_eq!(at("2020-06-23").as_deref(), Some("conte"));
        assert_eq!(at("2021-02-13").as_deref(), Some("draghi"));
        assert_eq!(at("2017-01-01"), None);
        assert_eq!(at("2023-01-01"), None);
    }
}

#[cfg(test)]
mod check_tests {
    use super::*;

    fn with_user_file(content: &str) -> Gazetteer {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.tsv");
        std::fs::write(&path, content).unwrap();
        Gazetteer::builder().add_path(&path).build().unwrap()
    }

    #[test]
    fn a_user_surface_of_a_builtin_name_shadows_it() {
        let gazetteer = with_user_file(
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\n\
             other_sarraj\tPER\tفائز السرّاج\tAnother Sarraj\t\t\n\
             mine_a\tORG\tهيئة الاختبار\tTest A\t\t\n\
             mine_b\tORG\tهيئه الاختبار\tTest B\t\t\n",
        );
        let ambiguities = gazetteer.ambiguities();
        let shadow = ambiguities
            .iter()
            .find(|a| {
                a.uses
                    .iter()
                    .any(|u| gazetteer.entity(u.entity).id == "other_sarraj")
            })
            .expect("the user's Sarraj shares the built-in surface");
        assert!(shadow.shadows_builtin());
        let ids: Vec<&str> = shadow
            .uses
            .iter()
            .map(|u| gazetteer.entity(u.entity).id.as_str())
            .collect();
        assert_eq!(ids, ["sarraj", "other_sarraj"]);
        assert!(shadow.uses[1].origin.to_string().ends_with("mine.tsv:2"));
        let user_only = ambiguities
            .iter()
            .find(|a| {
                a.uses
                    .iter()
                    .any(|u| gazetteer.entity(u.entity).id == "mine_a")
            })
            .expect("ة and ه fold together");
        assert!(!user_only.shadows_builtin());
    }

    #[test]
    fn builtin_ambiguities_are_reported_not_shadows() {
        let gazetteer = Gazetteer::builtin().unwrap();
        assert!(
            gazetteer
                .ambiguities()
                .iter()
                .all(|a| !a.shadows_builtin() && a.uses.len() > 1)
        );
    }

    #[test]
    fn overlapping_tenures_are_found_except_in_shared_offices() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, content: &str| std::fs::write(dir.path().join(name), content);
        // A made-up state, so that no built-in role takes part.
        write(
            "a_people.tsv",
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\n\
             XL\tGPE\tتستلاند\tTestland\tXL\t\n\
             xl_a\tPER\tزيد الأول\tA\tXL\t\n\
             xl_b\tPER\tزيد الثاني\tB\tXL\t\n\
             xl_c\tPER\tزيد الثالث\tC\tXL\t\n",
        )
        .unwrap();
        write(
            "b_titles.tsv",
            "id\ttitle_ar\tlabel_en\tkind\taliases\n\
             deputy_pm\tنائب رئيس الوزراء\tDeputy Prime Minister\tshared\t\n",
        )
        .unwrap();
        write(
            "c_roles.tsv",
            "title\tof\tholder\tfrom\tto\n\
             prime_minister\tXL\txl_a\t2010-01-01\t2012-01-01\n\
             prime_minister\tXL\txl_b\t2012-01-01\t\n\
             prime_minister\tXL\txl_c\t2011-06-01\t2013-01-01\n\
             deputy_pm\tXL\txl_a\t2012-01-01\t\n\
             deputy_pm\tXL\txl_c\t2012-01-01\t\n",
        )
        .unwrap();
        let gazetteer = Gazetteer::builder().add_path(dir.path()).build().unwrap();
        let pairs: Vec<(String, String, String)> = gazetteer
            .overlapping_tenures()
            .iter()
            .map(|o| {
                let earlier = &gazetteer.roles[o.earlier];
                let later = &gazetteer.roles[o.later];
                (
                    gazetteer.entity(earlier.holder).id.clone(),
                    gazetteer.entity(later.holder).id.clone(),
                    later.origin.to_string(),
                )
            })
            .collect();
        // A hands over to B on the day B starts: no overlap. C starts before A leaves
        // and stays after B came; the deputies are a shared office.
        let roles_file = dir.path().join("c_roles.tsv").display().to_string();
        assert_eq!(
            pairs,
            [
                ("xl_c".into(), "xl_b".into(), format!("{roles_file}:3")),
                ("xl_a".into(), "xl_c".into(), format!("{roles_file}:4")),
            ]
        );
    }

    #[test]
    fn builtin_tenures_do_not_overlap() {
        let gazetteer = Gazetteer::builtin().unwrap();
        let overlaps: Vec<String> = gazetteer
            .overlapping_tenures()
            .iter()
            .map(|o| gazetteer.roles[o.later].origin.to_string())
            .collect();
        assert_eq!(overlaps, Vec::<String>::new());
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

    #[test]
    fn a_byte_order_mark_before_the_header_is_ignored() {
        let gazetteer = with_user_file(
            "\u{feff}id\ttype\tname_ar\tlabel_en\tcountry\taliases\nbom\tORG\tهيئة\tB\t\t\n",
        );
        assert!(gazetteer.lookup("bom").is_some());
    }
}
