//! One function per rule shape ([`Shape`]): where each finds its subject and object
//! among a sentence's groups around a trigger.

use std::ops::Range;

use super::{Group, Sentence, words, words_before};
use crate::gazetteer::{Genitive, Shape, Trigger};
use crate::lexicon::LexMatch;

/// What a rule found at one trigger.
pub(super) enum Applied<'s> {
    /// Nothing to relate.
    Nothing,
    /// The subject group acts on the object group.
    Across(&'s Group, &'s Group),
    /// Every pair of one group («جدد X و Y», «بين X و Y»).
    Within(&'s Group),
}

/// Applies one rule at one trigger.
pub(super) fn apply<'s>(sentence: &'s Sentence<'_>, rule: &Trigger, at: &LexMatch) -> Applied<'s> {
    match rule.shape {
        Shape::Verb => verb(sentence, rule, at),
        Shape::Joint => joint(sentence, at),
        Shape::Passive => passive(sentence, rule, at),
        Shape::ObjectFirst => object_first(sentence, at),
        Shape::Between => between(sentence, at),
        Shape::Noun => noun(sentence, rule, at),
    }
}

/// Whether one of the rule's prepositions introduces `g`.
fn marked(rule: &Trigger, g: &Group) -> bool {
    g.preposition
        .as_ref()
        .is_some_and(|p| rule.markers.iter().any(|m| m == p))
}

/// Whether nothing introduces `g`: no preposition, no attribution.
fn unmarked(g: &Group) -> bool {
    g.preposition.is_none() && !g.attributed
}

/// The subject acting on `object`, if there is one.
fn across<'s>(subject: &'s Group, object: Option<&'s Group>) -> Applied<'s> {
    match object {
        Some(object) => Applied::Across(subject, object),
        None => Applied::Nothing,
    }
}

/// The object of `subject` after `from`: a group the rule's preposition introduces, or
/// one that follows directly where the rule allows it.
fn object_after<'s>(
    sentence: &'s Sentence<'_>,
    rule: &Trigger,
    from: usize,
    subject: &Group,
) -> Option<&'s Group> {
    // `-` among the markers: the object may also follow directly («التقى X Y»).
    let direct = rule.markers.is_empty() || rule.markers.iter().any(|m| m == "-");
    let from = sentence.after_apposition(from);
    sentence
        .groups_from(from)
        .iter()
        .map(|g| (g, sentence.word_count(from, g.start, 6)))
        .take_while(|&(_, words)| words <= 6)
        .filter(|&(g, _)| !sentence.owned_by_nearer(from, g))
        .find(|&(g, words)| {
            marked(rule, g)
                || (direct
                    && words <= 4
                    && unmarked(g)
                    && g.start != subject.start
                    && !g.acting(sentence.actors).is_empty())
        })
        .map(|(g, _)| g)
}

/// [`Shape::Verb`].
fn verb<'s>(sentence: &'s Sentence<'_>, rule: &Trigger, at: &LexMatch) -> Applied<'s> {
    // «وقالت الخارجية الأميركية: "نحن ندعم حق شركائنا السعوديين"»: a verb in the first
    // person plural has the speaker as its subject, and everything after it is object.
    let word = sentence.text[at.word_start..at.end].trim_start_matches(['و', 'ف']);
    let first_plural = word.strip_prefix('ن').is_some_and(|stem| {
        rule.surfaces
            .iter()
            .any(|s| s.strip_prefix('ي') == Some(stem))
    });
    if first_plural {
        // The speaker is named before the first quotation mark or colon, which opens the words
        // spoken; with none, «ندين» may be a name («وأضافت ندين»).
        let opened = sentence.text[sentence.range.start..at.word_start]
            .find([':', '"', '“', '«'])
            .map(|at| sentence.range.start + at);
        let speaker = opened.and_then(|opened| sentence.subject_before(opened));
        return match speaker {
            Some(speaker) => across(speaker, object_after(sentence, rule, at.end, speaker)),
            None => Applied::Nothing,
        };
    }
    if let Some(applied) = relative_clause(sentence, rule, at) {
        return applied;
    }
    // Subject–verb–object when an actor stands right before the verb
    // («نتانياهو زار موسكو», «أن مصر تدعم ...»); else verb–subject–object.
    let right_before = sentence.subject_before(at.word_start).filter(|g| {
        sentence.within_words(g.end, at.word_start, 1)
            && !sentence.text[g.end..at.word_start]
                .contains(['(', ')', '-', '—', '،', ',', ':', '"', '«', '»'])
            && !g.acting(sentence.actors).is_empty()
    });
    match right_before {
        Some(subject) => across(subject, object_after(sentence, rule, at.end, subject)),
        None => verb_first(sentence, rule, at),
    }
}

