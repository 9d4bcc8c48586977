//! Batch input and output at scale: the map step (`extract -o -`), the reduce step
//! (`graph`), and the readers a dump comes in (CSV, TSV, zstd).
//!
//! - Merging is order-independent: the graph exports of records split into any shards,
//!   merged in any order, are byte for byte those of all records at once (proptest).
//! - `extract -o -` writes exactly the lines of `articles.jsonl`, at any thread count;
//!   with `--error-records` a bad line becomes an error record and the status stays 0.
//! - CSV, TSV and zstd dumps give the same records as JSON Lines.
//!
//! The Spark job of examples/spark/ is tested by `spark_local_mode_map_and_reduce`,
//! which is ignored by default (it starts a JVM and takes about a minute); run it with
//!
//! ```sh
//! pip install pyspark            # and Java 17 or 21
//! cargo test --release --test scale -- --ignored spark
//! ```
//!
//! (`ACTORGRAPH_SPARK_PYTHON=/path/to/python` picks the Python that has pyspark.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;

use actorgraph::output::write_graph;
use actorgraph::run::input::Item;
use actorgraph::{ActorGraph, ArticleRecord, Extractor, Gazetteer, Inputs};

mod common;
use common::{bin, run_with_stdin as run, stderr};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    [
        "fixtures/seed-article.jsonl",
        "fixtures/gold/libya.jsonl",
        "fixtures/gold/diplomacy.jsonl",
    ]
    .iter()
    .map(|p| root().join(p))
    .collect()
}

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        Extractor::new(Gazetteer::builtin().expect("built-in gazetteers")).expect("compiles")
    })
}

/// The records of the fixtures (29 real articles), extracted once.
fn fixture_records() -> &'static [ArticleRecord] {
    static RECORDS: OnceLock<Vec<ArticleRecord>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        Inputs::new(&fixtures())
            .map(|item| match item {
                Item::Article { article, .. } => extractor().extract(&article),
                Item::Problem(p) => panic!("fixture problem: {p}"),
            })
            .collect()
    })
}

/// Every file that the reduce step writes for `records`, added in this order.
fn exports<'a>(records: impl IntoIterator<Item = &'a ArticleRecord>) -> BTreeMap<String, Vec<u8>> {
    let mut graph = ActorGraph::new();
    for record in records {
        graph.add_record(record, extractor().gazetteer());
    }
    let dir = tempfile::tempdir().unwrap();
    write_graph(dir.path(), &graph).unwrap();
    folder(dir.path())
}

fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The evidence table: one row per relation, listed in the order the records came in.
/// Its rows are compared as a set; every other export byte for byte.
const IN_RECORD_ORDER: &str = "relations.csv";

/// `relations.csv`'s lines, sorted: the rows whatever order the records came in.
fn sorted_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    lines.sort();
    lines
}

/// Asserts that two folders hold the same files, byte for byte (relations.csv: the same
/// rows), naming the first that differs.
fn assert_same_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (name, bytes) in a {
        if name == IN_RECORD_ORDER {
            assert!(
                sorted_lines(bytes) == sorted_lines(&b[name]),
                "{what}: {name} rows differ"
            );
        } else if bytes != &b[name] {
            let (x, y) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[name]),
            );
            let line = x.lines().zip(y.lines()).find(|(l, r)| l != r);
            panic!("{what}: {name} differs; first differing lines: {line:?}");
        }
    }
}

fn whole_exports() -> &'static BTreeMap<String, Vec<u8>> {
    static WHOLE: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    WHOLE.get_or_init(|| exports(fixture_records()))
}

#[test]
fn the_fixtures_make_a_graph_worth_merging() {
    let whole = whole_exports();
    let edges = String::from_utf8(whole["edges.csv"].clone()).unwrap();
    assert!(edges.lines().count() > 20, "{edges}");
    assert!(whole.contains_key("nodes.csv") && whole.contains_key("graph.dot"));
}

proptest! {
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    /// graph(A then B) = graph(B then A) = graph(A + B), for any split into shards, any
    /// order of the shards and any order inside them.
    #[test]
    fn merging_shards_in_any_order_gives_the_same_graph(
        shard_of in prop::collection::vec(0usize..4, 29),
        order in Just((0..29).collect::<Vec<usize>>()).prop_shuffle(),
        shard_order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
    ) {
        let records = fixture_records();
        prop_assert_eq!(records.len(), 29);
        let mut shards: Vec<Vec<&ArticleRecord>> = vec![Vec::new(); 4];
        for &i in &order {
            shards[shard_of[i]].push(&records[i]);
        }
        let merged = shard_order.iter().flat_map(|&s| shards[s].iter().copied());
        let got = exports(merged);
        for (name, bytes) in whole_exports() {
            prop_assert!(got.get(name) == Some(bytes), "{} differs", name);
        }
        prop_assert_eq!(got.len(), whole_exports().len());
    }
}

