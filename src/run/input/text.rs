//! .txt files: the whole file is one article, named after the file.

use std::io::{BufRead, Read};
use std::sync::Arc;

use super::compression::Compression;
use super::fields::decode;
use super::{Article, Item};
use crate::error::InputProblem;

pub(super) fn read_text_article(
    reader: &mut Box<dyn BufRead + Send>,
    name: &Arc<str>,
    stem: &str,
    compression: Option<Compression>,
    limit: usize,
) -> Item {
    let problem = |message: String| {
        Item::Problem(InputProblem {
            file: name.to_string(),
            line: None,
            message,
            recovered: false,
        })
    };
    let mut bytes = Vec::new();
    let limit_plus_one = (limit as u64).saturating_add(1);
    if let Err(e) = reader.take(limit_plus_one).read_to_end(&mut bytes) {
        return problem(match compression {
            Some(kind) => format!(
                "the {} stream is cut short or corrupt ({e}); skipped",
                kind.name()
            ),
            None => format!("cannot read: {e}; skipped"),
        });
    }
    if bytes.len() > limit {
        return problem(format!(
            "file is over the limit of {limit} bytes (--max-article-bytes); skipped"
        ));
    }
    if bytes.contains(&0) {
        return problem("binary file (NUL bytes); skipped".to_string());
    }
    let mut warnings = Vec::new();
    let text = decode(&bytes, name, None, &mut warnings);
    if text.trim().is_empty() {
        return problem("empty file; skipped".to_string());
    }
    Item::Article {
        article: Article {
            id: stem.to_string(),
            date: None,
            title: None,
            text,
        },
        bytes: bytes.len(),
        warnings,
        file: name.clone(),
        line: None,
    }
}
