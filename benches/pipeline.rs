//! Criterion benchmarks for each stage and for whole articles.
//!
//! - `normalize`: folding the text; `match`: the name lexicon on folded text;
//! - `raw_aho_corasick`: the ceiling, the aho-corasick crate alone (a DFA, leftmost-
//!   longest, no word boundaries, no proclitics) with the folded surfaces of
//!   `actorgraph gazetteer dump`, on the same folded text;
//! - `resolve_relate`: resolving, relating and building the record, measured as whole
//!   articles minus normalising and matching the same fields in the same iteration
//!   (these stages have no public entry point of their own);
//! - `whole_article`: `Extractor::extract`.
//! - `adversarial`: `Extractor::extract` with the name tagger, as `extract` runs by
//!   default, on articles written to stall it (a name, a trigger, a title repeated; a
//!   sentence without punctuation) at 1 and 10 MB, beside real news: the per-MB time of
//!   each must stay within 3× of real news (benches/README.md).
//! - `deep_folders`: reading one article under 250, 500 and 1,000 nested folders: the
//!   time must grow linearly with the depth.
//!
//! The ANT slice is read from ../shared/corpus/ant-news-2018.jsonl.gz when it exists
//! (the reference corpus beside the project); the seed fixture is always there.

use std::hint::black_box;
use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use actorgraph::tagger::Tagger;
use actorgraph::text::fold::{Folded, fold_surface};
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

/// Runs the whole pipeline on every article; the relation count keeps the work alive.
fn extract_all(extractor: &Extractor, articles: &[Article]) -> usize {
    articles
        .iter()
        .map(|a| extractor.extract(black_box(a)).relations.len())
        .sum()
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
    let mut surfaces: Vec<String> = extractor
        .surfaces()
        .into_iter()
        .map(|(_, _, s)| fold_surface(&s))
        .collect();
    surfaces.sort();
    surfaces.dedup();
    let raw = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&surfaces)
        .expect("the surfaces compile");
    let fields = |a: &Article| {
        a.title
            .iter()
            .map(String::as_str)
            .chain([a.text.as_str()])
            .map(|t| extractor.names().find_all(&Folded::new(black_box(t))).len())
            .sum::<usize>()
    };
    for (name, articles) in &sets {
        // Every stage works on the same bytes: each article's title and text.
        let texts: Vec<&str> = articles
            .iter()
            .flat_map(|a| a.title.as_deref().into_iter().chain([a.text.as_str()]))
            .collect();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        let folded: Vec<Folded> = texts.iter().map(|t| Folded::new(t)).collect();
        let mut group = c.benchmark_group(*name);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("normalize", |b| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|t| Folded::new(black_box(t)).text.len())
                    .sum::<usize>()
            })
        });
        group.bench_function("match", |b| {
            b.iter(|| {
                folded
                    .iter()
                    .map(|f| extractor.names().find_all(black_box(f)).len())
                    .sum::<usize>()
            })
        });
        group.bench_function("raw_aho_corasick", |b| {
            b.iter(|| {
                folded
                    .iter()
                    .map(|f| raw.find_iter(black_box(f.text.as_str())).count())
                    .sum::<usize>()
            })
        });
        group.bench_function("resolve_relate", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    black_box(extract_all(&extractor, articles));
                    let whole = started.elapsed();
                    let started = Instant::now();
                    black_box(articles.iter().map(fields).sum::<usize>());
                    total += whole.saturating_sub(started.elapsed());
                }
                total
            })
        });
        group.bench_function("whole_article", |b| {
            b.iter(|| extract_all(&extractor, articles))
        });
        group.finish();
    }
}

/// The adversarial articles: (shape, the piece repeated). Each piece is what once made
/// a stage look at everything before it for every occurrence.
const ADVERSARIAL: &[(&str, &str)] = &[
    // Names alone, one sentence: resolution, the tagger and the relation groups.
    ("names", "تبون السراج ماكرون "),
    // Triggers and actors in one unpunctuated sentence: relation finding and slots.
    ("triggers", "دعم تبون السراج واستقبل التقى "),
    // A title and its nisba that name nobody, once a sentence: the covers of the slots.
    ("titles", "استقبل وزير الخارجية الإيطالي. "),
    // A long sentence of news with no punctuation at all, «بلاده» looking back.
    (
        "no_punctuation",
        "استقبل الرئيس الجزائري عبد المجيد تبون وزير الخارجية الإيطالي لويدجي دي مايو في الجزائر وبحث معه دعم بلاده ",
    ),
];

fn adversarial(c: &mut Criterion) {
    let extractor = Extractor::new(Gazetteer::builtin().expect("built-in gazetteers"))
        .expect("compiles")
        .with_tagger(Tagger::builtin());
    let article = |id: &str, text: String| Article {
        id: id.into(),
        date: Some("2019-06-01".into()),
        title: None,
        text,
    };
    let mut sets: Vec<(String, Vec<Article>)> = Vec::new();
    match ant_slice() {
        Some(slice) => sets.push(("real_news_2MB".into(), slice)),
        None => eprintln!("SKIPPED real news: no ../shared/corpus/ant-news-2018.jsonl.gz"),
    }
    for (shape, piece) in ADVERSARIAL {
        for mb in [1, 10] {
            let text = piece.repeat(mb * 1_000_000 / piece.len());
            sets.push((format!("{shape}_{mb}MB"), vec![article(shape, text)]));
        }
    }
    let mut group = c.benchmark_group("adversarial");
    // Whole 10 MB articles: a few samples are enough to compare per-MB times.
    group.sample_size(10);
    for (name, articles) in &sets {
        let bytes: usize = articles
            .iter()
            .map(|a| a.text.len() + a.title.as_ref().map_or(0, String::len))
            .sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| extract_all(&extractor, articles))
        });
    }
    group.finish();
}

/// Folders nested `depth` deep with one article at the bottom: listing them must cost
/// time linear in the depth (it once canonicalized each folder's whole path: cubic).
fn deep_folders(c: &mut Criterion) {
    let mut group = c.benchmark_group("deep_folders");
    group.sample_size(10);
    for depth in [250, 500, 1000] {
        let root = tempfile::tempdir().expect("a temporary folder");
        let mut bottom = root.path().to_path_buf();
        for _ in 0..depth {
            bottom.push("d");
        }
        std::fs::create_dir_all(&bottom).expect("nested folders");
        std::fs::write(
            bottom.join("a.jsonl"),
            "{\"id\":\"a\",\"text\":\"استقبل الرئيس تبون فائز السراج.\"}\n",
        )
        .expect("an article");
        let paths = [root.path().to_path_buf()];
        group.bench_function(format!("depth_{depth}"), |b| {
            b.iter(|| actorgraph::Inputs::new(black_box(&paths)).count())
        });
    }
    group.finish();
}

criterion_group!(benches, stages, adversarial, deep_folders);
criterion_main!(benches);