/// [`Shape::Verb`] right after a relative pronoun that follows an actor: «بيان مجلس
/// الأمن الذي أدان الانتهاكات»: the actor is the subject, even as the object of an
/// earlier trigger. Where the clause names its own subject and object right after the
/// verb («سكريبال والتي اتهمت بريطانيا موسكو»), they are the verb's; where a pronoun
/// after the verb stands for the actor («مايكل يانغ الذي التقى معه مالوري», «كندا التي
/// فرضت عليها الرسوم»), the actor is the object; «فيها» and «منها» tell of a thing or a
/// place («الدعوى التي تتهم فيها»), not of the actor. None when no relative pronoun stands there.
fn relative_clause<'s>(
    sentence: &'s Sentence<'_>,
    rule: &Trigger,
    at: &LexMatch,
) -> Option<Applied<'s>> {
    let text = sentence.text;
    let before = words_before(sentence.words, sentence.range.start, at.word_start, 2);
    let [antecedent_word, pronoun] = before.as_slice() else {
        return None;
    };
    if !sentence.cues.is_relative(&text[pronoun.clone()])
        || !text[antecedent_word.end..pronoun.start].trim().is_empty()
    {
        return None;
    }
    let antecedent = sentence.groups_before(pronoun.start).next().filter(|g| {
        g.end >= antecedent_word.start
            && g.members.len() == 1
            && !g.acting(sentence.actors).is_empty()
    })?;
    let resumptive = words(sentence.words, at.end..sentence.range.end)
        .next()
        .is_some_and(|w| {
            let word = &text[w];
            ["هما", "هم", "ها", "ه"]
                .iter()
                .filter_map(|suffix| word.strip_suffix(suffix))
                .any(|rest| matches!(rest, "ب" | "ل" | "مع" | "علي" | "الي" | "عن"))
        });
    if resumptive {
        return Some(match sentence.group_after(at.end, 3, unmarked) {
            Some(subject) => Applied::Across(subject, antecedent),
            None => Applied::Nothing,
        });
    }
    let own = sentence
        .group_after(at.end, 2, unmarked)
        .and_then(|subject| Some((subject, object_after(sentence, rule, subject.end, subject)?)))
        .filter(|(subject, object)| {
            unmarked(object) && text[subject.end..object.start].trim().is_empty()
        });
    Some(match own {
        Some((subject, object)) => Applied::Across(subject, object),
        None => match object_after(sentence, rule, at.end, antecedent) {
            Some(object) if !text[at.end..object.start].contains(['،', ',']) => {
                Applied::Across(antecedent, object)
            }
            _ => Applied::Nothing,
        },
    })
}

