//! Reading the TSV files: every file's kind from its header, every row checked, and
//! the cross-references between files resolved once all are read.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    BUILTIN_FILES, Cue, CueKind, Date, Demonym, Entity, EntityKey, EntityType, Gazetteer, Genitive,
    Origin, Role, Shape, Title, TitleKey, TitleKind, Trigger,
};
use crate::error::GazetteerError;
use crate::record::RelationKind;

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
    // Walked as the input walker walks folders: hidden entries («._x.tsv», left by
    // macOS) left out, and each folder and file read once, however many symbolic links
    // lead to it (a link to a parent folder would otherwise be followed forty deep).
    let mut files = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !seen.insert(std::fs::canonicalize(&dir).map_err(io)?) {
            continue;
        }
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                entries.push(entry.path());
            }
        }
        // Sorted, so that of two ways to one file the same is always named.
        entries.sort();
        for entry_path in entries {
            if entry_path.is_dir() {
                stack.push(entry_path);
            } else if entry_path.extension().is_some_and(|e| e == "tsv")
                && seen.insert(std::fs::canonicalize(&entry_path).map_err(io)?)
            {
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
            // A NUL or an escape in a label reaches every output that shows it.
            for (column, field) in fields.iter().enumerate() {
                if let Some(c) = field.chars().find(|c| c.is_control()) {
                    return Err(GazetteerError::at(
                        &file,
                        line_no,
                        Some(column + 1),
                        format!(
                            "control character {} in the field; ids, names and labels are text",
                            c.escape_unicode()
                        ),
                    ));
                }
            }
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
                        row.error(
                            0,
                            format!("unknown cue `{name}`; expected {}", CueKind::expected()),
                        )
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
            "cue\tsurfaces\nnegatoin\tلم\n",
            "user.tsv:2:1: unknown cue `negatoin`; expected negation, construct,",
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

    #[test]
    fn a_byte_order_mark_before_the_header_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.tsv");
        std::fs::write(
            &path,
            "\u{feff}id\ttype\tname_ar\tlabel_en\tcountry\taliases\nbom\tORG\tهيئة\tB\t\t\n",
        )
        .unwrap();
        let gazetteer = Gazetteer::builder().add_path(&path).build().unwrap();
        assert!(gazetteer.lookup("bom").is_some());
    }
}
