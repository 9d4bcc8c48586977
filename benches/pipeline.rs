//! Criterion benchmarks for each stage and for whole articles.
//!
//! The ANT slice is read from ../shared/corpus/ant-news-2018.jsonl.gz when it exists
//! (the reference corpus beside the project); the seed fixture is always there.

use std::hint::black_box;
use std::io::BufRead;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use actorgraph::normalize::Folded;
use actorgraph::{Article, Extractor, Gazetteer};

fn seed() -> Article {
    let line = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-article.jsonl"),
    )
    .expect("the seed fixture");
    let value: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    Article {
        id: "seed-article".into(),
        date: value["date"].as_str().map(String::from),
        title: None,
        text: value["text"].as_str().expect("text").to_string(),
    }
}

/// About 2 MB of real news, or `None` when the corpus is not beside the project.
fn ant_slice() -> Option<Vec<Article>> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ant-news-2018.jsonl.gz");
    let file = std::fs::File::open(path).ok()?;
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut articles = Vec::new();
    let mut bytes = 0;
    for line in reader.lines() {
        let value: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        let text = value["text"].as_str()?.to_string();
        bytes += text.len();
        articles.push(Article {
            id: value["id"].as_str()?.to_string(),
            date: value["date"].as_str().map(String::from),
            title: value["title"].as_str().map(String::from),
            text,
        });
        if bytes > 2_000_000 {
            break;
        }
    }
    Some(articles)
}

fn stages(c: &mut Criterion) {
    let extractor =
        Extractor::new(Gazetteer::builtin().expect("built-in gazetteers")).expect("compiles");
    let mut sets = vec![("seed", vec![seed()])];
    if let Some(slice) = ant_slice() {
        sets.push(("ant-2MB", slice));
    }
    for (name, articles) in &sets {
        let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
        let folded: Vec<Folded> = articles.iter().map(|a| Folded::new(&a.text)).collect();
        let mut group = c.benchmark_group(*name);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("normalize", |b| {
            b.iter(|| {
                articles
                    .iter()
                    .map(|a| Folded::new(black_box(&a.text)).text.len())
                    .sum::<usize>()
            })
        });
        group.bench_function("match", |b| {
            b.iter(|| {
                folded
                    .iter()
                    .map(|f| extractor.names().find_all(black_box(&f.text)).len())
                    .sum::<usize>()
            })
        });
        group.bench_function("whole_article", |b| {
            b.iter(|| {
                articles
                    .iter()
                    .map(|a| extractor.extract(black_box(a)).relations.len())
                    .sum::<usize>()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