/// [`Shape::Verb`] with no actor right before the verb: verb–subject–object, unless
/// the words before the verb say that its subject is no actor.
fn verb_first<'s>(sentence: &'s Sentence<'_>, rule: &Trigger, at: &LexMatch) -> Applied<'s> {
    // The two words before the verb: [word before last, last word].
    let before = words_before(sentence.words, sentence.range.start, at.word_start, 2);
    let last_word = before.last();
    let word_before_last = (before.len() == 2).then(|| &before[0]);
    // «وأكد ترامب أنه سيلتقي روحاني»: a pronoun on أن stands for the subject of the
    // clause it completes.
    if let Some(w) = last_word.filter(|w| {
        let word = &sentence.text[(*w).clone()];
        matches!(
            word.strip_prefix(['و', 'ب']).unwrap_or(word),
            "انه" | "انها" | "انهم" | "انهما"
        )
    }) {
        return match sentence.subject_before(w.start) {
            Some(subject) => across(subject, object_after(sentence, rule, at.end, subject)),
            None => Applied::Nothing,
        };
    }
    // «إن الضربة استهدفت ...»: after إن/أن, a noun right before the verb is its
    // subject; when no actor is there, the subject is not an actor.
    if word_before_last.is_some_and(|w| &sentence.text[w.clone()] == "ان") {
        return Applied::Nothing;
    }
    // «الهجوم الذي استهدف ...»: after a relative pronoun, the noun before it is
    // the subject; when that noun is no actor, neither is the subject.
    if last_word.is_some_and(|w| sentence.cues.is_relative(&sentence.text[w.clone()]))
        && word_before_last.is_some_and(|w| !sentence.in_actor(w.start..w.start + 1))
    {
        // «الاتفاق الذي وقعت عليه إيران مع ...»: unless the clause names its own
        // subject after the verb.
        return match sentence.group_after(at.end, 2, unmarked) {
            Some(subject) => across(subject, object_after(sentence, rule, subject.end, subject)),
            None => Applied::Nothing,
        };
    }
    // «لعدم وجود دليل يدعم ...», «في إطار سياسة تستهدف ...»: a noun right before the
    // verb that is no actor is the verb's subject. Particles that open a verb-first
    // clause («كما», «وقد», «حيث») and negations are no such nouns.
    // Only for a present-tense verb (ي، ت): a past-tense verb follows adverbs
    // freely («وفي وقت لاحق انتقد ...»).
    let trigger_word = sentence.text[at.word_start..at.end].trim_start_matches(['و', 'ف']);
    let present = trigger_word.starts_with(['ي', 'ت']);
    if present
        && last_word.is_some_and(|w| {
            let word = &sentence.text[w.clone()];
            let cues = sentence.cues;
            !cues.is_relative(word)
                && !cues.is_particle(word)
                && !cues.is_negation(word)
                && !cues.is_hedge(word)
                && !sentence.in_actor(w.start..w.start + 1)
                && sentence.text[w.end..at.word_start].trim().is_empty()
        })
    {
        return Applied::Nothing;
    }
    let (subject, from) = match sentence.group_after(at.end, 2, unmarked) {
        Some(after) => (after, after.end),
        None => match sentence.subject_before(at.word_start) {
            Some(before) => (before, at.end),
            None => return Applied::Nothing,
        },
    };
    across(subject, object_after(sentence, rule, from, subject))
}

/// [`Shape::Joint`]: the co-subjects after the trigger («جدد X و Y التأكيد»), or
/// right before it («X و Y شريكان»).
fn joint<'s>(sentence: &'s Sentence<'_>, at: &LexMatch) -> Applied<'s> {
    let before = || {
        sentence.groups_before(at.word_start).next().filter(|g| {
            unmarked(g) && g.members.len() > 1 && sentence.within_words(g.end, at.word_start, 0)
        })
    };
    match sentence.group_after(at.end, 2, unmarked).or_else(before) {
        Some(subject) => Applied::Within(subject),
        _ => Applied::Nothing,
    }
}

