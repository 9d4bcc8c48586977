//! Property tests: arbitrary Unicode through normalise → match → resolve → relate.
//!
//! Whatever the text (combining marks, bidi controls, tatweel runs, mixed scripts,
//! Arabic-Indic digits, names and triggers of the built-in gazetteers glued together),
//! nothing panics, and every offset in a record points at exactly the text it reports.
//! The same invariants are fuzzed by `fuzz/fuzz_targets/extract.rs`.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;

use actorgraph::record::Field;
use actorgraph::run::input::Item;
use actorgraph::text::fold::{CharOffsets, Folded, fold_surface};
use actorgraph::{Article, ArticleRecord, Extractor, Gazetteer, Inputs};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        Extractor::new(Gazetteer::builtin().expect("built-in gazetteers")).expect("compiles")
    })
}

/// Words the pipeline reacts to: every entity and demonym surface, every title, every
/// trigger and cue of the built-in gazetteers, and the proclitics.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let extractor = extractor();
        let gazetteer = extractor.gazetteer();
        let mut words: Vec<String> = extractor
            .surfaces()
            .into_iter()
            .map(|(_, _, s)| s)
            .collect();
        for title in &gazetteer.titles {
            words.extend(title.surfaces.iter().cloned());
        }
        for trigger in &gazetteer.triggers {
            words.extend(
                trigger
                    .surfaces
                    .iter()
                    .map(|s| s.trim_end_matches('*').to_string()),
            );
            words.extend(trigger.markers.iter().cloned());
        }
        for cue in &gazetteer.cues {
            words.extend(cue.surfaces.iter().cloned());
        }
        for clitic in [
            "و", "ف", "ب", "ل", "ك", "ال", "لل", "وال", "بال", "ول", "فلل",
        ] {
            words.push(clitic.to_string());
        }
        words.sort();
        words.dedup();
        words
    })
}

/// Characters that stress folding and matching.
const HOSTILE_CHARS: &[char] = &[
    // Harakat, superscript alef, Quranic marks, and Latin combining marks.
    '\u{064B}',
    '\u{064E}',
    '\u{0650}',
    '\u{0651}',
    '\u{0652}',
    '\u{0670}',
    '\u{0615}',
    '\u{06D6}',
    '\u{06ED}',
    '\u{0300}',
    '\u{0301}',
    '\u{0327}',
    '\u{20DD}',
    // Tatweel.
    '\u{0640}',
    // Bidi controls, the Arabic letter mark, joiners, the BOM, a soft hyphen.
    '\u{200E}',
    '\u{200F}',
    '\u{202A}',
    '\u{202B}',
    '\u{202C}',
    '\u{202D}',
    '\u{202E}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{061C}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{00AD}',
    // Whitespace of every kind.
    ' ',
    '\n',
    '\r',
    '\t',
    '\u{00A0}',
    '\u{2028}',
    '\u{2029}',
    '\u{3000}',
    '\u{000B}',
    '\u{000C}',
    '\u{0085}',
    '_',
    // Sentence and clause punctuation.
    '.',
    '!',
    '?',
    '؟',
    '؛',
    '،',
    ',',
    ';',
    ':',
    '«',
    '»',
    '"',
    '(',
    ')',
    '-',
    '…',
    // Letters that fold to other letters, and digits that fold to ASCII.
    'أ',
    'إ',
    'آ',
    'ٱ',
    'ى',
    'ی',
    'ة',
    'ۀ',
    'ک',
    '٠',
    '٣',
    '٩',
    '۰',
    '۴',
    '۹',
    // Other scripts, 4-byte characters, a NUL, and case-changing letters.
    'A',
    'Z',
    'é',
    'ß',
    'İ',
    'Σ',
    'Ж',
    'א',
    '中',
    'क',
    '\u{1F600}',
    '\u{10FFFF}',
    '\0',
    '\u{FFFD}',
    '\u{FDFA}',
    '\u{FE8E}',
    '\u{FEFB}',
];

/// One piece of text: a vocabulary word, a hostile character, a tatweel run, an
/// Arabic letter, or any character at all.
fn piece() -> impl Strategy<Value = String> {
    let words = vocabulary().len();
    prop_oneof![
        6 => (0..words).prop_map(|i| vocabulary()[i].clone()),
        4 => proptest::sample::select(HOSTILE_CHARS).prop_map(String::from),
        1 => (1usize..12).prop_map(|n| "\u{0640}".repeat(n)),
        2 => (0x0621u32..=0x064A).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        2 => any::<char>().prop_map(String::from),
        1 => Just(" ".to_string()),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..80).prop_map(|pieces| pieces.concat())
}

