//! Resolution: from dictionary matches to the actors of one article.
//!
//! A title followed by a name is that person («وزير الخارجية الإيطالي لويدجي دي مايو»);
//! a title followed by a nisba or a body names an office («رئيس الوزراء الإيطالي»),
//! which resolves to its holder on the article's date, or else to the body itself
//! («السفير الأمريكي» is the United States acting); a state word with a nisba is the
//! state («الدولة التركية»); a surname alone counts only once the full name was seen.

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use crate::gazetteer::{EntityKey, EntityType, Gazetteer, TitleKey, TitleKind};
use crate::lexicon::LexMatch;
use crate::pipeline::cues::Cues;
use crate::record::Date;
use crate::record::MentionType;
use crate::text::arabic::Proclitics;
use crate::text::fold::is_word_char;

/// What a dictionary surface stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameValue {
    /// A name of an entity; `partial` for a derived surname.
    Entity {
        /// The entity.
        key: EntityKey,
        /// A surname derived from the full name, valid only after it.
        partial: bool,
    },
    /// A name that is also a common word («حماس»): the entity only where the article
    /// talks about one of the states of `gate` (an index into the extractor's gates).
    Gated {
        /// The entity.
        key: EntityKey,
        /// Index of its list of states.
        gate: u32,
    },
    /// A nisba of a state.
    Demonym(EntityKey),
    /// A title or role word.
    Title(TitleKey),
    /// «بلاده»: the country of the person just named.
    HisCountry,
    /// A relation trigger (index of the rule); never reaches the resolver.
    Trigger(u32),
}

/// One resolved name in the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedMention {
    /// Folded byte range.
    pub span: Range<usize>,
    /// Output type.
    pub mention_type: MentionType,
    /// The entity.
    pub entity: EntityKey,
    /// For an office named by its title, the index in the gazetteer's `roles` of the
    /// row that made `entity` its holder, so that a surprising holder can be traced
    /// to its row.
    pub role: Option<usize>,
}

/// One occurrence of an actor (or of a place that fills an actor's slot), as the
/// relation rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The entity that acts.
    pub entity: EntityKey,
    /// The span a relation points at: the name, or the title standing for it.
    pub span: Range<usize>,
    /// The whole phrase, title to name («وزير الداخلية فتحي باشاغا»).
    pub phrase: Range<usize>,
    /// Start of the first word of the phrase, proclitics included.
    pub word_start: usize,
    /// Proclitics on the phrase's first word.
    pub proclitics: Proclitics,
    /// True when the actor is only a nisba («المشاركة الإيطالية»).
    pub nisba: bool,
    /// False for places and events: they fill a slot in a sentence («زيارته إلى
    /// طرابلس») but are never a relation's source or target.
    pub acts: bool,
    /// For a capital: the state it stands for where it acts without a preposition
    /// («واشنطن تدعم»), not where it is a place («في طرابلس»).
    pub stands_for: Option<EntityKey>,
    /// For a state named by one of its offices whose holder the gazetteers do not know
    /// on the article's date («وزير الداخلية الليبي»): that office, so that a relation
    /// says the state acted through it, not as a whole.
    pub office: Option<TitleKey>,
}

/// The mentions and actors of one text.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Mentions, by start.
    pub mentions: Vec<ResolvedMention>,
    /// Actors, by start.
    pub actors: Vec<Actor>,
}

#[derive(Debug, Clone)]
struct Token {
    span: Range<usize>,
    word_start: usize,
    proclitics: Proclitics,
    value: NameValue,
}

