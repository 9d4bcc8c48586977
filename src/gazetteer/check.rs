//! What `actorgraph gazetteer check` reports: tenures of one office that overlap, and
//! surfaces that name several entities. These report; they change nothing in how
//! names resolve.

use super::{BUILTIN_FILES, EntityKey, Gazetteer, Origin, TitleKind};

impl Gazetteer {
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
}