// ---------------------------------------------------------------------------------
// The binary

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The fixtures, as one JSON Lines file.
fn all_fixtures(dir: &Path) -> PathBuf {
    let all = dir.join("all.jsonl");
    let mut text = String::new();
    for f in fixtures() {
        text.push_str(&std::fs::read_to_string(f).unwrap());
    }
    std::fs::write(&all, text).unwrap();
    all
}

#[test]
fn the_map_step_streams_exactly_the_records_and_the_reduce_step_merges_shards() {
    let dir = tempfile::tempdir().unwrap();
    let input = all_fixtures(dir.path());
    let out = dir.path().join("out");
    let output = run(&["extract", path(&input), "-o", path(&out)], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let articles = std::fs::read(out.join("articles.jsonl")).unwrap();

    for threads in ["1", "2", "3"] {
        let output = run(
            &["extract", "-", "-o", "-", "--threads", threads],
            Some(&std::fs::read(&input).unwrap()),
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            output.stdout == articles,
            "-o - at {threads} threads writes the lines of articles.jsonl and nothing else"
        );
        assert!(!dir.path().join("-").exists(), "no folder named -");
    }

    // Two shards, reduced in both orders and together: the same graph.
    let lines: Vec<&[u8]> = articles.split_inclusive(|&b| b == b'\n').collect();
    let (a, b) = lines.split_at(11);
    let shard_a = dir.path().join("a.jsonl");
    let shard_b = dir.path().join("b.jsonl");
    std::fs::write(&shard_a, a.concat()).unwrap();
    std::fs::write(&shard_b, b.concat()).unwrap();
    let reduce = |name: &str, records: &[&Path]| {
        let target = dir.path().join(name);
        let mut args = vec!["graph"];
        args.extend(records.iter().map(|p| path(p)));
        args.extend(["-o", path(&target)]);
        let output = run(&args, None);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        folder(&target)
    };
    let ab = reduce("ab", &[&shard_a, &shard_b]);
    let ba = reduce("ba", &[&shard_b, &shard_a]);
    let all = reduce("all", &[&out.join("articles.jsonl")]);
    assert!(ab.contains_key("edges.csv"));
    assert_same_files(&ab, &ba, "graph A B = graph B A");
    assert_same_files(&ab, &all, "graph A B = graph A+B");
    for (name, bytes) in &all {
        if let Ok(from_extract) = std::fs::read(out.join(name)) {
            assert!(&from_extract == bytes, "{name}: graph equals extract's");
        }
    }

    // Sliced by filters, which keep extract's gazetteer to the end: the same graph files
    // again (relations.csv differs by design: extract lists every relation, graph those
    // of the sliced graph).
    let filters = ["--country", "LY", "--kinds", "meets,supports"];
    let sliced = dir.path().join("sliced");
    let mut args = vec!["extract", path(&input), "-o", path(&sliced)];
    args.extend(filters);
    let output = run(&args, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let target = dir.path().join("sliced-graph");
    let records = out.join("articles.jsonl");
    let mut args = vec!["graph", path(&records), "-o", path(&target)];
    args.extend(filters);
    let output = run(&args, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let from_graph = folder(&target);
    assert!(
        from_graph["edges.csv"].len() < all["edges.csv"].len(),
        "the filters slice"
    );
    for name in actorgraph::output::GRAPH_FILES {
        let from_extract = std::fs::read(sliced.join(name)).unwrap();
        assert!(
            from_extract == from_graph[*name],
            "{name}: sliced graph equals sliced extract's"
        );
    }
}

#[test]
fn error_records_keep_the_map_step_alive() {
    let seed = std::fs::read_to_string(root().join("fixtures/seed-article.jsonl")).unwrap();
    let input = format!(
        "{}\nnot json\n{{\"id\": [7], \"text\": \"x\"}}\n{}\n",
        seed.trim(),
        seed.trim().replacen("\"seed-article\"", "\"seed-2\"", 1)
    );
    let output = run(
        &["extract", "-", "-o", "-", "--error-records"],
        Some(input.as_bytes()),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "seed-article");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["file"], "-");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("not an article"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3]["id"], "seed-2");
    assert!(stderr(&output).contains("-:2: not an article"));

    // Without the flag, the same input exits 1 and stdout has only the records.
    let plain = run(&["extract", "-", "-o", "-"], Some(input.as_bytes()));
    assert_eq!(plain.status.code(), Some(1));
    assert_eq!(String::from_utf8(plain.stdout).unwrap().lines().count(), 2);

    // The reduce step notes error records and builds the graph from the rest.
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, &output.stdout).unwrap();
    let graph = run(
        &["graph", path(&records), "-o", path(&dir.path().join("g"))],
        None,
    );
    assert_eq!(graph.status.code(), Some(0), "{}", stderr(&graph));
    assert!(
        stderr(&graph).contains("records.jsonl:2: error record, skipped: -:2: not an article"),
        "{}",
        stderr(&graph)
    );

    // The flag belongs to -o -.
    let wrong = run(
        &[
            "extract",
            path(&root().join("fixtures/seed-article.jsonl")),
            "-o",
            path(&dir.path().join("x")),
            "--error-records",
        ],
        None,
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("--error-records goes with -o -"));
}