/// [`Shape::Passive`].
fn passive<'s>(sentence: &'s Sentence<'_>, rule: &Trigger, at: &LexMatch) -> Applied<'s> {
    let instrumental = sentence.text[at.word_start..at.end].starts_with('ب');
    // «بدعم ومشاركة قوات التحالف»: a compound instrumental takes its agent as genitive;
    // a bare «بدعم X» is as often "by supporting X".
    let compound = instrumental && sentence.text[at.word_start..at.end].contains(' ');
    let subject = sentence
        .group_after(at.end, 3, |g| marked(rule, g))
        .or_else(|| {
            compound
                .then(|| sentence.group_after(at.end, 0, unmarked))
                .flatten()
        });
    // «من قبل الميليشيا الحوثية المدعومة من إيران»: a participle right after its noun
    // describes it, whatever introduces the noun.
    let noun_of_participle = |g: &Group| {
        !instrumental && !g.attributed && sentence.within_words(g.end, at.word_start, 0)
    };
    let described = sentence
        .groups_before(at.word_start)
        .take_while(|g| sentence.within_words(g.end, at.word_start, 1))
        .find(|g| unmarked(g) || noun_of_participle(g))
        .or_else(|| {
            // «استعادت حكومة الوفاق السيطرة بدعم جوي من ...»: an instrumental
            // «بدعم» describes the clause's subject; a participle only its noun.
            instrumental
                .then(|| sentence.subject_in_sentence(at.word_start))
                .flatten()
        });
    match (subject, described) {
        (Some(s), Some(o)) if s.start != o.start => Applied::Across(s, o),
        _ => Applied::Nothing,
    }
}

/// [`Shape::ObjectFirst`].
fn object_first<'s>(sentence: &'s Sentence<'_>, at: &LexMatch) -> Applied<'s> {
    let subject = sentence.group_after(at.end, 1, unmarked);
    // «أعضاء في جبهة البوليساريو، التي تدعمها الجزائر»: the antecedent of a relative
    // pronoun is the object whatever introduces it.
    let antecedent = |g: &Group| {
        let between: Vec<Range<usize>> = words(sentence.words, g.end..at.word_start).collect();
        !g.attributed
            && matches!(between.as_slice(), [w] if sentence.cues.is_relative(&sentence.text[w.clone()]))
    };
    let object = sentence
        .groups_before(at.word_start)
        .take_while(|g| sentence.within_words(g.end, at.word_start, 2))
        .find(|g| unmarked(g) || antecedent(g));
    match (subject, object) {
        (Some(s), Some(o)) => Applied::Across(s, o),
        _ => Applied::Nothing,
    }
}

/// [`Shape::Between`].
fn between<'s>(sentence: &'s Sentence<'_>, at: &LexMatch) -> Applied<'s> {
    let Some(from) = after_between(sentence, at) else {
        return Applied::Nothing;
    };
    match sentence.group_after(from, 0, |_| true) {
        Some(group) => Applied::Within(group),
        None => Applied::Nothing,
    }
}

/// Where the sides of a [`Shape::Between`] trigger start: right after it when it ends
/// in «بين», or after the adjectives and the «بين» that follow its noun alone («القمة
/// التاريخية المرتقبة بين ترامب وكيم»). `None` when no «بين» follows: the noun alone
/// is then no trigger of this shape.
pub(super) fn after_between(sentence: &Sentence<'_>, at: &LexMatch) -> Option<usize> {
    if sentence.text[at.start..at.end].ends_with("بين") {
        return Some(at.end);
    }
    let word = words(sentence.words, at.end..sentence.range.end)
        .take(4)
        .find(|w| !sentence.text[w.clone()].starts_with("ال"))?;
    (&sentence.text[word.clone()] == "بين").then_some(word.end)
}

