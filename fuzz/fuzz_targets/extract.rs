//! Any bytes, read as text (and, after a 0xFF byte, as a title and a text): the
//! pipeline must not panic, and every offset in the record must point at exactly the
//! text it reports. The same invariants as tests/properties.rs.
#![no_main]

use std::sync::OnceLock;

use actorgraph::text::fold::{CharOffsets, Folded};
use actorgraph::record::Field;
use actorgraph::{Article, Extractor, Gazetteer};
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin().unwrap()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let (title, text) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (
            Some(String::from_utf8_lossy(&data[..at]).into_owned()),
            String::from_utf8_lossy(&data[at + 1..]).into_owned(),
        ),
        None => (None, String::from_utf8_lossy(data).into_owned()),
    };
    check_folded(&text);
    let record = extractor().extract(&Article {
        id: "fuzz".into(),
        date: Some("2020-06-23".into()),
        title: title.clone(),
        text: text.clone(),
    });
    let text: Vec<char> = text.chars().collect();
    let title: Vec<char> = title.unwrap_or_default().chars().collect();
    let at = |field: Field, start: usize, end: usize| -> String {
        let chars = if field == Field::Title { &title } else { &text };
        assert!(
            start < end && end <= chars.len(),
            "{start}..{end} of {}",
            chars.len()
        );
        chars[start..end].iter().collect()
    };
    for m in &record.mentions {
        assert_eq!(at(m.field, m.start, m.end), m.text);
    }
    for r in &record.relations {
        assert_eq!(at(r.field, r.trigger.start, r.trigger.end), r.trigger.text);
        assert_eq!(
            at(r.field, r.sentence.start, r.sentence.end),
            r.sentence.text
        );
        at(r.field, r.source.start, r.source.end);
        at(r.field, r.target.start, r.target.end);
    }
});

/// Every folded character maps back to whole original characters, in order.
fn check_folded(original: &str) {
    let folded = Folded::new(original);
    let mut previous_end = 0;
    for (at, c) in folded.text.char_indices() {
        let (start, end) = folded.original(at, at + c.len_utf8());
        assert!(start < end && end <= original.len());
        assert!(original.is_char_boundary(start) && original.is_char_boundary(end));
        assert!(start >= previous_end);
        previous_end = end;
    }
    let offsets = CharOffsets::new(original);
    assert_eq!(offsets.get(original.len()), original.chars().count());
}