/// Writes `rows` (a header first) as a table with `delimiter`, quoting where needed.
fn table(path: &Path, delimiter: u8, rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

#[test]
fn csv_tsv_and_zstd_dumps_give_the_records_of_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = all_fixtures(dir.path());
    let jsonl = std::fs::read_to_string(&input).unwrap();
    let values: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let field = |v: &serde_json::Value, name: &str| v[name].as_str().unwrap_or("").to_string();
    // Columns in another order, other names for title and text, a BOM-free header.
    let mut rows = vec![vec![
        "Headline".to_string(),
        "body".to_string(),
        "date".to_string(),
        "ID".to_string(),
    ]];
    rows.extend(values.iter().map(|v| {
        vec![
            field(v, "title"),
            field(v, "text"),
            field(v, "date"),
            field(v, "id"),
        ]
    }));
    table(&dir.path().join("dump.csv"), b',', &rows);
    table(&dir.path().join("dump.tsv"), b'\t', &rows);
    std::fs::write(
        dir.path().join("dump.tsv.zst"),
        zstd::encode_all(
            std::fs::read(dir.path().join("dump.tsv"))
                .unwrap()
                .as_slice(),
            3,
        )
        .unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("dump.jsonl.zst"),
        zstd::encode_all(jsonl.as_bytes(), 19).unwrap(),
    )
    .unwrap();

    let extract = |input: &str, extra: &[&str]| {
        let out = dir.path().join(format!("out-{}", input.replace('.', "-")));
        let mut args = vec!["extract", input, "-o", path(&out)];
        args.extend(extra);
        let output = bin()
            .args(&args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read(out.join("articles.jsonl")).unwrap()
    };
    let expected = extract("all.jsonl", &[]);
    assert_eq!(extract("dump.csv", &[]), expected, "csv");
    assert_eq!(extract("dump.tsv", &[]), expected, "tsv");
    assert_eq!(extract("dump.tsv.zst", &[]), expected, "tsv.zst");
    assert_eq!(extract("dump.jsonl.zst", &[]), expected, "jsonl.zst");
    // Columns named on the command line.
    let named = [
        "--id-column",
        "ID",
        "--text-column",
        "body",
        "--title-column",
        "Headline",
        "--date-column",
        "date",
    ];
    assert_eq!(extract("dump.csv", &named), expected, "named columns");
}

#[test]
fn table_problems_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let read = |name: &str, content: &str, columns: actorgraph::run::input::Columns| {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let mut ids = Vec::new();
        let mut problems = Vec::new();
        for item in Inputs::new(std::slice::from_ref(&file)).columns(columns) {
            match item {
                Item::Article {
                    article, warnings, ..
                } => {
                    ids.push(article.id);
                    problems.extend(warnings.iter().map(|w| format!("[warning] {w}")));
                }
                Item::Problem(p) if p.recovered => problems.push(format!("[warning] {p}")),
                Item::Problem(p) => problems.push(p.to_string()),
            }
        }
        let prefix = file.display().to_string();
        let problems: Vec<String> = problems.iter().map(|p| p.replace(&prefix, "F")).collect();
        (ids, problems)
    };
    let default = actorgraph::run::input::Columns::default;

    // A row without the text field, an empty id, a bad date, a NUL, a quoted newline.
    let (ids, problems) = read(
        "a.csv",
        "id,date,text\na,2020-06-23,نص\nb,2020-06-23\n,2020-01-01,x\nc,23/06/2020,x\nd,,\"x\0\"\ne,,\"two\nlines\"\nf,,y\n",
        default(),
    );
    assert_eq!(ids, ["a", "c", "e", "f"]);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems[0].starts_with("F:3: row has 2 fields but the text column `text`"));
    assert!(problems[1].starts_with("F:4: `id` is empty"));
    assert!(problems[2].starts_with("[warning] F:5: date `23/06/2020` is not YYYY-MM-DD"));
    assert!(problems[3].starts_with("F:6: raw NUL byte"));

    // No id column: ids from the file name and the line, with one warning.
    let (ids, problems) = read("news.tsv", "title\ttext\nt\tx\n\t\ny\tz\n", default());
    assert_eq!(ids, ["news-2", "news-4"]);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("[warning] F:1: no id column"));

    // No text column, or a named column that is not there: the file is skipped.
    let (ids, problems) = read("b.csv", "id,words\na,x\n", default());
    assert!(ids.is_empty());
    assert!(
        problems[0].starts_with("F:1: no text column") && problems[0].contains("`id`, `words`"),
        "{problems:?}"
    );
    let (_, problems) = read(
        "c.csv",
        "id,text\na,x\n",
        actorgraph::run::input::Columns {
            date: Some("published".into()),
            ..default()
        },
    );
    assert!(problems[0].starts_with("F:1: no column `published` (--date-column)"));

    // A header alone, and an empty file.
    let (_, problems) = read("d.csv", "id,text\n", default());
    assert!(problems[0].starts_with("F: no rows after the header"));
    let (_, problems) = read("e.csv", "", default());
    assert!(problems[0].starts_with("F: empty file"), "{problems:?}");
}