/// One line of a dirty dump: a good article, a cut one, one with bytes spliced in,
/// or noise.
fn article_json() -> impl Strategy<Value = Vec<u8>> {
    (hostile_text(), proptest::option::of(hostile_text())).prop_map(|(text, title)| {
        serde_json::json!({"id": "a", "date": "2020-06-23", "title": title, "text": text})
            .to_string()
            .into_bytes()
    })
}

fn jsonl_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => article_json(),
        1 => (article_json(), any::<proptest::sample::Index>())
            .prop_map(|(line, cut)| line[..cut.index(line.len() + 1)].to_vec()),
        1 => (article_json(), any::<proptest::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(mut line, at, junk)| {
                let at = at.index(line.len() + 1);
                line.splice(at..at, junk);
                line
            }),
        1 => proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

/// Checks every offset of `record` against `text` and `title`.
fn check_offsets(record: &ArticleRecord, text: &str, title: Option<&str>) {
    let text_chars: Vec<char> = text.chars().collect();
    let title_chars: Vec<char> = title.unwrap_or("").chars().collect();
    let chars = |field: Field| match field {
        Field::Text => &text_chars,
        Field::Title => &title_chars,
    };
    let at = |field: Field, start: usize, end: usize| -> String {
        let chars = chars(field);
        assert!(
            start < end && end <= chars.len(),
            "span {start}..{end} out of 0..{} in {field:?}",
            chars.len()
        );
        chars[start..end].iter().collect()
    };
    for m in &record.mentions {
        assert_eq!(at(m.field, m.start, m.end), m.text, "mention {m:?}");
    }
    for u in &record.unknown {
        assert_eq!(at(u.field, u.start, u.end), u.text, "unknown actor {u:?}");
    }
    for r in &record.relations {
        assert_eq!(
            at(r.field, r.trigger.start, r.trigger.end),
            r.trigger.text,
            "trigger {r:?}"
        );
        assert_eq!(
            at(r.field, r.sentence.start, r.sentence.end),
            r.sentence.text,
            "sentence {r:?}"
        );
        // Endpoints may lie in an earlier sentence (a carried-over topic), but always
        // inside the field.
        at(r.field, r.source.start, r.source.end);
        at(r.field, r.target.start, r.target.end);
    }
}

fn run(text: &str, title: Option<&str>) -> ArticleRecord {
    let article = Article {
        id: "p".into(),
        date: Some("2020-06-23".into()),
        title: title.map(String::from),
        text: text.to_string(),
    };
    extractor().extract(&article)
}

/// Checks the folded map: every folded character maps to a non-empty range of whole
/// original characters, in order.
fn check_folded(original: &str) {
    let folded = Folded::new(original);
    let mut previous_end = 0;
    for (at, c) in folded.text.char_indices() {
        let (start, end) = folded.original(at, at + c.len_utf8());
        assert!(
            start < end && end <= original.len(),
            "{c:?} at {at} -> {start}..{end}"
        );
        assert!(original.is_char_boundary(start) && original.is_char_boundary(end));
        assert!(start >= previous_end, "folded map goes backwards at {at}");
        previous_end = end;
    }
    if !folded.text.is_empty() {
        let (start, end) = folded.original(0, folded.text.len());
        assert!(start <= end && end <= original.len());
    }
    let offsets = CharOffsets::new(original);
    let mut count = 0;
    for (at, _) in original.char_indices() {
        assert_eq!(offsets.get(at), count);
        count += 1;
    }
    assert_eq!(offsets.get(original.len()), count);
}