/// [`Shape::Noun`].
fn noun<'s>(sentence: &'s Sentence<'_>, rule: &Trigger, at: &LexMatch) -> Applied<'s> {
    // «لا يشن هجوما بدون دعم روسيا وإيران»: after "without" the genitive is whose
    // support it would take, and no one is said to give or get it.
    let without = words_before(sentence.words, sentence.range.start, at.word_start, 1)
        .first()
        .is_some_and(|w| matches!(&sentence.text[w.clone()], "دون" | "بدون" | "بلا"));
    if without && rule.genitive != Genitive::Agent {
        return Applied::Nothing;
    }
    if rule.genitive != Genitive::Agent {
        if let Some(given) = given_by_relative_clause(sentence, rule, at) {
            return given;
        }
    }
    let marker_l = rule.markers.iter().any(|m| m == "ل");
    // A preposition inside the trigger («الوقوف إلى جانب») does not mark the genitive.
    let genitive = |g: &Group| match g.preposition.as_deref() {
        _ if g.preposition_at < at.end => !g.attributed,
        None => !g.attributed,
        Some("ل") => rule.genitive == Genitive::Agent && !marker_l,
        Some(_) => false,
    };
    // «دعم الاقتصاد التركي»: a nisba on the genitive noun stands for it; «دعم قرار
    // الجيش»: so does the name after a construct noun.
    let direct = sentence.group_after(at.end, 0, genitive).or_else(|| {
        sentence.group_after(at.end, 1, |g| {
            let between: Vec<Range<usize>> = words(sentence.words, at.end..g.start).collect();
            let [word] = between.as_slice() else {
                return false;
            };
            let word = &sentence.text[word.clone()];
            let nisba = sentence.actors[g.members[0]].nisba && word.starts_with("ال");
            (nisba || sentence.cues.is_construct(word)) && genitive(g)
        })
    });
    let adjective = direct.filter(|g| {
        let lead = &sentence.actors[g.members[0]];
        lead.nisba && lead.proclitics.definite == trigger_is_definite(sentence.text, at)
    });
    // «دعم قطر لمنظمات»: a genitive followed by the marked object is the agent.
    let marked_after_direct = direct
        .filter(|_| rule.genitive != Genitive::Agent && !rule.markers.is_empty())
        .and_then(|g| sentence.group_after(g.end, 1, |g| marked(rule, g)));
    // «دعم الاتحاد الأوروبي لإنشاء ...»: a genitive followed by a purpose with ل
    // is the agent; the beneficiary is not an actor.
    let purpose_after_direct = direct
        .filter(|_| rule.genitive != Genitive::Agent && marked_after_direct.is_none())
        .is_some_and(|g| {
            words(sentence.words, g.end..sentence.range.end)
                .next()
                .is_some_and(|w| sentence.text[w.clone()].starts_with('ل'))
        });
    if purpose_after_direct {
        return Applied::Nothing;
    }
    let (subject, object) = if let Some(agent) = adjective {
        (
            Some(agent),
            sentence.group_after(agent.end, 6, |g| marked(rule, g)),
        )
    } else if let (Some(agent), Some(object)) = (direct, marked_after_direct) {
        let agent = Some(agent)
            .filter(|g| !g.acting(sentence.actors).is_empty())
            .or_else(|| sentence.subject_before(at.word_start));
        (agent, Some(object))
    } else if rule.genitive == Genitive::Agent {
        noun_of_agent(sentence, rule, at, direct)
    } else {
        noun_of_patient(sentence, rule, at, direct)
    };
    match (subject, object) {
        (Some(s), Some(o)) if s.start != o.start => Applied::Across(s, o),
        _ => Applied::Nothing,
    }
}

/// «الدعم الذي يقدمه الاتحاد الأوروبي إلى ليبيا», «الدعم العسكري الذي يقدمه حزب الله
/// لجبهة البوليساريو»: a relative clause on the noun, whose verb carries the noun as its
/// object, names the agent right after that verb; the one acted on follows with the
/// rule's preposition or «إلى». `None` when there is no such clause, or no agent after it.
fn given_by_relative_clause<'s>(
    sentence: &'s Sentence<'_>,
    rule: &Trigger,
    at: &LexMatch,
) -> Option<Applied<'s>> {
    let mut after = words(sentence.words, at.end..sentence.range.end);
    // Up to two adjectives, then the relative pronoun. An adjective agrees with its
    // noun: after «دعم», «الطلب» is a genitive («دعم الطلب الذي تقدمت به فلسطين»).
    let adjectives = if trigger_is_definite(sentence.text, at) {
        2
    } else {
        0
    };
    let mut word = after.next()?;
    for _ in 0..adjectives {
        let text = &sentence.text[word.clone()];
        if sentence.cues.is_relative(text) || !text.starts_with("ال") {
            break;
        }
        word = after.next()?;
    }
    if !sentence.cues.is_relative(&sentence.text[word]) {
        return None;
    }
    // The verb, with the noun as its object: on it («يقدمه») or after it («تقوم به»).
    let verb = after.next()?;
    let verb_text = &sentence.text[verb.clone()];
    // «الدعم الذي تلقته بريطانيا»: the one after a verb of receiving gets, not gives.
    if sentence.cues.is_receiving(verb_text) {
        return None;
    }
    let verb_end = if verb_text.ends_with('ه') || verb_text.ends_with("ها") {
        verb.end
    } else {
        let pronoun = after.next()?;
        if !matches!(&sentence.text[pronoun.clone()], "به" | "بها") {
            return None;
        }
        pronoun.end
    };
    let agent = sentence.group_after(verb_end, 0, |g| {
        unmarked(g) && !g.acting(sentence.actors).is_empty()
    })?;
    let object = sentence.group_after(agent.end, 6, |g| {
        marked(rule, g) || g.preposition.as_deref() == Some("الي")
    });
    Some(across(agent, object))
}