/// Resolves the matches of one text (in order) against `gazetteer`.
pub(crate) fn resolve(
    gazetteer: &Gazetteer,
    text: &str,
    matches: &[LexMatch],
    values: &[NameValue],
    gates: &[Vec<EntityKey>],
    date: Option<Date>,
    cues: &Cues,
) -> Resolution {
    let context = Context::new(gazetteer, matches, values);
    let tokens = choose_values(gazetteer, matches, values, gates, &context);
    // About one mention and one actor per token: room for them at once, where growing
    // from nothing would take a few reallocations per text.
    let mut out = Resolution {
        mentions: Vec::with_capacity(tokens.len()),
        actors: Vec::with_capacity(tokens.len()),
    };
    let mut latest = Latest::default();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        match token.value {
            NameValue::Title(title) => {
                let scope = TitleScope {
                    gazetteer,
                    text,
                    date,
                    context: &context,
                    cues,
                };
                i = resolve_title(&scope, &tokens, i, title, &mut out)
            }
            NameValue::Entity { key, .. } => {
                let entity_type = gazetteer.entity(key).entity_type;
                out.mentions.push(ResolvedMention {
                    span: token.span.clone(),
                    mention_type: entity_type.mention_type(),
                    entity: key,
                    role: None,
                });
                let mut occurrence = actor(key, token, token.span.clone(), false);
                occurrence.acts = entity_type.is_actor();
                occurrence.stands_for = gazetteer.entity(key).capital_of;
                out.actors.push(occurrence);
                i += 1;
            }
            // Settled into `Entity` (or dropped) by `choose_values`; triggers are
            // split off before resolution.
            NameValue::Gated { .. } | NameValue::Trigger(_) => i += 1,
            NameValue::HisCountry => {
                // Not a name, so no mention; an actor when a person came before.
                latest.catch_up(gazetteer, &out);
                let country = latest
                    .person
                    .and_then(|person| gazetteer.entity(person).country);
                if let Some(country) = country {
                    // The relation points at the country's last name before, as a carried
                    // subject does; the pronoun itself names nothing.
                    let named = latest
                        .named
                        .get(&country)
                        .map_or(token.span.clone(), |span| span.clone());
                    let mut occurrence = actor(country, token, named, false);
                    occurrence.phrase = token.span.clone();
                    out.actors.push(occurrence);
                }
                i += 1;
            }
            NameValue::Demonym(key) => {
                out.mentions.push(ResolvedMention {
                    span: token.span.clone(),
                    mention_type: MentionType::Norp,
                    entity: key,
                    role: None,
                });
                // «والفرنسي إيمانويل ماكرون»: a nisba right before a person describes
                // the person, who alone acts.
                let person = tokens.get(i + 1).filter(|t| {
                    adjacent(text, token.span.end, t, false)
                        && matches!(t.value, NameValue::Entity { key, .. }
                            if gazetteer.entity(key).entity_type == EntityType::Per)
                });
                match person {
                    Some(person) => {
                        let NameValue::Entity {
                            key: person_key, ..
                        } = person.value
                        else {
                            unreachable!("filtered to a person")
                        };
                        out.mentions.push(ResolvedMention {
                            span: person.span.clone(),
                            mention_type: MentionType::Per,
                            entity: person_key,
                            role: None,
                        });
                        let mut occurrence = actor(person_key, token, person.span.clone(), false);
                        occurrence.phrase = token.span.start..person.span.end;
                        out.actors.push(occurrence);
                        i += 2;
                    }
                    None => {
                        out.actors.push(actor(key, token, token.span.clone(), true));
                        i += 1;
                    }
                }
            }
        }
    }
    out.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    out
}

/// The latest person among the actors resolved so far and the latest mention of each
/// entity, kept up as the resolution grows: what «بلاده» ("his country") looks back
/// for, found without scanning everything before it (an article of repeated pronouns
/// stays linear).
#[derive(Debug, Default)]
struct Latest {
    person: Option<EntityKey>,
    named: HashMap<EntityKey, Range<usize>>,
    actors_read: usize,
    mentions_read: usize,
}

impl Latest {
    /// Reads the actors and mentions added to `out` since the last call.
    fn catch_up(&mut self, gazetteer: &Gazetteer, out: &Resolution) {
        for actor in &out.actors[self.actors_read..] {
            if gazetteer.entity(actor.entity).entity_type == EntityType::Per {
                self.person = Some(actor.entity);
            }
        }
        for mention in &out.mentions[self.mentions_read..] {
            self.named.insert(mention.entity, mention.span.clone());
        }
        self.actors_read = out.actors.len();
        self.mentions_read = out.mentions.len();
    }
}

