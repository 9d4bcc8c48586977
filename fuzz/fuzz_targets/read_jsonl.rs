//! Any bytes as a JSON Lines stream (gzip too, when they start with its magic): the
//! reader must not panic, every problem must name a line that exists, and every
//! article it reads must go through the pipeline.
#![no_main]

use std::sync::OnceLock;

use actorgraph::run::input::Item;
use actorgraph::{Extractor, Gazetteer, Inputs};
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin().unwrap()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let lines = data.split(|&b| b == b'\n').count();
    let reader = std::io::Cursor::new(data.to_vec());
    for item in Inputs::from_reader("fuzz.jsonl", reader).max_article_bytes(4096) {
        match item {
            Item::Problem(problem) => {
                assert_eq!(problem.file, "fuzz.jsonl");
                // A gzip stream may hold more lines than its compressed bytes.
                if let (Some(line), false) = (problem.line, data.starts_with(&[0x1f, 0x8b])) {
                    assert!(line >= 1 && line <= lines, "{problem}");
                }
            }
            Item::Article { article, .. } => {
                extractor().extract(&article);
            }
        }
    }
});