/// 256 cases by default (`PROPTEST_CASES=N` runs more); no regression files are written.
fn config() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn extraction_never_panics_and_offsets_point_at_the_text(text in hostile_text()) {
        let record = run(&text, None);
        check_offsets(&record, &text, None);
    }

    #[test]
    fn titles_are_checked_like_texts(title in hostile_text(), text in hostile_text()) {
        let record = run(&text, Some(&title));
        check_offsets(&record, &text, Some(&title));
    }

    #[test]
    fn any_string_at_all_is_safe(text in any::<String>()) {
        let record = run(&text, Some(&text));
        check_offsets(&record, &text, Some(&text));
    }

    #[test]
    fn the_folded_map_points_back_into_the_original(text in hostile_text()) {
        check_folded(&text);
    }

    #[test]
    fn folding_text_is_idempotent(text in hostile_text()) {
        let once = Folded::new(&text).text;
        prop_assert_eq!(Folded::new(&once).text, once);
    }

    #[test]
    fn folding_surfaces_is_idempotent(text in hostile_text()) {
        let once = fold_surface(&text);
        prop_assert_eq!(fold_surface(&once), once);
    }

    /// Any bytes at all in a JSON Lines stream, good articles among them: no panic,
    /// every problem names the stream and a line that exists, every article read is
    /// extracted with sound offsets.
    #[test]
    fn any_bytes_in_a_jsonl_stream_are_read_or_reported(
        lines in proptest::collection::vec(jsonl_line(), 0..8),
        gzipped in any::<bool>(),
    ) {
        let joined = lines.join(&b'\n');
        let count = joined.split(|&b| b == b'\n').count();
        let bytes = if gzipped {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut encoder, &joined).unwrap();
            encoder.finish().unwrap()
        } else {
            joined
        };
        let reader = std::io::Cursor::new(bytes);
        for item in Inputs::from_reader("any.jsonl", reader).max_article_bytes(2048) {
            match item {
                Item::Problem(problem) => {
                    prop_assert_eq!(&problem.file, "any.jsonl");
                    if let Some(line) = problem.line {
                        prop_assert!(line >= 1 && line <= count, "{}", problem);
                    }
                }
                Item::Article { article, warnings, line, .. } => {
                    let line = line.expect("JSON Lines articles have a line");
                    prop_assert!(line >= 1 && line <= count);
                    prop_assert!(warnings.iter().all(|w| w.recovered && w.line == Some(line)));
                    let record = run(&article.text, article.title.as_deref());
                    check_offsets(&record, &article.text, article.title.as_deref());
                }
            }
        }
    }

    /// Any article written as JSON (NULs, controls and all, escaped as JSON escapes
    /// them) is read back exactly.
    #[test]
    fn any_article_written_as_json_reads_back(
        id in "[^\\x00]{1,12}",
        text in any::<String>(),
        title in proptest::option::of(any::<String>()),
    ) {
        let line = serde_json::json!({"id": id, "text": text, "title": title}).to_string();
        let reader = std::io::Cursor::new(format!("{line}\n"));
        let items: Vec<Item> = Inputs::from_reader("one.jsonl", reader).collect();
        prop_assert_eq!(items.len(), 1);
        match &items[0] {
            Item::Article { article, warnings, .. } => {
                prop_assert!(warnings.is_empty(), "{:?}", warnings);
                prop_assert_eq!(&article.id, &id);
                prop_assert_eq!(&article.text, &text);
                let kept_title = title.filter(|t| !t.trim().is_empty());
                prop_assert_eq!(&article.title, &kept_title);
            }
            Item::Problem(problem) => prop_assert!(false, "rejected: {}", problem),
        }
    }
}

/// Hand-picked texts that once looked risky: marks before any letter, a text that is
/// all controls, a name split by a bidi mark, digits that shrink when folded.
#[test]
fn edge_texts() {
    let texts = [
        "",
        "\u{064E}\u{0651}",
        "\u{200F}\u{202B}\u{2067}",
        "ـــــ",
        "\u{064E}السراج",
        "السر\u{200F}اج التقى تبون.",
        "استقبل ت\u{0640}\u{0640}بون السراج\u{0651}؛ ثم غادر",
        "٢٠٢٠ استقبل تبون ٢٠٢٠ السراج ٢٠٢٠.",
        "استقبل تبون السراج\u{0000}.",
        "\r\n\r\nاستقبل تبون\u{2028}السراج\u{2029}",
        "İİİ استقبل تبون السراج İİİ",
        "للـــسراج وللسراج فالسراج",
        "بين حكومة الوفاق و",
        "و",
        "ال",
        "لل",
    ];
    for text in texts {
        check_folded(text);
        let record = run(text, Some(text));
        check_offsets(&record, text, Some(text));
    }
}