fn actor(entity: EntityKey, first: &Token, span: Range<usize>, nisba: bool) -> Actor {
    Actor {
        entity,
        phrase: first.span.start.min(span.start)..span.end,
        span,
        word_start: first.word_start,
        proclitics: first.proclitics,
        nisba,
        acts: true,
        stands_for: None,
        office: None,
    }
}

/// The states an article talks about, with how often: the context that settles
/// ambiguous names and titles without a nisba.
#[derive(Debug, Default)]
struct Context {
    countries: HashMap<EntityKey, usize>,
}

impl Context {
    /// Counts the countries of the matches that mean one thing only.
    fn new(gazetteer: &Gazetteer, matches: &[LexMatch], values: &[NameValue]) -> Context {
        let mut context = Context::default();
        for m in matches {
            let [value] = m.values.as_slice() else {
                continue;
            };
            let country = match values[*value as usize] {
                NameValue::Entity {
                    key,
                    partial: false,
                } => gazetteer.entity(key).country,
                NameValue::Demonym(key) => Some(key),
                _ => None,
            };
            if let Some(country) = country {
                *context.countries.entry(country).or_insert(0) += 1;
            }
        }
        context
    }

    fn weight(&self, country: Option<EntityKey>) -> usize {
        country
            .and_then(|c| self.countries.get(&c))
            .copied()
            .unwrap_or(0)
    }
}

/// Picks one value per match: a full name before a nisba before a title; among full
/// names, the one whose country the article talks about most; a derived surname only
/// for a person whose full name came earlier (the latest such person).
fn choose_values(
    gazetteer: &Gazetteer,
    matches: &[LexMatch],
    values: &[NameValue],
    gates: &[Vec<EntityKey>],
    context: &Context,
) -> Vec<Token> {
    let rank = |v: &NameValue| match v {
        NameValue::Entity { partial: false, .. } => 0,
        NameValue::Demonym(_) => 1,
        NameValue::Title(_) | NameValue::HisCountry => 2,
        NameValue::Entity { partial: true, .. }
        | NameValue::Gated { .. }
        | NameValue::Trigger(_) => 3,
    };
    let mut seen_people: Vec<EntityKey> = Vec::new();
    let mut tokens = Vec::with_capacity(matches.len());
    for m in matches {
        let candidates = m.values.iter().filter_map(|&v| match values[v as usize] {
            NameValue::Gated { key, gate } => gates[gate as usize]
                .iter()
                .any(|&state| context.weight(Some(state)) > 0)
                .then_some(NameValue::Entity {
                    key,
                    partial: false,
                }),
            value => Some(value),
        });
        let best_rank = candidates.clone().map(|v| rank(&v)).min();
        let full = candidates
            .clone()
            .filter(|v| Some(rank(v)) == best_rank && rank(v) < 3)
            .enumerate()
            .max_by_key(|(order, v)| {
                let weight = match v {
                    NameValue::Entity { key, .. } => context.weight(gazetteer.entity(*key).country),
                    _ => 0,
                };
                (weight, std::cmp::Reverse(*order))
            })
            .map(|(_, v)| v);
        let value = full.or_else(|| {
            seen_people
                .iter()
                .rev()
                .find(|&&p| {
                    candidates.clone().any(|v| {
                        v == NameValue::Entity {
                            key: p,
                            partial: true,
                        }
                    })
                })
                .map(|&key| NameValue::Entity { key, partial: true })
        });
        let Some(value) = value else { continue };
        if let NameValue::Entity {
            key,
            partial: false,
        } = value
        {
            if gazetteer.entity(key).entity_type == EntityType::Per {
                seen_people.retain(|&p| p != key);
                seen_people.push(key);
            }
        }
        tokens.push(Token {
            span: m.start..m.end,
            word_start: m.word_start,
            proclitics: m.proclitics,
            value,
        });
    }
    tokens
}