/// The (subject, object) of a [`Shape::Noun`] whose genitive is its agent («زيارة
/// السراج»), given the genitive right after it, if any.
fn noun_of_agent<'s>(
    sentence: &'s Sentence<'_>,
    rule: &Trigger,
    at: &LexMatch,
    direct: Option<&'s Group>,
) -> (Option<&'s Group>, Option<&'s Group>) {
    let subject = direct.or_else(|| {
        (!sentence.governed(at.word_start))
            .then(|| sentence.subject_before(at.word_start))
            .flatten()
    });
    let from = direct.map_or(at.end, |g| g.end);
    match subject {
        // «وقع مع X على اتفاقية تعاون»: the marked side may come first.
        Some(s) => {
            let object = object_after(sentence, rule, from, s)
                .filter(|g| marked(rule, g))
                .or_else(|| {
                    sentence
                        .groups_before(at.word_start)
                        .filter(|g| g.start > s.end)
                        .take_while(|g| sentence.within_words(g.end, at.word_start, 2))
                        .find(|g| marked(rule, g))
                });
            (Some(s), object)
        }
        // «وفي اتصال هاتفي مع X، أكد Y»: a fronted phrase, whose agent is the
        // subject of the main clause after it.
        None if sentence.within_words(sentence.range.start, at.word_start, 2) => {
            let object = sentence.group_after(at.end, 6, |g| marked(rule, g));
            let subject = object.and_then(|o| {
                sentence
                    .groups_from(o.end)
                    .iter()
                    .take_while(|g| sentence.within_words(o.end, g.start, 4))
                    .find(|g| unmarked(g) && !g.acting(sentence.actors).is_empty())
            });
            (subject, object)
        }
        None => (None, None),
    }
}

/// The (subject, object) of a [`Shape::Noun`] whose genitive is the one acted upon
/// («دعم حكومة الوفاق»), given the genitive right after it, if any.
fn noun_of_patient<'s>(
    sentence: &'s Sentence<'_>,
    rule: &Trigger,
    at: &LexMatch,
    direct: Option<&'s Group>,
) -> (Option<&'s Group>, Option<&'s Group>) {
    let object = direct.or_else(|| sentence.group_after(at.end, 6, |g| marked(rule, g)));
    // The one who supports is named close before the noun, in its own
    // clause («جدد تبون التأكيد على دعم ...»), never carried from afar.
    let subject = (rule.genitive == Genitive::Patient)
        .then(|| sentence.subject_in_sentence(at.word_start))
        .flatten()
        .filter(|g| sentence.within_words(g.end, at.word_start, 10));
    (subject, object)
}

/// Whether the last word of the trigger carries the article.
fn trigger_is_definite(text: &str, trigger: &LexMatch) -> bool {
    let matched = &text[trigger.start..trigger.end];
    match matched.rsplit_once(' ') {
        Some((_, last)) => last.starts_with("ال"),
        None => trigger.proclitics.definite,
    }
}