// ---------------------------------------------------------------------------------
// Spark, in local mode

/// The Python with pyspark, or why the test cannot run.
fn spark_python() -> Result<String, String> {
    let python = std::env::var("ACTORGRAPH_SPARK_PYTHON").unwrap_or_else(|_| "python3".into());
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("no `java` on PATH (Spark needs Java 17 or 21)".into());
    }
    let pyspark = Command::new(&python)
        .args(["-c", "import pyspark; print(pyspark.__version__)"])
        .output();
    match pyspark {
        Ok(o) if o.status.success() => Ok(python),
        _ => Err(format!(
            "`{python}` cannot import pyspark (pip install pyspark, or set ACTORGRAPH_SPARK_PYTHON)"
        )),
    }
}

#[test]
#[ignore = "starts Spark in local mode (about a minute): cargo test --release --test scale -- --ignored spark"]
fn spark_local_mode_map_and_reduce() {
    let python = match spark_python() {
        Ok(python) => python,
        Err(why) => {
            eprintln!("SKIPPED spark_local_mode_map_and_reduce: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let input = all_fixtures(dir.path());
    // A bad line in the middle: it must come back as an error record, not fail the task.
    let mut text = std::fs::read_to_string(&input).unwrap();
    text.push_str("this line is not JSON\n");
    text.push_str(
        &std::fs::read_to_string(root().join("fixtures/seed-article.jsonl"))
            .unwrap()
            .replacen("\"seed-article\"", "\"seed-again\"", 1),
    );
    std::fs::write(&input, &text).unwrap();

    let out = dir.path().join("spark-out");
    let output = Command::new(&python)
        .arg(root().join("examples/spark/actorgraph_spark.py"))
        .args(["--binary", env!("CARGO_BIN_EXE_actorgraph")])
        .args(["--master", "local[2]", "--partitions", "3"])
        .args(["--input", path(&input), "--output", path(&out)])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the Spark job failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );

    // The same graph as one `extract` over the same input.
    let direct = dir.path().join("direct");
    let local = run(&["extract", path(&input), "-o", path(&direct)], None);
    assert_eq!(
        local.status.code(),
        Some(1),
        "one bad line: {}",
        stderr(&local)
    );
    let graph = folder(&out.join("graph"));
    assert!(graph.contains_key("edges.csv"), "{:?}", graph.keys());
    for (name, bytes) in &graph {
        if let Ok(expected) = std::fs::read(direct.join(name)) {
            assert!(&expected == bytes, "{name} differs from extract's");
        }
    }
    // The bad line is an error record in errors/.
    let mut errors = String::new();
    for entry in std::fs::read_dir(out.join("errors")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with("part-") {
            errors.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let errors: Vec<serde_json::Value> = errors
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("not an article")
    );
}