/// «محمد بن زايد آل نهيان ولي عهد أبوظبي»: only a family name «آل X» between a
/// person and the title that follows.
fn family_name_between(text: &str, end: usize, next: &Token) -> bool {
    next.word_start >= end
        && text[end..next.word_start]
            .trim_matches(' ')
            .strip_prefix("ال ")
            .is_some_and(|family| !family.is_empty() && family.chars().all(is_word_char))
}

/// A title without a body («ولي العهد», «خادم الحرمين الشريفين») names the holder
/// of the one office of that title, on that date, whose state the article talks
/// about; when several do, or none, it names nobody. Returns the index of the first
/// role that says so.
fn role_in_context(
    gazetteer: &Gazetteer,
    title: TitleKey,
    date: Date,
    context: &Context,
) -> Option<usize> {
    let mut roles = gazetteer
        .roles_of(title)
        .filter(|(_, r)| r.holds_on(date))
        .filter(|(_, r)| {
            context.weight(r.of.map(|of| gazetteer.entity(of).country.unwrap_or(of))) > 0
        });
    let (first, role) = roles.next()?;
    roles.all(|(_, r)| r.holder == role.holder).then_some(first)
}

/// Whether `next` follows `end` with only a space between (or, for an apposition,
/// a comma: «وزير الخارجية السعودي، عادل الجبير»), and no conjunction.
fn adjacent(text: &str, end: usize, next: &Token, comma: bool) -> bool {
    if next.proclitics.conjunction.is_some() || next.word_start < end {
        return false;
    }
    let gap = &text[end..next.word_start];
    let gap = gap.trim_matches(' ');
    gap.is_empty() || (comma && matches!(gap, "،" | ","))
}

/// What a title is read against: the gazetteer, the text, its date and context.
struct TitleScope<'a> {
    gazetteer: &'a Gazetteer,
    text: &'a str,
    date: Option<Date>,
    context: &'a Context,
    cues: &'a Cues,
}

