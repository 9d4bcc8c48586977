//! Helpers shared by the unit tests.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

use crate::record::{
    ArticleRecord, Endpoint, Field, Fingerprint, Mention, MentionType, Relation, RelationKind,
    SentenceSpan, TriggerSpan, UnknownActor,
};

/// Property tests that compare a fast path with a reference: many cases, and no
/// regression files written into the source tree.
pub(crate) fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Texts strung together from up to `most` of `pieces`; a failing one shrinks to fewer
/// and earlier pieces.
pub(crate) fn texts(pieces: &'static [&'static str], most: usize) -> impl Strategy<Value = String> {
    vec(select(pieces), 0..=most).prop_map(|pieces| pieces.concat())
}

/// Pieces of the strings records hold, and of the ones that must be escaped or quoted.
const PIECES: &[&str] = &[
    "السراج",
    "حكومة الوفاق",
    "Fayez al-Sarraj",
    "AL-culture-1-20180218",
    ",",
    "\"",
    "\\",
    "\n",
    "\r",
    "\t",
    "\u{8}",
    "\u{c}",
    "\u{0}",
    "\u{1f}",
    "\u{7f}",
    "«»",
    "/",
    " ",
    "é",
    "😀",
];

fn text() -> impl Strategy<Value = String> {
    texts(PIECES, 6)
}

fn field() -> impl Strategy<Value = Field> {
    select(vec![Field::Text, Field::Title])
}

fn mention() -> impl Strategy<Value = Mention> {
    (
        (0usize..100_000, 0usize..100_000),
        text(),
        select(MentionType::ALL.to_vec()),
        text(),
        text(),
        (field(), proptest::bool::ANY),
    )
        .prop_map(
            |((start, end), text, mention_type, entity, label, (field, known))| Mention {
                start,
                end,
                text,
                mention_type,
                entity,
                label,
                field,
                country: (!known).then(|| "LY".to_string()),
                known,
            },
        )
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    (
        text(),
        0usize..5000,
        0usize..5000,
        proptest::option::of(text()),
    )
        .prop_map(|(entity, start, end, office)| Endpoint {
            entity,
            start,
            end,
            office,
        })
}

fn relation() -> impl Strategy<Value = Relation> {
    (
        select(vec![
            RelationKind::Meets,
            RelationKind::Supports,
            RelationKind::Allied,
            RelationKind::Opposes,
        ]),
        endpoint(),
        endpoint(),
        (0usize..5000, 0usize..5000, text()),
        (0usize..5000, 0usize..5000, text()),
        (any::<bool>(), any::<bool>(), text(), field()),
    )
        .prop_map(
            |(kind, source, target, trigger, sentence, (negated, hedged, rule, field))| Relation {
                kind,
                source,
                target,
                trigger: TriggerSpan {
                    start: trigger.0,
                    end: trigger.1,
                    text: trigger.2,
                },
                sentence: SentenceSpan {
                    start: sentence.0,
                    end: sentence.1,
                    text: sentence.2,
                },
                negated,
                hedged,
                rule,
                field,
            },
        )
}

fn unknown() -> impl Strategy<Value = UnknownActor> {
    (0usize..5000, 0usize..5000, text(), text(), text(), field()).prop_map(
        |(start, end, text, rule, trigger, field)| UnknownActor {
            start,
            end,
            text,
            rule,
            trigger,
            field,
        },
    )
}

/// Article records of every shape: with and without a date, mentions, relations and
/// unknown strings, in either field, their strings full of what must be escaped.
pub(crate) fn record() -> impl Strategy<Value = ArticleRecord> {
    (
        text(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        vec(mention(), 0..5),
        vec(relation(), 0..3),
        vec(unknown(), 0..3),
    )
        .prop_map(
            |(id, date, text, mentions, relations, unknown)| ArticleRecord {
                id,
                date,
                fingerprint: text.as_deref().and_then(Fingerprint::of_text),
                mentions,
                relations,
                unknown,
            },
        )
}