/// Resolves the title at `tokens[i]`; returns the index of the next unread token.
fn resolve_title(
    scope: &TitleScope<'_>,
    tokens: &[Token],
    i: usize,
    title: TitleKey,
    out: &mut Resolution,
) -> usize {
    let TitleScope {
        gazetteer,
        text,
        date,
        context,
        cues,
    } = *scope;
    let title_token = &tokens[i];
    let mut next = i + 1;
    let mut end = title_token.span.end;
    // The body the office belongs to: a nisba, a state, or an organisation.
    let mut of: Option<(EntityKey, &Token)> = None;
    if let Some(token) = tokens.get(next).filter(|t| adjacent(text, end, t, false)) {
        let body = match token.value {
            NameValue::Demonym(key) => Some(key),
            NameValue::Entity {
                key,
                partial: false,
            } => match gazetteer.entity(key).entity_type {
                EntityType::Gpe | EntityType::Org => Some(key),
                // «ولي عهد أبوظبي», «محافظ البصرة»: an office of the place's state.
                EntityType::Loc => gazetteer.entity(key).country,
                _ => None,
            },
            _ => None,
        };
        if let Some(key) = body {
            of = Some((key, token));
            end = token.span.end;
            next += 1;
        }
    }
    let phrase = title_token.span.start..end;
    if gazetteer.titles[title.0 as usize].kind == TitleKind::State {
        // «الدولة التركية»: the state itself, one mention.
        if let Some((key, _)) = of {
            out.mentions.push(ResolvedMention {
                span: phrase.clone(),
                mention_type: gazetteer.entity(key).entity_type.mention_type(),
                entity: key,
                role: None,
            });
            out.actors.push(actor(key, title_token, phrase, false));
        }
        return next;
    }
    if let Some((_, token)) = of {
        let (mention_type, entity) = match token.value {
            NameValue::Demonym(key) => (MentionType::Norp, key),
            NameValue::Entity { key, .. } => {
                (gazetteer.entity(key).entity_type.mention_type(), key)
            }
            _ => unreachable!("a body is a nisba or a name"),
        };
        out.mentions.push(ResolvedMention {
            span: token.span.clone(),
            mention_type,
            entity,
            role: None,
        });
    }
    // «الرئيس الأمريكي السابق», «الرئيس الأمريكي حينها ريتشارد نيكسون»: a word of the past
    // after the title says it names a former holder, never today's.
    let past_end = {
        let rest = &text[end..];
        let gap = rest.len() - rest.trim_start_matches(' ').len();
        let word_len = rest[gap..]
            .find(|c: char| !is_word_char(c))
            .unwrap_or(rest.len() - gap);
        (word_len > 0 && cues.is_past(&rest[gap..gap + word_len])).then_some(end + gap + word_len)
    };
    // A person's name right after the title: the title describes that person.
    if let Some(person) = tokens
        .get(next)
        .filter(|t| adjacent(text, past_end.unwrap_or(end), t, true))
    {
        if let NameValue::Entity { key, .. } = person.value {
            if gazetteer.entity(key).entity_type == EntityType::Per {
                out.mentions.push(ResolvedMention {
                    span: person.span.clone(),
                    mention_type: MentionType::Per,
                    entity: key,
                    role: None,
                });
                let mut occurrence = actor(key, title_token, person.span.clone(), false);
                occurrence.phrase = title_token.span.start..person.span.end;
                out.actors.push(occurrence);
                return next + 1;
            }
        }
    }
    // «نائب وزير الداخلية»: a deputy is not the office holder.
    let word_before = text[..title_token.word_start]
        .trim_end()
        .rsplit(|c: char| !is_word_char(c))
        .next()
        .unwrap_or("");
    let deputy = cues.is_deputy(word_before);
    // A shared office (several deputy prime ministers at once) has no one holder.
    let kind = gazetteer.titles[title.0 as usize].kind;
    let role = date
        .filter(|_| !deputy && past_end.is_none() && kind != TitleKind::Shared)
        .and_then(|d| match of {
            Some((body, _)) => gazetteer.office_role(title, Some(body), d),
            None if kind == TitleKind::Office => role_in_context(gazetteer, title, d, context),
            None => None,
        });
    let holder = role.map(|index| gazetteer.roles[index].holder);
    if let Some(holder) = holder {
        out.mentions.push(ResolvedMention {
            span: phrase.clone(),
            mention_type: MentionType::Per,
            entity: holder,
            role,
        });
    }
    // «محمد بن زايد آل نهيان ولي عهد أبوظبي»: a title right after a person that is
    // that person's own office (or, unknown holder, an office of the person's country)
    // is an apposition, not a second actor.
    let previous_person = out.actors.last_mut().filter(|last| {
        i > 0
            && last.span == tokens[i - 1].span
            && gazetteer.entity(last.entity).entity_type == EntityType::Per
            && (adjacent(text, last.span.end, title_token, true)
                || family_name_between(text, last.span.end, title_token))
    });
    if let Some(person) = previous_person {
        let country = gazetteer.entity(person.entity).country;
        let same = match holder {
            Some(holder) => holder == person.entity,
            None => of.is_some_and(|(body, _)| Some(body) == country),
        };
        if same {
            person.phrase.end = end;
            return next;
        }
    }
    if let Some(holder) = holder {
        out.actors.push(actor(holder, title_token, phrase, false));
    } else if let Some((key, _)) = of {
        if gazetteer.entity(key).entity_type.is_actor() {
            let mut office = actor(key, title_token, phrase, false);
            office.office = Some(title);
            out.actors.push(office);
        }
    }
    next
}

/// One row per resolution phenomenon of DESIGN.md, in the seed's own words, through the
/// whole pipeline with the built-in gazetteers.
#[cfg(test)]
mod tests {
    use crate::pipeline::extract::test_run as run;
    use crate::record::MentionType;

    /// An expected mention: (text, type, entity).
    type ExpectedMention<'a> = (&'a str, MentionType, &'a str);

    /// (text, expected mentions).
    const MENTIONS: &[(&str, &[ExpectedMention<'static>])] = &[
        ("لقاء للسراج", &[("للسراج", MentionType::Per, "sarraj")]),
        (
            "زيارة السراج للجزائر",
            &[
                ("السراج", MentionType::Per, "sarraj"),
                ("للجزائر", MentionType::Loc, "DZ"),
            ],
        ),
        (
            "عبدالمجيد تبون",
            &[("عبدالمجيد تبون", MentionType::Per, "tebboune")],
        ),
        (
            "عبد المجيد تبون",
            &[("عبد المجيد تبون", MentionType::Per, "tebboune")],
        ),
        (
            "مع أمريكا ومع أميركا",
            &[
                ("أمريكا", MentionType::Loc, "US"),
                ("أميركا", MentionType::Loc, "US"),
            ],
        ),
        ("مشاركة إيطالية", &[("إيطالية", MentionType::Norp, "IT")]),
        (
            "مع الأمريكيين والإيطاليين",
            &[
                ("الأمريكيين", MentionType::Norp, "US"),
                ("الإيطاليين", MentionType::Norp, "IT"),
            ],
        ),
        (
            "ورئيس الوزراء الإيطالي التأكيد",
            &[
                ("رئيس الوزراء الإيطالي", MentionType::Per, "conte"),
                ("الإيطالي", MentionType::Norp, "IT"),
            ],
        ),
        (
            "وزير الخارجية الإيطالي لويدجي دي مايو",
            &[
                ("الإيطالي", MentionType::Norp, "IT"),
                ("لويدجي دي مايو", MentionType::Per, "dimaio"),
            ],
        ),
        (
            "بين حكومة الوفاق والدولة التركية",
            &[
                ("حكومة الوفاق", MentionType::Org, "gna"),
                ("الدولة التركية", MentionType::Loc, "TR"),
            ],
        ),
        (
            "مع قائد القيادة العسكرية الأمريكية في إفريقيا",
            &[(
                "القيادة العسكرية الأمريكية في إفريقيا",
                MentionType::Org,
                "africom",
            )],
        ),
        (
            "جوزيبي كونتي ثم كونتي",
            &[
                ("جوزيبي كونتي", MentionType::Per, "conte"),
                ("كونتي", MentionType::Per, "conte"),
            ],
        ),
        ("قال كونتي", &[]),
        (
            "اشتباكات بين إسرائيل وحماس",
            &[
                ("إسرائيل", MentionType::Loc, "IL"),
                ("حماس", MentionType::Org, "hamas"),
            ],
        ),
        ("استقبل المشجعون اللاعبين بحماس كبير", &[]),
        (
            "صوت مجلس النواب العراقي ثم عاد مجلس النواب إلى الانعقاد في بغداد",
            &[
                ("مجلس النواب العراقي", MentionType::Org, "iq_parliament"),
                ("مجلس النواب", MentionType::Org, "iq_parliament"),
                ("بغداد", MentionType::Loc, "baghdad"),
            ],
        ),
        (
            "اشتباكات في طرابلس شمال لبنان",
            &[
                ("طرابلس", MentionType::Loc, "tripoli_lb"),
                ("لبنان", MentionType::Loc, "LB"),
            ],
        ),
        (
            "اشتباكات في طرابلس بين ميليشيات ليبية",
            &[
                ("طرابلس", MentionType::Loc, "tripoli_ly"),
                ("ليبية", MentionType::Norp, "LY"),
            ],
        ),
        (
            "عملية إيريني الأوروبية",
            &[
                ("عملية إيريني", MentionType::Org, "irini"),
                ("الأوروبية", MentionType::Norp, "eu"),
            ],
        ),
        (
            "المشترك؛إضافة إلى ليبيا",
            &[("ليبيا", MentionType::Loc, "LY")],
        ),
    ];

    #[test]
    fn mentions_resolve_as_the_seed_needs() {
        for (text, expected) in MENTIONS {
            let record = run(text);
            let got: Vec<ExpectedMention<'_>> = record
                .mentions
                .iter()
                .map(|m| (m.text.as_str(), m.mention_type, m.entity.as_str()))
                .collect();
            assert_eq!(got, *expected, "in «{text}»");
        }
    }
}
